"""Layouts and words that posts written outside the team showed the rules missing (issue 11)."""

from __future__ import annotations

import pytest

from nlp import extract


def fields(text: str, *names: str) -> list:
    """The named fields of each offer: tuples of them, or the values alone for one name."""
    if len(names) == 1:
        return [o[names[0]] for o in extract(text)["offers"]]
    return [tuple(o[name] for name in names) for o in extract(text)["offers"]]


def offers(text: str) -> list[tuple]:
    return fields(text, "goods", "platform", "side", "price", "per_qty", "unit", "min_qty")


def prices_of(text: str) -> list:
    return fields(text, "price")


def batches_of(text: str) -> list[tuple]:
    """(price, per_qty) of each offer: what a price buys."""
    return fields(text, "price", "per_qty")


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
        "品名      单价     起订\n探探码    1.2      100\n陌陌码    1.5      50",
        # the first column named as the seller pleased, before price and least
        "接码报价        单价    起订\n探探        1.2     100\n陌陌        1.5     50",
        "接码 项目 | 单价 | 起订\n探探 | 1.2 | 100\n陌陌 | 1.5 | 50",  # its name says codes
    ],
)
def test_minimum_order_column_is_min_qty_not_a_price(text):
    found = offers(text)
    assert [(o[1], o[3], o[6]) for o in found] == [("tantan", 1.2, 100), ("momo", 1.5, 50)]


def test_a_title_then_a_price_column_is_no_table():
    assert offers("✈️ 飞机号 批发价 ✈️\n📌 单个 2u\n📌 50 个起 1.5u") == [
        ("account", "telegram", "sell", 2, 1, "item", None),
        ("account", "telegram", "sell", 1.5, 1, "item", 50),
    ]


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


# -- posts written by the second round of outside writers (issue 11, corpus E-L) --------------


@pytest.mark.parametrize(
    "text",
    [
        "淘宝号\n普通号     25\n一心号     45\n起量10个",  # a line of its own under the list
        "接码 探探1.2 陌陌1.5 起订100",  # after the last price of a one-line list
        "出 料子\n股民 0.5/条\n宝妈 0.4/条\n一次最少100条",
        "jie码 各平台\nDY 0.8 KS 0.9\nZFB 2.5\n100起",
    ],
)
def test_a_minimum_written_once_is_every_rows(text):
    found = offers(text)
    assert len(found) >= 2
    assert {o[6] for o in found} == {10} or {o[6] for o in found} == {100}


def test_a_minimum_in_brackets_after_a_row_is_that_rows():
    found = offers("美区Apple ID $3，日区 $4，批量 $2.5（50个起）")
    assert [o[6] for o in found] == [None, None, 50]


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("出陌陌号 男号6 女号15\n满一年 加20", [6, 15]),
        ("V信号 18+ 90 25+ 140 一年以上加50", [90, 140]),
        ("出薇信号 满月号80 一年号260 女号另加20", [80, 260]),
        ("户籍查询 两百一次 照片另加 五十", [200, 50]),  # a look-up, then a photo: two goods
    ],
)
def test_a_surcharge_on_a_grade_is_no_offer(text, prices):
    assert prices_of(text) == prices


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("出 扣扣 老号 25一个\n企鹅：2 8 7 4 5 1 0 9 3", "287451093"),
        ("收 QQ 白号 三块五一个 扣 3 9 4 8 2 1 7 7", "39482177"),
    ],
)
def test_an_id_spaced_digit_by_digit_is_a_contact_and_no_price(text, contact):
    result = extract(text)
    assert {"type": "qq", "value": contact} in result["contacts"]
    assert len(result["offers"]) == 1


def test_periods_written_alone_before_prices():
    assert offers("美团骑手号 日 50 周 280 月 900") == [
        ("account_rental", "meituan", "sell", 50, 1, "day", None),
        ("account_rental", "meituan", "sell", 280, 1, "week", None),
        ("account_rental", "meituan", "sell", 900, 1, "month", None),
    ]
    assert offers("微信满月 70")[0][5] == "item"  # an account's age, not a period


def test_months_counted_before_a_price_are_its_period():
    assert [(o[3], o[4], o[5]) for o in offers("出 群发软件 三个月 120 一年 350")] == [
        (120, 3, "month"),
        (350, 1, "year"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 Soul 码 九毛，陌陌 码一块三，探探 码一块一", [0.9, 1.3, 1.1]),
        ("收 快递 面单 一毛五 一条", [0.15]),
        ("高价收 飞机 号 老号 七U 新号 一U五", [7, 1.5]),
        ("有冇人要微信號 三百蚊一個", [300]),
        ("有出顺丰内部账号的吗 日租 预算四五百一天", [400]),
        ("代实名 QQ 微信 统一五十", [50, 50]),  # the 一 of 统一 is no numeral
    ],
)
def test_prices_written_in_words(text, expected):
    assert prices_of(text) == expected


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("有没有出 阿里云 账号 的 预算 五十", "buy"),
        ("有冇人收 WhatsApp 號？我度有 每個 2.5U", "sell"),
        ("steam 号 带 cs2 优先 200-300 收", "buy"),
        ("收码啦！抖音0.5 快手0.45\n卡商来 日结", "buy"),
        ("跑分 招有支付宝码的老板 费率2% 日结", "buy"),  # calling in those who have codes
        ("群里有没有人卖soul号的，要女号，三十左右一个", "buy"),  # asking who sells, with a bid
        ("有没有出抖音码的 要200个 0.6能做就来", "buy"),  # 0.6 if you can do it: a bid
        ("谁有soul号出，预算30一个，要10个", "buy"),  # asked to sell: the 出 is the seller's
        ("有老板出 企业微信 认证号 吗？250 收两个", "buy"),
        ("谁有需要 出微信号 300", "sell"),  # 谁有需要: who needs it, a seller asking
        ("Need WeChat accounts with payment. Paying 90U each", "buy"),
        ("微信 收款码 跑分 招 人 你 提供 码 点位 2% 日 结", "buy"),  # the reader provides
        ("跑分 收 码商 费率 1.2% 日结", "buy"),
        ("提供接码服务 微信 4元", "sell"),
    ],
)
def test_who_buys_and_who_sells(text, side):
    assert {o[2] for o in offers(text)} == {side}


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("陌陌 探探 soul 都是1块 接码", "sms_code"),  # platforms in a post about codes
        ("查 韵达 单号 一次 五块", "lookup_service"),
        ("出 高仿学历证书 本科 可查 1800", "other"),  # passes a check; not a look-up
        ("出 TG 会员 Premium 三个月 12U", "other"),  # a membership, not the account
        ("收 B站 号 lv6 大会员 120", "account"),  # an account that has one
        ("出 三网空号检测 一万号码 五块", "other"),
        ("卡头出 5元/张 500张起拿", "sim_card"),
    ],
)
def test_goods_the_words_around_decide(text, goods):
    assert {o[0] for o in offers(text)} == {goods}


def test_a_face_value_and_a_quantity_wanted_are_no_prices():
    assert [o[3] for o in offers("出 京东 E 卡 面值 1000 售 930")] == [930]
    assert [o[3] for o in offers("收一批支付宝实名号 预算150一个左右 数量30")] == [150]


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("闲鱼标题：虚拟 秒发 陌陌会员 一个月 9.9", "momo"),  # where the post is listed
        ("【闲鱼】出 网易云 黑胶vip 年卡 85", None),
        ("出闲鱼号 芝麻分700 60一个", "xianyu"),  # the account sold
        ("接码 小红书 1.3 闲鱼 1.5", "xianyu"),  # a platform in a list of codes
    ],
)
def test_a_marketplace_named_as_the_place_is_no_platform(text, platform):
    assert offers(text)[-1][1] == platform


@pytest.mark.parametrize(
    "text",
    [
        "💳 余额：0.00 U\n微信号 4U",
        "担保上押10000U 微信号 4U",
        "今日U价 7.28 微信号 4U",
        "微信号 8折 4U",
        "微信号 4U 日流水 五十万",  # a turnover
        "微信号 4U 日量要5000",  # how many a day a buyer wants
        "微信号 4U 限额5w",  # how much a payment code may take
        "微信号 4U ，100个以上每个少2块",  # a discount
        "微信号 4U 每天能出三四千",  # how many a day, both ends of the range
    ],
)
def test_balances_deposits_rates_and_discounts_are_no_prices(text):
    assert prices_of(text) == [4]


def test_a_membership_the_account_has_is_no_amount():
    assert prices_of("B站号 6级带大会员120 5级60") == [120, 60]


def test_a_seller_who_takes_nothing_back_does_not_buy():
    assert fields("快递面单 1k条 200u 1w条 1500u 当天单 不回收", "side") == ["sell", "sell"]


def test_a_price_each_after_what_the_account_has():
    assert prices_of("京东白条号 带额度 180一个") == [180]  # it has a credit line; 180 each
    assert prices_of("信用卡 额度 5000 一张 价格私聊") == [None]  # the line, not the price


def test_decimals_and_prices_per_one_written_in_words():
    assert [o[3] for o in offers("收 Soul 码 零点八 一条")] == [0.8]
    assert [o[3] for o in offers("出 微信 辅助 解封 一次 60 秒过")] == [60]
    assert [o[3] for o in offers("收微博老号 带粉三千以上 一个三十 粉越多价越高")] == [30]


@pytest.mark.parametrize(
    "text",
    [
        "项目\t单价\t起订\n微信\t4.2\t10\n抖音\t0.7\t100",
        "=== 码价表 ===\n项目 | 单价 | 起订\n微信 | 4.6 | 10\nQQ | 0.65 | 50",
    ],
)
def test_a_table_headed_project_prices_codes(text):
    assert {(o[0], o[6] is not None) for o in offers(text)} == {("sms_code", True)}


def test_a_table_header_gives_the_currency_of_its_rows():
    found = extract("商品 | 价格(U)\n微信老号 | 50\nQQ | 3")["offers"]
    assert [(o["price"], o["currency"]) for o in found] == [(50, "USDT"), (3, "USDT")]


def test_a_bare_hundred_or_thousand_before_a_classifier_counts():
    assert [o[6] for o in offers("出 探探 碼 1.1 陌陌 碼 1.3 百個起")] == [100, 100]
    assert [(o[3], o[4]) for o in offers("快递数据 1 万条 500")] == [(500, 10000)]


def test_escrow_sold_as_a_service_is_other_and_a_sellers_escrow_is_not():
    assert offers("担保交易 费率3% 只收USDT\n担保群 @danbao_center") == [
        ("other", None, "sell", None, 1, "item", None)
    ]
    assert [o[0] for o in offers("出微信号 300 只走担保")] == ["account"]
    assert extract("群规：交易请走担保，担保费3%，私下交易被骗概不负责")["is_listing"] is False


def test_a_price_written_apart_from_its_classifier():
    assert [o[3] for o in offers("实名 卡 电信 22 张 联通 20 张 异地 也可以")] == [22, 20]
    assert [o[3] for o in offers("出售白卡 200 张，12 一张")] == [12]  # 200 is how many


