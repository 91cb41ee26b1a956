"""One digest, three files: ``digest.md``, a self-contained ``digest.html``, ``digest.csv``.

The HTML carries its charts as ``data:`` PNGs and its style inline: it opens from a mail
attachment, a USB stick or a phone with no network, and fetches nothing.
"""

from __future__ import annotations

import base64
import csv
import io

from jinja2 import Environment, PackageLoader, select_autoescape

from ops.digest.build import Digest, Row
from ops.digest.method import MARKET

CSV_COLUMNS = ("week", "goods", "platform", "unit", "currency", "listings", "sellers",
               "priced", "kept", "median", "p25", "p75", "median_cny", "previous_median",
               "change_pct", "goods_index", "market_index")


def number(value, digits: int = 2) -> str:
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def percent(value) -> str:
    if value is None:
        return "–"
    return "±0.0%" if round(value, 1) == 0 else f"{value:+.1f}%"


def label(key) -> str:
    goods, platform, unit, currency = key
    return f"{goods} · {platform} · per {unit} · {currency}"


def headline(digest: Digest) -> dict:
    market = digest.index()
    return {
        "index": market.index if market else None,
        "change": market.change if market else None,
        "basket": len(digest.rows),
        "linked": market.items if market else 0,
        "goods": [(g, digest.index(g)) for g in digest.goods],
    }


def to_csv(digest: Digest) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    market = digest.index()
    for row in digest.rows:
        item, key = row.item, row.item.key
        goods_index = digest.index(key[0])
        writer.writerow([
            digest.week, *key, item.offers, item.sellers, item.offers_priced, item.kept,
            round(item.price, 4), round(item.p25, 4), round(item.p75, 4),
            round(item.price_cny, 4),
            "" if row.previous is None else round(row.previous.price, 4),
            "" if row.change is None else round(row.change, 2),
            "" if goods_index is None else round(goods_index.index, 2),
            "" if market is None else round(market.index, 2),
        ])
    return out.getvalue()


def _item_line(row: Row) -> str:
    item = row.item
    return (f"| {item.key[0]} | {item.key[1]} | {item.key[2]} | {item.key[3]} | {item.offers} "
            f"| {item.sellers} | {number(item.price)} | {number(item.p25)}–{number(item.p75)} "
            f"| {number(row.previous.price) if row.previous else '–'} "
            f"| {percent(row.change)} |")


def to_markdown(digest: Digest) -> str:
    head = headline(digest)
    s = digest.settings
    lines = [
        f"# heishi weekly price index — {digest.week}",
        "",
        f"Week {digest.monday} to {digest.sunday} (UTC). Generated {digest.generated_at}.",
        "",
        f"**Market index: {number(head['index'])}** ({percent(head['change'])} on the week "
        f"before; base week {digest.chain.weeks[0]} = 100), over {head['basket']} basket "
        f"items, {head['linked']} of them priced both weeks.",
        "",
        "| goods | index | change |", "|---|---:|---:|",
    ]
    if not digest.rows:
        lines[6:6] = [f"No item had {s.min_sellers} distinct sellers this week: no price can be "
                      "published for it.", ""]
    lines += [f"| {g} | {number(link.index)} | {percent(link.change)} |"
              for g, link in head["goods"]]
    lines += [
        "", "## Basket",
        "",
        f"Items with at least {s.min_sellers} distinct sellers this week; unit prices after "
        f"outliers (beyond {s.mad_k:g} scaled MADs) are removed, in each item's own currency.",
        "",
        "| goods | platform | unit | currency | listings | sellers | median | p25–p75 "
        "| last week | change |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|",
        *(_item_line(r) for r in digest.rows),
    ]
    if digest.excluded:
        lines += ["", f"Not in the basket (fewer than {s.min_sellers} sellers): " + "; ".join(
            f"{label(e['key'])} ({e['sellers']} seller{'s' if e['sellers'] != 1 else ''})"
            for e in digest.excluded) + "."]
    for title, rows in (("Top movers up", digest.movers_up),
                        ("Top movers down", digest.movers_down)):
        lines += ["", f"## {title}", ""]
        lines += [f"- {label(r.item.key)}: {number(r.previous.price)} → {number(r.item.price)} "
                  f"({percent(r.change)})" for r in rows] or ["- none"]
    lines += ["", "## New goods terms", "",
              *([f"- {t['term']} ({t['posts']} posts), e.g. “{t['example']}”"
                 for t in digest.new_terms] or ["- none"])]
    lines += ["", "## New sellers", "",
              *([f"- {s['seller']}: {', '.join(s['goods'])}" for s in digest.new_sellers]
                or ["- none"])]
    lines += ["", "## Sellers gone", "",
              *([f"- {s['seller']} (last offer {s['last']}): {', '.join(s['goods'])}"
                 for s in digest.gone_sellers] or ["- none"])]
    lines += ["", "## Sources that went silent", "",
              *([f"- {s['source']} (last post {s['last']})" for s in digest.silent_sources]
                or ["- none"])]
    lines += ["", "## Charts", "", "![index](index.png)", "", "![medians](medians.png)", "",
              "Method: README, section *Weekly price index*. USDT converted at "
              f"{number(s.rates.rate('USDT', digest.week))} CNY this week.", ""]
    return "\n".join(lines)


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def to_html(digest: Digest, charts: dict[str, str]) -> str:
    """``charts``: name → image source (a data: URI in the file, a cid: URI in the mail)."""
    env = Environment(loader=PackageLoader("ops.digest", "."),
                      autoescape=select_autoescape(["html", "j2"]))
    env.filters.update(number=number, percent=percent, label=label)
    return env.get_template("digest.html.j2").render(
        d=digest, head=headline(digest), charts=charts, market=MARKET)
