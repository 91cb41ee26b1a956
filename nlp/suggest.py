"""New jargon: words in recent posts that the lexicon lacks but that behave like goods.

Sellers rename their goods every few weeks to stay ahead of platform filters (料子 → 猪肉,
接码 → 卡头 …); a lexicon that is not fed goes blind. A goods word sits where goods words sit:
in the clause that carries a price ("卡头 0.5一条"), a unit ("一条", "/个") and other goods or
platform names, and it recurs across unrelated posts. Common words do all that too, so each
candidate is discounted by how common it is in general Chinese, measured by jieba's own IDF
table (``jieba/analyse/idf.txt``): everyday words sink, 卡头 and 洗料 rise.

The ranking is a suggestion for an analyst, who adds the good ones to ``nlp/lexicon``.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from nlp.contacts import contact_spans
from nlp.lexicon import Lexicon, load_lexicon
from nlp.normalize import normalize
from nlp.redact import REDACTED_TOKEN, find_victim_data
from nlp.segment import tokenizer

# How much each kind of company counts towards "behaves like a goods word".
W_PRICE, W_UNIT, W_GOODS = 0.45, 0.2, 0.35
MIN_POSTS = 2  # a word seen in one post is that seller's, not the market's
SNIPPET = 60

_CLAUSE = re.compile(r"[,，。；;！!？?\n|、]|\s{2,}")
_PRICE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:元|块|圆|米|刀|u|usdt|r)(?![a-z])|[¥$￥]\s*\d|\d+\.\d+"
    r"|\d\s*(?:/|一|每)\s*[\u4e00-\u9fff]"
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CANDIDATE = re.compile(r"[\u4e00-\u9fffa-z]{2,8}")
_SINGLE = re.compile(r"[\u4e00-\u9fffa-z]")
_GOODS_SUFFIXES = frozenset("号卡料粉码群")
_COUNTING = frozenset("一二两三四五六七八九十百千万每几多半起")
# Grammar at a word's edge means jieba glued a particle on (元的, 过的, 再以), not a new word.
_NOT_FIRST = frozenset("的了再以被把将从于和与及或也都就还又才")
_NOT_LAST = frozenset("的了吗呢吧啊")
# Function words and chat filler that the IDF table does not push down far enough.
_STOP = frozenset(
    "的 了 是 我 你 他 她 它 在 有 和 就 不 都 也 这 那 要 可以 一个 什么 没有 我们 你们 他们 大家 "
    "老板 兄弟 兄弟们 各位 朋友 需要 的话 直接 现在 今天 明天 已经 还是 还有 或者 因为 所以 但是 "
    "如果 这个 那个 这些 那些 只要 只有 一下 一点 一些 自己 怎么 为什么 多少 其他 其它 以上 以下 "
    "左右 以及 而且 然后 可能 比较 非常 特别 全部 所有 一直 马上 立即 随时 欢迎 谢谢 你好 在线 "
    "价格 价钱 便宜 优惠 出售 出 收 卖 买".split()
)


@dataclass
class Suggestion:
    """One word the lexicon may be missing."""

    term: str
    score: float
    posts: int  # distinct posts it occurs in
    example: str  # a clause it occurs in, the one with the most goods company
    seen_with: list[str] = field(default_factory=list)  # known goods/platform words beside it

    def as_dict(self) -> dict:
        return {
            "term": self.term,
            "score": round(self.score, 4),
            "posts": self.posts,
            "example": self.example,
            "seen_with": self.seen_with,
        }


@dataclass
class _Tally:
    posts: int = 0
    occurrences: int = 0
    context: float = 0.0  # sum over occurrences of the weighted company
    best: float = -1.0
    example: str = ""
    seen_with: Counter = field(default_factory=Counter)


@functools.cache
def _tfidf():
    """jieba's TF-IDF model, loaded on first use: importing jieba.analyse loads its POS
    dictionary too (half a second), which every ``heishi`` command would otherwise pay."""
    from jieba.analyse import default_tfidf

    return default_tfidf


@functools.cache
def _idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its largest value (words absent from it count as rarest)."""
    freq = _tfidf().idf_freq
    return freq, max(freq.values())


