"""Readers of the formats beyond boards, on the real third-party samples in ../shared/samples.

The samples are never copied here; without ../shared these tests are skipped, saying why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawlers.errors import FormatError
from crawlers.formats import abbreviated_count
from crawlers.formats.detect import detect, read_file
from crawlers.formats.jsonapi import load_json, next_page, read_listings
from crawlers.formats.qqtxt import parse_qq_export
from crawlers.formats.sms import (
    fivesim_prices,
    platform_of,
    sms_activate_prices,
    sms_activate_services,
    sms_activate_stock,
)
from crawlers.formats.tgexport import parse_messages_html, parse_result_json
from crawlers.formats.tme import parse_channel_page
from crawlers.sources import find_sources
from nlp.lexicon import load_lexicon

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"real samples not found at {SAMPLES} (../shared is absent)"
)


def samples(pattern: str) -> list[Path]:
    return sorted(SAMPLES.glob(pattern)) if SAMPLES.is_dir() else []


def one(pattern: str) -> Path:
    (path,) = samples(pattern)
    return path


# -- t.me/s ----------------------------------------------------------------------------------

TME_PAGES = samples("tme_s*/*.html")


@needs_samples
@pytest.mark.parametrize("path", TME_PAGES, ids=lambda p: p.name.rsplit("__", 1)[-1])
def test_every_message_of_a_tme_page_is_a_post_or_a_service_message(path):
    body = path.read_bytes()
    blocks = body.count(b'class="tgme_widget_message ')
    wraps = body.count(b"tgme_widget_message_wrap")
    if not blocks and not wraps and b"tgme_channel_info" not in body:
        with pytest.raises(FormatError, match="not a Telegram channel page") as caught:
            parse_channel_page(body, path.name)  # an inner fragment, not a page
        assert path.name in str(caught.value)
        return
    page = parse_channel_page(body, path.name)
    assert len(page.messages) + page.service == blocks
    assert wraps <= blocks or page.empty or not blocks
    for message in page.messages:
        assert message.text.strip() and message.posted_at.endswith("+00:00")
        assert message.key == f"{message.channel}/{message.extra['message_id']}"
        assert message.url.startswith("https://t.me/")


@needs_samples
def test_full_channel_page_header_paging_and_fields():
    page = parse_channel_page(one("tme_s/*__full.html").read_bytes())
    assert page.channel == "topwar_official" and page.title == "Военное обозрение"
    assert "topwar.ru" in page.description and page.context.startswith("Военное обозрение\n")
    assert len(page.messages) == 12 and page.older == 70989
    assert page.ids == sorted(page.ids) and page.ids[0] == 70989
    assert all(m.extra["views"] >= 1000 for m in page.messages)  # "37.2K"
    assert sum("forwarded_from" in m.extra for m in page.messages) == 5


@needs_samples
def test_tme_signature_edit_forward_reply_views_and_service():
    def single(name):
        (message,) = parse_channel_page(one(f"tme_s_extracted/*{name}.html").read_bytes()).messages
        return message

    signed = single("test_parse_signed_edited_text_message")
    assert signed.author == "Álvaro Justen" and signed.extra["edited"] is True
    assert signed.text == "Hello! Signed and edited message"
    forwarded = single("test_parse_forwarded_text_message")
    assert forwarded.extra["forwarded_from"] == "Some user"
    assert single("test_parse_text_reply_to_video").extra["reply_to"] == 19
    assert single("service_message_channel_video_changed").extra["views"] == 3_100_000
    assert "\n" in single("test_parse_text_message_multiline").text
    assert single("test_parse_photo_single").extra["media"] == ["photo"]
    for name in ("channel_created", "channel_name_changed", "channel_photo_updated", "pinned"):
        page = parse_channel_page(one(f"tme_s_extracted/*service_message_{name}.html").read_bytes())
        assert page.service == 1 and page.messages == []
    empty = parse_channel_page(one("tme_s_extracted/*no_posts_found.html").read_bytes())
    assert empty.empty and empty.messages == [] and empty.older is None


def test_abbreviated_counts():
    assert [abbreviated_count(t) for t in ("2.5K", "44", "3.1M", "19.6K", "", "x")] == [
        2500, 44, 3_100_000, 19_600, None, None]


def test_a_page_that_is_not_tme_is_refused_by_name():
    with pytest.raises(FormatError, match=r"^shop\.html: not a Telegram channel page"):
        parse_channel_page(b"<html><body><div class='thread'>hi</div></body></html>", "shop.html")


# -- Telegram Desktop exports ----------------------------------------------------------------


@needs_samples
def test_result_json_single_chat():
    path = one("tg_export_json/*.json")
    export = parse_result_json(path.read_text(encoding="utf-8"), path.name)
    assert export.service == 2 and len(export.messages) == 6
    first = export.messages[0]
    assert first.text == "https://google.com 👀"  # entity list joined
    assert first.key == "700000000/3644" and first.author == "Bob"
    assert first.posted_at == "2019-07-12T16:55:32"  # only "date": local, no zone
    only_unix = next(m for m in export.messages if m.key.endswith("/3662"))
    assert only_unix.posted_at == "2022-05-09T22:23:53+00:00"  # date_unixtime is UTC


def test_result_json_whole_account_and_bad_files():
    account = {"about": "Here is the data you requested.", "chats": {"about": "…", "list": [
        {"name": "接码群", "type": "private_supergroup", "id": 42, "messages": [
            {"id": 1, "type": "service", "date": "2026-01-01T10:00:00", "action": "create_group"},
            {"id": 2, "type": "message", "date": "2026-01-01T10:01:00",
             "date_unixtime": "1767261660", "from": "卡商", "text": ["出 ", {"type": "bold",
             "text": "微信"}, " 接码 3元"], "edited": "2026-01-01T10:02:00"}]}]},
        "left_chats": {"about": "…", "list": []}}
    export = parse_result_json(json.dumps(account, ensure_ascii=False), "result.json")
    (message,) = export.messages
    assert export.service == 1 and message.text == "出 微信 接码 3元"
    assert message.key == "42/2" and message.channel == "接码群" and message.extra["edited"]
    with pytest.raises(FormatError, match=r"^x\.json: not a Telegram Desktop export"):
        parse_result_json('{"foo": 1}', "x.json")
    truncated = json.dumps(account, indent=1)[:300]
    with pytest.raises(FormatError, match=r"^cut\.json:\d+: not valid JSON \(truncated"):
        parse_result_json(truncated, "cut.json")


@needs_samples
def test_messages_html_old_and_new_exports():
    old = parse_messages_html(one("tg_export_html/*lassepe*").read_bytes(), "messages.html")
    assert old.service == 1  # the create-group event; the day line is layout
    assert [m.author for m in old.messages] == ["Lasse Peters"] * 3  # joined messages
    assert old.messages[1].extra["joined"] and old.messages[0].channel == "Test"
    assert old.messages[0].posted_at == "2020-06-04T14:16:12"
    new = parse_messages_html(one("tg_export_html/*cnafateh*").read_bytes(), "messages.html")
    assert [m.text for m in new.messages] == ["Hello archive", "Reply with photo"]
    assert new.messages[1].posted_at == "2023-05-14T16:44:10+03:30"
    assert new.messages[1].extra["reply_to_message_id"] == 1001


# -- QQ --------------------------------------------------------------------------------------


@needs_samples
def test_qq_group_export_holds_3089_messages_53_of_them_system():
    path = one("qq_export_txt/*.txt")
    export = parse_qq_export(path.read_bytes(), path.name)
    assert export.total == 3089 and export.system == 53 and len(export.messages) == 3036
    assert export.conversations == ["2015浙大软院研究生群"]
    assert len({m.key for m in export.messages}) == 3036  # repeats in one second stay apart
    first = export.messages[0]
    assert first.author == "移游-徐云翰" and first.extra["qq"] == "271147505"
    assert first.posted_at == "2016-07-19T15:27:15" and first.line == 9
    assert first.text.count("\n") == 6  # bare CR inside the body are its line breaks
    by_mail = export.messages[1]
    assert by_mail.extra["sender_address"] == "qinshengbuduan@qq.com" and by_mail.text == "rap"
    assert any(m.posted_at.endswith("T00:00:37") for m in export.messages)  # "0:00:37"


@needs_samples
@pytest.mark.parametrize("encoding", ["utf-16", "gb18030"])
def test_qq_export_resaved_in_other_encodings(encoding):
    text = one("qq_export_txt/*.txt").read_bytes().decode("utf-8-sig")
    export = parse_qq_export(text.encode(encoding, errors="replace"), "resaved.txt")
    assert export.total == 3089 and export.system == 53


def test_qq_bad_files_name_file_and_line():
    with pytest.raises(FormatError, match=r"^notes\.txt:1: not a QQ message export"):
        parse_qq_export("购物清单\r\n牛奶\r\n".encode(), "notes.txt")
    with pytest.raises(FormatError, match=r"^cut\.txt: a QQ export without any message"):
        parse_qq_export("消息记录（此消息记录为文本格式）\r\n\r\n".encode(), "cut.txt")
    with pytest.raises(FormatError, match="cannot tell the text encoding"):
        parse_qq_export(b"\x01\xff\xff" * 10, "binary.txt")


# -- detection -------------------------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("pattern, kind", [
    ("tg_export_json/*.json", "telegram-json"),
    ("tg_export_html/*lassepe*", "telegram-html"),
    ("qq_export_txt/*.txt", "qq-txt"),
    ("tme_s/*__full.html", "tme-page"),
])
def test_detect_every_kind_of_export(pattern, kind):
    path = one(pattern)
    assert detect(path.read_bytes(), path.name)[0] == kind
    assert read_file(path.read_bytes(), path.name).messages


def test_detect_refuses_what_is_no_export():
    with pytest.raises(FormatError, match=r"^page\.html: not an export heishi reads"):
        detect(b"<html><body>hello</body></html>", "page.html")
    with pytest.raises(FormatError, match="empty file"):
        detect(b"  \n", "empty.txt")


# -- code-receiving platforms ----------------------------------------------------------------


@needs_samples
def test_services_catalogue_maps_codes_to_platforms():
    path = one("sms_activation/*services.json")
    catalogue = sms_activate_services(path.read_bytes(), path.name)
    assert len(catalogue) > 400 and "av" in catalogue  # call-forwarding variants folded
    aliases = load_lexicon().platform_aliases
    mapped = {code: platform_of(catalogue[code], aliases) for code in catalogue}
    assert mapped["wb"] == "wechat" and mapped["qq"] == "qq" and mapped["tg"] == "telegram"
    assert mapped["go"] == "google" and mapped["wa"] == "whatsapp" and mapped["lf"] == "tiktok"
    assert mapped["ig"] is None and mapped["ot"] is None  # not platforms heishi tracks


def test_sms_activate_answers():
    rows = sms_activate_prices(b'{"187":{"ot":{"cost":0.6,"count":592116,"physicalCount":8317}},'
                               b'"2295":{"wb":{"cost":"10.00","count":"4"}}}', "api")
    assert [(r.country, r.service, r.price, r.count) for r in rows] == [
        ("187", "ot", 0.6, 592116), ("2295", "wb", 10.0, 4)]
    flat = sms_activate_prices(b'{"tg":{"186":0.22}}', "api")
    assert [(r.country, r.service, r.price, r.count) for r in flat] == [("186", "tg", 0.22, None)]
    assert sms_activate_stock(b'{"vk_0":"0","wa_0":90,"av_1":211}', "api") == {
        "vk": 0, "wa": 90, "av_fwd": 211}
    for body, message in ((b"BAD_KEY", "BAD_KEY"), (b"NO_NUMBERS", "NO_NUMBERS"),
                          (b'{"3": {"wb": {"cost": ', "malformed JSON"),
                          (b'{"status":"false","msg":"service is incorrect"}', "incorrect")):
        with pytest.raises(FormatError, match=message) as caught:
            sms_activate_prices(body, "demo-sms-api: http://x/handler_api.php")
        assert str(caught.value).startswith("demo-sms-api: http://x/handler_api.php: ")


def test_5sim_prices_take_the_cheapest_operator_with_numbers():
    body = (b'{"russia":{"telegram":{"any":{"cost":4,"count":0},"mts":{"cost":5,"count":10},'
            b'"beeline":{"cost":6,"count":3,"rate":99.9}}}}')
    (row,) = fivesim_prices(body, "5sim")
    assert (row.country, row.service, row.price, row.count) == ("russia", "telegram", 5.0, 13)


# -- marketplace search API ------------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("path", samples("marketplace_cn/*.json"), ids=lambda p: p.name[-10:])
def test_goofish_response_gives_30_posts_with_prices_and_sellers(path):
    (source,) = find_sources(["demo-market-api"], REPO / "sources.yaml")
    selectors = source.options.selectors
    data = load_json(path.read_bytes(), path.name)
    posts = read_listings(data, selectors, path.name)
    assert len(posts) == 30 and len({p.key for p in posts}) == 30
    for post in posts:
        assert post.price_text.startswith("¥") and float(post.price_text[1:]) > 0
        assert post.author and post.text and post.extra["location"]
        assert post.url == f"https://www.goofish.com/item?id={post.key}"
        assert post.posted_at.startswith("202") and post.posted_at.endswith("+00:00")
    assert next_page(data, selectors) is True