def test_batches_priced_by_the_hour_and_tiers_after_a_price_per_one():
    assert [(o[3], o[4]) for o in offers("抖音 100人/小时 8元\n快手 100人/小时 6元")] == [
        (8, 100),
        (6, 100),
    ]
    # the number of viewers a live room shows, kept for an hour
    assert offers("直播间在线人数 100人 一小时 25") == [
        ("fake_engagement", None, "sell", 25, 100, "item", None)
    ]
    assert [(o[3], o[4]) for o in offers("返照 秒出 一次 两块五 一百次 二百")] == [
        (2.5, 1),
        (200, 100),
    ]


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("出 VPN 账号 包年 60", "other"),  # the account is the service's
        ("老板们早～今天码价：\n薇信 4.7\n扣扣 0.7", "sms_code"),  # a code platform's prices
        ("出 人脸视频 动态 一套 20", "id_document"),
    ],
)
def test_more_goods_the_words_around_decide(text, goods):
    assert {o[0] for o in offers(text)} == {goods}


@pytest.mark.parametrize(
    ("text", "platforms"),
    [
        ("出 D Y 码 八毛 / K S 码 七毛 / X H S 一块二", ["douyin", "kuaishou", "xiaohongshu"]),
        ("收 V 码 5 块 收 Q 码 1 块 收 抖 码 6 毛", ["wechat", "qq", "douyin"]),
    ],
)
def test_codes_of_platforms_named_by_spaced_letters(text, platforms):
    assert fields(text, "goods", "platform") == [("sms_code", p) for p in platforms]


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("━━━ 号商报价 11/30 ━━━\n微信 新号 45\n满月 85", [45, 85]),  # a date
        ("通知：接码 平台 今晚 12 点 后 微信 项目 调价 至 5 元 / 条", [5]),  # a time
        ("有人要原神号吗 冒险等级55 350出 不刀", [350]),  # a level
        ("出 改机 软件 终身版 588 支持 安卓12", [588]),  # a version
        ("QQ 1/2条", [1]),  # a price for two, not a date
        ("出 微信 2018年号 450 2020年号 300", [450, 300]),  # the year an account was made
    ],
)
def test_dates_times_levels_and_versions_are_no_prices(text, prices):
    assert prices_of(text) == prices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出车主信息，一条一毛，十万条打包 六千", [(0.1, 1), (6000, 100000)]),
        ("出 学生 家长 数据 5k 条 打包 1000 全 拿", [(1000, 5000)]),
        ("金边园区出数据\n1w = 60U\n10w = 450U", [(60, 10000), (450, 100000)]),
    ],
)
def test_batches_priced_whole(text, expected):
    assert batches_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我度有 50 個 美國號 每個 2.5U，全拿 110U", [(2.5, 1), (110, 50)]),
        ("我这 有 扣扣 SVIP 号 八个 二十八一个 全要 两百", [(28, 1), (200, 8)]),
    ],
)
def test_a_price_each_then_one_for_the_whole_lot(text, expected):
    assert batches_of(text) == expected


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("求圆通内部账号按天租预算四百有的私", 400),  # after a price word
        ("收抖音号 千粉以上带橱窗一个给到一百五有的滴滴", 150),  # a buyer's 给到
        ("收珍爱佳缘 百合会员号，二十统一价", 20),  # written against 统一价
    ],
)
def test_a_bare_price_written_against_the_words_around_it(text, price):
    assert {o[3] for o in offers(text)} == {price}


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("🔥 猫池 二手 16口 九成新出 八百自提或走顺丰到付", [800]),  # SF ships it
        ("即日起 返照 八毛一次\n充 500 送 50", [0.8]),  # a top-up offer
        ("出 原神 月卡 代充 24 一个", [24]),  # 代充 is the service
    ],
)
def test_shipping_top_ups_and_bonuses_are_not_offers(text, prices):
    found = offers(text)
    assert [o[3] for o in found] == prices and all(o[1] is None for o in found)


@pytest.mark.parametrize(
    ("text", "minimums"),
    [
        ("卖飞机号 老号 25U 一个，新号 1.8U，批发50个起另议", [None, None]),  # an unpriced tier
        ("出飞机号\n美国 1.5U\n印尼 0.8U\n满200个 送10个", [None, None]),  # a bonus
        ("返照 0.6/次\n网纹照 1.5/次\n100次起充 机器人自助", [None, None]),  # a top-up
        ("收陌陌号 满月\n单价 12\n两百个以上优先结算", [None]),  # who is paid first
        ("出飞机双向号，能私聊陌生人，3U ，一百个起拿 2.5U", [None, 100]),  # a tier's verb
        ("出QQ号 100个起 价格私聊", [100]),  # the one offer's minimum, its price withheld
    ],
)
def test_counts_that_are_no_minimum_of_the_rows_above(text, minimums):
    assert fields(text, "min_qty") == minimums


def test_what_an_account_can_do_is_no_withheld_price():
    assert [o[3] for o in offers("出飞机双向号，能私聊陌生人，3U")] == [3]


@pytest.mark.parametrize(
    "text",
    [
        "出 探探会员号\n普通 20\nVIP 45\nSVIP 70",  # Latin grades are not unlisted apps
        "新到一批 微 信 辅 助 号\n女 号 带 朋友圈 260\n男 号 220",  # 辅助号 is the account
    ],
)
def test_grades_under_a_header_keep_its_platform(text):
    found = offers(text)
    assert len({o[:2] for o in found}) == 1 and found[0][0] == "account" and found[0][1]


@pytest.mark.parametrize(
    "text",
    [
        "出 扣扣 空间 访问量 1w 5块 说说赞 100个 2块",
        "出 B站 投币 一千个 二十块 ，播放量 十万 三十",
        "出拼多多店铺关注 100个5块  收藏100个4块",  # a shop's followers, not the shop
    ],
)
def test_engagement_words_on_a_platform(text):
    found = offers(text)
    assert len(found) == 2 and {o[0] for o in found} == {"fake_engagement"}
    assert None not in {o[1] for o in found}


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("出 婚恋 数据 一千条 两百\n样料：\n王** 1986 杭州 138****2210\n要的私", [200]),  # samples
        ("📲 Tinder 账号 4U\n📲 Telegram 老号 (2019) 15U", [4, 15]),  # a year in brackets
        ("定位 查询 每次 300\n只收 USDT 换算 按 7.2", [300]),  # a rate of exchange
        ("出租你的闲置VX 一天30米 挂着就行 要的扣1 私我", [30]),  # the reply asked for
        ("小红书 点赞 100个 3块\n评论 10条 5块\n起步50块", [3, 5]),  # a minimum spend
        ("收一类卡 四件套 给到 六千五 能过 五十万 流水 的 加钱", [6500]),  # turnover
    ],
)
def test_numbers_beside_prices_that_are_none(text, prices):
    assert prices_of(text) == prices


def test_the_means_of_payment_are_not_what_is_sold():
    text = "本店接受 USDT TRC20 / 微信 / 支付宝\n QQ 老号(5年+) 35元\n QQ 白号 2元"
    assert {o[1] for o in offers(text)} == {"qq"}
    assert {o[1] for o in offers("出微信号 支付宝号 各 50")} == {"wechat", "alipay"}


def test_a_weibo_big_v_is_not_wechat():
    assert offers("谁有 微博 大v号 要10w粉以上的 预算2000")[0][:2] == ("account", "weibo")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wx白号 100个起 1.8 / 1000个起 1.5", [(1.8, 1), (1.5, 1)]),  # a slash between tiers
        ("出 WS 协议号 1000 个 700U / 100 个 80U / 单个 1U", [(700, 1000), (80, 100), (1, 1)]),
        ("陌陌会员代充 1个月 18 / 3个月 48", [(18, 1), (48, 3)]),
        ("出QQ号 5元/100个", [(5, 100)]),  # a slash that says per how many
        ("陌陌码：1-99个 1.5 / 100-999个 1.3", [(1.5, 1), (1.3, 1)]),  # brackets of counts
        ("网点账号 日租 450\n3 天 1200", [(450, 1), (1200, 3)]),  # a row's count of days
        ("微信号出租\n1 天 30\n3 天 80", [(30, 1), (80, 3)]),
        ("出租QQ 日 50 周 280 月 900", [(50, 1), (280, 1), (900, 1)]),
        ("B站 1 万播放 7", [(7, 10000)]),  # 万 written apart from its digit
        ("快手 千粉号 100 万粉号 700", [(100, 1), (700, 1)]),  # but not from a price
        ("出 小 红 薯 点 赞 一 百 两 块", [(2, 100)]),  # 一百两块 is 100 for 2 (120 is 一百二)
        ("兄弟们有没有出探探女号的要 20 个 30 左右", [(30, 1)]),  # how many a buyer wants
        ("收支付宝码 跑分的 费率2.5 日跑5w以上 私", [(None, 1)]),  # a rate without its %
    ],
)
def test_counts_and_slashes_between_prices(text, expected):
    assert batches_of(text) == expected


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("小红书业务 💕\n🌸 点赞 100个 2.5\n🌸 千粉号出售 85", "xiaohongshu"),
        ("出 飞机号 协议号 1u tdata 1.5u 直登号 2u", "telegram"),  # formats, not apps
        ("WhatsApp 接码 / 账号\n接码：美国 0.6U 印尼 0.3U\n成品号：美国 2.5U", "whatsapp"),
    ],
)
def test_rows_take_the_one_platform_a_post_names(text, platform):
    assert {o[1] for o in offers(text)} == {platform}


def test_rows_of_a_post_naming_an_unlisted_app_keep_no_platform():
    assert [o[1] for o in offers("接码\n微信 3\n钉钉 0.8")] == ["wechat", None]


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("📢 菜单 📢\n【1】TG 号 1.2U\n【2】TG 老号 3.5U", [1.2, 3.5]),  # menu numbers
        ("今日接码全线下调\n微信 3.8（原 4.2）\nQQ 0.8（原 0.9）", [3.8, 0.8]),  # the old price
        ("出售 改机 软件\n天卡 15\n支持安卓 10-14", [15]),  # versions, both ends
        ("出 闲置 猫池 一台 16 口 的 600 包邮", [600]),  # a size after 一台
    ],
)
def test_menu_numbers_old_prices_and_sizes_are_no_prices(text, prices):
    assert prices_of(text) == prices


def test_a_game_helper_is_a_cheat_and_kinds_are_not_each():
    assert {o[0] for o in offers("三角洲 辅助 天卡 8 周卡 35 月卡 98 不封号")} == {"other"}
    assert offers("微信辅助 一次 30")[0][0] == "verification_service"
    assert len(offers("代实名 各类 平台号\n美团 5 滴滴 8")) == 2  # 各类 is no 各


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("KS ０．６/条，SOUL码0.9，tiktok验证码 1.1元", {"sms_code"}),  # rows of a code list
        ("四要素（姓名 身份证 手机 银行卡）一条两块", {"personal_data"}),  # what a record holds
        ("出 U盾 四件套（卡 U盾 手机卡 身份证）一套 1800", {"bank_card"}),
        ("接码 VIP 通道\n微信 辅助 注册 一个 8 块\nQQ 注册 码 1 块", {"sms_code"}),
        ("出 微信 收款码 通道 一天 300", {"bank_card"}),  # a payment channel
    ],
)
def test_goods_words_read_in_their_post(text, goods):
    assert {o[0] for o in offers(text)} == goods


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("英国 WhatsApp 号 4$ 一个 美国 2.5$ 直登", [(4, "USD"), (2.5, "USD")]),  # signs after
        ("号商 库存：\n微信(7天) 220¥ 剩余 14\nQQ(10年) 28¥", [(220, "CNY"), (28, "CNY")]),
        ("出 对公 带U盾 八千 对公出租 一天三百", [(8000, "CNY"), (300, "CNY")]),  # a U盾 comes
        ("出料子：股民1毛 宝妈2毛 车主8分", [(0.1, "CNY"), (0.2, "CNY"), (0.08, "CNY")]),  # fen
        ("出个身份证正反面+手持 一套30 男女都有 年龄18-60", [(30, "CNY")]),  # ages
        ("收一类卡 一套1500 当天结 只要18-25的", [(1500, "CNY")]),
    ],
)
def test_currency_signs_bundled_things_fen_and_ages(text, expected):
    assert [(o[3], extract(text)["offers"][n]["currency"]) for n, o in enumerate(offers(text))] == (
        expected
    )


