"""Item pipelines: evidence → extract → store.

Evidence comes first so that nothing reaches the store without the page it was read from;
extraction reads the raw text (a seller's contact must survive) and hands the store only the
redacted one; the store pipeline batches writes and records the crawl run.
"""

from __future__ import annotations

import logging
import os
import time
import weakref
from datetime import UTC, datetime

from scrapy import signals
from scrapy.exceptions import DropItem

from crawlers.evidence import EvidenceArchive, evidence_root
from crawlers.items import PostItem
from index import CrawlRun, open_store
from index.records import post_id, utcnow
from index.store import default_store_location
from nlp import EXTRACTOR_VERSION, extract, redact

logger = logging.getLogger(__name__)

REDACT_KEY_ENV = "HEISHI_REDACT_KEY"
# Development default so that `heishi demo` runs out of the box. Redaction replaces victims'
# data with keyed digests; with this public key they can be confirmed by guessing, so every
# real deployment sets $HEISHI_REDACT_KEY to its own secret.
DEV_REDACT_KEY = "heishi-dev-redact-key"


class EvidencePipeline:
    """Archives the page each post was read from and records its digest on the post."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.root = evidence_root(crawler.settings.get("HEISHI_EVIDENCE"))
        self.archive: EvidenceArchive | None = None
        # A listing page gives many posts: archive it once, however many items point at it.
        self._kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        self.archive = EvidenceArchive(self.root, self.crawler.spider.name)

    def process_item(self, item):
        if not isinstance(item, PostItem):
            return item
        response = item.pop("capture", None)
        if response is None:
            return item
        sha256 = self._kept.get(response)
        if sha256 is None:
            fetched_at = datetime.fromisoformat(item.get("fetched_at") or utcnow())
            sha256 = self.archive.keep(
                response.url,
                response.body,
                status=response.status,
                headers=[
                    (name, value) for name, values in response.headers.items() for value in values
                ],
                fetched_at=fetched_at.astimezone(UTC),
            )
            self._kept[response] = sha256
            self.crawler.stats.inc_value("heishi/evidence_captures")
        item["evidence_sha256"] = sha256
        return item

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()


class ExtractPipeline:
    """Finds the offers and contacts in a post, and redacts victims' data from its text."""

    def __init__(self, crawler):
        self.crawler = crawler
        key = os.environ.get(REDACT_KEY_ENV) or crawler.settings.get("HEISHI_REDACT_KEY")
        if not key:
            logger.info("$%s is not set: redacting with the development key", REDACT_KEY_ENV)
        self.key = (key or DEV_REDACT_KEY).encode("utf-8")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        if not isinstance(item, PostItem):
            return item
        text = item["text"]
        try:
            item["extraction"] = extract(text)
        except Exception:
            # The post is still worth keeping: stored without offers, it is extracted again
            # when the offers are rebuilt. Losing it would lose its evidence trail too.
            stats = self.crawler.stats
            stats.inc_value("heishi/extract_errors")
            if stats.get_value("heishi/extract_errors") == 1:  # the first with its traceback
                logger.exception(
                    "%s: cannot extract offers from post %s; storing it without offers "
                    "(later failures are only counted: heishi/extract_errors)",
                    item["source"],
                    item["key"],
                )
            item["extraction"] = None
        try:
            item["text"] = redact(text, self.key)
        except Exception as exc:
            # Storing the text unredacted would put victims' data in the index: drop it, loudly.
            self.crawler.stats.inc_value("heishi/redact_errors")
            failures = getattr(self.crawler.spider, "failures", None)
            if failures is not None:
                failures.append(f"post {item['key']}: cannot redact: {exc}")
            raise DropItem(f"cannot redact post {item['key']}: {exc}") from exc
        return item


class StorePipeline:
    """Writes posts (and their extraction) to the store in batches; records the crawl run.

    Every write is an idempotent upsert, so a crawl killed between batches loses only what was
    not written yet, and the next crawl, seeing the killed run never finished, pages through
    the whole source again instead of stopping early.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.location = settings.get("HEISHI_STORE") or default_store_location()
        self.batch_size = settings.getint("HEISHI_STORE_BATCH", 200)
        self.flush_seconds = settings.getfloat("HEISHI_STORE_FLUSH_SECONDS", 2.0)
        self.store = open_store(self.location)
        self.run: CrawlRun | None = None
        self.previous_run_complete = False
        self.pending: list[PostItem] = []
        self._waiting: dict[str, str] = {}  # id -> fetched_at of the posts in ``pending``
        self._flushed_at = time.monotonic()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        source = self.crawler.spider.name
        previous = self.store.runs(source, limit=1)
        self.previous_run_complete = bool(previous) and previous[0].status == "ok"
        self.run = self.store.start_run(CrawlRun(source=source))

    # -- what the spider asks ----------------------------------------------------------------
    def last_seen(self, ids: list[str]) -> dict[str, str]:
        """When each id was last stored, counting posts still waiting in the batch."""
        known = self.store.last_seen(ids)
        known.update({id: self._waiting[id] for id in ids if id in self._waiting})
        return known

    # -- writing -----------------------------------------------------------------------------
    def process_item(self, item):
        if not isinstance(item, PostItem):
            return item
        self.pending.append(item)
        self._waiting[post_id(item["source"], item["key"])] = item.get("fetched_at") or utcnow()
        if (
            len(self.pending) >= self.batch_size
            or time.monotonic() - self._flushed_at >= self.flush_seconds
        ):
            self.flush()
        return item

    def flush(self) -> None:
        self._flushed_at = time.monotonic()
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        self._waiting = {}
        posts = [item.to_post() for item in batch]
        outcomes = self.store.upsert_posts(posts)
        extractions = []
        stats = self.crawler.stats
        for post, item, outcome in zip(posts, batch, outcomes, strict=True):
            stats.inc_value(f"heishi/posts_{outcome.value}")
            # Seen posts too: one stored while the extractor failed gets its offers now.
            if item.get("extraction") is not None:
                extractions.append((post.id, item["extraction"], EXTRACTOR_VERSION))
        if extractions:
            self.store.put_extractions(extractions)
        self.store.flush()

    def close_spider(self) -> None:
        self.flush()

    def spider_closed(self, spider, reason: str) -> None:
        try:
            self.flush()
            self._finish_run(spider, reason)
        finally:
            self.store.close()

    def _finish_run(self, spider, reason: str) -> None:
        stats = self.crawler.stats
        run = self.run
        run.finished_at = utcnow()
        run.pages = stats.get_value("heishi/pages", 0)
        run.posts_new = stats.get_value("heishi/posts_new", 0)
        run.posts_seen = stats.get_value("heishi/posts_seen", 0)
        run.posts_changed = stats.get_value("heishi/posts_changed", 0)
        run.status, run.errors = spider.outcome(reason)
        self.store.finish_run(run)
