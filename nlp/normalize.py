"""Bring a seller's text to one spelling before anything reads it.

Posts mix traditional and simplified characters, full-width digits, emoji used as bullets and
Chinese numerals (八块一个, 一千二, 1w条); every later step (offer rules, index tokens) works on
the folded text so that one lexicon entry and one number rule cover all the spellings.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import cn2an
import opencc

from nlp.lexicon import load_lexicon


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Banker's numerals (叁佰伍) are written to dodge keyword filters as much as to prevent forgery.
_FINANCIAL_NUMERALS = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")
_FINANCIAL_CHARS = frozenset("壹贰叁肆伍陆柒捌玖拾佰仟")


def fold(text: str) -> str:
    """Simplified Chinese, half-width (NFKC), lower case. Length may change (NFKC)."""
    if len(text) > REMEMBERED_CHARS:
        return _fold(text)
    return _remembered_fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _t2s().convert(text)
    return text.lower()


# A post is folded twice: by the offer rules, and by the store for its search tokens (title
# and body, as the rules read them) a few hundred posts later, in the same process when one
# worker extracts and stores (two CPUs: crawlers.workers). OpenCC and NFKC cost 100,000
# instructions a fold of a bench post, 6% of extracting and storing it; the folds of the last
# few thousand texts are remembered.
_remembered_fold = functools.lru_cache(maxsize=4096)(_fold)

# The longest text nlp remembers (a fold here, a whole post's extraction in nlp.extract): a
# longer paste rarely repeats and would hold much memory, so it is read each time.
REMEMBERED_CHARS = 2000


def clear_caches() -> None:
    """Forget the texts folded so far (for measurements that must not be helped by repeats)."""
    _remembered_fold.cache_clear()


# Emoji, dingbats, arrows, box drawing, private use, zero-width and variation selectors: sellers
# use them as bullets and to break up words that platforms filter. Keycaps (1️⃣) and circled
# numbers (①) are list bullets, not quantities, so they go before NFKC turns them into digits.
# One pattern, one pass, before NFKC; control characters go the same way.
_DECORATION = re.compile(
    "[0-9#*]\ufe0f?\u20e3|[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]"
    "|[\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2190-\u21ff\u2300-\u23ff\u2500-\u27bf"
    "\u2900-\u2bff\u3030\u303d\ue000-\uf8ff\ufe00-\ufe0f\ufffc\ufffd"
    "\U0001f000-\U0001faff\U000e0000-\U000e007f\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
# Emoji that stand for a word: squared ideographs (🉑收短信, 🈶货, 🈚押金; the others, 🉐 🈹,
# decorate) and the penguin, QQ's mascot (🐧号). The decoration pass puts them back.
# The arrow between an old price and a new one (陌陌1.5→1.4) is read as the words it stands for.
_WORD_EMOJI = {
    "\U0001f251": "可",
    "\U0001f236": "有",
    "\U0001f21a": "无",
    "\U0001f427": "企鹅",
    "\u2192": " 改为 ",
}


def _undecorated(match: re.Match) -> str:
    return _WORD_EMOJI.get(match.group(), " ")


# 1,000 for 35 USDT, $4,200: an ASCII comma between thousands (a Chinese comma, which NFKC
# folds to one, separates words: 10，200个起 stays two numbers).
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3},\d{3}(?:,\d{3})?(?:,\d{3})?(?!\d|,\d)")
# "1、", "2." or "3)" opening a line numbers a list item.
_ENUMERATION = re.compile(r"(?m)^[ \t]*(?:\d{1,2}[.、)]|0\d(?= )|[【\[]\d{1,2}[】\]])[ \t]*(?!\d)")
# Sellers space out words that platforms filter (微 信 号, 拉 人): a space with a lone Chinese
# character on either side joins them again; one between two words (30 一个 月卡) stays.
_CJK_SPACE = re.compile("(?<=[\u4e00-\u9fff])[ \t\u3000](?=[\u4e00-\u9fff])")


# Premium 3 个月 13U, 1 年 25U: a count written apart from its months or years (not 年卡, 年龄).
_COUNT_APART = re.compile(r"(?<=\d) (?=个月|年(?![卡龄]))")

# 微.信.号, 抖·音: dots between characters do what spaces do.
_CJK_DOT = re.compile("(?<=[\u4e00-\u9fff])[.·•・](?=[\u4e00-\u9fff])")
# V 信 号, d 音: the letter of a disguised name spaced from the character it goes with.
_LETTER_SPACE = re.compile(r"(?<![a-z0-9])([vqde])[ \t.](?=[信号音卡码])")


# Latin platform aliases spaced out the same way (v x, W X, d y): two lone letters that
# together are an alias the lexicon knows.
_SPACED_LETTERS = re.compile(r"(?<![a-z0-9])([a-z])[ \t]([a-z])(?![a-z0-9])")


@functools.cache
def _latin_aliases(size: int) -> frozenset[str]:
    """The lexicon's Latin platform aliases ``size`` letters long (vx, dy; xhs, zfb)."""
    return frozenset(w for w in load_lexicon().platform_aliases if w.isascii() and len(w) == size)


