"""Each configuration case of issue 13 is one line naming file, line and field, and exit 2."""

from __future__ import annotations

import textwrap

import pytest

from ops.cli import main

SOURCE = """\
sources:
  - name: board
    start_urls: ["http://127.0.0.1:9/board/"]
    selectors:
      post: div.thread
      fields:
        text: div.body
"""


def with_line(line: str, after: str = "    start_urls") -> str:
    """SOURCE with ``line`` added after the line starting with ``after``."""
    out = []
    for existing in SOURCE.splitlines():
        if existing.startswith(after) and line.startswith(after):
            out.append(line)
            continue
        out.append(existing)
        if existing.startswith(after) and not line.startswith(after):
            out.append(line)
    return "\n".join(out) + "\n"


CASES = [
    ("timezone", with_line("    timezone: Asia"), 4, "timezone"),
    ("date name", with_line("  - name: 2024-02-30", "  - name"), 2, "name"),
    ("huge recrawl_age", with_line("    recrawl_age: 99999999999d"), 4, "recrawl_age"),
    ("float recrawl_age", with_line("    recrawl_age: 1.0e+300"), 4, "recrawl_age"),
    ("!!int tag", with_line("    politeness: {concurrency: !!int abc}"), 4, "concurrency"),
    ("!!timestamp tag", with_line("    context: !!timestamp nope"), 4, "context"),
    ("unknown tag", with_line("    context: !!python/name:os.system x"), 4, "context"),
    ("no host", with_line('    start_urls: ["http://"]'), 3, "start_urls"),
    ("bad port", with_line('    start_urls: ["http://127.0.0.1:99999/"]'), 3, "start_urls"),
    ("port not a number", with_line('    start_urls: ["http://127.0.0.1:abc/"]'), 3, "start_urls"),
    ("open bracket", with_line('    start_urls: ["http://[::1/"]'), 3, "start_urls"),
    ("rot13", with_line("    encoding: rot13"), 4, "encoding"),
    ("delay .inf", with_line("    politeness: {delay: .inf}"), 4, "delay"),
    ("delay .nan", with_line("    politeness: {delay: .nan}"), 4, "delay"),
    ("timeout huge", with_line("    politeness: {timeout: 9999999w}"), 4, "timeout"),
    ("page size 1e400", with_line(f"    politeness: {{max_page_size: {'9' * 400}MB}}"), 4,
     "max_page_size"),
    ("huge concurrency", with_line(f"    politeness: {{concurrency: {'9' * 30}}}"), 4,
     "concurrency"),
]


@pytest.mark.parametrize(("case", "text", "line", "field"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_sources_file_is_one_line_with_file_line_and_field(case, text, line, field,
                                                                  tmp_path, capsys):
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    assert main(["sources", "check", "--sources-file", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert f"{path}:{line}: " in err and field in err.split(f"{path}:{line}: ")[1], err


def test_the_base_file_is_valid(tmp_path, capsys):
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCE, encoding="utf-8")
    assert main(["sources", "check", "--sources-file", str(path)]) == 0


# -- command-line cases ---------------------------------------------------------------------


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    from index import Post, open_store

    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    monkeypatch.delenv("HEISHI_STORE", raising=False)
    path = str(tmp_path / "heishi.db")
    with open_store(path) as store:
        store.upsert_posts([Post(source="tg", key="1", text="出微信老号 400",
                                 posted_at="2026-11-02T10:00:00+00:00"),
                            Post(source="tg", key="2", text="出陌陌老号 300",
                                 posted_at="2026-11-03T10:00:00+00:00")])
    return path


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["search", "--since", "999999999d"], "since"),
     (["search", "--since", "9" * 40 + "w"], "since"),
     (["trend", "--since", "999999999d"], "since"),
     (["search", "--offset", str(2**70)], "offset"),
     (["search", "微信 OR 陌陌"], "'OR'"),
     (["search", "微信 NOT 陌陌"], "'NOT'"),
     (["search", "微信", "--facets", "goods", "--json"], "--facets"),
     (["search", "微信", "--facets", "goods", "--csv"], "--facets"),
     (["demo", "--port", "99999"], "--port")],
)
def test_a_bad_command_line_is_one_line_and_exit_2(argv, message, store_path, capsys):
    assert main([*argv, "--store", store_path]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


def test_until_the_last_day_there_is_finds_everything(store_path, capsys):
    assert main(["search", "--until", "9999-12-31", "--store", store_path, "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_and_between_words_means_what_it_says(store_path, capsys):
    assert main(["search", "微信 AND 老号", "--store", store_path, "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_the_demo_serves_where_heishi_demo_url_says():
    from ops.commands.demo import DEMO_PORT, demo_port

    assert demo_port(None, "http://127.0.0.1:18642") == (18642, True)
    assert demo_port(None, "HTTP://localhost:9000/") == (9000, True)
    assert demo_port(None, None) == (DEMO_PORT, False)
    assert demo_port(0, "http://127.0.0.1:18642") == (0, False)


@pytest.mark.parametrize("url", ["http://example.com:8642", "http://127.0.0.1:abc",
                                 "ftp://127.0.0.1:1"])
def test_a_demo_url_off_this_machine_or_broken_is_one_line(url, store_path, monkeypatch,
                                                           capsys):
    monkeypatch.setenv("HEISHI_DEMO_URL", url)
    assert main(["demo", "--store", store_path]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HEISHI_DEMO_URL" in err, err


def test_a_store_we_may_not_write_is_searched_read_only(store_path, monkeypatch, capsys):
    import os

    real_access = os.access

    def access(path, mode, **kw):  # as for a user who may read the file but not write it
        return False if mode & os.W_OK else real_access(path, mode, **kw)

    monkeypatch.setattr(os, "access", access)
    assert main(["search", "微信", "--store", store_path, "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
