"""Mail over SMTP, configured from the environment (credentials never on the command line).

Used by the digest (``heishi digest --email``) and by watch alerts delivered by mail.

    HEISHI_SMTP_HOST, HEISHI_SMTP_PORT (25; 465 means TLS from the start),
    HEISHI_SMTP_USER / HEISHI_SMTP_PASSWORD (login when set), HEISHI_SMTP_STARTTLS (1: upgrade),
    HEISHI_MAIL_FROM (default heishi@localhost)
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from ops.errors import UsageError


class MailError(UsageError):
    """The mail could not be handed to the SMTP server."""


@dataclass
class SMTPConfig:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    sender: str = "heishi@localhost"
    timeout: float = 15.0

    @classmethod
    def from_env(cls) -> SMTPConfig:
        host = os.environ.get("HEISHI_SMTP_HOST")
        if not host:
            raise MailError("no SMTP server configured: set $HEISHI_SMTP_HOST (and "
                            "$HEISHI_SMTP_PORT, $HEISHI_SMTP_USER, $HEISHI_SMTP_PASSWORD)")
        port = os.environ.get("HEISHI_SMTP_PORT") or "25"
        try:
            port_number = int(port)
        except ValueError:
            raise MailError(f"$HEISHI_SMTP_PORT={port!r} is not a port number") from None
        return cls(host=host, port=port_number, user=os.environ.get("HEISHI_SMTP_USER"),
                   password=os.environ.get("HEISHI_SMTP_PASSWORD"),
                   starttls=os.environ.get("HEISHI_SMTP_STARTTLS", "") in ("1", "true", "yes"),
                   sender=os.environ.get("HEISHI_MAIL_FROM") or "heishi@localhost")


def recipients(text: str | list[str] | None) -> list[str]:
    if not text:
        return []
    parts = text if isinstance(text, list) else str(text).split(",")
    return [p.strip() for p in parts if p and p.strip()]


def send(message: EmailMessage, config: SMTPConfig) -> None:
    """Hand ``message`` to the server; any failure is one :class:`MailError` naming it."""
    if not message["From"]:
        message["From"] = config.sender
    where = f"SMTP server {config.host}:{config.port}"
    try:
        if config.port == 465:
            client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with client:
            if config.starttls:
                client.starttls(context=ssl.create_default_context())
            if config.user:
                client.login(config.user, config.password or "")
            refused = client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{where}: cannot send mail: {exc}") from None
    if refused:
        raise MailError(f"{where} refused {', '.join(sorted(refused))}")
