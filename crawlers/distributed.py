"""Crawling on many machines: scrapy-redis holds the request queue and the duplicate filter.

``heishi worker`` processes (any number, anywhere) run one crawler per source whose Scrapy
scheduler is :class:`RedisScheduler`; the heishi scheduler (or ``heishi crawl --redis``) starts a
*round* of a source by pushing its start requests (:func:`run_round`), waits for the workers to
drain it, and records the crawl run from the counts they leave in Redis.

scrapy-redis pops a request by removing it from Redis (``ZRANGE`` + ``ZREMRANGEBYRANK``): a
worker killed between that pop and the end of the request's processing loses it for good, and
the duplicate filter then keeps it from ever being queued again. :class:`ReliableQueue` makes
pop-to-done safe, the way a reliable queue does (Redis' RPOPLPUSH pattern):

- a pop moves the request, atomically (one Lua script), from the source's queue into its
  *processing* hash, under a token, with the popping worker's id beside it;
- the worker acknowledges the token (deletes it) only once the request is done: its callback
  has run, the requests it yielded are in Redis, and the posts it yielded are written to the
  store (:class:`WorkerExtension`);
- every worker keeps a heartbeat key with a short TTL; a token whose worker's heartbeat is gone
  (killed, machine lost) is put back in the queue by whoever looks next (workers and the
  waiting scheduler both look every few seconds).

A call whose answer is lost (Redis stopped after running it) is retried by the client, so every
script is safe to run twice: it carries an attempt id, and a second run of one attempt answers
as the first did (a pop does not pop again, a push is not refused as its own duplicate).

So a killed worker costs at most the pages it had in flight being fetched again, never a lost
page. Every Redis call goes through a client that retries with back-off on connection errors,
so a Redis restart (with its append-only file, as ``ops/deploy`` runs it) is survived.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

from crawlers.errors import ConfigError
from crawlers.sources import Source
from index import CrawlRun, open_store
from index.records import utcnow

logger = logging.getLogger(__name__)

PREFIX = "heishi"
HEARTBEAT_TTL = 10.0  # seconds a worker may go silent before its requests are put back
POLL_INTERVAL = 0.25  # seconds between a worker's looks at an empty queue
ROUND_FIELDS = ("pages", "new", "seen", "changed")
STATS = {"pages": "heishi/pages", "new": "heishi/posts_new", "seen": "heishi/posts_seen",
         "changed": "heishi/posts_changed"}  # fmt: skip


class Keys:
    """The Redis keys of one source."""

    def __init__(self, source: str):
        base = f"{PREFIX}:{source}"
        self.requests = f"{base}:requests"  # sorted set: what is to be fetched
        self.processing = f"{base}:processing"  # hash token -> request: popped, not done
        self.owners = f"{base}:owners"  # hash token -> worker id
        self.tokens = f"{base}:tokens"  # counter
        self.dupefilter = f"{base}:dupefilter"  # set of request fingerprints (this round)
        self.round = f"{base}:round"  # hash: id, counts of the round being crawled
        self.errors = f"{base}:round:errors"  # list of error lines of the round
        self.lock = f"{base}:round:lock"  # one round of a source at a time


def heartbeat_key(worker: str, source: str) -> str:
    """The key a worker's crawler of ``source`` keeps alive; its requests are owned by
    ``worker/source``."""
    return f"{PREFIX}:worker:{worker}/{source}"


def redis_client(url: str) -> redis.Redis:
    """A client that rides out a Redis restart: connection errors are retried with back-off
    (about half a minute in all) before they are raised."""
    return redis.Redis.from_url(
        url,
        socket_timeout=30,
        socket_connect_timeout=5,
        health_check_interval=15,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.05), 25),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError],
    )


def check_redis(url: str) -> None:
    """One clear error for a Redis that does not answer, before anything starts."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except (redis.RedisError, ValueError) as exc:
        raise ConfigError(f"Redis does not answer: {exc}", url) from None


# Every script can be sent twice: the client retries a call whose answer was lost (Redis went
# away after running it). So each call carries an attempt id, and a second run of the same
# attempt answers as the first did instead of popping, or refusing as a duplicate, again.

_POP = """
local earlier = redis.call('GET', KEYS[5])
if earlier then
  local data = redis.call('HGET', KEYS[2], earlier)
  if data then return {earlier, data} end
  return false
end
local found = redis.call('ZRANGE', KEYS[1], 0, 0)
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
local token = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[2], token, found[1])
redis.call('HSET', KEYS[3], token, ARGV[1])
redis.call('SET', KEYS[5], token, 'EX', 300)
return {token, found[1]}
"""

