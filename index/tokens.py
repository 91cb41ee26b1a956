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


def document_tokens(*texts: str | None) -> str:
    """The indexed text of a post (title and body): its tokens joined by spaces.

    Both backends index this string with a whitespace-only tokenizer (FTS5, the
    ``whitespace`` analyzer), so the segmentation is ours and the same on both.
    """
    return " ".join(index_tokens("\n".join(t for t in texts if t)))
