"""``heishi schedule``: real scheduler processes crawling the demo market on short crons."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest

from crawlers.demo import DemoMarket
from index import open_store
from ops.scheduler import SourceLock
from tests.crawlers.crawling import REPO
from tests.ops.scheduling import (
    Process,
    free_port,
    heishi_env,
    process_alive,
    runs,
    source_block,
    wait_for,
    write_sources,
)


@pytest.fixture(scope="module")
def market():
    with DemoMarket(port=0) as market:
        yield market


def schedule_args(tmp_path, *extra: str) -> list[str]:
    return [
        "schedule", "run", "--store", str(tmp_path / "h.db"), "--evidence", str(tmp_path / "ev"),
        "--sources-file", str(tmp_path / "sources.yaml"), "--state", str(tmp_path / "state"),
        *extra,
    ]  # fmt: skip


def schedule_list(tmp_path, env, *extra: str) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "schedule", "list", "--json",
         "--store", str(tmp_path / "h.db"), "--sources-file", str(tmp_path / "sources.yaml"),
         "--state", str(tmp_path / "state"), *extra],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def assert_never_overlapped(history) -> None:
    for earlier, later in zip(history, history[1:], strict=False):
        assert earlier.finished_at and later.started_at >= earlier.finished_at, (earlier, later)


def test_one_crawl_at_a_time_restart_after_sigkill_coalesces_and_keeps_schedules(
    market, tmp_path
):
    store = tmp_path / "h.db"
    forum = source_block("forum", f"{market.base_url}/forum/", "*/3 * * * * *",
                         "{delay: 0.3, robots: false}", detail=True)  # fmt: skip
    write_sources(tmp_path / "sources.yaml", forum)
    jobs = tmp_path / "jobs.yaml"
    jobs.write_text(
        "jobs:\n"
        '  - {id: probe, cron: "*/2 * * * * *", ref: "tests.ops.probe_job:touch"}\n'
        '  - {id: ghost, cron: "0 * * * *", ref: "tests.ops.no_such_module:run"}\n'
        "  - {id: alerts, enabled: false}\n"
        "  - {id: digest, enabled: false}\n"
        "  - {id: takedown-verify, enabled: false}\n",
        encoding="utf-8",
    )
    probe = tmp_path / "probe.txt"
    env = heishi_env(market, HEISHI_PROBE_FILE=str(probe), HEISHI_JOBS=str(jobs))

    first = Process(schedule_args(tmp_path), env, tmp_path / "first.log")
    lock = SourceLock(tmp_path / "state" / "locks", "forum")
    try:
        # Fires every 3 s, a crawl takes longer: the runs in between are skipped, not stacked.
        first.wait_for_log("still running at its next run time; that run is skipped", 120)
        crawl_pid = int(lock.holder())
        twice = subprocess.run([sys.executable, "-m", "ops.cli", *schedule_args(tmp_path)],
                               cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
        assert twice.returncode == 2 and "another scheduler (pid" in twice.stderr
    finally:
        first.kill()  # SIGKILL: no chance to clean up; its crawl goes on alone
    assert process_alive(crawl_pid) and lock.held()
    assert "tests.ops.no_such_module:run unavailable" in first.text()

    time.sleep(3.5)  # at least one run falls due while no scheduler is up
    second = Process(schedule_args(tmp_path), env, tmp_path / "second.log")
    try:
        second.wait_for_log("missed while the scheduler was down; running once now (coalesced)")
        # The crawl the killed scheduler started still runs: no second crawl of the source.
        second.wait_for_log("is still running; this run is skipped (one at a time)")
        before = len(runs(store, "forum"))
        wait_for(lambda: len([r for r in runs(store, "forum")[before:] if r.status == "ok"]),
                 120, "a crawl started by the restarted scheduler", alive=second.popen)  # fmt: skip
        # sources.yaml edited: a new source gets its job, the others keep theirs.
        gbk = source_block("gbk", f"{market.base_url}/gbk/", "*/2 * * * * *")
        write_sources(tmp_path / "sources.yaml", forum, gbk)
        second.wait_for_log("job crawl:gbk: added")
        second.wait_for_log("crawl:gbk: started")
    finally:
        assert second.stop() == 0
    assert "crawl:forum: rescheduled" not in second.text()
    assert "Traceback" not in first.text() + second.text()

    history = runs(store, "forum")
    assert_never_overlapped([r for r in history if r.status != "running"])
    assert all(r.status in ("ok", "interrupted") for r in history), history
    assert probe.exists() and len(probe.read_text().splitlines()) >= 2  # our own job ran

    listed = {row["job"]: row for row in schedule_list(tmp_path, env)}
    assert listed["crawl:forum"]["next_run"] and listed["crawl:gbk"]["next_run"]
    assert listed["crawl:forum"]["state"] == "scheduled"
    assert listed["crawl:gbk"]["state"] in ("scheduled", "running")
    assert listed["ops:probe"]["state"] == "scheduled"
    assert listed["ops:ghost"]["state"].startswith("unavailable: ModuleNotFoundError")
    assert not {"ops:alerts", "ops:digest", "ops:takedown-verify"} & set(listed)


def test_sigterm_keeps_the_crawl_state_and_the_next_start_resumes_it(tmp_path):
    pages = 8
    with DemoMarket(port=0, listing_pages=pages) as market:
        store = tmp_path / "h.db"
        write_sources(tmp_path / "sources.yaml", source_block(
            "bench", f"{market.base_url}/bench/", "*/2 * * * * *",
            "{delay: 0.4, concurrency: 1, autothrottle: false, robots: false}"))  # fmt: skip
        env = heishi_env(market)
        listing = [f"/bench/?page={n}" for n in range(1, pages + 1)]

        first = Process(schedule_args(tmp_path), env, tmp_path / "first.log")
        try:
            wait_for(lambda: sum(market.requests[p] for p in listing) >= 3, 120,
                     "a few pages", alive=first.popen)  # fmt: skip
        finally:
            assert first.stop() == 0  # SIGTERM: the crawl stops cleanly, the scheduler exits
        stopped = runs(store, "bench")[-1]
        assert stopped.status == "interrupted", stopped
        fetched = sum(market.requests[p] for p in listing)
        assert fetched < pages, "the crawl was stopped mid-way"
        assert (tmp_path / "state" / "crawls" / "bench").is_dir()  # its JOBDIR, kept
        assert "stopping (pid" in first.text()

        second = Process(schedule_args(tmp_path), env, tmp_path / "second.log")
        try:
            second.wait_for_log("resuming the stopped crawl")
            wait_for(lambda: runs(store, "bench")[-1].status == "ok", 120, "the resumed crawl",
                     alive=second.popen)  # fmt: skip
        finally:
            assert second.stop() == 0
        truth = {listing.tid for listing in market.listings("bench")}
    # No listing page fetched twice across the stop (page 1 may be fetched by a later,
    # incremental crawl that stops there), every post stored once.
    assert all(market.requests[p] == 1 for p in listing[1:]), dict(market.requests)
    with open_store(str(store)) as db:
        keys = [post["key"] for post in db.iter_posts("bench")]
    assert sorted(keys) == sorted(truth)


def test_a_bad_cron_names_its_source_and_the_other_sources_go_on(market, tmp_path):
    write_sources(
        tmp_path / "sources.yaml",
        source_block("gbk", f"{market.base_url}/gbk/", "0 */6 * * *"),
        source_block("big5", f"{market.base_url}/big5/", "61 * * * *"),
    )
    rows = schedule_list(tmp_path, heishi_env(market))
    jobs = {row["job"] for row in rows}
    assert "crawl:gbk" in jobs and "crawl:big5" not in jobs
    (error,) = [row["state"] for row in rows if row["kind"] == "error"]
    assert "sources[big5].schedule" in error and "'61 * * * *'" in error
    assert "the other sources go on" in error


def test_a_redis_that_does_not_answer_is_one_clear_error(tmp_path):
    gbk = source_block("gbk", "http://127.0.0.1:9/", "* * * * *")
    write_sources(tmp_path / "sources.yaml", gbk)
    url = f"redis://127.0.0.1:{free_port()}/0"
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", *schedule_args(tmp_path, "--redis", url)],
        cwd=REPO, env=heishi_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and url in lines[0] and "does not answer" in lines[0], done.stderr
    worker = subprocess.run(
        [sys.executable, "-m", "ops.cli", "worker", "--redis", url, "--store",
         str(tmp_path / "h.db"), "--sources-file", str(tmp_path / "sources.yaml")],
        cwd=REPO, env=heishi_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert worker.returncode == 2 and worker.stderr.count("\n") == 1, worker.stderr
    assert worker.stderr.startswith(f"heishi worker: error: {url}: Redis does not answer")


def test_a_crawl_hanging_past_its_limit_is_killed_the_others_go_on(market, tmp_path):
    tarpit = socket.socket()  # accepts connections (the kernel does) and never answers
    tarpit.bind(("127.0.0.1", 0))
    tarpit.listen(16)
    try:
        hang = source_block("hang", f"http://127.0.0.1:{tarpit.getsockname()[1]}/",
                            "*/2 * * * * *", "{timeout: 300, retries: 0, robots: false}")
        # a schedule that cannot come due while the test runs (an hourly one did, once, when
        # a run crossed the top of the hour)
        gbk = source_block("gbk", f"{market.base_url}/gbk/", "0 0 29 2 *")
        write_sources(tmp_path / "sources.yaml", hang, gbk)
        args = schedule_args(tmp_path, "--time-limit", "10", "--stop-grace", "1")
        scheduler = Process(args, heishi_env(market), tmp_path / "scheduler.log")
        try:
            scheduler.wait_for_log(
                "crawl:hang: still running 1s after its time limit of 10s; stopping it", 90)
            scheduler.wait_for_log("crawl:hang: did not stop within 1s; killed")
            # An older sources.yaml's source left in the job store: removed, one line; the
            # other source keeps its job.
            write_sources(tmp_path / "sources.yaml", gbk)
            scheduler.wait_for_log("job crawl:hang: source 'hang' is not in sources.yaml any")
        finally:
            assert scheduler.stop() == 0
    finally:
        tarpit.close()
    assert "crawl:gbk" not in scheduler.text()  # neither removed nor rescheduled
    hung = runs(tmp_path / "h.db", "hang")
    assert hung and hung[-1].status == "failed"
    assert "killed: still running past its time limit of 10s" in hung[-1].errors[-1]
