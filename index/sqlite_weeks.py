"""The weekly aggregates (:mod:`index.weekly`) in the SQLite store: kept up to date, and read.

The store collects the aggregate keys a write touches (offers stored, replaced or moved to
another week or source) and calls :func:`refresh` before that write commits, so the
aggregates never disagree with the offers a reader sees in the same snapshot.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from index.query import TrendQuery, period_of
from index.sqlite_query import EPOCH, Where
from index.weekly import Merged, pack_prices, pack_sellers, seller_hash

# (week, goods, platform, side, unit, currency, source); '' for no platform / side.
Key = tuple[int, str, str, str, str, str, str]

MIGRATION = """
    CREATE TABLE offer_weeks (
        week INTEGER NOT NULL,         -- day number of the ISO week's Monday
        goods TEXT NOT NULL,
        platform TEXT NOT NULL,        -- '' when the offers name none
        side TEXT NOT NULL,            -- '' when unknown
        unit TEXT NOT NULL,
        currency TEXT NOT NULL,
        source TEXT NOT NULL,
        offers INTEGER NOT NULL,
        priced INTEGER NOT NULL,
        price_sum REAL NOT NULL,
        prices BLOB NOT NULL,          -- float64 unit prices, sorted
        sellers BLOB NOT NULL,         -- int64 hashes of the distinct seller keys, sorted
        PRIMARY KEY (week, goods, platform, side, unit, currency, source)
    ) WITHOUT ROWID;
    CREATE INDEX offer_weeks_goods ON offer_weeks(goods, week);
    CREATE INDEX offers_seller_day ON offers(seller_key, day);
    CREATE INDEX posts_first_seen ON posts(first_seen);
