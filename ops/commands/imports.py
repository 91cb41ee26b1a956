"""``heishi import FILE... --source NAME``: chat exports and saved pages into the store.

Closed groups cannot be crawled, but a member can export them: Telegram Desktop's
``result.json`` or ``messages*.html``, QQ 消息管理器's ``.txt``, or a t.me/s page saved from a
browser. The files are crawled like a site (see :mod:`crawlers.spiders.imports`), so their posts
take the crawled posts' path: evidence (the file's SHA-256), extraction, redaction, store,
versions. Importing the same file again stores nothing new.

``NAME`` is the source the posts are filed under; when ``sources.yaml`` has a source of that
name, its time zone and context apply (a Telegram source's name makes a saved page of its
channel the same posts as crawled ones).
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from crawlers.errors import ConfigError
from crawlers.sources import _NAME, Politeness, Source, load_sources
from ops.commands import HeishiCommand
from ops.commands.crawl import add_crawl_arguments, crawl_with_progress, print_results
from ops.errors import UsageError

# Files are read from the local disk: no delay, one at a time, no size cap, no robots.txt.
IMPORT_POLITENESS = Politeness(delay=0, concurrency=1, autothrottle=False,
                               max_page_size=2**40, timeout=600, retries=0, robots=False)


class Command(HeishiCommand):
    name = "import"
    help = ("import Telegram Desktop exports (result.json, messages*.html), QQ .txt exports "
            "or saved t.me/s pages as posts of a source")
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="export files")
        parser.add_argument("--source", required=True, metavar="NAME",
                            help="the source the posts are filed under (e.g. qq-group-xyz)")
        add_crawl_arguments(parser)

    def run(self, args: argparse.Namespace) -> int:
        if not _NAME.match(args.source):
            raise UsageError(f"--source {args.source!r}: use lower-case letters, digits, "
                             "'-' and '_'")
        urls = []
        for name in args.files:
            path = Path(name)
            if not path.is_file():
                raise UsageError(f"{name}: no such file")
            urls.append(path.resolve().as_uri())
        source = replace(import_source(args.source, args.sources_file),
                         start_urls=tuple(urls))
        results = crawl_with_progress([source], args, full=True)
        print_results(results, args)
        return 0 if all(result.status == "ok" for result in results) else 1


def import_source(name: str, sources_file: str | None) -> Source:
    """The source imports are filed under: the configured one's zone and context, if any."""
    try:
        known = {source.name: source for source in load_sources(sources_file)}
    except ConfigError:
        known = {}  # no (or a broken) sources file: importing needs none
    base = known.get(name)
    return Source(
        name=name,
        kind="import",
        start_urls=(),
        selectors=None,
        timezone=base.timezone if base else "Asia/Shanghai",
        context=base.context if base else None,
        politeness=IMPORT_POLITENESS,
    )
