"""A locked store and a source being crawled already: one clear error each, no traceback, and
the live run is left alone (issue 13, the rest)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest

from crawlers.locks import SourceLock
from index import CrawlRun, open_store
from tests.crawlers.crawling import REPO, crawl_env

SOURCES = """\
sources:
  - name: board
    start_urls: ["http://127.0.0.1:9/board/"]
    politeness: {retries: 0, robots: false}
    selectors:
      post: div.thread
      fields:
        text: div.body
"""


@pytest.fixture
def setup(tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES)
    store = tmp_path / "heishi.db"
    open_store(str(store)).close()
    return tmp_path, sources, store


def crawl(tmp_path, sources, store):
    return subprocess.run(
        [sys.executable, "-m", "ops.cli", "crawl", "--json", "--quiet", "--store", str(store),
         "--evidence", str(tmp_path / "evidence"), "--sources-file", str(sources)],
        cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120,
    )


def test_a_second_crawl_of_a_source_leaves_the_live_run_alone(setup):
    tmp_path, sources, store = setup
    with open_store(str(store)) as db:
        live = db.start_run(CrawlRun(source="board"))
    lock = SourceLock(str(store), "board")  # the first crawl, still running
    try:
        done = crawl(tmp_path, sources, store)
    finally:
        lock.release()
    assert done.returncode == 1
    assert "being crawled" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    with open_store(str(store)) as db:
        assert [r.status for r in db.runs("board")] == ["running"]
        assert db.runs("board")[0].id == live.id


def test_a_killed_crawl_s_run_is_still_marked_interrupted(setup):
    tmp_path, sources, store = setup
    with open_store(str(store)) as db:
        db.start_run(CrawlRun(source="board"))  # no process holds its lock: it was killed
    crawl(tmp_path, sources, store)
    with open_store(str(store)) as db:
        assert [r.status for r in db.runs("board")][-1] == "interrupted"


def test_a_store_locked_past_the_timeout_is_one_error_without_traceback(setup):
    tmp_path, sources, store = setup
    held = threading.Event()
    release = threading.Event()

    def hold():
        db = sqlite3.connect(store, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait(60)
        db.execute("ROLLBACK")
        db.close()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        done = crawl(tmp_path, sources, store)
    finally:
        release.set()
        holder.join()
    assert done.returncode == 1
    assert "locked by another process" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "AttributeError" not in done.stderr
