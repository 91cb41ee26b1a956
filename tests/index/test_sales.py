"""Estimated sales from stock readings (Aubrey et al., NDSS 2020), on the embedded store."""

from __future__ import annotations

from index.sales import StockReading, estimate_sales
from index.sqlite import SQLiteStore


def reading(count, at, price=2.0, service="wb", country="3", source="codes"):
    return StockReading(source, service, country, count, at, price, "CNY", "wechat")


def test_falls_are_sales_restocks_are_not_and_the_earlier_price_counts():
    readings = [
        reading(100, "2026-11-02T10:00:00+00:00", price=2.0),
        reading(90, "2026-11-03T10:00:00+00:00", price=3.0),  # 10 sold at 2.0
        reading(150, "2026-11-04T10:00:00+00:00"),  # restocked: nothing sold
        reading(140, "2026-11-10T10:00:00+00:00"),  # next week: 10 sold at 2.0
        reading(50, "2026-11-02T12:00:00+00:00", country="6"),
        reading(45, "2026-11-03T12:00:00+00:00", country="6"),  # 5 sold at 2.0
    ]
    rows = estimate_sales(readings)
    assert [(r["period"], r["sold"], r["revenue"], r["countries"], r["intervals"])
            for r in rows] == [("2026-W45", 15, 30.0, 2, 3), ("2026-W46", 10, 20.0, 1, 1)]
    assert rows[0]["platform"] == "wechat" and rows[0]["currency"] == "CNY"
    assert estimate_sales(readings, since="2026-11-09") == [rows[1]]
    assert [r["period"] for r in estimate_sales(readings, "day")] == [
        "2026-11-03", "2026-11-04", "2026-11-10"]


def test_store_keeps_each_reading_once_and_reports_sales(tmp_path):
    with SQLiteStore(tmp_path / "h.db") as store:
        readings = [reading(100, "2026-11-02T10:00:00.250000+00:00"),
                    reading(96, "2026-11-02T10:00:00.750000+00:00")]  # same second: two
        assert store.add_stock_readings(readings) == 2
        assert store.add_stock_readings(readings) == 0
        (row,) = store.sales(source=["codes"])
        assert (row["sold"], row["revenue"]) == (4, 8.0)
        assert store.sales(source=["other"]) == []