_PUSH_NEW = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0
   and redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
return 1
"""

_REQUEUE_ORPHANS = """
local owners = redis.call('HGETALL', KEYS[3])
local moved = 0
for i = 1, #owners, 2 do
  if redis.call('EXISTS', ARGV[1] .. owners[i + 1]) == 0 then
    local data = redis.call('HGET', KEYS[2], owners[i])
    if data then redis.call('ZADD', KEYS[1], 0, data) end
    redis.call('HDEL', KEYS[2], owners[i])
    redis.call('HDEL', KEYS[3], owners[i])
    moved = moved + 1
  end
end
return moved
"""

_REQUEUE = """
local data = redis.call('HGET', KEYS[2], ARGV[1])
if data then redis.call('ZADD', KEYS[1], 0, data) end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return data and 1 or 0
"""


class ReliableQueue(Base):
    """scrapy-redis' priority queue, with pop-to-done safety (see the module docstring)."""

    def __init__(self, server, spider, key, serializer=None, worker: str = ""):
        super().__init__(server, spider, key, serializer)
        self.keys = Keys(spider.name)
        self.worker = worker
        self._pop = server.register_script(_POP)
        self._push_new = server.register_script(_PUSH_NEW)
        self._orphans = server.register_script(_REQUEUE_ORPHANS)
        self._requeue = server.register_script(_REQUEUE)

    def _all_keys(self) -> list[str]:
        keys = self.keys
        return [keys.requests, keys.processing, keys.owners, keys.tokens]

    def __len__(self) -> int:
        return self.server.zcard(self.keys.requests)

    def push(self, request) -> None:
        self.server.zadd(self.keys.requests, {self._encode_request(request): -request.priority})

    def push_new(self, request, fingerprint: str, attempt: str) -> bool:
        """Push ``request`` unless its fingerprint was seen in this round (by another
        attempt): the duplicate filter and the queue change together, or not at all."""
        keys = [self.keys.dupefilter, self.keys.requests]
        data = self._encode_request(request)
        return bool(self._push_new(keys=keys, args=[fingerprint, attempt, data, -request.priority]))

    def pop(self, timeout=0):
        attempt = f"{self.keys.tokens}:pop:{uuid.uuid4().hex}"
        found = self._pop(keys=[*self._all_keys(), attempt], args=[self.worker])
        if not found:
            return None
        token, data = found
        request = self._decode_request(data)
        request.meta["heishi_token"] = token.decode() if isinstance(token, bytes) else str(token)
        return request

    def ack(self, tokens: list[str]) -> None:
        if tokens:
            with self.server.pipeline() as pipe:
                pipe.hdel(self.keys.processing, *tokens)
                pipe.hdel(self.keys.owners, *tokens)
                pipe.execute()

    def requeue(self, token: str) -> None:
        self._requeue(keys=self._all_keys()[:3], args=[token])

    def requeue_orphans(self) -> int:
        return requeue_orphans(self.server, self.keys, self._orphans)

    def clear(self) -> None:
        self.server.delete(self.keys.requests)


def requeue_orphans(server, keys: Keys, script=None) -> int:
    """Put back in the queue every request popped by a worker whose heartbeat is gone."""
    script = script or server.register_script(_REQUEUE_ORPHANS)
    moved = script(
        keys=[keys.requests, keys.processing, keys.owners], args=[f"{PREFIX}:worker:"]
    )
    if moved:
        logger.warning("%d request(s) of a worker that stopped answering are queued again",
                       moved)  # fmt: skip
    return moved


class DupeFilter(RFPDupeFilter):
    """scrapy-redis' duplicate filter on the heishi key of the source (cleared per round).

    The fingerprints are the keys of a hash (fingerprint -> the attempt that added it), written
    by :meth:`ReliableQueue.push_new` together with the push, not by :meth:`request_seen`."""

    def request_seen(self, request) -> bool:
        fingerprint = self.request_fingerprint(request)
        return not self.server.hsetnx(self.key, fingerprint, uuid.uuid4().hex)

    @classmethod
    def from_spider(cls, spider):
        settings = spider.settings
        return cls(redis_client(settings["HEISHI_REDIS"]), Keys(spider.name).dupefilter,
                   debug=settings.getbool("DUPEFILTER_DEBUG"))  # fmt: skip

    def close(self, reason=""):
        """Kept: the round outlives any one worker."""


