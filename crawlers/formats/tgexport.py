"""Telegram Desktop exports: ``result.json`` and ``messages*.html``.

An analyst who is a member of a closed seller group exports its history with Telegram Desktop
(Settings → Advanced → Export) and hands the file to ``heishi import``. Both forms are read; see
``../shared/spec/formats.md`` §2a and §2b. Service messages (joins, pins, calls) are counted
and skipped. A message's key is its chat's id (or name) and its own id, so importing the same
chat again, from either form, finds the same posts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from lxml import etree, html

from crawlers.errors import FormatError
from crawlers.formats import Message
from crawlers.sources import element_text


@dataclass
class Export:
    """What an export holds: its messages, and how many service messages were skipped."""

    messages: list[Message] = field(default_factory=list)
    service: int = 0
    chats: dict[str, str] = field(default_factory=dict)  # chat key -> its name


# -- result.json -------------------------------------------------------------------------------


def parse_result_json(text: str, where: str) -> Export:
    """A single-chat export (``{"name", "type", "id", "messages"}``) or a whole account's
    (``{"chats": {"list": [...]}, "left_chats": ...}``)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"not valid JSON (truncated export?): {exc.msg} at column {exc.colno}",
            where,
            exc.lineno,
        ) from None
    if not isinstance(data, dict):
        raise FormatError("not a Telegram Desktop export: the file is not a JSON object", where)
    if "messages" in data:
        chats = [data]
    elif isinstance(data.get("chats"), dict):
        chats = list(data["chats"].get("list") or [])
        left = data.get("left_chats")
        if isinstance(left, dict):
            chats += list(left.get("list") or [])
    else:
        raise FormatError(
            "not a Telegram Desktop export: neither 'messages' (one chat) nor 'chats' "
            "(a whole account) at the top",
            where,
        )
    export = Export()
    for index, chat in enumerate(chats):
        if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
            raise FormatError(f"chat {index} has no 'messages' list", where)
        chat_key = str(chat.get("id") or chat.get("name") or index)
        name = chat.get("name") or chat_key
        export.chats[chat_key] = name
        for number, raw in enumerate(chat["messages"]):
            if not isinstance(raw, dict) or "id" not in raw:
                raise FormatError(f"chat {name!r}: message {number} has no id", where)
            if raw.get("type", "message") != "message":
                export.service += 1
                continue
            export.messages.append(_json_message(raw, chat_key, name, chat.get("type")))
    return export


def _json_message(raw: dict, chat_key: str, chat_name: str, chat_type: str | None) -> Message:
    text = entity_text(raw.get("text"))
    media = [kind for kind in ("photo", "file", "sticker_emoji", "poll", "location_information")
             if raw.get(kind)]
    if raw.get("media_type"):
        media.append(raw["media_type"])
    if not text.strip():
        text = "\n".join(f"[{kind}]" for kind in media) or "[message]"
    extra = {"message_id": raw["id"], "chat": chat_name}
    if chat_type:
        extra["chat_type"] = chat_type
    for name in ("forwarded_from", "reply_to_message_id", "via_bot", "signature", "from_id"):
        if raw.get(name) not in (None, ""):
            extra[name] = raw[name]
    if raw.get("edited") or raw.get("edited_unixtime"):
        extra["edited"] = True
    if media:
        extra["media"] = media
    return Message(
        key=f"{chat_key}/{raw['id']}",
        text=text,
        posted_at=_json_time(raw),
        author=raw.get("from") or raw.get("signature"),
        channel=chat_name,
        extra=extra,
    )


def entity_text(value) -> str:
    """``text`` is a string, or a list of strings and ``{"type", "text"}`` entities."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in value
            if isinstance(part, str | dict)
        )
    return str(value)


def _json_time(raw: dict) -> str | None:
    """``date_unixtime`` is exact (UTC); ``date`` is the exporting machine's local time."""
    unix = raw.get("date_unixtime")
    if unix not in (None, ""):
        try:
            return datetime.fromtimestamp(int(unix), UTC).isoformat(timespec="seconds")
        except (TypeError, ValueError, OverflowError):
            pass
    date = raw.get("date")
    return str(date) if date else None


