"""The store interface both backends implement.

Callers (item pipelines, the CLI, the digest) hold a :class:`Store` and never know which
backend is behind it; the contract tests in ``tests/index`` run the same checks on each.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

from index.errors import StoreError
from index.query import Filters, SearchQuery, SearchResult, TrendQuery, period_of
from index.records import CrawlRun, Post, utc_time
from index.urls import BadURL, masked, url_scheme

DEFAULT_STORE = Path("var") / "heishi.db"
STORE_ENV = "HEISHI_STORE"


class UpsertOutcome(StrEnum):
    NEW = "new"  # never stored before
    SEEN = "seen"  # stored, same text: only last_seen moves
    CHANGED = "changed"  # stored, text differs: the old text is kept as an earlier version


def default_store_location() -> str:
    """``$HEISHI_STORE`` if set, else ``var/heishi.db`` under the working directory."""
    return os.environ.get(STORE_ENV) or str(DEFAULT_STORE)


def open_store(location: str | None = None, *, create: bool = True, **options) -> Store:
    """Open the store at ``location``: a file path is SQLite, an http(s) URL (any case) is
    Elasticsearch, any other ``scheme://`` is refused.

    ``create=False`` is for commands that only read: a missing SQLite file is then an error
    rather than a new empty store that would answer every query with nothing.
    """
    location = location or default_store_location()
    scheme = url_scheme(location)
    if scheme in ("http", "https", "es"):
        from index.elastic import ElasticStore

        return ElasticStore(location, **options)
    if scheme is not None:  # never a SQLite file named after a URL and its password
        raise BadURL(
            f"store {masked(location)!r}: unknown scheme {scheme}://; a store is a file path "
            "(SQLite) or an http(s):// Elasticsearch URL"
        )
    from index.sqlite import SQLiteStore

    return SQLiteStore(location, create=create, **options)


class Store(ABC):
    """Posts, offers, sellers and crawl runs. Every write is idempotent."""

    # -- posts ---------------------------------------------------------------------------
    @abstractmethod
    def upsert_posts(self, posts: Sequence[Post]) -> list[UpsertOutcome]:
        """Store posts, one outcome per post in order; the same post twice is stored once."""

    @abstractmethod
    def last_seen(self, ids: Iterable[str]) -> dict[str, str]:
        """``last_seen`` of the ids already stored (what incremental crawls skip)."""

    @abstractmethod
    def get_post(self, id: str) -> dict | None:
        """One post as a dict (Post fields plus id, first_seen, last_seen), or None."""

    @abstractmethod
    def post_versions(self, id: str) -> list[dict]:
        """Earlier texts of a post, oldest first: ``{"text", "seen_at", "evidence_sha256"}``."""

    @abstractmethod
    def iter_posts(self, source: str | None = None) -> Iterator[dict]:
        """Every stored post (of one source), for re-extraction and copying."""

    def posts_with_offers(self, ids: Sequence[str]) -> list[dict]:
        """The posts of ``ids`` that exist, in that order, each with its ``offers`` and
        ``contacts`` as search hits carry them (what a takedown request lists)."""
        found = []
        for id in ids:
            post = self.get_post(id)
            if post is not None:
                post.setdefault("offers", [])
                post.setdefault("contacts", [])
                found.append(post)
        return found

    # -- extraction ----------------------------------------------------------------------
    @abstractmethod
    def put_extraction(self, post_id: str, extraction: dict, extractor_version: str) -> None:
        """Replace the offers and contacts of a post with an extractor's output.

        ``extraction`` is one output line of the taxonomy contract: ``is_listing``,
        ``offers`` and ``contacts``.
        """

    def put_extractions(self, items: Iterable[tuple[str, dict, str]]) -> None:
        """Many ``(post_id, extraction, extractor_version)`` at once; backends batch them."""
        for post_id, extraction, version in items:
            self.put_extraction(post_id, extraction, version)

    # -- crawl runs ----------------------------------------------------------------------
    @abstractmethod
    def start_run(self, run: CrawlRun) -> CrawlRun:
        """Record a run as started; returns it with its id set."""

    @abstractmethod
    def finish_run(self, run: CrawlRun) -> None:
        """Record the end of a run (status, counts, errors)."""

    @abstractmethod
    def runs(self, source: str | None = None, limit: int = 50) -> list[CrawlRun]:
        """Latest runs first."""

    # -- reading -------------------------------------------------------------------------
    @abstractmethod
    def stats(self) -> dict:
        """Counts of posts, offers, sellers and crawl runs, in total and per source."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Posts matching the query, newest first, with facet counts (see ``index.query``)."""

    @abstractmethod
    def trend(self, query: TrendQuery) -> list[dict]:
        """One row per period (and group): offers, sellers and unit-price figures."""

    def approximate_figures(self) -> list[str]:
        """Which trend figures this backend estimates rather than counts (none: all exact)."""
        return []

    @abstractmethod
    def seller(self, contact: str) -> dict | None:
        """Everything known about one contact across posts and sources, or None.

        ``contact`` as typed: ``qq:123``, ``wechat:abc``, ``@tg`` or a bare value (which
        matches that value under any contact type). The answer::

            {"contact": "qq:123", "keys": ["qq:123"],        # the keys it matched
             "posts": 2, "offers": 3,
             "first_seen", "last_seen",                      # crawl times of its posts
             "first_posted", "last_posted",                  # post times (UTC)
             "sources": {"tg": 2},  "goods": {"account": 2}, # counts, largest first
             "prices": [{"goods", "platform", "side", "currency", "unit", "offers",
                         "priced", "min", "median", "max"}], # unit prices, most offers first
             "linked_contacts": {"wechat:abc": 1},           # other contacts in its posts
             "recent_posts": [{"id", "source", "url", "channel", "author", "posted_at",
                               "last_seen", "title", "text"}]}  # 20 newest
        """

    @abstractmethod
    def iter_offers(self, filters: Filters | None = None) -> Iterator[dict]:
        """Every stored offer (matching ``filters``), with post id, source, time and seller."""

    # -- what the digest and alerts read (generic here; backends answer faster) ------------
    def weekly_items(self, filters: Filters | None = None) -> list[dict]:
        """Per ISO week and (goods, platform, side, unit, currency), sources merged::

            {"week": "2026-W47", "start": date, "goods", "platform", "side", "unit",
             "currency", "offers", "sellers", "prices": sorted numpy array of unit prices}

        Sorted by week then key. Missing platform or side is ``none``.
        """
        import numpy as np

        groups: dict[tuple, list] = {}
        for offer in self.iter_offers(filters):
            day = date.fromisoformat(offer["posted_at"][:10])
            monday = day - timedelta(days=day.weekday())
            key = (monday, offer["goods"], offer["platform"] or "none", offer["side"] or "none",
                   offer["unit"] or "item", offer["currency"] or "CNY")
            group = groups.setdefault(key, [0, set(), []])
            group[0] += 1
            if offer.get("seller_key"):
                group[1].add(offer["seller_key"])
            if offer.get("unit_price") is not None:
                group[2].append(offer["unit_price"])
        return [
            {"week": period_of(key[0].isoformat(), "week")[0], "start": key[0],
             "goods": key[1], "platform": key[2], "side": key[3], "unit": key[4],
             "currency": key[5], "offers": count, "sellers": len(sellers),
             "prices": np.sort(np.asarray(prices, dtype=float))}
            for key, (count, sellers, prices) in sorted(groups.items())
        ]

    def seller_activity(self, since: date, until: date) -> dict[str, dict]:
        """Sellers with offers between two dates (inclusive): ``{key: {"first", "last"
        (dates of their first and last offer ever), "goods" (set, within the dates)}}``."""
        found: dict[str, dict] = {}
        for offer in self.iter_offers():
            key = offer.get("seller_key")
            if not key:
                continue
            day = date.fromisoformat(offer["posted_at"][:10])
            entry = found.setdefault(key, {"first": day, "last": day, "goods": set()})
            entry["first"], entry["last"] = min(entry["first"], day), max(entry["last"], day)
            if since <= day <= until:
                entry["goods"].add(offer["goods"])
        return {k: v for k, v in found.items() if v["goods"]}

    def source_activity(self, since: date, until: date) -> dict[str, dict]:
        """Per source: ``posts`` dated between two dates (inclusive) and ``last`` post time."""
        found: dict[str, dict] = {}
        for post in self.iter_posts():
            at = utc_time(post.get("posted_at")) or post.get("first_seen")
            entry = found.setdefault(post["source"], {"posts": 0, "last": at})
            entry["last"] = max(entry["last"], at)
            if since.isoformat() <= at[:10] <= until.isoformat():
                entry["posts"] += 1
        return found

    def posts_stored_since(self, moment: str | None) -> Iterator[dict]:
        """Posts first stored at or after ``moment`` (UTC ISO text; None: all), with their
        ``offers`` and ``contacts``: what watch rules read after each crawl."""
        new = [p for p in self.iter_posts() if moment is None or p["first_seen"] >= moment]
        if not new:
            return
        offers: dict[str, list[dict]] = {}
        ids = {p["id"] for p in new}
        for offer in self.iter_offers():
            if offer["post_id"] in ids:
                offers.setdefault(offer["post_id"], []).append(offer)
        for post in new:
            post["offers"] = offers.get(post["id"], [])
            post.setdefault("contacts", [])
            yield post

    # -- takedown cases ------------------------------------------------------------------
    # Not abstract: a backend without a case ledger answers with one clear error instead.
    def add_cases(self, cases: Sequence[dict]) -> None:
        """Record new takedown cases, all or none, each as ``drafted``.

        A case: ``{"id", "platform", "host", "created_at", "created_by", "target": {...},
        "bundle", "report_to", "posts": [{"post_id", "url", "evidence_sha256"}]}``.
        An id already in the ledger is refused.
        """
        raise self._no_cases()

    def get_case(self, id: str) -> dict | None:
        """One case with its ``posts`` (each with ``removed_at``) and ``events``, oldest
        first; or None. Events: ``{"at", "by", "kind": "state"|"check", "state", "post_id",
        "url", "outcome", "note", "evidence_sha256"}``."""
        raise self._no_cases()

    def cases(self, states: Iterable[str] | None = None) -> list[dict]:
        """Cases (in ``states``), oldest first, as :meth:`get_case` gives them."""
        raise self._no_cases()

    def set_case_state(
        self,
        id: str,
        state: str,
        *,
        by: str,
        at: str | None = None,
        note: str | None = None,
        evidence_sha256: str | None = None,
    ) -> dict:
        """Move a case to ``state`` (checked against ``CASE_TRANSITIONS`` in the same
        transaction), recording when, by whom and why; returns the case."""
        raise self._no_cases()

    def record_case_check(
        self,
        id: str,
        post_id: str,
        *,
        url: str | None,
        outcome: str,
        by: str,
        at: str | None = None,
        note: str | None = None,
        evidence_sha256: str | None = None,
    ) -> None:
        """Record one re-fetch of a case's post. ``outcome`` ``gone`` marks the post removed
        (the first time); ``up`` and ``unreachable`` only add to the history."""
        raise self._no_cases()

    def _no_cases(self) -> StoreError:
        return StoreError(
            f"{self!r}: takedown cases are not supported on this store yet; keep them in the "
            "embedded store (--store var/heishi.db)"
        )

    # -- stock readings of code-receiving platforms (estimated sales) ---------------------
    supports_stock = False

    def add_stock_readings(self, readings: Sequence) -> int:
        """Keep :class:`index.sales.StockReading` records; the same reading twice is kept once.
        Returns how many were new."""
        raise StoreError(f"{self!r}: stock readings (sms_api sources, estimated sales) are "
                         "not supported on this backend yet; use the embedded SQLite store")

    def sales(self, interval: str = "week", source: list[str] | None = None,
              since: str | None = None, until: str | None = None) -> list[dict]:
        """Estimated sales per period, source and service (see :mod:`index.sales`)."""
        raise StoreError(f"{self!r}: estimated sales are not supported on this backend yet; "
                         "use the embedded SQLite store")

    def flush(self) -> None:  # noqa: B027 - optional for backends that write at once
        """Make buffered writes durable."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the backend."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
