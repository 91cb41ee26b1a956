"""The weekly aggregates (:mod:`index.weekly`) in the SQLite store: kept up to date, and read.

Two tables: ``offer_weeks``, one row per week and (goods, platform, side, unit, currency,
source) with the exact values, which any combination of filters can merge; and
``offer_rollups``, the figures of a week ready-made for everything or per value of one
dimension, which the common trends read without merging anything.

A week's aggregates are recomputed from all of its offers (medians and distinct sellers do not
add up), so refreshing them at every write cost a crawl time in proportion to the offers
already stored: 2,000 pages of the bench forum, spread over twelve weeks, spent 1.7-1.9 s of the
worker's 39-42 s in refreshes (writes of 500 posts), and the share grows with every page. So a
write only marks the weeks it changed stale (``offer_weeks_stale``, in the same transaction),
and stale weeks are recomputed at most every :data:`REFRESH_AFTER` seconds, and when the
writing store closes.
Readers never see aggregates that disagree with the offers: within one snapshot they take the
weeks that are stale from the offers themselves, as TimescaleDB's real-time aggregates do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta

from index.query import TrendQuery, period_of
from index.sqlite_query import EPOCH, Where
from index.weekly import Merged, pack_prices, pack_sellers, seller_hash, sorted_quantiles

# How long a changed week may wait for its aggregates (readers fill the gap from the offers).
REFRESH_AFTER = 30.0

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
    -- Rollups: the figures of a week for everything, or per value of one dimension (goods,
    -- platform, side, source), computed once from that week's offers, so the common trends
    -- (the whole market, one goods category, by goods) read a few rows per week.
    CREATE TABLE offer_rollups (
        week INTEGER NOT NULL,
        dim TEXT NOT NULL,             -- all | goods | platform | side | source
        value TEXT NOT NULL,           -- '' for all, and for no platform / side
        unit TEXT NOT NULL,
        currency TEXT NOT NULL,
        offers INTEGER NOT NULL,
        sellers INTEGER NOT NULL,
        priced INTEGER NOT NULL,
        price_sum REAL NOT NULL,
        p25 REAL, p50 REAL, p75 REAL,
        PRIMARY KEY (dim, value, week, unit, currency)
    ) WITHOUT ROWID;
    CREATE INDEX offers_seller_day ON offers(seller_key, day);
    CREATE INDEX posts_first_seen ON posts(first_seen);
"""

# Weeks whose offers changed after their aggregates were computed. Idempotent, so an earlier
# step can be replayed on a store that has it.
STALE_MIGRATION = """
    CREATE TABLE IF NOT EXISTS offer_weeks_stale (
        week INTEGER PRIMARY KEY,      -- day number of the week's Monday
        since REAL NOT NULL            -- Unix time of the first change not aggregated yet
    );
"""

WEEK_SQL = "day - (day + 3) % 7"  # the Monday of an offer's day: 1970-01-01 was a Thursday


def week_of(day: int) -> int:
    return day - (day + 3) % 7


def week_of_row(row: tuple) -> int:
    """The week of an offer row as ``_extraction_rows`` builds it."""
    return week_of(row[17])


def weeks_of_posts(db: sqlite3.Connection, pks: Iterable[int]) -> set[int]:
    """The weeks of the offers now stored for these posts."""
    pks = list(pks)
    weeks: set[int] = set()
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        weeks.update(week for (week,) in db.execute(
            f"SELECT DISTINCT {WEEK_SQL} FROM offers "
            f"WHERE post_pk IN ({','.join('?' * len(chunk))})",
            chunk,
        ))
    return weeks


def all_weeks(db: sqlite3.Connection) -> set[int]:
    """Every week that has offers."""
    return {week for (week,) in db.execute(f"SELECT DISTINCT {WEEK_SQL} FROM offers")}


