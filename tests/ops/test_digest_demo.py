"""The demo market's history, crawled for real, measured, and turned into the digest.

The market writes its price paths into its ground truth; the tests compare the trend and the
price index measured from the crawled store against them, render the digest in Chromium with
the network cut off, and mail it to a real SMTP server on loopback.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import shutil
from datetime import date

import pytest

from crawlers.demo.history import SPIKE_WEEK, WEEKS
from index import open_store
from index.query import TrendQuery
from ops.cli import main
from ops.digest import Settings, build, mail_message, write_digest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
LAST_WEEK = date(2026, 11, 16)


def key_filters(key: str) -> dict:
    goods, platform, unit, currency = key.split("/")
    return {"goods": [goods], "platform": [platform], "unit": [unit], "currency": [currency],
            "side": ["sell"]}


def test_the_market_spans_weeks_with_known_paths(history):
    _, paths = history
    assert len(paths) >= 6 and all(len(p) == WEEKS >= 16 for p in paths.values())
    rising, falling = paths["account/wechat/item/CNY"], paths["sms_code/wechat/item/CNY"]
    assert rising[-1]["price"] > rising[0]["price"] and falling[-1]["price"] < falling[0]["price"]
    flat = paths["sim_card/china_mobile/item/CNY"]
    assert {p["price"] for p in flat} == {flat[0]["price"]}
    spike = [p["price"] for p in paths["lookup_service/sf/query/CNY"]]
    assert spike[SPIKE_WEEK] > 1.5 * spike[SPIKE_WEEK - 1] and spike[SPIKE_WEEK + 1] == spike[0]


def test_measured_weekly_medians_follow_the_paths(history):
    store, paths = history
    with open_store(str(store)) as s:
        for key, path in paths.items():
            rows = {r["period"]: r for r in s.trend(TrendQuery(interval="week",
                                                               **key_filters(key)))}
            assert [p["week"] for p in path] == list(rows), key
            for point in path:
                row = rows[point["week"]]
                assert row["sellers"] >= 3
                # an outlier ask some weeks moves the raw median by half a step (2%)
                assert row["price_median"] == pytest.approx(point["price"], rel=0.05), \
                    (key, point)


def test_trend_splits_rentals_per_day_and_per_month(history, capsys):
    store, _ = history
    assert main(["trend", "--store", str(store), "--goods", "account_rental", "--side", "sell",
                 "--json"]) == 0
    import json

    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    units = {r["unit"] for r in rows}
    assert units == {"day", "month"}
    for row in rows:  # a month's rent is never in the median of day rents
        assert (row["price_median"] < 40) == (row["unit"] == "day")


def test_digest_index_follows_the_paths(history):
    store, paths = history
    with open_store(str(store)) as s:
        digest = build(s, LAST_WEEK, Settings())
    assert digest.week == "2026-W47" and digest.chain.weeks[0] == "2026-W28"
    for key, goods in (("account/wechat/item/CNY", "account"),
                       ("sms_code/wechat/item/CNY", "sms_code"),
                       ("sim_card/china_mobile/item/CNY", "sim_card"),
                       ("lookup_service/sf/query/CNY", "lookup_service")):
        path = paths[key]
        series = digest.chain.series[goods]
        for point in path:  # outliers removed: the elementary price is the path itself
            expected = 100 * point["price"] / path[0]["price"]
            assert series[point["week"]].index == pytest.approx(expected, rel=0.02), (key, point)
    spike_week = paths["lookup_service/sf/query/CNY"][SPIKE_WEEK]["week"]
    assert digest.chain.series["lookup_service"][spike_week].index == pytest.approx(180, rel=0.02)
    rows = {r.item.key: r for r in digest.rows}
    assert rows[("insider_access", "yto", "day", "USDT")].item.price == pytest.approx(70, rel=0.03)
    assert digest.new_sellers and digest.gone_sellers


def test_digest_command_writes_the_files(history, tmp_path, capsys, monkeypatch):
    store, _ = history
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    out = tmp_path / "digest"
    assert main(["digest", "--store", str(store), "--week", "2026-W47", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out / "digest.html")
    markdown = (out / "digest.md").read_text()
    assert "2026-W47" in markdown and "Market index" in markdown
    table = list(csv.DictReader(io.StringIO((out / "digest.csv").read_text())))
    assert {(r["goods"], r["unit"]) for r in table} >= {("account", "item"),
                                                        ("account_rental", "day"),
                                                        ("account_rental", "month")}
    assert all(int(r["sellers"]) >= 3 for r in table)
    assert not [p for p in out.iterdir() if p.name.startswith(".digest-")]


def test_a_bad_week_leaves_no_digest(history, tmp_path, capsys):
    store, _ = history
    out = tmp_path / "none"
    assert main(["digest", "--store", str(store), "--week", "2026-W10", "--out", str(out)]) == 2
    assert "no offers stored in week 2026-W10" in capsys.readouterr().err
    assert not out.exists()
    assert main(["digest", "--store", str(store), "--week", "47", "--out", str(out)]) == 2
    assert "not an ISO week" in capsys.readouterr().err


def test_digest_renders_in_chromium_without_network(history, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    store, _ = history
    with open_store(str(store)) as s:
        written = write_digest(build(s, LAST_WEEK, Settings()), tmp_path / "d")
    fetched = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
            context.set_offline(True)
            page = context.new_page()
            page.on("request", lambda r: fetched.append(r.url))
            page.goto(written.html.as_uri())
            page.wait_for_load_state("load")
            images = page.evaluate(
                "Array.from(document.images).map(i => [i.id, i.complete, i.naturalWidth, "
                "i.naturalHeight, i.getBoundingClientRect().width])")
            overflow = page.evaluate("document.documentElement.scrollWidth")
        finally:
            browser.close()
    assert {i[0] for i in images} == {"chart-index", "chart-medians"}
    for _, complete, width, height, shown in images:
        assert complete and width > 100 and height > 100 and 0 < shown <= 390
    assert overflow <= 400  # tables scroll inside their box; the page fits a phone
    assert [u for u in fetched if not u.startswith(("file:", "data:"))] == []


@pytest.fixture
def smtp_server():
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    # aiosmtpd checks its own start by connecting to the port it was given: give it a free one
    controller = aiosmtpd.Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, received
    finally:
        controller.stop()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_port(controller) -> int:
    return controller.port


def test_digest_mail_arrives_multipart_with_inline_charts(history, tmp_path, smtp_server,
                                                          monkeypatch, capsys):
    controller, received = smtp_server
    store, _ = history
    monkeypatch.setenv("HEISHI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HEISHI_SMTP_PORT", str(smtp_port(controller)))
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    assert main(["digest", "--store", str(store), "--week", "2026-W47", "--out",
                 str(tmp_path / "d"), "--email", "--to", "analyst@example.org"]) == 0
    assert len(received) == 1 and received[0].rcpt_tos == ["analyst@example.org"]
    message = email.message_from_bytes(received[0].content, policy=email.policy.default)
    assert "2026-W47" in message["Subject"]
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert "Market index" in plain.get_content()
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 2 and all(len(p.get_content()) > 1000 for p in images)
    for image in images:  # the HTML refers to each chart by its Content-ID
        assert f"cid:{image['Content-ID'].strip('<>')}" in html.get_content()


def test_unreachable_smtp_is_a_clear_error(history, tmp_path, monkeypatch, capsys):
    port = free_port()  # nobody listens there
    store, _ = history
    monkeypatch.setenv("HEISHI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HEISHI_SMTP_PORT", str(port))
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    assert main(["digest", "--store", str(store), "--week", "2026-W47", "--out",
                 str(tmp_path / "d"), "--email", "--to", "a@example.org"]) == 2
    assert f"SMTP server 127.0.0.1:{port}: cannot send mail" in capsys.readouterr().err


def test_mail_message_has_a_text_alternative(history):
    store, _ = history
    with open_store(str(store)) as s:
        digest = build(s, LAST_WEEK, Settings())
    written = write_digest(digest, store.parent / "mail")
    message = mail_message(written, ["x@example.org"])
    assert message.is_multipart() and message.get_content_type() == "multipart/alternative"


def test_scheduled_digest_writes_the_latest_complete_week(history, tmp_path, monkeypatch):
    from ops import digest as digests

    store, _ = history
    monkeypatch.setenv("HEISHI_STORE", str(store))
    monkeypatch.setenv("HEISHI_DIGEST_DIR", str(tmp_path / "digests"))
    monkeypatch.delenv("HEISHI_DIGEST_TO", raising=False)
    real = digests.latest_week
    # as if the scheduler ran on Monday 2026-11-23: W47 has just ended
    monkeypatch.setattr(digests, "latest_week",
                        lambda s: real(s, today=date(2026, 11, 23)))
    assert digests.scheduled_digest() is None
    written = tmp_path / "digests" / "2026-W47"
    assert sorted(p.name for p in written.iterdir()) == sorted(digests.FILES)
    # on Wednesday of W47 that week is not over: the digest is of W46
    with open_store(str(store)) as s:
        assert real(s, today=date(2026, 11, 18)) == date(2026, 11, 9)
        assert real(s, today=date(2026, 11, 18), complete=False) == LAST_WEEK


def test_demo_ends_with_the_latest_weeks_digest(history, tmp_path, monkeypatch):
    from ops.commands.demo import write_latest_digest

    monkeypatch.setenv("HEISHI_DIGEST_DIR", str(tmp_path / "digests"))
    path = write_latest_digest(str(history[0]))
    assert path == tmp_path / "digests" / "2026-W47" / "digest.html" and path.exists()
