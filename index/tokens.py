"""The index tokens of a text: what full-text search matches on.

Posts and queries must be split the same way, or a query for 微信老号 never meets the posts
that contain it; so every backend, for documents and for queries, goes through
:func:`index_tokens`: the extractor's own segmentation (jieba with the heishi lexicon),
normalised and lower-cased, without punctuation.
"""

from __future__ import annotations

from nlp import tokens


def index_tokens(text: str | None) -> list[str]:
    return tokens(text or "")
