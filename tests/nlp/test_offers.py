"""Offer rules, one behaviour per test, on posts written the way sellers write them.

Each case compares the offers as (goods, platform, side, price, per_qty, unit, currency); a few
look at price_max and min_qty too. None of these texts is from the labelled dev file.
"""

from __future__ import annotations

import pytest

from nlp import extract


def offers(text: str) -> list[tuple]:
    return [
        (o["goods"], o["platform"], o["side"], o["price"], o["per_qty"], o["unit"], o["currency"])
        for o in extract(text)["offers"]
    ]


def one(text: str) -> dict:
    found = extract(text)["offers"]
    assert len(found) == 1, found
    return found[0]


S = "sell"
B = "buy"


# -- goods and platform words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "goods", "platform"),
    [
        ("出售陌陌实名老号 45一个", "account", "momo"),
        ("VX白号 3块一个 批发", "account", "wechat"),
        ("扣扣老号 9元一个", "account", "qq"),
        ("企鹅号 十年Q龄 30一个", "account", "qq"),
        ("薇信号 带支付 120一个", "account", "wechat"),
        ("卫星号 实名 100一个", "account", "wechat"),
        ("DY千粉号 150", "account", "douyin"),
        ("KS万粉号 900", "account", "kuaishou"),
        ("ZFB实名号 40一个", "account", "alipay"),
        ("纸飞机老号 5u", "account", "telegram"),
        ("小红薯千粉号 90元", "account", "xiaohongshu"),
        ("PDD商家号 300一个", "account", "pinduoduo"),
        ("佳缘会员号 180元", "account", "jiayuan"),
        ("GV号 美国 2u一个", "account", "google"),
        ("企业微信号 认证过的 500一个", "account", "wechat"),
        ("电报老号 6u", "account", "telegram"),
        ("TT女号 22一个", "account", "tantan"),
        ("MM男号 16一个", "account", "momo"),
        ("接码 抖音 0.9一条", "sms_code", "douyin"),
        ("卡商的码 微信 3.5一条", "sms_code", "wechat"),
        ("查户口 一次100", "lookup_service", None),
        ("开房记录 250一次", "lookup_service", None),
        ("手机定位 600一次", "lookup_service", None),
        ("网纹照 0.8一张", "id_document", None),
        ("手持身份证 六块一套", "id_document", None),
        ("过脸 支付宝 90一单", "verification_service", "alipay"),
        ("微博解封 80一个", "verification_service", "weibo"),
        ("料子 0.6一条", "personal_data", None),
        ("四要素 25一套", "personal_data", None),
        ("空号 2元一个", "sim_card", None),
        ("流量卡 45一张", "sim_card", None),
        ("卡池 32口 1300一台", "hardware", None),
        ("群控系统 3000一套", "hardware", None),
        ("对公户 6000一套", "bank_card", None),
        ("跑分码 支付宝 600一个", "bank_card", "alipay"),
        ("刷单 京东 7元一单", "fake_engagement", "jd"),
        ("宝妈粉 9块一个", "fake_engagement", None),
        ("秒拨IP 包月 150", "other", None),
    ],
)
def test_goods_and_platform_words(text, goods, platform):
    offer = one(text)
    assert (offer["goods"], offer["platform"]) == (goods, platform)


def test_off_list_platform_is_named_but_null():
    """饿了么 is a platform outside the list: it must not inherit the platform before it."""
    assert offers("接码 美团0.4 饿了么0.3 滴滴0.5") == [
        ("sms_code", "meituan", S, 0.4, 1, "item", "CNY"),
        ("sms_code", None, S, 0.3, 1, "item", "CNY"),
        ("sms_code", "didi", S, 0.5, 1, "item", "CNY"),
    ]


def test_traditional_and_full_width_text():
    assert offers("出售實名微信號，每個３５０元") == [
        ("account", "wechat", S, 350, 1, "item", "CNY")
    ]


def test_platform_alias_only_as_a_whole_word():
    """'tt' inside an English word is not Tantan; 'mm' in 'comment' is not Momo."""
    assert offers("attention comment 老号 30一个") == [("account", None, S, 30, 1, "item", "CNY")]


# -- precedence -----------------------------------------------------------------------------


def test_rented_internal_system_is_insider_access():
    assert offers("中通网点员工账号出租 日租400") == [
        ("insider_access", None, S, 400, 1, "day", "CNY")
    ]