def mark_stale(db: sqlite3.Connection, weeks: Iterable[int], now: float) -> None:
    """Record that these weeks' offers changed (a week already stale keeps its first time)."""
    db.executemany("INSERT OR IGNORE INTO offer_weeks_stale (week, since) VALUES (?, ?)",
                   [(week, now) for week in weeks])


def refresh_stale(db: sqlite3.Connection, changed_before: float) -> None:
    """Recompute the stale weeks that changed first before ``changed_before`` (Unix time)."""
    weeks = [week for (week,) in db.execute(
        "SELECT week FROM offer_weeks_stale WHERE since <= ?", (changed_before,))]
    if weeks:
        refresh(db, weeks)
        db.executemany("DELETE FROM offer_weeks_stale WHERE week = ?", [(w,) for w in weeks])


def stale_weeks(db: sqlite3.Connection, query) -> set[int]:
    """The stale weeks among those ``query`` reads: readers take them from the offers."""
    where = Where()
    weeks_between(where, query)
    return {week for (week,) in db.execute(
        f"SELECT week FROM offer_weeks_stale WHERE {where.sql()}", where.params)}


DIMENSIONS = ("goods", "platform", "side", "source")  # what a rollup row is split by
ROLLUP_SETS = ("all", *DIMENSIONS)  # grouping sets: everything, or one dimension


