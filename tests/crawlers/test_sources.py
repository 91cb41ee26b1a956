"""sources.yaml: the shipped file loads, and every kind of mistake names file, line and field."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from crawlers.errors import ConfigError
from crawlers.politeness import source_settings
from crawlers.sources import FromEnv, find_sources, load_sources

REPO = Path(__file__).resolve().parents[2]
DEMO_SECTIONS = ("forum", "js", "gbk", "big5", "nocharset", "sms", "slow", "broken", "empty",
                 "history")

GOOD = """\
defaults:
  politeness: {delay: 0.5, robots: false}
sources:
  - name: board
    start_urls: ["${TEST_BASE:-http://127.0.0.1:9}/board/"]
    recrawl_age: 12h
    politeness: {concurrency: 3, max_page_size: 512KB}
    headers:
      User-Agent: test
      Cookie: {env: BOARD_COOKIE}
    selectors:
      post: div.thread
      fields:
        site_id: {css: "a.title::attr(href)", re: 'tid=(\\d+)'}
        text: div.body
      next_page: a.next::attr(href)
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    return caught.value


def test_shipped_sources_cover_every_demo_section(monkeypatch):
    monkeypatch.setenv("HEISHI_DEMO_URL", "http://127.0.0.1:1234")
    sources = load_sources(REPO / "sources.yaml")
    paths = {source.start_urls[0].removeprefix("http://127.0.0.1:1234") for source in sources}
    assert paths == {f"/{section}/" for section in DEMO_SECTIONS}
    js = next(source for source in sources if source.name == "demo-js")
    assert js.browser is not None and js.browser.wait_for
    assert all(source.browser is None for source in sources if source is not js)


def test_shipped_sources_default_to_the_demo_port(monkeypatch):
    monkeypatch.delenv("HEISHI_DEMO_URL", raising=False)
    sources = load_sources(REPO / "sources.yaml")
    assert all(s.start_urls[0].startswith("http://127.0.0.1:8642/") for s in sources)


def test_values_defaults_and_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_BASE", "http://127.0.0.1:5555")
    (source,) = load_sources(write(tmp_path, GOOD))
    assert source.start_urls == ("http://127.0.0.1:5555/board/",)
    assert source.recrawl_age == timedelta(hours=12)
    assert source.politeness.delay == 0.5 and source.politeness.concurrency == 3
    assert source.politeness.max_page_size == 512 * 1024 and source.politeness.robots is False
    assert source.headers["Cookie"] == FromEnv("BOARD_COOKIE")
    assert source.line == 4
    headers, missing = source.resolved_headers()
    assert headers == {"User-Agent": "test"} and missing == ["BOARD_COOKIE"]
    monkeypatch.setenv("BOARD_COOKIE", "sid=1")
    assert source.resolved_headers()[0]["Cookie"] == "sid=1"
    settings = source_settings(source)
    assert settings["DOWNLOAD_DELAY"] == 0.5
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 3
    assert settings["DOWNLOAD_MAXSIZE"] == 512 * 1024
    assert "DOWNLOAD_HANDLERS" not in settings  # no browser for a plain source


def test_context_tells_what_a_place_sells(tmp_path, monkeypatch):
    monkeypatch.setenv("HEISHI_DEMO_URL", "http://127.0.0.1:1234")
    (sms,) = find_sources(["demo-sms"], REPO / "sources.yaml")
    assert "接码" in sms.context
    (board,) = load_sources(write(tmp_path, GOOD.replace("    recrawl_age: 12h",
                                                         "    context: '  卡商 频道 '")))
    assert board.context == "卡商 频道"
    (plain,) = load_sources(write(tmp_path, GOOD))
    assert plain.context is None


def test_unknown_key_is_an_error_with_line_and_field(tmp_path):
    text = GOOD.replace("      next_page:", "      nxt_page:")
    error = error_of(tmp_path, text)
    assert error.file.endswith("sources.yaml") and error.line == 16
    assert error.field == "sources[board].selectors.nxt_page"
    assert str(error).startswith(f"{error.file}:16: sources[board].selectors.nxt_page: unknown")


@pytest.mark.parametrize(
    ("change", "line", "field", "words"),
    [
        (("    recrawl_age: 12h", "    recrawl_age: soon"), 6, "recrawl_age", "duration"),
        (("concurrency: 3", "concurrency: 0"), 7, "politeness.concurrency", "whole number"),
        (("      post: div.thread", "      post: 'div[['"), 12, "selectors.post", "bad css"),
        (("      Cookie: {env: BOARD_COOKIE}", "      Cookie: sid=1"), 10, "headers.Cookie", "env"),
        (("tid=(\\d+)", "tid=(\\d+"), 14, "fields.site_id.re", "regular expression"),
        (("        text: div.body\n", ""), 14, "selectors.fields.text", "text"),
        (("    recrawl_age: 12h", "    context: [接码]"), 6, "context", "single value"),
        (
            ('["${TEST_BASE:-http://127.0.0.1:9}/board/"]', '["${NOT_SET_ANYWHERE}/x"]'),
            5,
            "start_urls[0]",
            "NOT_SET_ANYWHERE",
        ),
    ],
)
def test_each_mistake_names_its_line_and_field(tmp_path, change, line, field, words):
    old, new = change
    assert old in GOOD
    error = error_of(tmp_path, GOOD.replace(old, new))
    assert error.line == line, str(error)
    assert error.field.endswith(field), str(error)
    assert words.lower() in str(error).lower()


def test_bad_cron_duplicate_names_and_bad_yaml(tmp_path):
    error = error_of(tmp_path, GOOD.replace("    recrawl_age: 12h", '    schedule: "61 * * * *"'))
    assert (error.line, error.field) == (6, "sources[board].schedule")
    twice = GOOD + GOOD.split("sources:\n", 1)[1]
    error = error_of(tmp_path, twice)
    assert error.line == 17 and "duplicate" in str(error)
    error = error_of(tmp_path, "sources:\n  - name: [unclosed\n")
    assert error.line == 3 and "YAML" in str(error)


def test_unknown_source_name(tmp_path):
    path = write(tmp_path, GOOD)
    with pytest.raises(ConfigError, match="unknown source 'nope'"):
        find_sources(["nope"], path)


def test_cli_prints_one_line_for_a_bad_file(tmp_path):
    path = write(tmp_path, GOOD.replace("      post:", "      posts:"))
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "crawl", "--sources-file", str(path),
         "--store", str(tmp_path / "h.db")],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert f"{path}:12: sources[board].selectors.posts: unknown key" in done.stderr