def test_returned_id_photo_is_id_document():
    assert offers("返照查询 1.5元一次") == [("id_document", None, S, 1.5, 1, "query", "CNY")]


def test_rental_beats_plain_account():
    assert offers("快手号出租 日租25") == [("account_rental", "kuaishou", S, 25, 1, "day", "CNY")]


def test_per_query_lookup_from_insider_system_is_lookup():
    assert offers("联通后台查机主 一次90") == [
        ("lookup_service", "china_unicom", S, 90, 1, "query", "CNY")
    ]


def test_fans_describing_an_account_do_not_make_it_engagement():
    assert offers("收快手号 粉丝5000以上 200一个") == [
        ("account", "kuaishou", B, 200, 1, "item", "CNY")
    ]


def test_attribute_after_with_is_not_the_good():
    assert offers("二类卡带手机卡 900一套") == [("bank_card", None, S, 900, 1, "item", "CNY")]


# -- side ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("高价收微信老号 70一个", B),
        ("求购物联卡 20一张", B),
        ("回收QQ号 8元一个", B),
        ("长期收购料子 0.3一条", B),
        ("供应注册卡 12一张", S),
        ("出抖音号 60一个", S),
        ("小红书号 40一个", S),
        ("微信号收藏夹都在 55一个", S),  # 收藏 is not 收
    ],
)
def test_side(text, side):
    assert one(text)["side"] == side


def test_buy_and_sell_in_one_post():
    assert offers("收号60出号75 QQ老号 一手") == [
        ("account", "qq", B, 60, 1, "item", "CNY"),
        ("account", "qq", S, 75, 1, "item", "CNY"),
    ]


# -- prices, currencies, numerals -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "price", "currency"),
    [
        ("陌陌号 三块五一个", 3.5, "CNY"),
        ("微信号 两百一个", 200, "CNY"),
        ("群控 一千二一套", 1200, "CNY"),
        ("对公户 1.5k一套", 1500, "CNY"),
        ("猫池 2w一台", 20000, "CNY"),
        ("料子 五毛一条", 0.5, "CNY"),
        ("QQ号 8r一个", 8, "CNY"),
        ("QQ号 8米一个", 8, "CNY"),
        ("QQ号 ¥8一个", 8, "CNY"),
        ("TG号 3U一个", 3, "USDT"),
        ("TG号 3usdt一个", 3, "USDT"),
        ("TG号 3泰达一个", 3, "USDT"),
        ("Apple ID $4一个", 4, "USD"),
        ("Apple ID 4刀一个", 4, "USD"),
        ("Apple ID 4美元一个", 4, "USD"),
    ],
)
def test_price_and_currency(text, price, currency):
    offer = one(text)
    assert (offer["price"], offer["currency"]) == (price, currency)


def test_range_gives_price_and_price_max():
    offer = one("带圈老号 微信 380-520 看号龄")
    assert (offer["price"], offer["price_max"]) == (380, 520)


def test_withheld_price_is_null():
    assert offers("内部端口 电信 价格私聊") == [
        ("insider_access", "china_telecom", S, None, 1, "item", "CNY")
    ]
    assert offers("收珍爱老号 面议") == [("account", "zhenai", B, None, 1, "item", "CNY")]


def test_numbers_that_are_not_prices():
    """Ages, ports, levels, times, percentages, country codes and capacities."""
    assert offers("QQ老号 12年以上 64级 30一个 24小时发货 好评率99% 日出5000") == [
        ("account", "qq", S, 30, 1, "item", "CNY")
    ]
    assert offers("飞机号 +44 的 6u") == [("account", "telegram", S, 6, 1, "item", "USDT")]
    assert offers("闲鱼号 信用分650+ 35一个") == [("account", "xianyu", S, 35, 1, "item", "CNY")]


def test_contact_numbers_are_not_prices():
    assert offers("老号 微信 300一个 V：laohao_2024 电话 139 1234 5678 Q 88812345") == [
        ("account", "wechat", S, 300, 1, "item", "CNY")
    ]


def test_sample_records_are_not_prices():
    text = "样料：王**，139****0021，浙江杭州\n车主数据 0.4一条"
    assert offers(text) == [("personal_data", None, S, 0.4, 1, "item", "CNY")]


def test_absurd_number_is_no_price():
    assert offers("微信号 1000000000000一个") == []


