"""Redaction of what a takedown bundle carries (pages split into pieces, known tokens), and
verify's judgement of a real Telegram page."""

from __future__ import annotations

from pathlib import Path

import html_text
import pytest

from nlp.redact import token
from ops.takedown.redaction import leaks, redact_pieces, victim_tokens
from tests.ops.takedown_market import KEY, SELLER_QQ, VICTIM_CARD, VICTIM_ID, VICTIM_PHONE


def test_a_sample_spread_over_many_elements_is_still_seen_as_one():
    # As a browser gives a page's text nodes: a sample table, one row's cells one line.
    pieces = ["出售四要素 0.5一条", "样料：", "张伟", VICTIM_PHONE, VICTIM_ID, VICTIM_CARD,
              "联系QQ", SELLER_QQ]
    breaks = [True, True, True, False, False, False, True, False]
    out = redact_pieces(pieces, KEY, breaks=breaks)
    assert len(out) == len(pieces)
    assert out[3] == token("phone", VICTIM_PHONE, KEY)
    assert out[4] == token("id", VICTIM_ID, KEY)
    assert out[5] == token("card", VICTIM_CARD, KEY)
    assert out[7] == SELLER_QQ  # a seller's contact is not victims' data
    assert leaks("\n".join(out), KEY) == []
    # Read line by line (no layout known), the row's cells are lines of their own and the
    # phone alone passes for a contact: the layout is what finds it.
    assert redact_pieces(pieces, KEY)[3] == VICTIM_PHONE


def test_a_number_split_over_two_nodes_is_masked_in_both():
    pieces = ["样料：张伟 139", "12345678 北京市朝阳区"]
    out = redact_pieces(pieces, KEY, breaks=[True, False])
    assert "".join(out).count("[PHONE:") == 1
    assert "139" not in out[0] and "12345678" not in out[1]


def test_a_phone_the_crawl_redacted_is_masked_wherever_the_page_shows_it():
    stored = f"收料 联系 {token('phone', '13612345678', KEY)}"  # redacted at crawl time
    page = "老板好 13612345678 今天在线"  # no sample marker: alone it would pass as a contact
    assert redact_pieces([page], KEY) == [page]
    known = victim_tokens([stored])
    assert redact_pieces([page], KEY, known) == [
        f"老板好 {token('phone', '13612345678', KEY)} 今天在线"]
    assert leaks(page, KEY, known) == ["13612345678"]


SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "tme_s"
TME_PAGE = SHARED / ("Apkawa__rust-any2feed__test_utils__src__fixtures__telegram_preview__"
                     "full.html")


@pytest.mark.skipif(not TME_PAGE.exists(), reason="../shared/samples is absent")
def test_verify_tells_a_deleted_message_on_a_real_telegram_page():
    from lxml import html as lxml_html

    from ops.takedown.verify import Fetched, judge

    raw = TME_PAGE.read_bytes()
    tree = lxml_html.fromstring(raw)
    wraps = tree.xpath("//div[contains(@class, 'tgme_widget_message_wrap')]")
    target = wraps[3]
    text = html_text.extract_text(lxml_html.tostring(
        target.xpath(".//div[contains(@class, 'tgme_widget_message_text')]")[0],
        encoding="unicode"))
    post = {"id": "p", "url": "https://t.me/topwar_official/1", "text": text}
    headers = [(b"Content-Type", b"text/html; charset=utf-8")]
    assert judge(post, Fetched(200, headers, raw, post["url"]))[0] == "up"
    target.getparent().remove(target)  # the message deleted, its neighbours still there
    without = lxml_html.tostring(tree, encoding="utf-8")
    outcome, note = judge(post, Fetched(200, headers, without, post["url"]))
    assert outcome == "gone" and "no longer on the page" in note
    assert judge(post, Fetched(404, headers, b"", post["url"]))[0] == "gone"
    assert judge(post, Fetched(503, headers, b"", post["url"]))[0] == "unreachable"
