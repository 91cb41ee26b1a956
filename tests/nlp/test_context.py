"""``extract(text, context=...)``: where a post was found fills in what its rows leave unsaid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp import extract

EXTRA = Path(__file__).resolve().parent / "data" / "extra_posts.jsonl"
CODE_PAGE = "接码平台 项目价格表"


def offers(text: str, context: str | None) -> list[tuple]:
    return [
        (o["goods"], o["platform"], o["side"], o["price"], o["unit"], o["currency"])
        for o in extract(text, context=context)["offers"]
    ]


def test_code_platform_page_makes_a_platform_row_a_code_price():
    row = "微信 3.6元 库存3641"
    assert offers(row, None) == [("account", "wechat", "sell", 3.6, "item", "CNY")]
    assert offers(row, CODE_PAGE) == [("sms_code", "wechat", "sell", 3.6, "item", "CNY")]


def test_page_currency_prices_rows_without_one():
    assert offers("Telegram 1.1\nGoogle 0.35", "海外接码 USDT报价") == [
        ("sms_code", "telegram", "sell", 1.1, "item", "USDT"),
        ("sms_code", "google", "sell", 0.35, "item", "USDT"),
    ]
    assert offers("Telegram 8元", "海外接码 USDT报价") == [
        ("sms_code", "telegram", "sell", 8, "item", "CNY")
    ]


def test_channel_title_gives_platform_and_side():
    assert offers("老号 两百一个", "高价收抖音号") == [
        ("account", "douyin", "buy", 200, "item", "CNY")
    ]
    assert offers("出 老号 两百一个", "高价收抖音号") == [
        ("account", "douyin", "sell", 200, "item", "CNY")
    ]


def test_goods_and_platform_the_post_names_win():
    assert offers("QQ号 9元一个", CODE_PAGE) == [("account", "qq", "sell", 9, "item", "CNY")]
    assert offers("出快递面单 0.5一条", "抖音号交易群") == [
        ("personal_data", None, "sell", 0.5, "item", "CNY")
    ]


@pytest.mark.parametrize("text", ["哈哈 666", "价格私聊", "今天来了3个人 都是买号的", "谁有货？"])
def test_context_alone_makes_no_offer(text):
    assert extract(text, context=CODE_PAGE) == extract(text)
    assert extract(text, context=CODE_PAGE)["offers"] == []


def test_context_never_changes_which_posts_are_listings():
    """Over every labelled post and a few kinds of page: the same verdict, and offers only
    where the post alone has some."""
    if not EXTRA.exists():
        pytest.skip(f"{EXTRA} missing")
    posts = [json.loads(line) for line in EXTRA.read_text(encoding="utf-8").splitlines()]
    for context in (CODE_PAGE, "高价收抖音号 USDT结算", "银行卡四件套交流群"):
        for post in posts:
            plain, placed = extract(post["text"]), extract(post["text"], context=context)
            assert placed["is_listing"] == plain["is_listing"], (context, post["id"])
            assert bool(placed["offers"]) == bool(plain["offers"]), (context, post["id"])


def test_context_must_be_text():
    with pytest.raises(TypeError):
        extract("微信 3.6元", context=b"\xe6\x8e\xa5")  # type: ignore[arg-type]