class RedisScheduler(Scheduler):
    """scrapy-redis' scheduler on :class:`ReliableQueue`, one per source in each worker.

    A request that cannot be pushed while Redis is away (after the client's own retries) is
    kept here and pushed again on the next call, so the page that yielded it is not
    acknowledged (see :class:`WorkerExtension`) until it is in Redis.
    """

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        server = redis_client(settings["HEISHI_REDIS"])
        scheduler = cls(server=server, persist=True, serializer=picklecompat)
        scheduler.stats = crawler.stats
        scheduler.worker = settings["HEISHI_WORKER_ID"]
        scheduler.unsent = []
        return scheduler

    def open(self, spider):
        self.spider = spider
        owner = f"{self.worker}/{spider.name}"  # what heartbeat_key(worker, source) names
        self.queue = ReliableQueue(self.server, spider, "", self.serializer, owner)
        self.df = DupeFilter(self.server, self.queue.keys.dupefilter)
        spider.heishi_queue = self
        if len(self.queue):
            spider.log(f"Resuming crawl ({len(self.queue)} requests scheduled)")

    def enqueue_request(self, request) -> bool:
        self.resend()
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        attempt = uuid.uuid4().hex
        try:
            added = self._push(request, fingerprint, attempt)
        except redis.RedisError as exc:
            logger.error("%s: cannot queue %s in Redis (%s); kept until Redis is back",
                         self.spider.name, request.url, exc)  # fmt: skip
            self.unsent.append((request, fingerprint, attempt))
            return True
        if not added:
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def _push(self, request, fingerprint: str | None, attempt: str) -> bool:
        if fingerprint is None:
            self.queue.push(request)
            return True
        return self.queue.push_new(request, fingerprint, attempt)

    def resend(self) -> None:
        """Push what could not be pushed, each with its first attempt id (so a push that did
        land before its answer was lost is not refused as a duplicate of itself)."""
        while self.unsent:
            try:
                self._push(*self.unsent[0])
            except redis.RedisError:
                return
            self.unsent.pop(0)

    def next_request(self):
        try:
            self.resend()
            request = self.queue.pop()
        except redis.RedisError as exc:
            logger.error("%s: Redis does not answer (%s); trying again", self.spider.name, exc)
            return None
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self.unsent:
            return True
        try:
            return len(self) > 0
        except redis.RedisError:
            return False