def refresh(db: sqlite3.Connection, weeks: Iterable[int]) -> None:
    """Recompute every aggregate of ``weeks`` from their offers (one read per week through the
    covering ``offers_trend_day`` index): the fine rows with their values, and the rollups
    with their figures computed once."""
    for week in sorted(set(weeks)):
        fine: dict[tuple, list] = {}
        for goods, platform, side, unit, currency, source, price, seller in db.execute(
            "SELECT goods, coalesce(platform, ''), coalesce(side, ''), unit, currency, source, "
            "unit_price, seller_key FROM offers WHERE day BETWEEN ? AND ?",
            (week, week + 6),
        ):
            key = (goods, platform, side, unit, currency, source)
            group = fine.get(key)
            if group is None:
                group = fine[key] = [0, [], set()]
            group[0] += 1
            if price is not None:
                group[1].append(price)
            if seller is not None:
                group[2].add(seller)
        rollup: dict[tuple, list] = {}  # merged from the fine groups, not offer by offer
        for (goods, platform, side, unit, currency, source), (count, prices, sellers) in \
                fine.items():
            for dim, value in (("all", ""), ("goods", goods), ("platform", platform),
                               ("side", side), ("source", source)):
                group = rollup.get((dim, value, unit, currency))
                if group is None:
                    group = rollup[(dim, value, unit, currency)] = [0, [], set()]
                group[0] += count
                group[1].extend(prices)
                group[2] |= sellers
        db.execute("DELETE FROM offer_weeks WHERE week = ?", (week,))
        db.execute("DELETE FROM offer_rollups WHERE week = ?", (week,))
        db.executemany(
            "INSERT INTO offer_weeks (week, goods, platform, side, unit, currency, source, "
            "offers, priced, price_sum, prices, sellers) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(week, *key, count, len(prices), float(sum(prices)), pack_prices(prices),
              pack_sellers(seller_hash(s) for s in sellers))
             for key, (count, prices, sellers) in fine.items()],
        )
        rows = []
        for key, (count, prices, sellers) in rollup.items():
            prices.sort()
            p25, p50, p75 = sorted_quantiles(prices, (0.25, 0.5, 0.75)) if prices \
                else (None, None, None)
            rows.append((week, *key, count, len(sellers), len(prices), float(sum(prices)),
                         p25, p50, p75))
        db.executemany(
            "INSERT INTO offer_rollups (week, dim, value, unit, currency, offers, sellers, "
            "priced, price_sum, p25, p50, p75) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)


def weeks_between(where: Where, query) -> None:
    """Limit ``where`` to the weeks holding the query's since/until days."""
    if query.since is not None:
        where.add("week >= ?", week_of((query.since - EPOCH).days))
    if query.until is not None:
        where.add("week <= ?", week_of((query.until - EPOCH).days))


def rollup_of(query) -> tuple[str, list[str] | None] | None:
    """The grouping set (and values) that holds ``query``'s rows ready-made, if one does:
    no dimension at all, or one dimension split by (``by``) or fixed to one value."""
    filtered = {dim: getattr(query, dim) for dim in DIMENSIONS if getattr(query, dim)}
    by = query.by if query.by in DIMENSIONS else None
    dims = set(filtered) | ({by} if by else set())
    if not dims:
        return "all", None
    if len(dims) > 1:
        return None
    (dim,) = dims
    values = filtered.get(dim)
    if values is not None:
        values = ["" if dim == "platform" and v == "none" else v for v in values]
    if by == dim or (values is not None and len(values) == 1):
        return dim, values
    return None


def rollup_trend(db: sqlite3.Connection, query: TrendQuery, dim: str,
                 values: list[str] | None, skip: set[int]) -> list[dict]:
    where = Where()
    where.add("dim = ?", dim)
    if values is not None:
        where.any_of("value", values)
    where.any_of("unit", query.unit)
    where.any_of("currency", query.currency)
    weeks_between(where, query)
    rows = []
    for (week, value, unit, currency, offers, sellers, priced, price_sum, p25, p50,
         p75) in db.execute(
            "SELECT week, value, unit, currency, offers, sellers, priced, price_sum, p25, p50, "
            f"p75 FROM offer_rollups WHERE {where.sql()}", where.params):
        if week in skip:
            continue
        start = (EPOCH + timedelta(days=week)).isoformat()
        row = {"period": period_of(start, "week")[0], "start": start}
        if query.by:
            row[query.by] = {"unit": unit, "currency": currency}.get(query.by, value or "none")
        row.update(unit=unit, currency=currency, offers=offers, sellers=sellers, priced=priced,
                   price_median=p50, price_p25=p25, price_p75=p75,
                   price_mean=price_sum / priced if priced else None)
        rows.append(row)
    rows.sort(key=lambda r: (r["start"], r.get(query.by) or "", r["unit"], r["currency"]))
    return rows


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
    weeks_between(where, query)
    return where


def merged_groups(db: sqlite3.Connection, query, fields: tuple[str, ...],
                  skip: set[int]) -> dict[tuple, Merged]:
    """Aggregate rows matching ``query`` merged per (week, *fields), but for the weeks
    ``skip``."""
    where = conditions(query)
    columns = "".join(f", {f}" for f in fields)
    groups: dict[tuple, Merged] = {}
    for row in db.execute(
        f"SELECT week{columns}, offers, priced, price_sum, prices, sellers FROM offer_weeks "
        f"WHERE {where.sql()}",
        where.params,
    ):
        if row[0] in skip:
            continue
        key = row[: 1 + len(fields)]
        merged = groups.get(key)
        if merged is None:
            merged = groups[key] = Merged()
        merged.add(*row[1 + len(fields):])
    return groups


def trend(db: sqlite3.Connection, query: TrendQuery, skip: set[int]) -> list[dict]:
    """The rows of ``query`` from the aggregates, but for the weeks ``skip`` (stale ones)."""
    ready = rollup_of(query)
    if ready is not None:
        return rollup_trend(db, query, *ready, skip)
    by = query.by
    fields = ("unit", "currency") if by in (None, "unit", "currency") else (by, "unit", "currency")
    groups = merged_groups(db, query, fields, skip)
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


def weekly_items(db: sqlite3.Connection, filters, skip: set[int]) -> list[dict]:
    """Per ISO week and (goods, platform, side, unit, currency), sources merged: the counts
    and every unit price (sorted numpy array); none for the weeks ``skip``."""
    groups = merged_groups(db, filters, ("goods", "platform", "side", "unit", "currency"), skip)
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
