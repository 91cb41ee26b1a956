"""Offer rules for the ways sellers lay out price lists that the dev set's style did not show:
a currency stated once in a header, specification numbers, batches before prices, per-period
payments, capacities, carried rentals, buyers' questions and withheld prices for a grade.

None of these texts is from a labelled file; each is written as a different seller would.
"""

from __future__ import annotations

import pytest

from nlp import extract


def offers(text: str) -> list[tuple]:
    return [
        (o["goods"], o["platform"], o["side"], o["price"], o["per_qty"], o["unit"], o["currency"])
        for o in extract(text)["offers"]
    ]


S = "sell"
B = "buy"


# -- a currency stated once -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "接码报价 单位：U\n探探 0.3\n陌陌 0.2",
        "接码报价（USDT）\n探探 0.3\n陌陌 0.2",
        "以下价格均为u\n接码 探探 0.3\n陌陌 0.2",
        "探探陌陌接码 U结算\n探探 0.3\n陌陌 0.2",
    ],
)
def test_header_currency_prices_the_rows_below(text):
    assert offers(text) == [
        ("sms_code", "tantan", S, 0.3, 1, "item", "USDT"),
        ("sms_code", "momo", S, 0.2, 1, "item", "USDT"),
    ]


def test_row_currency_beats_the_header():
    assert offers("报价（单位U）\nTG老号 5\n微信号 80元") == [
        ("account", "telegram", S, 5, 1, "item", "USDT"),
        ("account", "wechat", S, 80, 1, "item", "CNY"),
    ]


def test_currency_mentioned_after_a_price_is_no_header():
    """走U也行 after the price offers another way to pay; the price stays in yuan."""
    assert offers("对公账户 8000一套 走U结算也行") == [
        ("bank_card", None, S, 8000, 1, "item", "CNY")
    ]


def test_u_shield_is_not_a_currency_header():
    assert offers("四件套带U盾 (一套)\n工行 2600") == [
        ("bank_card", None, S, 2600, 1, "item", "CNY")
    ]


# -- specification numbers and batches ----------------------------------------------------------


def test_hardware_size_is_part_of_the_item():
    assert offers("出设备\n群控 30台 九千\n卡池 64卡 2800") == [
        ("hardware", None, S, 9000, 1, "item", "CNY"),
        ("hardware", None, S, 2800, 1, "item", "CNY"),
    ]


def test_bare_count_before_a_price_is_the_batch_for_engagement():
    assert offers("点赞 抖音 1w 60 快手 1w 45 小红书 1k 9") == [
        ("fake_engagement", "douyin", S, 60, 10000, "item", "CNY"),
        ("fake_engagement", "kuaishou", S, 45, 10000, "item", "CNY"),
        ("fake_engagement", "xiaohongshu", S, 9, 1000, "item", "CNY"),
    ]


def test_engagement_word_after_a_batch_price_starts_the_next_item():
    """评论 1k 12 收藏: 12 is the price of the batch, not a count of 收藏."""
    assert offers("B站 点赞 1k 12 收藏 1k 18") == [
        ("fake_engagement", "bilibili", S, 12, 1000, "item", "CNY"),
        ("fake_engagement", "bilibili", S, 18, 1000, "item", "CNY"),
    ]


def test_records_in_batches():
    assert offers("股民数据 5k 400") == [("personal_data", None, S, 400, 5000, "item", "CNY")]


# -- periods and capacities ---------------------------------------------------------------------


def test_weekly_price_in_numerals():
    assert offers("陌陌号出租 包天30 包周一百八") == [
        ("account_rental", "momo", S, 30, 1, "day", "CNY"),
        ("account_rental", "momo", S, 180, 1, "week", "CNY"),
    ]


def test_weekday_is_not_a_price():
    assert offers("QQ老号 20一个 周三发货") == [("account", "qq", S, 20, 1, "item", "CNY")]


def test_paid_per_day():
    assert offers("收微信收款码 跑分 每天给120 日结") == [
        ("bank_card", "wechat", B, 120, 1, "day", "CNY")
    ]


def test_account_paid_per_day_is_rented():
    assert offers("收 QQ号 一天给40 满三年的") == [("account_rental", "qq", B, 40, 1, "day", "CNY")]


