"""Watch alerts: rules checked up front, matches on stored posts, delivered exactly once to a
real local webhook (that fails first) and a real SMTP server, and the history retro-hunt."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawlers.demo import DemoMarket
from crawlers.demo.history import SPIKE_WEEK
from index import Post, open_store
from index.query import Filters, SearchQuery
from ops import alerts
from ops.alerts.deliver import deliver_pending
from ops.alerts.match import post_day
from ops.alerts.state import AlertState, now
from ops.cli import main
from tests.crawlers.crawling import crawl_env, run_crawl


def write(tmp_path, text: str, name="rules.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, message", [
    ("rules:\n  - name: a\n    keywords: [x]\n  - name: b\n    regex: '([0-9]'\n",
     "line 4, rule 'b': bad regular expression '([0-9]'"),
    ("rules:\n  - name: a\n    goods: [accounts]\n", "line 2, rule 'a': unknown goods 'accounts'"),
    ("rules:\n  - name: a\n    keyword: [x]\n", "unknown key 'keyword'"),
    ("rules:\n  - name: a\n    deliver: {webhook: http://x}\n", "has no condition"),
    ("rules:\n  - name: a\n    new_seller: true\n", "new_seller needs `goods`"),
    ("rules:\n  - name: a\n    keywords: x\n  - name: a\n    keywords: y\n", "used twice"),
    ("rules: [\n", "not valid YAML"),
    ("rules:\n  - name: a\n    price_below: -5\n", "price_below must be a percentage"),
])
def test_bad_rules_files_are_refused_with_file_line_and_rule(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(alerts.RulesError, match="rules file .*rules.yaml") as caught:
        alerts.load_rules(path)
    assert message in str(caught.value)


def test_alerts_test_command_reports_a_bad_rule(tmp_path, capsys, history):
    path = write(tmp_path, "rules:\n  - name: a\n    regex: '*x'\n")
    assert main(["alerts", "test", str(path), "--store", str(history[0])]) == 2
    err = capsys.readouterr().err
    assert "heishi alerts: error: rules file" in err and "line 2" in err


def test_retro_hunt_over_the_demo_history(tmp_path, history, capsys):
    store, paths = history
    rules = write(tmp_path, """
rules:
  - name: sf-spike
    goods: [lookup_service]
    platform: [sf]
    price_above: 40
  - name: new-code-seller
    goods: [sms_code]
    new_seller: true
  - name: yto-usdt
    keywords: [圆通]
    regex: '\\d+U/天'
  - name: dumped-accounts
    goods: [account]
    platform: [wechat]
    price_below: 20
