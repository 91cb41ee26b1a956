"""The price-index method of the weekly digest, as pure arithmetic (README: "Price index").

A statistical office's elementary-aggregate method, applied to asking prices:

- the *basket* of a week is every item (goods, platform, unit, currency) offered for sale by
  at least ``min_sellers`` distinct sellers that week;
- an item's *elementary price* is the median unit price of its asks after outliers are
  removed: asks further than ``mad_k`` scaled median absolute deviations from the median
  (MAD × 1.4826, the normal-consistent scale) are dropped; when MAD is 0 (most asks equal)
  nothing is dropped;
- prices in USDT (or USD) are converted to CNY at that week's configured rate, so an index
  of a USDT-priced item moves with the rate as a CNY buyer feels it;
- the *link* from one week to the next is a Jevons index: the geometric mean of the price
  relatives of the items in the basket in both weeks; the index of a goods category uses its
  items, the market index all items;
- the index is *chained*: I(base) = 100, I(t) = I(t-1) × link(t). Items entering the basket
  count from their second week, items leaving stop counting: the chain never breaks. A week
  with no item common to the week before carries the index forward unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.weekly import sorted_quantiles

MAD_SCALE = 1.4826  # MAD × this estimates the standard deviation of normal data
MARKET = "market"

ItemKey = tuple[str, str, str, str]  # goods, platform, unit, currency


@dataclass
class Elementary:
    """One basket item in one week."""

    key: ItemKey
    offers: int
    sellers: int
    kept: int  # asks left after outliers were removed
    price: float  # median of the kept asks, in the item's own currency
    p25: float
    p75: float
    price_cny: float  # the elementary price the index uses

    @property
    def outliers(self) -> int:
        return self.offers_priced - self.kept

    offers_priced: int = 0


def without_outliers(prices: Sequence[float] | np.ndarray, k: float = 3.0) -> np.ndarray:
    """The asks within ``k`` scaled MADs of their median (all of them when MAD is 0)."""
    values = np.sort(np.asarray(prices, dtype=float))  # already sorted: a linear pass
    if values.size < 3:
        return values
    median = sorted_quantiles(values, (0.5,))[0]
    deviations = np.abs(values - median)
    mad = float(np.median(deviations))
    if mad == 0:
        return values
    return values[deviations <= k * MAD_SCALE * mad]


def elementary(key: ItemKey, offers: int, sellers: int, prices, rate: float,
               k: float = 3.0) -> Elementary | None:
    """The elementary price of one item in one week (None when nothing is priced)."""
    kept = without_outliers(prices, k)
    if kept.size == 0:
        return None
    p25, p50, p75 = sorted_quantiles(kept, (0.25, 0.5, 0.75))
    return Elementary(key=key, offers=offers, sellers=sellers, kept=int(kept.size), price=p50,
                      p25=p25, p75=p75, price_cny=p50 * rate,
                      offers_priced=int(np.asarray(prices).size))


@dataclass
class Link:
    """How one index moved from the week before: the Jevons link and its evidence."""

    index: float
    link: float | None  # None: no common item, the index was carried forward
    items: int  # common items the link is the geometric mean over

    @property
    def change(self) -> float | None:
        return None if self.link is None else (self.link - 1) * 100


@dataclass
class Chain:
    """Chained indexes per week: ``series[name][week] = Link`` for the market and each goods."""

    weeks: list[str]
    series: dict[str, dict[str, Link]] = field(default_factory=dict)
    relatives: dict[str, dict[ItemKey, float]] = field(default_factory=dict)  # week → item → r


def jevons(relatives: Iterable[float]) -> float | None:
    """Geometric mean of price relatives (None for none)."""
    logs = [math.log(r) for r in relatives]
    return math.exp(sum(logs) / len(logs)) if logs else None


def chain(weeks: Sequence[str], baskets: dict[str, dict[ItemKey, Elementary]]) -> Chain:
    """Chain the Jevons links over consecutive ``weeks`` (oldest first); ``baskets[week]``
    holds the items in that week's basket. Each series starts at 100 in its first week with
    a basket item (the market's base week is the first week of ``weeks`` with a basket)."""
    result = Chain(weeks=list(weeks))
    previous: dict[ItemKey, Elementary] = {}
    for week in weeks:
        basket = baskets.get(week, {})
        relatives = {key: item.price_cny / previous[key].price_cny
                     for key, item in basket.items() if key in previous}
        result.relatives[week] = relatives
        groups = {MARKET: list(basket)} | {
            goods: [k for k in basket if k[0] == goods] for goods in {k[0] for k in basket}}
        for name in set(groups) | set(result.series):
            series = result.series.setdefault(name, {})
            last = next(reversed(series.values()), None) if series else None
            common = [relatives[k] for k in groups.get(name, []) if k in relatives]
            link = jevons(common)
            if last is None:
                if groups.get(name):
                    series[week] = Link(100.0, None, 0)
                continue
            if link is None:
                series[week] = Link(last.index, None, 0)
            else:
                series[week] = Link(last.index * link, link, len(common))
        previous = basket
    return result
