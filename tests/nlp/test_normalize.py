"""Normalisation: one spelling for traditional/full-width text, numerals and decoration."""

from __future__ import annotations

import pytest

from nlp.normalize import fold, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("宝妈粉八块一个", "宝妈粉8块一个"),
        ("三块五一条", "3.5元一条"),
        ("两块五", "2.5元"),
        ("两百一个", "200一个"),
        ("一千二一套", "1200一套"),
        ("十年以上", "10年以上"),
        ("两个月", "2个月"),
        ("五毛一条", "0.5元一条"),
        ("1.5k", "1500"),
        ("2w", "20000"),
        ("1w条起", "10000条起"),
        ("1.2万", "12000"),
        ("一万条", "10000条"),
    ],
)
def test_numerals_and_multipliers(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "word",
    [
        "四件套",
        "二要素",
        "一类卡",
        "二手猫池",
        "一手渠道",
        "千粉号",
        "万粉号",
        "百合网",
        "九成新",
        "几十米",
        "星期三",
        "一个",
        "一机一码",
    ],
)
def test_words_that_start_with_a_numeral_stay_words(word):
    assert normalize(word) == word


def test_fold_traditional_full_width_and_case():
    assert fold("陌陌接碼 １.５元/條 ＱＱ") == "陌陌接码 1.5元/条 qq"


def test_decoration_becomes_space_and_bullets_go():
    assert normalize("🔥接码🔥✅探探1.2") == " 接码  探探1.2"
    assert normalize("1️⃣微信号 50\n②QQ号 30") == " 微信号 50\n qq号 30"


def test_line_numbering_is_dropped_but_decimals_stay():
    assert normalize("1、微信号 50\n2. QQ号 3\n1.5元一条") == "微信号 50\nqq号 3\n1.5元一条"


def test_line_breaks_survive():
    assert normalize("a\r\nb\rc") == "a\nb\nc"


def test_spaced_out_characters_are_joined_but_words_stay_apart():
    assert normalize("微 信 号 出售") == "微信号出售"
    assert normalize("30 一个 月卡") == "30 一个 月卡"
    assert normalize("女号 男号") == "女号 男号"


def test_spaced_jiao_and_ten_thousand():
    assert normalize("1 毛 一条") == "0.1元 一条"
    assert normalize("1 万条起") == "10000条起"
    assert normalize("100 万粉号") == "100 万粉号"  # a 万粉号 priced 100, not a million


def test_bankers_numerals():
    assert normalize("微信老号 叁佰伍") == "微信老号 350"
    assert normalize("料子 伍毛一条") == "料子 0.5元一条"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("猫池 36O", "猫池 360"),  # a price list read off a picture
        ("点赞 1OO个", "点赞 100个"),
        ("soul O.9", "soul 0.9"),
        ("o2o 模式", "o2o 模式"),  # letters that are letters
        ("wx_12o", "wx_12o"),
    ],
)
def test_zeros_written_as_the_letter_o(raw, expected):
    assert normalize(raw) == expected


def test_per_a_place_of_ten_thousand_or_a_thousand():
    assert normalize("每万 20 每千人") == "每10000 20 每1000人"


def test_a_fold_is_remembered_but_not_a_long_paste():
    """The store folds again what the offer rules folded; a paste is folded, not kept."""
    from nlp import normalize as module

    module.clear_caches()
    post = "出售ＱＱ號 八塊一個"
    assert fold(post) == fold(post) == "出售qq号 八块一个"
    assert module._remembered_fold.cache_info().hits == 1
    paste = "臺灣門號 " * 500  # 2,500 characters
    assert fold(paste) == "台湾门号 " * 500
    assert module._remembered_fold.cache_info().currsize == 1