# X H S, Z F B, s o u l: three to six lone letters that together are an alias the lexicon knows.
_SPACED_RUN = re.compile(r"(?<![a-z0-9])[a-z](?:[ \t][a-z]){2,5}(?![a-z0-9])")


def _spaced_run(match: re.Match) -> str:
    joined = match.group()[::2]
    return joined if joined in _latin_aliases(len(joined)) else match.group()


def _spaced_alias(match: re.Match) -> str:
    joined = match.group(1) + match.group(2)
    return joined if joined in _latin_aliases(2) else match.group()


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _spaced_out(match: re.Match) -> str:
    text, start, end = match.string, match.start(), match.end()
    lone_left = start < 2 or not _is_cjk(text[start - 2])
    if lone_left and start >= 2 and text[start - 2].isdigit():
        lone_left = False  # 1万 二十块, 3 个: a number's multiplier or classifier, not a lone word
    if lone_left and start >= 3 and text[start - 3].isdigit():
        lone_left = False  # 220 个 半年号: a classifier after a number, not a spaced-out word
    lone_right = end + 1 >= len(text) or not _is_cjk(text[end + 1])
    if (
        lone_right
        and not lone_left
        and text[start - 1] in _CN_NUMERALS
        and text[end] not in _UNIT_CHARS
        and text[end] not in _CN_NUMERALS
    ):
        lone_right = False  # 查 户籍 八十 查 婚姻: a price written out, then the next item
    if lone_left or lone_right or _joins_goods_word(text, start):
        return ""
    return match.group()


