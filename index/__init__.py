"""Storage and queries of posts, offers, sellers and crawl runs.

One interface (:class:`index.store.Store`), two backends: SQLite, the embedded default, and
Elasticsearch. Callers get a store from :func:`open_store` and never name a backend class.
"""

from index.errors import StoreError
from index.records import CrawlRun, Post, post_id
from index.store import Store, UpsertOutcome, default_store_location, open_store

__all__ = [
    "CrawlRun",
    "Post",
    "Store",
    "StoreError",
    "UpsertOutcome",
    "default_store_location",
    "open_store",
    "post_id",
]
