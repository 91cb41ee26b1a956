"""Sellers' (and buyers') contacts: the handles a post asks the reader to write to.

A contact is what the poster points at with a marker (``Q 2049385761``, ``V：zck_1188``,
``飞机 @name``, ``电话 171 2290 4431``), a Telegram ``@name`` or ``t.me/name`` link, a URL, or
a bare mobile number. Numbers inside sample records (样料, previews, rows of name + ID +
phone) are victims' data and never contacts: :mod:`nlp.redact` finds them, and everything it
covers is skipped here, so redaction and contact extraction can never disagree.

Values are normalised as the taxonomy says: QQ and WeChat ids without their marker, Telegram
usernames without ``@``, phone numbers as digits, URLs as written without the scheme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.redact import (
    QQ_MARKERS,
    SPACED_DIGITS,
    SPACED_ID,
    TELEGRAM_MARKERS,
    WECHAT_MARKERS,
    Phone,
    VictimData,
    alternation,
    find_victim_data,
    fold_width,
    may_hold_phone,
)

CONTACT_TYPES = ("qq", "wechat", "telegram", "phone", "url")


# Between a marker and the id: separators, arrows and emoji ("V➕: x", "Q👉123"), at most six.
_SEP = (
    r"([\s:：=＝\-~～>→/\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d"
    r"\U0001f000-\U0001faff]{0,6})"
)
_NOT_WORD_BEFORE = r"(?<![A-Za-z0-9_@])"  # @tgws_support: a handle, not tg + ws_support
# "QQ 10000个", "微信 12345元": a quantity or a price, not an id.
_QUANTITY_AFTER = re.compile(r"\s{0,2}[个元块条张次万千wWkK粉起年岁天月日号单套%]")
_SINGLE_LETTER = frozenset("QqVv")
_QQ_CASEFOLDED = frozenset(m.casefold() for m in QQ_MARKERS)

_QQ = re.compile(
    f"{_NOT_WORD_BEFORE}({alternation(QQ_MARKERS)}){_SEP}" r"([1-9]\d{4,10})(?!\d|\.\d)",
    re.IGNORECASE,
)
_QQ_MAIL = re.compile(
    r"(?<![A-Za-z0-9_.\-])([1-9]\d{4,10})@(?:vip\.)?(?:qq|foxmail)\.com(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_WECHAT = re.compile(
    f"{_NOT_WORD_BEFORE}({alternation(WECHAT_MARKERS)}){_SEP}"
    r"([A-Za-z][A-Za-z0-9_\-]{5,19}|[1-9]\d{4,10})(?![A-Za-z0-9_\-]|\.\d)",
    re.IGNORECASE,
)
_TELEGRAM_MARKED = re.compile(
    f"{_NOT_WORD_BEFORE}({alternation(TELEGRAM_MARKERS)}){_SEP}"
    r"(@?)([A-Za-z][A-Za-z0-9_]{3,31})(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
_TELEGRAM_AT = re.compile(
    r"(?<![A-Za-z0-9_.@/\-])@([A-Za-z][A-Za-z0-9_]{3,31})(?![A-Za-z0-9_]|\.[A-Za-z]{2})"
)
_TELEGRAM_LINK = re.compile(
    r"(?<![A-Za-z0-9_.\-])(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?"
    r"(?!joinchat/)([A-Za-z][A-Za-z0-9_]{3,31})(?![A-Za-z0-9_])"
    r"|tg://resolve\?domain=([A-Za-z][A-Za-z0-9_]{3,31})",
    re.IGNORECASE,
)
# A path ends at a comma or bracket too: width folding makes "，" a ",", and a post strings
# contacts together with them ("t.me/a，[PHONE:…]，www.b.top").
# A link ends at a space, a bracket, Chinese text or a control character (URLs hold none).
_URL_TAIL = r"[^\s<>\"'，。、；！？）》】」「《【（\u4e00-\u9fff,\[\]\x00-\x1f\x7f-\x9f]*"
_URL_SCHEME = re.compile(r"(?<![A-Za-z0-9])https?://([A-Za-z0-9]" + _URL_TAIL + r")", re.IGNORECASE)
_TLDS = (
    "com|cn|net|org|top|xyz|vip|cc|me|io|info|shop|site|online|club|app|ltd|link|pw|ru|co|tk|ml"
    "|ga|cf|gq|tv|biz|store|icu|fun|live|pro|ink|asia|wang|work|tech|space|website|cloud|hk|tw"
    "|mo|uk|us|sg|jp|kr|so|la|ws|to|ly|gg|im|in|run|win|bid|red|xin|ren|kim|cyou|buzz|today"
)
_URL_BARE = re.compile(
    r"(?<![A-Za-z0-9_.@/])((?:[A-Za-z0-9][A-Za-z0-9\-]{0,62}\.){1,6}(?:" + _TLDS + r"))"
    r"(?![A-Za-z0-9\-])"
    r"((?::\d{2,5})?(?:[/?#]" + _URL_TAIL + r")?)",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)]}'\"*"
_SAME_NUMBER_WECHAT = re.compile(r"(?:微信|[Vv][Xx]?|[Ww][Xx]|薇信?|威信)\s?同号|同[Vv微]")


@dataclass(frozen=True, order=True)
class _Candidate:
    start: int
    neg_length: int  # longer first at the same start
    priority: int  # then: links before bare hosts, marked ids before bare numbers
    type: str
    value: str

    @property
    def end(self) -> int:
        return self.start - self.neg_length


def _candidate(kind: str, value: str, start: int, end: int, priority: int) -> _Candidate:
    return _Candidate(start, start - end, priority, kind, value)


def _plain_word_needs_colon(sep: str, value: str) -> bool:
    """ "微信 taobao" names a platform, "微信：zhangsan" gives an id: an id of letters only
    needs a colon; one with a digit, "_" or "-" is an id after any separator."""
    return value.isalpha() and ":" not in sep and "：" not in sep


def _marked(text: str):
    for m in _QQ.finditer(text):
        if _QUANTITY_AFTER.match(text, m.end()):
            continue
        yield _candidate("qq", m.group(3), m.start(), m.end(), 1)
    if SPACED_DIGITS.search(text):
        for m in SPACED_ID.finditer(text):
            kind = "qq" if m.group(1).casefold() in _QQ_CASEFOLDED else "wechat"
            yield _candidate(kind, m.group(2).replace(" ", ""), m.start(), m.end(), 1)
    at = "@" in text
    for m in _QQ_MAIL.finditer(text) if at else ():
        yield _candidate("qq", m.group(1), m.start(), m.end(), 1)
    for m in _WECHAT.finditer(text):
        marker, sep, value = m.groups()
        if marker in _SINGLE_LETTER and not sep and not value.isdigit():
            continue  # "Vip", "Very": a word, not V + id
        if marker == "威" and ":" not in sep and "：" not in sep:
            continue  # 权威 2024: a word ending in 威; 威：zck8997 gives an id
        if value.isdigit() and _QUANTITY_AFTER.match(text, m.end()):
            continue
        if _plain_word_needs_colon(sep, value):
            continue
        yield _candidate("wechat", value, m.start(), m.end(), 1)
    for m in _TELEGRAM_MARKED.finditer(text):
        _, sep, handle, value = m.groups()  # not "at": that says whether to look for @handles
        if not handle and _plain_word_needs_colon(sep, value):
            continue
        yield _candidate("telegram", value, m.start(), m.end(), 1)
    for m in _TELEGRAM_AT.finditer(text) if at else ():
        if m.group(1).isalpha() and len(m.group(1)) < 6:
            continue  # "@Apple 怎么写": a chat mention of a nickname, not a username
        yield _candidate("telegram", m.group(1), m.start(), m.end(), 2)
    for m in _TELEGRAM_LINK.finditer(text) if "/" in text else ():  # t.me/, tg://
        yield _candidate("telegram", m.group(1) or m.group(2), m.start(), m.end(), 0)
    for m in _URL_SCHEME.finditer(text) if "://" in text else ():
        if _TELEGRAM_LINK.match(text, m.start()):
            continue  # https://t.me/name is the Telegram contact name
        value = m.group(1).rstrip(_URL_TRAILING)
        yield _candidate("url", value, m.start(), m.start(1) + len(value), 3)
    for m in _URL_BARE.finditer(text) if "." in text else ():
        host = m.group(1)
        if _TELEGRAM_LINK.match(text, m.start()):
            continue
        if not any(c.isalpha() for c in host.rsplit(".", 1)[0]):
            continue  # 1.5.cn, 0.8.top: numbers, not hosts
        value = (host + m.group(2)).rstrip(_URL_TRAILING)
        yield _candidate("url", value, m.start(), m.start() + len(value), 3)


def _phones(text: str, phones: list[Phone]):
    for phone in phones:
        written = text[phone.start : phone.end]
        mobile = phone.digits.startswith("1")
        if not (mobile or phone.cued or any(c in written for c in " -(")):
            continue  # a bare 0755xxxxxxxx is as likely an order number as a landline
        yield _candidate("phone", phone.digits, phone.start, phone.end, 4)
        window = text[max(0, phone.start - 12) : phone.end + 12]
        if _SAME_NUMBER_WECHAT.search(window):
            yield _candidate("wechat", phone.digits, phone.start, phone.end, 5)


@dataclass(frozen=True)
class Contact:
    type: str
    value: str
    start: int  # where the contact, marker included, is written in the text
    end: int


def contact_spans(text: str, victims: VictimData | None = None) -> list[Contact]:
    """Every contact occurrence in ``text`` with its position (repeats included), for callers
    that mask or cut contacts out of a text, such as the jargon ranker. ``victims`` is
    :func:`nlp.redact.find_victim_data` of the same text, if the caller has it already."""
    folded = fold_width(text)
    marked = list(_marked(folded))
    if victims is None:
        if not marked and not may_hold_phone(folded):
            return []  # no candidate at all: whose numbers are victims' cannot matter
        victims = find_victim_data(text)
    kept: list[Contact] = []
    last_end = -1
    same_span: tuple[int, int] | None = None
    for cand in sorted([*marked, *_phones(folded, victims.phones)]):
        span = (cand.start, cand.end)
        if cand.start < last_end and not (cand.type == "wechat" and span == same_span):
            continue  # overlaps a contact already taken (the earlier, longer, surer one)
        if victims.covers(cand.start, cand.end):
            continue
        kept.append(Contact(cand.type, cand.value, cand.start, cand.end))
        last_end = max(last_end, cand.end)
        same_span = span if cand.type == "phone" else None
    return kept


def find_contacts(text: str) -> list[dict]:
    """``[{"type": "qq"|"wechat"|"telegram"|"phone"|"url", "value": …}]`` in order of
    appearance, each once; nothing from victims' sample records, ID or card numbers."""
    seen: set[tuple[str, str]] = set()
    out = []
    for contact in contact_spans(text):
        key = (contact.type, contact.value.lower())
        if key not in seen:
            seen.add(key)
            out.append({"type": contact.type, "value": contact.value})
    return out
