"""The public ``nlp`` API: the contract record, contacts, version."""

from __future__ import annotations

import pytest

import nlp
from nlp import EXTRACTOR_VERSION, _extracted, clear_caches, extract
from nlp.lexicon import load_lexicon


def test_record_shape():
    result = extract("出微信老号 380一个 V：laohao_66")
    assert set(result) == {"is_listing", "offers", "contacts"}
    assert result["is_listing"] is True
    assert result["offers"][0]["goods"] == "account"


def test_contacts_come_from_the_contact_finder():
    result = extract("TG老号 6u一个 飞机 @old_tg_shop")
    assert {"type": "telegram", "value": "old_tg_shop"} in result["contacts"]


def test_version_names_code_and_lexicon():
    assert EXTRACTOR_VERSION.endswith(load_lexicon().version)
    assert EXTRACTOR_VERSION.startswith("x")


def test_public_surface_is_small():
    assert set(nlp.__all__) == {"EXTRACTOR_VERSION", "InputError", "extract", "redact", "tokens"}


def test_non_text_is_refused():
    with pytest.raises(TypeError):
        extract(b"\xe5\x87\xba")  # type: ignore[arg-type]


def test_a_repeated_post_gives_the_same_record_and_a_fresh_copy():
    text = "出QQ老号 10元一个 V：shop_2024"
    first = extract(text)
    first["offers"][0]["price"] = 999  # a caller changing its copy
    first["contacts"].clear()
    second = extract(text)
    assert second["offers"][0]["price"] == 10 and second["contacts"]
    assert second == extract(text) and second is not extract(text)


def test_a_long_paste_is_read_each_time_not_kept():
    text = "出QQ老号 10元一个\n" * 300  # over REMEMBERED_CHARS
    clear_caches()
    assert extract(text)["is_listing"]
    assert _extracted.cache_info().currsize == 0
