"""``heishi demo``: serve the bundled demo market, crawl every source of it once, stop.

Nothing leaves the machine: the market listens on 127.0.0.1, and the shipped ``sources.yaml``
points at it through ``$HEISHI_DEMO_URL``. Run it again and nothing is stored twice: the
second crawl finds every post already there.
"""

from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import urlsplit

from index.records import utcnow
from index.urls import service_url
from ops.commands import HeishiCommand
from ops.commands.crawl import (
    add_crawl_arguments,
    alerts_after_crawl,
    crawl_with_progress,
    print_results,
)
from ops.errors import UsageError

DEMO_PORT = 8642
DEMO_URL_ENV = "HEISHI_DEMO_URL"
DEMO_SMS_KEY_ENV = "HEISHI_DEMO_SMS_KEY"


class Command(HeishiCommand):
    name = "demo"
    help = "serve the bundled demo market on 127.0.0.1, crawl all its sources once, and stop"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help=f"port of the demo market (default: the port of ${DEMO_URL_ENV}, else "
            f"{DEMO_PORT}, else a free one if that is taken)",
        )
        add_crawl_arguments(parser)

    def run(self, args: argparse.Namespace) -> int:
        from crawlers.demo import DemoMarket
        from crawlers.sources import load_sources

        port, chosen = demo_port(args.port, os.environ.get(DEMO_URL_ENV))
        market = DemoMarket(port=port)
        try:
            market.start()
        except OSError as exc:
            if chosen:
                raise UsageError(f"cannot serve the demo market on port {port}: "
                                 f"{exc.strerror or exc}") from None
            market = DemoMarket(port=0)  # the usual port is taken: any free one will do
            market.start()
        previous = os.environ.get(DEMO_URL_ENV)
        os.environ[DEMO_URL_ENV] = market.base_url
        from crawlers.demo.feeds import SMS_KEY  # the demo code platform's key, as a user's

        os.environ.setdefault(DEMO_SMS_KEY_ENV, SMS_KEY)  # would be in their environment
        try:
            print(f"demo market serving on {market.base_url}", file=sys.stderr)
            sources = [
                source
                for source in load_sources(args.sources_file)
                if source.start_urls[0].startswith(market.base_url)
            ]
            if not sources:
                raise UsageError("no source in the sources file points at $HEISHI_DEMO_URL")
            started = utcnow()
            results = crawl_with_progress(sources, args)
            takedown = None
            if all(result.status == "ok" for result in results):
                from ops.commands.takedown import demo_case

                takedown = demo_case(args.store, args.evidence)  # the market is up to picture
        finally:
            market.stop()
            if previous is None:
                os.environ.pop(DEMO_URL_ENV, None)
            else:
                os.environ[DEMO_URL_ENV] = previous
        print_results(results, args)
        show_sales(args)
        if takedown:
            print(takedown, file=sys.stderr)
        alerts_after_crawl(args, started)
        ok = all(result.status == "ok" for result in results)
        if not args.json:  # what `heishi status` will say of these sources from now on
            from index.store import default_store_location
            from ops.commands.status import health_report, print_report

            print_report(health_report(sources, args.store or default_store_location()))
            print("next: `heishi schedule run` crawls each source on its cron; `heishi status` "
                  "watches their health", file=sys.stderr)  # fmt: skip
        from ops.digest import DigestError

        try:
            print(f"digest: {write_latest_digest(args.store)}")
        except DigestError as exc:  # e.g. a sources file without the market's history
            print(f"digest: not written: {exc}")
        print(example_alerts(args.store))
        return 0 if ok else 1


def example_alerts(location: str | None) -> str:
    """What the example watch rules would have fired on in the demo store (a retro-hunt)."""
    from pathlib import Path

    from index.store import open_store
    from ops import alerts

    rules = Path(alerts.__file__).with_name("example-rules.yaml")
    with open_store(location, create=False) as store:
        matches = alerts.retro_hunt(store, alerts.load_rules(rules))
    counts: dict[str, int] = {}
    for match in matches:
        counts[match.rule.name] = counts.get(match.rule.name, 0) + 1
    fired = ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) or "none"
    return f"alerts the example rules would have sent: {fired} (heishi alerts test {rules})"


def write_latest_digest(location: str | None):
    """The digest of the latest week the demo market has posts in (README: price index)."""
    from index.store import open_store
    from ops import digest as digests

    with open_store(location, create=False) as store:
        monday = digests.latest_week(store, complete=False)
        digest = digests.build(store, monday, digests.Settings.from_env(
            rates=digests.Rates.load()))
    return digests.write_digest(digest).html


def show_sales(args: argparse.Namespace) -> None:
    """The code platforms' estimated sales so far (``heishi trend --sales``), after the crawl."""
    from index.store import open_store
    from ops.commands.trend import SALES_COLUMNS
    from ops.render import write_table

    if args.json:  # one row per source there; `heishi trend --sales --json` gives these
        return
    with open_store(args.store, create=False) as store:
        if not store.supports_stock:
            return
        rows = store.sales()
    if rows:
        write_table(rows, SALES_COLUMNS, sys.stdout,
                    title="estimated sales of code platforms (stock falls × price)")


def demo_port(port: int | None, demo_url: str | None) -> tuple[int, bool]:
    """The port to serve on, and whether the user chose it (then it is that one or none):
    ``--port``, else the port of ``$HEISHI_DEMO_URL`` (which must be on this machine), else
    the usual one."""
    if port is not None:
        if not 0 <= port <= 65535:
            raise UsageError(f"--port {port}: a port is 0-65535 (0: any free one)")
        return port, port != 0
    if demo_url:
        url = urlsplit(service_url(demo_url, f"${DEMO_URL_ENV}"))
        if url.hostname not in ("127.0.0.1", "localhost"):
            raise UsageError(f"${DEMO_URL_ENV} {demo_url!r}: the demo market serves on "
                             "127.0.0.1 only (http://127.0.0.1:PORT)")
        return url.port or 80, True
    return DEMO_PORT, False
