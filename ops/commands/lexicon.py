"""``heishi lexicon suggest``: words the lexicon may be missing, ranked from recent posts.

Sellers rename their goods faster than anyone edits a word list; this shows an analyst which
unknown words sit beside prices, units and known goods in many posts, with an example each,
so the good ones can be added to ``nlp/lexicon`` (and offers rebuilt).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from index.store import default_store_location, open_store
from nlp.suggest import suggest_terms
from ops.commands import HeishiCommand
from ops.commands.extract import binary_input, read_posts
from ops.errors import UsageError
from ops.render import Output, add_output_arguments

COLUMNS = ("term", "score", "posts", "seen_with", "example")


def _when(post: dict) -> datetime | None:
    """When a stored post appeared: posted_at, else fetched_at (ISO strings, UTC if naive)."""
    for name in ("posted_at", "fetched_at"):
        value = post.get(name)
        if not value:
            continue
        try:
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def stored_texts(location: str | None, days: int | None) -> Iterator[str]:
    """Texts of the stored posts of the last ``days`` days (all posts when None)."""
    since = datetime.now(UTC) - timedelta(days=days) if days is not None else None
    with open_store(location, create=False) as store:
        for post in store.iter_posts():
            if since is not None:
                when = _when(post)
                if when is None or when < since:
                    continue
            if isinstance(post.get("text"), str):
                yield post["text"]


def file_texts(path: str | None) -> Iterator[str]:
    fh, source = binary_input(path)
    try:
        for post in read_posts(fh, source):
            yield post["text"]
    finally:
        if source != "<stdin>":
            fh.close()


class Command(HeishiCommand):
    name = "lexicon"
    help = "work on the extractor's lexicon: suggest new jargon from recent posts"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        suggest = actions.add_parser(
            "suggest",
            help="rank unknown words that behave like goods (beside prices, units, goods)",
            description="Rank words the lexicon lacks that occur beside prices, units and known "
            'goods in many posts. Posts come from FILE (JSON Lines, one {"id", "text"} a '
            "line), stdin, or the store with --store/--days.",
        )
        suggest.add_argument("file", nargs="?", metavar="FILE", help="posts, JSON Lines")
        suggest.add_argument("--top", type=int, default=30, metavar="N", help="how many (30)")
        suggest.add_argument(
            "--min-posts",
            type=int,
            default=2,
            metavar="N",
            help="ignore words seen in fewer posts (2)",
        )
        suggest.add_argument(
            "--store",
            metavar="PATH",
            help="read posts from the store: SQLite file or Elasticsearch URL "
            "(default with --days: $HEISHI_STORE, else var/heishi.db)",
        )
        suggest.add_argument(
            "--days", type=int, metavar="N", help="only stored posts of the last N days"
        )
        add_output_arguments(suggest)

    def run(self, args: argparse.Namespace) -> int:
        if args.top < 1 or args.min_posts < 1:
            raise UsageError("--top and --min-posts must be at least 1")
        if args.days is not None and args.days < 1:
            raise UsageError("--days must be at least 1")
        from_store = args.store is not None or args.days is not None
        if from_store and args.file is not None:
            raise UsageError("give either FILE or --store/--days, not both")
        texts = stored_texts(args.store, args.days) if from_store else file_texts(args.file)
        found = suggest_terms(texts, top=args.top, min_posts=args.min_posts)
        query = {"top": args.top, "min_posts": args.min_posts}
        if from_store:
            query |= {"store": args.store or default_store_location(), "days": args.days}
        else:
            query |= {"file": args.file or "<stdin>"}
        Output(args, "lexicon suggest").write(
            (s.as_dict() for s in found),
            COLUMNS,
            title=f"jargon the lexicon lacks ({len(found)})",
            query=query,
        )
        return 0