def test_daily_capacity_is_not_a_price():
    assert offers("微博引流 每天800精准粉 包月五千") == [
        ("fake_engagement", "weibo", S, 5000, 1, "month", "CNY")
    ]


def test_span_before_a_capacity_is_not_the_unit_of_the_price_before():
    assert offers("宝妈粉 12一个 一天能出五百个") == [
        ("fake_engagement", None, S, 12, 1, "item", "CNY")
    ]


def test_settled_daily_is_no_count_of_days():
    assert offers("收 实名抖音号 80一个 日结") == [("account", "douyin", B, 80, 1, "item", "CNY")]


# -- goods words in combination -----------------------------------------------------------------


def test_official_account_votes_are_engagement():
    assert offers("公众号投票 一票两毛 阅读量 1w 35") == [
        ("fake_engagement", "wechat", S, 0.2, 1, "item", "CNY"),
        ("fake_engagement", "wechat", S, 35, 10000, "item", "CNY"),
    ]


def test_an_account_with_followers_is_an_account():
    assert offers("快手 3w粉 号 一个 2000") == [("account", "kuaishou", S, 2000, 1, "item", "CNY")]


def test_follower_threshold_is_no_minimum_order():
    found = extract("收抖音号 500粉以上 一个三十")["offers"]
    assert [(o["goods"], o["platform"], o["price"], o["min_qty"]) for o in found] == [
        ("account", "douyin", 30, None)
    ]


def test_views_with_an_account_word_stay_engagement():
    assert offers("视频号 播放 1000 播放 15 元") == [
        ("fake_engagement", "wechat", S, 15, 1000, "item", "CNY")
    ]


def test_internal_system_answering_per_query_is_a_lookup():
    assert offers("圆通内部系统 可查收件人电话 十块一次 不出网点账号") == [
        ("lookup_service", "yto", S, 10, 1, "query", "CNY")
    ]


# -- platforms carried and ordinary words --------------------------------------------------------


def test_rental_and_platform_carry_to_the_next_grade():
    assert offers("QQ日租，十年号35一天，普通号18一天") == [
        ("account_rental", "qq", S, 35, 1, "day", "CNY"),
        ("account_rental", "qq", S, 18, 1, "day", "CNY"),
    ]


def test_plane_in_a_travel_lookup_is_not_telegram():
    assert offers("查行程 火车飞机酒店 二百一次") == [
        ("lookup_service", None, S, 200, 1, "query", "CNY")
    ]


def test_travelling_is_not_a_listing():
    assert extract("明天坐飞机回老家 这几天不出货") == {
        "is_listing": False,
        "offers": [],
        "contacts": [],
    }


# -- buyers -------------------------------------------------------------------------------------


def test_who_can_asks_to_buy():
    assert offers("谁能查个开房记录？今天要，给300") == [
        ("lookup_service", None, B, 300, 1, "query", "CNY")
    ]


def test_buyer_offering_an_amount_stays_a_buyer():
    assert offers("有没有能查车主的？出200") == [
        ("lookup_service", None, B, 200, 1, "query", "CNY")
    ]


def test_rough_price_is_a_price():
    assert offers("求购抖音老号 五个 价格一百左右") == [
        ("account", "douyin", B, 100, 1, "item", "CNY")
    ]
    assert offers("收探探号 预算八十左右") == [("account", "tantan", B, 80, 1, "item", "CNY")]


def test_estimate_without_a_price_word_stays_no_price():
    assert offers("出料子 300左右的量 0.5一条") == [
        ("personal_data", None, S, 0.5, 1, "item", "CNY")
    ]


# -- withheld prices and notices ----------------------------------------------------------------


def test_withheld_price_for_a_grade_described_by_what_it_has():
    assert offers("淘宝号 实名 40一个，带花呗的私聊") == [
        ("account", "taobao", S, 40, 1, "item", "CNY"),
        ("account", "taobao", S, None, 1, "item", "CNY"),
    ]


def test_a_pause_notice_is_not_a_listing():
    assert extract("本周暂停出料，下周一恢复")["is_listing"] is False
    assert extract("接码暂停一天")["is_listing"] is False


# -- grades and batches written one after another -------------------------------------------------


def test_follower_grades_after_an_account_stay_accounts():
    assert offers("出抖音号 千粉 80 三千粉 150 万粉 500") == [
        ("account", "douyin", S, 80, 1, "item", "CNY"),
        ("account", "douyin", S, 150, 1, "item", "CNY"),
        ("account", "douyin", S, 500, 1, "item", "CNY"),
    ]


