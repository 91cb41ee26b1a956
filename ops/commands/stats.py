"""``heishi stats``: what the store holds, in total and per source."""

from __future__ import annotations

import argparse

from index.store import open_store
from ops.commands import HeishiCommand
from ops.render import Output, add_output_arguments

COLUMNS = ("source", "posts", "listings", "offers", "sellers", "runs", "last_run")


class Command(HeishiCommand):
    name = "stats"
    help = "count posts, offers, sellers and crawl runs, in total and per source"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_output_arguments(parser)

    def run(self, args: argparse.Namespace) -> int:
        with open_store(args.store, create=False) as store:
            stats = store.stats()
        output = Output(args, self.name)
        if output.format == "json":  # one object: the whole answer, for jq and scripts
            output.write([stats], (), query={"store": args.store})
            return 0
        rows = [{"source": source, **counts} for source, counts in stats["sources"].items()]
        totals = {k: v for k, v in stats.items() if k != "sources"}
        rows.append({"source": "all", **totals})
        output.write(rows, COLUMNS, title="heishi store", query={"store": args.store})
        return 0
