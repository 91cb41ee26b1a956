"""``heishi train``: retrain the listing-vs-talk model from the labelled posts in the repository.

By default it reads the training split of the corpus (``nlp/data/corpus/``, never its test
split), the English ads in ``nlp/data/english_listings.jsonl`` and the project's hand-labelled
posts (``tests/nlp/data/extra_posts.jsonl``), and
writes ``nlp/model/listing.json``, whose new version then appears in ``EXTRACTOR_VERSION``.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from nlp.classify import MODEL_PATH
from nlp.train import C_DEFAULT, corpus_posts, fit, training_rows, write_model
from ops.commands import HeishiCommand
from ops.errors import UsageError

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = (
    REPO / "nlp" / "data" / "corpus",
    REPO / "nlp" / "data" / "english_listings.jsonl",
    REPO / "tests" / "nlp" / "data" / "extra_posts.jsonl",
)


class Command(HeishiCommand):
    name = "train"
    help = "retrain the listing-vs-talk model (nlp/model/listing.json) from labelled posts"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "data",
            nargs="*",
            type=Path,
            metavar="FILE",
            help="labelled JSON Lines files or folders of them (default: the corpus' training "
            "split and tests/nlp/data/extra_posts.jsonl)",
        )
        parser.add_argument(
            "--out", type=Path, default=MODEL_PATH, metavar="PATH", help="model file to write"
        )
        parser.add_argument(
            "-C", type=float, default=C_DEFAULT, dest="c", help="inverse regularisation strength"
        )

    def run(self, args: argparse.Namespace) -> int:
        paths = args.data or [p for p in DEFAULT_DATA if p.exists()]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise UsageError(f"no such file: {', '.join(missing)}")
        rows, labels = training_rows(corpus_posts(paths, part="train"))
        try:
            model = fit(rows, labels, c=args.c)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        write_model(model, args.out)
        counts = collections.Counter(labels)
        print(
            f"trained {model.version} on {len(rows)} posts with offers "
            f"({counts[True]} listings, {counts[False]} talk), "
            f"{len(model.weights)} weights -> {args.out}"
        )
        return 0
