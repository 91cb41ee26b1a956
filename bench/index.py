"""Speed of the embedded store: bulk offer loads and trend queries as the index grows.

    .venv/bin/python bench/index.py [--offers 1000000] [--dir DIR]

Prints offers/s loaded through ``SQLiteStore.put_extractions`` (and the refresh of the weekly
aggregates of the weeks loaded, which trends read) against a bare ``executemany``
of the same rows into an SQLite table of the same shape (target ratio ≥ 0.5), and the time of
weekly trend queries at 100,000 and at all offers: from the weekly aggregates (what trends
read; the whole history should stay flat as the data grows) and, as the baseline, from every
offer.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.query import TrendQuery  # noqa: E402
from index.records import Post  # noqa: E402
from index.sqlite import SQLiteStore, day_number  # noqa: E402
from index.tokens import index_tokens  # noqa: E402

GOODS = ["account", "sms_code", "personal_data", "bank_card", "sim_card", "fake_engagement"]
PLATFORMS = ["wechat", "qq", "douyin", "momo", "alipay", None]
WORDS = ["出", "收", "微信", "老号", "接码", "四要素", "料子", "银行卡", "四件套", "实名",
         "白卡", "引流", "量大", "优惠", "私聊", "秒发", "稳定", "售后"]
OFFERS_PER_POST = 3
START = datetime(2024, 11, 25, tzinfo=UTC)  # a Monday, two years before the data ends
DAYS = 728


def generate(offers: int, seed: int = 1):
    """Posts and their extractions, deterministic: (posts, [(post_id, extraction, version)]).

    Posts come in the order they were posted, as crawls of two years would store them.
    """
    rng = random.Random(seed)
    posts, items = [], []
    count = (offers + OFFERS_PER_POST - 1) // OFFERS_PER_POST
    moments = sorted(START + timedelta(seconds=rng.randrange(DAYS * 86400)) for _ in range(count))
    for i, moment in enumerate(moments):
        text = " ".join(rng.choices(WORDS, k=8)) + f" {rng.randrange(1000)}元"
        post = Post(source=rng.choice(["tg", "forum", "market"]), key=str(i), text=text,
                    posted_at=moment.isoformat(timespec="seconds"),
                    fetched_at="2026-11-21T00:00:00+00:00")
        posts.append(post)
        n = min(OFFERS_PER_POST, offers - i * OFFERS_PER_POST)
        extraction = {
            "is_listing": True,
            "offers": [
                {"goods": rng.choice(GOODS), "platform": rng.choice(PLATFORMS), "side": "sell",
                 "price": round(rng.lognormvariate(3, 1.2), 2), "price_max": None,
                 "currency": "CNY" if rng.random() < 0.9 else "USDT",
                 "per_qty": rng.choice([1, 1, 1, 100]), "unit": "item", "min_qty": None}
                for _ in range(n)
            ],
            "contacts": [{"type": "qq", "value": str(rng.randrange(20000))}],
        }
        items.append((post.id, extraction, "bench"))
    return posts, items


def bare_rows(posts, items):
    """The offer rows the store writes, built without it, for the bare baseline."""
    at = {p.id: p.posted_at for p in posts}
    source = {p.id: p.source for p in posts}
    rows = []
    for pk, (post_id, extraction, version) in enumerate(items, start=1):
        seller = "qq:" + extraction["contacts"][0]["value"]
        for n, o in enumerate(extraction["offers"]):
            rows.append((pk, post_id, n, o["goods"], o["platform"], o["side"], o["price"],
                         o["price_max"], o["currency"], o["per_qty"], o["unit"], o["min_qty"],
                         o["price"] / o["per_qty"], source[post_id],
                         at[post_id], seller, version, day_number(at[post_id])))
    return rows


def bare_load(path: Path, rows, *, indexes: bool) -> float:
    """Seconds to executemany ``rows`` into a fresh offers table (with or without indexes)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    SQLiteStore(path).close()  # the store's own schema, pragmas as the store sets them
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = NORMAL")
    if not indexes:
        names = db.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                           "AND tbl_name = 'offers' AND sql IS NOT NULL").fetchall()
        for (name,) in names:
            db.execute(f"DROP INDEX {name}")
    started = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("INSERT INTO offers (post_pk, post_id, n, goods, platform, side, price, "
                   "price_max, currency, per_qty, unit, min_qty, unit_price, source, posted_at, "
                   "seller_key, extractor_version, day) VALUES "
                   "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def timed(function, repeat: int = 3) -> float:
    """Best of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def trend_times(store: SQLiteStore) -> tuple[float, float, float, float]:
    """Whole history and one goods' last 12 weeks, from the weekly aggregates; the same two
    from every offer (how trends were computed before the aggregates) as the baseline."""
    since = (START + timedelta(days=DAYS - 84)).date()
    whole_query = TrendQuery(interval="week")
    recent_query = TrendQuery(interval="week", goods=["account"], since=since)
    whole = timed(lambda: store.trend(whole_query))
    recent = timed(lambda: store.trend(recent_query))
    whole_raw = timed(lambda: store.trend_from_offers(whole_query))
    by_goods = timed(lambda: store.trend(TrendQuery(interval="week", by="goods")))
    return whole, recent, whole_raw, by_goods


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000, help="the smaller trend store")
    parser.add_argument("--dir", help="where to build the stores (default: a temp folder)")
    args = parser.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="heishi-bench-"))
    folder.mkdir(parents=True, exist_ok=True)

    print(f"generating {args.offers:,} offers in {args.offers // OFFERS_PER_POST:,} posts …")
    posts, items = generate(args.offers)
    rows = bare_rows(posts, items)

    results = {}
    index_tokens("预热 warm-up")  # load the segmenter's dictionary before timing anything
    step = max(1, args.offers // args.small)
    for label, some_posts, some_items in (("small", posts[::step], items[::step]),
                                          ("full", posts, items)):
        # the small store samples the same two years, so both answer the same questions
        path = folder / f"{label}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        with SQLiteStore(path) as store:
            started = time.perf_counter()
            for start in range(0, len(some_posts), 5000):
                store.upsert_posts(some_posts[start : start + 5000])
            post_seconds = time.perf_counter() - started
            started = time.perf_counter()
            store.put_extractions(some_items)
            store.refresh_aggregates()  # what readers of the weeks just written would wait for
            load_seconds = time.perf_counter() - started
            loaded = store.stats()["offers"]
            results[label] = (loaded, post_seconds, load_seconds, *trend_times(store))
        n_posts = len(some_posts)
        print(f"{label}: {n_posts:,} posts stored in {post_seconds:.1f}s "
              f"({n_posts / post_seconds:,.0f} posts/s, tokenised and full-text indexed); "
              f"{loaded:,} offers in {load_seconds:.1f}s ({loaded / load_seconds:,.0f}/s)")

    loaded, load_seconds = results["full"][0], results["full"][2]
    store_rate = loaded / load_seconds
    bare_same = bare_load(folder / "bare-indexed.db", rows[:loaded], indexes=True)
    bare_plain = bare_load(folder / "bare-plain.db", rows[:loaded], indexes=False)
    print()
    print(f"bulk load, {loaded:,} offers:")
    print(f"  through the store (put_extractions)     {store_rate:>12,.0f} offers/s")
    print(f"  bare executemany, same table + indexes  {loaded / bare_same:>12,.0f} offers/s  "
          f"ratio {store_rate / (loaded / bare_same):.2f} (target ≥ 0.5)")
    print(f"  bare executemany, table without indexes {loaded / bare_plain:>12,.0f} offers/s  "
          f"ratio {store_rate / (loaded / bare_plain):.2f}")
    print()
    print("weekly trend (best of 3):       "
          f"{results['small'][0]:>10,} offers  {results['full'][0]:>10,} offers   ratio")
    for name, index in (("whole history", 3), ("account, last 12 weeks", 4),
                        ("by goods, whole history", 6),
                        ("whole history, every offer", 5)):
        small, full = results["small"][index], results["full"][index]
        print(f"  {name:<28} {small * 1000:>10.1f} ms  {full * 1000:>10.1f} ms  "
              f"{full / small:>6.1f}x")
    whole_small, whole_full = results["small"][3], results["full"][3]
    print(f"\nwhole-history weekly trend from the aggregates at {results['full'][0]:,} offers: "
          f"{whole_full * 1000:.1f} ms (target < 200 ms), {whole_full / whole_small:.1f}x its "
          f"time at {results['small'][0]:,} (target ≤ 3x); {results['full'][5] / whole_full:.0f}x "
          "faster than reading every offer")
    print(f"\n(data size ratio {results['full'][0] / results['small'][0]:.0f}x; stores in "
          f"{folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
