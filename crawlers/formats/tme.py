"""Telegram's public channel preview, ``https://t.me/s/<channel>``.

The page lists a channel's latest messages (``?before=<id>`` pages back in history) without
an account or the API, which is how monitors read sellers' channels. Every
``div.tgme_widget_message`` is one message; service messages ("Channel created",
"… pinned «…»") are counted and skipped. See ``../shared/spec/formats.md`` §1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from lxml import etree, html
from w3lib.encoding import html_to_unicode

from crawlers.errors import FormatError
from crawlers.formats import Message, abbreviated_count
from crawlers.sources import element_text

TME = "https://t.me"

_MESSAGE = etree.XPath(
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' tgme_widget_message ')]"
    "[@data-post]"
)
_WRAP = etree.XPath(
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' tgme_widget_message_wrap ')]"
)


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _find(path: str) -> etree.XPath:
    return etree.XPath(path)


# The text is the outermost message text (album captions are wrapped twice), never the
# quoted text inside a reply preview.
_TEXT = _find(
    f".//div[{_has_class('tgme_widget_message_text')}]"
    f"[not(ancestor::div[{_has_class('tgme_widget_message_text')}])]"
    f"[not(ancestor::a[{_has_class('tgme_widget_message_reply')}])]"
)
_DATE = _find(f".//a[{_has_class('tgme_widget_message_date')}]")
_TIME = _find("./time/@datetime")
_VIEWS = _find(f".//span[{_has_class('tgme_widget_message_views')}]")
_SIGNATURE = _find(f".//span[{_has_class('tgme_widget_message_from_author')}]")
_META = _find(f".//span[{_has_class('tgme_widget_message_meta')}]")
_OWNER = _find(f".//a[{_has_class('tgme_widget_message_owner_name')}]")
_FORWARDED = _find(f".//a[{_has_class('tgme_widget_message_forwarded_from_name')}]")
_FORWARDED_PLAIN = _find(f".//*[{_has_class('tgme_widget_message_forwarded_from')}]")
_REPLY = _find(f".//a[{_has_class('tgme_widget_message_reply')}]/@href")
_PREVIEW = _find(f".//a[{_has_class('tgme_widget_message_link_preview')}]")
_DOCUMENT = _find(f".//*[{_has_class('tgme_widget_message_document_title')}]")
_POLL_QUESTION = _find(f".//*[{_has_class('tgme_widget_message_poll_question')}]")
_POLL_OPTION = _find(f".//*[{_has_class('tgme_widget_message_poll_option_text')}]")
_LOCATION = _find(f".//*[{_has_class('tgme_widget_message_location_wrap')}]")

# What a message shows besides text, by the class that marks it; in this order of precedence.
MEDIA_CLASSES = (
    ("album", "tgme_widget_message_grouped_wrap"),
    ("photo", "tgme_widget_message_photo_wrap"),
    ("round_video", "tgme_widget_message_roundvideo_player"),
    ("video", "tgme_widget_message_video_player"),
    ("voice", "tgme_widget_message_voice_player"),
    ("document", "tgme_widget_message_document_wrap"),
    ("sticker", "tgme_widget_message_sticker_wrap"),
    ("poll", "tgme_widget_message_poll"),
    ("location", "tgme_widget_message_location_wrap"),
)
_MEDIA = {kind: _find(f".//*[{_has_class(name)}]") for kind, name in MEDIA_CLASSES}
_MEDIA_NOT_SUPPORTED = _find(f".//*[{_has_class('message_media_not_supported')}]")


@dataclass
class ChannelPage:
    """One t.me/s page: the channel's header and its messages, oldest first."""

    channel: str | None  # the username, from the page or the message ids
    title: str | None
    description: str | None
    messages: list[Message] = field(default_factory=list)
    service: int = 0  # service messages skipped
    older: int | None = None  # ``?before=`` of the next page back in history; None at the start
    empty: bool = False  # "No posts found"

    @property
    def context(self) -> str | None:
        """The channel's own words about itself: what its posts are offers of."""
        parts = [part for part in (self.title, self.description) if part]
        return "\n".join(parts) or None

    @property
    def ids(self) -> list[int]:
        return [int(message.extra["message_id"]) for message in self.messages]


def parse_channel_page(body: bytes | str, where: str = "t.me/s page") -> ChannelPage:
    """Read one page; :class:`FormatError` if it is not a t.me/s page at all."""
    if isinstance(body, bytes):  # saved fragments declare no charset: UTF-8, as t.me serves
        body = html_to_unicode(None, body, default_encoding="utf-8")[1]
    try:
        root = html.fromstring(body)
    except (etree.ParserError, ValueError) as exc:
        raise FormatError(f"not an HTML page: {exc}", where) from None
    nodes = _MESSAGE(root)
    empty = bool(root.xpath(f"//*[{_has_class('tme_no_messages_found')}]"))
    header_title = _first_text(root, f"//*[{_has_class('tgme_channel_info_header_title')}]")
    has_header = bool(root.xpath("//*[starts-with(@class, 'tgme_channel_info')]"))
    if not nodes and not empty and not has_header and not _WRAP(root):
        raise FormatError(
            "not a Telegram channel page (t.me/s): no tgme_widget_message blocks", where
        )
    page = ChannelPage(
        channel=_channel_name(root),
        title=header_title or _meta(root, "og:title"),
        description=(
            _first_text(root, f"//*[{_has_class('tgme_channel_info_description')}]")
            or _meta(root, "og:description")
        ),
        empty=empty,
    )
    for node in nodes:
        if "service_message" in (node.get("class") or "").split():
            page.service += 1
            continue
        page.messages.append(_message(node, where))
    page.messages.sort(key=lambda message: int(message.extra["message_id"]))
    if page.channel is None and page.messages:
        page.channel = page.messages[0].channel
    page.older = _older(root)
    return page