class WorkerExtension:
    """What makes a crawler a worker: it never closes when idle, heartbeats, acknowledges the
    requests it has finished (once their posts are in the store), puts back the requests of
    dead workers, and adds its counts to the round being crawled."""

    def __init__(self, crawler):
        from scrapy.core.engine import ExecutionEngine

        # The engine asks its scheduler for work every 5 s when it has none; a worker must
        # notice a new round (or requests another worker queued) sooner.
        ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = POLL_INTERVAL
        self.crawler = crawler
        settings = crawler.settings
        self.server = redis_client(settings["HEISHI_REDIS"])
        self.worker = settings["HEISHI_WORKER_ID"]
        self.ttl = settings.getfloat("HEISHI_HEARTBEAT_TTL", HEARTBEAT_TTL)
        self.ready: list[str] = []  # tokens whose request is fully processed
        self.sent = dict.fromkeys(ROUND_FIELDS, 0)  # counts already added to rounds
        self.errors_sent = 0
        self.loop = None
        self._busy = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        slot = self.crawler.engine._slot
        remove = slot.remove_request

        def removed(request) -> None:
            # The engine lets go of a request once its callback has run, the requests it
            # yielded are scheduled and its items have been through the pipelines.
            token = request.meta.get("heishi_token")
            if token is not None:
                self.ready.append(token)
            remove(request)

        slot.remove_request = removed
        from twisted.internet import task

        self.beat()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(min(1.0, self.ttl / 3), now=False)

    def beat(self) -> None:
        key = heartbeat_key(self.worker, self.crawler.spider.name)
        self.server.set(key, utcnow(), px=int(self.ttl * 1000))

    def tick(self):
        if self._busy:
            return None
        self._busy = True
        return asyncio.ensure_future(self._tick())

    async def _tick(self) -> None:
        try:
            self.beat()
            await self.acknowledge()
            queue = getattr(self.crawler.spider, "heishi_queue", None)
            if queue is not None:
                queue.queue.requeue_orphans()
        except redis.RedisError as exc:
            logger.error("%s: Redis does not answer (%s); trying again",
                         self.crawler.spider.name, exc)  # fmt: skip
        finally:
            self._busy = False

    async def acknowledge(self) -> None:
        """Acknowledge the finished requests once the store has written what they gave, and
        add the counts to the round first, so that a drained round has its counts."""
        queue = getattr(self.crawler.spider, "heishi_queue", None)
        if queue is not None and queue.unsent:  # what they yielded is not in Redis yet
            self.report()
            return
        tokens, self.ready = self.ready, []
        from crawlers.pipelines import StorePipeline

        store = self.crawler.get_item_pipeline(StorePipeline)
        errors = self.crawler.stats.get_value("heishi/store_errors", 0)
        written = await store.drain() if store is not None and tokens else True
        try:
            self.report()
            if not tokens:
                return
            queue = self.crawler.spider.heishi_queue.queue
            if written and errors == self.crawler.stats.get_value("heishi/store_errors", 0):
                queue.ack(tokens)
            else:  # their posts did not all land: fetch those pages again
                for token in tokens:
                    queue.requeue(token)
        except redis.RedisError:
            self.ready = tokens + self.ready
            raise

    def report(self) -> None:
        """Add what this worker did since the last report to the round's counts."""
        keys = Keys(self.crawler.spider.name)
        stats = self.crawler.stats
        deltas = {}
        for name in ROUND_FIELDS:
            value = stats.get_value(STATS[name], 0)
            if value != self.sent[name]:
                deltas[name] = value - self.sent[name]
        failures = getattr(self.crawler.spider, "failures", [])
        new_errors = failures[self.errors_sent :]
        start_failed = getattr(self.crawler.spider, "start_failed", False)
        if not deltas and not new_errors and not start_failed:
            return
        with self.server.pipeline() as pipe:
            for name, delta in deltas.items():
                pipe.hincrby(keys.round, name, delta)
            if new_errors:
                pipe.rpush(keys.errors, *new_errors)
            if start_failed:
                pipe.hset(keys.round, "start_failed", 1)
            pipe.execute()
        self.sent.update({name: self.sent[name] + delta for name, delta in deltas.items()})
        self.errors_sent += len(new_errors)
        if start_failed:
            self.crawler.spider.start_failed = False

    def spider_idle(self, spider) -> None:
        raise DontCloseSpider  # a worker waits for the next round

    async def spider_closed(self, spider, reason) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        try:
            await self.acknowledge()
            self.server.delete(heartbeat_key(self.worker, spider.name))
        except redis.RedisError as exc:  # its requests go back to the queue when it expires
            logger.error("%s: cannot tell Redis this worker stopped: %s", spider.name, exc)


def worker_spider(spidercls):
    """The worker version of a source's spider: its requests come from Redis only, and it
    takes no more of them at a time than it may fetch at once (plus one), leaving the rest to
    the other workers instead of holding them in its downloader queue."""

    async def start(self):
        return
        yield  # an async generator that yields nothing

    settings = dict(spidercls.custom_settings or {})
    settings["CONCURRENT_REQUESTS"] = settings.get("CONCURRENT_REQUESTS_PER_DOMAIN", 2) + 1
    return type(
        spidercls.__name__,
        (spidercls,),
        {"start": start, "custom_settings": settings, "__module__": spidercls.__module__},
    )


def worker_settings(redis_url: str, worker: str | None = None, ttl: float | None = None):
    """The Scrapy settings a worker adds to ``crawlers.settings``."""
    worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    return {
        "HEISHI_REDIS": redis_url,
        "HEISHI_WORKER_ID": worker,
        "HEISHI_HEARTBEAT_TTL": ttl or HEARTBEAT_TTL,
        "HEISHI_RECORD_RUNS": False,
        "SCHEDULER": "crawlers.distributed.RedisScheduler",
        "DUPEFILTER_CLASS": "crawlers.distributed.DupeFilter",
        "EXTENSIONS": {"crawlers.distributed.WorkerExtension": 500},
    }


