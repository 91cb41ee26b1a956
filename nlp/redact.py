"""Victims' numbers: find them, and mask them before a post reaches the index.

A listing of stolen data shows a few records as a sample (样料, 预览, "如下:") so buyers can
judge freshness. Those identity numbers, bank cards and phone numbers belong to victims; the
index must not hold them in clear, and the contact extractor must never take them for the
seller. Both questions are answered here, once: :func:`find_victim_data` is the only detector,
:func:`redact` masks what it finds and :mod:`nlp.contacts` skips it.

A number is replaced by a keyed token, ``[ID:3f9a1c2e7b]``: the first 10 hex digits of
HMAC-SHA256(key, digits). The same victim then correlates across posts and sources while the
number itself cannot be read back, nor brute-forced from the 11-digit phone space without the
key. The key comes from the caller; the pipeline reads it from ``$HEISHI_REDACT_KEY`` (keep it
out of the index and of the evidence store).

Every pattern here is linear: bounded repetitions, no nested quantifiers, lines scanned once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import phonenumbers

REDACT_KEY_ENV = "HEISHI_REDACT_KEY"

# Full-width ASCII (１３８，：Ｑ) to half-width, every other space (ideographic, no-break, thin…)
# to a space and every dash or minus sign to "-". One character for one, so positions found in
# the folded text are positions in the original.
_FOLD = (
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
    | dict.fromkeys(map(chr, (0x3000, 0xA0, 0x1680, 0x202F, 0x205F, *range(0x2000, 0x200B))), " ")
    | dict.fromkeys(map(chr, (*range(0x2010, 0x2016), 0x2212, 0xFE58, 0xFE63)), "-")
)
# The characters to fold, found by one search: translating with a dict looks every character
# up (a new integer each), and a post has a few of them at most (，：！), half the cost.
_FOLDABLE = re.compile("[" + "".join(map(re.escape, sorted(_FOLD))) + "]")
# Characters that show nothing: zero-width spaces and joiners, direction marks, soft hyphens,
# variation selectors, Hangul and Braille blanks, tags, control characters other than line
# breaks and tabs. "110105\u200b19491231002X" reads as one identity number to a person, so it
# must to the detector too: they are taken out of the text the detector reads (see
# :func:`visible`), and positions are mapped back to the text as given.
INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f"
    "\ufeff\uffa0\ufff0-\ufffb\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def visible(text: str) -> tuple[str, list[int] | None]:
    """``text`` without :data:`INVISIBLE` characters, and where each of its characters is in
    ``text`` (None when nothing was taken out: positions are the same)."""
    if INVISIBLE.search(text) is None:
        return text, None
    kept = [i for i, ch in enumerate(text) if not INVISIBLE.match(ch)]
    return "".join(text[i] for i in kept), kept
# "扣扣 二零四九三八五七六一": numbers spelt digit by digit to slip past filters. Five such
# digits in a row are a number, not prose (一一 or 三四 alone are words).
_SPELT_DIGITS = re.compile("[零〇一二三四五六七八九]{5,}")
_SPELT = str.maketrans("零〇一二三四五六七八九", "00123456789")
# A character that is, or folds into, a digit: a text with fewer than _FEWEST_DIGITS of them
# holds no victim's number (a landline or a 400 number has 10 digits, a mobile 11, a card 12
# or more). Titles, authors and price fields rarely reach that: they are not scanned at all.
_MAY_HOLD_DIGIT = re.compile(r"[\d零〇一二三四五六七八九]")
_FEWEST_DIGITS = 10


def _folded(match: re.Match[str]) -> str:
    return _FOLD[match.group()]


def fold_width(text: str) -> str:
    """``text`` with full-width ASCII made half-width and digits spelt in characters made
    digits; the same length, so a position in the result is a position in ``text``."""
    text = _FOLDABLE.sub(_folded, text)
    if _SPELT_DIGITS.search(text):
        text = _SPELT_DIGITS.sub(lambda m: m.group().translate(_SPELT), text)
    return text


# -- numbers ------------------------------------------------------------------------------

# An identity number however it is grouped (6-8-4, 6-4-4-4, 3-3-4-4-4, digit by digit), with
# up to three spaces, dashes or dots between digits; the checksum decides.
_ID_SEP = r"[ .-]{0,3}"
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])\d(?:" + _ID_SEP + r"\d){16}" + _ID_SEP + r"[0-9Xx](?![0-9A-Za-z])"
)
# An old 15-digit number has no check digit: only its own 6-6-3 grouping, or a price list
# (12.5 13.8 …) could pass for one.
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{6}[ -]?\d{6}[ -]?\d{3}(?![0-9A-Za-z])")
# Bank cards start 2-6 or 9 (Mastercard 2-series, Amex/JCB, Visa, Mastercard, UnionPay 62,
# old domestic 9xxx); written in one run or in groups of four.
_CARD = re.compile(
    r"(?<![0-9A-Za-z])(?:[2-69]\d{12,18}|[2-69]\d{3}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?)"
    r"(?![0-9A-Za-z])"
)
_PHONE = re.compile(
    r"(?<![0-9A-Za-z_+])(?:"
    r"(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}"  # mobile, 3-4-4
    r"|(?:\(0\d{2,3}\)|0\d{2,3})[ -]?[2-9]\d{6,7}"  # landline with area code
    r"|[48]00[ -]?\d{3}[ -]?\d{4}"  # 400 / 800 service numbers
    r")(?![0-9A-Za-z_])"
)
_GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_GB11643_CHECK = "10X98765432"


def digits_of(number: str) -> str:
    """The digits (and an ID's final X) of a number as written: what is hashed and compared."""
    return re.sub(r"[^0-9X]", "", number.upper())


def _valid_birth(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= date.today().year


def is_id_number(number: str) -> bool:
    """A resident identity number: 18 digits with a valid GB 11643 check character, or an old
    15-digit one with a plausible region and birth date (those carry no check digit)."""
    d = digits_of(number)
    if len(d) == 18 and d[:17].isdigit():
        total = sum(int(c) * w for c, w in zip(d[:17], _GB11643_WEIGHTS, strict=True))
        return _GB11643_CHECK[total % 11] == d[17] and _valid_birth(d[6:14]) and d[0] in "12345678"
    if len(d) == 15 and d.isdigit():
        return d[0] in "12345678" and _valid_birth("19" + d[6:12])
    return False


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def is_card_number(number: str) -> bool:
    d = digits_of(number)
    return d.isdigit() and 13 <= len(d) <= 19 and luhn_ok(d)


@lru_cache(maxsize=1 << 16)  # a page of 10,000 numbers asks of each one several times
def phone_digits(number: str) -> str | None:
    """A Chinese phone number as digits, without +86, or None if it is not a valid one."""
    d = digits_of(number)
    for prefix in ("0086", "86"):
        if d.startswith(prefix) and len(d) == len(prefix) + 11 and d[len(prefix)] == "1":
            d = d[len(prefix) :]
    try:
        parsed = phonenumbers.parse(d, "CN")
    except phonenumbers.NumberParseException:
        return None
    return d if phonenumbers.is_valid_number(parsed) else None


@dataclass(frozen=True)
class Phone:
    start: int
    end: int
    digits: str
    cued: bool  # the poster introduced it (电话, 手机, 联系, V …): a contact, unless in a record


# What a poster writes in front of their own number. Kept here, beside the detector that needs
# it; :mod:`nlp.contacts` builds its typed patterns from the same words.
# Matched ignoring case ("qq号", "Vx", "tg"); traditional spellings too (微信號, 電報).
QQ_MARKERS = (
    "QQ号", "QQ號", "Q号", "Q號", "QQ", "扣扣", "扣 扣", "抠抠", "摳摳", "企鹅号", "企鹅", "企鵝",
    "🐧", "Q", "扣", "kou",
)  # fmt: skip
WECHAT_MARKERS = (
    "微信号", "微信號", "微信联系", "微信聯繫", "微信咨询", "微信", "wechat", "VX号", "VX號", "VX",
    "V信", "WX", "薇信", "薇", "威信", "卫星号", "卫星", "衛星", "绿泡泡", "綠泡泡", "加微", "V",
    "微 信", "V 信", "薇 信", "威 信", "蔚信", "蔚 信",  # spaced to slip past platform filters
    "威",  # 威：zck8997 (only with a colon, see nlp.contacts)
)  # fmt: skip
TELEGRAM_MARKERS = ("纸飞机", "紙飛機", "飞机", "飛機", "电报", "電報", "telegram", "TG", "✈️", "✈")
PHONE_MARKERS = (
    "联系电话", "聯繫電話", "电话", "電話", "手机号", "手機號", "手机", "手機", "联系方式",
    "聯繫方式", "联系", "聯繫", "聯系", "热线", "熱線", "致电", "致電", "拨打", "撥打", "同号",
    "tel", "call", "☎️", "☎", "📞", "📱",
)  # fmt: skip


def alternation(words) -> str:
    """A pattern for any of ``words``, the longest first, behind a look-ahead for the
    characters they start with.

    The regex engine tries the words one by one at every position of a text (case folded,
    for the markers), and the look-ahead lets a position that starts none of them, most of a
    post, fail on one test instead of on every word. Matches are the same: the look-ahead only
    refuses positions no word could match at.
    """
    firsts = "".join(re.escape(ch) for ch in sorted({w[0] for w in words}))
    longest_first = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return f"(?=[{firsts}])(?:{longest_first})"


# 扣扣：3 0 9 4 8 8 1 2 6, V 1 3 8 …: an id written digit by digit to slip past filters.
# SPACED_DIGITS is the cheap test for whether a text can hold one at all.
SPACED_DIGITS = re.compile(r"\d \d \d \d \d")
SPACED_ID = re.compile(
    rf"(?<![A-Za-z0-9_])({alternation(QQ_MARKERS + WECHAT_MARKERS)})[ \t:：]{{0,3}}"
    r"([1-9](?: \d){4,10})(?![\d])",
    re.IGNORECASE,
)


_ANY_MARKER = alternation(QQ_MARKERS + WECHAT_MARKERS + TELEGRAM_MARKERS + PHONE_MARKERS)
# A marker right before a number, with up to six separators or emoji between.
_CUED_BEFORE = re.compile(
    r"(?:" + _ANY_MARKER + r")[\s:：=＝\-~～>→/()（）\u2190-\u21ff\u2600-\u27bf\ufe0f"
    r"\U0001f000-\U0001faff]{0,6}$",
    re.IGNORECASE,
)
_CUED_ID = re.compile(
    r"(?<![A-Za-z0-9_])(?:" + _ANY_MARKER + r")[\s:：=＝\-~～>→\u2600-\u27bf\ufe0f"
    r"\U0001f000-\U0001faff]{0,6}@?[A-Za-z0-9][A-Za-z0-9_\-]{3,}",
    re.IGNORECASE,
)


def may_hold_phone(text: str) -> bool:
    """Whether folded ``text`` has something written like a phone number (not yet checked)."""
    return _PHONE.search(text) is not None


def find_phones(text: str) -> list[Phone]:
    """Valid Chinese phone numbers in folded ``text``, each marked cued or not."""
    found = []
    for m in _PHONE.finditer(text):
        digits = phone_digits(m.group())
        if digits is None:
            continue
        cued = _CUED_BEFORE.search(text, max(0, m.start() - 12), m.start()) is not None
        found.append(Phone(m.start(), m.end(), digits, cued))
    return found


def _valid_matches(pattern: re.Pattern, text: str, valid) -> Iterable[re.Match]:
    """Matches of ``pattern`` that ``valid`` accepts, not overlapping. A match it refuses does
    not hide one that starts inside it ("1 110105 1949 1231 002X": the 18 digits from the first
    1 fail the checksum, those from the second are the number), so the search goes on from the
    next character rather than from the end of the refused match."""
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        if valid(m.group()):
            yield m
            pos = m.end()
        else:
            pos = m.start() + 1


def _find_ids_and_cards(text: str) -> list[tuple[str, int, int]]:
    if sum(map(str.isdigit, text)) < 12:
        return []  # the shortest, a card in groups of four (4-4-4), has 12 digits
    found = [("id", m.start(), m.end()) for m in _valid_matches(_ID18, text, is_id_number)]
    ids = Spans((s, e) for _, s, e in found)
    found += [
        ("id", m.start(), m.end())
        for m in _valid_matches(_ID15, text, is_id_number)
        if not ids.touches(m.start(), m.end())
    ]
    ids = Spans((s, e) for _, s, e in found)
    found += [
        ("card", m.start(), m.end())
        for m in _valid_matches(_CARD, text, is_card_number)
        if not ids.touches(m.start(), m.end())
    ]
    return sorted(found, key=lambda f: f[1])


def id_and_card_spans(text: str) -> list[tuple[int, int]]:
    """Where identity and bank card numbers are in ``text`` (however grouped): always victims'
    data, never a price or a count, whoever wrote them."""
    return [(s, e) for _, s, e in _find_ids_and_cards(fold_width(text))]


class Spans:
    """Disjoint sorted intervals; "does [start, end) touch any?" in log time (posts can hold
    thousands of numbers, and a quadratic check would be the slow part of a 1 MB dump)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def touches(self, start: int, end: int) -> bool:
        i = bisect_left(self.ends, start + 1)  # first interval ending after start
        return i < len(self.starts) and self.starts[i] < end

    def contains(self, start: int, end: int) -> bool:
        i = bisect_left(self.ends, end)  # first interval ending at or after end
        return i < len(self.starts) and self.starts[i] <= start

    def __iter__(self):
        return iter(zip(self.starts, self.ends, strict=True))


# -- where the victims' data is -----------------------------------------------------------

# "样料：", "【样本】", "样料👇", "样料" at a line end, "例：", "如下" — a sample follows.
# "可看样料 Q 123" (samples on request) has none of those and starts nothing.
_SAMPLE_MARK = re.compile(
    r"(?:样料|样本|样例|样板|样图|样数据|试料|数据样|预览|示例|部分数据|数据展示|料子展示|"
    r"例如|例子|举例|比如|例)[\u4e00-\u9fff]{0,4}?(?:[:：】\]]|[ \t]*[👇⬇↓][\ufe0f]?|[ \t]*(?=\n))"
    r"|如下[:：]?"
)
# The poster turning to the reader: "需要的联系", "咨询", "加我" — no victim record says that.
_CALL_TO_ACTION = re.compile(
    r"联系|咨询|详询|需要的|要的|有意|私聊|私我|找我|加我|加好友|客服|下单|订购|欢迎|老板们?[,，:：]"
)
_CLAUSE_BREAK = re.compile(r"[,，。；;！!？?\s]")
# Names of the fields of a person's record: "姓名：…" in a row, or a table header "姓名|手机|地址".
FIELD_NAMES = (
    "姓名", "名字", "性别", "年龄", "生日", "出生日期", "出生", "身份证号码", "身份证号", "身份证",
    "证件号", "住址", "地址", "户籍", "手机号码", "手机号", "手机", "电话号码", "电话", "号码",
    "密码", "卡号", "开户行", "银行卡号", "银行卡", "余额", "额度", "贷款金额", "金额", "逾期",
    "收件人", "寄件人", "单号", "车牌号", "车牌", "车架号", "公司", "职位", "学历", "QQ号", "QQ",
    "微信号", "微信", "账号", "邮箱", "省份", "城市", "籍贯", "民族", "学校", "车型", "快递单号",
)  # fmt: skip
_FIELD_LABEL = re.compile(r"(" + alternation(FIELD_NAMES) + r")\s{0,2}[:：]")
_HEADER_SPLIT = re.compile(r"[|,，\t/、\s]+")
_FIELD_NAME_SET = frozenset(FIELD_NAMES)
_CONTACT_LABELS = frozenset(
    {"手机号码", "手机号", "手机", "电话号码", "电话", "QQ号", "QQ", "微信号", "微信"}
)
_ACCOUNT_ROW = re.compile(r"(?<![A-Za-z0-9@._])[A-Za-z0-9@._]{4,}-{3,}\S")  # 2049385761----pass123
# Tokens of an earlier redaction: a redacted record still reads as a record, so that contacts
# found in a stored (redacted) text are the ones found before.
REDACTED_TOKEN = re.compile(r"\[(?:ID|CARD|PHONE):[0-9a-f]{10}\]")  # what token() writes
_ID_OR_CARD_TOKEN = re.compile(r"\[(?:ID|CARD):[0-9a-f]{10}\]")
_PHONE_TOKEN = re.compile(r"\[PHONE:[0-9a-f]{10}\]")
_WORD_CHARS = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")
_LONG_DIGITS = re.compile(r"(?<!\d)\d{7,}(?!\d)")
_ROW_SPLIT = re.compile(r"-{3,}|\||\t|,|，| {2,}|/")
_ADDRESS = re.compile(r"[\u4e00-\u9fff]{1,8}(?:省|市|区|县|镇|乡|村|路|街|巷|号楼|小区)")
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤欧常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)


# 138****5621, 4403**********1234, 广东深圳***, and masked names: 张**, 李*华.
MASKED = re.compile(
    r"\d\*{3,}\d|(?<!\d)\d{3,}\*{3,}|(?<!\*)\*{3,}\d{3,}|[\u4e00-\u9fff]\*{3,}"
    r"|(?<![\u4e00-\u9fff])[" + "".join(sorted(_SURNAMES)) + r"]\*{1,2}"
    r"(?:[\u4e00-\u9fff](?![\u4e00-\u9fff*]))?(?![\u4e00-\u9fff*])"
)
# What every match of a pattern searched line by line needs (":" as well for "：", which
# fold_width makes ":"). A text without it is not searched at all: most posts have no "*", no
# "---" and no token of an earlier redaction, and each search of each line costs as much as
# a search of the whole text.
_NEEDS = (
    (MASKED, "*"),
    (_ACCOUNT_ROW, "---"),
    (_ID_OR_CARD_TOKEN, "["),
    (_PHONE_TOKEN, "["),
    (_FIELD_LABEL, ":"),
)


# "张老板 138…", "李经理": how a seller signs, not a victim's name.
_TITLES = ("老板", "经理", "总", "哥", "姐", "先生", "女士", "老师", "师傅", "客服")


def _is_name(field: str) -> bool:
    field = field.strip()
    return (
        2 <= len(field) <= 4
        and field[0] in _SURNAMES
        and all("\u4e00" <= c <= "\u9fff" or c == "*" for c in field)
    )


@dataclass
class VictimData:
    """What :func:`find_victim_data` found in a text (positions index the text as given)."""

    numbers: list[tuple[str, int, int]]  # ("id" | "card" | "phone", start, end), in order
    regions: Spans  # sample blocks and record rows: nothing in them is a contact
    phones: list[Phone]  # every valid phone number outside ID and card numbers, victim or not

    number_spans: Spans = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.number_spans = Spans((s, e) for _, s, e in self.numbers)

    def covers(self, start: int, end: int) -> bool:
        """True when [start, end) touches victims' data."""
        return self.regions.touches(start, end) or self.number_spans.touches(start, end)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # before the line break


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for piece in text.splitlines(keepends=True):
        body = piece.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        out.append(_Line(pos, pos + len(body)))
        pos += len(piece)
    return out or [_Line(0, 0)]


def _cut_at_call_to_action(text: str, start: int, end: int) -> int:
    """Where the poster starts talking to the reader in text[start:end] (else ``end``)."""
    m = _CALL_TO_ACTION.search(text, start, end)
    if m is None:
        return end
    cut = m.start()
    while cut > start and not _CLAUSE_BREAK.match(text, cut - 1):
        cut -= 1
    return cut


class _Scan:
    """One pass over a text: numbers first, then per line whether it is a record."""

    def __init__(self, text: str):
        view, self._where = visible(text)
        self.text = fold_width(view)
        self.ids_cards = _find_ids_and_cards(self.text)
        taken = Spans((s, e) for _, s, e in self.ids_cards)
        self.phones = [p for p in find_phones(self.text) if not taken.touches(p.start, p.end)]
        self._phone_starts = [p.start for p in self.phones]
        self._id_card_starts = [s for _, s, _ in self.ids_cards]
        self.lines = _lines(self.text)
        self._searched = {pattern for pattern, needed in _NEEDS if needed in self.text}

    def _finditer(self, pattern: re.Pattern, start: int, end: int):
        """``pattern.finditer`` over text[start:end], or nothing when the text lacks what
        every match needs (see _NEEDS)."""
        if pattern not in self._searched:
            return ()
        return pattern.finditer(self.text, start, end)

    def _phones_in(self, start: int, end: int) -> list[Phone]:
        i = bisect_left(self._phone_starts, start)
        out = []
        while i < len(self.phones) and self.phones[i].end <= end:
            out.append(self.phones[i])
            i += 1
        return out

    def _ids_cards_in(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect_left(self._id_card_starts, start)
        out = []
        while i < len(self.ids_cards) and self.ids_cards[i][2] <= end:
            out.append(self.ids_cards[i][1:])
            i += 1
        return out

    def record_signals(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans in text[start:end] that only a victim's record has."""
        t = self.text
        strong = self._ids_cards_in(start, end)
        strong += [m.span() for m in self._finditer(MASKED, start, end)]
        strong += [m.span() for m in self._finditer(_ACCOUNT_ROW, start, end)]
        strong += [m.span() for m in self._finditer(_ID_OR_CARD_TOKEN, start, end)]
        labels = list(self._finditer(_FIELD_LABEL, start, end))
        if len(labels) >= 2 and any(m.group(1) not in _CONTACT_LABELS for m in labels):
            value_end = _CLAUSE_BREAK.search(t, labels[-1].end() + 1, end)
            strong += [(labels[0].start(), value_end.start() if value_end else end)]
        bare_phones = self._bare_phones_in(start, end)
        if (strong or bare_phones) and self._is_data_row(start, end):
            strong.append((start, end))
        if strong:
            strong += bare_phones
        return strong

    def _bare_phones_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """Phones nobody introduced as theirs, and phones an earlier redaction replaced."""
        spans = [(p.start, p.end) for p in self._phones_in(start, end) if not p.cued]
        spans += [
            m.span()
            for m in self._finditer(_PHONE_TOKEN, start, end)
            if not self._cued_at(m.start())
        ]
        return spans

    def _is_data_row(self, start: int, end: int) -> bool:
        """张三,13800138000,广东省深圳市…: three fields or more, one a name or a place (the
        caller has seen a bare phone or another record field on the line)."""
        if _CALL_TO_ACTION.search(self.text, start, end):
            return False
        # A phone is one field however it is spaced ("138 0013 8000"), as is its token.
        pieces, pos = [], start
        for p in self._phones_in(start, end):
            pieces += [self.text[pos : p.start], "#"]
            pos = p.end
        line = "".join(pieces) + self.text[pos:end]
        if _PHONE_TOKEN in self._searched:
            line = _PHONE_TOKEN.sub("#", line)
        fields = [f for f in _ROW_SPLIT.split(line) if f.strip()]
        if len(fields) < 3:
            fields = line.split()
        if len(fields) < 3:
            return False
        if any(f.strip().endswith(_TITLES) for f in fields):
            return False  # the poster signing: "张老板 138… 深圳华强北"
        return any(_is_name(f) or _ADDRESS.search(f) for f in fields)

    def is_contact_only(self, start: int, end: int) -> bool:
        return _CUED_ID.search(self.text, start, end) is not None

    def classify(self, start: int, end: int) -> str:
        """ "blank", "talk" (poster to reader), "record", "contact" or "other"."""
        segment = self.text[start:end]
        if not segment.strip():
            return "blank"
        if _CALL_TO_ACTION.search(segment):
            return "talk"
        if (
            self.record_signals(start, end)
            or self._bare_phones_in(start, end)
            or any(
                not self._cued_at(m.start()) for m in _LONG_DIGITS.finditer(self.text, start, end)
            )
        ):
            return "record"
        if self.is_contact_only(start, end):
            return "contact"
        return "other"

    def _cued_at(self, pos: int) -> bool:
        return _CUED_BEFORE.search(self.text, max(0, pos - 12), pos) is not None

    def _sample_marks(self) -> list[tuple[int, int]]:
        """Spans after which a sample begins: marker words, and whole table-header lines."""
        marks = [m.span() for m in _SAMPLE_MARK.finditer(self.text)]
        for line in self.lines:
            if self._is_record_header(line):
                marks.append((line.start, line.end))
        return sorted(marks)

    def _is_record_header(self, line: _Line) -> bool:
        """姓名 | 手机号 | 身份证 | 地址: the head of a table of people."""
        cells = [c for c in _HEADER_SPLIT.split(self.text[line.start : line.end]) if c]
        return len(cells) >= 2 and all(c.upper() in _FIELD_NAME_SET for c in cells)

    def sample_blocks(self) -> list[tuple[int, int]]:
        """样料/预览/如下 and the record lines after it, up to the poster's next own words."""
        blocks: list[tuple[int, int]] = []
        done_until = -1
        line_index = 0
        for mark_start, mark_end in self._sample_marks():
            if mark_start < done_until:
                continue
            while self.lines[line_index].end < mark_start:
                line_index += 1
            line = self.lines[line_index]
            cut = _cut_at_call_to_action(self.text, mark_end, line.end)
            block_start, block_end = mark_end, cut
            kind = self.classify(block_start, cut)
            if kind == "contact":  # "样本：QQ 123": ask that contact for samples
                block_end = block_start
            saw_record = kind == "record"
            i = line_index + 1
            if cut == line.end:
                while i < len(self.lines):
                    nxt = self.lines[i]
                    kind = self.classify(nxt.start, nxt.end)
                    if kind == "record":
                        block_end, saw_record = nxt.end, True
                    elif not (kind == "blank" and not saw_record):
                        break
                    i += 1
            if block_end > block_start:
                blocks.append((block_start, block_end))
            done_until = self.lines[i - 1].end + 1 if i - 1 > line_index else line.end
            line_index = i - 1
        return blocks

    def record_rows(self) -> list[tuple[int, int]]:
        """Lines outside samples that hold records: from the first record field to the last
        (a seller's QQ after a card number in "四件套 卡号… Q 123" stays outside)."""
        if not self._may_hold_records():
            return []
        rows = []
        for line in self.lines:
            end = _cut_at_call_to_action(self.text, line.start, line.end)
            signals = self.record_signals(line.start, end)
            if signals:
                rows.append((min(s for s, _ in signals), max(e for _, e in signals)))
        return rows

    def _may_hold_records(self) -> bool:
        """Whether some line may give a signal of :meth:`record_signals`, seen from the whole
        text at once: an ID or card number, a phone nobody introduced, a masked number or
        name, an account row or a token (each needs its character, see _NEEDS), or two field
        labels on a line (each needs a ":"). Most posts have none, and are not searched line
        by line."""
        return bool(
            self.ids_cards
            or any(not p.cued for p in self.phones)
            or any(pattern is not _FIELD_LABEL for pattern in self._searched)
            or self.text.count(":") >= 2
        )

    def _listed_phones(self) -> set[Phone]:
        """Bare numbers on lines that hold little else (at most a short name beside them)."""
        listed: set[Phone] = set()
        if not self.phones:
            return listed
        for line in self.lines:
            phones = [p for p in self._phones_in(line.start, line.end) if not p.cued]
            if not phones:
                continue
            words = len(_WORD_CHARS.findall(self.text, line.start, line.end))
            numbers = sum(len(digits_of(self.text[p.start : p.end])) for p in phones)
            if words - numbers <= 4:
                listed.update(phones)
        return listed

    def numbers(self) -> tuple[list[tuple[str, int, int]], Spans]:
        """Victims' numbers and the record regions, in positions of :attr:`text`."""
        regions = Spans(self.sample_blocks() + self.record_rows())
        numbers = list(self.ids_cards)
        listed = self._listed_phones()
        dump = len({p.digits for p in listed}) >= 3  # a list of numbers is data, not contacts
        for p in self.phones:
            if regions.contains(p.start, p.end) or (dump and p in listed):
                numbers.append(("phone", p.start, p.end))
        return sorted(numbers, key=lambda n: n[1]), regions

    def given(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) of :attr:`text` as positions in the text as given (invisible
        characters inside count as part of the span)."""
        if self._where is None:
            return start, end
        if start >= end:
            at = self._where[start] if start < len(self._where) else self._where[-1] + 1
            return at, at
        return self._where[start], self._where[end - 1] + 1

    def victim_data(self) -> VictimData:
        numbers, regions = self.numbers()
        if self._where is None:
            return VictimData(numbers, regions, self.phones)
        return VictimData(
            [(kind, *self.given(s, e)) for kind, s, e in numbers],
            Spans(self.given(s, e) for s, e in regions),
            [Phone(*self.given(p.start, p.end), p.digits, p.cued) for p in self.phones],
        )


def find_victim_data(text: str) -> VictimData:
    """Victims' numbers and the sample/record regions of ``text``."""
    return _Scan(text).victim_data()


def victim_numbers(text: str) -> list[tuple[str, int, int]]:
    """``(kind, start, end)`` of every identity number, bank card and sample phone number."""
    return find_victim_data(text).numbers


def token(kind: str, digits: str, key: bytes) -> str:
    """``[PHONE:3f9a1c2e7b]``: the same number under the same key gives the same token."""
    mac = hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()[:10]
    return f"[{kind.upper()}:{mac}]"


def redact(text: str, key: object) -> str:
    """``text`` with victims' identity, card and phone numbers replaced by keyed tokens.

    Sellers' contacts are left as written. ``key`` is the secret of the deployment (the
    pipeline passes ``$HEISHI_REDACT_KEY`` encoded); without it tokens could be reversed by
    hashing every phone number, so an empty key is refused. (``key`` is typed ``object`` so
    that, compiled, a key of the wrong type meets this check, not a bare TypeError.)
    """
    if not isinstance(key, bytes | bytearray) or not key:
        raise ValueError(f"redaction key must be non-empty bytes (set ${REDACT_KEY_ENV})")
    if len(_MAY_HOLD_DIGIT.findall(text)) < _FEWEST_DIGITS:
        return text  # every number is written with digits (or spelt ones), ten at least
    scan = _Scan(text)
    if not scan.ids_cards and not scan.phones:
        # No victim's number possible: the sample and record regions (the costly part of a
        # scan, which decide which phones are victims') cannot change anything.
        return text
    parts, pos = [], 0
    for kind, start, end in scan.numbers()[0]:
        digits = digits_of(scan.text[start:end])
        if kind == "phone":
            digits = phone_digits(digits) or digits
        start, end = scan.given(start, end)
        parts.append(text[pos:start])
        parts.append(token(kind, digits, bytes(key)))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def redact_all(value, key: object):
    """``value`` with :func:`redact` applied to every string in it, however deeply nested in
    lists and dicts (dict keys included): a post's title, author, price text and extra fields
    are written by the seller as much as its text, and are stored and searched alike."""
    if isinstance(value, str):
        return redact(value, key) if value else value
    if isinstance(value, dict):
        return {redact_all(k, key): redact_all(v, key) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_all(v, key) for v in value)
    return value