def _message(node, where: str) -> Message:
    post = node.get("data-post") or ""
    channel, _, number = post.rpartition("/")
    if not channel or not number.lstrip("-").isdigit():
        raise FormatError(f"a message has a data-post of {post!r}, not <channel>/<id>", where)
    extra: dict = {"message_id": int(number)}
    texts = _TEXT(node)
    text = "\n".join(element_text(t).strip() for t in texts if element_text(t).strip())
    media = [kind for kind, find in _MEDIA.items() if find(node)]
    if _MEDIA_NOT_SUPPORTED(node) and "video" not in media:
        media.append("video")
    if media:
        extra["media"] = media
    documents = [element_text(d).strip() for d in _DOCUMENT(node)]
    if "video" in media and ("round_video" in media or "sticker" in media):
        media.remove("video")  # round videos and animated stickers play in a <video> too
    poll = _first_text(node, _POLL_QUESTION)
    options = [element_text(o).strip() for o in _POLL_OPTION(node)]
    if poll:
        extra["poll"] = {"question": poll, "options": options}
    preview = _PREVIEW(node)
    if preview:
        extra["link_preview"] = {
            name: value
            for name, value in (
                ("url", preview[0].get("href")),
                ("site", _first_text(preview[0], f".//*[{_has_class('link_preview_site_name')}]")),
                ("title", _first_text(preview[0], f".//*[{_has_class('link_preview_title')}]")),
                ("description", _first_text(
                    preview[0], f".//*[{_has_class('link_preview_description')}]")),
            )
            if value
        }
    if not text:  # a message without words still says what it carried
        parts = [f"[{kind}]" for kind in media] or ["[message]"]
        parts += documents
        if poll:
            parts += [poll, *options]
        text = "\n".join(parts)
    date = _DATE(node)
    posted_at = _first(_TIME(date[0])) if date else None
    url = date[0].get("href") if date else f"{TME}/{post}"
    views = abbreviated_count(_first_text(node, _VIEWS))
    if views is not None:
        extra["views"] = views
    meta = _META(node)
    if meta and "edited" in (element_text(meta[0]) or ""):
        extra["edited"] = True
    forwarded = _FORWARDED(node)
    if forwarded:
        extra["forwarded_from"] = element_text(forwarded[0]).strip()
        if forwarded[0].get("href"):
            extra["forwarded_from_url"] = forwarded[0].get("href")
    elif _FORWARDED_PLAIN(node):  # from a user who hides their account: a name only
        name = element_text(_FORWARDED_PLAIN(node)[0]).replace("Forwarded from", "").strip()
        if name:
            extra["forwarded_from"] = name
    reply = _first(_REPLY(node))
    if reply:
        extra["reply_to"] = _message_number(reply)
    signature = _first_text(node, _SIGNATURE)
    owner = _first_text(node, _OWNER)
    return Message(
        key=f"{channel}/{number}",
        text=text,
        posted_at=posted_at,
        author=signature or owner,
        channel=channel,
        url=url,
        extra={**extra, **({"signature": signature} if signature else {})},
    )


def _older(root) -> int | None:
    """The ``before`` id of the previous (older) page, from the page's own links."""
    for value in root.xpath(
        f"//a[{_has_class('tme_messages_more')}]/@data-before | //link[@rel='prev']/@href"
    ):
        if value.isdigit():
            return int(value)
        before = parse_qs(urlsplit(value).query).get("before")
        if before and before[0].isdigit():
            return int(before[0])
    return None


def _channel_name(root) -> str | None:
    username = _first_text(root, f"//*[{_has_class('tgme_channel_info_header_username')}]")
    if username:
        return username.lstrip("@")
    data_url = _first(root.xpath(f"//main[{_has_class('tgme_main')}]/@data-url"))
    if data_url and data_url.strip("/"):
        return data_url.strip("/").split("/")[-1]
    return None


def _message_number(url: str) -> int | None:
    tail = urlsplit(url).path.rstrip("/").rpartition("/")[2]
    return int(tail) if tail.isdigit() else None


def _meta(root, name: str) -> str | None:
    value = _first(root.xpath(f"//meta[@property='{name}']/@content"))
    return value.strip() or None if value else None


def _first(values: list) -> str | None:
    return values[0] if values else None


def _first_text(node, path) -> str | None:
    found = path(node) if isinstance(path, etree.XPath) else node.xpath(path)
    for element in found:
        text = element_text(element).strip()
        if text:
            return text
    return None
