"""The GBK, Big5 and undeclared GB18030 boards decode only with the right codec."""

from __future__ import annotations

import re

import parsel
import pytest
from w3lib.encoding import html_to_unicode


def meta_charset(body: bytes) -> str | None:
    found = re.search(rb'<meta charset="([^"]+)"', body)
    return found.group(1).decode() if found else None


def test_gbk_board_declares_its_codec_only_in_meta(market, fetch):
    status, headers, body = fetch(market.base_url + "/gbk/")
    assert status == 200
    assert headers["Content-Type"] == "text/html"
    assert meta_charset(body) == "gbk"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page = parsel.Selector(text=body.decode("gbk"))
    truth = market.listings("gbk")[:12]
    assert page.css("a.title::text").getall() == [x.title for x in truth]
    # what Scrapy does: no charset in the header, so the meta decides
    encoding, text = html_to_unicode(headers["Content-Type"], body)
    assert encoding in ("gbk", "gb18030")
    assert truth[0].title in text


def test_big5_board_declares_its_codec_only_in_the_header(market, fetch):
    status, headers, body = fetch(market.base_url + "/big5/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=big5"
    assert meta_charset(body) is None
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("big5")
    truth = market.listings("big5")
    assert all(x.title in text for x in truth[:10])
    assert "下一頁" in text
    try:
        as_gbk = body.decode("gbk")
    except UnicodeDecodeError:
        as_gbk = None
    assert as_gbk is None or truth[0].title not in as_gbk
    # traditional characters, not simplified ones
    joined = "".join(x.text for x in truth)
    assert any(ch in joined for ch in "號價賬數據條張")
    assert not any(ch in joined for ch in "号价账数据条张")
    encoding, decoded = html_to_unicode(headers["Content-Type"], body)
    assert encoding.startswith("big5") and truth[0].title in decoded


def test_undeclared_board_needs_gb18030(market, fetch):
    status, headers, body = fetch(market.base_url + "/nocharset/")
    assert status == 200
    assert headers["Content-Type"] == "text/html"
    assert meta_charset(body) is None and b"charset=" not in body
    assert not body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
    for wrong in ("utf-8", "gbk"):
        with pytest.raises(UnicodeDecodeError):
            body.decode(wrong)
    page = parsel.Selector(text=body.decode("gb18030"))
    bodies = page.css("div.body")
    truth = market.listings("nocharset")
    assert len(bodies) == len(truth) == 20
    assert any("🔥" in x.text for x in truth)
    # without a declaration the usual fallback garbles it: a spider has to detect or be told
    _, guessed = html_to_unicode(headers["Content-Type"], body)
    assert truth[1].title not in guessed


def test_gbk_board_pages_in_two(market, fetch):
    status, _, body = fetch(market.base_url + "/gbk/?page=2")
    assert status == 200
    page = parsel.Selector(text=body.decode("gbk"))
    assert page.css("div.thread::attr(data-tid)").getall() == [
        x.tid for x in market.listings("gbk")[12:]]
    assert not page.css("div.pager a.next")
    assert fetch(market.base_url + "/gbk/?page=3")[0] == 404
