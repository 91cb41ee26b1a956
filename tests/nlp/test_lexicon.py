"""The lexicon files: valid ids, loaded once, bad lines reported with file and line."""

from __future__ import annotations

import shutil

import pytest

from nlp.lexicon import HERE, load_from, load_lexicon

GOODS = {
    "sms_code",
    "account",
    "account_rental",
    "insider_access",
    "lookup_service",
    "id_document",
    "verification_service",
    "personal_data",
    "sim_card",
    "hardware",
    "bank_card",
    "fake_engagement",
    "other",
}
PLATFORMS = {
    "wechat",
    "qq",
    "momo",
    "tantan",
    "soul",
    "zhenai",
    "jiayuan",
    "baihe",
    "douyin",
    "kuaishou",
    "weibo",
    "xiaohongshu",
    "bilibili",
    "alipay",
    "taobao",
    "xianyu",
    "pinduoduo",
    "meituan",
    "didi",
    "jd",
    "telegram",
    "whatsapp",
    "tiktok",
    "apple",
    "google",
    "steam",
    "china_mobile",
    "china_unicom",
    "china_telecom",
    "yto",
    "sf",
}


def test_loaded_once_per_process():
    assert load_lexicon() is load_lexicon()


def test_version_and_words():
    lex = load_lexicon()
    assert lex.version.startswith("lex-")
    assert {"接码", "料子", "四件套", "猫池", "跑分", "网纹照", "vx", "企鹅"} <= lex.words


def test_goods_ids_are_the_taxonomy_ids():
    for term, value in load_lexicon().goods_terms.items():
        goods, _, platform = value.partition("@")
        assert goods in GOODS, term
        assert not platform or platform in PLATFORMS, term


def test_platform_ids_are_canonical_or_none():
    for alias, platform in load_lexicon().platform_aliases.items():
        assert platform in PLATFORMS | {"none"}, alias


def test_disguised_platform_names():
    aliases = load_lexicon().platform_aliases
    assert {aliases[a] for a in ("v信", "vx", "wx", "卫星", "薇信")} == {"wechat"}
    assert {aliases[a] for a in ("扣扣", "企鹅", "q")} == {"qq"}
    assert {aliases[a] for a in ("飞机", "纸飞机", "tg", "电报")} == {"telegram"}


def test_terms_are_stored_normalised():
    for term in load_lexicon().words:
        assert term == term.lower().strip(), term


def test_bad_line_names_file_and_line(tmp_path):
    for path in HERE.iterdir():
        if path.suffix == ".txt":
            shutil.copy(path, tmp_path / path.name)
    with open(tmp_path / "goods.txt", "a", encoding="utf-8") as fh:
        fh.write("no tab on this line\n")
    with pytest.raises(ValueError, match=r"goods\.txt:\d+: expected"):
        load_from(tmp_path)


def test_head_nouns_are_goods_ids():
    for term, goods in load_lexicon().heads.items():
        assert goods in GOODS, term


@pytest.mark.parametrize("path", sorted(HERE.glob("*.txt")), ids=lambda p: p.name)
def test_a_file_lists_each_term_once(path):
    """A term written twice is one edit away from two roles that disagree."""
    terms = [
        line.split("\t")[0]
        for line in path.read_text(encoding="utf-8").splitlines()
        if "\t" in line and not line.startswith("#")
    ]
    assert sorted(t for t in set(terms) if terms.count(t) > 1) == []
