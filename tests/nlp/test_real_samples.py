"""Real chat captures (../shared/samples): a university QQ group and a Russian news channel.

Neither trades anything, so nearly every message must come out as "not a listing" — the real
rate of chatter in these captures is what a trading group's non-listings look like too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlp import extract

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
QQ_EXPORT = SAMPLES / "qq_export_txt" / "pangjiuzala__wordFinder__全部消息记录.txt"
TME_PAGE = (
    SAMPLES
    / "tme_s"
    / "Apkawa__rust-any2feed__test_utils__src__fixtures__telegram_preview__full.html"
)
# Header of one message in a QQ 消息管理器 export (see formats.md §3).
QQ_HEADER = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}:\d{2}) (.*?)(?:\((\d+)\)|<([^>]+)>)$")


def qq_messages(path: Path) -> list[str]:
    messages: list[str] = []
    body: list[str] | None = None
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    for line in text.split("\n"):
        if QQ_HEADER.match(line):
            if body is not None:
                messages.append("\n".join(body).strip())
            body = []
        elif body is not None:
            body.append(line)
    if body:
        messages.append("\n".join(body).strip())
    return messages


def test_university_group_chat_is_almost_never_a_listing():
    if not QQ_EXPORT.is_file():
        pytest.skip(f"sample not present: {QQ_EXPORT}")
    messages = qq_messages(QQ_EXPORT)
    assert len(messages) > 3000
    listings = [m for m in messages if extract(m)["is_listing"]]
    assert len(listings) / len(messages) < 0.01, listings[:20]


def test_listing_model_does_not_raise_the_real_group_chats_listings():
    """Fees, refunds, insurance and job ads with prices: the rules let through 10 of its 3,089
    messages before the listing model existed; the model may only lower that."""
    if not QQ_EXPORT.is_file():
        pytest.skip(f"sample not present: {QQ_EXPORT}")
    listings = [m for m in qq_messages(QQ_EXPORT) if extract(m)["is_listing"]]
    assert len(listings) <= 10, listings


def test_news_channel_posts_are_not_listings():
    if not TME_PAGE.is_file():
        pytest.skip(f"sample not present: {TME_PAGE}")
    from parsel import Selector

    page = Selector(TME_PAGE.read_text(encoding="utf-8"))
    texts = [
        "\n".join(node.css("::text").getall()) for node in page.css("div.tgme_widget_message_text")
    ]
    assert texts
    assert not any(extract(text)["is_listing"] for text in texts)