# -- messages*.html ----------------------------------------------------------------------------

_MESSAGES = etree.XPath(
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' message ')][@id]"
)
_TITLE_TIME = re.compile(
    r"(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC([+-])(\d{2}):(\d{2}))?"
)


def _child(node, name: str):
    found = node.xpath(f".//div[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")
    return found[0] if found else None


def parse_messages_html(body: bytes, where: str) -> Export:
    """One ``messages.html`` (or ``messagesN.html``) page of an export."""
    try:
        root = html.fromstring(body)
    except (etree.ParserError, ValueError) as exc:
        raise FormatError(f"not an HTML file: {exc}", where) from None
    if not root.xpath("//div[contains(@class, 'history')]"):
        raise FormatError(
            "not a Telegram Desktop messages.html: no <div class=\"history\">", where
        )
    header = root.xpath("//div[contains(@class, 'page_header')]//div[contains(@class, 'text')]")
    chat = element_text(header[0]).strip() if header else None
    chat = chat or "chat"
    export = Export(chats={chat: chat})
    sender = None
    for node in _MESSAGES(root):
        classes = (node.get("class") or "").split()
        number = node.get("id", "").removeprefix("message")
        if "service" in classes:
            body_node = _child(node, "body")
            if not (number.startswith("-") or _is_date_line(body_node)):
                export.service += 1  # day separators are layout, not messages
            continue
        if "default" not in classes:
            continue
        name = _child(node, "from_name")
        if name is not None and not _inside(name, "forwarded"):
            sender = element_text(name).strip().split("\n")[0].strip() or sender
        text_node = _child(node, "text")
        text = element_text(text_node).strip() if text_node is not None else ""
        extra: dict = {"message_id": int(number) if number.lstrip("-").isdigit() else number,
                       "chat": chat}
        media = node.xpath(".//div[contains(@class, 'media_wrap')]")
        if media:
            extra["media"] = ["media"]
        reply = node.xpath(".//div[contains(@class, 'reply_to')]//a/@href")
        if reply:
            target = reply[0].rpartition("go_to_message")[2]
            extra["reply_to_message_id"] = int(target) if target.isdigit() else target
        forwarded = _child(node, "forwarded")
        if forwarded is not None:
            origin = _child(forwarded, "from_name")
            if origin is not None:
                extra["forwarded_from"] = element_text(origin).strip()
        if "joined" in classes:
            extra["joined"] = True
        if not text:
            text = "[media]" if media else "[message]"
        date = node.xpath(".//div[contains(@class, 'date')][@title]/@title")
        export.messages.append(Message(
            key=f"{chat}/{number}",
            text=text,
            posted_at=html_title_time(date[0]) if date else None,
            author=sender,
            channel=chat,
            extra=extra,
        ))
    return export


def html_title_time(title: str) -> str | None:
    """``"04.06.2020 14:16:12"`` (local, no zone) or ``"14.05.2023 16:43:57 UTC+03:30"``."""
    match = _TITLE_TIME.search(title)
    if match is None:
        return None
    day, month, year, hour, minute, second = (int(g) for g in match.groups()[:6])
    moment = datetime(year, month, day, hour, minute, second)
    if match.group(7):
        offset = timedelta(hours=int(match.group(8)), minutes=int(match.group(9)))
        moment = moment.replace(tzinfo=timezone(offset if match.group(7) == "+" else -offset))
    return moment.isoformat()


def _is_date_line(node) -> bool:
    return node is not None and bool(
        re.fullmatch(r"\d{1,2} \w+ \d{4}", element_text(node).strip())
    )


def _inside(node, class_name: str) -> bool:
    return bool(node.xpath(f"ancestor::div[contains(@class, '{class_name}')]"))

