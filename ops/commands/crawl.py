"""``heishi crawl``: crawl sources of ``sources.yaml`` into the store, showing progress."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import nullcontext

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from index.records import utcnow
from index.store import default_store_location, open_store
from ops.commands import HeishiCommand
from ops.errors import UsageError
from ops.render import plain, write_jsonl, write_table

COLUMNS = ("source", "status", "pages", "new", "seen", "changed", "errors")


class Command(HeishiCommand):
    name = "crawl"
    help = "crawl sources (all of sources.yaml when none is named) into the store"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("sources", nargs="*", metavar="SOURCE", help="source names")
        add_crawl_arguments(parser)
        parser.add_argument(
            "--full",
            action="store_true",
            help="page through every listing page, even where nothing new is found",
        )
        parser.add_argument(
            "--jobdir",
            metavar="DIR",
            help="keep each source's crawl state in DIR/<source>: a crawl stopped by SIGTERM "
            "or Ctrl-C resumes from there next time, fetching no page twice",
        )
        parser.add_argument(
            "--redis",
            metavar="URL",
            help="crawl on the `heishi worker`s sharing this Redis: push the start requests, "
            "wait for the round to end (default: $HEISHI_REDIS)",
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            metavar="SECONDS",
            help="stop each source's crawl after this long (its run is recorded as failed)",
        )

    def run(self, args: argparse.Namespace) -> int:
        from crawlers.sources import find_sources

        sources = find_sources(args.sources, args.sources_file)
        if args.time_limit is not None and args.time_limit <= 0:
            raise UsageError(f"--time-limit must be positive, not {args.time_limit:g}")
        started = utcnow()
        redis_url = args.redis or os.environ.get("HEISHI_REDIS")
        if redis_url:
            results = crawl_on_workers(sources, args, redis_url)
        else:
            results = crawl_with_progress(
                sources, args, full=args.full, jobdir=args.jobdir, time_limit=args.time_limit
            )
        print_results(results, args)
        alerts_after_crawl(args, started)
        return 0 if all(result.status == "ok" for result in results) else 1


def add_source_arguments(parser: argparse.ArgumentParser, evidence: bool = True) -> None:
    """``--sources-file`` (and ``--evidence``): where sources are read and captures kept."""
    parser.add_argument(
        "--sources-file",
        metavar="FILE",
        help="sources file (default: $HEISHI_SOURCES, else ./sources.yaml)",
    )
    if evidence:
        parser.add_argument(
            "--evidence",
            metavar="DIR",
            help="evidence folder (default: $HEISHI_EVIDENCE, else var/evidence)",
        )


def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    add_source_arguments(parser)
    parser.add_argument("--rules", metavar="FILE",
                        help="watch rules to run on the new posts (default: $HEISHI_ALERT_RULES)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON Lines")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log every request (Scrapy's INFO log)"
    )


def settings_from_args(args: argparse.Namespace, **extra) -> dict:
    """Crawl settings from a command's --store, --evidence, --sources-file and -v (with
    ``extra``); the store is opened once first, so one that cannot be opened is one clear
    error up front, not a failure in the middle of a crawl."""
    from crawlers.runner import crawl_settings

    store = args.store or default_store_location()
    open_store(store).close()
    return crawl_settings(
        HEISHI_STORE=store,
        HEISHI_EVIDENCE=args.evidence,
        HEISHI_SOURCES=args.sources_file,
        LOG_LEVEL="INFO" if args.verbose else "WARNING",
        **extra,
    )


def crawl_with_progress(
    sources,
    args: argparse.Namespace,
    full: bool = False,
    jobdir: str | None = None,
    time_limit: float | None = None,
):
    """Run the crawl of ``sources`` in this process, with a live line per source on stderr."""
    from crawlers.runner import crawl

    settings = settings_from_args(args, CLOSESPIDER_TIMEOUT=time_limit)
    console = Console(file=sys.stderr)
    show = not args.quiet and console.is_terminal
    progress = Progress(
        SpinnerColumn(finished_text="✓"),
        TextColumn("{task.description:<20}"),
        TextColumn("{task.fields[line]}"),
        console=console,
        redirect_stderr=True,
    )
    tasks = {}

    def update(states) -> None:
        for state in states:
            if state.source not in tasks:
                tasks[state.source] = progress.add_task(state.source, total=1, line="")
            line = f"pages {state.pages:>5}   new {state.new:>5}   seen {state.seen:>5}"
            if state.done:
                line += f"   {state.status}"
            progress.update(tasks[state.source], line=line, completed=1 if state.done else 0)

    with progress if show else nullcontext():
        return crawl(
            sources, settings, full=full, progress=update if show else None, jobdir=jobdir
        )


def crawl_on_workers(sources, args: argparse.Namespace, redis_url: str):
    """One round per source on the workers, all at once; the results as a local crawl's."""
    import logging
    from concurrent.futures import ThreadPoolExecutor

    from crawlers.distributed import check_redis, run_round
    from crawlers.runner import SourceProgress

    check_redis(redis_url)
    store = args.store or default_store_location()
    open_store(store).close()
    logging.basicConfig(format="%(levelname)s %(message)s", level=logging.WARNING)
    limit = args.time_limit or 3600.0
    with ThreadPoolExecutor(max(1, len(sources))) as pool:
        runs = list(pool.map(lambda source: run_round(source, redis_url, store, limit), sources))
    return [
        SourceProgress(run.source, run.pages, run.posts_new, run.posts_seen, run.posts_changed,
                       run.errors, run.status)  # fmt: skip
        for run in runs
    ]


def alerts_after_crawl(args: argparse.Namespace, started: str) -> None:
    """Watch rules over the posts this crawl stored, and any delivery that is due."""
    from ops.alerts import run_alerts

    counts = run_alerts(args.store, getattr(args, "rules", None), start=started)
    if counts is not None:
        print(f"alerts: {counts['new']} new, {counts['delivered']} delivered, "
              f"{counts['retry']} to retry, {counts['failed']} failed", file=sys.stderr)


def print_results(results, args: argparse.Namespace) -> None:
    rows = [
        {
            "source": result.source,
            "status": result.status,
            "pages": result.pages,
            "new": result.new,
            "seen": result.seen,
            "changed": result.changed,
            "errors": result.errors if args.json else len(result.errors),
        }
        for result in results
    ]
    if args.json:
        write_jsonl(rows, sys.stdout)
        return
    write_table(rows, COLUMNS, sys.stdout, title="crawl")
    for result in results:
        for error in result.errors[:5]:
            print(plain(f"{result.source}: {error}"), file=sys.stderr)  # errors quote pages
        if len(result.errors) > 5:
            print(f"{result.source}: … {len(result.errors) - 5} more errors", file=sys.stderr)
