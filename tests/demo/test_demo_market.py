"""The demo market answers as SITE.md documents: sections, paging, detail pages, 429, damage."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import parsel
import pytest

from crawlers.demo import DemoMarket
from crawlers.demo.content import GOODS

REPO = Path(__file__).resolve().parents[2]


def lines_of(node: parsel.Selector) -> str:
    """A block's text as the market wrote it: its own text nodes, one per <br>-separated line."""
    return "\n".join(t.strip() for t in node.xpath("./text()").getall() if t.strip())


def crawl_board(fetch, base: str, section: str) -> tuple[list[str], int]:
    """Follow a.next from the first page; the tids seen in order and the number of pages."""
    url, tids, pages = f"{base}/{section}/", [], 0
    while url:
        status, _, body = fetch(url)
        assert status == 200, url
        pages += 1
        page = parsel.Selector(text=body.decode("utf-8"))
        tids += page.css("div.thread::attr(data-tid)").getall()
        following = page.css("div.pager a.next::attr(href)").get()
        url = urljoin(url, following) if following else None
        assert pages < 100, "pagination does not end"
    return tids, pages


def test_two_markets_run_side_by_side_on_free_ports(fetch):
    with DemoMarket() as one, DemoMarket() as two:
        assert one.base_url != two.base_url
        assert one.base_url.startswith("http://127.0.0.1:")
        for base in (one.base_url, two.base_url):
            status, _, body = fetch(base + "/")
            assert status == 200
            links = parsel.Selector(text=body.decode()).css("ul.sections a::attr(href)").getall()
            assert set(links) == {f"/{s}/" for s in
                                  ["forum", "js", "gbk", "big5", "nocharset", "sms", "slow",
                                   "broken", "empty", "history"]}
    with pytest.raises(RuntimeError):
        one.base_url  # noqa: B018 - stopped markets have no address


def test_every_index_link_answers(market, fetch):
    _, _, body = fetch(market.base_url + "/")
    for href in parsel.Selector(text=body.decode()).css("ul.sections a::attr(href)").getall():
        if href == "/slow/":
            time.sleep(0.6)
        assert fetch(market.base_url + href)[0] == 200, href
    assert fetch(market.base_url + "/nowhere/")[0] == 404
    assert fetch(market.base_url + "/robots.txt")[2].startswith(b"User-agent: *")


def test_forum_pages_end_and_hold_every_thread_newest_first(market, fetch):
    tids, pages = crawl_board(fetch, market.base_url, "forum")
    truth = market.listings("forum")
    assert pages == 5
    assert tids == [x.tid for x in truth]
    assert [int(t) for t in tids] == sorted((int(t) for t in tids), reverse=True)
    times = [x.posted_iso for x in truth]
    assert times == sorted(times, reverse=True) and len(set(times)) == len(times)
    assert fetch(market.base_url + "/forum/?page=6")[0] == 404
    assert fetch(market.base_url + "/forum/?page=0")[0] == 404
    assert fetch(market.base_url + "/forum/?page=x")[0] == 404
    assert fetch(market.base_url + "/forum/?page=1")[2] == fetch(market.base_url + "/forum/")[2]


def test_forum_lists_excerpts_and_detail_pages_hold_the_full_text(market, fetch):
    _, _, body = fetch(market.base_url + "/forum/")
    first = parsel.Selector(text=body.decode()).css("div.thread")[0]
    truth = {x.tid: x for x in market.listings("forum")}
    listing = truth[first.attrib["data-tid"]]
    assert first.css("a.title::text").get() == listing.title
    assert first.css("span.author::text").get() == listing.author
    assert first.css("time.posted::text").get() == listing.posted
    assert first.css("time.posted::attr(datetime)").get() == listing.posted_iso
    assert first.css("div.body.excerpt")
    long_ones = [x for x in truth.values() if len(x.text) > 45]
    assert long_ones, "some forum posts are longer than an excerpt"
    for listing in long_ones[:5]:
        status, _, detail = fetch(urljoin(market.base_url, listing.url))
        assert status == 200
        post = parsel.Selector(text=detail.decode()).css("div.post")
        assert post.attrib["data-tid"] == listing.tid
        assert lines_of(post.css("div.content")[0]) == listing.text
        assert post.css("h1.title::text").get() == listing.title
        assert post.css("span.price::text").get() == listing.price
    assert fetch(market.base_url + "/forum/thread/1.html")[0] == 404