def test_batch_tiers_each_with_its_own_count():
    assert offers("涨粉 快手 1000粉 20元 一万粉 180元") == [
        ("fake_engagement", "kuaishou", S, 20, 1000, "item", "CNY"),
        ("fake_engagement", "kuaishou", S, 180, 10000, "item", "CNY"),
    ]


def test_batch_after_a_piece_price():
    assert offers("面单 0.4一条 一万条 3000") == [
        ("personal_data", None, S, 0.4, 1, "item", "CNY"),
        ("personal_data", None, S, 3000, 10000, "item", "CNY"),
    ]


def test_batch_for_a_duration():
    assert offers("快手直播人气 200人 2小时 50") == [
        ("fake_engagement", "kuaishou", S, 50, 200, "item", "CNY")
    ]


def test_age_grade_after_a_piece_price_is_no_batch():
    assert offers("收QQ老号 8年以上 60一个 5年 30") == [
        ("account", "qq", B, 60, 1, "item", "CNY"),
        ("account", "qq", B, 30, 1, "item", "CNY"),
    ]


def test_lexicon_platform_bound_virtual_goods_and_station_accounts():
    assert offers("Q币 1000个 820元") == [("other", "qq", S, 820, 1000, "item", "CNY")]
    assert offers("收驿站账号 一天给150") == [("insider_access", None, B, 150, 1, "day", "CNY")]


def test_video_channel_listed_with_platforms_is_a_platform():
    assert offers("直播人气 快手 视频号 五百人 一小时 十五") == [
        ("fake_engagement", "kuaishou", S, 15, 500, "item", "CNY"),
        ("fake_engagement", "wechat", S, 15, 500, "item", "CNY"),
    ]
    assert offers("出视频号 带橱窗 260") == [("account", "wechat", S, 260, 1, "item", "CNY")]


def test_police_system_in_an_offer_is_no_news():
    assert offers("公安网 查人 一次 600") == [("lookup_service", None, S, 600, 1, "query", "CNY")]
    assert extract("公安抓获一批卖料子的，每条0.5元")["is_listing"] is False


def test_number_rented_to_receive_texts_is_a_code_service():
    assert offers("手机号码出租 收短信 2元一次") == [("sms_code", None, S, 2, 1, "item", "CNY")]


def test_asking_who_buys_sells():
    assert offers("有人收对公户吗？一套8000 有就出") == [
        ("bank_card", None, S, 8000, 1, "item", "CNY")
    ]


def test_other_services_by_name():
    assert offers("快手 投流 代运营 包月 3000") == [
        ("other", "kuaishou", S, 3000, 1, "month", "CNY")
    ]
    assert offers("查 QQ 聊天记录 1500一次") == [
        ("lookup_service", "qq", S, 1500, 1, "query", "CNY")
    ]


def test_buyer_renting_pays_per_day():
    assert offers("求租 快手号 带货用 一天出80") == [
        ("account_rental", "kuaishou", B, 80, 1, "day", "CNY")
    ]


def test_hearsay_price_is_talk():
    assert extract("听群友说 我看有人卖一块五一条 真的假的")["is_listing"] is False
    assert extract("有人卖微信号 五十一个 靠谱吗")["is_listing"] is False


def test_account_age_grades_in_a_row():
    assert offers("收老QQ号 十年以上 一个60 七年 35 三年 12") == [
        ("account", "qq", B, 60, 1, "item", "CNY"),
        ("account", "qq", B, 35, 1, "item", "CNY"),
        ("account", "qq", B, 12, 1, "item", "CNY"),
    ]


def test_budget_for_a_whole_batch():
    assert offers("求购 宝妈数据 50万条 预算一万") == [
        ("personal_data", None, B, 10000, 500000, "item", "CNY")
    ]
    assert offers("求购抖音号 十个 价格八十") == [("account", "douyin", B, 80, 1, "item", "CNY")]


def test_grade_ranges_are_no_prices():
    assert offers("快手号 1-5级 15 6-9级 40 10级以上 价格私聊") == [
        ("account", "kuaishou", S, 15, 1, "item", "CNY"),
        ("account", "kuaishou", S, 40, 1, "item", "CNY"),
        ("account", "kuaishou", S, None, 1, "item", "CNY"),
    ]