# -- per_qty, unit, min_qty -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "price", "per_qty", "unit"),
    [
        ("公民数据 2000条500", 500, 2000, "item"),
        ("抖音点赞 500个15元", 15, 500, "item"),
        ("快手播放 1w 8块", 8, 10000, "item"),
        ("贷款数据 1万条900", 900, 10000, "item"),
        ("料子 300元/1000条", 300, 1000, "item"),
        ("微信号出租 5天400", 400, 5, "day"),
        ("QQ号出租 2个月150", 150, 2, "month"),
        ("查档 一次180", 180, 1, "query"),
        ("查开房 200/次", 200, 1, "query"),
        ("网纹照 1元/张", 1, 1, "item"),
        ("抖音号出租 日租35", 35, 1, "day"),
        ("微信号出租 周租200", 200, 1, "week"),
        ("DMS账号 包月3000", 3000, 1, "month"),
        ("群控软件 包年 1999", 1999, 1, "year"),
        ("秒拨 80元一个月", 80, 1, "month"),
        ("猫池 2台 3000一台", 3000, 1, "item"),
    ],
)
def test_quantity_and_unit(text, price, per_qty, unit):
    offer = one(text)
    assert (offer["price"], offer["per_qty"], offer["unit"]) == (price, per_qty, unit)


def test_lookup_without_a_stated_unit_is_per_query():
    assert one("查轨迹 700")["unit"] == "query"


def test_unban_per_time_is_an_item():
    assert one("QQ解封 一次50")["unit"] == "item"


@pytest.mark.parametrize(
    ("text", "min_qty"),
    [
        ("注册卡 9元一张 200张起", 200),
        ("料子 0.2一条 1w条起", 10000),
        ("抖音号出租 日租30 3天起租", 3),
        ("物联卡 100张起 25一张", 100),
    ],
)
def test_minimum_order(text, min_qty):
    assert one(text)["min_qty"] == min_qty


def test_starting_price_with_qi():
    assert offers("微信解封 150起") == [
        ("verification_service", "wechat", S, 150, 1, "item", "CNY")
    ]


# -- many offers in one post ----------------------------------------------------------------


def test_each_pattern_gives_one_offer_per_platform():
    assert offers("接码 快手抖音各0.6元") == [
        ("sms_code", "kuaishou", S, 0.6, 1, "item", "CNY"),
        ("sms_code", "douyin", S, 0.6, 1, "item", "CNY"),
    ]


def test_platform_list_shares_the_next_price():
    assert offers("闲鱼、淘宝刷单，一单6元") == [
        ("fake_engagement", "xianyu", S, 6, 1, "item", "CNY"),
        ("fake_engagement", "taobao", S, 6, 1, "item", "CNY"),
    ]


def test_header_carries_goods_over_a_line_broken_menu():
    text = "今日接码报价\n微信 3.8\nQQ 1.2\n陌陌 1.6"
    assert offers(text) == [
        ("sms_code", "wechat", S, 3.8, 1, "item", "CNY"),
        ("sms_code", "qq", S, 1.2, 1, "item", "CNY"),
        ("sms_code", "momo", S, 1.6, 1, "item", "CNY"),
    ]


def test_header_platform_carries_over_tiers():
    assert offers("闲鱼号：鱼小铺 90，普通号 30") == [
        ("account", "xianyu", S, 90, 1, "item", "CNY"),
        ("account", "xianyu", S, 30, 1, "item", "CNY"),
    ]


def test_platform_named_after_the_prices_fills_the_offers():
    assert offers("收号50出号65，QQ号长期有") == [
        ("account", "qq", B, 50, 1, "item", "CNY"),
        ("account", "qq", S, 65, 1, "item", "CNY"),
    ]


def test_volume_tier_is_a_separate_offer_with_the_same_unit():
    assert offers("返照 0.5元一次，量大0.3") == [
        ("id_document", None, S, 0.5, 1, "query", "CNY"),
        ("id_document", None, S, 0.3, 1, "query", "CNY"),
    ]


def test_same_good_same_price_twice_is_one_offer():
    assert offers("白卡 12一张，实名白卡 12一张") == [("sim_card", None, S, 12, 1, "item", "CNY")]


def test_new_good_of_another_kind_drops_the_carried_platform():
    assert offers("微信老号 300一个，银行卡四件套 1600一套") == [
        ("account", "wechat", S, 300, 1, "item", "CNY"),
        ("bank_card", None, S, 1600, 1, "item", "CNY"),
    ]