def test_price_span_only_where_the_post_has_a_price(market, fetch):
    tids_with_price = set()
    for page in range(1, 6):
        _, _, body = fetch(f"{market.base_url}/forum/?page={page}")
        for block in parsel.Selector(text=body.decode()).css("div.thread"):
            if block.css("span.price"):
                tids_with_price.add(block.attrib["data-tid"])
    truth = market.listings("forum")
    assert tids_with_price == {x.tid for x in truth if x.price}
    assert not any(x.price for x in truth if not x.is_listing)


def test_requests_are_counted_per_target(fetch):
    with DemoMarket() as market:
        for _ in range(3):
            fetch(market.base_url + "/forum/?page=2")
        fetch(market.base_url + "/forum/")
        assert market.requests["/forum/?page=2"] == 3
        assert market.requests["/forum/"] == 1
        assert market.requests["/forum/?page=3"] == 0


def test_keep_alive_serves_many_requests_on_one_connection(market):
    host, port = market.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        for page in (1, 2, 3, 2):
            connection.request("GET", f"/forum/?page={page}")
            response = connection.getresponse()
            assert response.status == 200
            assert b"div class=\"thread\"" in response.read()
            assert response.getheader("Connection") != "close"
    finally:
        connection.close()


def test_same_seed_same_pages_other_seed_other_posts(fetch):
    targets = ["/forum/", "/forum/?page=3", "/gbk/?page=2", "/sms/", "/js/api/listings.json",
               "/broken/", "/big5/"]
    with DemoMarket(seed=7) as a, DemoMarket(seed=7) as b, DemoMarket(seed=8) as c:
        for target in targets:
            assert fetch(a.base_url + target)[2] == fetch(b.base_url + target)[2], target
        assert fetch(a.base_url + "/forum/")[2] != fetch(c.base_url + "/forum/")[2]
        assert [x.text for x in a.listings("forum")] != [x.text for x in c.listings("forum")]


def test_publish_puts_new_threads_on_top_reproducibly(fetch):
    with DemoMarket() as market, DemoMarket() as twin:
        before, _ = crawl_board(fetch, market.base_url, "forum")
        new = market.publish("forum", 3)
        assert [int(x.tid) for x in new] == [int(before[0]) + 3, int(before[0]) + 2,
                                             int(before[0]) + 1]
        after, pages = crawl_board(fetch, market.base_url, "forum")
        assert after == [x.tid for x in new] + before
        assert pages == 5  # 49 threads, 10 a page
        assert new[-1].posted_iso > market.listings("forum")[3].posted_iso
        assert fetch(urljoin(market.base_url, new[0].url))[0] == 200
        assert twin.publish("forum", 3) == new
        assert market.publish("forum", 3) != new  # a second batch is other posts


def test_edit_changes_the_text_not_the_tid(fetch):
    with DemoMarket() as market:
        target = market.listings("forum")[12]
        market.edit("forum", target.tid, "出微信老号 降价了 350元\nV：edit_demo_01")
        _, _, body = fetch(urljoin(market.base_url, target.url))
        post = parsel.Selector(text=body.decode()).css("div.post")
        assert post.attrib["data-tid"] == target.tid
        assert lines_of(post.css("div.content")[0]) == "出微信老号 降价了 350元\nV：edit_demo_01"
        with pytest.raises(KeyError):
            market.edit("forum", "999", "x")
        gbk = market.listings("gbk")[3]
        market.edit("gbk", gbk.tid, "收陌陌老号 三块五一个")
        with pytest.raises(ValueError):
            market.edit("gbk", gbk.tid, "🔥 emoji is not GBK")
        _, _, body = fetch(market.base_url + "/gbk/")
        block = parsel.Selector(text=body.decode("gbk")).css(f"div.thread[data-tid='{gbk.tid}']")
        assert lines_of(block.css("div.body")[0]) == "收陌陌老号 三块五一个"
        assert market.listings("gbk")[3].text == "收陌陌老号 三块五一个"
        with pytest.raises(KeyError):
            market.publish("nowhere", 1)


