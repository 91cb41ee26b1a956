"""``heishi search``: find posts by words and filters, with facet counts."""

from __future__ import annotations

import argparse
import sys

from index.query import FACET_FIELDS, SORTS, add_filter_arguments, search_query_from_args
from index.store import open_store
from ops.commands import HeishiCommand
from ops.errors import UsageError
from ops.render import Output, add_output_arguments, console_for, write_table

COLUMNS = ("posted", "source", "offers", "contacts", "text", "id")
CSV_COLUMNS = ("id", "posted_at", "fetched_at", "source", "channel", "author", "url", "offers",
               "contacts", "title", "text")
TEXT_WIDTH = 80


def offer_summary(offer: dict) -> str:
    """``account/wechat sell 400 CNY/item`` — one offer as a person reads it."""
    what = offer["goods"] + (f"/{offer['platform']}" if offer.get("platform") else "")
    if offer.get("price") is None:
        price = "price n/a"
    else:
        price = f"{offer['price']:g}"
        if offer.get("price_max") is not None:
            price += f"-{offer['price_max']:g}"
        unit, per = offer.get("unit") or "item", offer.get("per_qty") or 1
        price += f" {offer.get('currency') or 'CNY'}/" + (f"{per} {unit}" if per != 1 else unit)
    return f"{what} {offer.get('side') or ''} {price}".replace("  ", " ")


def flat(hit: dict) -> dict:
    """A hit as table and CSV cells."""
    text = " ".join((hit.get("text") or "").split())
    return {
        **hit,
        "posted": (hit.get("posted_at") or hit.get("fetched_at") or "")[:16].replace("T", " "),
        "offers": "; ".join(offer_summary(o) for o in hit.get("offers", [])),
        "contacts": ", ".join(f"{c['type']}:{c['value']}" for c in hit.get("contacts", [])),
        "text": text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…",
        "full_text": hit.get("text"),
    }


class Command(HeishiCommand):
    name = "search"
    help = "search posts by words and filters (goods, platform, seller, dates, unit price)"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("text", nargs="*", help="words that must all occur (Chinese is fine)")
        add_filter_arguments(parser)
        parser.add_argument("--limit", type=int, default=20, help="posts to show (default 20)")
        parser.add_argument("--offset", type=int, default=0, help="skip this many posts first")
        parser.add_argument("--sort", choices=SORTS, default="newest")
        parser.add_argument("--facets", action="append", metavar="FIELD",
                            help=f"count matching posts per value of: {', '.join(FACET_FIELDS)}")
        add_output_arguments(parser)

    def run(self, args: argparse.Namespace) -> int:
        if args.facets and (args.json or args.csv):
            raise UsageError("--facets prints tables of counts; it does not go with --json or "
                             "--csv (which give one row per post)")
        query = search_query_from_args(args)
        with open_store(args.store, create=False) as store:
            result = store.search(query)
        output = Output(args, self.name)
        audit_query = {**query.to_dict(), "store": args.store}
        if output.format == "json":
            output.write(result.hits, (), query=audit_query)
            return 0
        if output.format == "csv":
            rows = [{**flat(hit), "text": hit.get("text")} for hit in result.hits]
            output.write(rows, CSV_COLUMNS, query=audit_query)
            return 0
        shown = output.write([flat(hit) for hit in result.hits], COLUMNS,
                             title=f"{result.total} posts", query=audit_query)
        out = sys.stdout if output.path is None else None
        if out is not None:
            console = console_for(out)
            if shown < result.total:
                console.print(f"showing {query.offset + 1}-{query.offset + shown} of "
                              f"{result.total}; --offset {query.offset + shown} for more")
            for name, counts in result.facets.items():
                write_table(
                    [{name: value, "posts": count} for value, count in counts.items()],
                    (name, "posts"), out, title=f"posts by {name}",
                )
        return 0
