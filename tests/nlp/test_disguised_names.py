"""Sellers disguise platform names; a disguise must not change what a post offers.

Every labelled post that names a platform plainly is read again with the name swapped for a
disguise the taxonomy lists (微信 → VX, 薇信, wx, V信, 卫星; QQ → 扣扣, 企鹅; …); the offers
must be the same.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp import extract

POSTS = Path(__file__).resolve().parent / "data" / "extra_posts.jsonl"
DISGUISES = {
    "微信": ["VX", "薇信", "wx", "V信", "卫星"],
    "QQ": ["扣扣", "企鹅"],
    "抖音": ["DY"],
    "快手": ["KS"],
    "陌陌": ["MM"],
    "探探": ["TT"],
    "支付宝": ["ZFB"],
    "小红书": ["小红薯"],
    "拼多多": ["PDD"],
    "TG": ["飞机", "纸飞机", "电报"],
}


def offer_keys(text: str) -> list[tuple]:
    keys = []
    for o in extract(text)["offers"]:
        unit_price = None if o["price"] is None else round(o["price"] / o["per_qty"], 4)
        keys.append((o["goods"], o["platform"], o["side"], o["unit"], o["currency"], unit_price))
    return sorted(keys, key=str)


def cases():
    texts = [json.loads(line)["text"] for line in POSTS.read_text(encoding="utf-8").splitlines()]
    for n, text in enumerate(texts):
        for plain, disguises in DISGUISES.items():
            # a name used as a contact marker (微信：abc) is a contact, not a platform on offer
            if plain in text and f"{plain}：" not in text and f"{plain}:" not in text:
                yield pytest.param(text, plain, disguises[n % len(disguises)], id=f"{n}-{plain}")


@pytest.mark.parametrize(("text", "plain", "disguise"), list(cases()))
def test_disguise_gives_the_same_offers(text, plain, disguise):
    assert offer_keys(text.replace(plain, disguise)) == offer_keys(text)


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def test_traditional_characters_and_full_width_forms_give_the_same_offers():
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    texts = [json.loads(line)["text"] for line in POSTS.read_text(encoding="utf-8").splitlines()]
    for text in texts:
        expected = (offer_keys(text), extract(text)["is_listing"])
        for variant in (to_traditional.convert(text), full_width(text)):
            assert (offer_keys(variant), extract(variant)["is_listing"]) == expected, variant


def test_commas_written_as_spaces_line_breaks_or_full_stops_give_the_same_offers():
    texts = [json.loads(line)["text"] for line in POSTS.read_text(encoding="utf-8").splitlines()]
    for text in texts:
        if "，" not in text:
            continue
        expected = offer_keys(text)
        for mark in (" ", "\n", "。"):
            variant = text.replace("，", mark)
            assert offer_keys(variant) == expected, variant
