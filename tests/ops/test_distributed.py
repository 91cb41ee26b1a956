"""Distributed crawling: a real redis-server, real ``heishi worker`` processes, the demo market."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crawlers.demo import DemoMarket
from index import open_store
from tests.crawlers.crawling import REPO
from tests.ops.scheduling import (
    Process,
    RedisServer,
    heishi_env,
    runs,
    source_block,
    wait_for,
    write_sources,
)

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed (make system)"
)
BENCH_PAGES = 15


class Cluster:
    def __init__(self, folder: Path, market: DemoMarket, redis: RedisServer):
        self.folder, self.market, self.redis = folder, market, redis
        self.store = folder / "h.db"
        self.sources = write_sources(
            folder / "sources.yaml",
            source_block("bench", f"{market.base_url}/bench/", None,
                         "{delay: 0, concurrency: 2, robots: false}"),
            source_block("forum", f"{market.base_url}/forum/", None,
                         "{delay: 0.2, concurrency: 1, autothrottle: false, robots: false}",
                         detail=True),
        )  # fmt: skip
        self.env = heishi_env(market)
        self.workers: list[Process] = []

    def worker(self) -> Process:
        worker = Process(
            ["worker", "--redis", self.redis.url, "--store", str(self.store), "--sources-file",
             str(self.sources), "--evidence", str(self.folder / "ev"), "--heartbeat", "2"],
            self.env, self.folder / f"worker{len(self.workers)}.log",
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def crawl(self, *sources: str) -> list[str]:
        return [
            sys.executable, "-m", "ops.cli", "crawl", *sources, "--json", "--redis",
            self.redis.url, "--store", str(self.store), "--sources-file", str(self.sources),
            "--time-limit", "150",
        ]  # fmt: skip

    def alive(self) -> int:
        """Live worker processes (each keeps a heartbeat per source it crawls)."""
        keys = self.redis.client().keys("heishi:worker:*")
        return len({key.decode().rsplit("/", 1)[0] for key in keys})


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    with DemoMarket(port=0, listing_pages=BENCH_PAGES) as market:
        redis = RedisServer(folder / "redis").start()
        cluster = Cluster(folder, market, redis)
        try:
            cluster.worker(), cluster.worker()
            wait_for(lambda: cluster.alive() == 2, 120, "two workers up")
            yield cluster
        finally:
            for worker in cluster.workers:
                if worker.popen.poll() is None:
                    assert worker.stop() == 0, worker.text()
            redis.stop()


def rows(stdout: str) -> dict[str, dict]:
    return {row["source"]: row for row in map(json.loads, stdout.splitlines())}


def test_two_workers_fetch_every_page_once_and_store_every_post_once(cluster):
    market = cluster.market
    done = subprocess.run(cluster.crawl("bench"), cwd=REPO, env=cluster.env,
                          capture_output=True, text=True, timeout=200)  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = rows(done.stdout)["bench"]
    listing = ["/bench/"] + [f"/bench/?page={n}" for n in range(2, BENCH_PAGES + 1)]
    assert [market.requests[page] for page in listing] == [1] * BENCH_PAGES
    truth = {listing.tid for listing in market.listings("bench")}
    with open_store(str(cluster.store)) as db:
        keys = [post["key"] for post in db.iter_posts("bench")]
    assert len(keys) == len(truth) and set(keys) == truth
    assert (result["status"], result["pages"], result["new"]) == ("ok", BENCH_PAGES, len(truth))
    (run,) = runs(cluster.store, "bench")  # recorded as `heishi crawl` records it
    assert (run.status, run.pages, run.posts_new) == ("ok", BENCH_PAGES, len(truth))
    assert not cluster.redis.client().hlen("heishi:bench:processing")


def test_a_killed_worker_and_a_restarted_redis_lose_nothing(cluster):
    market = cluster.market
    forum = [target for target in market.requests if target.startswith("/forum/")]
    assert not forum
    crawl = subprocess.Popen(cluster.crawl("forum"), cwd=REPO, env=cluster.env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        def fetched() -> int:
            return sum(n for t, n in list(market.requests.items()) if t.startswith("/forum/"))

        wait_for(lambda: fetched() >= 8, 120, "the forum crawl under way", alive=crawl)
        cluster.workers[0].kill()  # SIGKILL, mid-crawl: what it had popped must come back
        cluster.worker()
        cluster.redis.stop()  # Redis goes away mid-crawl and comes back with its data
        cluster.redis.start()
        out, err = crawl.communicate(timeout=200)
    finally:
        if crawl.poll() is None:
            crawl.kill()
    assert crawl.returncode == 0, err
    truth = market.listings("forum")
    with open_store(str(cluster.store)) as db:
        keys = [post["key"] for post in db.iter_posts("forum")]
    assert sorted(keys) == sorted(listing.tid for listing in truth)  # every post, once
    for listing in truth:  # every detail page fetched, some maybe twice (in flight at the kill)
        assert market.requests[listing.url] >= 1
    assert rows(out)["forum"]["status"] == "ok"
    logs = "".join(worker.text() for worker in cluster.workers)
    assert "of a worker that stopped answering are queued again" in err + logs
    assert "Traceback" not in logs


def test_the_scheduler_pushes_rounds_to_the_workers(cluster, tmp_path):
    sources = cluster.sources.read_text(encoding="utf-8").replace(
        "    selectors:", '    schedule: "*/2 * * * * *"\n    selectors:', 1)  # bench only
    (tmp_path / "sources.yaml").write_text(sources, encoding="utf-8")
    before = len(runs(cluster.store, "bench"))
    scheduler = Process(
        ["schedule", "run", "--redis", cluster.redis.url, "--store", str(cluster.store),
         "--sources-file", str(tmp_path / "sources.yaml"), "--state", str(tmp_path / "state")],
        cluster.env, tmp_path / "scheduler.log",
    )  # fmt: skip
    try:
        scheduler.wait_for_log("crawl:bench: round pushed to the workers", 60)
        wait_for(lambda: any(r.status == "ok" for r in runs(cluster.store, "bench")[before:]),
                 60, "a round recorded by the scheduler", alive=scheduler.popen)  # fmt: skip
    finally:
        assert scheduler.stop() == 0
    assert cluster.market.requests["/bench/"] >= 2  # crawled again, by the workers
    assert "crawl:bench: ok: pages 1" in scheduler.text()  # incremental: nothing new on page 1
