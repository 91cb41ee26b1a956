"""``heishi extract [--context TEXT] [FILE]``: posts in, offers out, both as JSON Lines.

The extractor runs without a store or a crawler, so an analyst can check what the rules make
of a file of posts, and a pipeline can pipe crawled posts through it. A post's own ``context``
field (where it was found, e.g. a channel's title) wins over ``--context``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TextIO

from nlp import extract
from nlp.errors import InputError
from ops.commands import HeishiCommand


def read_posts(fh: TextIO, source: str, need_id: bool = False) -> Iterator[dict]:
    """Post records of a JSON Lines stream; a bad line raises InputError naming source:line."""
    for number, line in enumerate(fh, 1):
        if number == 1:
            line = line.removeprefix("\ufeff")  # a BOM left by Windows editors
        if not line.strip():
            continue
        try:
            post = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON: {exc.msg} (column {exc.colno})", source, number) from None
        if not isinstance(post, dict):
            raise InputError("expected a JSON object per line", source, number)
        if not isinstance(post.get("text"), str):
            raise InputError('missing "text" (a string)', source, number)
        if need_id and "id" not in post:
            raise InputError('missing "id"', source, number)
        if not isinstance(post.get("context", ""), str | None):
            raise InputError('"context" must be a string', source, number)
        yield post


def extracted(post: dict, context: str | None = None) -> dict:
    """The post's own fields, then the extractor's (which replace any stale ones)."""
    return {**post, **extract(post["text"], context=post.get("context") or context)}


class Command(HeishiCommand):
    name = "extract"
    help = "extract offers and contacts from JSON Lines posts (FILE or stdin) to stdout"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", metavar="FILE", help="posts, one JSON object a line")
        parser.add_argument(
            "--context",
            metavar="TEXT",
            help="where the posts were found (e.g. '接码平台 项目价格表'): the goods, platform, "
            "currency and side their rows leave unsaid",
        )

    def run(self, args: argparse.Namespace) -> int:
        self.context = args.context
        if args.file in (None, "-"):
            return self._run(sys.stdin, "<stdin>")
        try:
            fh = open(args.file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise InputError(exc.strerror or str(exc), args.file) from None
        with fh:
            return self._run(fh, args.file)

    def _run(self, fh: TextIO, source: str) -> int:
        out = sys.stdout
        try:
            for post in read_posts(fh, source):
                out.write(json.dumps(extracted(post, self.context), ensure_ascii=False) + "\n")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8: {exc.reason}", source) from None
        finally:
            out.flush()
        return 0
