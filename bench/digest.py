"""Speed of the weekly price-index digest as the history grows: 100,000 and 1,000,000 offers.

    .venv/bin/python bench/digest.py [--offers 1000000] [--small 100000] [--dir DIR]

Builds (or reuses, with ``--dir`` of an earlier ``bench/index.py`` run) the two stores of
``bench/index.py`` — two years of offers — and times ``heishi digest`` of the last week, run as
the command (``ops`` sits on top: nothing imports it, a bench included): reading the weekly
aggregates, sellers, sources and the week's posts (new terms), the chained index over the
whole history, the charts and the three files. The command's start-up (``heishi --help``) is
timed too, so the digest's own time can be told apart. Prints both times and their ratio.
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.sqlite import SQLiteStore  # noqa: E402

HEISHI = [sys.executable, "-m", "ops.cli"]
REPO = Path(__file__).resolve().parents[1]


def _bench_index():
    """bench/index.py (its name is the ``index`` package's): the same generated stores."""
    spec = importlib.util.spec_from_file_location(
        "bench_index", Path(__file__).resolve().parent / "index.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def store_of(path: Path, offers: int, step: int) -> Path:
    if path.exists():
        return path
    print(f"building {path.name}: {offers // step:,} offers …", flush=True)
    posts, items = _bench_index().generate(offers)
    with SQLiteStore(path) as store:
        posts, items = posts[::step], items[::step]
        for start in range(0, len(posts), 5000):
            store.upsert_posts(posts[start : start + 5000])
        store.put_extractions(items)
    return path


def run(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([*HEISHI, *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "HEISHI_AUDIT_LOG": os.devnull})
    if done.returncode != 0:
        raise SystemExit(f"heishi {' '.join(args)} failed:\n{done.stderr}")
    return time.perf_counter() - started


def timed_digest(path: Path, out: Path) -> tuple[float, dict]:
    with SQLiteStore(path, readonly=True) as store:
        offers = store.stats()["offers"]
        week = max(store.weekly_items(), key=lambda i: i["start"])["week"]
    best = min(run(["digest", "--store", str(path), "--week", week, "--out", str(out)])
               for _ in range(2))
    rows = (out / "digest.csv").read_text(encoding="utf-8").count("\n") - 1
    return best, {"offers": offers, "week": week, "items": rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--dir", help="stores of bench/index.py (small.db, full.db) to reuse")
    args = parser.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="heishi-bench-digest-"))
    folder.mkdir(parents=True, exist_ok=True)
    step = max(1, args.offers // args.small)
    results = {}
    for label, name, every in (("small", "small.db", step), ("full", "full.db", 1)):
        path = store_of(folder / name, args.offers, every)
        results[label] = timed_digest(path, folder / f"digest-{label}")
    startup = min(run(["--help"]) for _ in range(3))
    print(f"heishi digest of the last week (best of 2; command start-up {startup:.2f} s):")
    for label in ("small", "full"):
        seconds, facts = results[label]
        print(f"  {facts['offers']:>10,} offers  week {facts['week']}  {facts['items']:>3} basket "
              f"items  {seconds:6.2f} s  ({seconds - startup:6.2f} s without start-up)")
    small, full = results["small"][0] - startup, results["full"][0] - startup
    ratio = results["full"][1]["offers"] / results["small"][1]["offers"]
    print(f"  ratio {full / small:.1f}x the time for {ratio:.0f}x the offers (start-up excluded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