_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_MULTIPLIERS = "十百千万亿"
_CN_NUMERALS = frozenset(_CN_DIGITS + _CN_MULTIPLIERS)
# Not the 一 of 统一 / 唯一: 统一五十 is 统一 50, not a numeral 一五十 that reads as nothing.
_CN_RUN = re.compile(f"(?<![统唯])[{_CN_DIGITS}{_CN_MULTIPLIERS}]+")
# 零点八, 一点五: a decimal written in words (八点 alone is a time of day).
_DIGIT_VALUE = {c: n for n, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_CN_DECIMAL = re.compile("([零一两二三四五六七八九十]+)点([零〇一二三四五六七八九]+)")
# 两三百, 四五百: two neighbouring digits before a multiplier are a rough range (300-400).
_CN_ROUGH = re.compile("[一两二三四五六七八九]{2}[十百千万]")
_DIGIT_ORDER = "一两三四五六七八九"  # 两 for 二: 两三百 is 200-300
# A lone numeral is a number only before one of these (八块, 两个月, 十年, 五张).
_UNIT_CHARS = frozenset("u块元蚊毛刀个条张次天日月年周单套台票份件箱只位组号人粉k万千百w")
# Classifiers a bare 百/千/万 counts (百个起 is 100个起, 一小时 十五 千人 is 1000 people).
_COUNTED_CHARS = frozenset("个张条次单套台件份粉人")
_YUAN = "块元蚊"  # the yuan, colloquial and Cantonese: what tenths and halves are written after
_CURRENCY_CHARS = frozenset(_YUAN + "毛u")  # not 刀: 砍价一刀 is one cut
# Numerals after these are ordinals or vague amounts: 第二, 几十, 周五, 星期三, 初一.
_NOT_AFTER = frozenset("几第数周期拜初")

# Every digit-run pattern is anchored at the start of the run ((?<![\d.])): a long run of digits
# is then tried once, not once per digit (which would take quadratic time).
_ARABIC_MULTIPLIED = re.compile(
    r"(?<![\d.])(\d[\d.]*)(?:([kw万千百])|[ ]([万千])(?=[条个张次单元块起人 ]|$))(?![a-z])"
)
# 1 万播放 7, 2 百一个: a one digit written apart from its 万, 千 or 百 (100 万粉号 700 and
# 评论 一条 1.5 千粉号 80, a decimal before it, are two prices; 珍爱 码 2 百合 码 2 names 百合;
# 一块五 千粉: the five is the price's tenths; 百粉8 千粉45: the price of the hundred).
_DIGIT_SPACE_MULTIPLIER = re.compile(
    rf"(?<![\d.{_YUAN}粉])(\d(?:\.\d)?) (?!百合)([万千百])(?=[\u4e00-\u9fff,，。 ]|$)"
    r"(?![万千百亿多余])(?!(?<=\.\d [万千])粉号)"
)
# 1万8, 3千5, 1w8, 1k5: the digit after a multiplier is the next place (18000, 3500), as in 一万八.
_NEXT_PLACE = re.compile(r"(?<![\d.])(\d{1,3})([kw万千])(\d)(?![\d.])")
_VIDEO = re.compile("会员|合租|奈飞|netflix|画质|高清|影视|视频|电视|显示")
# A price per one (一小时25 千人): the 千 after its number begins the next batch.
_PRICED_EACH = ("小时", "一个", "一条", "一张", "一次", "一单", "一天")
_MULTIPLIER = {"k": 1000, "w": 10000, "万": 10000, "千": 1000, "百": 100}
# 3块5 = 3.5 元; the jiao digit must not itself count something (5元1条 is not 5.1).
_YUAN_JIAO = re.compile(
    rf"(?<![\d.])(\d+)([{_YUAN}u])(\d)(?![\d.个条张次天单套台票份件箱只位组号人粉a-z])"
)
# In a post about 砍价, 一刀 is one cut (砍一刀 names the service itself).
_CUT = re.compile("(?:(?<=[0-9])|(?<=(?<!砍)一))( ?)刀")
# 宝妈2毛 车主8分: in a post that prices in 毛, a lone digit before 分 is fen (not 8 points).
_FEN = re.compile(r"(?<![\d.一二两三四五六七八九十])([1-9一二两三四五六七八九])分(?![钟数之期])")
_JIAO = re.compile(r"(?<![\d.])(\d) ?毛(?!\d)")
_JIAO_FEN = re.compile(r"(?<![\d.])(\d)毛(\d)(?![\d.])")  # 1毛5 = 0.15


@functools.cache
def _protected_prefixes() -> dict[str, tuple[str, ...]]:
    """Lexicon words that start with a numeral (四件套, 一手, 百合网, 千粉号) stay words."""
    lex = load_lexicon()
    found: dict[str, list[str]] = {}
    for word in lex.words:
        if word and word[0] in _CN_DIGITS + _CN_MULTIPLIERS and len(word) > 1:
            found.setdefault(word[0], []).append(word)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in found.items()}


def _period_price(text: str, start: int, run: str) -> bool:
    """包周三百, 一周两千: a price per week, not a weekday (周三) — a period word before 周 and a
    multiplier in the numeral."""
    return text[start - 2 : start - 1] in ("包", "按", "每", "一") and any(
        ch in _CN_MULTIPLIERS for ch in run
    )


def _after_digit(text: str, start: int) -> bool:
    """1万条, 1 万张: the numeral multiplies the whole number before it (as
    ``_ARABIC_MULTIPLIED`` reads it), not a price before it (1.3 百个起)."""
    if start and text[start - 1].isdigit():
        return True
    # only the few characters before: searching from the text's start would make a post of
    # many numerals quadratic
    m = _INTEGER_BEFORE.search(text, max(0, start - 16), start)
    return m is not None and text[start] in "万千"


_INTEGER_BEFORE = re.compile(r"(?<![\d.])\d+ $")