def run_round(
    source: Source,
    redis_url: str,
    store: str,
    time_limit: float = 3600.0,
    stopping: Callable[[], bool] = lambda: False,
    log: logging.Logger = logger,
    poll: float = 0.5,
) -> CrawlRun:
    """Crawl ``source`` once on the workers: push its start requests, wait until its queue and
    processing list are empty, and record the crawl run (as ``heishi crawl`` does)."""
    from crawlers.spiders import spider_class

    server = redis_client(redis_url)
    keys = Keys(source.name)
    if not server.set(keys.lock, utcnow(), nx=True, ex=int(time_limit) + 120):
        log.warning("crawl:%s: a round of this source is already running; not started twice",
                    source.name)  # fmt: skip
        return CrawlRun(source=source.name, status="failed", errors=["already running"])
    try:
        with open_store(store) as db:
            for run in db.runs(source.name, limit=20):
                if run.status == "running":
                    run.status, run.finished_at = "interrupted", None
                    run.errors = [*run.errors, "the round ended without recording its end"]
                    db.finish_run(run)
            run = db.start_run(CrawlRun(source=source.name))
        if not _drained(server, keys):
            left = server.zcard(keys.requests) + server.hlen(keys.processing)
            log.info("crawl:%s: resuming the unfinished round (%d requests left)",
                     source.name, left)  # fmt: skip
        else:
            spider = spider_class(source)()
            queue = ReliableQueue(server, spider, "", picklecompat)
            dupefilter = DupeFilter(server, keys.dupefilter)
            server.delete(keys.dupefilter, keys.round, keys.errors)
            for url in source.start_urls:
                request = spider.page_request(url, spider.parse, start=True)
                fingerprint = dupefilter.request_fingerprint(request)
                queue.push_new(request, fingerprint, uuid.uuid4().hex)
        server.hset(keys.round, "run", str(run.id))
        if not server.keys(heartbeat_key("*", source.name)):
            log.warning("crawl:%s: no live heishi worker crawls this source; the round waits "
                        "(workers read sources.yaml when they start: restart them after adding "
                        "a source)", source.name)  # fmt: skip
        log.info("crawl:%s: round pushed to the workers", source.name)
        status, why = _wait(server, keys, time_limit, stopping, poll)
        return _record(server, keys, store, run, status, why, log)
    finally:
        server.delete(keys.lock)


def _wait(server, keys: Keys, time_limit: float, stopping, poll: float) -> tuple[str, str]:
    deadline = time.monotonic() + time_limit
    script = server.register_script(_REQUEUE_ORPHANS)
    while True:
        try:
            requeue_orphans(server, keys, script)
            if _drained(server, keys):
                return "ok", ""
        except redis.RedisError as exc:
            logger.error("%s: Redis does not answer (%s); waiting", keys.round, exc)
        if stopping():
            return "interrupted", "the scheduler stopped; the round stays in Redis"
        if time.monotonic() > deadline:
            server.delete(keys.requests)  # the workers stop fetching this source
            return "failed", f"crawl ended early: time limit of {time_limit:g}s"
        time.sleep(poll)


def _drained(server, keys: Keys) -> bool:
    """Nothing queued and nothing in processing, read at one instant (MULTI/EXEC): a worker
    queues what a page yields before it acknowledges the page, so one of the two is never
    empty while work remains; read one after the other they could both look empty."""
    with server.pipeline(transaction=True) as pipe:
        queued, processing = pipe.zcard(keys.requests).hlen(keys.processing).execute()
    return not queued and not processing


def _record(server, keys: Keys, store: str, run: CrawlRun, status: str, why: str, log):
    time.sleep(0.2)  # the workers' last counts (they report every second)
    counts = {k.decode(): v.decode() for k, v in server.hgetall(keys.round).items()}
    run.pages = int(counts.get("pages", 0))
    run.posts_new = int(counts.get("new", 0))
    run.posts_seen = int(counts.get("seen", 0))
    run.posts_changed = int(counts.get("changed", 0))
    run.errors = [e.decode() for e in server.lrange(keys.errors, 0, -1)]
    if why:
        run.errors.append(why)
    if status == "ok" and (not run.pages or counts.get("start_failed")):
        status = "failed"
    run.status = status
    run.finished_at = utcnow()
    with open_store(store) as db:
        db.finish_run(run)
    line = (f"crawl:{run.source}: {status}: pages {run.pages}, new {run.posts_new}, seen "
            f"{run.posts_seen}, changed {run.posts_changed}, errors {len(run.errors)}")  # fmt: skip
    (log.info if status == "ok" else log.error)(line)
    return run
