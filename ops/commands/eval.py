"""``heishi eval GOLD``: how well the extractor does on a labelled file.

The figures come from the project's shared scorer (``../shared/eval/score_offers.py``), loaded
as a module rather than copied, so ``heishi eval`` and the scorer can never disagree.
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
from ops.commands import HeishiCommand
from ops.commands.extract import extracted, read_posts
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
        parser.add_argument("gold", metavar="GOLD", help="labelled posts (taxonomy.md format)")
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
        try:
            gold = open(args.gold, "rb")  # noqa: SIM115
        except OSError as exc:
            raise InputError(exc.strerror or str(exc), args.gold) from None
        with (
            gold,
            tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", suffix=".jsonl", prefix="heishi-eval-"
            ) as pred,
        ):
            for post in read_posts(gold, args.gold, need_id=True):
                pred.write(json.dumps(extracted(post), ensure_ascii=False) + "\n")
            pred.flush()
            argv = [str(args.scorer), args.gold, pred.name, "--errors", str(args.errors)]
            if args.json:
                argv.append("--json")
            with _argv(argv):
                try:
                    scorer.main()
                except SystemExit as exc:  # the scorer exits with a message on bad input
                    if exc.code not in (None, 0):
                        raise InputError(str(exc.code), args.gold) from None
        return 0
