"""QQ 消息管理器 text exports (``导出消息记录`` → ``.txt``).

QQ groups are where much of the trade is negotiated, and the desktop client's message manager
exports a group's (or every conversation's) history as text. See
``../shared/spec/formats.md`` §3. What makes it tricky:

- records are separated by CRLF, but a multi-line message keeps bare CR or LF between its own
  lines, so only CRLF splits records;
- a header is ``YYYY-MM-DD H:MM:SS <sender>``, the hour unpadded; the sender is
  ``nickname(QQ number)``, ``nickname<e-mail or number>``, a bare name in private chats, or
  ``系统消息(10000)``, the system;
- files re-saved by other tools come as UTF-16 or GB18030.

QQ messages have no id of their own: a message's key is its conversation, time, sender and a
digest of its text, so importing the same export twice finds the same posts.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from crawlers.errors import FormatError
from crawlers.formats import Message

TITLE = "消息记录"
SEPARATOR = re.compile(r"^={16,}$")
SYSTEM_ID = "10000"
_HEADER = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2}) (?:(上午|下午) )?(\d{1,2}:\d{2}:\d{2})(?: ?([AP]M))? "
    r"(.*?)(?:\((\d+)\)|<([^<>]+)>)?$"
)
_GROUP = re.compile(r"^消息分组[:：](.*)$")
_PEER = re.compile(r"^消息对象[:：](.*)$")


@dataclass
class QQExport:
    messages: list[Message] = field(default_factory=list)
    system: int = 0  # messages from 系统消息(10000): joins, file shares, notices
    conversations: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.messages) + self.system


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (what older Chinese
    Windows tools write); :class:`FormatError` if none of them reads the file."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise FormatError(f"not valid {encoding} text: {exc.reason}", where,
                                  data[:exc.start].count(b"\n") + 1) from None
    if data[:200].count(b"\x00") > 20:  # UTF-16 without a BOM: every other byte is zero
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FormatError("cannot tell the text encoding (not UTF-8, UTF-16 or GB18030)", where)


def looks_like_qq_export(text: str) -> bool:
    head = text[:4000]
    return head.lstrip("\ufeff").startswith(TITLE) or bool(_PEER.search(head.replace("\r", "\n")))


def parse_qq_export(data: bytes | str, where: str) -> QQExport:
    text = decode_text(data, where) if isinstance(data, bytes) else data
    text = text.lstrip("\ufeff")
    if not looks_like_qq_export(text):
        raise FormatError(
            "not a QQ message export: it does not start with 消息记录 nor name a 消息对象", where, 1
        )
    # Records end at CRLF; a file saved with plain LF (or CR) line ends has no inner breaks
    # left to tell apart, and every line end counts.
    lines = text.split("\r\n") if "\r\n" in text else re.split(r"\r|\n", text)
    export = QQExport()
    group = peer = None
    current: dict | None = None
    seen: dict[str, int] = {}

    def finish() -> None:
        if current is None:
            return
        body = current["body"]
        while body and not body[-1].strip():
            body.pop()
        message = _message(current, "\n".join(body), group, peer)
        if message is None:
            export.system += 1
            return
        # The same sender repeating the same text within one second ("[图片]" three times)
        # is three messages: number the repeats so none replaces another.
        repeat = seen.get(message.key, 0)
        seen[message.key] = repeat + 1
        if repeat:
            message.key += f"#{repeat}"
        export.messages.append(message)

    previous_blank = True
    for number, raw in enumerate(lines, start=1):
        line = raw.replace("\r", "\n")
        stripped = line.strip()
        if SEPARATOR.match(stripped):
            finish()
            current = None
            previous_blank = True
            continue
        if current is None and (match := _GROUP.match(stripped)):
            group = match.group(1).strip()
            continue
        if current is None and (match := _PEER.match(stripped)):
            peer = match.group(1).strip()
            export.conversations.append(peer)
            continue
        header = _HEADER.match(line) if previous_blank and "\n" not in line else None
        if header is not None and _moment(header) is not None:
            finish()
            current = {"header": header, "line": number, "body": []}
            previous_blank = False
            continue
        previous_blank = not stripped
        if current is not None:
            current["body"].append(line)
        elif stripped and stripped != TITLE and not stripped.startswith(TITLE):
            raise FormatError(f"unexpected text before the first message: {stripped[:40]!r}",
                              where, number)
    finish()
    if not export.total:
        raise FormatError("a QQ export without any message (truncated?)", where)
    return export


def _moment(header: re.Match) -> str | None:
    day, half, clock, meridiem = header.group(1), header.group(2), header.group(3), header.group(4)
    try:
        moment = datetime.strptime(f"{day} {clock}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    if (half == "下午" or meridiem == "PM") and moment.hour < 12:
        moment = moment.replace(hour=moment.hour + 12)
    elif (half == "上午" or meridiem == "AM") and moment.hour == 12:
        moment = moment.replace(hour=0)
    return moment.isoformat()


def _message(record: dict, text: str, group: str | None, peer: str | None) -> Message | None:
    header = record["header"]
    nickname = header.group(5).strip()
    number, address = header.group(6), header.group(7)
    if number == SYSTEM_ID and nickname in ("系统消息", ""):
        return None
    posted_at = _moment(header)
    author = nickname or number or address
    sender = number or address or nickname
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    extra: dict = {"conversation": peer, "folder": group}
    if number:
        extra["qq"] = number
    elif address:
        extra["sender_address"] = address
    if not text.strip():
        text = "[空消息]"
    return Message(
        key=f"qq/{peer or ''}/{posted_at}/{sender}/{digest}",
        text=text,
        posted_at=posted_at,
        author=author,
        channel=peer,
        extra={k: v for k, v in extra.items() if v},
        line=record["line"],
    )
