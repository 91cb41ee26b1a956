"""HTML of the demo market, exactly as documented in SITE.md.

Pages are built as text here and turned into bytes by the server with each section's codec,
so the markup stays one thing whatever encoding a board is served in.
"""

from __future__ import annotations

import json
from html import escape

from .content import Listing

SECTION_TITLES = {
    "forum": "账号交易论坛",
    "js": "发卡商城（需要JavaScript）",
    "gbk": "老站交易区（GBK）",
    "big5": "海外交易區（Big5）",
    "nocharset": "资源互换区",
    "sms": "接码平台价格表",
    "slow": "限速交易区",
    "broken": "旧版论坛存档",
    "empty": "新开版块",
    "bench": "大型交易市场（基准测试）",
    "history": "行情交易区（二十周历史）",
}
EXCERPT_CHARS = 40
PAGER_WINDOW = 3  # page links shown either side of the current page


def text_html(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def excerpt(text: str) -> str:
    flat = " ".join(text.split("\n"))
    return flat if len(flat) <= EXCERPT_CHARS else flat[:EXCERPT_CHARS] + "…"


def head(title: str, meta_charset: str | None) -> str:
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head>{meta}<title>{escape(title)}</title>'
            '<meta name="viewport" content="width=device-width"></head>\n<body>\n')


def block(listing: Listing, short: bool = False) -> str:
    """One thread on a list page (the /js/ script builds the same markup in the browser)."""
    price = f'<span class="price">{escape(listing.price)}</span>\n' if listing.price else ""
    body_class, body = ("body excerpt", escape(excerpt(listing.text))) if short else (
        "body", text_html(listing.text))
    return (
        f'<div class="thread" id="t-{listing.tid}" data-tid="{listing.tid}">\n'
        f'<a class="title" href="{escape(listing.url)}">{escape(listing.title)}</a>\n'
        f'<span class="author">{escape(listing.author)}</span>\n'
        f'<time class="posted" datetime="{listing.posted_iso}">{listing.posted}</time>\n'
        f'{price}<div class="{body_class}">{body}</div>\n</div>\n'
    )


def same(text: str) -> str:
    return text


def pager(section: str, page: int, pages: int, chrome=same) -> str:
    if pages <= 1 and page == 1:
        return '<div class="pager"><span class="current">1</span></div>\n'
    links, shown = [], sorted({1, pages, *range(max(1, page - PAGER_WINDOW),
                                               min(pages, page + PAGER_WINDOW) + 1)})
    for n, previous in zip(shown, [0, *shown], strict=False):
        if n - previous > 1:
            links.append('<span class="gap">…</span>')
        if n == page:
            links.append(f'<span class="current">{n}</span>')
        else:
            links.append(f'<a href="/{section}/?page={n}">{n}</a>')
    if page < pages:
        links.append(f'<a class="next" href="/{section}/?page={page + 1}">{chrome("下一页")}</a>')
    return '<div class="pager">' + " ".join(links) + "</div>\n"


def board_page(section: str, listings: list[Listing], page: int, pages: int,
               meta_charset: str | None = "utf-8", short: bool = False, chrome=same) -> str:
    """A list page; ``chrome`` translates the site's own words (the Big5 board is written in
    traditional characters, title and pager included)."""
    title = chrome(SECTION_TITLES[section])
    return (
        head(f"{title} - {chrome(f'第{page}页')}", meta_charset)
        + f'<h1 class="board">{escape(title)}</h1>\n<div class="threads">\n'
        + "".join(block(listing, short) for listing in listings)
        + "</div>\n" + pager(section, page, pages, chrome) + "</body></html>\n"
    )


def detail_page(listing: Listing) -> str:
    price = f' <span class="price">{escape(listing.price)}</span>' if listing.price else ""
    return (
        head(f"{listing.title} - {SECTION_TITLES[listing.section]}", "utf-8")
        + f'<div class="post" id="t-{listing.tid}" data-tid="{listing.tid}">\n'
        f'<h1 class="title">{escape(listing.title)}</h1>\n'
        f'<div class="meta"><span class="author">{escape(listing.author)}</span>\n'
        f'<time class="posted" datetime="{listing.posted_iso}">{listing.posted}</time>{price}'
        f'</div>\n<div class="content">{text_html(listing.text)}</div>\n</div>\n'
        f'<a class="back" href="/{listing.section}/">返回列表</a>\n</body></html>\n'
    )


def index_page(sections: list[str]) -> str:
    items = "".join(
        f'<li><a href="/{s}/">{escape(SECTION_TITLES[s])}</a></li>\n' for s in sections
    )
    return (head("heishi 演示市场", "utf-8")
            + '<h1>heishi 演示市场</h1>\n<p>本站内容均为虚构，仅供 heishi 测试与演示。</p>\n'
            + f'<ul class="sections">\n{items}</ul>\n</body></html>\n')


def js_shell() -> str:
    return (head(SECTION_TITLES["js"], "utf-8")
            + f'<h1 class="board">{SECTION_TITLES["js"]}</h1>\n'
            '<div id="listings" class="threads" data-state="loading">'
            '<p class="loading">加载中…</p></div>\n'
            '<noscript>请开启JavaScript后浏览本页。</noscript>\n'
            '<script src="/js/app.js"></script>\n</body></html>\n')


