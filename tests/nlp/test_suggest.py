"""New-jargon ranking, and the ``heishi lexicon suggest`` command over files and a store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from index import open_store
from index.records import Post
from nlp.lexicon import load_lexicon
from nlp.suggest import suggest_terms
from ops.cli import main

# A week of a data-and-codes channel: two coinages (野卡 for SMS-code SIMs, 洗料 for
# re-washed personal data), known goods, chatter that repeats common words, a sample record.
MARKET = [
    "野卡 0.5一条，探探陌陌都能接 V：katou_01",
    "出野卡，1元一个，接码稳定，量大从优",
    "新到野卡 100个起，0.8/个，电信移动都有",
    "新到一批洗料，200一千条，四要素齐全",
    "洗料 0.3一条 1w条起 公民信息 Q 2049385761",
    "高价收洗料，贷款数据优先，0.5一条",
    "今天风声紧，大家低调点，别在群里发太明显的",
    "今天群里好安静，老板们都去哪了",
    "今天下班了，明天继续",
    "样料：\n欧阳娜娜 13912345678 北京市朝阳区\n公民数据 0.8一条 企鹅 3048576612",
    "样料：\n欧阳娜娜 15800001111 深圳市南山区\n四要素 1元一条 V：sys_data1",
]


def terms(found) -> list[str]:
    return [s.term for s in found]


def test_coinages_near_prices_and_goods_rank_first():
    found = suggest_terms(MARKET, top=5)
    assert set(terms(found)[:2]) == {"野卡", "洗料"}
    top = {s.term: s for s in found}
    assert top["野卡"].posts == 3 and top["洗料"].posts == 3
    assert "野卡" in top["野卡"].example
    assert "公民信息" in top["洗料"].seen_with or "四要素" in top["洗料"].seen_with


def test_common_words_lexicon_words_ids_and_victims_are_not_suggested():
    found = terms(suggest_terms(MARKET, top=50))
    assert "今天" not in found  # three posts, but chatter: no price, no goods beside it
    assert not set(found) & load_lexicon().words
    assert not any("katou" in t or "sys" in t for t in found)  # contact ids are masked
    assert "欧阳娜娜" not in found and "娜娜" not in found  # a victim in a sample record


def test_redaction_tokens_of_stored_posts_are_not_words():
    posts = [f"洗料 0.3一条 身份证 [ID:{n:010x}] 手机 [PHONE:{n:010x}]" for n in range(5)]
    found = terms(suggest_terms(posts, top=50))
    assert "洗料" in found
    assert not {"phone", "id"} & set(found)


def test_a_word_of_one_post_is_not_the_market_s():
    posts = ["蓝莓号 30一个 抖音", *MARKET]
    assert "蓝莓号" not in terms(suggest_terms(posts, top=50))
    assert "蓝莓号" in terms(suggest_terms(posts, top=50, min_posts=1))


def test_top_limits_and_order_is_by_score():
    found = suggest_terms(MARKET, top=3)
    assert len(found) <= 3
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


def test_no_posts_no_suggestions():
    assert suggest_terms([]) == []
    assert suggest_terms(["", "   ", "哈哈哈"]) == []


def test_streams_once_over_a_generator():
    found = suggest_terms((text for text in MARKET), top=2)
    assert set(terms(found)) == {"野卡", "洗料"}


# -- the command -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def audit_log(tmp_path, monkeypatch):
    path = tmp_path / "audit.log"
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(path))
    return path


def write_posts(path, texts):
    with open(path, "w", encoding="utf-8") as fh:
        for n, text in enumerate(texts):
            fh.write(json.dumps({"id": f"p{n}", "text": text}, ensure_ascii=False) + "\n")


def test_command_json_lines_from_a_file(tmp_path, capsys, audit_log):
    posts = tmp_path / "posts.jsonl"
    write_posts(posts, MARKET)
    assert main(["lexicon", "suggest", str(posts), "--top", "2", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["term"] for r in rows} == {"野卡", "洗料"}
    assert set(rows[0]) == {"term", "score", "posts", "example", "seen_with"}
    assert json.loads(audit_log.read_text())["command"] == "lexicon suggest"


def test_command_table_from_stdin(tmp_path, capsys, monkeypatch):
    posts = tmp_path / "posts.jsonl"
    write_posts(posts, MARKET)
    with open(posts, encoding="utf-8") as fh:
        monkeypatch.setattr("sys.stdin", fh)
        assert main(["lexicon", "suggest", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "野卡" in out and "洗料" in out and "seen_with" in out


def test_command_bad_line_names_file_and_line(tmp_path, capsys):
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"id": "a", "text": "野卡 0.5一条"}\n{"id": "b", "txt": 1}\n', "utf-8")
    assert main(["lexicon", "suggest", str(posts)]) == 2
    assert f'{posts}:2: missing "text"' in capsys.readouterr().err


def test_command_missing_file(tmp_path, capsys):
    assert main(["lexicon", "suggest", str(tmp_path / "nope.jsonl")]) == 2
    assert "nope.jsonl" in capsys.readouterr().err


def test_command_reads_recent_posts_from_the_store(tmp_path, capsys):
    location = str(tmp_path / "heishi.db")
    now = datetime.now(UTC)
    recent = (now - timedelta(days=1)).isoformat(timespec="seconds")
    old = (now - timedelta(days=40)).isoformat(timespec="seconds")
    posts = [
        Post(source="tg:demo", key=f"r{n}", text=text, posted_at=recent)
        for n, text in enumerate(MARKET)
    ]
    posts += [
        Post(source="tg:demo", key=f"o{n}", text=text, posted_at=old)
        for n, text in enumerate(
            ["老版料 0.2一条 公民信息", "出老版料，1元一个，四要素", "老版料 5毛一条"]
        )
    ]
    with open_store(location) as store:
        store.upsert_posts(posts)
    assert main(["lexicon", "suggest", "--store", location, "--days", "7", "--json"]) == 0
    recent_terms = {json.loads(line)["term"] for line in capsys.readouterr().out.splitlines()}
    assert {"野卡", "洗料"} <= recent_terms and "老版料" not in recent_terms
    assert main(["lexicon", "suggest", "--store", location, "--json"]) == 0
    all_terms = {json.loads(line)["term"] for line in capsys.readouterr().out.splitlines()}
    assert "老版料" in all_terms


def test_command_refuses_file_and_store_together(tmp_path, capsys):
    assert main(["lexicon", "suggest", "x.jsonl", "--days", "3"]) == 2
    assert "not both" in capsys.readouterr().err
