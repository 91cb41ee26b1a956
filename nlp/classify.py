"""Listing or talk: a trained linear model over jieba words and the lexicon's cues.

Rules find what looks like an offer (a goods word, a platform, a number with a currency); they
cannot tell a seller's post from a warning that quotes the scammer's price, a victim's complaint,
a court report or a live-stream gift. Those differ in the words *around* the offer (骗子, 判处,
退款, 直播间), and which words matter is learnt from labelled posts (``nlp/data/``), not written
as rules. The model is logistic regression over binary features:

- ``w:`` jieba words of the post (the project's tokenizer: lexicon words stay whole);
- ``k:`` pairs of adjacent token kinds as the offer rules read them (goods then a price, …);
- ``g:``/``c:``/``s:`` goods kinds, the lexicon's talk cues (news, warning, rule…) and sides;
- ``b:`` pairs of adjacent characters (Chinese and Latin letters), which carry words jieba cuts
  differently or does not know;
- ``o:`` what the rules made of the post: offers with and without price, a seller's contact,
  a question, an explicit 出/收, and its size.

It runs only on posts the rules found offers in (the rest are talk already), and its weights
live in a small JSON file (``model/listing.json``), so inference needs no scikit-learn and costs
a dictionary look-up per feature. ``nlp.train`` writes that file; its ``version`` (a digest of
the weights) is part of ``EXTRACTOR_VERSION``, so offers are re-extracted when it changes.
"""

from __future__ import annotations

import functools
import json
import math
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from nlp import scan as sc
from nlp.listing import is_question
from nlp.native import PACKAGE
from nlp.segment import cut

# The package's folder, not this file's: compiled (nlp/native.py), this module lives elsewhere.
MODEL_PATH = PACKAGE / "model" / "listing.json"
FORMAT = "heishi-listing-model/1"

_LATIN = re.compile("[a-z]+")
# Characters whose pairs are ``b:`` features: strangers' posts use words jieba cuts differently
# or never saw, and pairs of characters carry them across (checked by training on all writers
# but one and testing on that one: 97.5% -> 98.2% of posts with offers told apart).
_NOT_LETTERS = re.compile("[^\u4e00-\u9fffa-z]+")
# Token kinds that say nothing by themselves; left out of the kind pairs.
_QUIET_KINDS = frozenset([sc.SPACE, sc.OTHER])


@dataclass(frozen=True)
class ListingModel:
    version: str
    bias: float
    weights: dict[str, float]
    threshold: float = 0.5

    def probability(self, features: Iterable[str]) -> float:
        """P(listing) for a post with these features (unknown features weigh nothing)."""
        z = self.bias + sum(map(self.weights.get, set(features), repeat(0.0)))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def is_listing(self, features: Iterable[str]) -> bool:
        return self.probability(features) >= self.threshold

    def as_json(self) -> dict:
        return {
            "format": FORMAT,
            "version": self.version,
            "bias": self.bias,
            "threshold": self.threshold,
            "weights": dict(sorted(self.weights.items())),
        }


def read_model(path: Path) -> ListingModel:
    """The model in ``path``; a file of another format is an error naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read listing model: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a listing model (format {FORMAT!r})")
    return ListingModel(
        version=str(data["version"]),
        bias=float(data["bias"]),
        weights={str(k): float(v) for k, v in data["weights"].items()},
        threshold=float(data.get("threshold", 0.5)),
    )


@functools.cache
def load_model() -> ListingModel:
    """The packaged model, read once per process."""
    return read_model(MODEL_PATH)


def _bucket(n: int, edges: tuple[int, ...]) -> int:
    for k, edge in enumerate(edges):
        if n < edge:
            return k
    return len(edges)


def words(text: str, tokens: list[sc.Token]) -> list[str]:
    """``w:`` features: the post's words as the project's jieba tokenizer would cut it.

    The scanner has already found the lexicon's words (which that tokenizer keeps whole), so
    jieba cuts only the text between them: the same words for an eighth of the work.
    """
    out = []
    gaps = []
    opening = None  # the first word: 出, 收, 曝光, 据
    for tok in tokens:
        if tok.kind == sc.OTHER:
            gaps.append(text[tok.start : tok.end])
            if opening is None:
                opening = ""  # the first gap's first word
        elif tok.kind not in (sc.NUM, sc.SEP, sc.SPACE):
            out.append("w:" + text[tok.start : tok.end])
            if opening is None:
                opening = out[-1][2:]
    if gaps:
        for word in cut(" ".join(gaps)):
            if not word.isspace() and not word.isdigit() and word != sc.MASK:
                out.append("w:" + word)
                if opening == "":
                    opening = word
    if opening:
        out.append("f:" + opening)
    return out


def features(
    text: str,
    tokens: list[sc.Token],
    priced: int,
    unpriced: int,
    cues: set[str],
    explicit_side: bool,
    has_contact: bool,
) -> list[str]:
    """The features of a post: ``text`` as the rules read it (normalised, contacts masked) and
    its scanned ``tokens``; the rest is what the offer rules found in it."""
    out = words(text, tokens)
    previous = "^"
    for tok in tokens:
        kind = tok.kind
        if kind in _QUIET_KINDS:
            continue
        if kind == sc.NUM:
            kind = "cur" if tok.currency else "num"
        out.append(f"k:{previous}>{kind}")
        previous = kind
        roles = tok.roles
        if sc.GOODS in roles:
            out.append(f"g:{roles[sc.GOODS]}")
        if sc.SIDE in roles:
            out.append(f"s:{roles[sc.SIDE]}")
        if sc.CUE in roles:
            out.append(f"c:{roles[sc.CUE]}")
    out.append(f"k:{previous}>$")
    out.append(f"o:priced{min(priced, 3)}")
    out.append(f"o:unpriced{min(unpriced, 2)}")
    if has_contact:
        out.append("o:contact")
    if explicit_side:
        out.append("o:side")
    if cues:
        out.append("o:cue")
    if is_question(text):
        out.append("o:question")
    letters = _NOT_LETTERS.sub("", text)
    out.extend(map("b:".__add__, map(operator.add, letters, letters[1:])))
    out.append(f"o:len{_bucket(len(text), (12, 30, 60, 120, 250, 500))}")
    out.append(f"o:lines{_bucket(text.count(chr(10)) + 1, (2, 3, 6, 12))}")
    if sum(map(len, _LATIN.findall(text))) * 2 > len(text):
        out.append("o:latin")  # research and news written in English
    return out
