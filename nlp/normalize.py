"""Bring a seller's text to one spelling before anything reads it.

Posts mix traditional and simplified characters, full-width digits, emoji used as bullets and
disguised platform names; every later step (segmenter, offer rules, index tokens) works on the
folded text so one lexicon entry covers all the spellings.
"""

from __future__ import annotations

import functools
import unicodedata

import opencc


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Simplified Chinese, half-width (NFKC), lower case. Length may change (NFKC)."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _t2s().convert(text)
    return text.lower()
