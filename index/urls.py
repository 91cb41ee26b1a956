"""Service URLs (a store, Elasticsearch, Kibana): one parser, one set of messages.

A URL is typed by hand or comes from the environment, and may carry a password. Whatever is
wrong with it (a scheme heishi does not speak, any letter case, a bracket left open, a port
that is not a number) is one line that names it with its credentials masked, never a
traceback, and never a file named after it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from index.errors import StoreError

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#@\s]*@")


class BadURL(StoreError):
    """A service URL that heishi cannot use."""


def url_scheme(location: str) -> str | None:
    """The scheme of ``location`` in lower case if it is written as a URL (``x://``)."""
    m = _SCHEME.match(location)
    return m.group(1).lower() if m else None


def masked(text: str) -> str:
    """``text`` with the user and password of every URL in it replaced by ``***``."""
    return _USERINFO.sub(r"\1***@", text)


def service_url(
    url: str,
    what: str,
    schemes: tuple[str, ...] = ("http", "https"),
    aliases: dict[str, str] | None = None,
    credentials_hint: str = "",
) -> str:
    """``url`` checked and normalised (scheme in lower case, no trailing slash, no query).

    ``what`` names it in messages (``Elasticsearch URL``, ``Kibana URL``); ``aliases`` maps
    other schemes to one of ``schemes`` (``es`` → ``http``). Credentials inside the URL are
    refused: they belong in the environment (``credentials_hint`` says where).
    """
    shown = repr(masked(url))
    article = "an" if what[:1] in "AEIOUaeiou" else "a"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise BadURL(f"{shown} is not {article} {what}: {exc}") from None
    scheme = (aliases or {}).get(parts.scheme.lower(), parts.scheme.lower())
    if scheme not in schemes:
        expected = " or ".join(f"{s}://" for s in schemes)
        raise BadURL(f"{shown} is not {article} {what} (expected {expected})")
    if parts.username is not None or parts.password is not None:
        raise BadURL(f"credentials in the {what} are not accepted"
                     + (f"; {credentials_hint}" if credentials_hint else ""))
    if not parts.hostname:
        raise BadURL(f"{what} {shown} has no host")
    if port == 0:
        raise BadURL(f"{what} {shown}: port must be 1-65535")
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
