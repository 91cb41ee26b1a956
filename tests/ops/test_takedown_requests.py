"""Takedown requests: every platform's template in both languages, the .eml, configuration."""

from __future__ import annotations

import email
import smtplib
import socket
from datetime import UTC, datetime
from email import policy

import pytest
import yaml

from ops.errors import UsageError
from ops.takedown import request
from ops.takedown.config import BUILT_IN, load_config

CONFIG = {
    "requester": {"name": "Li Analyst", "organisation": "Anti-fraud Lab",
                  "email": "li@lab.example", "role": "analyst"},
    "platforms": {
        "tencent": {"report_to": "jubao@tencent.example"},
        "alibaba": {"report_to": "jubao@alibaba.example"},
        "darkforum": {"name": {"zh": "暗网论坛", "en": "Dark Forum"},
                      "hosts": ["forum.example", "127.0.0.1:9999"],
                      "terms": {"zh": "《暗网论坛版规》", "en": "the Dark Forum rules"},
                      "report_to": "abuse@forum.example", "language": "en"},
        "qqgroups": {"name": "QQ 群导出", "terms": "《QQ群规》", "sources": ["qq-export"],
                     "report_to": "q@q.example"},
    },
}
POST = {
    "id": "p1", "source": "tg", "key": "t.me/market/88", "url": "https://t.me/market/88",
    "title": "出 [四要素](http://x) <b>料</b>", "author": "@seller",
    "text": "四要素 0.5一条\n样料：[PHONE:0123456789abcdef]\n```\n联系 @seller",
    "posted_at": "2026-11-20T10:00:00+08:00", "fetched_at": "2026-11-21T02:00:00+00:00",
    "evidence_sha256": "ab" * 32,
    "offers": [{"goods": "personal_data", "platform": None, "side": "sell", "price": 0.5,
                "price_max": None, "currency": "CNY", "per_qty": 1, "unit": "item"}],
    "contacts": [{"type": "telegram", "value": "seller"}],
}


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "takedown.yaml"
    path.write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    return load_config(path)


def test_every_platform_renders_in_both_languages(config):
    assert set(BUILT_IN) < set(config.platforms)
    view = request.post_view(POST)
    assert (view["channel"], view["message_id"]) == ("market", "88")
    for platform in config.platforms.values():
        case = {"id": "TD-20261130-abcdef", "created_at": "2026-11-30T00:00:00+00:00"}
        texts = request.render(case, platform, config.requester, [view], "evidence.zip")
        assert set(texts) == {"zh", "en"}
        for language, text in texts.items():
            where = f"{platform.id}/{language}"
            assert case["id"] in request.subject_of(text), where
            for needed in (POST["url"], "ab" * 32, "2026-11-21T02:00:00+00:00", "market",
                           "88", "li@lab.example", platform.terms[language]):
                assert needed in text, f"{where} lacks {needed}"
            laws = (("第二百五十三条之一", "第四十四条", "第十条", "第三十一条") if language == "zh"
                    else ("Article 253-1", "Article 44", "Article 10", "Article 31"))
            assert all(law in text for law in laws), where
            assert ("0.5 元" if language == "zh" else "0.5 CNY per item") in text, where
            # Seller-written text cannot become Markdown links, HTML or end its fence.
            assert "[四要素](http" not in text and "<b>" not in text
            assert "````text\n四要素 0.5一条" in text
        if platform.id in ("telegram", "tencent", "alibaba"):
            assert request.template_name(platform.id, "zh") == f"{platform.id}.zh.md.j2"
    telegram = request.render({"id": "T", "created_at": "x"}, config.platforms["telegram"],
                              config.requester, [view], "e.zip")
    assert "channel and message id" in telegram["en"]


