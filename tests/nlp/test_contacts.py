"""Contacts as a seller writes them, and the victims' numbers that must never become one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.contacts import find_contacts

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

# Identity and card numbers with valid check digits (GB 11643, Luhn), as they appear in 料子.
ID_1 = "440306198805143010"
ID_2 = "320583199208174426"
CARD_UNIONPAY = "6222024000123456788"


def contacts(text: str) -> list[tuple[str, str]]:
    return [(c["type"], c["value"]) for c in find_contacts(text)]


# -- QQ -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("公民信息 0.5一条，1000条起，可看样料 Q 2049385761", "2049385761"),
        ("出顺丰网点账号，包月15000，非诚勿扰 Q:1357924680", "1357924680"),
        ("返照查询 2元一次，秒出，扣扣 1029384756", "1029384756"),
        ("数据0.8一条，企鹅 3048576612", "3048576612"),
        ("老号批发 qq号:861204573 随时在", "861204573"),
        ("收号80出号100 Q号 3390127845", "3390127845"),
        ("接码平台长期稳定 🐧2738491056", "2738491056"),
        ("走量的加Q👉 1122334455", "1122334455"),
        ("售后找客服ＱＱ：１２３４５６７８９", "123456789"),
        ("有事发邮件 2049385761@qq.com", "2049385761"),
    ],
)
def test_qq_id_without_its_marker(text, value):
    assert contacts(text) == [("qq", value)]


@pytest.mark.parametrize(
    "text",
    [
        "高价收实名QQ号，10年以上的20一个",
        "QQ1.5元一条，微信4元一条",
        "QQ 10000个起批，量大价优",
        "Q币 100面值 9折出",
        "q群 12345678 进群看价格",  # a group number, not a person to write to
    ],
)
def test_qq_as_goods_or_price_is_no_contact(text):
    assert [c for c in contacts(text) if c[0] == "qq"] == []


# -- WeChat ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("注册卡现货 11元一张，50张起拿 V：zck_1188", "zck_1188"),
        ("抖音号出租，日租30 VX: dyzu_777", "dyzu_777"),
        ("淘宝买家数据 0.2一条 wx: tbsj_2024", "tbsj_2024"),
        ("婚恋粉 25元一个 薇：hunlianfen66", "hunlianfen66"),
        ("实名号批发 威信 weixin_8899", "weixin_8899"),
        ("代实名 V信 ab12345", "ab12345"),
        ("卫星：kefu_2024 全天在线", "kefu_2024"),
        ("老板们有货直接➕V zhang_san88", "zhang_san88"),
        ("有货的加V：13800138000", "13800138000"),
        ("合作请加我微信：zhangsan 详聊", "zhangsan"),
        ("vx：wxid_abc123xyz", "wxid_abc123xyz"),
        ("＋V：ｚｃｋ＿１１８８", "zck_1188"),
    ],
)
def test_wechat_id_without_its_marker(text, value):
    assert contacts(text) == [("wechat", value)]


@pytest.mark.parametrize(
    "text",
    [
        "微信 taobao号 都有，价格私聊",  # a platform list, not an id
        "V我50 看看实力",
        "VIP会员号 80一个",
        "VX号出售 实名老号 380一个",
        "微信 4.5元一条，QQ 1.5元一条",
        "微信 10000个起 量大从优",
    ],
)
def test_wechat_word_is_no_contact(text):
    assert [c for c in contacts(text) if c[0] == "wechat"] == []


# -- Telegram -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("TG老号8U，新号1.5U，批发找 @tg_hao_shop", "tg_hao_shop"),
        ("WhatsApp号：韩国5U一个 TG: @ws_numbers", "ws_numbers"),
        ("全球号段，飞机 @jiema_global", "jiema_global"),
        ("四件套走担保 纸飞机：sjt_888", "sjt_888"),
        ("电报 heishi_kf1 24小时", "heishi_kf1"),
        ("贷款数据 1000条300，频道 t.me/daikuan_data", "daikuan_data"),
        ("历史价格看频道 https://t.me/s/heishi_ch/123", "heishi_ch"),
        ("点这里 tg://resolve?domain=abc_shop 私聊", "abc_shop"),
        ("✈️ @cheap_data 秒回", "cheap_data"),
    ],
)
def test_telegram_username_without_at(text, value):
    assert contacts(text) == [("telegram", value)]


def test_telegram_invite_link_is_a_url_not_a_username():
    assert contacts("进群 https://t.me/+AbCdEf123") == [("url", "t.me/+AbCdEf123")]


@pytest.mark.parametrize(
    "text",
    [
        "有问题发邮件 kefu_shop@gmail.com",
        "TG Premium 会员 3个月 12U",
        "飞机号 2U一个 秒发",
    ],
)
def test_no_telegram_from_mail_or_goods(text):
    assert [c for c in contacts(text) if c[0] == "telegram"] == []


# -- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("VX号出售 实名老号 380一个，电话 171 2290 4431", "17122904431"),
        ("群控设备一套 6800元，手机：138-0013-8000", "13800138000"),
        ("猫池批发 +86 139 1234 5678", "13912345678"),
        ("门店地址见图 座机 0755-26543210", "075526543210"),
        ("企业卡办理 热线 400-800-1234", "4008001234"),
        ("箱子整箱出 有需要的直接打15902147735", "15902147735"),
    ],
)
def test_phone_as_digits(text, value):
    assert contacts(text) == [("phone", value)]


def test_same_number_on_wechat_is_both_contacts():
    assert contacts("手机微信同号 13800138000") == [
        ("phone", "13800138000"),
        ("wechat", "13800138000"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "快递单号 075526543210 已发出",  # a bare 12-digit number is not a landline
        "编号12345678901 的那批料子",  # not a valid mobile prefix
        "价格 1380 一套",
    ],
)
def test_numbers_that_are_not_phones(text):
    assert contacts(text) == []


# -- URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("接码平台 稳定不掉线 官网 www.jm168.top", "www.jm168.top"),
        ("注册地址：http://x.cn/a", "x.cn/a"),
        ("API文档 https://jm-api.xyz/reg?code=88。有问题找客服", "jm-api.xyz/reg?code=88"),
        ("备用域名 jiema888.com 被墙了换这个", "jiema888.com"),
    ],
)
def test_url_as_written_without_scheme(text, value):
    assert contacts(text) == [("url", value)]


@pytest.mark.parametrize("text", ["1.5元一条 0.8元起", "改机软件v2.0版本 150一套", "Apple ID 美区"])
def test_prices_and_versions_are_not_urls(text):
    assert contacts(text) == []


# -- several, order, buyers -----------------------------------------------------------------


def test_several_contacts_in_order_each_once():
    text = (
        "【长期收】微信老号 实名满一年80一个\n"
        "V：shouhao2020  备用V：SHOUHAO2020\n"
        "TG @shouhao_bot 电话 13760028814 Q 2049385761"
    )
    assert contacts(text) == [
        ("wechat", "shouhao2020"),
        ("telegram", "shouhao_bot"),
        ("phone", "13760028814"),
        ("qq", "2049385761"),
    ]


def test_buyer_contact_on_buy_post_is_a_contact():
    assert contacts("求购珍爱网老号，带会员的优先，价格私聊 V：zhenai_buy") == [
        ("wechat", "zhenai_buy")
    ]


def test_chatter_has_no_contacts():
    assert contacts("群主在吗，审核一下我的广告") == []
    assert contacts("") == []


# -- victims' data is never a contact --------------------------------------------------------


def test_sample_records_are_not_contacts():
    text = (
        "出全国公民四要素 1元一条 500条起\n"
        "样料如下：\n"
        "王*伟 13912345678 北京市朝阳区建国路88号\n"
        "李*娜 15800001111 深圳市南山区科技园\n"
        "需要的联系 13760028814"
    )
    assert contacts(text) == [("phone", "13760028814")]


def test_masked_sample_then_seller_qq():
    text = "样料展示：张**，138****5621，广东深圳***\n公民数据0.8一条，500条起，企鹅 3048576612"
    assert contacts(text) == [("qq", "3048576612")]


def test_preview_with_labelled_fields_is_not_a_contact():
    text = (
        "快递面单 1元一单，实时新鲜\n"
        "预览：\n"
        "收件人：赵丽 电话：15912345678 地址：杭州市西湖区文三路\n"
        "收件人：钱明 电话：18611112222 地址：南京市鼓楼区\n"
        "下单找 V：miandan_2024"
    )
    assert contacts(text) == [("wechat", "miandan_2024")]


def test_account_rows_in_a_sample_are_not_contacts():
    text = (
        "QQ老号出售 十年以上 8元一个\n"
        "样号：\n"
        "2049385761----abc123456\n"
        "QQ：1357924680 密码：qwe789\n"
        "要的联系 V：qqhao_pf"
    )
    assert contacts(text) == [("wechat", "qqhao_pf")]


def test_identity_number_is_never_a_phone_or_qq():
    assert contacts(f"身份证号 {ID_1} 出生日期对得上") == []
    assert contacts(f"Q {ID_1}") == []


def test_card_number_is_never_a_phone_or_qq():
    assert contacts("卡号 6222 0240 0012 3456 788 已实名") == []
    assert contacts(f"Q{CARD_UNIONPAY}") == []


def test_record_row_without_marker_is_not_a_contact():
    assert contacts("张伟,13800138000,广东省深圳市南山区科技园") == []
    assert contacts(f"王伟|13912345678|{ID_2}|北京市朝阳区") == []


def test_seller_contact_after_a_sold_card_number_stays():
    text = f"四件套出，卡号{CARD_UNIONPAY}，Q 12345678"
    assert contacts(text) == [("qq", "12345678")]


def test_a_list_of_bare_numbers_is_data():
    text = "空号检测后的有效号：\n13800138000\n13900139000\n13700137000\n一毛一个"
    assert contacts(text) == []


def test_sample_on_request_is_not_a_sample():
    # "可看样料" offers to show samples; the QQ after it is the seller's.
    assert contacts("贷款数据 可看样料，Q：2049385761") == [("qq", "2049385761")]


# -- the labelled dev set and real chat text -------------------------------------------------


def test_dev_set_contact_f1():
    path = SHARED / "data" / "dev_posts.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not present (shared labelled data)")
    tp = n_pred = n_gold = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        post = json.loads(line)
        gold = {(c["type"], str(c["value"]).lower()) for c in post.get("contacts", [])}
        pred = {(t, v.lower()) for t, v in contacts(post["text"])}
        tp, n_pred, n_gold = tp + len(gold & pred), n_pred + len(pred), n_gold + len(gold)
    precision, recall = tp / max(n_pred, 1), tp / max(n_gold, 1)
    assert 2 * precision * recall / (precision + recall) >= 0.95


def test_real_qq_group_export_reads_without_error():
    path = SHARED / "samples" / "qq_export_txt" / "pangjiuzala__wordFinder__全部消息记录.txt"
    if not path.exists():
        pytest.skip(f"{path} not present (shared real samples)")
    text = path.read_text(encoding="utf-8-sig")
    found = find_contacts(text)
    assert all(c["type"] in {"qq", "wechat", "telegram", "phone", "url"} for c in found)
    assert all(c["value"] and c["value"] == c["value"].strip() for c in found)


# -- junk and size ---------------------------------------------------------------------------

JUNK = st.text(
    alphabet=st.sampled_from(
        list(
            "0123456789 -:：@./*|,，\n\tQqVvXxTGabc_样料如下张王李省市号码电话微信飞机扣扣企鹅🐧➕"
        )
    ),
    max_size=300,
)


@given(JUNK)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_never_crashes_and_values_are_clean(text):
    for c in find_contacts(text):
        assert c["type"] in {"qq", "wechat", "telegram", "phone", "url"}
        assert c["value"] and not c["value"].startswith(("@", "http"))


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_unicode_is_fine(text):
    assert isinstance(find_contacts(text), list)


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    "unit",
    ["1", "1 ", "Q", "a.", "1*", "样料：\n", "@abcd", "V:", "张三,13800138000,广东省深圳市\n"],
)
def test_one_megabyte_of_repetition_ends(unit):
    text = unit * (1_000_000 // len(unit))
    found = find_contacts(text)
    assert len(found) <= 1


def test_chat_mention_of_a_short_nickname_is_not_a_username():
    assert contacts("@Apple 代注册申明怎么写？") == []
    assert contacts("申请时间早就过去了。@Young") == []
    assert contacts("找 @durov_1 或 @heishiadmin") == [
        ("telegram", "durov_1"),
        ("telegram", "heishiadmin"),
    ]


def test_host_after_a_dash_in_chinese_text():
    assert contacts("校招官网(互联网campus.163.com|有道-hr.youdao.com)") == [
        ("url", "campus.163.com"),
        ("url", "hr.youdao.com"),
    ]


def test_wechat_contact_phrase():
    assert contacts("实习生简历发我 微信联系：18868103587") == [("wechat", "18868103587")]


@pytest.mark.parametrize(
    "marker", ["【样料】", "样料👇", "数据预览：", "样本", "部分数据如下", "例："]
)
def test_sample_markers(marker):
    text = (
        f"车主信息 0.3一条 1w条起\n{marker}\n"
        "陈*明 13912345678 粤B·12345 广州市天河区\n"
        "周*芳 15800001111 粤A·54321 佛山市南海区\n"
        "要的加V：chezhu_data"
    )
    assert contacts(text) == [("wechat", "chezhu_data")]


def test_inline_example_number_is_a_sample():
    assert contacts("手机号段数据 0.01一条 例：13912345678，要的私聊") == []


def test_traditional_markers():
    assert contacts("陌陌接碼 1.5元/條，長期穩定 微信號：mm_jiema88 企鵝：2049385761") == [
        ("wechat", "mm_jiema88"),
        ("qq", "2049385761"),
    ]


def test_account_sold_with_its_password_is_goods_not_contact():
    assert contacts("QQ：2049385761 密码：abc123456 十年老号 50") == []


def test_table_of_people_is_data():
    text = (
        "最新贷款客户 0.5一条\n"
        "姓名 | 手机号 | 城市\n"
        "张伟 | 13912345678 | 成都\n"
        "刘洋 | 15800001111 | 重庆\n"
        "要的找 @daikuan_kf"
    )
    assert contacts(text) == [("telegram", "daikuan_kf")]


def test_markers_spaced_to_slip_past_filters():
    assert contacts("微 信：heishi_kf8 扣 扣 2049385761") == [
        ("wechat", "heishi_kf8"),
        ("qq", "2049385761"),
    ]


def test_seller_signing_with_a_title_is_not_a_record():
    text = "猫池 64口 2200一台\n张老板 13800138000 深圳市华强北 实体店"
    assert contacts(text) == [("phone", "13800138000")]


def test_numbers_spelt_in_characters():
    assert contacts("扣扣 二零四九三八五七六一，电话 一三八〇〇一三八〇〇〇") == [
        ("qq", "2049385761"),
        ("phone", "13800138000"),
    ]
    assert contacts("一一二二的那批货 三四个") == []


def test_a_link_ends_at_the_comma_that_strings_contacts_together():
    text = "出料 t.me/shop_kf2，[PHONE:af8579fcbb]，www.jm168.top 看样"
    assert find_contacts(text) == [
        {"type": "telegram", "value": "shop_kf2"},
        {"type": "url", "value": "www.jm168.top"},
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("联系客服 @tgws_support", "tgws_support"),  # tg opens the handle: no marker
        ("TG号 老号8u 新号1.5u\n🛫 @tghao_mall", "tghao_mall"),
        ("Selling aged Telegram accounts, $4.5 each. DM @agedtg_store", "agedtg_store"),
    ],
)
def test_a_telegram_handle_is_read_whole_after_any_marker_word(text, value):
    assert {"type": "telegram", "value": value} in find_contacts(text)
    assert all(c["value"] != value[2:] for c in find_contacts(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("接码，WS3.4/条，钉钉 0.8/条，威：zck8997", "zck8997"),  # 威 for 微, with a colon
        ("加 威 信：jiefeng_ak47", "jiefeng_ak47"),
        ("➕ 蔚 信 shouchi_shou", "shouchi_shou"),
    ],
)
def test_wechat_disguised_as_look_alike_characters(text, value):
    assert find_contacts(text) == [{"type": "wechat", "value": value}]


def test_a_word_ending_in_wei_is_no_wechat_marker():
    assert find_contacts("权威 2024 发布 威 123456") == []
