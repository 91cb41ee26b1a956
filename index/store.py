"""The store interface both backends implement.

Callers (item pipelines, the CLI, the digest) hold a :class:`Store` and never know which
backend is behind it; the contract tests in ``tests/index`` run the same checks on each.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path

from index.query import Filters, SearchQuery, SearchResult, TrendQuery
from index.records import CrawlRun, Post

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
    """Open the store at ``location``: a file path is SQLite, an http(s) URL is Elasticsearch.

    ``create=False`` is for commands that only read: a missing SQLite file is then an error
    rather than a new empty store that would answer every query with nothing.
    """
    location = location or default_store_location()
    if location.startswith(("http://", "https://", "es://")):
        from index.elastic import ElasticStore

        return ElasticStore(location, **options)
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

    def flush(self) -> None:  # noqa: B027 - optional for backends that write at once
        """Make buffered writes durable."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the backend."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
