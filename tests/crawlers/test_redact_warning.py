"""A missing redaction key is said once per crawl, not once per source crawled."""

from __future__ import annotations

from tests.crawlers.crawling import crawl_env, run_crawl


def test_the_development_key_warning_is_printed_once(market, tmp_path):
    env = crawl_env(market)
    del env["HEISHI_REDACT_KEY"]
    done = run_crawl(tmp_path / "h.db", tmp_path / "ev", "demo-sms", "demo-empty", "demo-gbk",
                     env=env)
    assert all(row["status"] == "ok" for row in done.rows.values())
    assert done.stderr.count("HEISHI_REDACT_KEY is not set") == 1
