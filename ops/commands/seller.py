"""``heishi seller``: one contact across every post and source it appears in."""

from __future__ import annotations

import argparse
import sys

from index.store import open_store
from ops.commands import HeishiCommand
from ops.render import Output, add_output_arguments, write_table

PRICE_COLUMNS = ("goods", "platform", "side", "unit", "currency", "offers", "min", "median",
                 "max")
POST_COLUMNS = ("posted", "source", "channel", "url", "text")


class Command(HeishiCommand):
    name = "seller"
    help = "what one contact (qq:123, wechat:abc, @tg, or a bare value) sells, where and when"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("contact", help="qq:123, wechat:abc, phone:138…, @tg or a bare value")
        add_output_arguments(parser)

    def run(self, args: argparse.Namespace) -> int:
        with open_store(args.store, create=False) as store:
            seller = store.seller(args.contact)
        if seller is None:
            print(f"heishi seller: no contact {args.contact!r} in the store", file=sys.stderr)
            return 1
        output = Output(args, self.name)
        query = {"contact": args.contact, "store": args.store}
        if output.format == "json":
            output.write([seller], (), query=query)
            return 0
        if output.format == "csv":  # the price table is the part that fits rows and columns
            output.write([{"contact": seller["contact"], **p} for p in seller["prices"]],
                         ("contact", *PRICE_COLUMNS), query=query)
            return 0
        summary = [
            {"": "contact", "value": seller["contact"]},
            {"": "matched", "value": ", ".join(seller["keys"])},
            {"": "posts / offers", "value": f"{seller['posts']} / {seller['offers']}"},
            {"": "posted", "value": f"{seller['first_posted']} … {seller['last_posted']}"},
            {"": "crawled", "value": f"{seller['first_seen']} … {seller['last_seen']}"},
            {"": "sources", "value": _counts(seller["sources"])},
            {"": "goods", "value": _counts(seller["goods"])},
            {"": "linked contacts", "value": _counts(seller["linked_contacts"])},
        ]
        output.write(summary, ("", "value"), title=f"seller {seller['contact']}", query=query)
        if output.path is None:
            write_table(seller["prices"], PRICE_COLUMNS, sys.stdout, title="unit prices")
            posts = [
                {**p, "posted": (p.get("posted_at") or "")[:16].replace("T", " "),
                 "text": " ".join((p.get("text") or "").split())[:80]}
                for p in seller["recent_posts"]
            ]
            write_table(posts, POST_COLUMNS, sys.stdout, title="latest posts")
        return 0


def _counts(counts: dict) -> str:
    return ", ".join(f"{key} ({value})" for key, value in counts.items()) or "-"