def test_emoji_bullets_between_items():
    assert offers("💥接码💥 ✅快手0.7 ✅抖音0.8 ✅QQ1") == [
        ("sms_code", "kuaishou", S, 0.7, 1, "item", "CNY"),
        ("sms_code", "douyin", S, 0.8, 1, "item", "CNY"),
        ("sms_code", "qq", S, 1, 1, "item", "CNY"),
    ]


def test_numbered_list_items():
    text = "号价：\n1、微信老号 320\n2、QQ老号 11\n3. 陌陌号 18"
    assert offers(text) == [
        ("account", "wechat", S, 320, 1, "item", "CNY"),
        ("account", "qq", S, 11, 1, "item", "CNY"),
        ("account", "momo", S, 18, 1, "item", "CNY"),
    ]


def test_headed_table_reads_columns():
    text = "料子价目\n类型 | 价格 | 起订\n股民 | 0.4 | 1000\n宝妈 | 0.25 | 2000"
    found = extract(text)["offers"]
    assert [(o["goods"], o["price"], o["min_qty"]) for o in found] == [
        ("personal_data", 0.4, 1000),
        ("personal_data", 0.25, 2000),
    ]


def test_unpriced_listing_with_a_side_word():
    assert offers("急收抖音老号，有的联系") == [("account", "douyin", B, None, 1, "item", "CNY")]


def test_offer_record_has_every_contract_field():
    offer = one("出微信号 300一个")
    assert set(offer) == {
        "goods",
        "platform",
        "side",
        "price",
        "price_max",
        "currency",
        "per_qty",
        "unit",
        "min_qty",
    }
    assert isinstance(offer["per_qty"], int)


# -- rules found on fresh posts ---------------------------------------------------------------


def test_period_written_against_the_price_wins_over_the_next_one():
    assert offers("快手号出租 一天60 一周350") == [
        ("account_rental", "kuaishou", S, 60, 1, "day", "CNY"),
        ("account_rental", "kuaishou", S, 350, 1, "week", "CNY"),
    ]


def test_rental_period_makes_an_account_rented_but_not_a_sim_card():
    assert offers("滴滴司机号 日租 70") == [("account_rental", "didi", S, 70, 1, "day", "CNY")]
    assert offers("流量卡 一张 30，月租 19") == [
        ("sim_card", None, S, 30, 1, "item", "CNY"),
        ("sim_card", None, S, 19, 1, "month", "CNY"),
    ]


def test_gift_amount_is_not_a_price():
    assert offers("接码平台 新人送5元，微信码 3.2") == [
        ("sms_code", "wechat", S, 3.2, 1, "item", "CNY")
    ]


def test_platform_header_then_priced_items():
    assert offers("收 陌陌 探探 实名号，陌陌 40 探探 35") == [
        ("account", "momo", B, 40, 1, "item", "CNY"),
        ("account", "tantan", B, 35, 1, "item", "CNY"),
    ]


def test_grade_words_written_apart_are_not_measures():
    assert offers("淘宝号 心号 40 钻号 150") == [
        ("account", "taobao", S, 40, 1, "item", "CNY"),
        ("account", "taobao", S, 150, 1, "item", "CNY"),
    ]


def test_review_words_are_engagement():
    assert one("京东追评 4元一条")["goods"] == "fake_engagement"


def test_negotiable_price_is_null():
    assert offers("出 抖音 老号 价格好说") == [("account", "douyin", S, None, 1, "item", "CNY")]


def test_market_talk_with_a_price_is_not_a_listing():
    assert extract("今天行情：QQ号 跌到 6 块了")["is_listing"] is False


def test_minimum_written_before_the_count_makes_a_tier_not_a_batch():
    found = extract("注册卡 10元一张，满100张 9元")["offers"]
    assert [(o["price"], o["per_qty"], o["min_qty"]) for o in found] == [(10, 1, None), (9, 1, 100)]


def test_count_above_is_a_tier():
    found = extract("白卡 12一张，500张以上 10")["offers"]
    assert [(o["price"], o["per_qty"], o["min_qty"]) for o in found] == [
        (12, 1, None),
        (10, 1, 500),
    ]


def test_age_above_is_no_minimum():
    assert one("微信号 10年以上 300")["min_qty"] is None