@pytest.mark.parametrize(
    ("text", "platform", "count"),
    [
        ("收中国实名微信，有支付的，800 一个，需要过脸的另加 100", "wechat", 2),
        ("代实名 支付宝 80一次 微信 120一次\n过脸另算50", None, 3),
        ("代实名 抖音 / 快手 / 小红书 每个 40，过脸 另加 20", None, 4),  # one add-on, not three
    ],
)
def test_an_add_on_is_for_the_one_platform_sold_or_none(text, platform, count):
    found = offers(text)
    assert len(found) == count and found[-1][:2] == ("verification_service", platform)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("长期收 企业卡 / 物联网卡\n要求：能收短信 未注册过 dy ks\n价格：一张 18", [None]),
        ("收 wx 的 手 机 卡 实 名 的 25 一 张", [None]),  # the app it is wanted for
        ("出 联通 卡 20 一张", ["china_unicom"]),  # its carrier
    ],
)
def test_a_sim_cards_platform_is_its_carrier(text, expected):
    assert fields(text, "platform") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("群控系统\n普通版 月 300\n企业版 年 5000", [(300, "month"), (5000, "year")]),  # editions
        ("身份证 返照 一次 1.5\n网纹照 2 块", [(1.5, "query"), (2, "query")]),  # as the look-up
        ("证件类：\n返照 0.9/次\n手持 3.5", [(0.9, "query"), (3.5, "item")]),  # a photo taken
        ("快手粉 百粉 8r", [(8, "item")]),
        ("闲鱼 标题：全新未拆 苹果 礼品卡 500面值 450出", [(450, "item")]),  # the face value
    ],
)
def test_units_of_editions_look_ups_and_face_values(text, expected):
    assert fields(text, "price", "unit") == expected
    if "百粉" in text:
        assert offers(text)[0][4] == 100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wei信 辅助 解 封 120 成功再付", [("verification_service", 120)]),  # 成功 is no 成
        ("出售 学历 大专 1500 本科 2500 Q 2938475610", [("other", 1500), ("other", 2500)]),
        ("查婚姻100一次，查学历80一次", [("lookup_service", 100), ("lookup_service", 80)]),
        ("有冇邊位出 Soul 號？要 lv 高啲嘅，預算 50 人仔左右", [("account", 50)]),  # 人仔 = RMB
    ],
)
def test_words_that_hold_a_measure_and_cantonese_money(text, expected):
    assert fields(text, "goods", "price") == expected


def test_asking_who_sells_is_a_buyers_post():
    assert {o[2] for o in offers("有没有卖爱奇艺年卡的 便宜点 60以内")} == {"buy"}
    assert not extract("有人卖QQ号 十块一个 这价格靠谱吗")["is_listing"]  # hearsay stays talk


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("收 实名 支付宝 三十 要能刷脸的 四十", [("account", "alipay")] * 2),  # what it can do
        ("收 珍爱 号 两百 有会员 三百", [("account", "zhenai")] * 2),  # what it has
        ("收 内部 渠道 移动 查 机主 的 接口 包月 8000 左右", [("insider_access", "china_mobile")]),
        ("出云手机 / 云群控\n云手机一台月租 45\n群控后台年费 1200", [("hardware", None)] * 2),
        ("出身份证复印件 / 电子版扫描 1 元一张", [("id_document", None)]),
        (
            "Tg内部群 · 卡商对接\n收 移动/联通 实卡 码\n微信 3.2 QQ 0.7",
            [("sms_code", "wechat"), ("sms_code", "qq")],
        ),
    ],
)
def test_grades_insiders_consoles_and_copies(text, expected):
    assert fields(text, "goods", "platform") == expected


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("出 steam 号 带 绝地求生 和 apex 便宜 出 60", "sell"),  # a game's name holds 求
        ("拼多多砍价群我们每单收2块保成功", "sell"),  # what the seller charges
        ("收美团外卖商家号，评分4.5以上，月售过千，价格五百左右", "buy"),  # 月售: its sales
        ("有出顺丰内部账号的吗？日租，预算四五百一天", "buy"),
        ("兼职 日结 出租你的闲置VX 一天30米 挂着就行", "buy"),  # renting the reader's account
        ("招人 有闲置微信号的出租给我们 一天8块 日结", "buy"),  # rented to the poster
        ("哪位老板有圆通的查件渠道 一次2块我要", "buy"),  # asking which boss has it
        ("我们需要 滴滴 司机号 长期租 一天 80 有的滴滴我", "buy"),
        ("有老板收返照吗我这有渠道 1 块一次走量", "sell"),  # asking who buys
    ],
)
def test_who_sells_and_who_buys(text, side):
    assert {o[2] for o in offers(text)} == {side}


def test_likes_and_gifts_bought_for_a_profile_are_engagement():
    assert {o[0] for o in offers("探探 刷 喜欢 \n100个 10 \n1000个 80\n超喜 一个 1块")} == {
        "fake_engagement"
    }
    assert offers("出抖音直播间刷礼物刷榜，一万音浪 八十")[0][0] == "fake_engagement"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 QQ 代挂 太阳 包月 15 一年 150 秒上", [(15, "month"), (150, "year")]),  # 秒上: at once
        ("出 奈飞 合租 车位 一个月 25 一年 240 4K 独享", [(25, "month"), (240, "year")]),  # 4K
        ("猫池 32口 2500\n64口 4200\n128口 私聊", [(2500, "item"), (4200, "item"), (None, "item")]),
    ],
)
def test_speed_words_resolutions_and_grades_priced_on_asking(text, expected):
    assert fields(text, "price", "unit") == expected


def test_a_code_lists_rows_named_by_one_character():
    found = offers("【今日码价】\n🍀 薇 4.2\n🍀 扣 1.3\n🍀 陌 1.4\n🍀 探 1.1\n🍀 灵魂 0.9")
    assert [o[1] for o in found] == ["wechat", "qq", "momo", "tantan", "soul"]
    assert [o[1] for o in offers("jie码 Q 1.8 V 4.5 抖 0.8 快 0.8")][1:] == [
        "wechat", "douyin", "kuaishou",
    ]  # fmt: skip
    # outside a code list a character is only a word (what 出 … 30 一个 sells is unknown)
    assert [o[:2] for o in offers("出 快 30 一个")] == [("other", None)]


@pytest.mark.parametrize(
    ("text", "platforms"),
    [
        ("出全国快递单号查询，顺丰 十块圆通 六块其他 五块", ["sf", "yto", None]),  # the rest
        ("出 钉钉 企业认证号 200 \n飞书号 50\n企业微信 认证 300", [None, None, "wechat"]),
        ("出 苹果 手机 改机 软件 年卡 三百 终身 八百", [None, None]),  # a phone's maker
        ("转转：数字商品 小红书 万粉号 拍下改价 实价850", ["xiaohongshu"]),  # where it is listed
        ("出咸鱼号 / 转转号\n咸鱼实名 28\n转转实名 15", ["xianyu", None]),
    ],
)
def test_unlisted_companies_the_rest_and_makers_of_devices(text, platforms):
    assert fields(text, "platform") == platforms


def test_clocking_in_for_someone_is_other():
    assert offers("出 钉钉 打卡 代打卡 一个月 60 不用 上班 也 能 全勤")[0][:2] == ("other", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 抖音 蓝V 认证 一次 500 代 开 企业号 全包", [("verification_service", "douyin")]),
        ("出抖音企业号，蓝V认证的，1500一个", [("account", "douyin")]),  # an account that has it
        (
            "出 微博 金V号 800 蓝V 认证 一次 1500",
            [("account", "weibo"), ("verification_service", "weibo")],
        ),
        ("出 企业 对公户 一套 一万 出租的话 包月五千", [("bank_card", None)] * 2),  # rented
        ("我这有网纹 三块一张 五百张起 老客户 二块五", [("id_document", None)] * 2),  # customers
        ("公众号 阅读 1000 次 10 元", [("fake_engagement", "wechat")]),
    ],
)
def test_badges_rented_bank_accounts_and_things_that_come_with_goods(text, expected):
    assert fields(text, "goods", "platform") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 陌陌 直播间 人气 1000人 15元 一小时", [(15, 1000)]),  # an audience, per hour
        ("收扣扣号9位数的3块8位数的20", [(3, 1), (20, 1)]),  # lengths grade the next item
        ("出 TG 靓号用户名 4 位 字母 300U 5 位 80U 可议", [(300, 1), (80, 1)]),
        ("有出 移动 注册卡 的吗 收 500张 18以内", [(18, 1)]),  # how many the buyer takes
        ("新到一批宝妈数据带孩子年龄 1 万条 350 10 万条 3000", [(350, 10000), (3000, 100000)]),
        ("出 贷款 数据 三天内 0.4 一条 超过 7 天 0.1 一条", [(0.4, 1), (0.1, 1)]),
    ],
)
def test_audiences_lengths_thresholds_and_counts_after_words(text, expected):
    assert batches_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("公众号 出售 5000 粉 1200 / 订阅号 空壳 300", [("account", 1200, 1), ("account", 300, 1)]),
        ("视频号 粉丝 1000 个 35 元", [("fake_engagement", 35, 1000)]),  # fans sold as such
    ],
)
def test_channels_sold_with_followers_and_shops_with_sales(text, expected):
    assert fields(text, "goods", "price", "per_qty") == expected


