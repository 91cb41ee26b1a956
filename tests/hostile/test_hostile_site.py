"""A hostile site crawled over loopback: its posts try every trick of issue 13 at once.

Nothing of a victim's identity number may reach the store, the logs or a file others can
read; the posts must come out of ``search``, ``seller`` and ``lexicon suggest`` literally, in
tables, JSON Lines and CSV.
"""

from __future__ import annotations

import csv
import html
import io
import json
import sqlite3
import stat
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ops.cli import main
from tests.crawlers.crawling import REPO, crawl_env
from tests.hostile.test_redact_fields import in_clear

ID = "11010519491231002X"
GROUPED = "110105 1949 1231 002X"
BROKEN = "110105\u200b1949\u200d1231\u2060002X"
MARKUP = "[/b] [link=http://evil.example/x]点这里[/link] [bold red]警告[/]"
FORMULA = '=HYPERLINK("http://evil.example","点我")'
ESCAPE = "\x1b[2J\x1b]8;;http://evil.example\x07"
MANY = " ".join(f"139{i:08d}" for i in range(3000))  # a paste of numbers (was quadratic)

POSTS = [
    {"id": "1", "title": f"出身份证料 {ID}", "author": GROUPED, "channel": f"群 {BROKEN}",
     "price": f"{FORMULA} 400元",
     "text": f"{MARKUP} 出微信老号 400一个 Q 2049385761 {ESCAPE}\n样料：张三 {BROKEN} "
             "13800138000 北京市朝阳区"},
    {"id": "2", "title": "[/i]-1+1", "author": "@SUM(1)", "channel": "[/]",
     "price": "@400", "text": f"{FORMULA} 出微信老号 380 Q 2049385761 证件 {GROUPED}"},
    {"id": "3", "title": "号码", "author": "x", "channel": "c", "price": "1元",
     "text": f"出料 1元一条 Q 2049385761\n{MANY}"},
]


def page() -> bytes:
    blocks = "".join(
        f'<div class="post" data-id="{p["id"]}"><h2 class="title">{html.escape(p["title"])}</h2>'
        f'<span class="author">{html.escape(p["author"])}</span>'
        f'<span class="channel">{html.escape(p["channel"])}</span>'
        f'<span class="price">{html.escape(p["price"])}</span>'
        f'<div class="body">{html.escape(p["text"]).replace(chr(10), "<br>")}</div></div>'
        for p in POSTS
    )
    return f"<html><body>{blocks}</body></html>".encode()


class Site(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        else:
            body, kind = page(), "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


SOURCES = """\
sources:
  - name: hostile
    start_urls: ["{base}/board/"]
    politeness: {{delay: 0, autothrottle: false}}
    selectors:
      post: div.post
      fields:
        site_id: "::attr(data-id)"
        title: h2.title
        author: span.author
        channel: span.channel
        price_text: span.price
        text: div.body
"""


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    root = tmp_path_factory.mktemp("hostile")
    sources = root / "sources.yaml"
    sources.write_text(SOURCES.format(base=f"http://127.0.0.1:{server.server_port}"))
    store, evidence = root / "var" / "heishi.db", root / "var" / "evidence"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ops.cli", "crawl", "--json", "--quiet", "--verbose",
             "--store", str(store), "--evidence", str(evidence), "--sources-file", str(sources)],
            cwd=REPO, env=crawl_env(HEISHI_AUDIT_LOG=str(root / "var" / "audit.log")),
            capture_output=True, text=True, timeout=240,
        )
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr[-3000:]
    [row] = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert row["status"] == "ok" and row["new"] == len(POSTS), row
    return root, store, evidence, done


def test_no_identity_number_in_clear_in_the_store(crawled):
    _, store, _, _ = crawled
    db = sqlite3.connect(store)
    dump = "\n".join(db.iterdump())
    db.close()
    assert "出微信老号" in dump  # the posts are there…
    assert not in_clear(dump, ID)  # …without the victim's number, in any field or form
    for path in store.parent.glob("heishi.db*"):
        assert ID.encode() not in path.read_bytes()


def test_no_identity_number_in_the_logs(crawled):
    _, _, _, done = crawled
    assert "INFO" in done.stderr  # Scrapy's own log was on
    assert not in_clear(done.stdout + done.stderr, ID)


def test_evidence_store_and_audit_log_are_owner_only(crawled):
    root, _, evidence, _ = crawled
    assert list(evidence.rglob("*.warc.gz")) and list(evidence.rglob("*.gz"))
    for path in [root / "var", *(root / "var").rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


@pytest.fixture
def analyst(crawled, monkeypatch):
    root, store, _, _ = crawled
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(root / "var" / "audit.log"))
    monkeypatch.delenv("HEISHI_STORE", raising=False)
    return str(store)


def assert_terminal_safe(out: str):
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out


@pytest.mark.parametrize("command", [["search", "微信老号"], ["seller", "qq:2049385761"]])
def test_tables_show_the_posts_literally(analyst, capsys, command):
    assert main([*command, "--store", analyst]) == 0
    out = capsys.readouterr().out
    assert_terminal_safe(out)
    assert "[/b]" in out and "[link=http://evil.example/x]" in out
    assert not in_clear(out, ID)


def test_lexicon_suggest_reads_the_stored_posts(analyst, capsys):
    assert main(["lexicon", "suggest", "--store", analyst, "--days", "3650",
                 "--min-posts", "1"]) == 0
    assert_terminal_safe(capsys.readouterr().out)


def test_json_carries_the_posts_as_written(analyst, capsys):
    assert main(["search", "微信老号", "--store", analyst, "--json"]) == 0
    out = capsys.readouterr().out
    assert_terminal_safe(out)
    hits = [json.loads(line) for line in out.splitlines()]
    texts = "\n".join(h["text"] for h in hits)
    assert MARKUP in texts and FORMULA in texts
    assert not in_clear(out, ID)


def test_csv_neutralises_formulas(analyst, capsys):
    assert main(["search", "微信老号", "--store", analyst, "--csv"]) == 0
    out = capsys.readouterr().out
    assert_terminal_safe(out)
    for row in csv.DictReader(io.StringIO(out)):
        for name, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, value)
    assert "'=HYPERLINK" in out and "'@SUM(1)" in out


def test_every_export_was_audited(analyst, crawled):
    root = crawled[0]
    log = Path(root / "var" / "audit.log")
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert entries and all(e["query"].get("store") for e in entries)


def test_parts_of_a_grouped_identity_number_are_not_prices_nor_contacts(crawled):
    _, store, _, _ = crawled
    db = sqlite3.connect(store)
    prices = {row[0] for row in db.execute("SELECT price FROM offers")}
    values = {row[0] for row in db.execute("SELECT value FROM contacts")}
    texts = "\n".join(row[0] for row in db.execute("SELECT text FROM posts"))
    db.close()
    assert not prices & {110105, 1949, 1231, 2}, prices
    assert "2049385761" in values  # the seller's own contact is kept
    assert not any("\x07" in v or "\x1b" in v for v in values)
    assert "13900000000" not in texts and "13900000000" not in values  # a pasted number list
