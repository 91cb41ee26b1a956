"""The generated /bench/ forum serves N pages, concurrently, the same for the same seed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin

import parsel
import pytest

from crawlers.demo import DemoMarket

PAGES = 60


@pytest.fixture(scope="module")
def bench():
    with DemoMarket(listing_pages=PAGES) as running:
        yield running


def test_bench_pages_chain_to_the_last_one(bench, fetch):
    url, tids, pages = bench.base_url + "/bench/", [], 0
    while url:
        status, _, body = fetch(url)
        assert status == 200
        pages += 1
        page = parsel.Selector(text=body.decode())
        found = page.css("div.thread::attr(data-tid)").getall()
        assert len(found) == 20
        tids += found
        following = page.css("div.pager a.next::attr(href)").get()
        url = urljoin(url, following) if following else None
    assert pages == PAGES
    assert len(set(tids)) == PAGES * 20
    assert tids == [x.tid for x in bench.listings("bench")]
    assert [int(t) for t in tids] == sorted((int(t) for t in tids), reverse=True)
    assert fetch(f"{bench.base_url}/bench/?page={PAGES + 1}")[0] == 404


def test_bench_serves_concurrent_requests(bench, fetch):
    urls = [f"{bench.base_url}/bench/?page={n}" for n in range(1, PAGES + 1)] * 2
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(fetch, urls))
    assert all(status == 200 for status, _, _ in answers)
    assert answers[0][2] == answers[PAGES][2]  # a cached page is the same page


def test_bench_threads_have_full_text_and_detail_pages(bench, fetch):
    _, _, body = fetch(f"{bench.base_url}/bench/?page=7")
    block = parsel.Selector(text=body.decode()).css("div.thread")[3]
    listing = {x.tid: x for x in bench.listings("bench")}[block.attrib["data-tid"]]
    assert "\n".join(block.css("div.body")[0].xpath("./text()").getall()) == listing.text
    assert not block.css("div.body.excerpt")
    status, _, detail = fetch(urljoin(bench.base_url, block.css("a.title::attr(href)").get()))
    assert status == 200
    assert parsel.Selector(text=detail.decode()).css("div.post::attr(data-tid)").get() == \
        listing.tid
    assert fetch(f"{bench.base_url}/bench/thread/999.html")[0] == 404


def test_bench_is_deterministic_and_absent_unless_asked(bench, fetch):
    with DemoMarket(listing_pages=PAGES) as twin, DemoMarket() as plain:
        for page in (1, 33, PAGES):
            target = f"/bench/?page={page}"
            assert fetch(twin.base_url + target)[2] == fetch(bench.base_url + target)[2]
        assert fetch(plain.base_url + "/bench/")[0] == 404
        assert plain.listings("bench") == []
    with pytest.raises(ValueError):
        DemoMarket(listing_pages=0)