def test_points_of_a_fee_are_no_price():
    assert all(o[3] is None for o in offers("代付 淘宝 订单 手续费 5 个点 秒付 出"))


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("出 爱奇艺 优酷 芒果 会员 月卡 都是 9.9 一个 直 充", ["item"]),  # a card, per card
        ("出 原神 月卡 代充 24 一个", ["item"]),
        ("腾讯 视频 会员 月卡 8", ["month"]),  # a membership by the month
        ("群控软件 年卡1200 月卡150", ["year", "month"]),
    ],
)
def test_a_card_of_a_period_priced_each_is_an_item(text, units):
    assert fields(text, "unit") == units


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("出 微信号 一年老号 260", [260]),  # the account's age, not a yearly capacity
        ("威信 号 女号 满月 55 男号 满月 45 一年 女号 280 男号 240", [55, 45, 280, 240]),
    ],
)
def test_an_accounts_age_before_its_grade_is_no_capacity(text, prices):
    assert prices_of(text) == prices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 拼多多 商家 后台 账号 一天 300 可查 订单", [(300, "day")]),
        ("求 租 顺丰 网点 账号 一天 三百 能查件就行", [(300, "day")]),
        ("每天500精准粉 一个3块", [(3, "item")]),  # how many a day, then the price
    ],
)
def test_a_daily_price_before_what_the_account_can_do(text, expected):
    assert fields(text, "price", "unit") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("收 哔哩哔哩 粉丝 真人 1000 粉 价格 50 内", [(50, 1000)]),  # a count naming the good
        ("收料 贷款的 逾期的都要 1w条给500", [(500, 10000)]),  # what a buyer gives for the lot
        ("出微信号 十个 价格两百", [(200, 1)]),  # but a count of accounts, then a price each
        ("出 抖音 直播 间 人气 \n100人 在线1小时 15\n500人 60", [(15, 100), (60, 500)]),
        ("dy 直播间 人气 一百人 一小时 十五 千人 一小时 一百二", [(15, 100), (120, 1000)]),
        ("快手 人气 100 人 在线 一小时 10 块 / 千人 在线 一小时 90", [(10, 100), (90, 1000)]),
    ],
)
def test_batches_priced_after_a_bid_word_or_the_audiences_hour(text, expected):
    assert batches_of(text) == expected


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("查 户籍 八十 查 婚姻 一百 查 名下车辆 一百二", [80, 100, 120]),  # spaced-out words
        ("出 假 毕业证 各大高校 一份 三百五 含 学位证 五百", [350, 500]),
        ("soul 号 出 带等级 18 一个 要的私", [18]),  # a grade: accounts with levels
        ("Soul号\n普通 8\n带等级 20\n认证号 45", [8, 20, 45]),
        ("qq 等级 32 号 50", [50]),  # but a level is no price
        ("qq号 带等级 32级 50", [50]),
    ],
)
def test_prices_after_spaced_words_and_grades_with_levels(text, prices):
    assert prices_of(text) == prices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 微博 号 实名 五块 带粉 一千 二十", [(5, 1, None), (20, 1, None)]),  # has 1000 fans
        ("出 抖音 达人 号 1w 粉 带 橱窗 1100", [(1100, 1, None)]),  # has a shop window: a grade
        ("出 WS 号 英国 4u 一次拿五十个 2.5u", [(4, 1, None), (2.5, 1, 50)]),  # a tier's minimum
    ],
)
def test_what_an_account_has_and_how_many_are_taken_at_once(text, expected):
    assert fields(text, "price", "per_qty", "min_qty") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出扣扣号 批发价 一百个一千五 单个 二十", [(1500, 100, None), (20, 1, None)]),
        ("出 wx 号 满月号 一律 45 100 个 起 批 40", [(45, 1, None), (40, 1, 100)]),
        ("探探号 12 起批 50", [(12, 1, 50)]),  # no count before 起批: the order minimum
    ],
)
def test_tiers_taken_single_or_from_a_count(text, expected):
    assert fields(text, "price", "per_qty", "min_qty") == expected


def test_a_buyers_rough_bid_after_a_grade():
    assert prices_of("收 QQ 靓号 六位数 五千起收 七位 800左右") == [5000, 800]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出售 学信网 可查 学历 大专 1500", [("other", "sell", 1500)]),
        ("收 米 哈 游 账号 原神 崩铁 双修 的 一千以内", [("account", "buy", 1000)]),
    ],
)
def test_diplomas_that_pass_a_check_and_accounts_of_a_game_company(text, expected):
    assert fields(text, "goods", "side", "price") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("微信号 50个 一起拿 2000", [(2000, 50, None)]),  # the lot taken together
        ("微信号 300 起拿 5", [(300, 1, 5)]),  # the order minimum
    ],
)
def test_a_lot_taken_together_is_no_order_minimum(text, expected):
    assert fields(text, "price", "per_qty", "min_qty") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 s o u l 号 女号 二十", [("account", "soul", 20)]),  # an alias spaced letter by letter
        ("出 知 乎 宝 实 名 号 五 百 五", [("account", "alipay", 550)]),  # 支付宝 disguised
        ("出抖币 代充 7折 1000抖币 70", [("other", "douyin", 70)]),  # a platform's coins
        ("快手 1000快币 80", [("other", "kuaishou", 80)]),
    ],
)
def test_spelled_out_and_disguised_platforms_and_their_coins(text, expected):
    assert fields(text, "goods", "platform", "price") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 蝦 皮 簡 訊 碼 台 灣 號 每 個 0.6U", [("sms_code", 0.6)]),  # 簡訊: Taiwan's SMS
        ("查 出险 维修 保养 记录 28一次 车架号就行", [("lookup_service", 28)]),  # a VIN, no account
        ("代注册 谷歌账号 1.2u 一个", [("account", 1.2)]),  # the accounts are what is sold
    ],
)
def test_more_words_of_codes_and_look_ups(text, expected):
    assert fields(text, "goods", "price") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "💎TG频道出售💎\n💰价格表\n微信老号 55U\nQQ白号 0.4U",  # where it is sold, then rows
            [("account", "wechat", 55), ("account", "qq", 0.4)],
        ),
        ("微信 QQ\n老号 50", [("account", "wechat", 50), ("account", "qq", 50)]),
        ("出 原神 月卡 代充 24 一个 648 代充 480", [("other", None, 24), ("other", None, 480)]),
        ("接码 京东 0.9 充值 100 起", [("sms_code", "jd", 0.9)]),  # a price, then a top-up
    ],
)
def test_a_platform_line_above_rows_and_face_values_of_top_ups(text, expected):
    assert fields(text, "goods", "platform", "price") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("求租扣扣号 三天 价格好说 有的滴我", [(None, 1, "day")]),  # wanted for days
        ("出 扣扣 号 日租 1.5 批量租 100个 一天 100", [(1.5, 1, "day"), (100, 100, "day")]),
        ("出 微信 号 出租 一周 200 包 月 700 号 都 是", [(200, 1, "week"), (700, 1, "month")]),
        ("抖音直播间人气 100人 一小时 30", [(30, 100, "item")]),  # an audience, not a rental
    ],
)
def test_rentals_by_the_span_asked_and_batches_by_the_day(text, expected):
    assert fields(text, "price", "per_qty", "unit") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出苹果 ID 美区，带余额的 二十 U ，空号 三 U", ["account", "account"]),  # a blank account
        ("出 Steam 号 \n带皮肤 500起\n空号 15", ["account", "account"]),
        ("出 微信号 300 空号 10元一张", ["account", "sim_card"]),  # numbers, by the card
        ("白卡 10 空号 8", ["sim_card", "sim_card"]),
        ("出 大量 空号 筛选 ，十万 号 三十 块", ["other"]),  # screening numbers, a service
    ],
)
def test_an_empty_account_after_accounts_and_empty_numbers(text, expected):
    assert fields(text, "goods") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("🔸出 抖音 私信 号 ，一天 租金 十块 ，五十 个 起 租", [("account_rental", 10, "day")]),
        ("抖音私信号 30一个", [("account", 30, "item")]),
    ],
)
def test_rent_by_the_day_and_accounts_that_send_messages(text, expected):
    assert fields(text, "goods", "price", "unit") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 二手 卡池 128卡位 + 32口 猫池 一套，1萬8 蚊", [("hardware", "sell", 18000)]),
        ("电信注册卡 🉑收短信 十块一张", [("sim_card", "sell", 10)]),  # 🉑 is 可
        ("收 台灣門號 可收簡訊 一個 15U", [("sim_card", "buy", 15)]),
        ("收香港銀行戶口，匯豐/中銀都得，一個 6000蚊", [("bank_card", "buy", 6000)]),
        ("GoIP 32口 网关 出 1300U 一台", [("hardware", "sell", 1300)]),
        ("SIM box 128-port, used 3 months, $4200", [("hardware", "sell", 4200)]),
        ("招卡农 ‖ 工行 建行 银行卡 一张 3000", [("bank_card", "buy", 3000)]),
        ("Hiring SIM card dealers, we buy OTP for WhatsApp at $0.5", [("sms_code", "buy", 0.5)]),
        ("谁有出实名手机卡的 要移动的 30以内", [("sim_card", "buy", 30)]),
        ("贷款数据 宝妈数据 都有 1000条200 要的评论区扣1", [("personal_data", "sell", 200)]),
        ("Buying bank cards, 1800 RMB per set, paid in USDT at 7.2", [("bank_card", "buy", 1800)]),
    ],
)
def test_overseas_words_emoji_words_and_numbers_that_are_no_price(text, expected):
    assert fields(text, "goods", "side", "price") == expected


def test_a_week_said_in_cantonese():
    assert [(o[3], o[5]) for o in offers("出租 WeChat 號 一日 40蚊，一個禮拜 250蚊")] == [
        (40, "day"),
        (250, "week"),
    ]


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("Selling aged Telegram accounts (2019-2021), $4.5 each, 100+ pcs $3.8", [4.5, 3.8]),
        ("Buying aged Facebook accounts (2015 and older) — 8 USDT each", [8]),
        ("出 微信号 (1200) 一个", [1200]),  # not a year
    ],
)
def test_years_in_brackets_are_when_the_goods_were_made(text, prices):
    assert prices_of(text) == prices


