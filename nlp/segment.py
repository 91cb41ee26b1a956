"""Word segmentation with jieba, taught the black-market lexicon.

A private ``jieba.Tokenizer`` keeps our words out of the process-wide dictionary other code may
use. ``tokens`` is what the index stores and what it splits queries with, so it must give the
same tokens for the same text on every run and machine.
"""

from __future__ import annotations

import functools
import logging
import marshal
import re
import threading

import jieba

from nlp.lexicon import load_lexicon
from nlp.normalize import fold

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()

# High enough that a lexicon word is never split by jieba's own frequencies.
LEXICON_FREQ = 200_000


class _WholeFileMarshal:
    """:mod:`marshal` as jieba uses it, but reading its dictionary cache whole.

    ``marshal.load(file)`` pulls the 9 MB cache from the file object a few bytes at a time,
    a Python call each: 0.9 s CPU at the start of every process that segments (each crawl
    worker), against 0.3 s to read the file in one go and decode the bytes. Same dictionary.
    """

    dump = staticmethod(marshal.dump)

    @staticmethod
    def load(file):
        return marshal.loads(file.read())


@functools.cache
def tokenizer() -> jieba.Tokenizer:
    """The project's tokenizer, with the prefix dictionary built once per process."""
    with _lock:
        tk = jieba.Tokenizer()
        jieba.marshal = _WholeFileMarshal  # jieba's own name for the module, while it loads
        try:
            tk.initialize()
        finally:
            jieba.marshal = marshal
        for word in sorted(load_lexicon().words):
            if " " not in word and not word.isascii():
                tk.add_word(word, LEXICON_FREQ)
        return tk


def cut(text: str) -> list[str]:
    """jieba words of ``text`` as written (no folding), lexicon words kept whole."""
    return _by_piece(text, _piece_words, _ASCII_WORDS)


def tokens(text: str) -> list[str]:
    """Normalised, lower-case search tokens: words and their sub-words, no punctuation or space.

    Search-engine mode (``cut_for_search``) also emits the parts of long words, so a query for
    接码 finds a post about a 接码平台. Deterministic: HMM new-word guessing is off.
    """
    return _by_piece(fold(text), _piece_tokens, _ASCII_RUNS)


# jieba splits a text into runs of Chinese characters, letters and digits (its
# ``re_han_default``) and what lies between them, and segments each piece on its own: the words
# of a text are those of its pieces, in order. So a piece's words are remembered. Sellers repeat
# their phrases (72% of the demo forum's text is in runs seen before, 85% of real marketplace
# listings'), and segmenting was most of the cost of storing a post.
_PIECES = jieba.re_han_default  # a capturing pattern: split() keeps the runs
_REMEMBERED = 64  # characters; a longer run (a dump without punctuation) is segmented, not kept

# Most runs never seen before are sellers' ids and numbers (huahua_10, 3600002343, 170-0000):
# they were 22,000 of the 28,000 runs jieba segmented for the search tokens of 20,000 posts of
# the bench forum. jieba's dictionary holds five words of ASCII characters only (c#, C#, c++,
# C++, AT&T); a run of ASCII characters holding none of them meets no word, so jieba gives its
# runs of letters and digits ([a-zA-Z0-9], its ``re_eng``) as words and every other character
# alone. Such a run is split so here, by one regular expression, and not remembered (it would
# push the phrases out); 6,100 runs of those posts still go to jieba.
_ASCII_WORDS = re.compile(r"[a-zA-Z0-9]+|.", re.DOTALL)
_ASCII_RUNS = re.compile(r"[a-zA-Z0-9]+")


def _by_piece(text: str, segment, ascii_words: re.Pattern) -> list[str]:
    out: list[str] = []
    for i, piece in enumerate(_PIECES.split(text)):
        if i % 2 and piece.isascii() and not _holds_ascii_word(piece):
            out += ascii_words.findall(piece)  # odd pieces are jieba's runs (see above)
        elif len(piece) <= _REMEMBERED:
            out += segment(piece)
        else:
            out += segment.__wrapped__(piece)
    return out


@functools.cache
def _ascii_dictionary_words() -> tuple[str, ...]:
    """jieba's words made of ASCII characters only (c#, c++, AT&T: five in its dictionary)."""
    return tuple(word for word, freq in tokenizer().FREQ.items() if freq and word.isascii())


def _holds_ascii_word(piece: str) -> bool:
    return any(word in piece for word in _ascii_dictionary_words())


@functools.lru_cache(maxsize=1 << 15)
def _piece_words(piece: str) -> tuple[str, ...]:
    return tuple(tokenizer().cut(piece, HMM=False))


@functools.lru_cache(maxsize=1 << 15)
def _piece_tokens(piece: str) -> tuple[str, ...]:
    words = (word.strip() for word in tokenizer().cut_for_search(piece, HMM=False))
    return tuple(word for word in words if word and any(ch.isalnum() for ch in word))


def clear_caches() -> None:
    """Forget the pieces seen so far (for measurements that must not be helped by repeats)."""
    _piece_tokens.cache_clear()
    _piece_words.cache_clear()
