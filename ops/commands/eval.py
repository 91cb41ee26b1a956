"""``heishi eval GOLD…``: how well the extractor does on labelled posts.

The figures come from the project's shared scorer (``../shared/eval/score_offers.py``), loaded
as a module rather than copied, so ``heishi eval`` and the scorer can never disagree. Posts
labelled with a ``kind`` (the corpus in ``nlp/data/corpus/``: listing, or which kind of talk)
get a confusion table too: how many of each kind came out as listings, so a warning that quotes
a scammer's price and is read as an offer shows up as what it is. ``--split test`` scores the
corpus' held-out posts only (see ``nlp.train.split``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from nlp.errors import InputError
from nlp.train import corpus_posts
from ops.commands import HeishiCommand
from ops.commands.extract import extracted
from ops.errors import UsageError

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SCORER = REPO / ".." / "shared" / "eval" / "score_offers.py"


def load_scorer(path: Path) -> ModuleType:
    if not path.is_file():
        raise UsageError(f"scorer not found: {path} (give one with --scorer PATH)")
    spec = importlib.util.spec_from_file_location("heishi_offer_scorer", path)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot load scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "main", None)):
        raise UsageError(f"{path} has no main()")
    return module


@contextlib.contextmanager
def _argv(args: list[str]):
    saved = sys.argv
    sys.argv = args
    try:
        yield
    finally:
        sys.argv = saved


class Command(HeishiCommand):
    name = "eval"
    help = "score the extractor on a labelled JSON Lines file (offer F1, listing accuracy)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "gold",
            metavar="GOLD",
            nargs="+",
            type=Path,
            help="labelled posts (taxonomy.md format): files, or folders of *.jsonl",
        )
        parser.add_argument(
            "--split",
            choices=("train", "test"),
            help="only this split of the corpus files (posts with a kind)",
        )
        parser.add_argument(
            "--errors", type=int, default=0, metavar="N", help="show up to N posts with mistakes"
        )
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument(
            "--scorer",
            type=Path,
            default=DEFAULT_SCORER,
            metavar="PATH",
            help="score_offers.py to use (default: ../shared/eval/ beside the repository)",
        )

    def run(self, args: argparse.Namespace) -> int:
        scorer = load_scorer(args.scorer.resolve())
        for path in args.gold:
            if not path.exists():
                raise InputError("no such file or folder", str(path))
        try:
            posts = list(corpus_posts(args.gold, part=args.split, need_id=True))
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8: {exc.reason}", str(args.gold[0])) from None
        if not posts:
            raise UsageError("no labelled posts to score")
        with (
            tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", suffix=".jsonl", prefix="heishi-gold-"
            ) as gold,
            tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", suffix=".jsonl", prefix="heishi-eval-"
            ) as pred,
        ):
            predicted = []
            for post in posts:
                gold.write(json.dumps(post, ensure_ascii=False) + "\n")
                predicted.append(extracted(post))
                pred.write(json.dumps(predicted[-1], ensure_ascii=False) + "\n")
            gold.flush()
            pred.flush()
            argv = [str(args.scorer), gold.name, pred.name, "--errors", str(args.errors)]
            if args.json:
                argv.append("--json")
            with _argv(argv):
                try:
                    scorer.main()
                except SystemExit as exc:  # the scorer exits with a message on bad input
                    if exc.code not in (None, 0):
                        raise InputError(str(exc.code), str(args.gold[0])) from None
        table = confusion(posts, predicted)
        if table and not args.json:
            print(format_confusion(table))
        return 0


def confusion(posts: list[dict], predicted: list[dict]) -> dict[str, list[int]]:
    """kind -> [posts, predicted listing, predicted talk], for posts labelled with a kind."""
    table: dict[str, list[int]] = {}
    for post, pred in zip(posts, predicted, strict=True):
        kind = post.get("kind")
        if not kind:
            continue
        row = table.setdefault(str(kind), [0, 0, 0])
        row[0] += 1
        row[1 if pred["is_listing"] else 2] += 1
    return table


def format_confusion(table: dict[str, list[int]]) -> str:
    """Listings first, then the kinds of talk, most frequent first."""
    lines = ["", "listing vs talk by kind:", f"{'kind':<14} {'posts':>6} {'->listing':>10} "
             f"{'->talk':>7} {'correct':>8}"]  # fmt: skip
    kinds = sorted(table, key=lambda k: (k != "listing", -table[k][0], k))
    for kind in kinds:
        n, listing, talk = table[kind]
        right = listing if kind == "listing" else talk
        lines.append(f"{kind:<14} {n:>6} {listing:>10} {talk:>7} {right / n:>8.1%}")
    return "\n".join(lines)
