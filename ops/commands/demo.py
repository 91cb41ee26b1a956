"""``heishi demo``: serve the bundled demo market, crawl every source of it once, stop.

Nothing leaves the machine: the market listens on 127.0.0.1, and the shipped ``sources.yaml``
points at it through ``$HEISHI_DEMO_URL``. Run it again and nothing is stored twice: the
second crawl finds every post already there.
"""

from __future__ import annotations

import argparse
import os
import sys

from ops.commands import HeishiCommand
from ops.commands.crawl import add_crawl_arguments, crawl_with_progress, print_results
from ops.errors import UsageError

DEMO_PORT = 8642
DEMO_URL_ENV = "HEISHI_DEMO_URL"


class Command(HeishiCommand):
    name = "demo"
    help = "serve the bundled demo market on 127.0.0.1, crawl all its sources once, and stop"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=DEMO_PORT,
            help=f"port of the demo market (default {DEMO_PORT}; a free one if that is taken)",
        )
        add_crawl_arguments(parser)

    def run(self, args: argparse.Namespace) -> int:
        from crawlers.demo import DemoMarket
        from crawlers.sources import load_sources

        market = DemoMarket(port=args.port)
        try:
            market.start()
        except OSError:
            if args.port == 0:
                raise
            market = DemoMarket(port=0)  # the usual port is taken: any free one will do
            market.start()
        previous = os.environ.get(DEMO_URL_ENV)
        os.environ[DEMO_URL_ENV] = market.base_url
        try:
            print(f"demo market serving on {market.base_url}", file=sys.stderr)
            sources = [
                source
                for source in load_sources(args.sources_file)
                if source.start_urls[0].startswith(market.base_url)
            ]
            if not sources:
                raise UsageError("no source in the sources file points at $HEISHI_DEMO_URL")
            results = crawl_with_progress(sources, args)
        finally:
            market.stop()
            if previous is None:
                os.environ.pop(DEMO_URL_ENV, None)
            else:
                os.environ[DEMO_URL_ENV] = previous
        print_results(results, args)
        if not args.json:  # what `heishi status` will say of these sources from now on
            from index.store import default_store_location
            from ops.commands.status import health_report, print_report

            print_report(health_report(sources, args.store or default_store_location()))
            print("next: `heishi schedule run` crawls each source on its cron; `heishi status` "
                  "watches their health", file=sys.stderr)  # fmt: skip
        return 0 if all(result.status == "ok" for result in results) else 1