# The browser-side twin of ``block()``: same markup, built from /js/api/listings.json.
JS_APP = r"""(function () {
  'use strict';
  var box = document.getElementById('listings');
  var map = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;'};
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return map[c]; }); }
  function block(x) {
    return '<div class="thread" id="t-' + x.tid + '" data-tid="' + x.tid + '">\n' +
      '<a class="title" href="' + esc(x.url) + '">' + esc(x.title) + '</a>\n' +
      '<span class="author">' + esc(x.author) + '</span>\n' +
      '<time class="posted" datetime="' + x.posted_iso + '">' + x.posted + '</time>\n' +
      (x.price === null ? '' : '<span class="price">' + esc(x.price) + '</span>\n') +
      '<div class="body">' + esc(x.text).replace(/\n/g, '<br>') + '</div>\n</div>\n';
  }
  fetch('/js/api/listings.json')
    .then(function (r) { return r.json(); })
    .then(function (data) {
      box.innerHTML = data.listings.map(block).join('');
      box.setAttribute('data-state', 'ready');
    })
    .catch(function () { box.setAttribute('data-state', 'error'); });
})();
"""


def listings_json(listings: list[Listing]) -> str:
    return json.dumps({
        "page": 1,
        "next": None,
        "listings": [
            {"tid": x.tid, "title": x.title, "author": x.author, "posted": x.posted,
             "posted_iso": x.posted_iso, "price": x.price, "text": x.text, "url": x.url}
            for x in listings
        ],
    }, ensure_ascii=False)


def sms_page(site: str, updated: str, rows: list[Listing]) -> str:
    lines = []
    for row in rows:
        # text is "<项目> <价格> 库存<n>[ <说明>]": the table cells are its parts
        parts = row.text.split(" ", 3)
        stock = parts[2].removeprefix("库存")
        note = parts[3] if len(parts) > 3 else ""
        lines.append(
            f'<tr class="row" id="t-{row.tid}" data-tid="{row.tid}">'
            f'<td class="project">{escape(row.title)}</td>'
            f'<td class="price">{escape(row.price)}</td>'
            f'<td class="stock">{stock}</td><td class="note">{escape(note)}</td></tr>\n'
        )
    return (
        head(f"{site} - {SECTION_TITLES['sms']}", "utf-8")
        + f'<h1 class="site">{escape(site)}</h1>\n'
        '<div class="notice">本平台所有号码均为实卡，不成功不扣费。充值满100送10，'
        'API对接请联系客服 QQ 5500001234。禁止用于违法用途，发现封号不退款。</div>\n'
        '<table class="prices"><thead><tr><th>项目</th><th>价格</th><th>库存</th><th>说明</th>'
        '</tr></thead>\n<tbody>\n' + "".join(lines) + '</tbody></table>\n'
        f'<p>更新时间：<span class="updated">{updated}</span></p>\n</body></html>\n'
    )


JUNK = b"\xff\xfe\x80\x00\xc3("


def broken_page(listings: list[Listing]) -> bytes:
    """An old board saved badly: every kind of damage a lenient parser must survive.

    The last listing's text is cut where the page ends, so ``listings`` must already hold the
    cut text (see ``cut_text``)."""
    parts: list[bytes] = [(head(SECTION_TITLES["broken"], "utf-8")
                           + '<h1 class="board">旧版论坛存档<div class="threads">\n').encode()]
    last = len(listings) - 1
    for i, x in enumerate(listings):
        price = f'<span class="price">{escape(x.price)}</span>' if x.price else ""
        if i == last:  # cut off mid-text: no closing tags, end of file
            parts.append(
                f'<div class="thread" id="t-{x.tid}" data-tid="{x.tid}">\n'
                f'<a class="title" href="{x.url}">{escape(x.title)}</a>\n'
                f'<span class="author">{escape(x.author)}</span>\n'
                f'<time class="posted" datetime="{x.posted_iso}">{x.posted}</time>\n{price}'
                f'<div class="body">{text_html(x.text)}'.encode())
            break
        damage = i % 5
        opening = (f'<div class=thread id=t-{x.tid} data-tid={x.tid}>' if i % 7 == 4
                   else f'<div class="thread" id="t-{x.tid}" data-tid="{x.tid}">')
        author = (f'<span class="author">{escape(x.author)}\n' if damage == 2
                  else f'<span class="author">{escape(x.author)}</span>\n')
        body = (f'<div class="body">{text_html(x.text)}\n' if damage == 1
                else f'<div class="body">{text_html(x.text)}</div>\n')
        closing = "</div></div></div>\n" if damage == 3 else "</div>\n"
        parts.append(
            f'{opening}\n<a class="title" href="{x.url}">{escape(x.title)}</a>\n{author}'
            f'<time class="posted" datetime="{x.posted_iso}">{x.posted}</time>\n{price}'
            f'{body}{closing}'.encode())
        if i in (6, 13):
            parts.append(JUNK)
    return b"".join(parts)


def cut_text(text: str) -> str:
    """Where the broken page's last block is cut: half its text, as a truncated save would."""
    return text[: max(1, len(text) // 2)]