""")
    assert main(["alerts", "test", str(rules), "--store", str(store), "--json"]) == 0
    fired = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_rule = {}
    for row in fired:
        by_rule.setdefault(row["rule"], []).append(row)
    with open_store(str(store)) as s:
        sf_posts = s.search(SearchQuery(goods=["lookup_service"], side=["sell"],
                                        limit=1000)).hits
        sms_sellers = {o["seller_key"] for o in s.iter_offers(
            Filters(goods=["sms_code"], side=["sell"]))}
        yto_posts = s.search(SearchQuery(text="圆通", limit=1000)).total
    spike_week = paths["lookup_service/sf/query/CNY"][SPIKE_WEEK]["week"]
    spike_ids = {h["id"] for h in sf_posts if week_of(h) == spike_week}
    sf_fired = {r["post_id"] for r in by_rule["sf-spike"]}
    assert spike_ids and spike_ids <= sf_fired  # every ask of the spike week is 80% over
    assert all("over last week's median" in r["reasons"] for r in by_rule["sf-spike"])
    # a new seller of codes fires once: on that seller's first post of sms_code
    assert len(by_rule["new-code-seller"]) == len(sms_sellers)
    assert len(by_rule["yto-usdt"]) == yto_posts > 0
    # the one seller who dumps WeChat accounts at 60% of the going price, in 2026-W46
    dumped = by_rule["dumped-accounts"]
    assert len(dumped) == 1 and "% under last week's median" in dumped[0]["reasons"]
    assert week_of(dumped[0]) == "2026-W46"


def week_of(post) -> str:
    year, week, _ = post_day(post).isocalendar()
    return f"{year}-W{week:02d}"


class Hook:
    """A local webhook that answers 500 to the first ``failures`` posts, then 200."""

    def __init__(self, failures: int):
        self.failures = failures
        self.calls: list[tuple[int, dict, dict]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status = 500 if len(hook.calls) < hook.failures else 200
                hook.calls.append((status, dict(self.headers), body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def accepted(self):
        return [body for status, _, body in self.calls if status == 200]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook():
    made = []

    def start(failures: int) -> Hook:
        made.append(Hook(failures))
        return made[-1]

    yield start
    for h in made:
        h.close()


def small_store(tmp_path):
    path = tmp_path / "heishi.db"
    with open_store(str(path)) as s:
        posts = [Post(source="tg", key="1", text="出微信老号 满三年 400元 QQ 2800001111",
                      posted_at="2026-11-20T10:00:00+00:00"),
                 Post(source="tg", key="2", text="今天天气不错", posted_at="2026-11-20T11:00:00")]
        s.upsert_posts(posts)
        s.put_extractions([
            (posts[0].id, {"is_listing": True, "offers": [
                {"goods": "account", "platform": "wechat", "side": "sell", "price": 400,
                 "price_max": None, "currency": "CNY", "per_qty": 1, "unit": "item",
                 "min_qty": None}], "contacts": [{"type": "qq", "value": "2800001111"}]}, "t"),
            (posts[1].id, {"is_listing": False, "offers": [], "contacts": []}, "t")])
    return str(path), posts[0].id


def test_webhook_that_fails_first_gets_each_alert_once(tmp_path, hook):
    store, post_id = small_store(tmp_path)
    server = hook(failures=2)  # the first try and its quick retry fail
    rules = write(tmp_path, f"rules:\n  - name: wx\n    keywords: [微信老号]\n"
                            f"    deliver: {{webhook: '{server.url}'}}\n")
    state_path = tmp_path / "alerts.db"
    counts = alerts.run_alerts(store, str(rules), str(state_path), start="2000-01-01")
    assert counts == {"new": 1, "delivered": 0, "retry": 1, "failed": 0}
    with AlertState(state_path) as state:
        row = state.rows()[0]
        assert (row["status"], row["attempts"]) == ("pending", 1)
        assert "answered 500" in row["last_error"]
        assert deliver_pending(state) == {"delivered": 0, "retry": 0, "failed": 0}  # not due
        later = now() + timedelta(minutes=2)
        assert deliver_pending(state, later)["delivered"] == 1
        assert state.rows()[0]["status"] == "delivered"
    assert len(server.accepted()) == 1
    body = server.accepted()[0]
    assert (body["rule"], body["post_id"]) == ("wx", post_id)
    assert body["reasons"] == ["keywords 微信老号"] and "qq:2800001111" in body["contacts"]
    assert server.calls[-1][1]["Idempotency-Key"] == f"heishi-alert-{body['alert_id']}"
    # the next run finds nothing new and delivers nothing again
    again = alerts.run_alerts(store, str(rules), str(state_path))
    assert again == {"new": 0, "delivered": 0, "retry": 0, "failed": 0}
    assert len(server.calls) == 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_mail_alerts_wait_for_an_smtp_server_and_then_arrive(tmp_path, monkeypatch):
    controller_module = pytest.importorskip("aiosmtpd.controller")
    store, _ = small_store(tmp_path)
    port = free_port()
    monkeypatch.setenv("HEISHI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HEISHI_SMTP_PORT", str(port))
    rules = write(tmp_path, "rules:\n  - name: wx\n    goods: [account]\n"
                            "    deliver: {mail: [watch@example.org]}\n")
    state_path = str(tmp_path / "alerts.db")
    counts = alerts.run_alerts(store, str(rules), state_path, start="2000-01-01")
    assert counts["retry"] == 1  # nobody listens yet: kept, not lost
    with AlertState(state_path) as state:
        assert f"127.0.0.1:{port}: cannot send mail" in state.rows()[0]["last_error"]
    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    controller = controller_module.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with AlertState(state_path) as state:
            assert deliver_pending(state, now() + timedelta(minutes=2))["delivered"] == 1
    finally:
        controller.stop()
    assert len(received) == 1 and received[0].rcpt_tos == ["watch@example.org"]
    message = email.message_from_bytes(received[0].content, policy=email.policy.default)
    assert message["Subject"].startswith("heishi alert: wx")
    assert "出微信老号" in message.get_content()


def test_scheduled_alerts_reads_the_environment(tmp_path, monkeypatch, hook):
    store, _ = small_store(tmp_path)
    server = hook(failures=0)
    rules = write(tmp_path, f"rules:\n  - name: wx\n    keywords: [老号]\n"
                            f"    deliver: {{webhook: '{server.url}'}}\n")
    monkeypatch.setenv("HEISHI_STORE", store)
    monkeypatch.setenv("HEISHI_ALERT_RULES", str(rules))
    with AlertState(tmp_path / "alerts.db") as state:  # a watermark from before the posts
        state.set_mark(alerts.WATERMARK, "2000-01-01T00:00:00+00:00")
    assert alerts.scheduled_alerts() is None
    assert len(server.accepted()) == 1
    alerts.scheduled_alerts()
    assert len(server.accepted()) == 1


def test_crawl_runs_rules_on_the_posts_it_stored(tmp_path, hook):
    server = hook(failures=0)
    rules = write(tmp_path, f"rules:\n  - name: sf\n    goods: [lookup_service]\n"
                            f"    platform: [sf]\n    deliver: {{webhook: '{server.url}'}}\n")
    store, evidence = tmp_path / "heishi.db", tmp_path / "evidence"
    with DemoMarket(port=0) as market:
        env = crawl_env(market)
        first = run_crawl(store, evidence, "demo-history", "--rules", str(rules), env=env)
        sf_posts = [x for x in market.listings("history") if x.goods == "lookup_service"]
        second = run_crawl(store, evidence, "demo-history", "--rules", str(rules), env=env)
    assert first.rows["demo-history"]["new"] > 0 and second.rows["demo-history"]["new"] == 0
    assert "alerts:" in first.stderr
    delivered = server.accepted()
    assert len(delivered) == len(sf_posts)  # every SF look-up once, none again on the recrawl
    assert len({b["post_id"] for b in delivered}) == len(delivered)
