"""The black-market vocabulary the extractor knows, kept as data files beside this module.

Sellers coin new words weekly, so the words live in plain ``term<TAB>id`` text files that an
analyst can extend without touching code; ``version.txt`` is bumped with every change so offers can
be re-extracted when the lexicon improves. Terms are stored as the normaliser emits them:
simplified Chinese, half-width, lower case.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Lexicon:
    version: str
    goods_terms: dict[str, str]  # term -> goods id
    platform_aliases: dict[str, str]  # alias -> platform id
    sides: dict[str, str]  # term -> sell | buy | none
    units: dict[str, tuple[str, str]]  # term -> (classifier|period|currency, value)
    periods: dict[str, str]  # term -> day | week | month | year | item
    null_price: frozenset[str]  # 私聊, 面议 ...
    not_listing: dict[str, str]  # cue -> news | warning | rule
    neutral: frozenset[str]  # compounds that shadow a shorter term
    rent: frozenset[str] = frozenset()  # 日租, 月租: an account on offer is rented
    heads: dict[str, str] = dataclasses.field(default_factory=dict)  # 教程: names the goods

    @functools.cached_property
    def words(self) -> frozenset[str]:
        """Every term, for the segmenter's dictionary and the index's tokeniser."""
        return frozenset(
            [
                *self.goods_terms,
                *self.platform_aliases,
                *self.sides,
                *self.units,
                *self.periods,
                *self.null_price,
                *self.not_listing,
                *self.neutral,
                *self.rent,
            ]
        )


def read_table(path: Path) -> dict[str, str]:
    """``term<TAB>id`` lines; ``#`` starts a comment line. A line without a tab is an error."""
    table: dict[str, str] = {}
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        term, sep, value = raw.strip("\n").partition("\t")
        if not sep or not term.strip() or not value.strip():
            raise ValueError(f"{path}:{n}: expected 'term<TAB>id', got {raw!r}")
        table[term.strip().lower()] = value.strip()
    return table


def load_from(directory: Path) -> Lexicon:
    units = {}
    for term, value in read_table(directory / "units.txt").items():
        kind, _, unit = value.partition(":")
        units[term] = (kind, unit)
    return Lexicon(
        version=(directory / "version.txt").read_text(encoding="utf-8").strip(),
        goods_terms=read_table(directory / "goods.txt"),
        platform_aliases=read_table(directory / "platforms.txt"),
        sides=read_table(directory / "sides.txt"),
        units=units,
        periods=read_table(directory / "periods.txt"),
        null_price=frozenset(read_table(directory / "nullprice.txt")),
        not_listing=read_table(directory / "nonlisting.txt"),
        neutral=frozenset(read_table(directory / "neutral.txt")),
        rent=frozenset(read_table(directory / "rent.txt")),
        heads=read_table(directory / "heads.txt"),
    )


@functools.cache
def load_lexicon() -> Lexicon:
    """The packaged lexicon, read once per process."""
    return load_from(HERE)
