"""Sites misbehave: rate limits, a dead host, selectors that match nothing, a killed crawl."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from crawlers.demo import DemoMarket
from index import open_store
from tests.crawlers.crawling import REPO, crawl_command, crawl_env, run_crawl

BOARD = """\
      post: div.threads div.thread
      fields:
        site_id: "::attr(data-tid)"
        author: span.author
        text: div.body
      next_page: div.pager a.next::attr(href)
"""


def sources_file(tmp_path: Path, sources: dict[str, tuple[str, str, str]]) -> Path:
    """name -> (start URL, politeness flow mapping, selectors block)."""
    text = "sources:\n"
    for name, (url, politeness, selectors) in sources.items():
        text += (
            f'  - name: {name}\n    start_urls: ["{url}"]\n'
            f"    politeness: {politeness}\n    selectors:\n{selectors}"
        )
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def closed_port() -> int:
    """A loopback port nobody listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_rate_limited_source_is_retried_after_retry_after(market, tmp_path):
    # No delay and two requests at a time: the board answers 429 + Retry-After: 1.
    before = sum(n for target, n in market.requests.items() if target.startswith("/slow/"))
    path = sources_file(
        tmp_path,
        {"slow": (f"{market.base_url}/slow/", "{delay: 0, concurrency: 2, autothrottle: false, "
                  "robots: false, retries: 5}", BOARD)},
    )  # fmt: skip
    done = run_crawl(tmp_path / "h.db", tmp_path / "ev", "--sources-file", str(path), "-v",
                     env=crawl_env(market))  # fmt: skip
    assert done.rows["slow"]["status"] == "ok", done.stderr
    assert done.rows["slow"]["new"] == len(market.listings("slow")) == 25
    assert "429" in done.stderr  # it was refused at least once
    requests = sum(n for target, n in market.requests.items() if target.startswith("/slow/"))
    assert requests - before > 3  # 3 pages, and retries


def test_down_source_fails_alone_and_selectors_that_match_nothing_warn(market, tmp_path):
    wrong = BOARD.replace("post: div.threads div.thread", "post: div.threads li.topic")
    path = sources_file(
        tmp_path,
        {
            "down": (f"http://127.0.0.1:{closed_port()}/forum/", "{retries: 1, delay: 0}", BOARD),
            "gbk": (f"{market.base_url}/gbk/", "{delay: 0, robots: false}", BOARD),
            "wrong": (f"{market.base_url}/big5/", "{delay: 0, robots: false}", wrong),
            "empty": (f"{market.base_url}/empty/", "{delay: 0, robots: false}", BOARD),
        },
    )
    store = tmp_path / "h.db"
    done = run_crawl(store, tmp_path / "ev", "--sources-file", str(path), env=crawl_env(market))
    assert done.returncode == 1  # one source failed
    assert done.rows["down"]["status"] == "failed"
    assert any("Connection" in error or "refused" in error for error in done.rows["down"]["errors"])
    assert done.rows["gbk"]["status"] == "ok" and done.rows["gbk"]["new"] == 24
    assert done.rows["empty"]["status"] == "ok" and done.rows["empty"]["new"] == 0
    assert done.rows["wrong"]["new"] == 0
    # The warning names the source, the selector and where it is written.
    assert f"wrong: selector post 'css:div.threads li.topic' ({path}:" in done.stderr
    assert "empty: selector post 'css:div.threads div.thread'" in done.stderr
    with open_store(str(store)) as db:
        (down,) = db.runs("down")
        (gbk,) = db.runs("gbk")
    assert down.status == "failed" and down.errors and down.finished_at
    assert gbk.status == "ok" and gbk.posts_new == 24


def test_scrapy_crawl_works_from_the_repository_root(market, tmp_path):
    env = crawl_env(market, HEISHI_STORE=str(tmp_path / "h.db"),
                    HEISHI_EVIDENCE=str(tmp_path / "ev"))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "demo-sms", "-s", "LOG_LEVEL=WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with open_store(str(tmp_path / "h.db")) as db:
        assert len(list(db.iter_posts("demo-sms"))) == 30
        assert db.runs("demo-sms")[0].status == "ok"