def test_list_price_is_not_the_price():
    assert offers("微信号 原价500 现价 300") == [("account", "wechat", S, 300, 1, "item", "CNY")]


def test_wanting_in_bulk_is_buying():
    assert one("长期要微信号 50一个")["side"] == B


def test_goods_and_a_contact_without_price_is_an_unpriced_listing():
    assert offers("各种老号 需要的加我 V：xiaoyu_hao88") == [
        ("account", None, S, None, 1, "item", "CNY")
    ]


def test_spaced_out_words_are_read_whole():
    assert offers("TG 群 拉 人 1000 个 80u") == [
        ("fake_engagement", "telegram", S, 80, 1000, "item", "USDT")
    ]


def test_period_word_beats_a_per_piece_classifier():
    assert one("云手机 月付 45 一台")["unit"] == "month"


def test_platforms_named_after_the_price_each_get_the_offer():
    assert offers("人脸代过，一次90，抖音快手都行") == [
        ("verification_service", "douyin", S, 90, 1, "item", "CNY"),
        ("verification_service", "kuaishou", S, 90, 1, "item", "CNY"),
    ]


def test_threshold_and_estimate_are_not_prices():
    assert offers("收京东白条号 120一个 额度3000以上") == [
        ("account", "jd", B, 120, 1, "item", "CNY")
    ]


def test_jiao_and_fen():
    assert one("宝妈数据 1毛5一条")["price"] == 0.15


def test_one_cut_is_not_a_dollar():
    assert offers("拼多多砍价 0.4 一刀") == [
        ("fake_engagement", "pinduoduo", S, 0.4, 1, "item", "CNY")
    ]


def test_batch_per_show():
    assert offers("快手直播人气 500人 一场 60") == [
        ("fake_engagement", "kuaishou", S, 60, 500, "item", "CNY")
    ]


def test_per_piece_after_a_stock_count_is_not_a_batch():
    assert one("料子现货 五万条 每条 三毛")["per_qty"] == 1


def test_who_wants_is_a_seller():
    result = extract("谁要TG老号，5u一个")
    assert result["is_listing"] is True
    assert result["offers"][0]["side"] == S


def test_prices_written_before_their_goods():
    assert offers("【60元】QQ老号，【280元】微信老号") == [
        ("account", "qq", S, 60, 1, "item", "CNY"),
        ("account", "wechat", S, 280, 1, "item", "CNY"),
    ]
    assert offers("260出微信老号") == [("account", "wechat", S, 260, 1, "item", "CNY")]
    assert offers("价格：45元/个 商品：陌陌实名号") == [
        ("account", "momo", S, 45, 1, "item", "CNY")
    ]


def test_a_buyers_story_is_not_a_listing():
    assert extract("昨天花了200块，买了个QQ号")["is_listing"] is False


def test_carrier_named_after_the_price_fills_a_sim_card_offer():
    assert offers("物联卡 24元一张，移动的") == [
        ("sim_card", "china_mobile", S, 24, 1, "item", "CNY")
    ]


def test_asking_to_be_taught_is_not_buying():
    assert extract("新人求带，想做料子")["is_listing"] is False


def test_comma_between_platforms_is_still_one_list():
    assert offers("微信,QQ 各5元 白号") == [
        ("account", "wechat", S, 5, 1, "item", "CNY"),
        ("account", "qq", S, 5, 1, "item", "CNY"),
    ]


def test_mention_and_bank_balance_chatter():
    assert extract("@大数据-王同学 我卡里余额从来没超过800")["is_listing"] is False


def test_times_with_seconds_are_not_prices():
    assert extract("[图片] 移动-张三 分享文件 12:16:34")["offers"] == []


def test_spaced_out_platform_and_level():
    assert offers("出 B 站 5 级号 95 一个") == [("account", "bilibili", S, 95, 1, "item", "CNY")]


def test_count_after_a_per_one_marker_describes_the_unit():
    assert offers("出售手机墙 一套 30 台 12000") == [("hardware", None, S, 12000, 1, "item", "CNY")]


def test_past_tense_is_no_side():
    assert extract("昨天出了两百个号，累死")["is_listing"] is False


def test_good_price_words_do_not_withhold_the_price():
    assert offers("接码价格优惠 微信 3.3") == [("sms_code", "wechat", S, 3.3, 1, "item", "CNY")]


