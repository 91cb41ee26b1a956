"""Victims' numbers leave the text as keyed tokens; the seller's contacts stay as written."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.contacts import find_contacts
from nlp.redact import (
    find_victim_data,
    is_card_number,
    is_id_number,
    redact,
    victim_numbers,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
KEY = b"test-key-not-for-production"
ID_1 = "440306198805143010"  # valid GB 11643 check digit
ID_X = "11010519491231002X"  # the standard's own example, check character X
ID_OLD = "440306880514301"  # 15-digit, 1988-05-14
CARD_1 = "6222024000123456788"  # Luhn-valid UnionPay
CARD_2 = "6228480012345678010"
TOKEN = re.compile(r"\[(ID|CARD|PHONE):[0-9a-f]{10}\]")


def mac(digits: str, key: bytes = KEY) -> str:
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()[:10]


# -- what counts as an identity or card number -------------------------------------------------


def test_id_checksum_and_birth_date():
    assert is_id_number(ID_1)
    assert is_id_number(ID_X) and is_id_number(ID_X.lower())
    assert not is_id_number("440306198805143011")  # wrong check digit
    assert not is_id_number("440306198813143012")  # month 13
    assert is_id_number(ID_OLD)
    assert not is_id_number("440306881314301")  # 15-digit with month 13


def test_card_luhn_and_length():
    assert is_card_number(CARD_1)
    assert is_card_number("6222 0240 0012 3456 788")
    assert not is_card_number("6222024000123456789")
    assert not is_card_number("622202400012")  # 12 digits


# -- masking -----------------------------------------------------------------------------------


def test_identity_number_becomes_keyed_token():
    text = f"出身份证号 {ID_1} 这种的，带返照 2元一次"
    assert redact(text, KEY) == f"出身份证号 [ID:{mac(ID_1)}] 这种的，带返照 2元一次"


def test_check_character_x_is_hashed_upper_case():
    assert redact(f"证件 {ID_X.lower()}", KEY) == f"证件 [ID:{mac(ID_X)}]"


def test_old_fifteen_digit_id():
    assert redact(f"老身份证 {ID_OLD} 也能查", KEY) == f"老身份证 [ID:{mac(ID_OLD)}] 也能查"


def test_card_with_spaces_is_one_token_of_its_digits():
    text = "四件套 卡号 6222 0240 0012 3456 788 带U盾"
    assert redact(text, KEY) == f"四件套 卡号 [CARD:{mac(CARD_1)}] 带U盾"


def test_full_width_numbers_are_found_and_the_rest_kept():
    wide = ID_1.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert redact(f"身份证：{wide}。", KEY) == f"身份证：[ID:{mac(ID_1)}]。"


def test_sample_phones_masked_seller_phone_kept():
    text = (
        "出全国公民四要素 1元一条 500条起\n"
        "样料如下：\n"
        f"王*伟 13912345678 {ID_1} 北京市朝阳区建国路88号\n"
        "李*娜 158 0000 1111 深圳市南山区科技园\n"
        "需要的联系 13760028814"
    )
    assert redact(text, KEY) == (
        "出全国公民四要素 1元一条 500条起\n"
        "样料如下：\n"
        f"王*伟 [PHONE:{mac('13912345678')}] [ID:{mac(ID_1)}] 北京市朝阳区建国路88号\n"
        f"李*娜 [PHONE:{mac('15800001111')}] 深圳市南山区科技园\n"
        "需要的联系 13760028814"
    )


def test_labelled_record_row_outside_a_sample():
    text = f"姓名：李四 手机号：13912345678 身份证：{ID_1} 地址：杭州市西湖区"
    out = redact(text, KEY)
    assert "13912345678" not in out and ID_1 not in out
    assert out.startswith("姓名：李四 手机号：[PHONE:")


def test_dump_of_bare_numbers_is_masked():
    text = "空号检测后的有效号：\n13800138000\n13900139000\n13700137000"
    assert [kind for kind, _, _ in victim_numbers(text)] == ["phone"] * 3
    assert not re.search(r"\d{11}", redact(text, KEY))


def test_several_sellers_phones_on_one_line_are_not_a_dump():
    text = "客服1 13800138000 客服2 13900139000 售后 13700137000 都可以打"
    assert redact(text, KEY) == text


def test_seller_contacts_survive_redaction():
    text = (
        f"四件套 1500一套 样本：{CARD_2} 开户行 工商银行\n"
        "走担保 飞机 @sijiantao_88 电话 171 2290 4431 Q 2049385761"
    )
    out = redact(text, KEY)
    assert CARD_2 not in out
    assert (
        find_contacts(out)
        == find_contacts(text)
        == [
            {"type": "telegram", "value": "sijiantao_88"},
            {"type": "phone", "value": "17122904431"},
            {"type": "qq", "value": "2049385761"},
        ]
    )


def test_same_number_same_token_across_posts_and_keys_differ():
    a = redact(f"料子 {ID_1} 张三", KEY)
    b = redact(f"另一个群里又出现了 {ID_1}", KEY)
    assert TOKEN.search(a).group() == TOKEN.search(b).group()
    assert TOKEN.search(redact(f"料子 {ID_1}", b"other key")).group() != TOKEN.search(a).group()


def test_text_without_victims_is_unchanged():
    text = "接码平台长期稳定：探探1.2元，Soul1元，陌陌1.5元，V：zck_1188，电话 13760028814"
    assert redact(text, KEY) == text


def test_invalid_id_is_left_alone():
    text = "订单 440306198805143011 已发货"  # wrong check digit and not a Luhn card
    assert not is_card_number("440306198805143011")
    assert redact(text, KEY) == text


def test_redaction_is_idempotent():
    text = f"样料：\n赵*丽 15912345678 {ID_1}\n卡 {CARD_1}\n下单 V：miandan_2024"
    once = redact(text, KEY)
    assert redact(once, KEY) == once


@pytest.mark.parametrize("key", [b"", "a str key", None])
def test_key_must_be_nonempty_bytes(key):
    with pytest.raises(ValueError, match="HEISHI_REDACT_KEY"):
        redact("anything", key)


# -- the shared detector -------------------------------------------------------------------------


def test_victim_numbers_kinds_and_spans():
    text = f"样料：张** 13912345678 {ID_1} 卡{CARD_1}"
    found = victim_numbers(text)
    assert [(kind, text[s:e]) for kind, s, e in found] == [
        ("phone", "13912345678"),
        ("id", ID_1),
        ("card", CARD_1),
    ]


def test_victim_data_covers_what_contacts_skip():
    text = "样料如下：\n2049385761----abc123456\n要的联系 V：qqhao_pf"
    data = find_victim_data(text)
    row = text.index("2049385761")
    assert data.covers(row, row + 10)
    assert not data.covers(text.index("qqhao_pf"), len(text))


# -- junk and size -------------------------------------------------------------------------------

NUMBERISH = st.lists(
    st.sampled_from(list("0123456789Xx -：:\n样料如下张*王电话手机QV,|") + [ID_1, CARD_1, ID_OLD]),
    max_size=120,
).map("".join)


@given(NUMBERISH)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_id_or_card_survives(text):
    out = redact(text, KEY)
    assert [k for k, _, _ in victim_numbers(out) if k != "phone"] == []
    if not victim_numbers(text):
        assert out == text


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_any_unicode_is_fine(text):
    assert isinstance(redact(text, KEY), str)


@pytest.mark.timeout(120)
def test_one_megabyte_mixed_post_ends():
    unit = f"样料：\n王*伟 13912345678 {ID_1}\n卡 {CARD_1} V：abc_123\n"
    text = unit * (1_000_000 // len(unit))
    out = redact(text, KEY)
    assert ID_1 not in out and CARD_1 not in out and "13912345678" not in out


# -- real third-party text: nothing in it is a victim's number -------------------------------------


def test_real_qq_group_chat_is_left_as_it_is():
    """A university group's export: recruiters' phones and mail, no sample records."""
    path = SHARED / "samples" / "qq_export_txt" / "pangjiuzala__wordFinder__全部消息记录.txt"
    if not path.exists():
        pytest.skip(f"{path} not present (shared real samples)")
    text = path.read_text(encoding="utf-8-sig")
    assert redact(text, KEY) == text
    assert victim_numbers(text) == []


def test_real_marketplace_listings_hold_no_victims():
    folder = SHARED / "samples" / "marketplace_cn"
    files = sorted(folder.glob("*.json")) if folder.exists() else []
    if not files:
        pytest.skip(f"{folder} not present (shared real samples)")
    texts: list[str] = []

    def strings(node):
        if isinstance(node, dict):
            for value in node.values():
                strings(value)
        elif isinstance(node, list):
            for value in node:
                strings(value)
        elif isinstance(node, str) and re.search(r"[\u4e00-\u9fff]", node):
            texts.append(node)

    for path in files:
        strings(json.loads(path.read_text(encoding="utf-8")))
    assert len(texts) > 100
    assert [t for t in texts if victim_numbers(t) or find_contacts(t)] == []


def test_table_rows_under_a_header_are_masked():
    text = "姓名,手机号,城市\n张伟,13912345678,成都\n刘洋,15800001111,重庆"
    assert redact(text, KEY) == (
        "姓名,手机号,城市\n"
        f"张伟,[PHONE:{mac('13912345678')}],成都\n"
        f"刘洋,[PHONE:{mac('15800001111')}],重庆"
    )


# Stored posts are redacted, and contacts are extracted again from them when the extractor
# changes: a redacted text must give the contacts its original gave.
PIECES = [
    "王*伟", "13912345678", "15800001111", "138 0013 8000", ID_1, CARD_1, "样料：", "如下",
    "V：abc_123", "Q 2049385761", "电话 13760028814", "@shop_kf1", "需要的联系", "四要素 1元一条",
    "北京市朝阳区", "姓名|手机号", "张伟", "2049385761----abc123", "姓名：李四", "密码：xx",
    "t.me/shop_kf2", "www.jm168.top", "【样本】", "例：", "企鹅 3048576612",
]  # fmt: skip
POSTS = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from([" ", "\n", "，", "|"])), max_size=30
).map(lambda pairs: "".join(piece + sep for piece, sep in pairs))


@given(POSTS)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_redacted_text_gives_the_same_contacts(text):
    out = redact(text, KEY)
    assert find_contacts(out) == find_contacts(text)
    assert redact(out, KEY) == out


def test_sample_phone_spelt_in_characters_is_masked():
    text = "样料：王*伟 一三九一二三四五六七八\n要的加V：abc_123"
    assert redact(text, KEY) == f"样料：王*伟 [PHONE:{mac('13912345678')}]\n要的加V：abc_123"
