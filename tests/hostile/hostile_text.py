"""What a hostile seller writes: markup, control characters, invisible characters, formulas,
numbers. Shared by the property tests of redaction, extraction and display."""

from __future__ import annotations

from hypothesis import strategies as st

PIECES = [
    *"出售料子元QVqv@ []/=链接\n\t\r,:：-.·号",
    "[/b]", "[b]", "[link=http://evil.example/x]", "[/link]", "[bold red]", "[/]", "\\[",
    "\x1b[2J", "\x1b]8;;http://evil.example\x1b\\", "\x07", "\x08", "\x00", "\x85", "\x9b",
    "\u200b", "\u202e", "\u2066", "\ufe0f", "\ud7ff", "😀", "１", "9", "13800138000",
    "6222021234567890128", "=HYPERLINK(\"http://evil.example\",\"x\")", "+1", "-2", "@SUM(1)",
    "NaN", "Infinity", "{", "}", "\"", "'", "微信", "Q 2049385761",
]  # fmt: skip

noise = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
"""Hostile text: any mix of the pieces above."""
