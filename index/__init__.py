"""Storage and queries of posts, offers, sellers and crawl runs.

One interface (:class:`index.store.Store`), two backends: SQLite, the embedded default, and
Elasticsearch. Callers get a store from :func:`open_store` and never name a backend class;
they ask it with the query model of :mod:`index.query`.
"""

from index.errors import StoreError
from index.query import Filters, SearchQuery, SearchResult, TrendQuery
from index.records import CrawlRun, Post, post_id
from index.store import Store, UpsertOutcome, default_store_location, open_store

__all__ = [
    "CrawlRun",
    "Filters",
    "Post",
    "SearchQuery",
    "SearchResult",
    "Store",
    "StoreError",
    "TrendQuery",
    "UpsertOutcome",
    "default_store_location",
    "open_store",
    "post_id",
]
