"""``heishi reextract``: rebuild the offers of stored posts with the current extractor.

Sellers invent words every week and the lexicon follows; offers carry the extractor version
that made them, so a lexicon change is applied to what is already stored without crawling
the sources again (and without touching the evidence the posts cite).
"""

from __future__ import annotations

import argparse
import itertools
import sys

import nlp
from crawlers.items import extraction_input
from index.store import open_store
from ops.commands import HeishiCommand

BATCH = 500


class Command(HeishiCommand):
    name = "reextract"
    help = "rebuild offers and contacts of stored posts after the lexicon or rules changed"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--source", help="only the posts of this source")
        parser.add_argument(
            "--all",
            action="store_true",
            help="also posts already extracted by the current version "
            f"({nlp.EXTRACTOR_VERSION})",
        )

    def run(self, args: argparse.Namespace) -> int:
        version = nlp.EXTRACTOR_VERSION
        counts = {"posts": 0, "reextracted": 0, "current": 0, "offers": 0}
        with open_store(args.store, create=False) as store:
            offers_before = store.stats()["offers"]
            posts = store.iter_posts(source=args.source)
            while batch := list(itertools.islice(posts, BATCH)):
                work = []
                for post in batch:
                    counts["posts"] += 1
                    if post.get("extractor_version") == version and not args.all:
                        counts["current"] += 1
                        continue
                    text, context = extraction_input(post)
                    extraction = nlp.extract(text, context=context)
                    counts["offers"] += len(extraction["offers"])
                    work.append((post["id"], extraction, version))
                store.put_extractions(work)
                counts["reextracted"] += len(work)
            offers_after = store.stats()["offers"]
        print(
            f"re-extracted {counts['reextracted']} of {counts['posts']} posts with {version} "
            f"({counts['current']} already current); offers {offers_before} -> {offers_after}",
            file=sys.stderr,
        )
        return 0
