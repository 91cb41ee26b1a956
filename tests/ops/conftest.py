"""Fixtures of the ops tests: the demo market's history, crawled once for the session."""

from __future__ import annotations

import pytest

from crawlers.demo import DemoMarket
from tests.crawlers.crawling import crawl_env, run_crawl


@pytest.fixture(scope="session")
def history(tmp_path_factory):
    """(store path, price paths): ``/history/`` crawled by the real command into SQLite."""
    folder = tmp_path_factory.mktemp("history")
    store = folder / "heishi.db"
    with DemoMarket(port=0) as market:
        done = run_crawl(store, folder / "evidence", "demo-history", env=crawl_env(market))
        paths = market.price_paths()
    assert done.rows["demo-history"]["status"] == "ok", done.stderr
    return store, paths


@pytest.fixture(autouse=True)
def audit_log(tmp_path, monkeypatch):
    """Exports are audited: into the test's folder, never the working tree's var/."""
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
