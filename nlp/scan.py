"""Read normalised post text as a flat stream of typed tokens for the offer rules.

The offer rules need to know, at every place in a post, "a platform name", "a price with its
currency", "a count of things", "per one", "a comma"… This module finds those by longest match
against the lexicon (all terms compiled into one trie-shaped regular expression, so the engine
picks a branch per character instead of trying every term) and by a small number reader; one
search per token, so the cost is one pass over the text.

Contacts (QQ numbers, WeChat ids, @handles, links, phone numbers), victims' identity and card
numbers however grouped, and sample records are masked first: their digits are not prices and
their markers (微信：, Q) are not platforms on offer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from nlp.lexicon import load_lexicon
from nlp.redact import MASKED, SPACED_DIGITS, SPACED_ID, id_and_card_spans

MASK = "\ue000"  # stands for a masked contact; reads as a space
NO_ROLES: Mapping = MappingProxyType({})  # the roles of a token that is no lexicon word

# Token kinds.
NUM, GOODS, PLAT, SIDE, CLS, PER, PERIOD, NULLP, CUE = (
    "num",
    "goods",
    "plat",
    "side",
    "cls",
    "per",
    "period",
    "nullp",
    "cue",
)
CAP, MEASURE, RENT, MINQ, SPAN, HEAD = "cap", "measure", "rent", "minq", "span", "head"
QI, GE, RANGE, ATTR, SLASH, SEP, SPACE, LIST, OTHER = (
    "qi",
    "ge",
    "range",
    "attr",
    "slash",
    "sep",
    "space",
    "list",
    "other",
)

HARD_SEPARATORS = frozenset(",.;!?:，。；！？：\n()[]{}<>【】《》〈〉「」『』\"'“”‘’|=")
SOFT_SEPARATORS = frozenset(" \t\u3000" + MASK)
LIST_SEPARATORS = frozenset("、&")
LIST_WORDS = ("和", "与", "及", "跟")
ATTR_WORDS = ("带", "含", "送", "加", "配", "附", "+", "赠", "包")
RANGE_WORDS = ("-", "~", "至", "到", "—", "–")
# Classifiers and period words that may follow 一/每// to say "per one".
PER_PREFIXES = ("一", "每", "/", "/1")

CURRENCY_WORDS = {
    "元": "CNY",
    "块": "CNY",
    "块钱": "CNY",
    "米": "CNY",
    "圆": "CNY",
    "蚊": "CNY",  # Cantonese: 八十蚊
    "人民币": "CNY",
    "r": "CNY",
    "rmb": "CNY",
    "y": "CNY",
    "泰达": "USDT",
    "泰达币": "USDT",
    "u": "USDT",
    "usdt": "USDT",
    "美元": "USD",
    "美金": "USD",
    "刀": "USD",
    "usd": "USD",
    "人仔": "CNY",  # Cantonese: 50 人仔
    "$": "USD",  # 4$ 一个: the sign written after the amount
    "¥": "CNY",  # 220¥
}
CURRENCY_PREFIXES = {"¥": "CNY", "$": "USD", "us$": "USD", "rmb": "CNY"}

CONTACT_MARKERS = (
    "微信号",
    "微信",
    "威信",
    "薇信",
    "v信",
    "vx",
    "wx",
    "v",
    "薇",
    "卫星",
    "qq号",
    "qq",
    "q",
    "扣扣",
    "企鹅",
    "tg",
    "飞机",
    "纸飞机",
    "电报",
    "telegram",
    "频道",
    "群号",
    "群",
    "电话",
    "手机",
    "手机号",
    "tel",
    "联系",
    "联系方式",
    "whatsapp",
    "ws",
    "line",
    "邮箱",
    "email",
    "官网",
    "网址",
    "网站",
    "链接",
    "地址",
)
_CONTACT_MARKERS_LONGEST = tuple(sorted(CONTACT_MARKERS, key=len, reverse=True))
_ASCII_RUN = re.compile(r"[a-z0-9_.@/*#-]+")
_SPACED_PHONE = re.compile(r"(?<!\d)1\d{2}[ -]\d{4}[ -]\d{4}(?!\d)")
_TLDS = frozenset(
    "com cn net org top xyz me io cc vip info club site shop online co tv app link ru hk tw biz "
    "pro fun ltd icu live store work cloud asia in jp uk de us".split()
)
# A line that shows sample records (样料) quotes victims' data, not offers.
_SAMPLE_LINE_STARTS = ("样料", "样本", "样例", "样图", "预览", "示例", "试料:", "样品:")


class Token:
    """One thing the offer rules read: a word with its roles, a number, a separator."""

    __slots__ = ("kind", "start", "end", "value", "currency", "roles")

    def __init__(
        self,
        kind: str,
        start: int,
        end: int,
        value: Any = None,  # goods/platform/side id, unit, number
        currency: str | None = None,  # NUM only
        roles: Mapping = NO_ROLES,  # every role of a lexicon word
    ):
        self.kind = kind
        self.start = start
        self.end = end
        self.value = value
        self.currency = currency
        self.roles = roles

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.start}, {self.end}, {self.value!r})"


# -- masking ------------------------------------------------------------------------------------


def _is_number_with_currency(text: str) -> bool:
    i = 0
    while i < len(text) and (text[i].isdigit() or text[i] == "."):
        i += 1
    return 0 < i and text[0].isdigit() and (text[i:] in CURRENCY_WORDS or text[i:] == "")


@functools.cache
def _alias_prefixes() -> frozenset[str]:
    lex = load_lexicon()
    return frozenset(
        [w for w in lex.platform_aliases if w.isascii()]
        + [w for w in lex.goods_terms if w.isascii()]
        + ["u", "usdt", "rmb", "usd"]
    )


def _ascii_run_is_contact(run: str) -> bool:
    """A run of ASCII that identifies a person or site rather than saying a price."""
    if not run:
        return False
    if "@" in run:
        return sum(map(str.isalnum, run.rsplit("@", 1)[-1])) >= 3  # not a bare @ mention
    if "://" in run or run.startswith("www."):
        return True
    if "*" in run:
        return any(ch.isdigit() for ch in run)
    if run.count("-") >= 2 or run.count("/") >= 2:
        return any(ch.isdigit() for ch in run)  # dates 2024-01-02, 1/2/2024
    if "/" in run:
        head, _, tail = run.partition("/")
        if "." in head and head.rsplit(".", 1)[-1] in _TLDS:
            return True  # t.me/name, site.com/path
    if "." in run:
        last = run.rstrip(".").rsplit(".", 1)[-1]
        if last in _TLDS and any(ch.isalpha() for ch in run.split(".", 1)[0]):
            return True
    digits = sum(map(str.isdigit, run))
    if digits >= 7 and run.isdigit():
        return True  # phone or QQ number
    head, dash, tail = run.partition("-")
    if dash and head[:1] == "0" and 3 <= len(head) <= 4 and 7 <= len(tail) <= 8:
        return head.isdigit() and tail.isdigit()  # a landline, 0755-12345678
    if run[0].isalpha() and (digits or "_" in run):
        head = _letter_head(run)
        rest = run[len(head) :]
        if head in _alias_prefixes() and rest and rest[0].isdigit() and "_" not in rest:
            return not _is_number_with_currency(rest.split("/")[0].split("-")[0])
        # V4.5, dy0.7: a name, then its price; no id of a chat app holds a decimal point
        return not _DECIMAL.fullmatch(rest)
    return False


def _letter_head(run: str) -> str:
    """The letters an ASCII run opens with (v of v138, dy of dy0.7)."""
    letters = 0
    while letters < len(run) and run[letters].isalpha():
        letters += 1
    return run[:letters]


def too_short_for_an_id(run: str) -> bool:
    """30, vx, u, cs2: a price, an alias, a unit or a game's name, too short to be anyone's id;
    v138 (an alias, then digits) is a marker written against a number, and counts."""
    if len(run) >= 5 or not run.isalnum():
        return False
    if run.isdigit() or run.isalpha():
        return True
    head = _letter_head(run)
    return bool(head) and head not in _alias_prefixes()


# An amount with a decimal part or a currency written against it: never a contact.
_PRICE_RUN = re.compile(r"\d{1,6}(?:\.\d{1,4}[a-z]{0,4}|[a-z]{1,4})")
_MARKER_GAP = frozenset(" \t:=：-" + MASK)  # between a marker and its contact


def _run_start(chars: list[str], pos: int, jumps: dict[int, int]) -> int:
    """Where the run of gap characters (separators, masked contacts) ending at ``pos``
    starts. ``jumps`` remembers runs already walked, so a post of ten thousand contacts in a
    row is walked once, not once per contact (chars only ever become gap characters, so what
    it remembers stays true)."""
    i, walked = pos, []
    while i > 0 and chars[i - 1] in _MARKER_GAP:
        walked.append(i)
        i = jumps[i] if i in jumps else i - 1
    for p in walked:
        jumps[p] = i
    return i


def _marker_before(chars: list[str], start: int, jumps: dict[int, int]) -> tuple[int, int]:
    """``(begin, end)`` of the contact marker (微信：, Q, 飞机) written just before the contact
    at ``start``, gap characters and earlier contacts between (``(-1, -1)`` if none)."""
    i = _run_start(chars, start, jumps)
    window = "".join(chars[max(0, i - 8) : i])
    for marker in _CONTACT_MARKERS_LONGEST:
        if window.endswith(marker):
            begin = i - len(marker)
            if (
                marker.isascii()
                and begin > 0
                and chars[begin - 1].isascii()
                and chars[begin - 1].isalnum()
            ):
                continue
            return begin, i
    return -1, -1


def mask_contacts(text: str) -> tuple[str, bool]:
    """``text`` with contacts and their markers replaced by MASK characters (same length), and
    whether one of them is how to reach a seller (a marked id, an @handle, a phone number) rather
    than a link or an e-mail address in passing.

    Linear in the number of contacts: the marker of each is looked for over gap runs that
    :func:`_run_start` remembers, and the gaps between markers and contacts are masked in one
    pass at the end."""
    spans = [m.span() for m in _SPACED_PHONE.finditer(text)]
    if " " in text and SPACED_DIGITS.search(text):
        spans += [m.span(2) for m in SPACED_ID.finditer(text)]
    for m in _ASCII_RUN.finditer(text):
        run = m.group()
        if too_short_for_an_id(run):
            continue
        if _PRICE_RUN.fullmatch(run):
            continue  # 119.0u, 46.9, 30块: an amount, not an id
        start, end = m.span()
        if _ascii_run_is_contact(run.strip("._-/")):
            spans.append((start, end))
        elif run.isdigit() and len(run) >= 5:
            # 5-6 digit QQ numbers only count after a QQ marker.
            before = text[max(0, start - 6) : start].rstrip(" :：")
            if before.endswith(("q", "qq", "扣扣", "企鹅", "群", "qq号")):
                spans.append((start, end))
    victims = id_and_card_spans(text)  # 110105 1949 1231 002X: not three prices
    if not spans and not victims:
        return text, False
    seller = False
    chars = list(text)
    for start, end in victims:
        for k in range(start, end):
            chars[k] = MASK
    if not spans:
        return "".join(chars), False
    for start, end in spans:
        for k in range(start, end):
            chars[k] = MASK
        run = text[start:end]
        seller = seller or run.startswith("@") or (run.replace(" ", "").replace("-", "").isdigit())
    jumps: dict[int, int] = {}
    gaps = [0] * (len(chars) + 1)  # +1 where a gap to mask opens, -1 where it closes
    first = len(chars)  # where the first gap opens: nothing before it is masked by the pass
    for start, _ in sorted(spans):
        begin, end = _marker_before(chars, start, jumps)
        if begin < 0:
            continue
        seller = True
        for k in range(begin, end):  # the marker reads as a gap for the contacts after it
            chars[k] = MASK
        gaps[end] += 1
        gaps[start] -= 1
        first = min(first, end)
    depth = 0
    for k in range(first, len(chars)):
        depth += gaps[k]
        if depth > 0:
            chars[k] = MASK
    return "".join(chars), seller


def drop_sample_lines(text: str) -> str:
    """Lines of victims' sample data (样料：…, or 王** 1986 杭州 138****2210 under it) show what
    is sold; their numbers (a birth year, a phone number) are no prices."""
    lines = text.split("\n")
    kept = [
        ""
        if line.lstrip(" \t[【(").startswith(_SAMPLE_LINE_STARTS)
        or ("*" in line and MASKED.search(line))
        else line
        for line in lines
    ]
    return "\n".join(kept)


# -- lexicon index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    roles: dict[str, dict]  # term -> {role: value}
    kinds: dict[str, str | None]  # term -> the token kind it reads as (None: a neutral word)


@functools.cache
def lexicon_index() -> Index:
    lex = load_lexicon()
    roles: dict[str, dict] = {}

    def add(term: str, role: str, value: object) -> None:
        roles.setdefault(term, {})[role] = value

    for term, gid in lex.goods_terms.items():
        goods, _, platform = gid.partition("@")
        add(term, GOODS, goods)
        if platform:
            add(term, PLAT, platform)
    for term, pid in lex.platform_aliases.items():
        add(term, PLAT, pid)
    for term, side in lex.sides.items():
        add(term, SIDE, side)
    for term, (kind, unit) in lex.units.items():
        if kind in ("classifier", "period"):
            add(term, CLS, unit)
        elif kind == "capacity":
            add(term, CAP, True)
        elif kind == "measure":
            add(term, MEASURE, True)
        elif kind == "minimum":
            add(term, MINQ, unit or "before")  # 满100张 (before) / 100张以上 (after)
    for term, unit in lex.periods.items():
        add(term, PER if term[0] in "一每" else PERIOD, unit)
        if term[0] in "一每":
            add(term, SPAN, True)  # 一场, 一小时: per a span of time or an event, not per thing
    for term in lex.null_price:
        add(term, NULLP, True)
    for term, why in lex.not_listing.items():
        add(term, CUE, why)
    for term in lex.neutral:
        roles.setdefault(term, {})
    for term in lex.rent:
        add(term, RENT, True)
    for term, goods in lex.heads.items():
        add(term, HEAD, goods)
    counted = [t for t, (kind, _) in lex.units.items() if kind in ("classifier", "period")]
    for prefix in PER_PREFIXES:
        for term in counted:
            unit = lex.units[term][1]
            add(prefix + term, PER, unit)
    for word in LIST_WORDS:
        add(word, LIST, True)
    for word in ATTR_WORDS:
        add(word, ATTR, word)
    for word in RANGE_WORDS:
        add(word, RANGE, True)
    add("起", QI, True)
    add("各", GE, True)
    add("/", SLASH, True)
    kinds = {
        term: next((k for k in _KIND_ORDER if k in found), None) for term, found in roles.items()
    }
    return Index(roles, kinds)


# Precedence among the roles of one word when the offer rules need a single kind.
_KIND_ORDER = (
    PER,
    PERIOD,
    NULLP,
    MEASURE,
    MINQ,
    CAP,
    GOODS,
    HEAD,
    PLAT,
    SIDE,
    CLS,
    CUE,
    LIST,
    ATTR,
    RANGE,
    QI,
    GE,
    SLASH,
)


def _ascii_word_ok(text: str, start: int, end: int) -> bool:
    """ASCII aliases (tt, q, ks) count only as whole words: not inside 'attention'."""
    if start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
        return False
    if end < len(text) and text[end].isascii() and text[end].isalpha():
        return False
    return True


# -- numbers ------------------------------------------------------------------------------------


_DIGITS = re.compile("[0-9]+")


# A month and day (11/30, 2026/11/30 is read by its parts): both whole, a month then a day.
_DATE = re.compile(r"(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])(?![\d.个条张次单套台件份])")


def _end(pattern: re.Pattern, text: str, at: int) -> int:
    """Where ``pattern`` stops when matched at ``at``: a run of digits where a digit is, or
    a tail that may be empty; neither can fail."""
    match = pattern.match(text, at)
    assert match is not None
    return match.end()


def _read_number(text: str, i: int) -> tuple[Token | None, int]:
    """The number at ``i`` with an attached currency, or (None, end) for junk like 4s or 10:30."""
    n = len(text)
    j = _end(_DIGITS, text, i)
    if j + 1 < n and text[j] == "." and "0" <= text[j + 1] <= "9":
        j = _end(_DIGITS, text, j + 1)
    raw = text[i:j]
    end = j
    if j - i > 12 or (raw[0] == "0" and len(raw) >= 3 and raw.isdigit()):
        return None, j  # absurdly long, or 0101 (a menu's item number): an id, not an amount
    if j < n and text[j] == ":" and j + 1 < n and text[j + 1].isdigit():
        k = j
        while k + 1 < n and text[k] == ":" and text[k + 1].isdigit():
            k = _end(_DIGITS, text, k + 1)
        return None, k  # a time of day, 12:16 or 12:16:34
    date = _DATE.match(text, i) if j < n and text[j] == "/" else None
    if date is not None:
        return None, date.end()  # a date, 11/30: not 11 per 30
    if j < n and text[j] in "%‰":
        return None, j + 1
    currency = None
    k = j
    while k < n and k - j < 1 and text[k] == " ":
        k += 1
    if k < n and text[k].isascii() and text[k].isalpha():
        m = k
        while m < n and text[m].isascii() and text[m].isalpha():
            m += 1
        word = text[k:m]
        if word in CURRENCY_WORDS and not (
            word == "u" and (text[m : m + 1] == "盾" or (k > j and text[m : m + 1] == "结"))
        ):  # U盾 is a bank key; 12000 U结也行 1800U: paid in U, the number after says how much
            currency, end = CURRENCY_WORDS[word], m
        elif k == j:
            # 4s店, 5g, 64gb: a model name, not an amount; 71c8c40: a code, read whole
            return None, _end(_WORD_TAIL, text, m)
    else:
        for size in (3, 2, 1):
            word = text[k : k + size]
            if word in CURRENCY_WORDS:  # not a letter here: 元, 块钱, 人仔, $ (4$ 一个), ¥
                # 日租400 圆通 日租350: the courier named after the price, not 400 圆; aged 2018
                # $1.5: the sign of the amount after it
                if text[k : k + size + 1] not in _platforms_after_currency() and not (
                    word in CURRENCY_PREFIXES and text[k + size : k + size + 1].isdigit()
                ):
                    currency, end = CURRENCY_WORDS[word], k + size
                break
    value = float(raw)
    if i > 0 and currency is None:
        p = i - 1
        while p > 0 and text[p] == " ":
            p -= 1
        for prefix, code in CURRENCY_PREFIXES.items():
            if text.startswith(prefix, p - len(prefix) + 1) and (
                prefix != "rmb" or p - 3 < 0 or not text[p - 3].isalpha()
            ):
                currency = code
                break
    return Token(NUM, i, end, value, currency), end


# -- scanner ------------------------------------------------------------------------------------


# Alternatives tried in turn at one level of the trie before they are split into groups.
_FANOUT = 8


def _trie_pattern(terms: list[str]) -> str:
    """A regular expression that matches the longest of ``terms`` at a position.

    The terms are nested as a trie (接码(?:平台)?|…), so at each level the alternatives start
    with different characters. The regex engine still tries a level's alternatives one by one,
    and the first level has hundreds (a character that starts no term, most of a post, was
    compared with each): a level of many is split into a few groups, each behind a look-ahead
    for the characters its alternatives start with, and so on down. A position is then tried
    against a few dozen alternatives, not hundreds; as the alternatives start with different
    characters, at most one can match, and the matches are the same.
    """
    trie: dict = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = True

    def join(branches: list[tuple[str, str]]) -> str:
        if len(branches) <= _FANOUT:
            return "|".join(body for _, body in branches)
        size = -(-len(branches) // _FANOUT)
        groups = [branches[i : i + size] for i in range(0, len(branches), size)]
        return "|".join(
            "(?=[" + "".join(re.escape(ch) for ch, _ in group) + "])(?:" + join(group) + ")"
            for group in groups
        )

    def build(node: dict) -> str:
        branches = [(ch, re.escape(ch) + build(child)) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1:
            body = branches[0][1]
            if "" in node:
                return body + "?" if len(body) == 1 else "(?:" + body + ")?"
            return body
        return "(?:" + join(branches) + ")" + ("?" if "" in node else "")

    return build(trie)


@functools.cache
def _token_pattern() -> re.Pattern:
    """Terms (longest first), numbers, ASCII words and separators; anything else is a gap."""
    roles = lexicon_index().roles
    non_alpha = [t for t in roles if not (t.isascii() and t.isalpha())]
    hard = "".join(re.escape(ch) for ch in sorted(HARD_SEPARATORS))
    soft = "".join(re.escape(ch) for ch in sorted(SOFT_SEPARATORS))
    lists = "".join(re.escape(ch) for ch in sorted(LIST_SEPARATORS))
    return re.compile(
        f"(?P<term>{_trie_pattern(non_alpha)})"
        "|(?P<num>[0-9]+)"  # the whole run, so its digits are not matched one by one
        "|(?P<word>[a-z]+)"
        f"|(?P<soft>[{soft}]+)"
        f"|(?P<hard>[{hard}])"
        f"|(?P<list>[{lists}])"
    )


@functools.cache
def _platforms_after_currency() -> frozenset[str]:
    """Platform names made of a currency word and one character more (圆通): looked up once,
    not in the lexicon at every price."""
    roles = lexicon_index().roles
    return frozenset(
        term for term, found in roles.items() if PLAT in found and term[:-1] in CURRENCY_WORDS
    )


_WORD_TAIL = re.compile("[a-z0-9_]*")
_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")  # V4.5: a name, then its price


def scan(text: str) -> list[Token]:
    """Tokens of normalised, masked ``text``; characters no rule knows become OTHER runs.

    One pass of the token pattern finds the things of interest; the text between two of them is
    one OTHER token. A number may take the currency after it and an unknown ASCII id its digits,
    so matches inside what they took are skipped. ASCII aliases (tt, q, ks) count only as whole
    words, so the letters of 'attention' never read as Tantan.
    """
    index = lexicon_index()
    roles, kinds = index.roles, index.kinds
    out: list[Token] = []
    append = out.append
    pos = 0
    for m in _token_pattern().finditer(text):
        start, end = m.span()
        if start < pos:
            continue  # inside a number's currency or an id already read
        if start > pos:
            append(Token(OTHER, pos, start))
        group = m.lastgroup
        if group == "term" or group == "word":
            term = text[start:end]
            found = roles.get(term)
            if found is None:
                if not _DECIMAL.match(text, end):  # V4.5: a letter, then its price
                    end = _end(_WORD_TAIL, text, end)  # an unknown id such as abc123
                append(Token(OTHER, start, end))
            else:
                kind = kinds[term]
                if kind is None:  # a neutral word, with what roles it has (租金: rent)
                    append(Token(OTHER, start, end, None, None, found))
                else:
                    append(Token(kind, start, end, found[kind], None, found))
        elif group == "num":
            token, end = _read_number(text, start)
            append(Token(OTHER, start, end) if token is None else token)
        elif group == "soft":
            append(Token(SPACE, start, end))
        elif group == "hard":
            append(Token(SEP, start, end, text[start]))
        else:
            append(Token(LIST, start, end))
        pos = end
    if pos < len(text):
        append(Token(OTHER, pos, len(text)))
    return out
