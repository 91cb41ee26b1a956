"""``heishi worker``: crawl whatever the scheduler pushes into Redis, until stopped."""

from __future__ import annotations

import argparse
import os
import sys

from ops.commands import HeishiCommand
from ops.commands.crawl import add_source_arguments, settings_from_args
from ops.commands.schedule import REDIS_ENV
from ops.errors import UsageError


class Command(HeishiCommand):
    name = "worker"
    help = "a distributed crawl worker: takes requests from Redis (scrapy-redis) until SIGTERM"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "sources", nargs="*", metavar="SOURCE", help="only these sources (default: all)"
        )
        parser.add_argument(
            "--redis", metavar="URL", help=f"Redis holding the queue (default: ${REDIS_ENV})"
        )
        add_source_arguments(parser)
        parser.add_argument(
            "--heartbeat",
            type=float,
            metavar="SECONDS",
            help="a worker silent this long is taken for dead and its requests are queued "
            "again (default 10)",
        )
        parser.add_argument(
            "-v", "--verbose", action="store_true", help="log every request (Scrapy's INFO log)"
        )

    def run(self, args: argparse.Namespace) -> int:
        from crawlers.distributed import check_redis, worker_settings, worker_spider
        from crawlers.runner import crawl
        from crawlers.sources import find_sources
        from crawlers.spiders import spider_class

        url = args.redis or os.environ.get(REDIS_ENV)
        if not url:
            raise UsageError(f"no Redis: give --redis URL or set ${REDIS_ENV}")
        if args.heartbeat is not None and args.heartbeat <= 0:
            raise UsageError("--heartbeat must be positive")
        sources = find_sources(args.sources, args.sources_file)
        check_redis(url)
        settings = settings_from_args(args, **worker_settings(url, ttl=args.heartbeat))
        print(f"heishi worker {settings['HEISHI_WORKER_ID']}: {len(sources)} sources, "
              f"queue at {url}", file=sys.stderr, flush=True)  # fmt: skip
        crawl(sources, settings, make_spider=lambda source: worker_spider(spider_class(source)))
        return 0
