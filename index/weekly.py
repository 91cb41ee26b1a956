"""Weekly aggregates of offers: what trends and the digest read instead of every offer.

A monitor's history only grows, and a whole-history trend that reads every offer grows with
it. Time-series databases answer such queries from continuous aggregates kept up to date as
data arrives; heishi keeps one row per ISO week and (goods, platform, side, unit, currency,
source), kept by the store (``index.sqlite_weeks``: writes mark the weeks they change, and
stale weeks are recomputed every half-minute and when a crawl ends; readers merge them from the
offers meanwhile, as TimescaleDB's real-time aggregates do).

Each row holds its counts and the *exact* unit prices of its offers (sorted, float64) and the
distinct sellers (64-bit hashes of seller keys, sorted), so figures over several rows (a week
of every source, a goods category across platforms) stay exact: quartiles are taken over the
merged values, sellers counted over the union. The values of one week are a small fraction of
the history, and numpy merges them without a Python loop per offer. The SQLite store also
keeps rollups, each week's figures ready-made for the whole market and per value of one
dimension (``index.sqlite_weeks``), so the commonest trends merge nothing at all.

Side is part of the key beyond the issue's (goods, platform, unit, currency, source): bids and
asks are different prices and must not share a median.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

EMPTY = b""


@lru_cache(maxsize=1 << 17)  # sellers come back week after week
def seller_hash(key: str) -> int:
    """A seller key as a signed 64-bit number (collisions: ~1 in 10^19 per pair)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(),
                          "little", signed=True)


def pack_prices(prices: Iterable[float]) -> bytes:
    return np.sort(np.fromiter(prices, dtype=np.float64)).tobytes()


def pack_sellers(hashes: Iterable[int]) -> bytes:
    return np.unique(np.fromiter(hashes, dtype=np.int64)).tobytes()


def unpack_prices(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float64)


def unpack_sellers(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.int64)


@dataclass
class Merged:
    """Several aggregate rows taken together (one trend row, one basket item)."""

    offers: int = 0
    priced: int = 0
    price_sum: float = 0.0
    prices: list[bytes] = field(default_factory=list)
    sellers: list[bytes] = field(default_factory=list)

    def add(self, offers: int, priced: int, price_sum: float, prices: bytes,
            sellers: bytes) -> None:
        self.offers += offers
        self.priced += priced
        self.price_sum += price_sum
        if prices:
            self.prices.append(prices)
        if sellers:
            self.sellers.append(sellers)

    def price_array(self) -> np.ndarray:
        """Every unit price, sorted."""
        if not self.prices:
            return np.empty(0)
        if len(self.prices) == 1:
            return unpack_prices(self.prices[0])
        return np.sort(np.concatenate([unpack_prices(b) for b in self.prices]))

    def seller_array(self) -> np.ndarray:
        if not self.sellers:
            return np.empty(0, dtype=np.int64)
        if len(self.sellers) == 1:
            return unpack_sellers(self.sellers[0])
        return np.unique(np.concatenate([unpack_sellers(b) for b in self.sellers]))

    def seller_count(self) -> int:
        if len(self.sellers) == 1:
            return len(self.sellers[0]) // 8
        return int(self.seller_array().size)

    def figures(self) -> dict:
        """The price figures of a trend row (as :func:`index.query.price_figures`)."""
        if not self.priced:
            return {"priced": 0, "price_median": None, "price_p25": None, "price_p75": None,
                    "price_mean": None}
        values = self.price_array()
        p25, p50, p75 = sorted_quantiles(values, (0.25, 0.5, 0.75))
        return {"priced": self.priced, "price_median": p50, "price_p25": p25,
                "price_p75": p75, "price_mean": self.price_sum / self.priced}


def sorted_quantiles(values, qs: tuple[float, ...]) -> list[float]:
    """Quantiles of sorted values, interpolating between closest ranks (no sorting again)."""
    last = len(values) - 1
    out = []
    for q in qs:
        position = last * q
        low = int(position)
        high = min(low + 1, last)
        out.append(float(values[low] + (values[high] - values[low]) * (position - low)))
    return out