def test_sms_table_rows_are_posts(market, fetch):
    status, headers, body = fetch(market.base_url + "/sms/")
    assert status == 200 and "charset=utf-8" in headers["Content-Type"]
    page = parsel.Selector(text=body.decode())
    rows = page.css("table.prices tbody tr.row")
    truth = market.listings("sms")
    assert len(rows) == len(truth) == 30
    assert [r.attrib["data-tid"] for r in rows] == [x.tid for x in truth]
    for row, listing in zip(rows, truth, strict=True):
        cells = [row.css(f"td.{c}::text").get() or "" for c in ("project", "price", "stock")]
        note = row.css("td.note::text").get()
        expected = f"{cells[0]} {cells[1]} 库存{cells[2]}" + (f" {note}" if note else "")
        assert listing.text == expected
        assert listing.posted == page.css("span.updated::text").get()
        assert listing.author == page.css("h1.site::text").get()
    projects = {x.title for x in truth}
    assert {"探探", "陌陌", "微信"} <= projects


def test_slow_board_answers_429_to_requests_closer_than_half_a_second(fetch):
    with DemoMarket() as market:
        base = market.base_url
        assert fetch(base + "/slow/")[0] == 200
        status, headers, _ = fetch(base + "/slow/?page=2")
        assert status == 429
        assert headers["Retry-After"] == "1"
        assert fetch(base + "/forum/")[0] == 200  # other sections are not limited
        time.sleep(0.6)
        url, tids = base + "/slow/", []
        while url:
            status, _, body = fetch(url)
            assert status == 200
            page = parsel.Selector(text=body.decode())
            tids += page.css("div.thread::attr(data-tid)").getall()
            following = page.css("div.pager a.next::attr(href)").get()
            url = urljoin(url, following) if following else None
            time.sleep(0.6)
        assert tids == [x.tid for x in market.listings("slow")]


def test_broken_board_is_damaged_yet_lxml_recovers_the_blocks(market, fetch):
    status, _, body = fetch(market.base_url + "/broken/")
    assert status == 200
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert not body.rstrip().endswith(b"</html>")
    assert b"<div class=thread " in body
    page = parsel.Selector(text=body.decode("utf-8", "replace"))
    truth = {x.tid: x for x in market.listings("broken")}
    recovered = 0
    for block in page.css("div.thread"):
        listing = truth[block.attrib["data-tid"]]
        bodies = block.css("div.body")  # the first is the block's own, even when nested
        recovered += bool(bodies) and lines_of(bodies[0]) == listing.text
    assert recovered >= 17
    last = market.listings("broken")[-1]
    assert last.text.replace("\n", "<br>").encode() in body[-400:]


def test_empty_board_has_no_posts_and_no_next_page(market, fetch):
    status, _, body = fetch(market.base_url + "/empty/")
    assert status == 200
    page = parsel.Selector(text=body.decode())
    assert page.css("div.threads")
    assert not page.css("div.thread")
    assert not page.css("div.pager a.next")
    assert market.listings("empty") == []


def test_content_covers_every_good_and_the_ways_prices_are_written(market):
    everything = [x for s in ("forum", "js", "gbk", "big5", "nocharset", "slow", "broken", "sms")
                  for x in market.listings(s)]
    assert 20 <= len(market.listings("js")) <= 60
    assert {x.goods for x in market.listings("forum")} >= set(GOODS)
    assert any(not x.is_listing for x in market.listings("forum"))
    texts = "\n".join(x.text for x in everything)
    for written in ("U", "元", "条", "起", "日租", "/天", "V：", "t.me/", "@", "样料"):
        assert written in texts, written
    assert any(ch in texts for ch in "两三五十") and "块" in texts
    assert any("-" in (x.price or "") for x in everything)  # ranges such as 170-200
    assert "1700000" in texts  # the invented phone numbers


def _interruptible() -> None:
    """In the child: Ctrl-C stops it, though the suite was started in the background (a shell
    starts background jobs with SIGINT ignored, and Python then installs no handler for it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_python_m_crawlers_demo_serves_until_interrupted(fetch):
    process = subprocess.Popen(
        [sys.executable, "-m", "crawlers.demo", "--port", "0", "--bench-pages", "3"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_interruptible)
    try:
        first = process.stdout.readline()
        assert first.startswith("demo market at http://127.0.0.1:"), first
        base = first.split()[3].rstrip("/")
        assert fetch(base + "/bench/?page=3")[0] == 200
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_python_m_crawlers_demo_reports_a_busy_port_in_one_line(market):
    port = market.base_url.rsplit(":", 1)[1]
    done = subprocess.run([sys.executable, "-m", "crawlers.demo", "--port", port], cwd=REPO,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert done.stderr.startswith(f"demo market: cannot serve on port {port}:")
    assert "Traceback" not in done.stderr
