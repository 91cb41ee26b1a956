"""``heishi trend`` compares like with like, and its plots span the data, not years."""

from __future__ import annotations

import json
from datetime import date

import pytest

from index import Post, open_store
from ops.cli import main
from ops.commands.trend import fit_time_axis


def rental(price, unit):
    return {"goods": "account_rental", "platform": "qq", "side": "sell", "price": price,
            "price_max": None, "currency": "CNY", "per_qty": 1, "unit": unit, "min_qty": None}


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    path = tmp_path / "h.db"
    with open_store(str(path)) as s:  # the demo's old mix: 50 a day and 750 a month, 4 days
        posts = [Post(source="tg", key=str(i), text=f"QQ号出租 {i}",
                      posted_at=f"2026-11-{18 + i}T10:00:00+00:00") for i in range(4)]
        s.upsert_posts(posts)
        s.put_extractions((p.id, {"is_listing": True, "offers": [rental(50, "day"),
                                                                   rental(750, "month")],
                                  "contacts": [{"type": "qq", "value": str(i)}]}, "t")
                          for i, p in enumerate(posts))
    return str(path)


def test_day_and_month_rentals_are_never_in_one_median(store, capsys):
    assert main(["trend", "--store", store, "--goods", "account_rental", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["period"], r["unit"], r["price_median"]) for r in rows] == [
        ("2026-W47", "day", 50), ("2026-W47", "month", 750)]
    assert main(["trend", "--store", store, "--unit", "month", "--json"]) == 0
    assert [json.loads(x)["unit"] for x in capsys.readouterr().out.splitlines()] == ["month"]


def test_plot_has_a_panel_per_unit(store, tmp_path):
    target = tmp_path / "t.png"
    assert main(["trend", "--store", store, "--interval", "day", "--plot", str(target)]) == 0
    assert target.read_bytes().startswith(b"\x89PNG")


def test_time_axis_fits_the_data():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots()
    try:
        axis.plot([date(2026, 11, 18)], [1])
        fit_time_axis(axis, [date(2026, 11, 18)])
        low, high = (mdates.num2date(x).date() for x in axis.get_xlim())
        assert (high - low).days <= 8  # a single point: a week, not matplotlib's four years
        fit_time_axis(axis, [date(2026, 7, 6), date(2026, 11, 16)])
        low, high = (mdates.num2date(x).date() for x in axis.get_xlim())
        assert date(2026, 6, 25) < low <= date(2026, 7, 6)
        assert date(2026, 11, 16) < high < date(2026, 11, 30)
    finally:
        plt.close(figure)
