"""Speed of the weekly price-index digest as the history grows: 100,000 and 1,000,000 offers.

    .venv/bin/python bench/digest.py [--offers 1000000] [--small 100000] [--dir DIR]

Builds (or reuses, with ``--dir`` of an earlier ``bench/index.py`` run) the two stores of
``bench/index.py`` — two years of offers — and times the digest of the last week: the data
read (weekly aggregates, sellers, sources, the week's posts for new terms), the chained index
over the whole history, the charts and the three files. Prints both times and their ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.sqlite import SQLiteStore  # noqa: E402
from ops.digest import Settings, build, latest_week, write_digest  # noqa: E402


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


def timed_digest(path: Path, out: Path) -> tuple[float, float, dict]:
    with SQLiteStore(path, readonly=True) as store:
        offers = store.stats()["offers"]
        monday = latest_week(store, complete=False)
        started = time.perf_counter()
        digest = build(store, monday, Settings())
        built = time.perf_counter() - started
    started = time.perf_counter()
    write_digest(digest, out)
    written = time.perf_counter() - started
    return built, written, {"offers": offers, "week": digest.week, "weeks": len(
        digest.chain.weeks), "items": len(digest.rows)}


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
    print("digest of the last week (build = read + chained index; write = charts + files):")
    for label in ("small", "full"):
        built, written, facts = results[label]
        print(f"  {facts['offers']:>10,} offers  {facts['weeks']} weeks  {facts['items']} basket "
              f"items  build {built:6.2f} s  write {written:5.2f} s  total "
              f"{built + written:6.2f} s")
    small = sum(results["small"][:2])
    full = sum(results["full"][:2])
    ratio = results["full"][2]["offers"] / results["small"][2]["offers"]
    print(f"  ratio {full / small:.1f}x the time for {ratio:.0f}x the offers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
