"""Item pipelines: evidence → extract → store.

Evidence comes first so that nothing reaches the store without the page it was read from;
extraction reads the raw text (a seller's contact must survive) and hands the store only the
redacted one; the store pipeline batches writes and records the crawl run. Extraction and
store writes run in worker processes (:mod:`crawlers.workers`) while the crawl goes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

from crawlers import workers
from crawlers.evidence import EvidenceArchive, evidence_root, sha256_hex
from crawlers.items import POST_FIELDS, SELLER_FIELDS, PostItem, extraction_input
from crawlers.locks import SourceLock
from index import CrawlRun, open_store
from index.records import post_id, utcnow
from index.store import default_store_location
from nlp import EXTRACTOR_VERSION
from nlp.redact import REDACT_KEY_ENV

logger = logging.getLogger(__name__)

# Development default so that `heishi demo` runs out of the box. Redaction replaces victims'
# data with keyed digests; with this public key they can be confirmed by guessing, so every
# real deployment sets $HEISHI_REDACT_KEY to its own secret.
DEV_REDACT_KEY = "heishi-dev-redact-key"
_warned_dev_key = False


class EvidencePipeline:
    """Archives the page each post was read from and records its digest on the post.

    The digest is taken at once; compressing and writing happen in a thread (zlib and file
    writes release the GIL), one capture after another so WARC records stay in order. The
    store pipeline waits for :meth:`barrier` before writing a batch, so no post is stored
    before its page is on disk.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.root = evidence_root(crawler.settings.get("HEISHI_EVIDENCE"))
        self.archive: EvidenceArchive | None = None
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="heishi-evidence")
        self._failure: BaseException | None = None
        self._closed = False
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
        request = getattr(response, "request", None)  # a response rebuilt from parts has none
        if sha256 is None and request is not None and request.meta.get("heishi_import"):
            # An imported file already archived (imported before) is not archived again.
            known = sha256_hex(response.body)
            if self.archive.blob_path(known).exists():
                sha256 = self._kept[response] = known
        if sha256 is None:
            sha256 = sha256_hex(response.body)
            fetched_at = datetime.fromisoformat(item.get("fetched_at") or utcnow())
            headers = [
                (name, value) for name, values in response.headers.items() for value in values
            ]
            self._writer.submit(
                self._keep,
                response.url,
                response.body,
                response.status,
                headers,
                fetched_at.astimezone(UTC),
                sha256,
            )
            self._kept[response] = sha256
            self.crawler.stats.inc_value("heishi/evidence_captures")
        item["evidence_sha256"] = sha256
        return item

    def _keep(self, *capture) -> None:
        try:
            self.archive.keep(*capture)
        except BaseException as exc:
            self._failure = self._failure or exc
            raise

    def barrier(self) -> asyncio.Future:
        """Done when every capture handed over so far is on disk; fails if one could not be."""

        def check() -> None:
            if self._failure is not None:
                raise OSError(f"evidence could not be written: {self._failure}")

        if self._closed:  # every write has finished already
            done = asyncio.get_running_loop().create_future()
            try:
                check()
                done.set_result(None)
            except OSError as exc:
                done.set_exception(exc)
            return done
        return asyncio.wrap_future(self._writer.submit(check))

    def close_spider(self) -> None:
        self._closed = True
        self._writer.shutdown(wait=True)
        if self.archive is not None:
            self.archive.close()


