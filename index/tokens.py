"""The index tokens of a text: what full-text search matches on.

Posts and queries must be split the same way, or a query for 微信老号 never meets the posts
that contain it; so both go through :func:`index_tokens`. The extractor's tokeniser
(``nlp.tokens``: jieba with the heishi lexicon) is the one to use; until it is importable, plain
``jieba.lcut`` keeps search working with slightly coarser words.
"""

from __future__ import annotations

from collections.abc import Callable


def _resolve() -> Callable[[str], list[str]]:
    try:
        import nlp

        tokens = getattr(nlp, "tokens", None)
        if tokens is not None and not callable(tokens):  # a module nlp.tokens
            tokens = getattr(tokens, "tokens", None)
        if callable(tokens):
            return tokens
    except ImportError:
        pass
    import jieba

    jieba.setLogLevel(60)
    return lambda text: jieba.lcut(text)


_tokens: Callable[[str], list[str]] | None = None


def index_tokens(text: str) -> list[str]:
    """Words of ``text`` worth indexing, lower-cased, without punctuation or blanks."""
    global _tokens
    if _tokens is None:
        _tokens = _resolve()
    words = []
    for token in _tokens(text or ""):
        token = token.strip().lower()
        if token and any(ch.isalnum() for ch in token):
            words.append(token)
    return words