def test_apple_and_android_name_a_phone_system_not_a_platform():
    assert offers("虚拟定位 苹果安卓都有 包年 99") == [("other", None, S, 99, 1, "year", "CNY")]


def test_round_batch_then_a_smaller_bare_price():
    assert offers("抖音 粉丝 1 万 180") == [
        ("fake_engagement", "douyin", S, 180, 10000, "item", "CNY")
    ]


@pytest.mark.parametrize(
    ("word", "goods"),
    [
        ("接码", "sms_code"),
        ("收码", "sms_code"),
        ("语音码", "sms_code"),
        ("卡商", "sms_code"),
        ("成品号", "account"),
        ("满月号", "account"),
        ("解封号", "account"),
        ("租号", "account_rental"),
        ("日租", "account_rental"),
        ("内鬼", "insider_access"),
        ("运营商端口", "insider_access"),
        ("查档", "lookup_service"),
        ("开房", "lookup_service"),
        ("轨迹", "lookup_service"),
        ("户籍", "lookup_service"),
        ("人像", "id_document"),
        ("证件照", "id_document"),
        ("代认证", "verification_service"),
        ("辅助", "verification_service"),
        ("料子", "personal_data"),
        ("逾期", "personal_data"),
        ("快递单", "personal_data"),
        ("企业卡", "sim_card"),
        ("黑卡", "sim_card"),
        ("箱子", "hardware"),
        ("改机", "hardware"),
        ("收款码", "bank_card"),
        ("跑分", "bank_card"),
        ("刷量", "fake_engagement"),
        ("引流", "fake_engagement"),
    ],
)
def test_taxonomy_words_name_their_good(word, goods):
    for text in (f"{word} 50一个", f"出{word}，50一个"):
        assert one(text)["goods"] == goods, text


def test_landline_is_a_contact_not_a_range():
    assert offers("出QQ老号 10元一个 电话：0755-12345678") == [
        ("account", "qq", S, 10, 1, "item", "CNY")
    ]


def test_channel_style_price_list_with_emoji_and_sections():
    text = "【接码报价】\n国内项目：\n· 微信 4.1\n国外项目：\n· TG 1.2U"
    assert offers(text) == [
        ("sms_code", "wechat", S, 4.1, 1, "item", "CNY"),
        ("sms_code", "telegram", S, 1.2, 1, "item", "USDT"),
    ]


def test_a_word_naming_its_platform_does_not_restart_the_item():
    assert offers("微信视频号 千粉 260 元") == [("account", "wechat", S, 260, 1, "item", "CNY")]


def test_withheld_price_for_an_older_grade_of_the_same_goods():
    assert offers("QQ老号6元一个，八年以上的价格私聊") == [
        ("account", "qq", S, 6, 1, "item", "CNY"),
        ("account", "qq", S, None, 1, "item", "CNY"),
    ]


def test_customer_lists_are_personal_data():
    assert offers("网贷客户 0.6一条，信用卡客户 0.8一条") == [
        ("personal_data", None, S, 0.6, 1, "item", "CNY"),
        ("personal_data", None, S, 0.8, 1, "item", "CNY"),
    ]


def test_a_tutorial_about_codes_is_a_tutorial():
    assert offers("出接码教程 88一套") == [("other", None, S, 88, 1, "item", "CNY")]
    assert offers("送教程 QQ号 9一个") == [("account", "qq", S, 9, 1, "item", "CNY")]


def test_virtual_currency_batch_is_not_taken_for_a_qq_number():
    assert offers("游戏币 100万 12元") == [("other", None, S, 12, 1000000, "item", "CNY")]


def test_price_written_apart_from_its_piece_word():
    assert offers("陌陌 满月号 180 个，半年号 260 个") == [
        ("account", "momo", S, 180, 1, "item", "CNY"),
        ("account", "momo", S, 260, 1, "item", "CNY"),
    ]
    assert offers("求购陌陌女号，100个，15一个") == [("account", "momo", B, 15, 1, "item", "CNY")]


def test_fan_grades_name_accounts_but_counted_fans_are_engagement():
    assert offers("抖音号 千粉 110 万粉 950") == [
        ("account", "douyin", S, 110, 1, "item", "CNY"),
        ("account", "douyin", S, 950, 1, "item", "CNY"),
    ]
    assert offers("刷粉 抖音 1万粉 200") == [
        ("fake_engagement", "douyin", S, 200, 10000, "item", "CNY")
    ]
