"""``heishi sources [check]``: the sources of ``sources.yaml``, validated.

``check`` is for editors and CI: silent but for one line, exit 2 with ``file:line: field:
problem`` when the file is wrong.
"""

from __future__ import annotations

import argparse
import sys

from ops.commands import HeishiCommand
from ops.render import write_jsonl, write_table

COLUMNS = ("name", "kind", "start", "browser", "schedule", "recrawl_age", "delay", "line")


class Command(HeishiCommand):
    name = "sources"
    help = "list the sources of sources.yaml (or only check the file, with 'check')"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("action", nargs="?", choices=("list", "check"), default="list")
        parser.add_argument(
            "--sources-file",
            metavar="FILE",
            help="sources file (default: $HEISHI_SOURCES, else ./sources.yaml)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON Lines")

    def run(self, args: argparse.Namespace) -> int:
        from crawlers.sources import load_sources, sources_path

        sources = load_sources(args.sources_file)
        if args.action == "check":
            print(f"{sources_path(args.sources_file)}: {len(sources)} sources, all valid")
            return 0
        rows = [
            {
                "name": source.name,
                "kind": source.kind,
                "start": " ".join(source.start_urls),
                "browser": source.browser is not None,
                "schedule": source.schedule,
                "recrawl_age": str(source.recrawl_age),
                "delay": source.politeness.delay,
                "line": source.line,
            }
            for source in sources
        ]
        if args.json:
            write_jsonl(rows, sys.stdout)
        else:
            write_table(rows, COLUMNS, sys.stdout, title=str(sources_path(args.sources_file)))
        return 0