def _format_number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _numeral(match: re.Match) -> str:
    run, text, start, end = match.group(), match.string, match.start(), match.end()
    if len(run) > 12:
        return run  # no price is written with a dozen numerals; do not parse a paste of them
    tail = ""
    if (
        len(run) > 1
        and run[-1] == "一"
        and text[end : end + 1] in _UNIT_CHARS
        and text[end : end + 1] not in _CURRENCY_CHARS  # 十一块: eleven yuan
    ):
        run, tail, end = run[:-1], "一", end - 1  # 两百一个 is 200 a piece, not 210
    elif (
        len(run) > 2
        and run[-1] == "两"
        and run[-2] in _CN_MULTIPLIERS
        and text[end : end + 1] in _CURRENCY_CHARS
    ):
        run, tail, end = run[:-1], " 2", end - 1  # 点赞一百两块: 100 for 2 yuan (120 is 一百二)
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if after == " " and text[end + 1 : end + 2] in _CURRENCY_CHARS:
        after = text[end + 1]  # 三 u, 八 块: the currency written apart
    if before in _NOT_AFTER or after == "几":
        if not (before == "周" and _period_price(text, start, run)):
            return run
    for word in _protected_prefixes().get(run[0], ()):
        if text.startswith(word, start):
            return run + tail
    if len(run) == 1:
        if run in "百千万亿":
            if run != "亿" and after in _COUNTED_CHARS and not _after_digit(text, start):
                return str(_MULTIPLIER[run]) + tail  # 百个起, 千张起拿: a hundred, a thousand
            return run + tail
        jiao = (
            before in _CURRENCY_CHARS
            and after not in _UNIT_CHARS  # 三毛一条, 8块一张: per one, not tenths
            and start >= 2
            and (text[start - 2].isdigit() or text[start - 2] in _CN_DIGITS + _CN_MULTIPLIERS)
        )
        if run == "一" and after not in _CURRENCY_CHARS and not jiao:
            return run  # 一个, 一张: "per one", read by the offer rules
        if after not in _UNIT_CHARS and not jiao:
            return run + tail
    elif _CN_ROUGH.fullmatch(run) and _DIGIT_ORDER.find(run[1]) == _DIGIT_ORDER.find(run[0]) + 1:
        low, high = (cn2an.cn2an(d.replace("两", "二") + run[2], "normal") for d in run[:2])
        return f"{_format_number(float(low))}-{_format_number(float(high))}" + tail  # 四五百
    elif not any(ch in _CN_MULTIPLIERS for ch in run):
        return run + tail  # 一二线, 三五个: not a number a seller would write this way
    try:
        value = cn2an.cn2an(run, "normal")
    except (ValueError, KeyError, IndexError):
        return run + tail
    number = _format_number(float(value))
    if before.isdigit():
        number = " " + number  # 一年号70两年号110: 70 and 2 must not run together as 702
    if after.isdigit() and not tail:
        number += " "  # 点赞一万50: ten thousand for 50, not 1000050
    return number + tail


_YUAN_HALF = re.compile(rf"(?<![\d.])(\d+)[{_YUAN}]半")


def _yuan_jiao(match: re.Match) -> str:
    """3块5 → 3.5元, 1u5 → 1.5u: the tenths written after the currency."""
    whole, currency, tenths = match.groups()
    return f"{whole}.{tenths}{'u' if currency == 'u' else '元'}"


