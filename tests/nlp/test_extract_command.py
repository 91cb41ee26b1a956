"""``heishi extract`` and ``heishi eval`` through the real CLI entry point."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ops.cli import main

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DEV = SHARED / "data" / "dev_posts.jsonl"
EXTRA = Path(__file__).resolve().parent / "data" / "extra_posts.jsonl"


def write_lines(path: Path, rows: list) -> Path:
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows
        ),
        encoding="utf-8",
    )
    return path


def test_extract_file_passes_fields_through(tmp_path, capsys):
    posts = write_lines(
        tmp_path / "posts.jsonl",
        [
            {
                "id": "a1",
                "text": "出QQ老号 9元一个",
                "source": "tg:shop",
                "posted_at": "2026-11-01",
            },
            {"id": "a2", "text": "早上好"},
        ],
    )
    assert main(["extract", str(posts)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["id"] for row in out] == ["a1", "a2"]
    assert out[0]["source"] == "tg:shop" and out[0]["posted_at"] == "2026-11-01"
    assert out[0]["is_listing"] is True and out[0]["offers"][0]["platform"] == "qq"
    assert out[1] == {
        "id": "a2",
        "text": "早上好",
        "is_listing": False,
        "offers": [],
        "contacts": [],
    }


def test_extract_reads_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO('{"id": 1, "text": "收白卡 8元一张"}\n'))
    assert main(["extract"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["offers"][0]["side"] == "buy"


def test_bad_line_names_file_and_line_after_earlier_lines(tmp_path, capsys):
    posts = write_lines(
        tmp_path / "posts.jsonl",
        [{"id": "ok", "text": "出微信号 300一个"}, "", '{"id": "bad", "text": '],
    )
    assert main(["extract", str(posts)]) != 0
    captured = capsys.readouterr()
    assert json.loads(captured.out.splitlines()[0])["id"] == "ok"
    assert f"{posts}:3:" in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(
    ("line", "message"),
    [('["not", "an", "object"]', "JSON object"), ('{"id": "x"}', '"text"')],
)
def test_wrong_record_shape(tmp_path, capsys, line, message):
    posts = write_lines(tmp_path / "posts.jsonl", [line])
    assert main(["extract", str(posts)]) != 0
    assert message in capsys.readouterr().err


def test_extract_with_page_context(tmp_path, capsys):
    """--context applies to every post; a post's own context field wins."""
    posts = write_lines(
        tmp_path / "posts.jsonl",
        [
            {"id": "r1", "text": "微信 3.6元 库存3641"},
            {"id": "r2", "text": "微信 3.6元 库存3641", "context": "微信号批发"},
            {"id": "r3", "text": "大家早"},
        ],
    )
    assert main(["extract", "--context", "接码平台 项目价格表", str(posts)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["goods"] for row in out for o in row["offers"]] == ["sms_code", "account"]
    assert out[1]["context"] == "微信号批发" and out[2]["is_listing"] is False


def test_context_field_must_be_text(tmp_path, capsys):
    posts = write_lines(tmp_path / "posts.jsonl", [{"id": "c", "text": "微信 3元", "context": 7}])
    assert main(["extract", str(posts)]) != 0
    err = capsys.readouterr().err
    assert f"{posts}:1:" in err and "context" in err and "Traceback" not in err


def test_missing_file(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope.jsonl")]) != 0
    assert "nope.jsonl" in capsys.readouterr().err


def test_eval_on_own_labelled_posts(capsys):
    scorer = SHARED / "eval" / "score_offers.py"
    if not scorer.is_file():
        pytest.skip(f"shared scorer not present at {scorer}")
    assert main(["eval", str(EXTRA), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["posts"] == sum(1 for _ in EXTRA.open(encoding="utf-8"))
    assert figures["offer_f1"] >= 0.95
    assert figures["listing_accuracy"] >= 0.97


def test_eval_on_dev_set(capsys):
    if not DEV.is_file():
        pytest.skip(f"shared dev set not present at {DEV}")
    assert main(["eval", str(DEV), "--errors", "3"]) == 0
    out = capsys.readouterr().out
    figures = dict(
        line.split(": ", 1)
        for line in out.splitlines()
        if ": " in line and not line.startswith(("---", "  "))
    )
    assert float(figures["offer_f1"]) >= 0.95
    assert float(figures["listing_accuracy"]) >= 0.97


def test_eval_with_a_missing_scorer(tmp_path, capsys):
    assert main(["eval", str(EXTRA), "--scorer", str(tmp_path / "none.py")]) != 0
    assert "scorer not found" in capsys.readouterr().err


def test_byte_order_mark_is_not_an_error(tmp_path, capsys):
    posts = tmp_path / "bom.jsonl"
    posts.write_bytes('\ufeff{"id": "b1", "text": "出QQ号 5元一个"}\n'.encode())
    assert main(["extract", str(posts)]) == 0
    assert json.loads(capsys.readouterr().out)["offers"][0]["price"] == 5


def test_eval_names_the_gold_line_without_an_id(tmp_path, capsys):
    if not (SHARED / "eval" / "score_offers.py").is_file():
        pytest.skip("shared scorer not present")
    gold = write_lines(
        tmp_path / "gold.jsonl", [{"id": "a", "text": "早"}, {"text": "出QQ号 5元一个"}]
    )
    assert main(["eval", str(gold)]) != 0
    assert f"{gold}:2:" in capsys.readouterr().err
