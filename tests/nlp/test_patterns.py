"""Every regular expression in the extractor runs in linear time: no repeated group that itself
contains a repetition (the shape behind catastrophic backtracking, e.g. (a+)+ or (\\d+\\.)*)."""

from __future__ import annotations

import re

import pytest

try:  # Python 3.11+
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

from nlp import listing, normalize, scan

REPEATS = (
    sre_parse.MAX_REPEAT,
    sre_parse.MIN_REPEAT,
    getattr(sre_parse, "POSSESSIVE_REPEAT", None),
)


def _repeats(parsed):
    """(max, subpattern) of every repetition in a parsed pattern, at any depth."""
    for op, arg in parsed:
        if op in REPEATS:
            low, high, sub = arg
            yield high, sub
            yield from _repeats(sub)
        elif op == sre_parse.SUBPATTERN:
            yield from _repeats(arg[-1])
        elif op == sre_parse.BRANCH:
            for alternative in arg[1]:
                yield from _repeats(alternative)
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            yield from _repeats(arg[1])


def nested_repetition(pattern: str) -> bool:
    for high, sub in _repeats(sre_parse.parse(pattern)):
        if high > 1 and any(inner_high > 1 for inner_high, _ in _repeats(sub)):
            return True
    return False


def patterns():
    for module in (normalize, scan, listing):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield pytest.param(value.pattern, id=f"{module.__name__}.{name}")
    yield pytest.param(scan._token_pattern().pattern, id="nlp.scan._token_pattern (lexicon trie)")


def test_the_checker_finds_nested_repetition():
    assert nested_repetition(r"(a+)+b")
    assert nested_repetition(r"(?:\d+\.)*x")
    assert not nested_repetition(r"\d+(?:\.\d+)?")


@pytest.mark.parametrize("pattern", list(patterns()))
def test_no_nested_repetition(pattern):
    assert not nested_repetition(pattern)