class ExtractPipeline:
    """Finds the offers and contacts in a post, and redacts victims' data from every field the
    seller wrote (text, title, author, price text, channel, extra).

    Posts are sent to the extraction workers in batches: those that arrive within ``WAIT``
    seconds of the first, up to ``BATCH``, about ten listing pages. A round trip per page (5 ms,
    64 posts, as it was) cost the crawl process about as much as the pipelines' own work:
    bench/crawl.py measured its CPU in the full pipeline at 37-39 s for 2,000 pages then, and at
    32-38 s with these batches (the bare crawl: 21 s).
    """

    BATCH = 200
    WAIT = 0.03

    def __init__(self, crawler):
        self.crawler = crawler
        key = os.environ.get(REDACT_KEY_ENV) or crawler.settings.get("HEISHI_REDACT_KEY")
        global _warned_dev_key
        if not key and not _warned_dev_key:  # once per process, not once per source crawled
            _warned_dev_key = True
            logger.warning(
                "$%s is not set: victims' data is redacted with the public development key; "
                "set your own secret outside development",
                REDACT_KEY_ENV,
            )
        self.key = (key or DEV_REDACT_KEY).encode("utf-8")
        self.workers = _workers(crawler.settings)
        # (what the extractor reads, the fields to redact, the source's context), and its answer
        self._batch: list[tuple[tuple[str, dict, str | None], asyncio.Future]] = []
        self._timer: asyncio.TimerHandle | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        workers.start("extraction", self.workers)

    async def process_item(self, item):
        if not isinstance(item, PostItem):
            return item
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        analysed, context = extraction_input(item)
        fields = {name: item.get(name) for name in SELLER_FIELDS if item.get(name) is not None}
        self._batch.append(((analysed, fields, context), done))
        if len(self._batch) >= self.BATCH:
            self._send()
        elif self._timer is None:
            self._timer = loop.call_later(self.WAIT, self._send)
        extraction, redacted, error, redact_error = await done
        if redact_error is not None:
            # Storing the text unredacted would put victims' data in the index: drop it, loudly.
            self.crawler.stats.inc_value("heishi/redact_errors")
            _record_failure(self.crawler, f"post {item['key']}: cannot redact: {redact_error}")
            raise DropItem(f"cannot redact post {item['key']}: {redact_error}")
        if error is not None:
            # The post is still worth keeping: stored without offers, it is extracted again
            # when the offers are rebuilt. Losing it would lose its evidence trail too.
            stats = self.crawler.stats
            stats.inc_value("heishi/extract_errors")
            if stats.get_value("heishi/extract_errors") == 1:
                logger.error(
                    "%s: cannot extract offers from post %s (%s); storing it without offers "
                    "(later failures are only counted: heishi/extract_errors)",
                    item["source"],
                    item["key"],
                    error,
                )
        item["extraction"] = extraction
        item.update(redacted)
        return item

    def _send(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._batch = self._batch, []
        if not batch:
            return
        posts = [post for post, _ in batch]
        sent = asyncio.ensure_future(workers.extract(posts, self.key, self.workers))

        def hand_out(sent: asyncio.Future) -> None:
            for index, (_, done) in enumerate(batch):
                if done.cancelled():
                    continue
                if sent.cancelled() or sent.exception() is not None:
                    why = "cancelled" if sent.cancelled() else repr(sent.exception())
                    done.set_result((None, None, None, f"extraction failed: {why}"))
                else:
                    done.set_result(sent.result()[index])

        sent.add_done_callback(hand_out)


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
        self.batch_size = settings.getint("HEISHI_STORE_BATCH", 500)
        self.flush_seconds = settings.getfloat("HEISHI_STORE_FLUSH_SECONDS", 2.0)
        self.workers = _workers(settings)
        # A distributed worker crawls for ever, round after round: the scheduler that pushes a
        # round records its run (crawlers.distributed), not the worker.
        self.record_runs = settings.getbool("HEISHI_RECORD_RUNS", True)
        self.run: CrawlRun | None = None
        self._previous_run_complete = False
        self._previous_checked = 0.0
        # Before the engine starts, so that a busy source or a locked store ends this crawler
        # with one error instead of an engine closed half-open. Distributed workers crawl a
        # source together and record no runs: they take no lock.
        source = crawler.spidercls.name
        self.lock = SourceLock(self.location, source) if self.record_runs else None
        try:
            self.store = open_store(self.location)  # runs and look-ups; posts go via the writer
            if self.record_runs:
                try:
                    previous = self.store.runs(source, limit=1)
                    self._previous_run_complete = bool(previous) and previous[0].status == "ok"
                    self._close_abandoned_runs(source)
                    self.run = self.store.start_run(CrawlRun(source=source))
                except BaseException:
                    self.store.close()
                    raise
        except BaseException:
            if self.lock is not None:
                self.lock.release()
            raise
        self.pending: list[PostItem] = []
        self._waiting: dict[str, str] = {}  # id -> fetched_at, of posts not written yet
        self._writes: set[asyncio.Future] = set()
        self._flushed_at = time.monotonic()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        source_config = getattr(self.crawler.spider, "source", None)
        if getattr(source_config, "kind", None) == "sms_api" and not self.store.supports_stock:
            # Refuse before anything is fetched (the store's error says why), rather than
            # fail every write of the crawl.
            self.store.add_stock_readings([])
        workers.start("store", self.workers)

    @property
    def previous_run_complete(self) -> bool:
        """Whether the source's last crawl ran to its end (else the whole source is paged)."""
        if not self.record_runs and time.monotonic() - self._previous_checked > 10:
            # A worker's rounds come and go: the last round that ended decides.
            ended = [r for r in self.store.runs(self.crawler.spider.name, limit=5)
                     if r.status != "running"]  # fmt: skip
            self._previous_run_complete = bool(ended) and ended[0].status == "ok"
            self._previous_checked = time.monotonic()
        return self._previous_run_complete

    def _close_abandoned_runs(self, source: str) -> None:
        """A run still "running" when its source is crawled again was killed before it could
        record its end: say so, so that run history and its counts are not read as live.

        This crawl holds the source's lock (:mod:`crawlers.locks`), so no other live crawl
        can own such a run.
        """
        for run in self.store.runs(source, limit=20):
            if run.status == "running":
                run.status = "interrupted"
                run.finished_at = None  # the store records when it was found so
                run.errors = [*run.errors, "the crawl ended without recording its end (killed?)"]
                self.store.finish_run(run)
                logger.warning("%s: crawl run %s was interrupted; marked so", source, run.id)

    # -- what the spider asks ----------------------------------------------------------------
    def last_seen(self, ids: list[str]) -> dict[str, str]:
        """When each id was last stored, counting posts on their way to the store."""
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
        """Send the pending posts to the writer; counts arrive when it has written them."""
        self._flushed_at = time.monotonic()
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        posts = [{name: item.get(name) for name in POST_FIELDS} for item in batch]
        ids = [post_id(post["source"], post["key"]) for post in posts]
        # Seen posts too: one stored while the extractor failed gets its offers now.
        extractions = [
            (id, item["extraction"], EXTRACTOR_VERSION)
            for id, item in zip(ids, batch, strict=True)
            if item.get("extraction") is not None
        ]
        readings = [dict(reading, source=item["source"]) for item in batch
                    for reading in item.get("stock") or ()]
        written = asyncio.ensure_future(self._write(posts, extractions, readings))
        self._writes.add(written)
        written.add_done_callback(lambda done: self._written(done, ids))

    async def _write(self, posts: list[dict], extractions: list, readings: list) -> list[str]:
        evidence = self.crawler.get_item_pipeline(EvidencePipeline)
        if evidence is not None:
            await evidence.barrier()  # the pages first, then the posts that point at them
        return await workers.write(self.location, posts, extractions, self.workers, readings)

    def _written(self, done: asyncio.Future, ids: list[str]) -> None:
        self._writes.discard(done)
        for id in ids:
            self._waiting.pop(id, None)
        stats = self.crawler.stats
        if done.cancelled() or done.exception() is not None:
            error = "cancelled" if done.cancelled() else repr(done.exception())
            stats.inc_value("heishi/store_errors")
            _record_failure(self.crawler, f"cannot store {len(ids)} posts: {error}")
            logger.error("%s: cannot store %d posts: %s", self.crawler.spider.name, len(ids), error)
            return
        for outcome in done.result():
            stats.inc_value(f"heishi/posts_{outcome}")

    def close_spider(self) -> None:
        self.flush()

    async def drain(self) -> bool:
        """Done when every post handed to this pipeline so far is written; False if a write
        failed (those posts are not in the store)."""
        self.flush()
        if not self._writes:
            return True
        done = await asyncio.gather(*list(self._writes), return_exceptions=True)
        return not any(isinstance(result, BaseException) for result in done)

    async def spider_closed(self, spider, reason: str) -> None:
        try:
            await self.drain()
            if self.run is not None:
                self._finish_run(spider, reason)
        finally:
            self.store.close()
            if self.lock is not None:
                self.lock.release()

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
        stats.set_value("heishi/status", run.status)  # now that every write has landed
        stats.set_value("heishi/errors", run.errors)


def start_workers(settings) -> None:
    """Start the worker processes that the crawl's extraction and store pipelines will use,
    before Scrapy builds them.

    A worker takes about 1.2 s to load jieba, the lexicon and the model; the crawl process
    takes 0.8 s from :func:`crawlers.runner.crawl` to the pipelines' ``open_spider``, where the
    workers started until now. Started first, a worker loads while the crawler starts, on the
    other CPU, and the posts of the first pages wait that much less (the pipelines' own
    ``open_spider`` finds the workers running).
    """
    enabled = {
        load_object(path) if isinstance(path, str) else path
        for path in build_component_list(settings.getwithbase("ITEM_PIPELINES"))
    }
    count = _workers(settings)
    if ExtractPipeline in enabled:
        workers.start("extraction", count)
    if StorePipeline in enabled:
        workers.start("store", count)


def _workers(settings) -> int:
    value = settings.get("HEISHI_WORKERS")
    return workers.default_workers() if value is None else int(value)


def _record_failure(crawler, message: str) -> None:
    failures = getattr(crawler.spider, "failures", None)
    if failures is not None:
        failures.append(message)
