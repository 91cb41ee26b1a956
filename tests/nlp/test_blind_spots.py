"""Layouts and words that posts written outside the team showed the rules missing (issue 11)."""

from __future__ import annotations

import pytest

from nlp import extract


def offers(text: str) -> list[tuple]:
    return [
        (o["goods"], o["platform"], o["side"], o["price"], o["per_qty"], o["unit"], o["min_qty"])
        for o in extract(text)["offers"]
    ]


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("出v x老号 300一个", "wechat"),  # spaced pinyin initials
        ("出 W X 老号 300一个", "wechat"),
        ("出薇芯号 200一个", "wechat"),  # look-alike characters
        ("出抖因号 80一个", "douyin"),
        ("块手号出 60一个", "kuaishou"),
        ("拼夕夕号 30一个", "pinduoduo"),
    ],
)
def test_disguised_platform_names(text, platform):
    assert offers(text)[0][:2] == ("account", platform)


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("微信码 3元一个", "wechat"),
        ("探探 码 1.2元", "tantan"),  # spaced out
        ("jie码平台 陌陌1.5", "momo"),  # a disguised 接码
        ("接ma 陌陌1.5", "momo"),
    ],
)
def test_platform_with_ma_is_an_sms_code(text, platform):
    assert offers(text)[0][:2] == ("sms_code", platform)


def test_payment_code_is_not_an_sms_code():
    assert offers("收跑分 支付宝码 每天 500")[0][0] == "bank_card"


def test_prices_by_period_get_their_units():
    assert offers("群控软件 年卡1200 季卡400 月卡150") == [
        ("hardware", None, "sell", 1200, 1, "year", None),
        ("hardware", None, "sell", 400, 3, "month", None),  # a quarter: 3 months
        ("hardware", None, "sell", 150, 1, "month", None),
    ]
    assert [o[5] for o in offers("腾讯视频会员 包周10 包月30")] == ["week", "month"]


def test_a_yearly_card_priced_per_card_is_an_item():
    assert offers("物联网卡 年卡 198 一张")[0][5] == "item"


@pytest.mark.parametrize(
    "text",
    [
        "项目      单价     起订\n探探      1.2      100\n陌陌      1.5      50",
        "平台   价格   起订量\n探探   1.2元   100个\n陌陌   1.5元   50个",
        "探探 1.2元 起量100\n陌陌 1.5元 起量50",
    ],
)
def test_minimum_order_column_is_min_qty_not_a_price(text):
    found = offers(text)
    assert [(o[1], o[3], o[6]) for o in found] == [("tantan", 1.2, 100), ("momo", 1.5, 50)]


def test_one_price_shared_by_a_list_of_platforms():
    found = offers("微信 QQ 抖音 快手 一律5元")
    assert {o[1] for o in found} == {"wechat", "qq", "douyin", "kuaishou"}
    assert {o[3] for o in found} == {5}


@pytest.mark.parametrize(
    "text",
    [
        "谁有QQ号出一下，20一个",
        "招募卡商做码 陌陌 1.2一条 日结",
        "求租快手号 一周200",
        "有出的吗 微信号 100一个",
    ],
)
def test_buyers_posts_are_side_buy(text):
    assert {o[2] for o in offers(text)} == {"buy"}


@pytest.mark.parametrize(
    ("text", "price", "per_qty"),
    [("微信老号50个，打包2000全拿走", 2000, 50), ("手上有30个QQ号，一共600全出", 600, 30)],
)
def test_whole_lot_price_is_per_piece(text, price, per_qty):
    assert offers(text)[0][3:5] == (price, per_qty)


def test_follower_count_is_not_a_lot():
    assert offers("抖音号 10万粉 打包价3000")[0][3:5] == (3000, 1)


@pytest.mark.parametrize(
    "text", ["假毕业证 800一本", "机场订阅 包月15元", "梯子VPN 一年100", "和平精英透视 包天10"]
)
def test_goods_the_lexicon_has_no_kind_for_are_other(text):
    assert offers(text)[0][0] == "other"


def test_courier_waybill_lookup_is_per_query():
    assert offers("顺丰单号查询 3元一条")[0][:2] == ("lookup_service", "sf")
    assert offers("查快递单号 5元一次")[0][5] == "query"
