"""``heishi schedule run|list``: the one scheduler of crawls and periodic ops jobs."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from index.store import default_store_location
from ops.commands import HeishiCommand
from ops.commands.crawl import add_source_arguments
from ops.errors import UsageError
from ops.render import write_jsonl, write_table

COLUMNS = ("job", "schedule", "next_run", "state")
REDIS_ENV = "HEISHI_REDIS"


class Command(HeishiCommand):
    name = "schedule"
    help = "run the scheduler (crawls on each source's cron, periodic ops jobs) or list its jobs"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("action", choices=("run", "list"), help="run the scheduler, or list")
        add_schedule_arguments(parser)
        parser.add_argument(
            "--redis",
            metavar="URL",
            help="distributed: push start requests to Redis for `heishi worker`s instead of "
            f"crawling here (default: ${REDIS_ENV})",
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=3600.0,
            metavar="SECONDS",
            help="longest a crawl may run (default 3600)",
        )
        parser.add_argument(
            "--misfire-grace",
            type=float,
            default=3600.0,
            metavar="SECONDS",
            help="a run missed by up to this long (scheduler down) is run once when it is "
            "back; older ones are skipped (default 3600)",
        )
        parser.add_argument(
            "--stop-grace",
            type=float,
            default=60.0,
            metavar="SECONDS",
            help="how long a crawl being stopped (SIGTERM, time limit) may take to finish its "
            "pages in flight before it is killed (default 60)",
        )
        parser.add_argument(
            "--max-crawls", type=int, default=4, metavar="N", help="crawls at once (default 4)"
        )
        parser.add_argument("--json", action="store_true", help="list as JSON Lines")

    def run(self, args: argparse.Namespace) -> int:
        from ops.scheduler import Scheduler, list_jobs

        config = schedule_config(args)
        if args.action == "list":
            rows = list_jobs(config)
            if args.json:
                write_jsonl(rows, sys.stdout)
            else:
                write_table(rows, COLUMNS, sys.stdout, title="heishi schedule")
            return 0
        if min(args.time_limit, args.misfire_grace, args.stop_grace) <= 0 or args.max_crawls < 1:
            raise UsageError(
                "--time-limit, --misfire-grace and --stop-grace must be positive, --max-crawls ≥ 1"
            )
        config.redis = args.redis or os.environ.get(REDIS_ENV) or None
        config.time_limit = args.time_limit
        config.misfire_grace = args.misfire_grace
        config.max_crawls = args.max_crawls
        config.stop_grace = args.stop_grace
        if config.redis:
            from crawlers.distributed import check_redis

            check_redis(config.redis)
        # The ops jobs read their configuration from the environment, as the CLI does: they
        # see the store, sources and evidence this scheduler was given.
        os.environ["HEISHI_STORE"] = config.store
        for name, value in (("HEISHI_SOURCES", args.sources_file),
                            ("HEISHI_EVIDENCE", args.evidence)):  # fmt: skip
            if value:
                os.environ[name] = value
        setup_logging()
        return Scheduler(config).run()


def add_schedule_arguments(parser: argparse.ArgumentParser) -> None:
    add_source_arguments(parser)
    parser.add_argument(
        "--jobs-file",
        metavar="FILE",
        help="periodic ops jobs: other crons, jobs turned off or added (default: $HEISHI_JOBS)",
    )
    parser.add_argument(
        "--state",
        metavar="DIR",
        help="scheduler state: job store, crawl state, locks (default: $HEISHI_SCHEDULE_DIR, "
        "else schedule/ beside the SQLite store)",
    )
    parser.add_argument(
        "--jobstore",
        metavar="URL",
        help="SQLAlchemy URL of the job store (default: $HEISHI_JOBSTORE, else "
        "sqlite:///STATE/jobs.db)",
    )


def schedule_config(args: argparse.Namespace):
    from ops.scheduler import Config

    return Config(
        store=args.store or default_store_location(),
        sources_file=args.sources_file,
        evidence=args.evidence,
        jobs_file=args.jobs_file,
        state=args.state,
        jobstore=args.jobstore,
    )


def setup_logging() -> None:
    """One line per event on stderr, with the time: what a service manager's journal keeps."""
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Its warnings (a run skipped or missed) are logged by heishi in its own words.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
