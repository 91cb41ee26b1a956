"""Listings out of a JSON search API, picked by JMESPath expressions.

Marketplaces (闲鱼/Goofish and the like) render their search pages from a JSON answer; reading
that answer is sturdier than scraping the rendered page. What to read is configuration, not
code: an ``items`` expression gives the list of listings, one expression per post field reads
inside each listing, and a next-page rule says how to ask for more. JMESPath is the query
language of AWS's CLI and Scrapy's own ``itemloaders``: a known syntax, compiled once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import jmespath
import jmespath.exceptions

from crawlers.errors import FormatError
from crawlers.formats import Message

# Post fields a JSON API source may select, plus what only listings of marketplaces have.
FIELDS = ("text", "title", "author", "posted_at", "link", "price_text", "site_id", "channel",
          "location")


def compile_expression(expression: str):
    """A compiled JMESPath expression; ValueError says why one does not compile."""
    try:
        return jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        raise ValueError(str(exc).replace("\n", " ")) from None


@dataclass(frozen=True)
class JsonSelectors:
    items: object  # compiled JMESPath: the list of listings in an answer
    fields: dict  # name -> compiled JMESPath, read in each listing
    next_page: object | None = None  # compiled JMESPath: true (or a URL) while there is more
    page_param: str = "page"  # the query parameter counting pages, when next_page is a flag
    expressions: dict | None = None  # name -> source text, for messages


def load_json(body: bytes, where: str):
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise FormatError(f"malformed JSON: {exc}", where, line) from None


def read_listings(data, selectors: JsonSelectors, where: str) -> list[Message]:
    """Every listing of one answer as a message; ``FormatError`` if ``items`` finds no list."""
    items = selectors.items.search(data)
    if items is None:
        items = []
    if not isinstance(items, list):
        raise FormatError(f"selector items gave {type(items).__name__}, not a list", where)
    messages = []
    for index, item in enumerate(items):
        values = {name: _text(expression.search(item)) for name, expression in
                  selectors.fields.items()}
        key = values.get("site_id") or values.get("link")
        text = values.get("text") or values.get("title")
        if not key or not text:
            continue  # an advert or a layout block in the list: nothing to key or read
        extra = {"location": values["location"]} if values.get("location") else {}
        extra["position"] = index
        messages.append(Message(
            key=key,
            text=text,
            title=values.get("title"),
            posted_at=posted_time(values.get("posted_at")),
            author=values.get("author"),
            channel=values.get("channel"),
            url=values.get("link"),
            price_text=values.get("price_text"),
            extra=extra,
        ))
    return messages


def next_page(data, selectors: JsonSelectors):
    """The next page's URL (a string), True to count ``page_param`` up, or None at the end."""
    if selectors.next_page is None:
        return None
    found = selectors.next_page.search(data)
    if isinstance(found, str):
        return found or None
    return True if found in (True, "true", 1) else None


def posted_time(value: str | None) -> str | None:
    """ISO-8601 as given, or epoch seconds / milliseconds (``"1729309300000"``) as UTC."""
    if not value:
        return None
    if value.isdigit():
        number = int(value)
        seconds = number / 1000 if number > 10**11 else number
        return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
    return value


def _text(value) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        return "".join(str(v) for v in value if v is not None) or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None