def test_the_rest_of_a_code_list_at_one_price_names_no_platform():
    assert [(o[1], o[3]) for o in offers("接码 📱\n微信 3.5\n抖音 0.6\n其余项目 统一 0.5")] == [
        ("wechat", 3.5),
        ("douyin", 0.6),
        (None, 0.5),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("数据\n1w 条 = 120U\n5w 条 = 500U", [(120, 10000), (500, 50000)]),
        ("Gambling leads, 1,000 for 35 USDT; loan leads 1,000 for 20 USDT", [
            (35, 1000), (20, 1000)]),
        ("台灣 股民 名單 5000 筆 90U", [(90, 5000)]),  # 筆, records
        ("出 微信号 10，200个起", [(10, 1)]),  # a Chinese comma separates: no 10,200
    ],
)
def test_batches_priced_with_equals_for_and_thousands_separators(text, expected):
    assert batches_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("有冇老闆收 股民 數據？手上有 3 萬條，每條 0.2 蚊", [("personal_data", "sell", 0.2)]),
        ("Need Chinese mobile SIMs with real-name, 500 pcs, paying 12 USDT each", [
            ("sim_card", "buy", 12)]),
        ("Malaysia prepaid SIM, registered, 6 USDT each, 30 pcs min", [("sim_card", "sell", 6)]),
        ("淘宝刷单 真人真号 3元一单 100单起", [("fake_engagement", "sell", 3)]),
        ("跑分 支付宝 收款码 费率 2.5% 日结 有码的老板来", [("bank_card", "buy", None)]),
        ("B站 号出售 6级号 90 / 大会员年费号 120", [
            ("account", "sell", 90), ("account", "sell", 120)]),
        ("闲鱼码 1.8\n支持U充值 汇率按7.1", [("sms_code", "sell", 1.8)]),
    ],
)
def test_sellers_asking_who_buys_english_counts_and_words_of_the_trade(text, expected):
    assert fields(text, "goods", "side", "price") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("探探 女号 35，Soul 女号 30，男号 都是 12", [
            ("tantan", 35), ("soul", 30), ("tantan", 12), ("soul", 12)]),
        ("陌陌 日租 10 ，探探 日租 12 ，包月 都是 200", [
            ("momo", 10), ("tantan", 12), ("momo", 200), ("tantan", 200)]),
        ("微信 300 QQ 50 其他 都是 10", [("wechat", 300), ("qq", 50), (None, 10)]),
        ("出 淘宝 店铺 一钻 2000 三钻 6500 皇冠 私聊", [
            ("taobao", 2000), ("taobao", 6500), ("taobao", None)]),  # a grade priced on asking
    ],
)
def test_one_price_for_every_platform_above_and_shop_grades_on_asking(text, expected):
    assert fields(text, "platform", "price") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("查 移动 机主 15元/次", [("lookup_service", "china_mobile", "query")]),
        ("联通 15 移动 18", [
            ("sim_card", "china_unicom", "item"), ("sim_card", "china_mobile", "item")]),
        ("代 刷 淘宝 销量 ，10 单 50 元", [("fake_engagement", "taobao", "item")]),
        ("出 物联网 卡 池 设备 ，一台 1500", [("hardware", None, "item")]),
    ],
)
def test_carriers_looked_up_per_query_and_more_goods_words(text, expected):
    assert fields(text, "goods", "platform", "unit") == expected


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("出 四要素 ，姓名 身份证 手机 银行卡 ，20 一套", ["personal_data"]),  # its fields
        ("银行卡 四件套 1500 身份证 正反面 5", ["bank_card", "id_document"]),
    ],
)
def test_the_fields_of_a_record_listed_after_it(text, goods):
    assert fields(text, "goods") == goods


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("🔔接码频道 每日更新\nTG 1.2U\n苹果ID 2U", ["sms_code", "sms_code"]),  # a code list's row
        ("出 微信号 300\n苹果ID 50", ["account", "account"]),
    ],
)
def test_an_apple_id_row_of_a_code_list_is_a_code(text, goods):
    assert fields(text, "goods") == goods


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("拼多多砍价助力 0.3一刀 真人秒到 100刀起", [(0.3, 1, "CNY")]),  # cuts, not dollars
        ("拼多多 砍价 100 刀 15", [(15, 100, "CNY")]),
        ("苹果ID 美区 5刀一个", [(5, 1, "USD")]),
    ],
)
def test_cuts_of_a_bargain_are_counted_not_dollars(text, expected):
    assert fields(text, "price", "per_qty", "currency") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 安卓 改机 脚本 月卡 60", [("hardware", "month")]),  # the taxonomy's software licence
        ("16口 猫池 1200\n配套 软件 终身 500", [("hardware", "item"), ("hardware", "item")]),
        ("群控 20台 一套 6000，单 软件 年费 1000", [("hardware", "item"), ("hardware", "year")]),
        ("出 微信 引流 脚本 100", [("other", "item")]),  # no device named: a script of its own
    ],
)
def test_the_software_of_devices_is_filed_with_them(text, expected):
    assert fields(text, "goods", "unit") == expected


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("四件套(姓名+身份证+手机+照片) 两块一套", ["id_document"]),  # no card in the bundle
        ("四件套（卡+U盾+手机卡+身份证） 1600一套", ["bank_card"]),
        ("收 农行 个人卡 一张 2800", ["bank_card"]),
        ("收 台湾 提款卡 一张 500U", ["bank_card"]),
    ],
)
def test_a_bundle_is_what_its_brackets_list_and_bank_card_words(text, goods):
    assert fields(text, "goods") == goods


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the first row's goods are words the lexicon lacks: its price is not the next row's
        (
            "📌 国外卡 实名 100/张\n📌 QQ 老号 300\n📌 四件套 2500/套",
            [("account", 100), ("account", 300), ("bank_card", 2500)],
        ),
        ("300出微信老号\n200出QQ老号", [("account", 300), ("account", 200)]),  # prices first
        ("【80元】\nQQ老号\n【90元】\n微信老号", [("account", 80), ("account", 90)]),
    ],
)
def test_a_price_held_for_its_goods_does_not_shift_the_rows_below(text, expected):
    assert fields(text, "goods", "price") == expected


def test_a_table_whose_columns_are_platforms_prices_each_cell_once():
    text = "地区 | 微信 | QQ\n|---|---|---|\n美国 | 3 | 2\n英国 | 4 | 2.5"
    assert fields(text, "platform", "price") == [
        ("wechat", 3),
        ("qq", 2),
        ("wechat", 4),
        ("qq", 2.5),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出 二手 卡池 64 卡 3200", [(3200, 1)]),  # the device's slots, written apart
        ("出 卡池 设备 ，16 卡 一台 900 ，64 卡 3000", [(900, 1), (3000, 1)]),
        ("求购 猫池 128 卡位，预算 4000", [(4000, 1)]),
        ("直播间 人气 1000 一小时 30", [(30, 1000)]),  # an audience for an hour, priced whole
        ("快手 直播 人气 500 一场 60", [(60, 500)]),
    ],
)
def test_a_device_s_slots_and_an_audience_for_an_hour_are_no_price(text, expected):
    assert batches_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("返照 1.5一次，当天秒出，量大 0.9", [(1.5, "query"), (0.9, "query")]),
        ("手持 5一张 量大 4", [(5, "item"), (4, "item")]),  # a photo taken, not looked up
    ],
)
def test_a_tier_below_a_look_up_is_priced_per_query_too(text, expected):
    assert fields(text, "price", "unit") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("内部端口 包月 15000 / 2100U", [(15000, "CNY"), (2100, "USDT")]),  # one price, two ways
        ("微信 老号 实名 280 / 40U", [(280, "CNY"), (40, "USDT")]),
        ("运营商后台 月付9000 U结也行1300U", [(9000, "CNY"), (1300, "USDT")]),
        ("TG号 1.2 2u", [(1.2, "USDT"), (2, "USDT")]),  # no exchange rate between them
    ],
)
def test_a_price_in_yuan_beside_its_price_in_usdt(text, expected):
    assert fields(text, "price", "currency") == expected


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("🔹 QQ 老号 5U / 35元\n💰 USDT / 支付宝 都收", "sell"),  # how the seller is paid
        ("顺丰网点后台 日租 500\n可查单号收寄件人", "sell"),  # a parcel's recipient
        ("跑分 支付宝码 微信码都收 费率2% 日结", "buy"),
        ("微信老号 300 长期收", "buy"),
    ],
)
def test_words_of_receiving_that_are_no_buyer_s(text, side):
    assert set(fields(text, "side")) == {side}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("接码项目\n【0101】QQ注册 1.2\n【0205】微信注册 4.5", [("qq", 1.2), ("wechat", 4.5)]),
        (
            "项目ID   名称     单价(元)\n1001     QQ       1.30\n1002     微信     4.80",
            [("qq", 1.3), ("wechat", 4.8)],
        ),
        ("项目      价格\n陌陌      1.5\nsoul      O.9", [("momo", 1.5), ("soul", 0.9)]),  # OCR O
    ],
)
def test_menu_numbers_id_columns_and_zeros_read_off_a_picture(text, expected):
    assert fields(text, "platform", "price") == expected


def test_a_device_table_by_model():
    text = "型号        口数    价格\nGSM猫池     8口     36O\n4G猫池      32口    158O"
    assert fields(text, "goods", "price") == [("hardware", 360), ("hardware", 1580)]


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("卡商出货 移动白卡 13 联通 12", ["sim_card", "sim_card"]),  # the dealer sells cards
        ("卡商直销\n移动注册卡 15元", ["sim_card"]),
        ("收码 卡商来 陌陌 1.3", ["sms_code"]),  # dealers called to deliver codes
        ("SMS API price list\nTelegram   3.20\nWhatsApp   4.10", ["sms_code", "sms_code"]),
        ("API 价格（单位：U/条）\n- wechat: 0.55\n- qq: 0.18", ["sms_code", "sms_code"]),
        ("Telegram 3.2\nWhatsApp 4.1", ["account", "account"]),
    ],
)
def test_card_dealers_who_sell_and_code_platforms_api_pages(text, goods):
    assert fields(text, "goods") == goods


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("快递料 1w = 70U ｜ 490元", [(70, 10000, "USDT"), (490, 10000, "CNY")]),  # one batch
        ("车主数据 一万条 500U 或者 3500元", [(500, 10000, "USDT"), (3500, 10000, "CNY")]),
        ("快递料 1w 80U\n微信号 560", [(80, 10000, "USDT"), (560, 1, "CNY")]),
    ],
)
def test_a_batch_priced_again_in_the_other_currency(text, expected):
    assert fields(text, "price", "per_qty", "currency") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("求租 微信号 一周 出价300", [(300, "week")]),  # the period before the bid
        ("求租 抖音号 一周，价格好说", [(None, "week")]),  # wanted for a week, unpriced
        ("引流 包月1200 / 单日60", [(1200, "month"), (60, "day")]),
    ],
)
def test_rentals_by_a_period_named_before_the_bid(text, expected):
    assert fields(text, "price", "unit") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("快递查询\n顺丰 单号 10/次\n圆通 单号 5/次", [("sf", "query"), ("yto", "query")]),
        ("定位查询 移动号380 电信号420", [("china_mobile", "query"), ("china_telecom", "query")]),
        ("查机主 50 微信号 300", [(None, "query"), ("wechat", "item")]),  # an account after it
    ],
)
def test_rows_under_a_look_up_that_name_a_waybill_or_a_carrier_s_number(text, expected):
    assert fields(text, "platform", "unit") == expected


def test_a_feature_an_account_has_is_not_a_count():
    assert prices_of("出 抖音号 一级号带橱窗130 千粉160") == [130, 160]


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("拼多多 砍一刀 0.3一个", ["fake_engagement"]),  # not a cut counted in 刀
        ("抖音 控评 1条0.8", ["fake_engagement"]),
        ("淘宝 收藏加购 0.3一个 / 关注店铺 0.2", ["fake_engagement", "fake_engagement"]),
        ("Steam游戏激活码 88", ["other"]),
        ("美团 代金券 50面值 38出", ["other"]),
        ("代刷 王者荣耀 段位 星耀到王者 260", ["other"]),  # rank boosting, not engagement
        ("8口 猫池 680\n群发软件 永久 300", ["hardware", "other"]),  # software of its own
        ("steam 国区账号 空号 15", ["account"]),  # a blank account, not a SIM card
        ("收 微信实名号 可以刷脸的 150一个", ["account"]),  # what the account can do
    ],
)
def test_words_of_engagement_vouchers_keys_and_what_an_account_can_do(text, goods):
    assert fields(text, "goods") == goods


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("收 二手猫池 64口 2000 坏的也收", "buy"),
        ("Facebook 老号 $5 USDT也收", "sell"),  # how the seller is paid
    ],
)
def test_buying_the_broken_ones_too_and_taking_usdt_too(text, side):
    assert set(fields(text, "side")) == {side}


