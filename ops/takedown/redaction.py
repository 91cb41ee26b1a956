"""Victims' data out of everything a takedown bundle carries: page text, captures, pictures.

The index already holds only redacted text; a bundle also carries the page as captured and a
picture of it, both of which show the sample records a seller posted. They are masked with the
same keyed tokens as the index (``[PHONE:3f9a1c2e7b]``), so a platform sees that a number was
there and the analyst can still match it to the stored posts.

Two detectors, both from :mod:`nlp.redact`: the one the crawl used (identity numbers and cards
wherever they are, phones inside sample records), and the tokens of the stored posts read from
the same page: a phone the crawl redacted in a post is a victim's wherever it shows on the page,
however the page lays it out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from crawlers.pipelines import DEV_REDACT_KEY
from nlp.redact import (
    REDACT_KEY_ENV,
    REDACTED_TOKEN,
    digits_of,
    find_phones,
    find_victim_data,
    fold_width,
    phone_digits,
    token,
)


def redact_key() -> bytes:
    """The deployment's key (the crawl's), so bundle tokens match the stored posts' tokens."""
    return (os.environ.get(REDACT_KEY_ENV) or DEV_REDACT_KEY).encode("utf-8")


def victim_tokens(texts: Iterable[str]) -> set[str]:
    """The redaction tokens in stored (already redacted) texts."""
    return {m.group() for text in texts for m in REDACTED_TOKEN.finditer(text or "")}


def _findings(text: str, key: bytes, known: set[str]) -> list[tuple[int, int, str]]:
    """``(start, end, token)`` of every victim's number in ``text``, in order, disjoint."""
    folded = fold_width(text)
    found: dict[int, tuple[int, int, str]] = {}
    for kind, start, end in find_victim_data(text).numbers:
        digits = digits_of(folded[start:end])
        if kind == "phone":
            digits = phone_digits(digits) or digits
        found[start] = (start, end, token(kind, digits, key))
    for phone in find_phones(folded):
        if phone.start in found:
            continue
        tok = token("phone", phone.digits, key)
        if tok in known:
            found[phone.start] = (phone.start, phone.end, tok)
    spans, last_end = [], -1
    for start, end, tok in sorted(found.values()):
        if start >= last_end:
            spans.append((start, end, tok))
            last_end = end
    return spans


def redact_text(text: str, key: bytes, known: set[str] = frozenset()) -> str:
    """``text`` with victims' numbers replaced by their tokens."""
    return redact_pieces([text], key, known)[0]


def redact_pieces(pieces: Sequence[str], key: bytes, known: set[str] = frozenset(),
                  breaks: Sequence[bool] | None = None) -> list[str]:
    """Each piece (a page's text nodes, in order) redacted, read together so that a sample
    spread over many elements is still seen as one. ``breaks[i]`` says piece ``i`` starts a
    new line as the page shows it (a new block, after a ``<br>``); else it continues the
    line (cells of one table row, inline elements). Without ``breaks`` every piece is a line.
    """
    if breaks is None:
        breaks = [True] * len(pieces)
    joined_parts, starts, pos = [], [], 0
    for i, piece in enumerate(pieces):
        if i:
            glue = "\n" if breaks[i] else " "
            joined_parts.append(glue)
            pos += 1
        starts.append(pos)
        joined_parts.append(piece)
        pos += len(piece)
    joined = "".join(joined_parts)
    findings = _findings(joined, key, set(known))
    if not findings:
        return list(pieces)
    out, i = [], 0
    for piece, start_of_piece in zip(pieces, starts, strict=True):
        end_of_piece = start_of_piece + len(piece)
        parts, at = [], start_of_piece
        while i < len(findings) and findings[i][0] < end_of_piece:
            start, end, tok = findings[i]
            if start < at:  # a number begun in an earlier piece: its rest goes too
                start = at
            parts.append(joined[at:start])
            if start == findings[i][0]:
                parts.append(tok)
            at = min(end, end_of_piece)
            if end > end_of_piece:
                break  # it goes on in the next piece
            i += 1
        parts.append(joined[at:end_of_piece])
        out.append("".join(parts))
    return out


def with_tokens_of(visible_text: str, key: bytes, known: set[str]) -> set[str]:
    """``known`` plus the tokens of the victims' numbers in a page's text as a reader sees it
    (a browser's ``innerText``, or text extracted from the HTML): found where the layout
    shows a sample, they are then masked wherever the page's markup puts them."""
    return set(known) | victim_tokens([redact_text(visible_text, key, known)])


def leaks(text: str, key: bytes, known: set[str] = frozenset()) -> list[str]:
    """What of victims' data is still readable in ``text`` (empty when it is clean): the
    check run on every text a bundle is about to carry, so a miss fails loudly."""
    return [text[start:end] for start, end, _ in _findings(text, key, set(known))]
