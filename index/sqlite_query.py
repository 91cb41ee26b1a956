"""The query model (:mod:`index.query`) as SQL conditions over the SQLite schema.

Kept apart from the store so that the meaning of each filter is in one readable place;
every value goes in as a parameter, never into the SQL text.
"""

from __future__ import annotations

from datetime import date

from index.query import CONTACT_TYPES, Filters
from index.tokens import index_tokens

EPOCH = date(1970, 1, 1)  # offers.day counts days from here


def fts_match(text: str) -> str | None:
    """An FTS5 query needing every index token of ``text``; None when it has none."""
    words = index_tokens(text)
    if not words:
        return None
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


class Where:
    """SQL conditions joined by AND, with their parameters in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list = []

    def add(self, sql: str, *params) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def any_of(self, column: str, values: list) -> None:
        if values:
            self.add(f"{column} IN ({','.join('?' * len(values))})", *values)

    def sql(self) -> str:
        return " AND ".join(self.parts) if self.parts else "1"


def offer_conditions(filters: Filters, alias: str = "o") -> Where:
    """What one offer must meet: goods, platform, side, currency, unit, unit-price range."""
    where = Where()
    where.any_of(f"{alias}.goods", filters.goods)
    if filters.platform:
        named = [p for p in filters.platform if p != "none"]
        options = []
        if named:
            options.append(f"{alias}.platform IN ({','.join('?' * len(named))})")
        if "none" in filters.platform:
            options.append(f"{alias}.platform IS NULL")
        where.add("(" + " OR ".join(options) + ")", *named)
    where.any_of(f"{alias}.side", filters.side)
    where.any_of(f"{alias}.currency", filters.currency)
    where.any_of(f"{alias}.unit", filters.unit)
    if filters.price_min is not None:
        where.add(f"{alias}.unit_price >= ?", filters.price_min)
    if filters.price_max is not None:
        where.add(f"{alias}.unit_price <= ?", filters.price_max)
    return where


def seller_condition(where: Where, column: str, sellers: list[str]) -> None:
    """``column`` (a post's integer key) has a contact with one of the keys or bare values."""
    if not sellers:
        return
    keys = [s for s in sellers if s.partition(":")[0] in CONTACT_TYPES]
    values = [s for s in sellers if s not in keys]
    options = []
    if keys:
        options.append(f"key IN ({','.join('?' * len(keys))})")
    if values:
        options.append(f"value IN ({','.join('?' * len(values))})")
    where.add(
        f"{column} IN (SELECT post_pk FROM contacts WHERE {' OR '.join(options)})",
        *keys, *values,
    )


def post_conditions(filters: Filters, alias: str = "p", *, time_column: str = "at") -> Where:
    """What a post must meet, offers aside: text, source, seller, time."""
    where = Where()
    if filters.text:
        match = fts_match(filters.text)
        if match is None:  # only punctuation: nothing can match it
            where.add("0")
        else:
            where.add(f"{alias}.pk IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)",
                      match)
    where.any_of(f"{alias}.source", filters.source)
    seller_condition(where, f"{alias}.pk", filters.seller)
    if filters.since_time:
        where.add(f"{alias}.{time_column} >= ?", filters.since_time)
    if filters.until_time:
        where.add(f"{alias}.{time_column} < ?", filters.until_time)
    return where


def matching_posts(filters: Filters) -> Where:
    """Posts meeting the post filters and, if any are given, having an offer meeting them."""
    where = post_conditions(filters)
    if filters.offer_filtered:
        offers = offer_conditions(filters)
        where.add(
            f"EXISTS (SELECT 1 FROM offers o WHERE o.post_pk = p.pk AND {offers.sql()})",
            *offers.params,
        )
    return where


def matching_offers(filters: Filters) -> Where:
    """Offers meeting the offer filters whose post meets the post filters."""
    where = offer_conditions(filters)
    where.any_of("o.source", filters.source)
    if filters.since is not None:  # on the day number, so the (goods, day) index serves
        where.add("o.day >= ?", (filters.since - EPOCH).days)
    if filters.until is not None:
        where.add("o.day <= ?", (filters.until - EPOCH).days)
    if filters.text:
        match = fts_match(filters.text)
        if match is None:
            where.add("0")
        else:
            where.add("o.post_pk IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)", match)
    seller_condition(where, "o.post_pk", filters.seller)
    return where
