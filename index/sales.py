"""Estimated sales of code-receiving platforms, from their stock readings over time.

A platform publishes how many numbers it has for each service and country. Between two
readings, a fall in that count is numbers sold (activations), and the fall times the price is
what they earned: the estimate of Aubrey et al., "Measuring the Underground Economy of
SMS Verification Services" (NDSS 2020). A rise is a restock and sells nothing. The estimate is
a lower bound: sales hidden by a restock between two readings are not seen, so readings more
often give better figures.

Both backends keep readings as :class:`StockReading` and compute the figures here, so the
digest and ``heishi trend --sales`` read the same numbers from either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from index.query import period_of

SALES_INTERVALS = ("day", "week", "month")


@dataclass(frozen=True)
class StockReading:
    """The numbers a platform had for one service in one country, at one time."""

    source: str
    service: str  # the platform's service code (``wb``, ``tg``)
    country: str  # the platform's country id or name
    count: int
    read_at: str  # ISO-8601 UTC (to the microsecond: two readings in a second are two)
    price: float | None = None
    currency: str = "USD"
    platform: str | None = None  # heishi's platform id, when the service maps to one

    @classmethod
    def from_dict(cls, source: str, data: dict) -> StockReading:
        return cls(
            source=source,
            service=str(data["service"]),
            country=str(data["country"]),
            count=int(data["count"]),
            read_at=str(data["read_at"]),
            price=None if data.get("price") is None else float(data["price"]),
            currency=str(data.get("currency") or "USD"),
            platform=data.get("platform"),
        )


def estimate_sales(
    readings: Iterable[StockReading],
    interval: str = "week",
    since: str | None = None,
    until: str | None = None,
) -> list[dict]:
    """One row per period, source, service and currency: numbers ``sold`` (falls in stock
    between consecutive readings of a service in a country, summed over countries), the
    ``revenue`` (each fall times the price at the earlier reading), the ``countries`` and the
    ``intervals`` (pairs of consecutive readings) it rests on. A fall counts in the period of
    the later reading; ``since`` and ``until`` (dates, inclusive) select on that time."""
    series: dict[tuple[str, str, str], list[StockReading]] = {}
    for reading in readings:
        series.setdefault((reading.source, reading.service, reading.country), []).append(reading)
    rows: dict[tuple, dict] = {}
    for (source, service, country), found in series.items():
        found.sort(key=lambda r: r.read_at)
        for before, after in zip(found, found[1:], strict=False):
            day = after.read_at[:10]
            if (since and day < since) or (until and day > until):
                continue
            period, start = period_of(after.read_at, interval)
            key = (period, source, service, before.currency)
            row = rows.setdefault(key, {
                "period": period, "start": start, "source": source, "service": service,
                "platform": after.platform or before.platform, "currency": before.currency,
                "sold": 0, "revenue": 0.0, "countries": set(), "intervals": 0,
            })
            row["intervals"] += 1
            row["countries"].add(country)
            drop = before.count - after.count
            if drop > 0:
                row["sold"] += drop
                if before.price is not None:
                    row["revenue"] += drop * before.price
    result = []
    for key in sorted(rows):
        row = rows[key]
        row["countries"] = len(row["countries"])
        row["revenue"] = round(row["revenue"], 2)
        result.append(row)
    return result
