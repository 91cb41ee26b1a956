"""Which export a file is, from its content (a user's file names are not to be trusted).

``heishi import`` hands any file here; the answer picks the reader. A file that is none of
them is refused with what was expected, before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawlers.errors import FormatError
from crawlers.formats import Message
from crawlers.formats.qqtxt import decode_text, looks_like_qq_export, parse_qq_export
from crawlers.formats.tgexport import parse_messages_html, parse_result_json
from crawlers.formats.tme import parse_channel_page

KINDS = {
    "telegram-json": "Telegram Desktop result.json",
    "telegram-html": "Telegram Desktop messages.html",
    "qq-txt": "QQ 消息管理器 .txt export",
    "tme-page": "saved t.me/s channel page",
}
EXPECTED = ("expected a Telegram Desktop result.json or messages*.html, a QQ 消息管理器 .txt "
            "export or a saved t.me/s page")


@dataclass
class ReadFile:
    """One imported file, read: its messages, the service or system messages it skipped, and
    the context its messages are read in (a channel's title and description)."""

    kind: str
    messages: list[Message]
    skipped: int = 0
    context: str | None = None


def detect(data: bytes, where: str) -> tuple[str, str]:
    """(kind, decoded text) of a file; :class:`FormatError` when it is none of ours."""
    if not data.strip():
        raise FormatError(f"empty file: {EXPECTED}", where)
    text = decode_text(data, where)
    head = text[:20000].lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return "telegram-json", text
    if looks_like_qq_export(head):
        return "qq-txt", text
    low = head.lower()
    if "tgme_widget_message" in low or "tgme_channel_info" in low:
        return "tme-page", text
    if "<" in low and 'class="history"' in low or "page_body chat_page" in low:
        return "telegram-html", text
    raise FormatError(f"not an export heishi reads: {EXPECTED}", where)


def read_file(data: bytes, where: str) -> ReadFile:
    kind, text = detect(data, where)
    if kind == "telegram-json":
        export = parse_result_json(text, where)
        return ReadFile(kind, export.messages, export.service)
    if kind == "telegram-html":
        export = parse_messages_html(text, where)
        return ReadFile(kind, export.messages, export.service)
    if kind == "qq-txt":
        qq = parse_qq_export(text, where)
        return ReadFile(kind, qq.messages, qq.system)
    page = parse_channel_page(text, where)
    return ReadFile(kind, page.messages, page.service, page.context)
