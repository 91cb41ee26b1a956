"""The digest's index arithmetic against examples worked out by hand (README, price index)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from index import Post, open_store
from ops.digest import DigestError, Rates, Settings, build
from ops.digest.method import MARKET, chain, elementary, jevons, without_outliers


def test_mad_removes_the_outlier_and_keeps_the_rest():
    # median 10, deviations 0,0,1,1,2,90 → MAD 1; limit 3 × 1.4826 = 4.45: 100 goes
    kept = without_outliers([10, 9, 11, 10, 12, 100, 8])
    assert kept.tolist() == [8, 9, 10, 10, 11, 12]
    assert without_outliers([5, 5, 5, 9]).tolist() == [5, 5, 5, 9]  # MAD 0: all stay
    item = elementary(("a", "qq", "item", "CNY"), 7, 4, [10, 9, 11, 10, 12, 100, 8], 1.0)
    assert (item.price, item.kept, item.outliers) == (10, 6, 1)
    assert (item.p25, item.p75) == (9.25, 10.75)


def test_jevons_is_the_geometric_mean_of_relatives():
    assert jevons([1.1, 0.9]) == pytest.approx(math.sqrt(0.99))
    assert jevons([]) is None


def basket(week_prices):
    """{week: {key: price}} → elementary items priced in CNY."""
    return {week: {key: elementary(key, 3, 3, [price], 1.0) for key, price in items.items()}
            for week, items in week_prices.items()}


A = ("account", "wechat", "item", "CNY")
B = ("account", "qq", "item", "CNY")
C = ("sms_code", "tantan", "item", "CNY")


def test_chained_index_with_items_entering_and_leaving():
    # W1: A 100, B 50.  W2: A 110, B 45, C 2 (C enters).  W3: A 121, C 2.2 (B leaves).
    weeks = ["W1", "W2", "W3"]
    chained = chain(weeks, basket({"W1": {A: 100, B: 50}, "W2": {A: 110, B: 45, C: 2},
                                   "W3": {A: 121, C: 2.2}}))
    market = chained.series[MARKET]
    assert market["W1"].index == 100
    # W2 links A and B only: sqrt(1.1 × 0.9) = 0.994987
    assert market["W2"].index == pytest.approx(100 * math.sqrt(1.1 * 0.9))
    assert market["W2"].items == 2
    # W3 links A (1.1) and C (1.1): the chain goes on although B left and C entered
    assert market["W3"].index == pytest.approx(100 * math.sqrt(0.99) * 1.1)
    account = chained.series["account"]
    assert account["W3"].index == pytest.approx(100 * math.sqrt(0.99) * 1.1)
    sms = chained.series["sms_code"]  # starts at 100 in its first week
    assert sms["W2"].index == 100 and sms["W3"].index == pytest.approx(110)


def test_a_week_without_common_items_carries_the_index():
    chained = chain(["W1", "W2", "W3"], basket({"W1": {A: 100}, "W2": {B: 7}, "W3": {B: 14}}))
    market = chained.series[MARKET]
    assert market["W2"].index == 100 and market["W2"].link is None
    assert market["W3"].index == pytest.approx(200)


def offer(goods, platform, price, currency="CNY", unit="item", side="sell"):
    return {"goods": goods, "platform": platform, "side": side, "price": price,
            "price_max": None, "currency": currency, "per_qty": 1, "unit": unit,
            "min_qty": None}


@pytest.fixture
def store(tmp_path):
    """Two weeks by hand. W45 (Nov 2-8) and W46 (Nov 9-15):

    - account/wechat: sellers 1-3 ask 100, 110, 120 then 110, 121, 132 (+10%), and a fourth
      seller's 900 in W46 is an outlier;
    - sms_code/tantan: one seller only: never in the basket;
    - insider_access/yto per day in USDT: 10, 10, 10 both weeks; the rate goes 7.0 → 7.7;
    - a buy offer of account/wechat at 1 never counts.
    """
    path = tmp_path / "h.db"
    rows = []
    for week, day, factor, extra in (("W45", "2026-11-03", 1.0, []),
                                     ("W46", "2026-11-10", 1.1, [("s4", 900)])):
        for n, (seller, price) in enumerate([("s1", 100), ("s2", 110), ("s3", 120), *extra]):
            p = price * factor if seller != "s4" else price
            rows.append((f"{week}a{n}", day, seller, [offer("account", "wechat", p)]))
            rows.append((f"{week}u{n}", day, seller,
                         [offer("insider_access", "yto", 10, "USDT", "day")]))
        rows.append((f"{week}s", day, "s9", [offer("sms_code", "tantan", 2)]))
        rows.append((f"{week}b", day, "s8", [offer("account", "wechat", 1, side="buy")]))
    with open_store(str(path)) as s:
        posts = [Post(source="tg", key=k, text=k, posted_at=f"{d}T10:00:00+00:00")
                 for k, d, _, _ in rows]
        s.upsert_posts(posts)
        s.put_extractions((p.id, {"is_listing": True, "offers": o,
                                  "contacts": [{"type": "qq", "value": seller}]}, "t")
                          for p, (_, _, seller, o) in zip(posts, rows, strict=True))
    return str(path)


def test_digest_figures_by_hand(store):
    rates = Rates()
    rates.weekly["USDT"] = {"2026-W45": 7.0, "2026-W46": 7.7}
    with open_store(store) as s:
        digest = build(s, date(2026, 11, 9), Settings(min_sellers=3, rates=rates))
    rows = {r.item.key: r for r in digest.rows}
    assert set(rows) == {("account", "wechat", "item", "CNY"),
                         ("insider_access", "yto", "day", "USDT")}
    account = rows[("account", "wechat", "item", "CNY")]
    # 110, 121, 132, 900: median 126.5, MAD 11 → limit 48.9: 900 is dropped, median 121
    assert (account.item.offers, account.item.sellers, account.item.kept) == (4, 4, 3)
    assert account.item.price == pytest.approx(121)
    assert account.relative == pytest.approx(1.1)
    usdt = rows[("insider_access", "yto", "day", "USDT")]
    assert usdt.item.price == 10  # in its own currency
    assert usdt.relative == pytest.approx(1.1)  # 77 CNY / 70 CNY
    assert digest.excluded == [{"key": ("sms_code", "tantan", "item", "CNY"), "sellers": 1,
                                "offers": 1}]
    assert digest.index().index == pytest.approx(110)  # sqrt(1.1 × 1.1) × 100
    assert digest.index("account").index == pytest.approx(110)
    assert [r.item.key[0] for r in digest.movers_up] == ["account", "insider_access"]
    assert [s["seller"] for s in digest.new_sellers] == ["qq:s4"]


def test_a_week_without_data_is_a_clear_error(store, tmp_path):
    with open_store(store) as s, pytest.raises(DigestError, match="no offers stored in week "
                                                 "2026-W30; offers are stored for 2026-W45"):
        build(s, date(2026, 7, 20), Settings())


def test_min_sellers_is_configurable(store):
    with open_store(store) as s:
        digest = build(s, date(2026, 11, 9), Settings(min_sellers=1))
    assert ("sms_code", "tantan", "item", "CNY") in {r.item.key for r in digest.rows}
    assert np.isclose(digest.index("sms_code").index, 100)
