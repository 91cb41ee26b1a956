"""``heishi extract [--context TEXT] [FILE]``: posts in, offers out, both as JSON Lines.

The extractor runs without a store or a crawler, so an analyst can check what the rules make
of a file of posts, and a pipeline can pipe crawled posts through it. A post's own ``context``
field (where it was found, e.g. a channel's title) wins over ``--context``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from typing import IO

from nlp import extract
from nlp.errors import InputError
from ops.commands import HeishiCommand
from ops.render import json_line


def read_posts(fh: IO, source: str, need_id: bool = False) -> Iterator[dict]:
    """Post records of a JSON Lines stream; a bad line raises InputError naming source:line.

    A binary stream is decoded line by line, so a line that is not UTF-8 is reported with its
    number after every good line before it has been handed on. Text the output could not
    carry (a lone surrogate such as ``"\\ud800"``) and JSON's non-standard ``NaN`` and
    ``Infinity`` are refused the same way.
    """
    for number, line in enumerate(fh, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"not UTF-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1}); "
                    "convert the file, e.g. iconv -f GB18030 -t UTF-8",
                    source,
                    number,
                ) from None
        if number == 1:
            line = line.removeprefix("\ufeff")  # a BOM left by Windows editors
        if not line.strip():
            continue
        try:
            post = json.loads(line, parse_constant=_not_json)
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON: {exc.msg} (column {exc.colno})", source, number) from None
        except ValueError as exc:
            raise InputError(str(exc), source, number) from None
        if _LONE_SURROGATE.search(line) and _has_surrogate(post):
            raise InputError("a string holds a lone surrogate (\\ud800-\\udfff): not text",
                             source, number)
        if not isinstance(post, dict):
            raise InputError("expected a JSON object per line", source, number)
        if not isinstance(post.get("text"), str):
            raise InputError('missing "text" (a string)', source, number)
        if need_id and "id" not in post:
            raise InputError('missing "id"', source, number)
        if not isinstance(post.get("context", ""), str | None):
            raise InputError('"context" must be a string', source, number)
        yield post


_LONE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _not_json(name: str):
    raise ValueError(f"not JSON: {name} is not a number JSON allows")


def _has_surrogate(value) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def binary_input(path: str | None) -> tuple[IO[bytes], str]:
    """The posts file (or stdin for None or ``-``) as bytes, and how to name it."""
    if path in (None, "-"):
        return getattr(sys.stdin, "buffer", sys.stdin), "<stdin>"  # text if stdin was replaced
    try:
        return open(path, "rb"), path  # noqa: SIM115
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path) from None


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
        fh, source = binary_input(args.file)
        try:
            return self._run(fh, source)
        finally:
            if source != "<stdin>":
                fh.close()

    def _run(self, fh: IO[bytes], source: str) -> int:
        out = sys.stdout
        try:
            for post in read_posts(fh, source):
                out.write(json_line(extracted(post, self.context)) + "\n")
        finally:
            out.flush()
        return 0