def test_per_ten_thousand_written_as_a_word():
    assert batches_of("空号检测 每万 20") == [(20, 10000)]


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("收 探探码 1.2以内 量大 每天三四千", [1.2]),  # a daily volume
        ("陌陌码 可做 日量800 价格 1.4", [1.4]),
        ("出租 企业微信 包月260 上限3000", [260]),
        ("四要素 20 一套 ，试料 5 条", [20]),  # a sample's size
        ("项目 QQ 单价 ¥1.00，批量(≥500) ¥0.85", [1.0, 0.85]),
        ("接码 调价：陌陌1.5→1.4 探探1.2", [1.4, 1.2]),  # the old price, then the new
        ("微信号 一年：460→\nQQ 老号：15↑", [460, 15]),  # 460→ alone: the price holds
        ("珍爱 新号 280\n男号 -20", [280]),  # a discount
        ("US Gmail aged 2018 — 1.5U", [1.5]),  # a year
        ("物联卡 30元/张\nUSDT 按 7.1 结算", [30]),  # a rate of exchange
        ("CN data 2024 Q3\nLoan applicants 1k = 45U", [45]),  # a quarter, not QQ 3
        ("CN 4-factor data 1.5U per record, 2k min.", [1.5]),
    ],
)
def test_volumes_samples_old_prices_discounts_years_and_minimums_are_no_price(text, prices):
    assert prices_of(text) == prices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("批量租 微信号 100个 一天100", [("buy", "account_rental", "day")]),  # renting many
        ("出租 QQ号 一天5块 批量租100个起", [("sell", "account_rental", "day")]),
        ("收卡 一类2500 二类800", [("buy", "bank_card", "item"), ("buy", "bank_card", "item")]),
    ],
)
def test_renting_in_bulk_and_a_bank_card_s_class_named_alone(text, expected):
    assert fields(text, "side", "goods", "unit") == expected


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("QQ 代挂 一年 只要120", [120]),
        ("收一类卡 一套1500 只要18-25的", [1500]),  # ages wanted
    ],
)
def test_only_before_a_price_and_before_who_is_wanted(text, prices):
    assert prices_of(text) == prices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("收 顺丰内部账号，日租300以上可谈", [(300, "day")]),  # the least price
        ("收 淘宝号 价格300以上", [(300, "item")]),
        ("出 微信号 300以上", [(None, "item")]),  # a count or a price: not told
        ("收 微信号 实名的 2 百一个", [(200, "item")]),
        ("收 珍爱 码 2 百合 码 2", [(2, "item"), (2, "item")]),  # 百合 is a platform
        ("卡商 直供 白卡 8块 一张", [(8, "item")]),
    ],
)
def test_a_least_price_after_a_period_and_hundreds_written_apart(text, expected):
    assert fields(text, "price", "unit") == expected


def test_rented_ones_will_do_too():
    assert fields("收 骑手号 出租的也要 价格 私聊", "goods") == ["account"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("查学历 30一次 查社保 45一次", [("lookup_service", 30), ("lookup_service", 45)]),
        ("查 姓名 核对 一次 2U，查 户籍 一次 3U", [("lookup_service", 2), ("lookup_service", 3)]),
        ("300出微信老号 200出QQ老号", [("account", 300), ("account", 200)]),  # prices first
    ],
)
def test_a_price_per_query_held_for_goods_unnamed_does_not_take_the_next_row_s(text, expected):
    assert fields(text, "goods", "price") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("还剩4个满年的VX，260一个，打包900拿走", [(260, 1), (900, 4)]),  # what is left, as a lot
        ("车主料还剩6000条，0.2一条，全拿走的话900", [(0.2, 1), (900, 6000)]),
    ],
)
def test_what_is_left_priced_as_a_lot(text, expected):
    assert batches_of(text) == expected


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("车主数据 2022-2024 0.25/条 1w起", [0.25]),  # the years the records are from
        ("微信号 2000-3000", [2000]),  # a range of prices stays one
        ("微信 天25 ｜ 月480\n押金统一300 到期退", [25, 480]),  # a deposit
        ("海外接码 TG 0.9U Google 0.3U 10U起充", [0.9, 0.3]),  # the least top-up
        ("快手 双击100个1.5，最低下单10元", [1.5]),
        ("VX老号 360\nU结算按7.2", [360]),  # a rate of exchange
    ],
)
def test_years_deposits_top_ups_and_rates_are_no_price(text, prices):
    assert prices_of(text) == prices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("返照还是1.2 量大1块", [(1.2, "query"), (1, "query")]),  # a look-up's photo, bare
        ("网纹照 0.6 返照 0.9/次", [(0.6, "item"), (0.9, "query")]),
        ("查询 机主（移动联通电信）35/次", [(35, "query")] * 3),
    ],
)
def test_returned_photos_and_owners_are_priced_per_query(text, expected):
    assert fields(text, "price", "unit") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("求 接码 陌陌 1.2 以下 探探 1 以下", [("momo", 1.2), ("tantan", 1)]),  # each bid
        ("苹果ID 美区 带20刀余额 25U", [("apple", 25)]),  # the balance came first
        ("对公账户 出租 按月 1.5 万，流水不限", [(None, 15000)]),
    ],
)
def test_ceilings_bid_balances_stated_first_and_ten_thousands_written_apart(text, expected):
    assert fields(text, "platform", "price") == expected


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("收 物联卡 猫池用的 长期要 价格私聊", ["sim_card"]),  # cards for a cat pool
        ("接码分站 开一个分站588", ["other"]),  # a franchise of a code site
        ("视频认证 （摇头眨眼）35 一个", ["verification_service"]),
        ("corporate accounts 2,000 USDT", ["bank_card"]),
    ],
)
def test_goods_for_a_device_franchises_video_checks_and_corporate_accounts(text, goods):
    assert fields(text, "goods") == goods


def test_devices_used_for_group_control_are_the_goods():
    assert fields("卖二手苹果XR 6台 做群控用的 每台550", "goods") == ["hardware"]


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("Selling verified Binance accounts (KYC done) 45 USDT each", ["account"]),
        ("WTB: Binance verified accounts, EU KYC, 40 USDT each", ["account"]),
        ("出 人脸 过 的 支付宝 号 80 ，没过 脸 的 35", ["account", "account"]),
        ("人脸识别代过，微信100一个", ["verification_service"]),  # the service itself
        ("出 美团 骑手号 实名 过脸 280 一个", ["account"]),  # one that passed
        ("Telegram 账号 已过 KYC 5U", ["account"]),
        ("支付宝号 代实名 过脸 90", ["verification_service"]),  # done for the buyer
        ("收 实名 快手号 过脸的 40一个", ["account"]),
        ("代实名 支付宝 45 需要过脸的另加 30", ["verification_service"] * 2),  # extra for it
    ],
)
def test_accounts_sold_verified_are_accounts(text, goods):
    assert fields(text, "goods") == goods


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B站带粉号出 ｜ 1000粉 110 ｜ 5000粉 400", [("account", 110, 1), ("account", 400, 1)]),
        ("Selling TikTok accounts: 1k followers $15", [("account", 15, 1)]),
        ("TikTok followers 1000 for 3 USDT", [("fake_engagement", 3, 1000)]),
    ],
)
def test_followers_an_account_has_in_chinese_and_english(text, expected):
    assert fields(text, "goods", "price", "per_qty") == expected


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("卡商注意：明天起QQ码结算价 0.7", "buy"),  # a code platform paying its dealers
        ("收碼 長期 有冇卡商 陌陌 1.3蚊", "buy"),
        ("哪里有靠谱的查档 我出价300", "buy"),
        ("十年8位QQ给个价，合适的话我要三个", "buy"),
        ("有冇老細收WhatsApp號？我呢度有 每個25蚊", "sell"),  # who buys, asked by a seller
        ("收 手机号 实名 流量卡 30 元 一张", "buy"),
    ],
)
def test_more_words_of_buyers_and_sellers(text, side):
    assert set(fields(text, "side")) == {side}


def test_means_of_payment_under_a_heading_of_their_own():
    text = "━ 接码 ━\n 通用项目 0.5起\n━ 付款 ━\n USDT / 支付宝 / 微信"
    assert fields(text, "goods", "platform") == [("sms_code", None)]


def test_a_year_after_a_price_is_no_batch_of_it():
    assert batches_of("出纸飞机老号 2019年注册12U 2022年的6U") == [(12, 1), (6, 1)]


def test_single_written_onto_goods_is_no_count_of_orders():
    # 单 after a number counts orders (刷单 100单 300); written onto goods it says "alone"
    assert prices_of("出毕业证 全套4500 单毕业证2500") == [4500, 2500]
    assert batches_of("刷单 100单 300") == [(300, 100)]


def test_a_grade_written_before_the_next_price_is_no_size_of_the_one_before():
    # 30 钻: thirty diamonds; 30 钻级120: thirty for one grade, then the next grade's price
    assert prices_of("淘宝买家号 心级30 钻级120 皇冠私聊") == [30, 120, None]


@pytest.mark.parametrize(
    "text",
    [
        "接码 V 4.5 扣 1.3 陌 1.4",  # after the code word itself
        "扣 1.3 陌 1.4 灵魂 0.9 V 4.5",  # no goods word: one-character names are a code list's
        "收各平台码 卡商看过来\n微信 3\n扣 0.8\n陌 1.4",
    ],
)
def test_platforms_called_by_one_character_in_a_list_of_codes(text):
    found = {(o[0], o[1]) for o in offers(text)}
    assert {("sms_code", "qq"), ("sms_code", "momo")} <= found
    assert {o[0] for o in offers(text)} == {"sms_code"}


def test_one_character_alone_names_no_platform():
    assert offers("快 1 个小时就到")[:1] != [("sms_code", "kuaishou")]
    assert fields("出 抖音 老号 120 扣 1920338476", "platform") == ["douyin"]


@pytest.mark.parametrize(
    "text",
    [
        "接码价格（人民币 / U）\n微信 4.0 / 0.56\nQQ 0.8 / 0.11",
        "接码 单价（U / 人民币）\n微信 0.56 / 4.0\nQQ 0.11 / 0.8",
        "商品     RMB     USDT\n微信码     4.0     0.56\nQQ码     0.8     0.11",
    ],
)
def test_two_currency_columns_named_by_the_header(text):
    found = fields(text, "platform", "price", "currency")
    assert sorted(found) == [
        ("qq", 0.11, "USDT"), ("qq", 0.8, "CNY"), ("wechat", 0.56, "USDT"), ("wechat", 4, "CNY"),
    ]


def test_one_currency_in_brackets_is_no_pair_of_columns():
    assert fields("接码价格（U）\n微信 0.56\nQQ 0.11", "currency") == ["USDT", "USDT"]


def test_a_single_card_beside_a_cat_pool_is_a_sim_card():
    assert fields("32口猫池 + 32张卡 一起 1800 / 单卡 15", "goods", "price")[-1] == (
        "sim_card", 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("出移动卡 未注册过wx dy ks的 25一张", [("sim_card", "china_mobile")]),
        ("收各类三网卡 注册过微信的不要 10一张", [("sim_card", None)]),
        ("代注册 谷歌账号 1.2u一个", [("account", "google")]),  # the app it is registered on
    ],
)
def test_apps_a_card_was_registered_on_are_not_what_is_sold(text, expected):
    assert fields(text, "goods", "platform") == expected


def test_a_photo_added_to_each_look_up_is_per_query():
    assert fields("户籍查询 40一次，照片另加 20", "goods", "price", "unit") == [
        ("lookup_service", 40, "query"), ("id_document", 20, "query")]
    # with no look-up, a photo added to a document set is one more item
    assert fields("出身份证正反面 30一套 手持另加10", "unit") == ["item", "item"]