def test_the_eml_is_a_message_an_smtp_server_accepts(config):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    platform = config.platforms["darkforum"]
    case = {"id": "TD-20261130-000001", "created_at": "2026-11-30T00:00:00+00:00"}
    texts = request.render(case, platform, config.requester, [request.post_view(POST)], "e.zip")
    raw = request.email(case, platform, config.requester, texts, ("evidence.zip", b"PK\x05\x06"),
                        datetime(2026, 11, 30, tzinfo=UTC))
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["To"] == "abuse@forum.example"
    body = message.get_body(("plain",)).get_content()
    assert body.index("Takedown request") < body.index("删除请求")  # English first, as set
    received = []

    class Keep(Sink):
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # a free port (aiosmtpd needs a number up front)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(message)
    finally:
        controller.stop()
    assert received and received[0].rcpt_tos == ["abuse@forum.example"]


def test_hosts_decide_the_platform(config):
    by = config.platform_of
    assert by("https://t.me/market/88").id == "telegram"
    assert by("https://qun.qq.com/x").id == "tencent"
    assert by("https://www.goofish.com/item?id=1").id == "alibaba"
    assert by("http://127.0.0.1:9999/board/").id == "darkforum"
    assert by("http://127.0.0.1:8888/board/") is None
    assert by(None, "qq-export").id == "qqgroups"
    assert by("https://example.org/") is None


@pytest.mark.parametrize("bad, message", [
    ({"requester": {"name": "x", "organisation": "y"}}, "requester.email: required"),
    ({"requester": {"name": "x", "organisation": "y", "email": "nope"}}, "not an address"),
    ({"platforms": {"x": {"hosts": ["a.example"], "report_to": "a@b.c"}}},
     "platforms.x.name: required"),
    ({"platforms": {"tencent": {"report_to": "bad"}}}, "platforms.tencent.report_to"),
    ({"platforms": {"tencent": {"report": "a@b.c"}}}, "platforms.tencent.report: unknown key"),
    ({"requesters": {}}, "requesters: unknown key"),
])
def test_a_wrong_configuration_names_the_file_and_key(tmp_path, bad, message):
    path = tmp_path / "takedown.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(UsageError, match=message) as error:
        load_config(path)
    assert str(path) in str(error.value)


def test_missing_configuration_is_one_clear_error(tmp_path):
    with pytest.raises(UsageError, match="no takedown configuration"):
        load_config(tmp_path / "none.yaml")
    assert load_config(tmp_path / "none.yaml", required=False).requester is None


def test_time_to_removal_runs_from_sending_else_from_drafting():
    from ops.commands.takedown import case_row, platform_summary

    def case(id, state, events):
        return {"id": id, "platform": "telegram", "state": state, "posts": [],
                "created_at": "2026-11-01T08:00:00+00:00", "created_by": "a", "host": None,
                "report_to": None, "bundle": None,
                "events": [{"kind": "state", "state": s, "at": at} for s, at in events]}

    sent = case_row(case("A", "removed", [("drafted", "2026-11-01T08:00:00+00:00"),
                                          ("sent", "2026-11-02T08:00:00+00:00"),
                                          ("removed", "2026-11-03T10:30:00+00:00")]))
    assert (sent["time_to_removal"], sent["time_to_removal_hours"]) == ("1d 2h", 26.5)
    unsent = case_row(case("B", "removed", [("drafted", "2026-11-01T08:00:00+00:00"),
                                            ("removed", "2026-11-01T08:45:00+00:00")]))
    assert unsent["time_to_removal"] == "45m" and unsent["sent"] is None
    still = case_row(case("C", "sent", [("drafted", "2026-11-01T08:00:00+00:00"),
                                        ("sent", "2026-11-02T08:00:00+00:00")]))
    assert still["time_to_removal"] is None and still["removed"] is None
    (summary,) = platform_summary([sent, unsent, still])
    assert summary == {"platform": "telegram", "cases": 3, "open": 1, "removed": 2,
                       "rejected": 0, "median_time_to_removal": "13h 37m"}
