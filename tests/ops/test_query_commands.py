"""``heishi stats / search / trend / seller`` through the real CLI entry point and store."""

from __future__ import annotations

import csv
import io
import json

import pytest

from index import Post, open_store
from ops.cli import main


def offer(goods, platform, price, per_qty=1):
    return {"goods": goods, "platform": platform, "side": "sell", "price": price,
            "price_max": None, "currency": "CNY", "per_qty": per_qty, "unit": "item",
            "min_qty": None}


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    monkeypatch.setenv("HEISHI_ANALYST", "Li Wei")
    monkeypatch.delenv("HEISHI_STORE", raising=False)
    path = tmp_path / "heishi.db"
    rows = [
        ("1", "出微信老号 400一个 Q 2049385761", "2026-11-02T10:00:00+00:00",
         [offer("account", "wechat", 400)], [("qq", "2049385761")]),
        ("2", "出微信老号 带圈 380", "2026-11-03T10:00:00+00:00",
         [offer("account", "wechat", 380)], [("qq", "2049385761")]),
        ("3", "接码 探探1.2元 飞机 @codeking", "2026-11-10T10:00:00+00:00",
         [offer("sms_code", "tantan", 1.2)], [("telegram", "codeking")]),
    ]
    with open_store(str(path)) as store:
        stored = [Post(source="tg", key=k, text=t, posted_at=at) for k, t, at, _, _ in rows]
        store.upsert_posts(stored)
        store.put_extractions(
            (p.id, {"is_listing": True, "offers": offers,
                    "contacts": [{"type": a, "value": b} for a, b in contacts]}, "t1")
            for p, (_, _, _, offers, contacts) in zip(stored, rows, strict=True))
    return str(path)


def audit_lines(tmp_path):
    path = tmp_path / "audit.log"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_stats_table_and_json(store_path, capsys):
    assert main(["stats", "--store", store_path]) == 0
    table = capsys.readouterr().out
    assert "tg" in table and "all" in table
    assert main(["stats", "--store", store_path, "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["posts"], stats["offers"], stats["sellers"]) == (3, 3, 2)


def test_search_json_lines_are_posts_and_audited(store_path, capsys, tmp_path):
    assert main(["search", "微信老号", "--store", store_path, "--json"]) == 0
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [h["key"] for h in hits] == ["2", "1"]
    assert all(h["id"] and h["offers"][0]["goods"] == "account" for h in hits)
    entry = audit_lines(tmp_path)[-1]
    assert entry["command"] == "search" and entry["rows"] == 2
    assert entry["query"]["text"] == "微信老号" and entry["output"] == "stdout"
    assert entry["analyst"] == "Li Wei" and "Li Wei" in entry["who"]


def test_search_filters_from_options(store_path, capsys):
    assert main(["search", "--store", store_path, "--goods", "sms_code", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["contacts"] for r in rows] == ["telegram:codeking"]
    assert main(["search", "--store", store_path, "--price", "390-", "--since", "2026-11-01",
                 "--json"]) == 0
    assert [json.loads(x)["key"] for x in capsys.readouterr().out.splitlines()] == ["1"]


def test_search_table_is_not_an_export(store_path, capsys, tmp_path):
    assert main(["search", "老号", "--store", store_path, "--facets", "goods"]) == 0
    out = capsys.readouterr().out
    assert "2 posts" in out and "posts by goods" in out
    assert audit_lines(tmp_path) == []


def test_trend_csv_and_plot(store_path, capsys, tmp_path):
    plot = tmp_path / "plots" / "trend.png"
    assert main(["trend", "--store", store_path, "--goods", "account", "--interval", "week",
                 "--csv", "--plot", str(plot)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["period"], r["offers"], r["price_median"]) for r in rows] == [("2026-W45", "2",
                                                                              "390")]
    assert plot.read_bytes().startswith(b"\x89PNG")
    assert [e["output"] for e in audit_lines(tmp_path)] == ["stdout", str(plot)]


def test_trend_json_by_goods(store_path, capsys):
    assert main(["trend", "--store", store_path, "--by", "goods", "--json"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["period"], r["goods"], r["offers"]) for r in rows] == [
        ("2026-W45", "account", 2), ("2026-W46", "sms_code", 1)]


def test_seller_by_every_spelling(store_path, capsys):
    for spelling in ("qq:2049385761", "2049385761"):
        assert main(["seller", spelling, "--store", store_path, "--json"]) == 0
        seller = json.loads(capsys.readouterr().out)
        assert seller["posts"] == 2 and seller["goods"] == {"account": 2}
    assert main(["seller", "@codeking", "--store", store_path]) == 0
    assert "sms_code" in capsys.readouterr().out
    assert main(["seller", "wechat:nobody", "--store", store_path]) == 1
    assert "no contact" in capsys.readouterr().err


def test_user_errors_are_one_line(store_path, capsys, tmp_path):
    assert main(["search", "--store", store_path, "--goods", "acount"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("heishi search: error: goods: unknown 'acount'")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["trend", "--store", store_path, "--since", "2026-13-01"]) == 2
    assert "since" in capsys.readouterr().err
    assert main(["stats", "--store", str(tmp_path / "none.db")]) == 2
    assert "no store there" in capsys.readouterr().err
    bad = tmp_path / "bad.db"
    bad.write_text("hello" * 500)
    assert main(["search", "x", "--store", str(bad)]) == 2
    assert "corrupt" in capsys.readouterr().err


def test_export_refused_when_audit_log_cannot_be_written(store_path, capsys, tmp_path,
                                                         monkeypatch):
    (tmp_path / "blocker").write_text("a file where a folder should be")
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "blocker" / "audit.log"))
    assert main(["search", "--store", store_path, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "audit log" in captured.err


def test_output_file_is_an_audited_export(store_path, capsys, tmp_path):
    target = tmp_path / "out" / "hits.csv"
    assert main(["search", "老号", "--store", store_path, "--csv", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 2 and rows[0]["text"].startswith("出微信老号")
    assert audit_lines(tmp_path)[-1]["output"] == str(target)
    assert main(["trend", "--store", store_path, "--plot", str(tmp_path / "t.txt")]) == 2
    assert ".png" in capsys.readouterr().err
