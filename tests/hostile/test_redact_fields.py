"""Victims' identity numbers never stay in clear, whichever field a seller writes them in and
however they are grouped or broken up with invisible characters (issue 13, items 1-2)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawlers.items import PROVENANCE_FIELDS, SELLER_FIELDS
from crawlers.workers import extract_and_redact_many
from nlp import redact
from nlp.redact import _GB11643_CHECK, _GB11643_WEIGHTS, INVISIBLE, is_id_number, redact_all
from tests.hostile.hostile_text import noise

KEY = b"test-key"
ID = "11010519491231002X"  # checksum-valid


def make_id(body17: str) -> str:
    total = sum(int(c) * w for c, w in zip(body17, _GB11643_WEIGHTS, strict=True))
    return body17 + _GB11643_CHECK[total % 11]


def in_clear(text: str, number: str) -> bool:
    """Whether ``number`` can still be read in ``text`` by someone who ignores what does not
    show and the separators between digits."""
    plain = re.sub(r"[\s.\-\u2010-\u2015\u2212]", "", INVISIBLE.sub("", text)).upper()
    return number.upper() in plain


@pytest.mark.parametrize(
    "written",
    [
        "110105 1949 1231 002X",  # 6-4-4-4
        "110 105 1949 1231 002X",
        "110105-19491231-002X",
        "110105.1949.1231.002X",
        "1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X",
        "110105\u200b19491231002X",  # zero-width space
        "1101\u200d0519491231\u2060002X",  # joiner, word joiner
        "110105\u00ad1949\ufeff1231002X",  # soft hyphen, BOM
        "110105\u00a01949\u20091231\u3000002X",  # no-break, thin and ideographic spaces
        "110105\u20131949\u20141231\u2212002X",  # dashes and a minus sign
        "１１０１０５１９４９１２３１００２Ｘ",  # full width
    ],
)
def test_a_grouped_or_broken_up_identity_number_is_redacted(written):
    line = f"样料 张三 {written} 13800138000 北京市朝阳区"
    out = redact(line, KEY)
    assert not in_clear(out, ID), out
    assert "[ID:" in out
    assert "13800138000" not in out  # the phone on the same line as before


def test_the_token_of_a_broken_up_number_is_the_token_of_the_number():
    assert redact("身份证 110105\u200b19491231002X", KEY) == redact(f"身份证 {ID}", KEY)


def test_separated_prices_are_not_taken_for_an_old_identity_number():
    prices = "价格 12.5 13.8 15.0 16.2 17.1 18.3 19.9 20.5"
    assert redact(prices, KEY) == prices


def test_every_field_a_seller_writes_is_redacted():
    post = {
        "title": f"出 {ID}",
        "text": f"身份证 {ID}",
        "author": ID,
        "price_text": f"{ID} 元",
        "channel": f"群 {ID}",
        "extra": {"detail": [f"证件 {ID}"], ID: "key too", "context": "接码"},
    }
    assert set(post) <= set(SELLER_FIELDS)
    redacted = redact_all(post, KEY)
    assert not in_clear(repr(redacted), ID)
    assert redacted["extra"]["context"] == "接码"


def test_provenance_fields_are_not_seller_fields():
    assert not set(PROVENANCE_FIELDS) & set(SELLER_FIELDS)
    assert {"title", "text", "author", "price_text", "channel", "extra"} <= set(SELLER_FIELDS)


def test_the_crawl_workers_redact_every_field():
    fields = {"title": f"卖 {ID}", "text": "出料", "author": f"{ID}"}
    [(extraction, redacted, error, redact_error)] = extract_and_redact_many(
        [("出料", fields, None)], KEY
    )
    assert error is None and redact_error is None
    assert not in_clear(repr(redacted), ID)


# -- property: whatever surrounds it, a valid identity number never survives ------------------

_NOISE = noise
_BREAKS = st.sampled_from(["", "", " ", "-", ".", "\u200b", "\u200c", "\u2060", "\u00ad",
                           "\u00a0", "\u3000", "\ufeff", "  ", "\u2013"])
_BOUNDARY = st.sampled_from([" ", "\n", "：", "，", "[", "]", "(", "号", "\t"])


@st.composite
def id_numbers(draw):
    body = draw(st.sampled_from("12345678")) + draw(st.text("0123456789", min_size=5, max_size=5))
    born = draw(st.dates(min_value=__import__("datetime").date(1920, 1, 1),
                         max_value=__import__("datetime").date(2010, 12, 31)))
    number = make_id(body + born.strftime("%Y%m%d") + draw(st.text("0123456789", min_size=3,
                                                                     max_size=3)))
    assert is_id_number(number)
    written = "".join(ch + draw(_BREAKS) for ch in number[:-1]) + number[-1]
    if draw(st.booleans()):
        written = written.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    return number, written


@st.composite
def posts(draw):
    number, written = draw(id_numbers())
    field = draw(st.sampled_from(["title", "text", "author", "price_text", "channel", "extra"]))
    value = draw(_NOISE) + draw(_BOUNDARY) + written + draw(_BOUNDARY) + draw(_NOISE)
    post = {name: draw(_NOISE) for name in ("title", "text", "author", "price_text", "channel")}
    post["extra"] = {"detail": draw(_NOISE)}
    if field == "extra":
        post["extra"]["detail"] = value
    else:
        post[field] = value
    return number, post


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts())
def test_no_valid_identity_number_survives_in_any_field(case):
    number, post = case
    redacted = redact_all(post, KEY)
    for value in (*[redacted[k] for k in post if k != "extra"], redacted["extra"]["detail"]):
        assert not in_clear(value, number), (post, redacted)


def test_scrapy_log_lines_name_a_post_without_its_fields():
    from scrapy.exceptions import DropItem

    from crawlers.items import PostItem
    from crawlers.logformatter import PostLogFormatter

    class Spider:
        class crawler:  # noqa: N801 - the attribute Scrapy reads
            settings = {"DEFAULT_DROPITEM_LOG_LEVEL": "WARNING"}

    item = PostItem(source="forum", key="7", text=f"样料 {ID}", title=ID)
    formatter = PostLogFormatter()
    for entry in (formatter.dropped(item, DropItem("x"), None, Spider),
                  formatter.item_error(item, ValueError("x"), None, Spider),
                  formatter.scraped(item, None, Spider)):
        line = entry["msg"] % entry["args"]
        assert "forum/7" in line and not in_clear(line, ID)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts())
def test_extraction_never_raises_on_hostile_text(case):
    from nlp import extract

    _, post = case
    for value in (post["title"], post["text"], post["title"] + "\n" + post["text"]):
        result = extract(value)
        assert set(result) == {"is_listing", "offers", "contacts"}


@pytest.mark.parametrize("before", ["1 ", "１ ", "9-", "12 3 "])
def test_digits_written_just_before_do_not_hide_the_number(before):
    out = redact(f"{before}{GROUPED_ID} 9", KEY)
    assert not in_clear(out, ID), out


GROUPED_ID = "110105 1949 1231 002X"
