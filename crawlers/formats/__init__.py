"""Readers of the formats sellers' messages come in, other than HTML boards.

Each reader turns one page, file or API answer into :class:`Message` records; spiders and
``heishi import`` turn those into posts for the pipelines. Nothing here fetches or stores: a
reader is a function of bytes, so it is tested on the real samples in ``../shared/samples``.

- :mod:`crawlers.formats.tme`: Telegram's public channel preview, ``t.me/s/<channel>``;
- :mod:`crawlers.formats.tgexport`: Telegram Desktop exports, ``result.json`` and
  ``messages*.html``;
- :mod:`crawlers.formats.qqtxt`: QQ 消息管理器 text exports;
- :mod:`crawlers.formats.sms`: code-receiving platforms' price and stock answers;
- :mod:`crawlers.formats.jsonapi`: JSON search APIs read with JMESPath selectors;
- :mod:`crawlers.formats.detect`: which of the above a file is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawlers.errors import FormatError


@dataclass
class Message:
    """One message or listing, in the fields of a post.

    ``key`` is stable: the chat (or channel) and the message's own id where the format has
    one, so that reading the same message twice, from a crawl or from an export, gives the
    same post. ``posted_at`` is ISO-8601, with its zone when the format states one (a time
    without a zone is in the source's time zone).
    """

    key: str
    text: str
    posted_at: str | None = None
    author: str | None = None
    channel: str | None = None
    url: str | None = None
    title: str | None = None
    price_text: str | None = None
    extra: dict = field(default_factory=dict)
    line: int | None = None  # where it starts in its file, for messages about it


_ABBREVIATED = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([KkMm]?)\s*$")


def abbreviated_count(text: str | None) -> int | None:
    """``"2.5K"`` → 2500, ``"3.1M"`` → 3100000, ``"44"`` → 44 (Telegram's view counters)."""
    if not text:
        return None
    match = _ABBREVIATED.match(text)
    if match is None:
        return None
    number = float(match.group(1).replace(",", "."))
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return round(number * scale)


__all__ = ["FormatError", "Message", "abbreviated_count"]