def test_a_rental_row_after_a_service_rents_the_account():
    assert fields("微信业务\n代实名 60\n日租 28 ｜ 月租 520", "goods", "unit") == [
        ("verification_service", "item"), ("account_rental", "day"), ("account_rental", "month")]


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("出 公民 信息 全国 1万条 350", "personal_data"),  # 公民信息 written as two words
        ("收 人脸 视频 动态 的 一个 30", "id_document"),  # 人脸视频
        ("出 微信 老号 300 一个", "account"),  # words that make no goods word stay apart
    ],
)
def test_a_goods_word_written_as_two_words(text, goods):
    assert fields(text, "goods") == [goods]


@pytest.mark.parametrize(
    "text",
    [
        "银行卡四件套 农行1500 建行1800 工行私",
        "出 银行卡四件套 工行1600 建行1500 农行私聊",
        "猫池 16口800 32口1400 64口私",
    ],
)
def test_the_last_variant_priced_on_asking(text):
    assert prices_of(text)[-1] is None and len(prices_of(text)) == 3


@pytest.mark.parametrize(
    "text",
    [
        "出 高仿学历证书 本科1800 硕士2600 包邮 私聊",  # how to buy, not one more variant
        "接码项目 微信 4元 QQ 1.5元 其他私聊",
        "公民四要素 25一套，三要素 6块一条，样料私",
        "出 闲鱼 鱼小铺号 200 一个 私聊",
    ],
)
def test_words_after_the_prices_are_no_variant_priced_on_asking(text):
    assert None not in prices_of(text)


def test_a_price_that_holds_and_a_game_inventory_the_account_has():
    assert fields("接码 探探1.2→1.1 陌陌1.5不变", "platform", "price") == [
        ("tantan", 1.1), ("momo", 1.5)]
    assert fields("出 Steam号 带CS库存 200-300 空号15", "price", "price_max") == [
        (200, 300), (15, None)]
    assert prices_of("物联卡 库存 500 一张 12") == [12]  # stock held is still no price


def test_rentals_by_the_day_priced_each_and_withheld():
    assert fields("陌陌号出租 一天 5块一个", "price", "unit") == [(5, "day")]
    found = fields("网点账号 韵达日租400 ，中通日租450 ，顺丰私", "price", "unit")
    assert found[-1] == (None, "day")


def test_a_count_then_a_price_near_the_price_each_is_a_tier():
    assert fields("联通注册卡 9块 ，500张 8块 ，1000张 7.5", "price", "per_qty", "min_qty") == [
        (9, 1, None), (8, 1, 500), (7.5, 1, 1000)]
    # far above the price each, the same layout is a batch; so is a count of other goods
    assert batches_of("返照 一次 两块五 一百次 二百") == [(2.5, 1), (200, 100)]
    assert batches_of("微信号 30一个 ，抖音点赞 1000个 25") == [(30, 1), (25, 1000)]


def test_a_freely_named_first_column_keeps_its_name_as_what_is_sold():
    assert fields("接码 项目 | 单价 | 起订\n饿了么 | 0.8 | 50\n美团 | 0.7 | 50", "goods") == [
        "sms_code", "sms_code"]


def test_a_letter_then_a_decimal_is_a_name_and_its_price():
    found = fields("接码 扣1.3 陌1.4 V4.5 抖0.7", "platform", "price")
    assert ("wechat", 4.5) in found and len(found) == 4


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("出 QQ号 等级号 太阳号 20 月亮号 八块", [20, 8]),  # 月亮 is no month
        ("出 抖音号 日租 四五十 看粉丝 月租 一千左右", [40, 1000]),  # a period's price, roughly
    ],
)
def test_the_last_prices_of_grades_and_periods(text, prices):
    assert prices_of(text) == prices


def test_a_currency_character_that_begins_a_courier_is_the_courier():
    assert fields("顺丰内部 日租400 圆通 日租350", "platform", "price", "currency") == [
        ("sf", 400, "CNY"), ("yto", 350, "CNY")]
    assert fields("微信 30圆 一个", "price", "currency") == [(30, "CNY")]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("有做查档的吗 户籍 我出50一次", "buy"),  # asking who does it, with a bid
        ("有做Soul接码的吗，我这边要量，一块一条能不能做", "buy"),
        ("本店有做 解封 50一次", "sell"),  # what the shop does
    ],
)
def test_asking_who_does_a_service_buys_it(text, side):
    assert fields(text, "side") == [side]


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("婚恋粉 女 25 男 15 ，宝妈粉 8 ，一次拿五十个以上 各减2", [25, 15, 8]),  # a discount
        ("Telegram $0.35\nWhatsApp $0.50\nmin deposit $10", [0.35, 0.5]),  # a deposit
        ("有 快递面单 0.9一单 每天两三千 Q 2087736150", [0.9]),  # a day's count after the price
        ("求购 支付宝 实名号 35 左右 要 18-25 的 量大", [35]),  # the ages wanted
        ("微信号出租 一个 20 每天 30-50", [20, 30]),  # near the price each: a day's price
    ],
)
def test_discounts_deposits_counts_and_ages_are_no_prices(text, prices):
    assert prices_of(text) == prices


def test_what_a_buyer_wants_a_day_is_no_unit_of_the_price():
    assert fields("收 宝妈粉 精准的 6块 每天要200个", "price", "unit") == [(6, "item")]


def test_a_card_of_half_a_year_or_a_week_priced_each_is_priced_per_card():
    found = fields("物联卡 年卡 198一张 / 半年卡 110一张，10张起发", "price", "per_qty", "unit")
    assert found == [(198, 1, "item"), (110, 1, "item")]
    assert fields("会员 周卡 5 月卡 15", "unit") == ["week", "month"]


@pytest.mark.parametrize(
    ("text", "platforms"),
    [
        ("苹果 接码 3.5 谷歌 1.2 微软 1 亚马逊 1.5", ["apple", "google", None, None]),
        ("tantan 1.1 / momo 1.4 / soul 0.85 / 其他统一 0.5", ["tantan", "momo", "soul", None]),
        ("接码平台 价目\n抖音 快手 0.6\n其它项目 0.5 起", ["douyin", "kuaishou", None]),
    ],
)
def test_unlisted_companies_and_the_rest_take_no_platform_of_the_row_before(text, platforms):
    assert fields(text, "platform") == platforms


def test_store_regions_are_variants_of_the_account():
    found = fields("苹果ID 美区 25 港区 20 日区 30 台区私 都是干净号", "price", "unit")
    assert found == [(25, "item"), (20, "item"), (30, "item"), (None, "item")]


@pytest.mark.parametrize(
    ("text", "currencies"),
    [
        ("苹果ID 国区 實名 15 美區 3刀", ["CNY", "USD"]),  # the dollar is the US store's
        ("圆通 网点账号 包月 9000 ，顺丰 包月 15000 / 2100U", ["CNY", "CNY", "USDT"]),
        ("Telegram 老号 15 新号 8U", ["CNY", "USDT"]),
        ("TG老号 20U 新号 8", ["USDT", "USDT"]),  # after the line's U, bare numbers are in U
    ],
)
def test_a_line_s_currency_reads_the_bare_numbers_after_it(text, currencies):
    assert fields(text, "currency") == currencies


def test_a_decimal_before_a_follower_grade_is_a_price_not_thousands():
    found = fields("小红书 种草 评论 一条 1.5 千粉号 80 万粉号 600", "goods", "price")
    assert found == [("fake_engagement", 1.5), ("account", 80), ("account", 600)]


def test_a_period_priced_on_asking_after_priced_periods_is_an_offer():
    found = fields("抖音 号 日租 20一个 100个起租 ，月租 私聊", "price", "unit")
    assert found == [(20, "day"), (None, "month")]


def test_a_photo_written_after_dai_and_added_on_is_a_service_of_its_own():
    found = fields("全国 户籍 查询 一次 40，带照片 另加 20，手机号机主 一次 15", "goods", "price")
    assert found == [("lookup_service", 40), ("id_document", 20), ("lookup_service", 15)]
    assert prices_of("银行卡 一类 2300 带U盾 另加 200") == [2300]  # what the card has: a grade


def test_cards_looked_up_per_query_and_a_location_that_can_be_changed():
    assert fields("查 名下 银行卡 一次 150", "goods", "unit") == [("lookup_service", "query")]
    assert fields("Soul 号 出 女号 35 可改定位 男号 20", "goods") == ["account", "account"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gmail 2k min，$0.25 each，aged 2018 $1.5", [0.25, 1.5]),  # $ opens the next amount
        ("微信号出租 日租25 三天70 一周150 号主在线", [25, 70, 150]),  # the account's owner
        ("出 快手号 三个还剩 280一个 打包800拿走", [280, 800]),  # the count before 还剩
        ("空号检测 每万20 ，实名检测 每万60", [20, 60]),  # per ten thousand, clause by clause
        ("出 B站大会员号 会员到明年6月 45", [45]),  # a date, not six months
    ],
)
def test_prices_beside_dates_signs_owners_and_counts(text, expected):
    assert prices_of(text) == expected


def test_per_ten_thousand_written_against_its_price():
    assert batches_of("空号检测 每万20 ，实名检测 每万60") == [(20, 10000), (60, 10000)]
    assert fields("空号检测 1万条 15 / 实号筛选 1万条 20", "goods") == ["other", "other"]


def test_a_rental_wanted_for_a_span_is_priced_by_that_span():
    assert fields("求租 QQ 号 一周 能登就行 预算 50", "price", "unit") == [(50, "week")]
    assert fields("出老V 8年号带圈850 3年号400", "platform") == ["wechat", "wechat"]


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("接码 蚊价 陌陌 一蚊四 探探 一蚊二 微信 五蚊半", [1.4, 1.2, 5.5]),  # Cantonese tenths
        ("抖音号 0粉白号 一块五 千粉 六十", [1.5, 60]),  # 五 is the tenths, not 5 千粉
        ("抖音评论 一条0.8  点赞一万50", [0.8, 50]),  # ten thousand likes for 50
        ("收银行卡 一类 2500 二类 800 本人去办 日结", [2500, 800]),  # the holder in person
        ("收个陌陌女号 20能出吗", [20]),  # a bid asked about
        ("出 微信号 男号260 女号加价30 带实名 另加50", [260]),  # surcharges on the account
        ("出个二手的64口卡池 用了半年 四千 带软件", [4000]),  # how long it was used
    ],
)
def test_tenths_in_words_bids_and_surcharges(text, prices):
    assert prices_of(text) == prices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("快手号出租 日租 28 / 包周 160 / 包月 私", [(28, 1, "day"), (160, 1, "week"),
                                                  (None, 1, "month")]),
        ("微信号出租 包月 四百五 季付 一千二 半年 两千", [(450, 1, "month"), (1200, 3, "month"),
                                                    (2000, 6, "month")]),
        ("出 飞机 会员 Premium 3 个月 13U 一年 35U", [(13, 3, "month"), (35, 1, "year")]),
    ],
)
def test_periods_priced_apart_withheld_and_half_a_year(text, expected):
    assert fields(text, "price", "per_qty", "unit") == expected


def test_a_year_written_apart_from_its_count_and_tmall_shops():
    found = fields("出 电报 会员 TG Premium 1 年 25U 半年 15U", "price", "per_qty", "unit")
    assert found == [(25, 1, "year"), (15, 6, "month")]
    assert fields("联通注册卡 15\n移动物联 22 年卡", "price") == [15, 22]  # a yearly card
    shops = "【出】 天猫 / 淘宝 店铺\n淘宝 C 店 一钻 1200\n天猫 旗舰店 面议"
    found = fields(shops, "platform", "price")
    assert found == [("taobao", 1200), ("taobao", None)]


