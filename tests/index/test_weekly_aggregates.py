"""Weekly aggregates: trends read them, and they always agree with the offers they sum up."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from index import Post, StoreError, sqlite_weeks
from index.query import TrendQuery
from index.sqlite import SQLiteStore

UNITS = [("item", 1), ("day", 1), ("month", 1)]


def make_offer(rng, goods, unit):
    return {"goods": goods, "platform": rng.choice(["wechat", "qq", None]),
            "side": rng.choice(["sell", "sell", "buy"]),
            "price": round(rng.lognormvariate(3, 1), 2) if rng.random() < 0.9 else None,
            "price_max": None, "currency": rng.choice(["CNY", "CNY", "USDT"]),
            "per_qty": rng.choice([1, 1, 10]), "unit": unit, "min_qty": None}


def stale_weeks(store) -> set[int]:
    return {week for (week,) in store.db.execute("SELECT week FROM offer_weeks_stale")}


@pytest.fixture(params=["refreshed", "stale", "partly stale"])
def store(tmp_path, monkeypatch, request):
    """600 posts over twelve weeks whose aggregates are all up to date, all waiting for
    their refresh, or up to date but for the weeks of posts re-extracted since (their
    aggregates are out of date: a reader that used them would give wrong figures)."""
    monkeypatch.setattr(sqlite_weeks, "REFRESH_AFTER", 3600.0 if request.param == "stale" else 0.0)
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
        assert bool(stale_weeks(store)) == (request.param == "stale")
        if request.param == "partly stale":
            monkeypatch.setattr(sqlite_weeks, "REFRESH_AFTER", 3600.0)
            store.put_extractions([
                (post.id, {"is_listing": True, "offers": [make_offer(rng, "account", "item")],
                           "contacts": [{"type": "qq", "value": "7"}]}, "t1")
                for post in posts[::97]])
            assert 0 < len(stale_weeks(store)) < 12
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


def test_a_write_leaves_the_weeks_stale_and_a_later_one_refreshes_them(tmp_path, monkeypatch):
    """Within REFRESH_AFTER of a change the week waits (the write's cost does not grow with
    the offers already stored); the first write after it recomputes the week."""
    monkeypatch.setattr(sqlite_weeks, "REFRESH_AFTER", 3600.0)
    with SQLiteStore(tmp_path / "h.db") as store:
        post = Post(source="tg", key="1", text="出微信号", posted_at="2026-08-05T10:00:00")
        store.upsert_posts([post])
        offer = {"goods": "account", "platform": "wechat", "side": "sell", "price": 30.0,
                 "price_max": None, "currency": "CNY", "per_qty": 1, "unit": "item",
                 "min_qty": None}
        store.put_extractions([(post.id, {"offers": [offer], "contacts": []}, "t1")])
        monday = (datetime(2026, 8, 3).date() - datetime(1970, 1, 1).date()).days
        assert stale_weeks(store) == {monday}
        assert store.db.execute("SELECT count(*) FROM offer_rollups").fetchone()[0] == 0
        assert store.trend(TrendQuery(interval="week"))[0]["price_median"] == 30.0
        monkeypatch.setattr(sqlite_weeks, "REFRESH_AFTER", 0.0)
        store.upsert_posts([Post(source="tg", key="2", text="收QQ号")])  # any later write
        assert stale_weeks(store) == set()
        assert store.db.execute(
            "SELECT p50 FROM offer_rollups WHERE dim = 'all'").fetchall() == [(30.0,)]


def test_closing_a_store_that_wrote_refreshes_every_stale_week(store, monkeypatch):
    s = store[0]
    weeks = stale_weeks(s)
    s.close()
    with SQLiteStore(s.path, readonly=True) as reopened:
        assert stale_weeks(reopened) == set()
        for query in QUERIES:
            same_rows(reopened, query)
        if weeks:  # now read from the aggregates, which hold the weeks' offers
            assert reopened.db.execute(
                "SELECT count(DISTINCT week) FROM offer_rollups").fetchone()[0] == 12


def test_readers_take_stale_weeks_from_the_offers(store):
    """The digest's reader too: stale weeks merged from the offers, in week order."""
    from index.query import Filters
    from index.store import Store

    s = store[0]

    def rows(items):
        return sorted((i["week"], i["goods"], i["platform"], i["side"], i["unit"],
                       i["currency"], i["offers"], i["sellers"], tuple(i["prices"]))
                      for i in items)

    for filters in (Filters(), Filters(since="2026-08-10", until="2026-09-27")):
        fast = s.weekly_items(filters)
        assert rows(fast) == rows(Store.weekly_items(s, filters))
        assert [i["start"] for i in fast] == sorted(i["start"] for i in fast)
