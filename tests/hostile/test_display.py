"""Post text reaches the analyst literally: never read as rich markup, no control characters
on the terminal, no formula a spreadsheet would run (issue 13, items 4-6)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import Post, open_store
from ops.cli import main
from ops.render import console_for, write_csv, write_jsonl, write_table
from tests.hostile.hostile_text import noise

HOSTILE = (
    "[/b] 出微信老号 400一个 [link=http://evil.example/x]点这里[/link] [bold red]警告[/] "
    "\x1b[2J\x1b]8;;http://evil.example\x1b\\\u202e Q 2049385761"
)
FORMULA = '=HYPERLINK("http://evil.example","点我") 出微信老号 400'


@pytest.fixture
def hostile_store(tmp_path, monkeypatch):
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    monkeypatch.delenv("HEISHI_STORE", raising=False)
    path = str(tmp_path / "heishi.db")
    posts = [
        Post(source="tg", key="1", text=HOSTILE, title="[/i]标题", author="[b]卖家",
             channel="[/]", posted_at="2026-11-02T10:00:00+00:00"),
        Post(source="tg", key="2", text=FORMULA, title="-1+1", author="@SUM(1)",
             posted_at="2026-11-03T10:00:00+00:00"),
    ]
    offer = {"goods": "account", "platform": "wechat", "side": "sell", "price": 400,
             "price_max": None, "currency": "CNY", "per_qty": 1, "unit": "item",
             "min_qty": None}
    with open_store(path) as store:
        store.upsert_posts(posts)
        store.put_extractions(
            (p.id, {"is_listing": True, "offers": [offer],
                    "contacts": [{"type": "qq", "value": "2049385761"}]}, "t1")
            for p in posts)
    return path


def assert_terminal_safe(out: str):
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out


@pytest.mark.parametrize("command", [["search", "微信老号"], ["seller", "qq:2049385761"]])
def test_tables_show_posts_literally(hostile_store, capsys, command):
    assert main([*command, "--store", hostile_store]) == 0
    out = capsys.readouterr().out
    shown = re.sub(r"[\s│]", "", out)  # cells fold over lines
    assert "[/b]" in shown and "[link=http://evil.example/x]" in shown
    assert "[boldred]" in shown  # spaces squeezed out above
    assert_terminal_safe(out)


def test_lexicon_suggest_table_shows_posts_literally(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    posts = tmp_path / "posts.jsonl"
    lines = [{"id": str(i), "text": f"出[/b]料[link=x] 0.{i}元一条 [/b]料[link=x] 100条起"}
             for i in range(1, 6)]
    posts.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in lines))
    assert main(["lexicon", "suggest", str(posts), "--min-posts", "1"]) == 0
    out = capsys.readouterr().out
    assert "[/b]" in out or "jargon" in out  # no MarkupError, whatever ranks first
    assert_terminal_safe(out)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_no_hidden_link_and_no_restyling():
    out = Terminal()
    write_table([{"text": HOSTILE}], ("text",), out, title="[red]x[/red] \x1b[2J")
    shown = out.getvalue()
    assert "\x1b]8;" not in shown  # no OSC 8 hyperlink
    assert "[link=http://evil.example/x]" in shown and "[red]x[/red]" in shown
    assert "[2J" in shown and "\x1b[2J" not in shown


def test_json_export_keeps_the_text_and_escapes_what_acts_on_a_terminal(hostile_store, capsys):
    assert main(["search", "微信老号", "--store", hostile_store, "--json"]) == 0
    out = capsys.readouterr().out
    assert_terminal_safe(out)
    texts = {json.loads(line)["text"] for line in out.splitlines()}
    assert HOSTILE in texts and FORMULA in texts  # the data itself is unchanged


def test_csv_export_neutralises_formulas(hostile_store, capsys):
    assert main(["search", "微信老号", "--store", hostile_store, "--csv"]) == 0
    out = capsys.readouterr().out
    assert_terminal_safe(out)
    rows = list(csv.DictReader(io.StringIO(out)))
    by_title = {row["title"]: row for row in rows}
    assert by_title["'-1+1"]["text"] == "'" + FORMULA
    assert by_title["'-1+1"]["author"] == "'@SUM(1)"
    assert "[/b]" in by_title["[/i]标题"]["text"]


def test_seller_csv_neutralises_formulas(tmp_path):
    out = io.StringIO()
    write_csv([{"contact": "=1+1", "n": -3, "price": 2.5}], ("contact", "n", "price"), out)
    row = out.getvalue().splitlines()[1]
    assert row == "'=1+1,-3,2.5"  # numbers are numbers, text is never a formula


rows = st.lists(st.fixed_dictionaries({"text": noise, "title": noise, "n": st.integers()}),
                max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_any_post_text_renders_in_every_format(rows):
    table = Terminal()
    write_table(rows, ("text", "title", "n"), table, title="[/b]")
    assert "\x1b]8;" not in table.getvalue()
    for row in rows:  # what the post said (control characters aside) is on screen
        assert "\x1b" not in "".join(c for c in row["text"] if c.isprintable())
    jsonl = io.StringIO()
    write_jsonl(rows, jsonl)
    assert_terminal_safe(jsonl.getvalue())
    assert [json.loads(line) for line in jsonl.getvalue().splitlines()] == rows
    out = io.StringIO()
    write_csv(rows, ("text", "title", "n"), out)
    for cells in list(csv.reader(io.StringIO(out.getvalue())))[1:]:
        assert not cells[0].startswith(("=", "+", "-", "@", "\t", "\r"))
        assert not cells[1].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert "\x1b" not in out.getvalue() and "\x9b" not in out.getvalue()


def test_console_reads_no_markup():
    out = io.StringIO()
    console_for(out).print("[/b] [bold]x[/bold]")
    assert out.getvalue().strip() == "[/b] [bold]x[/bold]"
