"""Crawl several sources at once, in one process, and say how each went.

One :class:`scrapy.crawler.CrawlerProcess` runs a crawler per source, so they share the
reactor but not their politeness: each keeps its own delay, concurrency and download slots.
A source that fails (down, refusing, broken selectors) ends its own crawler only.

The Twisted reactor cannot be started twice in one process: call :func:`crawl` once per
process (commands do; tests run it in a subprocess).

With ``jobdir``, each source keeps its crawl state (pending requests, pages seen) in
``jobdir/<source>`` (Scrapy's ``JOBDIR``): a crawl stopped by SIGTERM or Ctrl-C leaves it
there and the next crawl of that source resumes where it stopped, fetching no page twice. A
crawl that ends any other way removes it, so the next one starts afresh.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawlers import collector
from crawlers.pipelines import start_workers
from crawlers.sources import Source
from crawlers.spiders import spider_class


@dataclass
class SourceProgress:
    """What one source's crawl has done so far (and, at the end, how it went)."""

    source: str
    pages: int = 0
    new: int = 0
    seen: int = 0
    changed: int = 0
    errors: list[str] = field(default_factory=list)
    status: str = "running"  # running | ok | failed
    reason: str | None = None  # Scrapy's finish reason: finished, shutdown, closespider_timeout…

    @property
    def done(self) -> bool:
        return self.status != "running"


def crawl_settings(**overrides) -> Settings:
    """``crawlers.settings`` with ``overrides`` (None values are left out), wherever we run."""
    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    for name, value in overrides.items():
        if value is not None:
            settings.set(name, value, priority="cmdline")
    return settings


def crawl(
    sources: list[Source],
    settings: Settings | None = None,
    full: bool = False,
    progress: Callable[[list[SourceProgress]], None] | None = None,
    interval: float = 0.25,
    jobdir: str | Path | None = None,
    make_spider: Callable[[Source], type] = spider_class,
) -> list[SourceProgress]:
    """Crawl ``sources`` to the end; ``progress`` is called every ``interval`` seconds."""
    settings = settings or crawl_settings()
    start_workers(settings)  # they load while the crawlers start
    process = CrawlerProcess(settings)
    states = [SourceProgress(source.name) for source in sources]
    crawlers = []
    for source, state in zip(sources, states, strict=True):
        spidercls = make_spider(source)
        if jobdir is not None:
            spidercls.custom_settings = {
                **spidercls.custom_settings, "JOBDIR": str(Path(jobdir) / source.name)
            }
        crawler = process.create_crawler(spidercls)
        crawlers.append(crawler)
        deferred = process.crawl(crawler, full=full)
        deferred.addCallbacks(
            lambda _, crawler=crawler, state=state: _finish(crawler, state),
            lambda failure, crawler=crawler, state=state: _broken(failure, crawler, state),
        )

    def report() -> None:
        for crawler, state in zip(crawlers, states, strict=True):
            if not state.done:
                _read(crawler, state)
        if progress is not None:
            progress(states)

    if progress is not None:
        from twisted.internet import task

        loop = task.LoopingCall(report)
        loop.start(interval, now=False)
    with collector.set_for_crawling():
        process.start()
    if progress is not None:
        progress(states)
    if jobdir is not None:
        for state in states:
            if state.reason != "shutdown":  # stopped on purpose: kept, to be resumed
                shutil.rmtree(Path(jobdir) / state.source, ignore_errors=True)
    return states


def _read(crawler, state: SourceProgress) -> None:
    stats = crawler.stats
    if stats is None:
        return
    state.pages = stats.get_value("heishi/pages", 0)
    state.new = stats.get_value("heishi/posts_new", 0)
    state.seen = stats.get_value("heishi/posts_seen", 0)
    state.changed = stats.get_value("heishi/posts_changed", 0)


def _finish(crawler, state: SourceProgress) -> None:
    _read(crawler, state)
    stats = crawler.stats
    state.status = stats.get_value("heishi/status") or "failed"
    state.reason = stats.get_value("finish_reason")
    state.errors = list(stats.get_value("heishi/errors") or [])


def _broken(failure, crawler, state: SourceProgress) -> None:
    """The crawler could not run at all (its store or a component failed to start)."""
    _read(crawler, state)
    state.status = "failed"
    state.errors.append(f"{failure.type.__name__}: {failure.getErrorMessage()}")