def test_killed_crawl_loses_nothing_and_duplicates_nothing(tmp_path):
    pages = 120
    with DemoMarket(port=0, listing_pages=pages) as market:
        path = sources_file(
            tmp_path,
            {"bench": (f"{market.base_url}/bench/", "{delay: 0.02, concurrency: 1, "
                       "autothrottle: false, robots: false}", BOARD)},
        )  # fmt: skip
        store, evidence = tmp_path / "h.db", tmp_path / "ev"
        env = crawl_env(market)
        crawl = subprocess.Popen(
            crawl_command(store, evidence, "--sources-file", str(path)),
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            stored = _wait_for_posts(store, crawl, at_least=400)
            helpers = _children(crawl.pid)  # extraction and store-writing workers
            os.kill(crawl.pid, signal.SIGKILL)
            crawl.wait(timeout=30)
        finally:
            if crawl.poll() is None:
                crawl.kill()
        assert helpers, "the crawl runs its extraction and store writes in worker processes"
        _wait_gone(helpers)  # orphaned workers notice and exit
        assert 400 <= stored < pages * 20, "the crawl was not killed mid-way"
        with open_store(str(store)) as db:
            (killed,) = db.runs("bench")
        assert killed.status == "running"  # never finished: the next crawl pages everything

        again = run_crawl(store, evidence, "--sources-file", str(path), env=env)
        assert again.rows["bench"]["status"] == "ok", again.stderr
        truth = {listing.tid for listing in market.listings("bench")}
    with open_store(str(store)) as db:
        keys = [post["key"] for post in db.iter_posts("bench")]
        assert db.stats()["sources"]["bench"]["posts"] == len(keys)
        latest, earlier = db.runs("bench")
    assert (latest.status, earlier.status) == ("ok", "interrupted")
    assert earlier.finished_at and "killed" in earlier.errors[-1]
    assert len(keys) == len(set(keys)) == pages * 20
    assert set(keys) == truth
    assert again.rows["bench"]["new"] == pages * 20 - stored_before(again, pages)


def stored_before(again, pages: int) -> int:
    """Posts the killed crawl had stored: the rerun saw them again instead of adding them."""
    return again.rows["bench"]["seen"] + again.rows["bench"]["changed"]


def _children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def _wait_gone(pids: list[int], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if Path(f"/proc/{pid}").exists() and not _zombie(pid)]
        if not alive:
            return
        time.sleep(0.1)
    for pid in alive:  # do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    raise AssertionError(f"worker processes {alive} outlived the killed crawl")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (FileNotFoundError, IndexError):
        return False


def _wait_for_posts(store: Path, crawl: subprocess.Popen, at_least: int) -> int:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if crawl.poll() is not None:
            raise AssertionError(f"the crawl ended (exit {crawl.returncode}) before it was killed")
        if store.exists():
            try:
                with open_store(str(store)) as db:
                    count = db.stats()["posts"]
            except Exception:  # the crawl is creating the schema right now
                count = 0
            if count >= at_least:
                return count
        time.sleep(0.05)
    raise AssertionError("the crawl stored too little in 90 s")


def test_posts_older_than_recrawl_age_are_fetched_again(market, tmp_path):
    forum = (
        BOARD.replace(
            "        text: div.body\n",
            "        link: a.title::attr(href)\n        text: div.body\n",
        )
        + "      detail:\n        text: div.post div.content\n"
    )
    path = sources_file(tmp_path, {"forum": (f"{market.base_url}/forum/", "{delay: 0}", forum)})
    path.write_text(
        path.read_text().replace("    politeness:", "    recrawl_age: 1s\n    politeness:")
    )
    store, evidence, env = tmp_path / "h.db", tmp_path / "ev", crawl_env(market)
    thread = market.listings("forum")[-1].url  # on the last page
    first = run_crawl(store, evidence, "--sources-file", str(path), env=env)
    assert first.rows["forum"]["new"] == len(market.listings("forum"))
    before = market.requests[thread]
    time.sleep(1.2)
    again = run_crawl(store, evidence, "--sources-file", str(path), env=env)
    assert again.rows["forum"]["new"] == 0
    assert again.rows["forum"]["seen"] == len(market.listings("forum"))
    assert market.requests[thread] == before + 1  # stale: paged to it and fetched it again


def test_retry_after_is_read_as_seconds_or_an_http_date():
    from datetime import UTC, datetime

    from crawlers.retry import retry_after_seconds

    now = datetime(2026, 11, 21, 8, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"1") == 1.0
    assert retry_after_seconds("Sat, 21 Nov 2026 08:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("Sat, 21 Nov 2026 07:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
