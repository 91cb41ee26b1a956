"""No crash and no hang on whatever a crawler hands over: empty, huge, binary, absurd."""

from __future__ import annotations

import random
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp import extract

ALPHABET = (
    "出收求购微信号QQ探探陌陌接码料子四件套猫池元块个条张次天月年一二两三十百千万起各带"
    "0123456789.,，。:：/-~+| \n\t¥$uUwWkK【】✅🔥𝟙①\u200b\ufe0f\x00"
)


def test_empty_and_blank():
    for text in ("", " ", "\n\n", "\x00", "\ufeff"):
        assert extract(text) == {"is_listing": False, "offers": [], "contacts": []}


def test_binary_junk():
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(20000)).decode("latin-1")
    result = extract(junk)
    assert isinstance(result["offers"], list)


def test_mixed_scripts():
    text = "Продам аккаунты WeChat 老号 300一个 ที่นี่ 😀 عربى"
    assert extract(text)["offers"][0]["platform"] == "wechat"


def test_absurd_numbers():
    text = "微信号 " + "9" * 40 + "一个，QQ号 1e308个 " + "1." + "0" * 500 + "元"
    assert all(o["price"] is None or o["price"] < 1e10 for o in extract(text)["offers"])


def test_megabyte_post_stays_linear():
    """A 1 MB paste of a price list is read in about the time of its parts, not their square."""
    line = "接码 微信4元 QQ1.5元 陌陌1.2 V：abc_1234 1000条起\n"
    small = line * 200
    big = line * (1_000_000 // len(line))
    start = time.perf_counter()
    extract(small)
    small_time = time.perf_counter() - start
    start = time.perf_counter()
    result = extract(big)
    big_time = time.perf_counter() - start
    assert result["is_listing"] is True
    ratio = len(big) / len(small)
    assert big_time < max(small_time, 0.01) * ratio * 8  # quadratic would be ~100x over


def test_pathological_runs():
    for text in (
        "1" * 200_000,
        "a" * 200_000,
        "1." * 100_000,
        "号" * 200_000,
        "@" * 100_000,
        "a_" * 100_000 + "1",
        "www." * 50_000,
        "十" * 100_000,
        "3块" * 50_000,
        "1w" * 50_000,
        "1.5" * 50_000,
        " " * 100_000 + "1、",
    ):
        extract(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=200))
def test_fuzz_contract_holds(text):
    result = extract(text)
    assert isinstance(result["is_listing"], bool)
    if not result["is_listing"]:
        assert result["offers"] == []
    for offer in result["offers"]:
        assert offer["side"] in ("sell", "buy")
        assert offer["currency"] in ("CNY", "USDT", "USD")
        assert offer["unit"] in ("item", "query", "day", "week", "month", "year")
        assert isinstance(offer["per_qty"], int) and offer["per_qty"] >= 1
        assert offer["price"] is None or offer["price"] >= 0
        assert offer["min_qty"] is None or isinstance(offer["min_qty"], int)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_any_unicode(text):
    extract(text)
