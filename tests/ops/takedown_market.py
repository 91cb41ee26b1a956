"""A small market for the takedown tests: listings with victims' samples, a Telegram-like
channel, and a hand to remove things between two checks. Served on a free loopback port.

Posts are put in the store the way the crawl pipeline would: the page fetched over HTTP and
archived (raw bytes by SHA-256 and a WARC record), the text redacted with the deployment key,
offers and contacts extracted, all with the real modules.
"""

from __future__ import annotations

import html
import json
import threading
import time
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from crawlers.evidence import EvidenceArchive
from index import Post
from nlp import EXTRACTOR_VERSION, extract
from nlp.redact import luhn_ok, redact

KEY = b"takedown-tests-key"
_GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """A checksum-valid resident identity number."""
    total = sum(int(c) * w for c, w in zip(first17, _GB11643_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def card_number(first: str) -> str:
    """A Luhn-valid card number."""
    return next(first + d for d in "0123456789" if luhn_ok(first + d))


VICTIM_ID = id_number("11010519491231002")
VICTIM_CARD = card_number("622202123456789012")
VICTIM_PHONE = "13912345678"
# Shown only on the live page, as a table (no stored post holds it, so no token either).
LIVE_VICTIM = ("李娜", "13787654321", id_number("31010419850101123"))
SELLER_QQ = "2049385761"

DATA_POST = (
    "出售四要素料子 一手资源 0.5元一条 1000条起\n"
    "样料：\n"
    f"张伟 {VICTIM_PHONE} {VICTIM_ID} {VICTIM_CARD}\n"
    f"联系QQ {SELLER_QQ}"
)
ACCOUNT_POST = "出微信老号 满三年 带圈 400元一个 可换绑\n联系QQ 3312345678"
CHANNEL_POST = "接码平台 探探1.2元 陌陌1.5元 微信4元 秒收\n飞机 @code_king"


class Market:
    """``/board/`` lists threads; ``/board/thread/<tid>.html`` shows one; ``/<channel>/<id>``
    (``?embed=1``) shows a channel message. ``remove(tid)`` takes a thread or message away;
    ``slow`` makes every page hang that long first."""

    def __init__(self) -> None:
        self.threads = {"101": ("四要素料子", DATA_POST), "102": ("微信老号", ACCOUNT_POST)}
        self.messages = {"codes/7": CHANNEL_POST}
        self.slow = 0.0
        self.page_size: int | None = None  # threads a board page shows (None: all)
        self.live_sample_on: str | None = None  # a thread whose page grows a sample table
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> Market:
        market = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                if market.slow:
                    time.sleep(market.slow)
                status, body = market.page(self.path)
                data = body.encode("utf-8")
                self.send_response(status)
                kind = "application/json" if self.path.startswith("/api/") else "text/html"
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def remove(self, what: str) -> None:
        self.threads.pop(what, None)
        self.messages.pop(what, None)

    def page(self, path: str) -> tuple[int, str]:
        path, _, query = path.partition("?")
        if path == "/board/":
            page = int(query.removeprefix("page=") or 1) if query.startswith("page=") or \
                not query else 1
            threads = list(self.threads.items())
            size = self.page_size or max(len(threads), 1)
            shown = threads[(page - 1) * size : page * size]
            blocks = "".join(
                f'<div class="thread" data-tid="{tid}"><a href="/board/thread/{tid}.html">'
                f"{html.escape(title)}</a><div class='body'>{_lines(text)}</div></div>"
                for tid, (title, text) in shown)
            if page * size < len(threads):
                blocks += f'<div class="pager"><a class="next" href="/board/?page={page + 1}">' \
                          "下一页</a></div>"
            return 200, _page("账号交易", blocks)
        if path.startswith("/board/thread/"):
            tid = path.rsplit("/", 1)[-1].removesuffix(".html")
            if tid not in self.threads:
                return 404, _page("404", "帖子不存在")
            title, text = self.threads[tid]
            extra = ""
            if tid == self.live_sample_on:
                extra = ("<p>新到料子如下：</p><table><tr><th>姓名</th><th>手机</th><th>身份证</th>"
                         "</tr><tr>" + "".join(f"<td>{v}</td>" for v in LIVE_VICTIM)
                         + "</tr></table>")
            return 200, _page(title, f"<h1>{html.escape(title)}</h1><div>{_lines(text)}</div>"
                              f"{extra}")
        if path == "/api/items":  # a marketplace's JSON answer
            items = [{"id": tid, "title": title, "desc": text}
                     for tid, (title, text) in self.threads.items()]
            return 200, json.dumps({"items": items}, ensure_ascii=False)
        if path.count("/") == 2:  # /<channel>/<id>: a Telegram-like message page
            key = path.strip("/")
            if key not in self.messages:
                return 200, _page("Telegram", '<div class="tgme_widget_message_error">'
                                  "Post not found</div>")
            return 200, _page("Telegram", f'<div class="tgme_widget_message" data-post="{key}">'
                              f"{_lines(self.messages[key])}</div>")
        return 404, _page("404", "not found")


def _lines(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title></head><body>{body}</body></html>")


def ingest(store, evidence: Path, source: str, url: str, key: str, text: str,
           title: str | None = None) -> Post:
    """Fetch ``url``, archive it, and store the post read from it, as a crawl would."""
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
        headers = [(k.encode(), v.encode()) for k, v in response.headers.items()]
        status = response.status
    fetched = datetime.now(UTC)
    archive = EvidenceArchive(evidence, source)
    try:
        sha = archive.keep(url, body, status, headers, fetched)
    finally:
        archive.close()
    post = Post(source=source, key=key, url=url, title=title, text=redact(text, KEY),
                fetched_at=fetched.isoformat(timespec="seconds"), evidence_sha256=sha,
                posted_at="2026-11-20T10:00:00+08:00")
    store.upsert_posts([post])
    store.put_extraction(post.id, extract(text), EXTRACTOR_VERSION)
    return post