def test_what_the_item_has_is_no_price():
    assert offers("出 抖音 号 8000 带粉三万") == [("account", "douyin", S, 8000, 1, "item", "CNY")]
    assert offers("一类卡带U盾1800一套") == [("bank_card", None, S, 1800, 1, "item", "CNY")]


def test_device_slots_are_no_prices():
    assert offers("出 卡池 一套 32卡 1500 一套 128卡 5000") == [
        ("hardware", None, S, 1500, 1, "item", "CNY"),
        ("hardware", None, S, 5000, 1, "item", "CNY"),
    ]


def test_lead_word_between_period_and_price():
    assert offers("收 跑分 支付宝收款码 一天 保底 200") == [
        ("bank_card", "alipay", B, 200, 1, "day", "CNY")
    ]


def test_what_a_buyer_pays():
    assert offers("有接码的吗 whatsapp 要二十个 一个给三块") == [
        ("sms_code", "whatsapp", B, 3, 1, "item", "CNY")
    ]


def test_ask_to_be_messaged_withholds_the_price():
    assert offers("猫池 群控 设备 需要的私") == [("hardware", None, S, None, 1, "item", "CNY")]


def test_buyers_story_is_talk():
    assert extract("前天从群里拿了二十个号 一个三十 还不错")["is_listing"] is False


def test_unlisted_latin_name_does_not_inherit_the_platform_before():
    assert offers("海外接码：Google 0.5U，Yahoo 0.2U") == [
        ("sms_code", "google", S, 0.5, 1, "item", "USDT"),
        ("sms_code", None, S, 0.2, 1, "item", "USDT"),
    ]


def test_daily_growth_named_before_its_count_is_a_capacity():
    assert offers("QQ 引流 每天加粉200 包月 4000") == [
        ("fake_engagement", "qq", S, 4000, 1, "month", "CNY")
    ]


def test_words_that_contain_a_side_word():
    assert offers("收 饿了么 外卖 骑手号 八十一个") == [("account", None, B, 80, 1, "item", "CNY")]
    assert offers("谁能解封快手的？出价300") == [
        ("verification_service", "kuaishou", B, 300, 1, "item", "CNY")
    ]
    assert offers("出微信号 出价格私聊") == [("account", "wechat", S, None, 1, "item", "CNY")]


def test_investigation_is_news():
    assert extract("某台调查：一个实名QQ号在群里卖五十元")["is_listing"] is False


def test_complaint_about_prices_rising_is_talk():
    assert extract("码商又涨价了 陌陌的码都要两块一个了")["is_listing"] is False


def test_channel_members_are_engagement():
    assert offers("飞机 群成员 1k 8u 频道成员 1k 12u") == [
        ("fake_engagement", "telegram", S, 8, 1000, "item", "USDT"),
        ("fake_engagement", "telegram", S, 12, 1000, "item", "USDT"),
    ]


def test_asking_the_price_is_a_question():
    assert extract("谁出快手号了 多少钱一个")["is_listing"] is False
    assert extract("今天谁出微信号了 价格多少")["is_listing"] is False


def test_a_script_for_engagement_is_software():
    assert offers("出 脚本 快手 自动 点赞 评论 包月 150") == [
        ("other", "kuaishou", S, 150, 1, "month", "CNY")
    ]


def test_header_currency_written_apart():
    assert offers("接码 价格 U 结算\n陌陌 0.2\n探探 0.25") == [
        ("sms_code", "momo", S, 0.2, 1, "item", "USDT"),
        ("sms_code", "tantan", S, 0.25, 1, "item", "USDT"),
    ]


def test_branch_outlet_account_written_apart_is_insider():
    assert offers("韵达 网点 账号 出租 日租 300") == [
        ("insider_access", None, S, 300, 1, "day", "CNY")
    ]


def test_engagement_word_after_a_batch_price_written_apart():
    assert offers("微博 评论 100条 25 转发 1000 40") == [
        ("fake_engagement", "weibo", S, 25, 100, "item", "CNY"),
        ("fake_engagement", "weibo", S, 40, 1000, "item", "CNY"),
    ]


def test_gift_cards_are_other_goods():
    assert offers("回收 京东E卡 九折 私聊") == [("other", "jd", B, None, 1, "item", "CNY")]