def test_a_look_up_of_a_phone_names_its_goods_before_the_price():
    found = fields("查手机实名 一次 50，查开房记录 150", "goods", "price", "unit")
    assert found == [("lookup_service", 50, "query"), ("lookup_service", 150, "query")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("🔥接码🔥\n01 微信 4.2\n02 QQ 0.9\n03 抖音 0.6", [4.2, 0.9, 0.6]),  # menu numbers
        ("注册卡 十一块一张，两百张起\n量大 九块五", [11, 9.5]),  # eleven yuan
        ("快手号 百粉8 千粉45 万粉280", [8, 45, 280]),  # 8 is the hundred's price
        ("Steam 号 带 CS2 库存 300-500 空号 12", [300, 12]),  # a game's items, no id
        ("收 宝妈粉 6块一个 日要500 联系 微 bmf_shou", [6]),  # how many a day
        ("探探会员 一个月40 三个月100 秒开", [40, 100]),  # opened at once
    ],
)
def test_menu_numbers_numerals_and_what_an_account_has(text, expected):
    assert prices_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("需要一批移动实名卡，20张，预算每张25，有的滴滴", [("sim_card", "buy")]),
        ("高价租你的闲置VX！一天20", [("account_rental", "buy")]),
        ("谁有 陌陌 探探 的 码 出 1块 以内 都要", [("sms_code", "buy"), ("sms_code", "buy")]),
        ("探探 女号 实名 过脸的 22", [("account", "sell")]),  # an account verified already
        ("收卡商，灵魂码0.9", [("sms_code", "buy")]),
    ],
)
def test_buyers_renting_wanting_a_batch_and_asking_for_codes(text, expected):
    assert fields(text, "goods", "side") == expected


def test_rows_withheld_on_a_line_of_their_own_or_after_a_floor():
    found = fields("顺丰 网点账号 日租 四百\n韵达 日租 350\n中通 私\n包月另谈", "price", "unit")
    assert found == [(400, "day"), (350, "day"), (None, "day")]
    assert prices_of("TG老号8U起 双向号私") == [8, None]
    assert prices_of("电信物联卡 30\n=====私聊 v：ajie_gzs=====") == [30]  # how to buy
    assert fields("群控系统 软件年费1200\n硬件一套30台 9000", "unit") == ["year", "item"]


@pytest.mark.parametrize(
    "text",
    [
        "网易互联网内推来啦！投递简历参与内推\n内推码：71C8C40",  # a referral code, read whole
        "学长姓名焦守杰 工号211824",  # an employee's number
    ],
)
def test_codes_and_numbers_written_against_their_word_are_no_prices(text):
    assert extract(text)["offers"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SF Express insider panel rental — 60U/day, 350U/week", [(60, 1, "day"),
                                                                 (350, 1, "week")]),
        ("JD accounts for rent, monthly 30U", [(30, 1, "month")]),
        ("Instagram followers $1.5 per 1k, likes $0.8 per 1k", [(1.5, 1000, "item"),
                                                               (0.8, 1000, "item")]),
        ("Kuaishou accounts 1k fans 12U, 10k fans 70U", [(12, 1, "item"), (70, 1, "item")]),
        ("Cat pool 128-port $1,100, 256-port $1,900", [(1100, 1, "item"), (1900, 1, "item")]),
        ("Bilibili accounts lvl 6 $9, lvl 5 $5", [(9, 1, "item"), (5, 1, "item")]),
        ("Selling aged Gmail accounts (2016-2019) $1.8 each (min order 50)", [(1.8, 1, "item")]),
    ],
)
def test_english_periods_batches_followers_thousands_and_levels(text, expected):
    assert fields(text, "price", "per_qty", "unit") == expected


def test_an_english_minimum_in_queries():
    text = "Chinese ID photo lookup (返照) 0.3U per query, 500 queries min"
    found = fields(text, "price", "min_qty")
    assert found == [(0.3, 500)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("QQ aged 10y 3U\nDouyin blank 0.6U", [(3, 1, "item"), (0.6, 1, "item")]),  # an age
        ("WeChat accounts 1 year+ 65U / 6 months 45U / new 3U", [(65, 1, "item"), (45, 1, "item"),
                                                                (3, 1, "item")]),
        ("QQ groups 2000 members 25U, 500 members 8U", [(25, 1, "item"), (8, 1, "item")]),
        ("WeChat voting 1k votes = 6U", [(6, 1000, "item")]),
        ("YTO courier system access, rent by day: 55 USDT. by month: 1200 USDT.", [
            (55, 1, "day"), (1200, 1, "month")]),
        ("vehicle repair history lookup 4U/query, VIN only, 24/7", [(4, 1, "query")]),
        ("sell: Xianyu accounts with 芝麻 credit 7U, 50 in stock", [(7, 1, "item")]),
        ("sim farm 512 ports complete setup, 8,500 USDT negotiable", [(8500, 1, "item")]),
    ],
)
def test_english_ages_sizes_stock_and_periods_by_the_day(text, expected):
    assert fields(text, "price", "per_qty", "unit") == expected


def test_a_channel_s_subscribers_and_a_lot_of_devices_after_a_price_for_one():
    assert fields("收 飞机 频道 1万订阅以上 300U", "goods", "price") == [("account", 300)]
    assert batches_of("二手改机手机 一台三百五 十台三千") == [(350, 1), (3000, 10)]
    assert batches_of("群控 一套 9000 ，箱子 40台 一万八") == [(9000, 1), (18000, 1)]  # holds 40


def test_grades_over_years_calls_to_buy_and_rows_of_rentals_by_the_day():
    text = "有冇老細要微信老號 一年以上 380蚊 兩年以上 450蚊 帶支付 加50"
    assert batches_of(text) == [(380, 1), (450, 1)]  # two grades, not 380 for two years
    assert prices_of("收 京东 白条号 出价120 有的私聊") == [120]  # how to reach the buyer
    found = fields("出 网点账号 申通 日租三百五 韵达 四百 极兔 三百", "price", "unit")
    assert found == [(350, "day"), (400, "day"), (300, "day")]
    assert fields("流量卡 移动 19元 月租卡 批发 8 块一张 ，电信 9", "unit")[-1] == "item"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("陌陌号 男15女18 实名的加10 走担保", [15, 18]),  # variants written together
        ("圆通单号查询 6/次 顺丰 8/次 中通私", [6, 8, None]),  # withheld after 8/次
        ("抖音直播间人气 100人一小时25 千人一小时180", [25, 180]),  # 25, then a thousand people
        ("TikTok 美区号 5k粉25U 1w粉45U 私聊", [25, 45]),  # the next account's followers
        ("刷单 淘宝补单8元一单 京东10 抖音小店7 本金垫付", [8, 10, 7]),  # the money advanced
        ("出 美团外卖商家号 带评分4.8 800 新店号200", [800, 200]),  # a rating
        ("收快递面单 0.8一单 每天要三千 有渠道的私聊", [0.8]),  # how to reach the buyer
        ("收 陌陌语音码 2块一条 卡商私", [2]),  # calling card dealers, no variant
        ("出淘宝买家号 信誉1心 5块，3心 20，1钻 50", [5, 20, 50]),
    ],
)
def test_variants_together_audiences_followers_and_calls_to_reach(text, expected):
    assert prices_of(text) == expected


def test_bids_for_a_batch_a_lot_and_a_system_and_records_looked_up():
    assert batches_of("收抖音直播间人气 1000人一小时 预算40") == [(40, 1000)]
    assert batches_of("急！收 联通物联卡 100张 打包给1800") == [(1800, 100)]
    assert batches_of("求购群控系统 20台的 预算5000 二手也行") == [(5000, 1)]
    found = fields("查档：户籍 50/次 婚姻 80/次 学历 40/次 秒出", "goods", "unit")
    assert found == [("lookup_service", "query")] * 3
    assert fields("IP代理 动态住宅 包月260", "goods", "unit") == [("other", "month")]


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("出 soul号 女 二十 男 十二 ，带等级的 私", [20, 12, None]),  # a grade with what it has
        ("苹果ID 美区 $2.5 一个 有余额的私", [2.5, None]),
        ("DY 千粉号 八十 ，KS 千粉 七十 ，DY 万粉 私", [80, 70, None]),  # a label in words apart
        ("微信 新号 6\nQQ 白号 0.9\nQQ 等级号 私\n需要联系", [6, 0.9, None]),  # a row of its own
        ("求 抖音点赞 5w个 预算1000 能做的私", [1000]),  # those who can, to reach the buyer
        ("股民数据 1w 条 = 150U\n试料私 @stockdata_cn", [150]),  # a sample on asking
        ("对公出租 日租 350\n走担保 私聊", [350]),  # how to buy, on a line of its own
    ],
)
def test_grades_priced_on_asking_written_apart_or_with_what_they_have(text, prices):
    assert prices_of(text) == prices


def test_records_by_their_age_years_naming_accounts_and_a_batch_rented_by_the_day():
    found = fields("贷款数据 当天的 0.6一条 三天内 0.3 一周的 0.15", "price", "unit")
    assert found == [(0.6, "item"), (0.3, "item"), (0.15, "item")]
    text = "Selling Gmail aged accounts: 2015 $5, 2018 $2.5, new $0.6. Min order 50."
    assert prices_of(text) == [5, 2.5, 0.6]
    found = fields("批量出租 微信号 一百个 一天 200", "price", "per_qty", "unit")
    assert found == [(200, 100, "day")]
    assert fields("SMS API 价格（U/条）\nTelegram 0.9", "currency") == ["USDT"]


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        ("淘宝 刷单 一单 6 块 ，拼多多 5 块 ，京东 8 块 ，带图好评 另加 2", [6, 5, 8]),
        ("淘宝 买家秀 一单 十五 带图 追评 加五块", [15, 5]),  # a review of its own
        ("婚恋号 女号160 男号190 带照片的另加20", [160, 190]),  # accounts with photos: a grade
        ("抖音 账号 出租 直播 用 一天 50 ，一个月 1000 左右", [50, 1000]),  # a month, roughly
    ],
)
def test_surcharges_on_engagement_and_photos_of_accounts(text, prices):
    assert prices_of(text) == prices


def test_accounts_without_a_membership_and_a_lookup_bid_per_query():
    text = "出 婚恋号 珍爱 带会员 550 ，没会员 300 ，百合 带会员 200 ，佳缘 私"
    assert fields(text, "goods") == ["account"] * 4
    found = fields("收 快递 内部 单号 查询 渠道 ，圆通 一次 我给 3 块", "goods", "unit", "price")
    assert found == [("lookup_service", "query", 3)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("给 40 一个 收 闲鱼 鱼小铺号 有的私", [("account", "xianyu", "buy", 40)]),  # bid first
        ("80 收 快手 老号", [("account", "kuaishou", "buy", 80)]),  # the side written apart
        ("出 1688 商家号 一千五", [("account", None, "sell", 1500)]),  # a name, not a price
    ],
)
def test_a_price_before_the_goods_written_apart(text, expected):
    found = [(g, p, s, round(price / qty, 4)) for g, p, s, price, qty in fields(
        text, "goods", "platform", "side", "price", "per_qty")]
    assert found == expected
