"""The store contract: the same behaviour from every backend (``store`` fixture in conftest)."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, date, datetime, timedelta

import pytest

from index import CrawlRun, Post, StoreError, UpsertOutcome
from index.query import SearchQuery, TrendQuery


def post(key: str, text: str, *, source: str = "tg", fetched: str = "2026-11-01T08:00:00+00:00",
         **fields) -> Post:
    return Post(source=source, key=key, text=text, fetched_at=fetched, **fields)


# -- posts ------------------------------------------------------------------------------------


def test_new_then_seen_then_changed_keeps_versions(store):
    first = post("m1", "出微信老号 400一个", fetched="2026-11-01T08:00:00+00:00",
                 evidence_sha256="a" * 64)
    assert store.upsert_posts([first]) == [UpsertOutcome.NEW]
    again = post("m1", "出微信老号 400一个", fetched="2026-11-02T08:00:00+00:00")
    assert store.upsert_posts([again]) == [UpsertOutcome.SEEN]
    edited = post("m1", "出微信老号 350一个", fetched="2026-11-03T08:00:00+00:00",
                  evidence_sha256="b" * 64)
    assert store.upsert_posts([edited]) == [UpsertOutcome.CHANGED]
    store.flush()

    stored = store.get_post(first.id)
    assert stored["id"] == first.id
    assert stored["text"] == "出微信老号 350一个"
    assert stored["first_seen"] == "2026-11-01T08:00:00+00:00"
    assert stored["last_seen"] == "2026-11-03T08:00:00+00:00"
    assert stored["evidence_sha256"] == "b" * 64
    versions = store.post_versions(first.id)
    assert [v["text"] for v in versions] == ["出微信老号 400一个"]
    assert versions[0]["seen_at"] == "2026-11-02T08:00:00+00:00"
    assert versions[0]["evidence_sha256"] == "a" * 64


def test_same_post_twice_in_one_batch_is_stored_once(store):
    one = post("m1", "接码 1元")
    outcomes = store.upsert_posts([one, one, post("m2", "收码")])
    store.flush()
    assert outcomes == [UpsertOutcome.NEW, UpsertOutcome.SEEN, UpsertOutcome.NEW]
    assert len(list(store.iter_posts())) == 2
    assert store.stats()["posts"] == 2


def test_post_fields_and_extra_round_trip(store):
    full = post("m9", "出QQ号", url="https://t.me/market/9", channel="market", author="@bob",
                title="QQ号", price_text="5元", posted_at="2026-10-31T23:00:00+08:00",
                extra={"views": 120, "tags": ["qq"]})
    store.upsert_posts([full])
    store.flush()
    stored = store.get_post(full.id)
    for name in ("source", "key", "url", "channel", "author", "title", "price_text",
                 "posted_at", "fetched_at", "text"):
        assert stored[name] == getattr(full, name), name
    assert stored["extra"] == {"views": 120, "tags": ["qq"]}
    assert store.get_post("no-such-id") is None
    assert store.post_versions(full.id) == []


def test_last_seen_answers_only_stored_ids(store):
    a, b = post("a", "x", fetched="2026-11-01T00:00:00+00:00"), post("b", "y")
    store.upsert_posts([a, b])
    store.upsert_posts([post("a", "x", fetched="2026-11-05T00:00:00+00:00")])
    store.flush()
    seen = store.last_seen([a.id, "unknown", b.id])
    assert seen == {a.id: "2026-11-05T00:00:00+00:00", b.id: "2026-11-01T08:00:00+00:00"}
    assert store.last_seen([]) == {}


def test_iter_posts_by_source(store):
    store.upsert_posts([post(str(i), f"t{i}", source="tg" if i % 2 else "forum")
                        for i in range(7)])
    store.flush()
    assert len(list(store.iter_posts())) == 7
    assert {p["key"] for p in store.iter_posts("tg")} == {"1", "3", "5"}


# -- crawl runs ---------------------------------------------------------------------------


def test_runs_start_finish_latest_first(store):
    first = store.start_run(CrawlRun(source="tg", started_at="2026-11-01T00:00:00+00:00"))
    assert first.id is not None
    first.status, first.pages, first.posts_new, first.errors = "ok", 3, 10, ["page 2: 503"]
    first.finished_at = "2026-11-01T00:05:00+00:00"
    store.finish_run(first)
    second = store.start_run(CrawlRun(source="forum", started_at="2026-11-02T00:00:00+00:00"))
    store.flush()

    runs = store.runs()
    assert [r.id for r in runs] == [second.id, first.id]
    assert runs[1].status == "ok" and runs[1].pages == 3 and runs[1].posts_new == 10
    assert runs[1].errors == ["page 2: 503"]
    assert runs[0].status == "running"
    assert [r.source for r in store.runs(source="tg")] == ["tg"]
    assert len(store.runs(limit=1)) == 1


def test_stats_counts_per_source(store):
    store.upsert_posts([post("1", "a"), post("2", "b"), post("3", "c", source="forum")])
    store.start_run(CrawlRun(source="tg"))
    store.flush()
    stats = store.stats()
    assert stats["posts"] == 3 and stats["runs"] == 1
    assert stats["sources"]["tg"]["posts"] == 2
    assert stats["sources"]["forum"]["posts"] == 1
    assert stats["sources"]["tg"]["runs"] == 1


# -- extraction, offers, sellers -----------------------------------------------------------

def offer(goods, platform, price, *, side="sell", currency="CNY", per_qty=1, unit="item",
          price_max=None, min_qty=None):
    return {"goods": goods, "platform": platform, "side": side, "price": price,
            "price_max": price_max, "currency": currency, "per_qty": per_qty, "unit": unit,
            "min_qty": min_qty}


def extraction(*offers, contacts=(), is_listing=True):
    return {"is_listing": is_listing, "offers": list(offers),
            "contacts": [{"type": t, "value": v} for t, v in contacts]}


@pytest.fixture
def market(store):
    """A small market: four posts over two sources, two sellers, one post not a listing."""
    posts = {
        "wx": post("1", "出微信老号 400一个 量大可谈 Q 2049385761",
                   posted_at="2026-11-02T10:00:00+08:00"),
        "sms": post("2", "接码 探探1.2元 Soul1元 飞机 @codeking",
                    posted_at="2026-11-03T09:00:00+00:00"),
        "data": post("3", "四要素 1000条300 Q 2049385761", source="forum",
                     posted_at="2026-11-10T12:00:00+00:00"),
        "chat": post("4", "今天群里谁在 收不到码", posted_at="2026-11-11T12:00:00+00:00"),
    }
    store.upsert_posts(list(posts.values()))
    store.put_extractions([
        (posts["wx"].id, extraction(offer("account", "wechat", 400),
                                     contacts=[("qq", "2049385761")]), "t1"),
        (posts["sms"].id, extraction(offer("sms_code", "tantan", 1.2),
                                      offer("sms_code", "soul", 1),
                                      contacts=[("telegram", "codeking")]), "t1"),
        (posts["data"].id, extraction(offer("personal_data", None, 300, per_qty=1000),
                                       contacts=[("qq", "2049385761")]), "t1"),
        (posts["chat"].id, extraction(is_listing=False), "t1"),
    ])
    store.flush()
    return posts


def test_offers_carry_unit_price_post_time_and_seller(store, market):
    offers = {o["platform"]: o for o in store.iter_offers()}
    assert len(offers) == 4
    data = offers[None]
    assert data["unit_price"] == pytest.approx(0.3)
    assert data["per_qty"] == 1000 and data["price"] == 300
    assert data["post_id"] == market["data"].id and data["source"] == "forum"
    assert data["seller_key"] == "qq:2049385761"
    assert data["extractor_version"] == "t1"
    assert offers["wechat"]["posted_at"] == "2026-11-02T02:00:00+00:00"  # +08:00 → UTC
    assert store.get_post(market["chat"].id)["is_listing"] is False
    assert store.get_post(market["wx"].id)["is_listing"] is True


def test_put_extraction_replaces_the_posts_offers(store, market):
    store.put_extraction(market["sms"].id, extraction(offer("sms_code", "momo", 1.5),
                                                      contacts=[("qq", "777")]), "t2")
    store.flush()
    sms = [o for o in store.iter_offers() if o["post_id"] == market["sms"].id]
    assert [(o["platform"], o["extractor_version"]) for o in sms] == [("momo", "t2")]
    assert store.seller("@codeking") is None
    assert store.seller("qq:777")["posts"] == 1


def test_extraction_of_unknown_post_or_bad_offer_is_refused(store, market):
    with pytest.raises(StoreError, match="no post"):
        store.put_extraction("missing", extraction(offer("account", "qq", 5)), "t1")
    with pytest.raises(StoreError, match="contract"):
        store.put_extractions([
            (market["wx"].id, extraction(offer("account", "qq", 5)), "t9"),
            (market["sms"].id, {"offers": [{"platform": "qq", "price": 1}]}, "t9"),
        ])
    store.flush()
    # nothing of the refused batch is stored
    assert {o["extractor_version"] for o in store.iter_offers()} == {"t1"}


def test_sellers_across_posts_and_sources(store, market):
    seller = store.seller("qq:2049385761")
    assert seller["posts"] == 2 and seller["offers"] == 2
    assert seller["sources"] == {"forum": 1, "tg": 1}
    assert seller["goods"] == {"account": 1, "personal_data": 1}
    assert seller["first_posted"] == "2026-11-02T02:00:00+00:00"
    assert seller["last_posted"] == "2026-11-10T12:00:00+00:00"
    by_goods = {p["goods"]: p for p in seller["prices"]}
    assert by_goods["personal_data"]["median"] == pytest.approx(0.3)
    assert [p["id"] for p in seller["recent_posts"]] == [market["data"].id, market["wx"].id]
    # the same seller typed other ways
    assert store.seller("2049385761")["posts"] == 2
    assert store.seller("@codeking")["goods"] == {"sms_code": 2}
    assert store.seller("t.me/codeking")["posts"] == 1
    assert store.seller("wechat:2049385761") is None
    assert store.stats()["sellers"] == 2


# -- search --------------------------------------------------------------------------------

def ids(result):
    return [hit["id"] for hit in result.hits]


def test_search_chinese_text_matches_whole_words(store, market):
    assert ids(store.search(SearchQuery(text="接码"))) == [market["sms"].id]
    assert ids(store.search(SearchQuery(text="微信老号"))) == [market["wx"].id]
    assert ids(store.search(SearchQuery(text="四要素"))) == [market["data"].id]
    assert store.search(SearchQuery(text="老号 四要素")).total == 0  # every word must occur
    assert store.search(SearchQuery(text="银行卡")).total == 0


def test_search_filters_combine(store, market):
    everything = store.search(SearchQuery())
    assert everything.total == 4
    assert ids(everything) == [market[k].id for k in ("chat", "data", "sms", "wx")]  # newest 1st
    assert ids(store.search(SearchQuery(sort="oldest", limit=1))) == [market["wx"].id]
    assert ids(store.search(SearchQuery(goods=["sms_code"]))) == [market["sms"].id]
    assert ids(store.search(SearchQuery(platform=["none"]))) == [market["data"].id]
    assert ids(store.search(SearchQuery(source=["forum"]))) == [market["data"].id]
    assert set(ids(store.search(SearchQuery(seller=["qq:2049385761"])))) == {
        market["wx"].id, market["data"].id}
    assert ids(store.search(SearchQuery(since="2026-11-10", until="2026-11-10"))) == [
        market["data"].id]
    assert ids(store.search(SearchQuery(price_min=100, price_max=500))) == [market["wx"].id]
    # offer filters hold on one offer together: no tantan offer costs 1 or less
    assert store.search(SearchQuery(platform=["tantan"], price_max=1.0)).total == 0
    assert store.search(SearchQuery(platform=["soul"], price_max=1.0)).total == 1


def test_search_pages_and_hits_carry_offers(store, market):
    first = store.search(SearchQuery(limit=2))
    second = store.search(SearchQuery(limit=2, offset=2))
    assert first.total == second.total == 4
    assert len(set(ids(first)) | set(ids(second))) == 4
    hit = store.search(SearchQuery(text="接码")).hits[0]
    assert {o["platform"] for o in hit["offers"]} == {"tantan", "soul"}
    assert hit["contacts"] == [{"type": "telegram", "value": "codeking"}]
    assert hit["source"] == "tg" and hit["text"].startswith("接码")


def test_search_facets_count_matching_posts(store, market):
    result = store.search(SearchQuery(facets=["goods", "source", "seller", "platform"]))
    assert result.facets["goods"] == {"account": 1, "personal_data": 1, "sms_code": 1}
    assert result.facets["source"] == {"tg": 3, "forum": 1}
    assert result.facets["seller"] == {"qq:2049385761": 2, "telegram:codeking": 1}
    assert result.facets["platform"]["none"] == 1
    narrowed = store.search(SearchQuery(price_max=1.1, facets=["platform"]))
    assert narrowed.facets["platform"] == {"none": 1, "soul": 1}


def test_bad_queries_name_the_problem():
    with pytest.raises(StoreError, match="goods"):
        SearchQuery(goods=["acount"])
    with pytest.raises(StoreError, match="since"):
        SearchQuery(since="yesterday-ish")
    with pytest.raises(StoreError, match="upside down"):
        SearchQuery(price_min=5, price_max=1)
    with pytest.raises(StoreError, match="after until"):
        TrendQuery(since="2026-11-10", until="2026-11-01")
    with pytest.raises(StoreError, match="goodz"):
        SearchQuery.from_dict({"goodz": ["account"]})
    with pytest.raises(StoreError, match="interval"):
        TrendQuery(interval="fortnight")
    with pytest.raises(StoreError, match="facets"):
        SearchQuery(facets=["colour"])


# -- trend ---------------------------------------------------------------------------------

@pytest.fixture
def generated(store):
    """Random offers over ten weeks; the expected figures are computed here, not by a store."""
    rng = random.Random(7)
    start = datetime(2026, 9, 1, tzinfo=UTC)  # a Tuesday
    posts, items, truth = [], [], []
    for i in range(400):
        moment = start + timedelta(hours=rng.randrange(70 * 24))
        goods = rng.choice(["account", "sms_code", "personal_data"])
        price = round(rng.lognormvariate(3, 1), 2)
        per_qty = rng.choice([1, 1, 1, 10])
        currency = "USDT" if i % 9 == 0 else "CNY"
        seller = f"qq:{rng.randrange(30)}"
        p = post(f"g{i}", f"offer {i}", posted_at=moment.isoformat())
        posts.append(p)
        items.append((p.id, extraction(offer(goods, "qq", price, per_qty=per_qty,
                                             currency=currency),
                                       contacts=[("qq", seller[3:])]), "t1"))
        truth.append({"day": moment.date(), "goods": goods, "unit_price": price / per_qty,
                      "currency": currency, "seller": seller})
    store.upsert_posts(posts)
    store.put_extractions(items)
    store.flush()
    return truth


def expected_week(truth, goods=None):
    weeks = {}
    for t in truth:
        if goods and t["goods"] != goods:
            continue
        monday = t["day"] - timedelta(days=t["day"].weekday())
        weeks.setdefault(monday.isoformat(), []).append(t)
    return weeks


def quartile_tolerance(store) -> dict:
    """Exact everywhere but on an Elasticsearch server before 8.9, whose TDigest estimates
    even small samples (a documented limit: see README, Elasticsearch)."""
    if any(f.startswith("quartiles (server") for f in store.approximate_figures()):
        return {"rel": 0.1}
    return {}


def test_weekly_trend_figures_are_exact(store, generated):
    """One row per week and currency (all offers here are per item): never a mixed median."""
    rows = store.trend(TrendQuery(interval="week"))
    weeks = expected_week(generated)
    tolerance = quartile_tolerance(store)
    expected = sorted((start, t["currency"]) for start, group in weeks.items() for t in group)
    assert [(r["start"], r["currency"]) for r in rows] == sorted(set(expected))
    for row in rows:
        group = [t for t in weeks[row["start"]] if t["currency"] == row["currency"]]
        monday = date.fromisoformat(row["start"])
        assert monday.weekday() == 0
        assert row["period"] == f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
        assert row["unit"] == "item"
        assert row["offers"] == len(group)
        assert row["sellers"] == len({t["seller"] for t in group})
        prices = [t["unit_price"] for t in group]
        assert row["priced"] == len(prices)
        assert row["price_median"] == pytest.approx(statistics.median(prices), **tolerance)
        assert row["price_mean"] == pytest.approx(statistics.fmean(prices))
        if len(prices) > 1:
            p25, _, p75 = statistics.quantiles(prices, n=4, method="inclusive")
            assert row["price_p25"] == pytest.approx(p25, **tolerance)
            assert row["price_p75"] == pytest.approx(p75, **tolerance)


def test_trend_by_goods_and_filters(store, generated):
    rows = store.trend(TrendQuery(interval="month", by="goods", currency=["USDT"]))
    assert {r["goods"] for r in rows} <= {"account", "sms_code", "personal_data"}
    usdt = [t for t in generated if t["currency"] == "USDT"]
    assert sum(r["offers"] for r in rows) == len(usdt)
    assert all(r["currency"] == "USDT" for r in rows)
    september = [r for r in rows if r["period"] == "2026-09" and r["goods"] == "account"]
    expected = [t["unit_price"] for t in usdt
                if t["goods"] == "account" and t["day"].month == 9]
    if expected:
        assert september[0]["price_median"] == pytest.approx(statistics.median(expected))

    daily = store.trend(TrendQuery(interval="day", goods=["sms_code"], since="2026-09-10",
                                   until="2026-09-20"))
    expected_days = {t["day"].isoformat() for t in generated
                     if t["goods"] == "sms_code" and date(2026, 9, 10) <= t["day"]
                     <= date(2026, 9, 20)}
    assert {r["period"] for r in daily} == expected_days


def test_stats_after_extraction(store, market):
    stats = store.stats()
    assert (stats["posts"], stats["offers"], stats["sellers"]) == (4, 4, 2)
    assert stats["sources"]["forum"]["offers"] == 1
    assert stats["sources"]["tg"]["offers"] == 3