def _next_place(match: re.Match) -> str:
    multiplier = _MULTIPLIER[match.group(2)]
    return _format_number(int(match.group(1)) * multiplier + int(match.group(3)) * multiplier // 10)


def _multiplied(match: re.Match) -> str:
    if match.group(3) and match.string.endswith(_PRICED_EACH, 0, match.start()):
        return match.group()  # 100人一小时25 千人一小时180: a price, then a thousand people
    if match.group(2) == "k" and match.group(1) in ("2", "4", "8") and _VIDEO.search(match.string):
        return match.group()  # 奈飞 会员 4K 独享: a picture's resolution, not 4000
    try:
        value = float(match.group(1))
    except ValueError:  # 1.2.3k: a version, not an amount
        return match.group()
    return _format_number(value * _MULTIPLIER[match.group(2) or match.group(3)])


# A price list read off a picture writes 0 as the letter O: 36O, 1OO个, O.9 (not o2o, not 4s).
_OCR_ZERO = re.compile(r"(?<![a-z_\d])(\d+)(o+)(?![a-z\d])|(?<![a-z_\d])o(?=\.\d)")


def _zeros(match: re.Match) -> str:
    if match.group(1) is None:
        return "0"
    return match.group(1) + "0" * len(match.group(2))


# 2024 Q3: a quarter of a year (read as the year, 2024年), not a QQ number 3.
_QUARTER = re.compile(r"(?<=20\d\d) ?q[1-4](?![0-9a-z])")


def normalize(text: str) -> str:
    """The folded text with bullets, decoration and Chinese numerals turned into plain ASCII.

    Line structure is kept (offer rules read line-broken menus); decoration becomes a space so
    that it still separates what it separated.
    """
    return write_numbers(clean(text))


def clean(text: str) -> str:
    """Folded text without decoration, list numbering or spaced-out characters; numbers as
    written."""
    if not text.isascii():
        text = _DECORATION.sub(_undecorated, text)
    if "," in text:
        text = _THOUSANDS.sub(lambda m: m.group().replace(",", ""), text)
    if "24/7" in text:
        text = text.replace("24/7", " ")  # around the clock, not 24 per 7
    text = fold(text)
    if "o" in text:
        text = _OCR_ZERO.sub(_zeros, text)
    if "q" in text:
        text = _QUARTER.sub("年", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ENUMERATION.sub("", text)
    if "." in text or "·" in text or "•" in text or "・" in text:
        text = _CJK_DOT.sub("", text)
    if " " in text or "\t" in text or "\u3000" in text:
        text = _LETTER_SPACE.sub(r"\1", text)
        text = _CJK_SPACE.sub(_spaced_out, text)
        text = _SPACED_RUN.sub(_spaced_run, text)
        text = _SPACED_LETTERS.sub(_spaced_alias, text)
        if " 个月" in text or " 年" in text:
            text = _COUNT_APART.sub("", text)
    return text


@functools.cache
def _long_goods_words() -> frozenset[str]:
    return frozenset(w for w in load_lexicon().goods_terms if len(w) >= 4)


def _joins_goods_word(text: str, at: int) -> bool:
    """公民 信息, 人脸 视频: the space at ``at`` splits a goods word written as two words (by
    writers who space every word); two words that make no goods word stay apart."""
    left = text[max(0, at - 4) : at]
    right = text[at + 1 : at + 5]
    words = _long_goods_words()
    for a in range(2, len(left) + 1):
        if not _is_cjk(left[-a]):
            break
        for b in range(2, len(right) + 1):
            if not _is_cjk(right[b - 1]):
                break
            if left[-a:] + right[:b] in words:
                return True
    return False


# 每万, 每千: one of a place, not the word; 每万20 keeps its price apart (每一万 20).
_PER_PLACE = re.compile("每([百千万])(?!$)")


def _per_place(match: re.Match) -> str:
    apart = " " if match.string[match.end() : match.end() + 1].isdigit() else ""
    return f"每一{match.group(1)}{apart}"


def _decimal(match: re.Match) -> str:
    try:
        whole = cn2an.cn2an(match.group(1), "normal")
    except (ValueError, KeyError, IndexError):
        return match.group()
    tenths = "".join(str(_DIGIT_VALUE[c]) for c in match.group(2))
    return f"{_format_number(float(whole))}.{tenths}"


def write_numbers(text: str) -> str:
    """Chinese, banker's and multiplied numerals as plain numbers (三块五 → 3.5元, 1w → 10000)."""
    if not _FINANCIAL_CHARS.isdisjoint(text):
        text = text.translate(_FINANCIAL_NUMERALS)
    if "点" in text:
        text = _CN_DECIMAL.sub(_decimal, text)
    if "每" in text:
        text = _PER_PLACE.sub(_per_place, text)  # 每万 20: per ten thousand
    if _CN_RUN.search(text):
        text = _CN_RUN.sub(_numeral, text)
    if any(ch in text for ch in "kw万千百"):
        if " 万" in text or " 千" in text or " 百" in text:
            text = _DIGIT_SPACE_MULTIPLIER.sub(r"\1\2", text)
        text = _NEXT_PLACE.sub(_next_place, text)
        text = _ARABIC_MULTIPLIED.sub(_multiplied, text)
    if not _CURRENCY_CHARS.isdisjoint(text):
        text = _YUAN_JIAO.sub(_yuan_jiao, text)
    if "半" in text:
        text = _YUAN_HALF.sub(r"\1.5元", text)  # 三块半, 五蚊半: and a half
    if "刀" in text and "砍" in text:
        text = _CUT.sub(r"\1个", text)  # 砍价 0.3一刀 100 刀 15: cuts counted, not US dollars
    if "毛" in text and "分" in text:
        text = _FEN.sub(lambda m: f"0.0{_DIGIT_VALUE.get(m.group(1), m.group(1))}元", text)
    if "毛" in text:
        text = _JIAO_FEN.sub(lambda m: f"0.{m.group(1)}{m.group(2)}元", text)
        text = _JIAO.sub(lambda m: f"0.{m.group(1)}元", text)
    return text
