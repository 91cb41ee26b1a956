"""The crawl's worker processes start with the crawl, before Scrapy builds its pipelines."""

from __future__ import annotations

import os

import pytest

from crawlers import runner, workers
from crawlers.pipelines import start_workers
from crawlers.runner import crawl_settings


@pytest.mark.parametrize(
    ("pipelines", "count", "started"),
    [
        (None, 1, {"shared"}),  # the project's pipelines, one worker: it extracts and stores
        ({"crawlers.pipelines.StorePipeline": 300}, 2, {"store"}),
        ({"crawlers.pipelines.EvidencePipeline": 100}, 1, set()),  # nothing for a worker
        (None, 0, set()),  # everything inline
    ],
)
def test_the_workers_the_pipelines_use_are_started(pipelines, count, started):
    try:
        start_workers(crawl_settings(ITEM_PIPELINES=pipelines, HEISHI_WORKERS=count))
        assert set(workers._pools) == started
        for name in started:  # running, not only planned
            assert workers._pools[name].submit(os.getpid).result(timeout=60) != os.getpid()
    finally:
        workers.shutdown()


def test_a_crawl_starts_its_workers_before_its_crawlers(monkeypatch):
    started_first = []

    class Process:  # stands in for Scrapy's CrawlerProcess: records what already runs
        def __init__(self, settings):
            started_first.append(set(workers._pools))
            raise RuntimeError("stop here")

    monkeypatch.setattr(runner, "CrawlerProcess", Process)
    try:
        with pytest.raises(RuntimeError, match="stop here"):
            runner.crawl([], crawl_settings(HEISHI_WORKERS=1))
    finally:
        workers.shutdown()
    assert started_first == [{"shared"}]
