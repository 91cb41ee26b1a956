"""``heishi status``: per source, how its crawls go; problems first; exit 1 if any is unhealthy.

Made for people and for monitoring systems alike: a table (or ``--json``, one object per
source), each problem also logged as a warning on stderr, and an exit code a check can use
(0 healthy, 1 unhealthy, 2 the status itself could not be read).
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from index.store import default_store_location, open_store
from ops.commands import HeishiCommand
from ops.commands.crawl import add_source_arguments
from ops.health import RUNS_READ, age, source_health
from ops.render import write_jsonl, write_table

COLUMNS = ("source", "health", "last_run", "last_status", "last_success", "stale",
           "failed_in_a_row", "errors_week", "posts_day", "posts_week", "problems")  # fmt: skip
HEADERS = {"last_status": "status", "failed_in_a_row": "fails", "errors_week": "errors 7d",
           "posts_day": "posts 1d", "posts_week": "posts 7d", "last_success": "last success",
           "last_run": "last run"}  # fmt: skip
logger = logging.getLogger("heishi.health")


class Command(HeishiCommand):
    name = "status"
    help = "health of every source: last run, last success, errors, posts, staleness"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("sources", nargs="*", metavar="SOURCE", help="only these sources")
        add_source_arguments(parser, evidence=False)
        parser.add_argument(
            "--state", metavar="DIR", help="scheduler state, to show running crawls"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per source")

    def run(self, args: argparse.Namespace) -> int:
        from crawlers.sources import find_sources

        sources = find_sources(args.sources, args.sources_file)
        report = health_report(sources, args.store or default_store_location(), args.state)
        for health in report:
            for problem in health.problems:
                logger.warning("%s: %s", health.source, problem)
        if args.json:
            write_jsonl([health.to_dict() for health in report], sys.stdout)
        else:
            print_report(report)
        return 0 if all(health.healthy for health in report) else 1


def health_report(sources, store_location: str, state: str | None = None) -> list:
    """The health of each source, problems first (file order kept otherwise)."""
    from ops.scheduler import SourceLock, schedule_dir

    locks = Path(state or schedule_dir(store_location)) / "locks"
    now = datetime.now(UTC)
    with open_store(store_location, create=False) as store:
        report = [
            source_health(
                source,
                store.runs(source.name, limit=RUNS_READ),
                now,
                running=SourceLock(locks, source.name).held(),
            )
            for source in sources
        ]
    report.sort(key=lambda health: health.healthy)
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    return report


def print_report(report, out=None) -> None:
    rows = []
    for health in report:
        row = health.to_dict()
        row["health"] = "ok" if health.healthy else "UNHEALTHY"
        if health.running:
            row["last_status"] = "running"
        row["stale"] = age(health.stale_seconds)
        for name in ("last_run", "last_success"):
            row[name] = (row[name] or "")[:16].replace("T", " ")
        row["problems"] = "; ".join(p.split(":")[0] for p in health.problems)
        rows.append(row)
    write_table(rows, COLUMNS, out or sys.stdout, title="heishi status", headers=HEADERS)