"""

WEEK_SQL = "day - (day + 3) % 7"  # the Monday of an offer's day: 1970-01-01 was a Thursday


def week_of(day: int) -> int:
    return day - (day + 3) % 7


def key_of_row(row: tuple) -> Key:
    """The aggregate key of an offer row as ``_extraction_rows`` builds it."""
    return (week_of(row[17]), row[3], row[4] or "", row[5] or "", row[10], row[8], row[13])


def keys_of_posts(db: sqlite3.Connection, pks: Iterable[int]) -> set[Key]:
    """The aggregate keys of the offers now stored for these posts."""
    pks = list(pks)
    keys: set[Key] = set()
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        keys.update(db.execute(
            f"SELECT DISTINCT {WEEK_SQL}, goods, coalesce(platform, ''), coalesce(side, ''), "
            f"unit, currency, source FROM offers WHERE post_pk IN ({','.join('?' * len(chunk))})",
            chunk,
        ))
    return keys


def all_keys(db: sqlite3.Connection) -> set[Key]:
    return set(db.execute(
        f"SELECT DISTINCT {WEEK_SQL}, goods, coalesce(platform, ''), coalesce(side, ''), unit, "
        "currency, source FROM offers"))


def refresh(db: sqlite3.Connection, keys: set[Key]) -> None:
    """Recompute the aggregate rows of ``keys`` from the offers (one read per goods and week,
    through the covering ``offers_trend_goods`` index)."""
    by_goods_week: dict[tuple[str, int], set[Key]] = defaultdict(set)
    for key in keys:
        by_goods_week[(key[1], key[0])].add(key)
    for (goods, week), wanted in by_goods_week.items():
        groups: dict[Key, tuple[list, set, list]] = {}
        for platform, side, unit, currency, source, price, seller in db.execute(
            "SELECT coalesce(platform, ''), coalesce(side, ''), unit, currency, source, "
            "unit_price, seller_key FROM offers WHERE goods = ? AND day BETWEEN ? AND ?",
            (goods, week, week + 6),
        ):
            key = (week, goods, platform, side, unit, currency, source)
            if key not in wanted:
                continue
            group = groups.get(key)
            if group is None:
                group = groups[key] = ([], set(), [0])
            group[2][0] += 1
            if price is not None:
                group[0].append(price)
            if seller is not None:
                group[1].add(seller)
        db.executemany(
            "DELETE FROM offer_weeks WHERE week = ? AND goods = ? AND platform = ? AND side = ? "
            "AND unit = ? AND currency = ? AND source = ?",
            [k for k in wanted if k not in groups],
        )
        db.executemany(
            "INSERT OR REPLACE INTO offer_weeks (week, goods, platform, side, unit, currency, "
            "source, offers, priced, price_sum, prices, sellers) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(*key, count[0], len(prices), float(sum(prices)), pack_prices(prices),
              pack_sellers(seller_hash(s) for s in sellers))
             for key, (prices, sellers, count) in groups.items()],
        )


def answerable(query: TrendQuery) -> bool:
    """Whether the aggregates hold exactly what ``query`` asks: weekly, whole weeks, filters
    that are aggregate keys (text, seller and price-range filters need the offers)."""
    return (query.interval == "week" and not query.text and not query.seller
            and query.price_min is None and query.price_max is None
            and (query.since is None or query.since.weekday() == 0)
            and (query.until is None or query.until.weekday() == 6))


def conditions(query) -> Where:
    """The filters of ``query`` on offer_weeks (an aggregate key is a filterable field)."""
    where = Where()
    where.any_of("goods", query.goods)
    where.any_of("platform", ["" if p == "none" else p for p in query.platform])
    where.any_of("side", query.side)
    where.any_of("currency", query.currency)
    where.any_of("unit", query.unit)
    where.any_of("source", query.source)
    if query.since is not None:
        where.add("week >= ?", week_of((query.since - EPOCH).days))
    if query.until is not None:
        where.add("week <= ?", week_of((query.until - EPOCH).days))
    return where


def merged_groups(db: sqlite3.Connection, query, fields: tuple[str, ...]) -> dict[tuple, Merged]:
    """Aggregate rows matching ``query`` merged per (week, *fields)."""
    where = conditions(query)
    columns = "".join(f", {f}" for f in fields)
    groups: dict[tuple, Merged] = {}
    for row in db.execute(
        f"SELECT week{columns}, offers, priced, price_sum, prices, sellers FROM offer_weeks "
        f"WHERE {where.sql()}",
        where.params,
    ):
        key = row[: 1 + len(fields)]
        merged = groups.get(key)
        if merged is None:
            merged = groups[key] = Merged()
        merged.add(*row[1 + len(fields):])
    return groups


def trend(db: sqlite3.Connection, query: TrendQuery) -> list[dict]:
    by = query.by
    fields = ("unit", "currency") if by in (None, "unit", "currency") else (by, "unit", "currency")
    groups = merged_groups(db, query, fields)
    rows = []
    for key in sorted(groups):
        merged = groups[key]
        week, values = key[0], dict(zip(fields, key[1:], strict=True))
        start = (EPOCH + timedelta(days=week)).isoformat()
        row = {"period": period_of(start, "week")[0], "start": start}
        if by:
            row[by] = values[by] or "none"
        row.update(unit=values["unit"], currency=values["currency"], offers=merged.offers,
                   sellers=merged.seller_count())
        row.update(merged.figures())
        rows.append(row)
    if by:
        rows.sort(key=lambda r: (r["start"], r[by], r["unit"], r["currency"]))
    return rows


def weekly_items(db: sqlite3.Connection, filters) -> list[dict]:
    """Per ISO week and (goods, platform, side, unit, currency), sources merged: the counts
    and every unit price (sorted numpy array)."""
    groups = merged_groups(db, filters, ("goods", "platform", "side", "unit", "currency"))
    items = []
    for key in sorted(groups):
        merged = groups[key]
        start = EPOCH + timedelta(days=key[0])
        items.append({
            "week": period_of(start.isoformat(), "week")[0], "start": start,
            "goods": key[1], "platform": key[2] or "none", "side": key[3] or "none",
            "unit": key[4], "currency": key[5], "offers": merged.offers,
            "sellers": merged.seller_count(), "prices": merged.price_array(),
        })
    return items


def day_of(value: date) -> int:
    return (value - EPOCH).days
