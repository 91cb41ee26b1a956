"""Listing or not: talk about the market is not an offer, even when it quotes prices."""

from __future__ import annotations

import pytest

from nlp import extract


@pytest.mark.parametrize(
    "text",
    [
        "晚上好各位老板",
        "这两天码特别难收，是不是平台出问题了？",
        "有人知道猫池怎么设置吗",
        "谁有靠谱的查档渠道，介绍一下呗？",
        "本群规定：不准发链接，违者移出",
        "平台今晚12点升级维护，暂停下单",
        "警惕！最近有人冒充管理员收押金",
        "曝光一个骗子，收了钱不发料",
        "据警方通报，该团伙以每条0.3元的价格出售公民信息",
        "记者调查发现，一张实名手机卡在网上被炒到200元",
        "法院审理查明，被告人以每个50元收购微信号",
        "上次买的QQ号20一个，第二天全封了",
        "听说现在白卡都涨到15一张了？",
        "谢谢老板，已收到",
        "",
        "   \n\t  ",
    ],
)
def test_not_a_listing(text):
    result = extract(text)
    assert result["is_listing"] is False
    assert result["offers"] == []


@pytest.mark.parametrize(
    "text",
    [
        "出微信老号，380一个，要的私聊",
        "收物联卡，25一张，有货的来？",  # a buyer's question mark does not make it talk
        "提醒：只走担保。QQ老号 10元一个",  # a priced offer survives a warning word
        "求购珍爱会员号，价格面议",
    ],
)
def test_listing(text):
    result = extract(text)
    assert result["is_listing"] is True
    assert result["offers"]


def test_report_word_inside_a_price_list_heading_is_not_news():
    result = extract("接码今日报价：\n微信 3.6\nQQ 1.1")
    assert result["is_listing"] is True
    assert len(result["offers"]) == 2


def test_black_market_report_without_a_reporter():
    assert extract("一个实名微信号在黑市售价约300元")["is_listing"] is False


def test_question_word_without_question_mark():
    assert extract("你们的料子都是哪里收的")["is_listing"] is False


def test_seller_asking_who_wants_it_is_a_listing():
    result = extract("陌陌号 18 一个 有人要吗")
    assert result["is_listing"] is True
    assert result["offers"][0]["price"] == 18


@pytest.mark.parametrize(
    "text",
    [
        "求一个靠谱的查档渠道，价格不是问题",
        "卖家 @liaozi_88 的料子还行，推荐",
        "这家的号差评，别买",
    ],
)
def test_recommendations_and_reviews_are_talk(text):
    assert extract(text)["is_listing"] is False
