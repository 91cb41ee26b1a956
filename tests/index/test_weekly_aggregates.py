"""Weekly aggregates: trends read them, and they always agree with the offers they sum up."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from index import Post, StoreError
from index.query import TrendQuery
from index.sqlite import SQLiteStore

UNITS = [("item", 1), ("day", 1), ("month", 1)]


def make_offer(rng, goods, unit):
    return {"goods": goods, "platform": rng.choice(["wechat", "qq", None]),
            "side": rng.choice(["sell", "sell", "buy"]),
            "price": round(rng.lognormvariate(3, 1), 2) if rng.random() < 0.9 else None,
            "price_max": None, "currency": rng.choice(["CNY", "CNY", "USDT"]),
            "per_qty": rng.choice([1, 1, 10]), "unit": unit, "min_qty": None}


@pytest.fixture
def store(tmp_path):
    rng = random.Random(11)
    start = datetime(2026, 8, 3, tzinfo=UTC)  # a Monday
    with SQLiteStore(tmp_path / "h.db") as store:
        posts, items = [], []
        for i in range(600):
            moment = start + timedelta(hours=rng.randrange(12 * 7 * 24))
            post = Post(source=rng.choice(["tg", "forum"]), key=str(i), text=f"post {i}",
                        posted_at=moment.isoformat())
            posts.append(post)
            goods = rng.choice(["account", "account_rental", "sms_code"])
            offers = [make_offer(rng, goods, rng.choice(["item", "day", "month"]))
                      for _ in range(rng.randint(1, 3))]
            items.append((post.id, {"is_listing": True, "offers": offers, "contacts": [
                {"type": "qq", "value": str(rng.randrange(40))}]}, "t1"))
        store.upsert_posts(posts)
        store.put_extractions(items)
        yield store, posts, rng


QUERIES = [
    TrendQuery(interval="week"),
    TrendQuery(interval="week", by="goods"),
    TrendQuery(interval="week", by="platform", side=["sell"]),
    TrendQuery(interval="week", by="source", goods=["account_rental"], unit=["day", "month"]),
    TrendQuery(interval="week", platform=["none"], currency=["USDT"]),
    TrendQuery(interval="week", since="2026-08-17", until="2026-09-20"),
    TrendQuery(interval="week", goods=["account"], unit=["item"]),
    TrendQuery(interval="week", by="side", side=["buy"]),
    TrendQuery(interval="week", by="currency", goods=["account", "sms_code"]),
]


def same_rows(store, query):
    fast, slow = store.trend(query), store.trend_from_offers(query)
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow, strict=True):
        assert a.keys() == b.keys()
        for name in a:
            if isinstance(a[name], float):
                assert a[name] == pytest.approx(b[name]), (name, a, b)
            else:
                assert a[name] == b[name], (name, a, b)
    return fast


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_aggregates_give_the_figures_of_every_offer(store, query):
    rows = same_rows(store[0], query)
    assert rows


def test_units_are_never_mixed(store):
    rows = store[0].trend(TrendQuery(interval="week", goods=["account_rental"]))
    keys = [(r["period"], r["unit"], r["currency"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert {r["unit"] for r in rows} == {"item", "day", "month"}


def test_aggregates_follow_reextraction_and_edits(store):
    store, posts, rng = store
    # re-extraction replaces offers: half the posts get other goods, units and prices
    changed = [(p.id, {"is_listing": True, "offers": [make_offer(rng, "sim_card", "week")],
                       "contacts": [{"type": "qq", "value": "1"}]}, "t2") for p in posts[::2]]
    store.put_extractions(changed)
    # an edited post moves to another week: its offers move with it
    store.upsert_posts([Post(source=posts[1].source, key=posts[1].key, text="edited",
                             posted_at="2026-10-30T10:00:00")])
    # a post whose offers all disappear
    store.put_extractions([(posts[3].id, {"is_listing": False, "offers": [], "contacts": []},
                            "t2")])
    for query in QUERIES:
        same_rows(store, query)
    assert any(r["unit"] == "week" for r in store.trend(TrendQuery(goods=["sim_card"])))


def test_a_store_without_aggregates_is_upgraded(tmp_path, store):
    """An older store gets its aggregates filled from the offers when it is opened."""
    path = store[0].path
    store[0].close()
    db = sqlite3.connect(path)
    db.execute("DELETE FROM offer_weeks")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    from index.sqlite import MIGRATIONS
    from index.sqlite_weeks import MIGRATION
    step = MIGRATIONS.index(MIGRATION)
    db.execute("DROP TABLE offer_weeks")
    db.execute("DROP TABLE offer_rollups")
    db.execute("DROP INDEX offers_seller_day")
    db.execute("DROP INDEX posts_first_seen")
    assert version >= step + 1
    # later migrations (other features) are replayed too; they are idempotent on a copy only
    # when they are ours, so re-run ours alone by setting the version just below it
    db.execute(f"PRAGMA user_version = {step}")
    db.commit()
    db.close()
    try:
        reopened = SQLiteStore(path)
    except StoreError as exc:  # a later migration that cannot run twice
        if "already exists" not in str(exc):
            raise
        pytest.skip("later migrations exist; they cannot be replayed on an upgraded store")
    with reopened:
        for query in QUERIES:
            same_rows(reopened, query)


def test_generic_readers_agree_with_sqlite(store):
    """The Store's generic digest readers (what Elasticsearch uses) give SQLite's answers."""
    from datetime import date

    import numpy as np

    from index.query import Filters
    from index.store import Store

    s = store[0]
    for filters in (Filters(side=["sell"]), Filters(goods=["account"], until="2026-09-06")):
        fast, slow = s.weekly_items(filters), Store.weekly_items(s, filters)
        assert [(i["week"], i["goods"], i["platform"], i["side"], i["unit"], i["currency"],
                 i["offers"], i["sellers"]) for i in fast] == \
               [(i["week"], i["goods"], i["platform"], i["side"], i["unit"], i["currency"],
                 i["offers"], i["sellers"]) for i in slow]
        for a, b in zip(fast, slow, strict=True):
            assert np.allclose(a["prices"], b["prices"])
    since, until = date(2026, 9, 7), date(2026, 9, 13)
    assert s.seller_activity(since, until) == Store.seller_activity(s, since, until)
    assert s.source_activity(since, until) == Store.source_activity(s, since, until)
    new = list(s.posts_stored_since(None))
    generic = {p["id"]: p for p in Store.posts_stored_since(s, None)}
    assert len(new) == len(generic) == 600
    for post in new:
        assert len(post["offers"]) == len(generic[post["id"]]["offers"])
