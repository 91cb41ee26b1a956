"""Deliver recorded alerts: a JSON POST to a webhook, or a mail; failures are retried later.

Each delivery carries the alert's id (``Idempotency-Key`` header, ``alert_id`` field), so a
receiver that saw an attempt whose answer was lost can tell the retry apart.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import datetime
from email.message import EmailMessage

from ops import mail
from ops.alerts.state import AlertState

TIMEOUT = 10.0
QUICK_RETRIES = 1  # one more try at once (a blip); then the back-off of AlertState.failed
QUICK_PAUSE = 0.5


def post_webhook(url: str, body: dict, alert_id: int) -> None:
    data = json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "heishi-alerts",
        "Idempotency-Key": f"heishi-alert-{alert_id}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            answer.read()
    except urllib.error.HTTPError as exc:
        raise OSError(f"webhook {url} answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OSError(f"webhook {url} unreachable: {reason}") from None


def send_mail(to: str, body: dict) -> None:
    message = EmailMessage()
    message["Subject"] = f"heishi alert: {body['rule']}: " + "; ".join(body["reasons"])[:150]
    message["To"] = to
    lines = [f"Rule: {body['rule']}", f"Why: {'; '.join(body['reasons'])}",
             f"Source: {body.get('source')}  URL: {body.get('url') or '–'}",
             f"Posted: {body.get('posted_at') or '–'}  Seen: {body.get('first_seen') or '–'}",
             f"Contacts: {', '.join(body.get('contacts') or []) or '–'}", "",
             body.get("title") or "", body.get("text") or ""]
    message.set_content("\n".join(lines))
    mail.send(message, mail.SMTPConfig.from_env())


def deliver_one(alert: dict) -> None:
    body = json.loads(alert["payload"]) | {"alert_id": alert["id"]}
    if alert["target_kind"] == "webhook":
        post_webhook(alert["target"], body, alert["id"])
    elif alert["target_kind"] == "mail":
        send_mail(alert["target"], body)


def deliver_pending(state: AlertState, at: datetime | None = None) -> dict[str, int]:
    """Try every alert that is due; returns counts of ``delivered``, ``retry``, ``failed``."""
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    for alert in state.due(at):
        error = None
        for attempt in range(1 + QUICK_RETRIES):
            try:
                deliver_one(alert)
                error = None
                break
            except (OSError, mail.MailError) as exc:
                error = str(exc)
                if attempt < QUICK_RETRIES:
                    time.sleep(QUICK_PAUSE)
        if error is None:
            state.delivered(alert["id"], at)
            counts["delivered"] += 1
        else:
            status = state.failed(alert["id"], error, at)
            counts["retry" if status == "pending" else "failed"] += 1
    return counts