def _unit_pattern(lex: Lexicon) -> re.Pattern:
    words = sorted(lex.units, key=len, reverse=True)
    return re.compile(r"(?:\d|[一每/])\s*(?:" + "|".join(map(re.escape, words)) + ")")


def _masked(text: str) -> str:
    """The post without contacts and victims' data: ids and sample rows are not jargon."""
    data = find_victim_data(text)
    spans = [(c.start, c.end) for c in contact_spans(text, data)]
    spans += list(data.regions) + [(s, e) for _, s, e in data.numbers]
    spans += [m.span() for m in REDACTED_TOKEN.finditer(text)]  # stored posts are redacted
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _words(clause: str, sides: tuple[str, ...]) -> list[str]:
    """jieba words (with its HMM guessing unknown words), plus what it split apart: runs of
    single characters (a coinage jieba has never seen often comes out one character a token:
    蓝 v 号) and a word with the goods suffix after it (老版 + 料, 蓝莓 + 号)."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if 2 <= len(run) <= 4:
            out.append("".join(run))
        elif len(run) == 1 and run[0] in _GOODS_SUFFIXES and out and len(out[-1]) >= 2:
            out.append(out[-1] + run[0])
        run.clear()

    for word in tokenizer().lcut(clause, HMM=True):
        if len(word) == 1 and _SINGLE.match(word):
            run.append(word)
            continue
        flush()
        word = _without_side(word.strip(), sides)
        if word:
            out.append(word)
    flush()
    return out


def _without_side(word: str, sides: tuple[str, ...]) -> str:
    """出卡头 → 卡头: HMM glues the verb of trade to the unknown word after it."""
    for side in sides:
        if word.startswith(side) and len(word) - len(side) >= 2:
            return word[len(side) :]
    return word


def _sides(lex: Lexicon) -> tuple[str, ...]:
    return tuple(sorted((w for w in lex.sides if _HAN.match(w)), key=len, reverse=True))


def _is_candidate(word: str, lex: Lexicon) -> bool:
    return (
        _CANDIDATE.fullmatch(word) is not None
        and (_HAN.search(word) is not None or len(word) >= 3)
        and word not in lex.words
        and word not in _STOP
        and word not in _tfidf().stop_words
        and not all(c in _COUNTING or c in lex.units for c in word)  # 一条, 条起, 每张
        and word[0] not in _NOT_FIRST
        and word[-1] not in _NOT_LAST
    )


def suggest_terms(
    texts: Iterable[str], top: int = 30, *, min_posts: int = MIN_POSTS
) -> list[Suggestion]:
    """The ``top`` words of ``texts`` most likely to be goods jargon the lexicon lacks."""
    lex = load_lexicon()
    goods_words = set(lex.goods_terms) | set(lex.platform_aliases)
    unit = _unit_pattern(lex)
    sides = _sides(lex)
    tallies: dict[str, _Tally] = {}
    for text in texts:
        in_post: set[str] = set()
        for clause in _CLAUSE.split(normalize(_masked(text))):
            clause = clause.strip()
            if not clause:
                continue
            words = _words(clause, sides)
            goods_here = [w for w in words if w in goods_words]
            price = _PRICE.search(clause) is not None
            units = unit.search(clause) is not None
            for word in words:
                if not _is_candidate(word, lex):
                    continue
                company = [g for g in goods_here if g != word]
                weight = W_PRICE * price + W_UNIT * units + W_GOODS * bool(company)
                tally = tallies.setdefault(word, _Tally())
                tally.occurrences += 1
                tally.context += weight
                tally.seen_with.update(company)
                if weight > tally.best:
                    tally.best, tally.example = weight, clause[:SNIPPET]
                in_post.add(word)
        for word in in_post:
            tallies[word].posts += 1
    idf, max_idf = _idf()
    ranked = []
    for word, tally in tallies.items():
        if tally.posts < min_posts or tally.context == 0:
            continue
        rarity = idf.get(word, max_idf) / max_idf
        score = tally.context / tally.occurrences * rarity * math.log2(1 + tally.posts)
        seen_with = [w for w, _ in tally.seen_with.most_common(5)]
        ranked.append(Suggestion(word, score, tally.posts, tally.example, seen_with))
    ranked.sort(key=lambda s: (-s.score, -s.posts, s.term))
    return ranked[:top]
