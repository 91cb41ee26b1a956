"""A local imitation black market, served in a background thread.

The crawler tests and ``make demo`` must work without internet and without touching real
criminal sites, yet exercise what real sites do to a crawler: pagination, detail pages, pages
that need a browser, GBK/Big5/undeclared encodings, rate limiting, broken HTML. ``DemoMarket``
serves all of that from 127.0.0.1 with the standard library only. SITE.md is its contract.

Pages are rendered once into bytes (the bench forum on first request) so that the handler is a
dictionary look-up and the crawler, not the server, is what a benchmark measures.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import history, pages
from .content import (
    BENCH,
    BOARDS,
    Board,
    Listing,
    fits,
    traditional,
    write_bench_page,
    write_board,
    write_more,
    write_sms_table,
)

CONTENT_TYPES = {  # how each board declares (or hides) its encoding in the HTTP header
    "gbk": "text/html",
    "big5": "text/html; charset=big5",
    "nocharset": "text/html",
}
META_CHARSET = {"gbk": "gbk", "big5": None, "nocharset": None}  # in-page <meta charset>
HTML = "text/html; charset=utf-8"
SECTIONS = ["forum", "js", "gbk", "big5", "nocharset", "sms", "slow", "broken", "empty", "bench",
            "history"]
SLOW_INTERVAL = 0.5  # seconds between two /slow/ requests below which the answer is 429
JS_API_DELAY = 0.2  # the listings API answers a little late, like a real XHR backend
_THREAD_PATH = re.compile(r"^/(forum|bench)/thread/(\d+)\.html$")
_PAGE_NUMBER = re.compile(r"^[1-9][0-9]{0,6}$")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: tuple[tuple[str, str], ...] = ()


NOT_FOUND = Response(404, "<!DOCTYPE html><html><body><h1>404 页面不存在</h1></body></html>\n"
                     .encode(), HTML)
TOO_MANY = Response(429, "<html><body><h1>429 访问太频繁，请稍后再试</h1></body></html>\n".encode(),
                    HTML, (("Retry-After", "1"),))


class DemoMarket:
    """The demo market. ``listing_pages=N`` adds the generated ``/bench/`` forum of N pages."""

    def __init__(self, port: int = 0, seed: int = 7, listing_pages: int | None = None):
        if listing_pages is not None and listing_pages < 1:
            raise ValueError(f"listing_pages must be a positive number, not {listing_pages}")
        self.host = "127.0.0.1"  # loopback only: the demo is never served to a network
        self.port = port
        self.seed = seed
        self.listing_pages = listing_pages
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._slow_last: float | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._listings: dict[str, list[Listing]] = {
            board.section: write_board(board, seed) for board in BOARDS.values()
        }
        broken = self._listings["broken"]
        if broken:
            broken[-1] = replace(broken[-1], text=pages.cut_text(broken[-1].text))
        self._sms_site, self._sms_updated, self._listings["sms"] = write_sms_table(seed)
        self._listings["history"] = history.write_history(seed)
        self._published: Counter[str] = Counter()
        self._redesigned: set[str] = set()  # boards whose markup changed (see redesign)
        self._routes: dict[str, Response] = {}
        self._bench: dict[str, Response] = {}
        self._render_all()

    # -- life cycle -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the demo market is not started; call start() first")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> str:
        if self._server is None:
            self._server = _Server((self.host, self.port), _Handler)
            self._server.market = self
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                name="heishi-demo-market", daemon=True)
            self._thread.start()
            for page in range(1, (self.listing_pages or 0) + 1):
                self._bench_page(page)  # pre-rendered, so a bench measures the crawler
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> DemoMarket:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- content ----------------------------------------------------------------------------

    def price_paths(self) -> dict[str, list[dict]]:
        """Ground truth of ``/history/``: per ``goods/platform/unit/currency``, the price its
        sellers centred their asks on, week by week (see ``crawlers.demo.history``)."""
        return history.price_paths()

    def listings(self, section: str) -> list[Listing]:
        """What ``section`` holds, newest first: the ground truth to compare a crawl with.
        For ``bench`` this generates all pages' threads."""
        if section == "bench":
            if not self.listing_pages:
                return []
            return [x for page in range(1, self.listing_pages + 1)
                    for x in write_bench_page(self.seed, page, self.listing_pages)]
        if section not in self._listings:
            raise KeyError(f"the demo market has no section {section!r}; it has {SECTIONS}")
        return list(self._listings[section])

    def publish(self, section: str, count: int = 1) -> list[Listing]:
        """``count`` new threads appear at the top of a board, as on a live forum; returns them
        newest first. Reproducible: the same calls on the same seed publish the same posts."""
        board = self._board(section)
        with self._lock:
            current = self._listings[section]
            self._published[section] += 1
            new = write_more(board, self.seed, current[0] if current else None, count,
                             self._published[section])
            self._listings[section] = new + current
            self._render_board(board)
        return new

    def edit(self, section: str, tid: str, text: str) -> Listing:
        """The author edits a thread: same tid, new text (a crawler should record a version)."""
        board = self._board(section)
        if not fits(board.codec, text):
            raise ValueError(f"demo section {section!r} is served in {board.codec}, "
                             f"which cannot encode this text")
        with self._lock:
            posts = self._listings[section]
            for i, post in enumerate(posts):
                if post.tid == str(tid):
                    posts[i] = replace(post, text=text)
                    self._render_board(board)
                    return posts[i]
        raise KeyError(f"demo section {section!r} has no thread {tid}")

    def redesign(self, section: str) -> None:
        """The site is redesigned: the board's posts come in new markup (``div.topic-list
        div.topic`` instead of ``div.threads div.thread``), so selectors written for the old
        layout match nothing while the pages still load, as when a real site changes."""
        board = self._board(section)
        with self._lock:
            self._redesigned.add(section)
            self._render_board(board)

    def _board(self, section: str) -> Board:
        if section not in BOARDS or section in ("broken", "empty"):
            raise KeyError(f"cannot change demo section {section!r}; boards that can: "
                           f"{[s for s in BOARDS if s not in ('broken', 'empty')]}")
        return BOARDS[section]

    # -- rendering --------------------------------------------------------------------------

    def _render_all(self) -> None:
        for board in (*BOARDS.values(), history.BOARD):
            if board.section != "broken":
                self._render_board(board)
        routes = dict(self._routes)
        routes["/"] = Response(200, pages.index_page(
            [s for s in SECTIONS if s != "bench" or self.listing_pages]).encode())
        routes["/robots.txt"] = Response(200, b"User-agent: *\nDisallow:\n",
                                         "text/plain; charset=utf-8")
        routes["/broken/?page=1"] = Response(200, pages.broken_page(self._listings["broken"]))
        routes["/sms/?page=1"] = Response(200, pages.sms_page(
            self._sms_site, self._sms_updated, self._listings["sms"]).encode())
        self._routes = routes

    def _render_board(self, board: Board) -> None:
        """(Re)build every page of one board; the dict swap keeps readers consistent."""
        section = board.section
        posts = self._listings[section]
        routes = dict(self._routes)
        for key in [k for k in routes if k.startswith(f"/{section}/")]:
            del routes[key]
        if section == "js":
            routes["/js/?page=1"] = Response(200, pages.js_shell().encode())
            routes["/js/api/listings.json"] = Response(
                200, pages.listings_json(posts).encode(), "application/json; charset=utf-8")
            routes["/js/app.js"] = Response(
                200, pages.JS_APP.encode(), "application/javascript; charset=utf-8")
        else:
            content_type = CONTENT_TYPES.get(section, HTML)
            meta = META_CHARSET.get(section, "utf-8")
            count = max(1, -(-len(posts) // board.per_page))
            for page in range(1, count + 1):
                chunk = posts[(page - 1) * board.per_page: page * board.per_page]
                html = pages.board_page(section, chunk, page, count, meta, short=board.detail,
                                        chrome=traditional if board.traditional else pages.same)
                if section in self._redesigned:
                    html = html.replace('class="threads"', 'class="topic-list"').replace(
                        'class="thread"', 'class="topic"')
                routes[f"/{section}/?page={page}"] = Response(
                    200, html.encode(board.codec), content_type)
            if board.detail:
                for post in posts:
                    routes[post.url] = Response(200, pages.detail_page(post).encode())
        self._routes = routes

    def _bench_page(self, page: int) -> Response:
        key = f"/bench/?page={page}"
        cached = self._bench.get(key)
        if cached is None:
            threads = write_bench_page(self.seed, page, self.listing_pages)
            cached = Response(200, pages.board_page(
                "bench", threads, page, self.listing_pages).encode())
            self._bench[key] = cached
        return cached

    def _bench_thread(self, tid: int) -> Response:
        per, pages_ = BENCH.per_page, self.listing_pages
        index = pages_ * per - (tid - BENCH.tid_base)  # 0 = newest
        if not 0 <= index < pages_ * per:
            return NOT_FOUND
        page = index // per + 1
        for post in write_bench_page(self.seed, page, pages_):
            if post.tid == str(tid):
                return Response(200, pages.detail_page(post).encode())
        return NOT_FOUND

    # -- answering --------------------------------------------------------------------------

    def respond(self, target: str) -> Response:
        """The answer to one GET of ``target`` (path and query, as in the request line)."""
        with self._lock:
            self.requests[target] += 1
        parts = urlsplit(target)
        path = parts.path
        if path.startswith("/slow/") or path == "/slow":
            now = time.monotonic()
            with self._lock:
                last, self._slow_last = self._slow_last, now
            if last is not None and now - last < SLOW_INTERVAL:
                return TOO_MANY
        if path == "/js/api/listings.json":
            time.sleep(JS_API_DELAY)
        if path.count("/") == 2 and path.endswith("/") and path != "/":
            query = parse_qs(parts.query)
            page = query.get("page", ["1"])[-1]
            if not _PAGE_NUMBER.match(page):
                return NOT_FOUND
            if path == "/bench/":
                if not self.listing_pages or int(page) > self.listing_pages:
                    return NOT_FOUND
                return self._bench_page(int(page))
            return self._routes.get(f"{path}?page={page}", NOT_FOUND)
        if path.count("/") == 1 and path[1:] in SECTIONS:
            return Response(301, b"", HTML, (("Location", path + "/"),))
        thread = _THREAD_PATH.match(path)
        if thread and thread.group(1) == "bench":
            return self._bench_thread(int(thread.group(2))) if self.listing_pages else NOT_FOUND
        return self._routes.get(path, NOT_FOUND)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    market: DemoMarket

    def handle_error(self, request, client_address) -> None:
        """A crawler that hangs up mid-answer is normal here, not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a crawler reuses its connections
    server_version = "HeishiDemo/1.0"
    timeout = 15  # an idle keep-alive connection is closed after this many seconds
    # Headers and body leave in two writes; with Nagle's algorithm the second waits for the
    # client's delayed ACK (~40 ms), which would make the server the bottleneck of a bench.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        response = self.server.market.respond(self.path)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def log_message(self, format, *args) -> None:  # noqa: A002 - the stdlib's signature
        """Quiet: a crawl makes thousands of requests; counts are in ``market.requests``."""
