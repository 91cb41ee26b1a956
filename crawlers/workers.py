"""The CPU-heavy half of the pipelines, in worker processes beside the crawl.

Extracting offers (jieba, rules) and writing posts (the store computes their search tokens with
jieba too) cost more per page than fetching and parsing it. Done inline they would stall the
reactor, and with it every download; done in threads they would fight the crawl for the GIL.
So they run in worker processes, started once per crawl process and shared by all its
crawlers, while the reactor goes on fetching:

- extraction in a pool of ``HEISHI_WORKERS`` processes (default: one per spare CPU);
- store writes in ONE process, so batches land in the order they were sent and the store sees
  a single writer;
- with one worker (two CPUs), one process does both, in order, and loads jieba once.

``HEISHI_WORKERS = 0`` runs everything inline in the crawl process (same results, slower); so
does a pool whose worker died. A worker whose crawl process is killed notices within a second
and exits; batches it had not written are fetched again by the next crawl, which pages the
whole source after a run that never finished.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawlers import collector
from index import Post, open_store

logger = logging.getLogger(__name__)

_pools: dict[str, Executor] = {}
_broken: set[str] = set()  # a pool whose worker died: its work is done inline from then on


def default_workers() -> int:
    return max(1, (os.cpu_count() or 2) - 1)


def _pool(kind: str, workers: int) -> Executor | None:
    """The pool doing ``kind`` of work (``extraction`` or ``store``) for ``workers``.

    With one worker, a single process does both, in the order asked (jieba loaded once);
    with more, extraction gets ``workers`` processes and store writes one of their own.
    """
    if workers <= 0:
        return None
    name, size = ("shared", 1) if workers == 1 else (kind, workers if kind == "extraction" else 1)
    if name in _broken:
        return None
    if name not in _pools:
        context = multiprocessing.get_context("spawn")  # never fork a running reactor
        _pools[name] = pool = ProcessPoolExecutor(
            size, mp_context=context, initializer=_start_worker, initargs=(name, os.getpid())
        )
        for _ in range(size):  # start them now: they load jieba while the first pages come in
            pool.submit(int)
    return _pools[name]


def start(kind: str, workers: int) -> None:
    """Start the workers for ``kind`` of work ahead of the first batch (none if 0)."""
    _pool(kind, workers)


def _start_worker(kind: str, parent: int) -> None:
    """In a new worker: load what its work needs, and watch the crawl process.

    A worker exits when the crawl process is gone (killed) instead of waiting forever on a
    queue nobody will write to again. A batch cut short is fetched by the next crawl."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="heishi-watch-parent", daemon=True).start()
    try:
        if kind in ("store", "shared"):
            from index.tokens import index_tokens

            index_tokens("接码平台")
        if kind in ("extraction", "shared"):
            from nlp import extract

            extract("出微信老号 400元")
    except Exception:  # only a warm-up: the real calls report what is wrong
        pass
    collector.settle()  # what it loaded lives as long as the worker


async def _call(kind: str, workers: int, function, *args):
    pool = _pool(kind, workers)
    if pool is not None:
        try:
            return await asyncio.wrap_future(pool.submit(function, *args))
        except BrokenProcessPool:
            # A worker died (killed, out of memory): nothing it held was lost for good, the
            # same work is simply done here, and the crawl goes on.
            logger.error("a %s worker process died; doing its work in the crawl process", kind)
            name = "shared" if workers == 1 else kind
            _broken.add(name)
            _pools.pop(name, None)
    return function(*args)


async def extract(posts: list[tuple[str, dict, str | None]], key: bytes, workers: int):
    """:func:`extract_and_redact_many` in the extraction pool of ``workers`` processes."""
    return await _call("extraction", workers, extract_and_redact_many, posts, key)


async def write(location: str, posts: list[dict], extractions: list, workers: int,
                readings: list | None = None) -> list[str]:
    """:func:`write_posts` in the one store-writing process (inline if ``workers`` is 0)."""
    return await _call("store", workers, write_posts, location, posts, extractions, readings)


@atexit.register
def shutdown() -> None:
    """Wait for the workers to finish what they were given (called at exit)."""
    while _pools:
        _, pool = _pools.popitem()
        pool.shutdown(wait=True)


# -- what runs inside a worker (module-level: spawned workers import them by name) ----------


def extract_and_redact_many(
    posts: list[tuple[str, dict, str | None]], key: bytes
) -> list[tuple[dict | None, dict | None, str | None, str | None]]:
    """For each post (what the extractor reads, the fields the seller wrote, its source's
    context): its extraction (None if the extractor failed), those fields redacted, the
    extractor's error and the redaction's error. A post that cannot be redacted must not be
    stored at all; one that cannot be extracted is stored without offers."""
    from nlp import extract
    from nlp.redact import redact_all

    results = []
    for analysed, fields, context in posts:
        try:
            extraction, error = extract(analysed, context=context), None
        except Exception as exc:
            extraction, error = None, f"{type(exc).__name__}: {exc}"
        try:
            redacted, redact_error = redact_all(fields, key), None
        except Exception as exc:
            redacted, redact_error = None, f"{type(exc).__name__}: {exc}"
        results.append((extraction, redacted, error, redact_error))
    return results


_stores: dict = {}


def write_posts(
    location: str,
    posts: list[dict],
    extractions: list[tuple[str, dict, str]],
    readings: list[dict] | None = None,
) -> list[str]:
    """Upsert ``posts`` (Post fields), their extractions and the stock readings that came
    with them (code platforms); the outcome of each post."""
    store = _stores.get(location)
    if store is None:
        store = _stores[location] = open_store(location)
    outcomes = store.upsert_posts([Post(**post) for post in posts])
    if extractions:
        store.put_extractions(extractions)
    if readings:
        from index.sales import StockReading

        store.add_stock_readings(
            [StockReading.from_dict(reading["source"], reading) for reading in readings])
    store.flush()
    return [outcome.value for outcome in outcomes]
