"""The /js/ board shows nothing without a browser and everything with one."""

from __future__ import annotations

import json
import shutil

import parsel
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def test_raw_html_has_no_listing(market, fetch):
    status, _, body = fetch(market.base_url + "/js/")
    assert status == 200
    page = parsel.Selector(text=body.decode())
    assert page.css("#listings[data-state=loading]")
    assert not page.css("div.thread")
    text = body.decode()
    assert not any(x.title in text or x.author in text for x in market.listings("js"))
    assert page.css("script::attr(src)").get() == "/js/app.js"
    status, headers, script = fetch(market.base_url + "/js/app.js")
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert b"/js/api/listings.json" in script


def test_api_holds_the_listings(market, fetch):
    status, headers, body = fetch(market.base_url + "/js/api/listings.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    truth = market.listings("js")
    assert data["next"] is None
    assert [item["tid"] for item in data["listings"]] == [x.tid for x in truth]
    assert [item["text"] for item in data["listings"]] == [x.text for x in truth]
    assert [item["price"] for item in data["listings"]] == [x.price for x in truth]


def test_chromium_renders_the_board_markup(market):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(market.base_url + "/js/")
            page.wait_for_selector("#listings[data-state=ready]", timeout=15000)
            html = page.content()
        finally:
            browser.close()
    blocks = parsel.Selector(text=html).css("div.thread")
    truth = market.listings("js")
    assert [b.attrib["data-tid"] for b in blocks] == [x.tid for x in truth]
    for block, listing in zip(blocks, truth, strict=True):
        assert block.css("a.title::text").get() == listing.title
        assert block.css("span.author::text").get() == listing.author
        assert block.css("time.posted::attr(datetime)").get() == listing.posted_iso
        assert block.css("span.price::text").get() == listing.price
        body = block.css("div.body")[0].xpath("./text()").getall()
        assert "\n".join(body) == listing.text
