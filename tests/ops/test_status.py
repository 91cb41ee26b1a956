"""``heishi status``: each health rule, on real crawls of the demo market and on run histories."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from crawlers.demo import DemoMarket
from index import CrawlRun, open_store
from ops.health import interval, source_health
from tests.crawlers.crawling import REPO, run_crawl
from tests.crawlers.test_faults import closed_port
from tests.ops.scheduling import heishi_env, source_block, write_sources

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def run(hours_ago: float, status="ok", pages=3, new=0, seen=10, errors=()) -> CrawlRun:
    started = NOW - timedelta(hours=hours_ago)
    return CrawlRun("s", started.isoformat(), (started + timedelta(minutes=1)).isoformat(),
                    status, pages, new, seen, 0, list(errors))  # fmt: skip


def test_three_failures_in_a_row_make_a_source_unhealthy_two_do_not():
    two = [run(1, "failed", 0, errors=["HTTP 503"]), run(2, "failed", 0), run(3)]
    assert source_health("s", two, NOW).healthy
    three = [run(1, "failed", 0, errors=["HTTP 503"]), *two[:2], run(4)]
    health = source_health("s", three, NOW)
    assert not health.healthy and health.failed_in_a_row == 3
    assert health.problems == ["failing: the last 3 runs failed (last: HTTP 503)"]


def test_data_older_than_twice_the_interval_is_stale():
    source = type("S", (), {"name": "s", "schedule": "0 * * * *"})()  # hourly
    assert source_health(source, [run(1.5)], NOW).healthy
    health = source_health(source, [run(2.5, "interrupted"), run(3)], NOW)
    assert not health.healthy and health.problems[0].startswith("stale: data is 3h old")
    never = source_health(source, [run(5, "failed", 0)], NOW)
    assert "no successful run in 5h" in never.problems[0]
    assert source_health(source, [], NOW).healthy  # never crawled: shown, not an incident


def test_yield_dropping_to_nothing_while_pages_load_is_a_layout_change():
    quiet = [run(1, new=0, seen=20), run(2, new=3, seen=17)]  # nothing new, still seen
    assert source_health("s", quiet, NOW).healthy
    broken = [run(1, pages=2, new=0, seen=0), run(2, new=3, seen=17)]
    health = source_health("s", broken, NOW)
    assert not health.healthy and health.problems[0].startswith("layout:")
    always_empty = [run(1, pages=1, seen=0), run(2, pages=1, seen=0)]
    assert source_health("s", always_empty, NOW).healthy


def test_counts_of_the_last_day_and_week():
    history = [run(1, new=5, errors=["x"]), run(30, new=7), run(24 * 8, new=100)]
    health = source_health("s", history, NOW)
    assert (health.posts_day, health.posts_week, health.errors_day) == (5, 12, 1)


def test_weekday_schedule_interval_counts_the_weekend():
    assert interval("0 9 * * 1-5", NOW) == timedelta(days=3)
    assert interval("*/30 * * * *", NOW) == timedelta(minutes=30)


def status(tmp_path, env) -> tuple[int, list[dict], str]:
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "status", "--json", "--store", str(tmp_path / "h.db"),
         "--sources-file", str(tmp_path / "sources.yaml")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def test_status_reports_a_failing_a_stale_and_a_redesigned_source(tmp_path):
    with DemoMarket(port=0) as market:
        write_sources(
            tmp_path / "sources.yaml",
            source_block("quiet", f"{market.base_url}/empty/", "0 * * * *"),
            source_block("down", f"http://127.0.0.1:{closed_port()}/", "0 * * * *",
                         "{retries: 0, delay: 0}"),
            source_block("gbk", f"{market.base_url}/gbk/", "*/30 * * * *"),
            source_block("stale", f"{market.base_url}/big5/", "* * * * * *"),  # every second
        )  # fmt: skip
        env = heishi_env(market)
        sources = str(tmp_path / "sources.yaml")
        args = (tmp_path / "h.db", tmp_path / "ev", "--sources-file", sources)
        first = run_crawl(*args, env=env)
        assert first.rows["gbk"]["new"] == 24 and first.rows["stale"]["status"] == "ok"
        market.redesign("gbk")  # the site changes its markup: the selectors match nothing
        for _ in range(2):
            again = run_crawl(*args, "down", "gbk", env=env)
            assert again.rows["gbk"]["status"] == "ok" and again.rows["gbk"]["pages"] == 1
    code, report, stderr = status(tmp_path, env)
    assert code == 1
    by_source = {row["source"]: row for row in report}
    assert [row["source"] for row in report][-1] == "quiet"  # problems first
    assert by_source["quiet"]["healthy"] and by_source["quiet"]["last_status"] == "ok"
    assert by_source["down"]["problems"][0].startswith("failing: the last 3 runs failed")
    assert by_source["gbk"]["problems"][0].startswith("layout: the last run loaded 1 page(s)")
    assert by_source["gbk"]["posts_day"] == 24 and by_source["gbk"]["last_success"]
    assert by_source["stale"]["problems"][0].startswith("stale: data is")
    for source in ("down", "gbk", "stale"):  # each problem also logged as a warning
        assert f"WARNING heishi.health: {source}: " in stderr


def test_status_exit_code_is_zero_when_all_is_well(tmp_path):
    write_sources(tmp_path / "sources.yaml", source_block("new", "http://127.0.0.1:9/"))
    with open_store(str(tmp_path / "h.db")) as db:
        db.finish_run(CrawlRun("new", status="ok", pages=1, posts_new=3))
    code, report, stderr = status(tmp_path, heishi_env())
    assert code == 0 and report[0]["healthy"] and report[0]["posts_day"] == 3, stderr
