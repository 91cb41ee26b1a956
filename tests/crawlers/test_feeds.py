"""The demo market's channel, code platform API and marketplace API, crawled over loopback by
the real ``heishi crawl`` (a subprocess each): backfill, versions, stock readings, estimated
sales, and bad answers that fail a run by name without losing what is stored."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawlers.demo.feeds import COUNTRIES, SERVICES, SMS_KEY, views_text
from crawlers.errors import ConfigError
from crawlers.formats import abbreviated_count
from crawlers.sources import load_sources
from index import StoreError, open_store, post_id
from index.elastic.store import ElasticStore
from tests.crawlers.crawling import REPO, Crawl, crawl_env, run_crawl

CHANNEL = "demo-telegram"


def env_for(market, **extra):
    return crawl_env(market, **{"HEISHI_DEMO_SMS_KEY": SMS_KEY, **extra})


def stored(store: Path, source: str) -> dict[str, dict]:
    with open_store(str(store)) as db:
        return {post["key"]: post for post in db.iter_posts(source)}


# -- the Telegram channel --------------------------------------------------------------------


@dataclass
class Channel:
    store: Path
    first: Crawl
    second: Crawl  # after a new message and an edit
    before_requests: list[int]  # how many ?before= pages each crawl asked for
    edited: int


@pytest.fixture(scope="module")
def channel(market, tmp_path_factory) -> Channel:
    folder = tmp_path_factory.mktemp("channel")
    store, evidence, env = folder / "h.db", folder / "ev", env_for(market)

    def backfills() -> int:
        return sum(n for target, n in market.requests.items()
                   if target.startswith("/s/") and "before=" in target)

    counts = [backfills()]
    first = run_crawl(store, evidence, CHANNEL, env=env)
    counts.append(backfills())
    market.feeds.post("出QQ老号 八年 80元一个\n私聊 @heishi_demo_kefu")
    market.feeds.edit(44, "出微信老号 满五年 500元一个，可换绑")
    second = run_crawl(store, evidence, CHANNEL, env=env)
    counts.append(backfills())
    steps = [later - earlier for earlier, later in zip(counts, counts[1:], strict=False)]
    return Channel(store, first, second, steps, 44)


def test_channel_first_crawl_backfills_every_message(channel, market):
    row = channel.first.rows[CHANNEL]
    assert row["status"] == "ok", channel.first.stderr
    truth = [m for m in market.feeds.messages if not m.service and m.id <= 45]
    assert row["pages"] == 3 and channel.before_requests[0] == 2
    posts = stored(channel.store, CHANNEL)
    assert {f"heishi_demo/{m.id}" for m in truth} <= set(posts)
    assert "heishi_demo/1" not in posts and "heishi_demo/23" not in posts  # service messages
    assert row["new"] == len(truth) == 43


def test_channel_posts_carry_the_message_fields(channel, market):
    posts = stored(channel.store, CHANNEL)
    truth = {m.id: m for m in market.feeds.messages}
    signed = posts["heishi_demo/40"]
    assert signed["author"] == "客服小林" == truth[40].signature
    assert signed["text"] == truth[40].text and "\n" in signed["text"]  # line breaks kept
    assert signed["posted_at"] == truth[40].at.isoformat()
    assert signed["url"] == "https://t.me/heishi_demo/40"
    assert signed["extra"]["views"] == abbreviated_count(views_text(truth[40].views)) > 0
    assert posts["heishi_demo/36"]["extra"]["forwarded_from"] == "黑市资源二群"
    assert posts["heishi_demo/33"]["extra"]["reply_to"] == 32
    context = posts["heishi_demo/2"]["extra"]["context"]
    assert context.startswith("黑市资源频道") and "出售微信老号" in context  # title, description
    with open_store(str(channel.store)) as db:
        goods = {o["goods"] for o in db.iter_offers() if o["source"] == CHANNEL}
    assert {"account", "sms_code"} <= goods


def test_backfill_stops_at_stored_messages_and_edits_become_versions(channel):
    second = channel.second.rows[CHANNEL]
    assert second["status"] == "ok", channel.second.stderr
    assert second["new"] == 1 and second["changed"] == 1 and second["pages"] == 1
    assert channel.before_requests[1] == 0  # the first page held stored messages: no backfill
    key = f"heishi_demo/{channel.edited}"
    with open_store(str(channel.store)) as db:
        post = db.get_post(post_id(CHANNEL, key))
        versions = db.post_versions(post_id(CHANNEL, key))
    assert post["text"] == "出微信老号 满五年 500元一个，可换绑" and post["extra"]["edited"]
    assert len(versions) == 1 and versions[0]["text"] != post["text"]


def test_backfill_stops_at_the_date_limit_and_pages_of_the_wrong_kind_fail(market, tmp_path):
    limit = next(m for m in market.feeds.messages if m.id == 40).at.date()
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - name: channel-since\n    kind: telegram\n"
        f'    start_urls: ["{market.base_url}/s/heishi_demo"]\n'
        f"    telegram: {{since: {limit.isoformat()}}}\n"
        "    politeness: {delay: 0, robots: false}\n"
        # A board is neither a t.me/s page nor a JSON answer: each run fails, saying so.
        "  - name: not-a-channel\n    kind: telegram\n"
        f'    start_urls: ["{market.base_url}/forum/"]\n'
        "  - name: not-json\n    kind: json_api\n"
        f'    start_urls: ["{market.base_url}/forum/"]\n'
        "    json_api: {items: 'data.list', fields: {site_id: id, text: title}}\n",
        encoding="utf-8")
    done = run_crawl(tmp_path / "h.db", tmp_path / "ev", "--sources-file", str(path), "-v",
                     env=env_for(market))
    row = done.rows["channel-since"]
    assert row["status"] == "ok" and row["pages"] == 1 and row["new"] == 20
    assert "telegram.since" in done.stderr
    for name, message in (("not-a-channel", "not a Telegram channel page"),
                          ("not-json", "malformed JSON")):
        assert done.rows[name]["status"] == "failed" and done.rows[name]["new"] == 0
        (error,) = done.rows[name]["errors"]
        assert re.match(rf"{re.escape(market.base_url)}/forum/(:\d+)?: {message}", error), error


# -- the code platform -----------------------------------------------------------------------


def expected_sales(market, crawls: int) -> dict[str, tuple[int, float]]:
    """Per service: numbers sold and revenue after ``crawls`` crawls of demo-sms-api. Stock
    falls by ``stock_drop`` between two price lists; getNumbersStatus (countries 3 and 6)
    already shows the next list's counts, so there each crawl sees one more fall."""
    feeds = market.feeds
    sold: dict[str, tuple[int, float]] = {}
    for code, _, _ in SERVICES:
        units, revenue = 0, 0.0
        for country, _, _ in COUNTRIES:
            falls = crawls if country in ("3", "6") else crawls - 1
            drop = feeds.stock_drop(code, country) * falls
            units += drop
            revenue += drop * feeds.price(code, country)
        sold[code] = (units, round(revenue, 2))
    return sold


def sales_rows(store: Path, source: str) -> dict[str, dict]:
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "trend", "--sales", "--json", "--source", source,
         "--store", str(store)],
        cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return {row["service"]: row for row in map(json.loads, done.stdout.splitlines())}


@dataclass
class Feeds:
    store: Path
    first: Crawl
    second: Crawl
    sales_after_first: list[dict]


@pytest.fixture(scope="module")
def feeds(market, tmp_path_factory) -> Feeds:
    """Two crawls of the code platform (both protocols) and the marketplace API."""
    folder = tmp_path_factory.mktemp("feeds")
    store, evidence, env = folder / "h.db", folder / "ev", env_for(market)
    names = ("demo-sms-api", "demo-5sim", "demo-market-api")
    first = run_crawl(store, evidence, *names, env=env)
    with open_store(str(store)) as db:
        sales = db.sales(source=["demo-sms-api"])
    second = run_crawl(store, evidence, *names, env=env)
    return Feeds(store, first, second, sales)


def test_code_platform_prices_become_sms_code_offers(feeds):
    row = feeds.first.rows["demo-sms-api"]
    assert row["status"] == "ok" and row["new"] == len(SERVICES) * len(COUNTRIES) == 15
    assert row["pages"] == 4  # services, prices, stock of two countries
    posts = stored(feeds.store, "demo-sms-api")
    assert posts["3/wb"]["text"] == "接码 wechat (WeChat, wb) 中国: 3.6元"
    with open_store(str(feeds.store)) as db:
        offers = {(o["post_id"], o["goods"], o["platform"], o["price"], o["currency"])
                  for o in db.iter_offers()}
    assert (post_id("demo-sms-api", "3/wb"), "sms_code", "wechat", 3.6, "CNY") in offers
    assert (post_id("demo-sms-api", "6/tg"), "sms_code", "telegram", 1.25, "CNY") in offers
    second = feeds.second.rows["demo-sms-api"]
    assert second["seen"] == 15 and second["new"] == 0 and second["changed"] == 0


def test_estimated_sales_from_known_stock_drops(feeds, market):
    first = {row["service"]: row["sold"] for row in feeds.sales_after_first}
    assert first == {code: units for code, (units, _) in expected_sales(market, 1).items()}
    rows = sales_rows(feeds.store, "demo-sms-api")  # heishi trend --sales --json
    assert {code: (row["sold"], row["revenue"]) for code, row in rows.items()} \
        == expected_sales(market, 2)
    assert rows["wb"]["platform"] == "wechat" and rows["wb"]["currency"] == "CNY"
    assert rows["wb"]["countries"] == 3


def test_5sim_guest_prices(feeds):
    row = feeds.first.rows["demo-5sim"]
    assert row["status"] == "ok" and row["new"] == 15
    with open_store(str(feeds.store)) as db:
        platforms = {o["platform"] for o in db.iter_offers()
                     if o["source"] == "demo-5sim" and o["goods"] == "sms_code"}
        sold = {row["service"]: row["sold"] for row in db.sales(source=["demo-5sim"])}
    assert {"wechat", "qq", "telegram", "google"} <= platforms
    assert set(sold) == {"wechat", "qq", "telegram", "google", "other"}
    assert all(units > 0 for units in sold.values())


def test_marketplace_api_pages_then_stops_at_nothing_new(feeds, market):
    row = feeds.first.rows["demo-market-api"]
    assert row["status"] == "ok" and row["pages"] == 3 and row["new"] == 30
    posts = stored(feeds.store, "demo-market-api")
    truth = {i["data"]["item"]["main"]["exContent"]["itemId"]: i["data"]["item"]["main"]
             for i in market.feeds.items}
    assert set(posts) == set(truth)
    for key, post in posts.items():
        assert post["price_text"] == "¥" + truth[key]["clickParam"]["args"]["price"]
        assert post["author"] == truth[key]["exContent"]["userNickName"]
        assert post["url"] == f"https://www.goofish.com/item?id={key}"
    with open_store(str(feeds.store)) as db:
        priced = {o["post_id"] for o in db.iter_offers()
                  if o["source"] == "demo-market-api" and o["price"]}
    assert len(priced) == 30
    second = feeds.second.rows["demo-market-api"]
    assert second["pages"] == 1 and second["new"] == 0


FAULTS = {  # source -> (its key's variable, the variable asking the demo for a fault, message)
    "codes-badkey": ("KEY_BADKEY", "FAULT_NONE", "BAD_KEY"),
    "codes-nokey": ("KEY_NOKEY", "FAULT_NONE", "is not set"),
    "codes-malformed": ("KEY_OK", "FAULT_MALFORMED", "malformed JSON"),
    "codes-429": ("KEY_OK", "FAULT_429", "HTTP 429"),
}


def test_code_platform_faults_fail_the_run_by_name_and_keep_what_is_stored(market, tmp_path):
    store, evidence, path = tmp_path / "h.db", tmp_path / "ev", tmp_path / "sources.yaml"
    text = "sources:\n"
    for name, (key, fault, _) in FAULTS.items():
        text += (
            f"  - name: {name}\n    kind: sms_api\n    start_urls: "
            f'["{market.base_url}/sms-api/stubs/handler_api.php?fault=${{{fault}:-none}}"]\n'
            f"    sms_api: {{protocol: sms-activate, api_key: {{env: {key}}}, countries: [3]}}\n"
            "    politeness: {delay: 0, robots: false, retries: 0}\n")
    path.write_text(text, encoding="utf-8")
    good = crawl_env(market, KEY_BADKEY=SMS_KEY, KEY_NOKEY=SMS_KEY, KEY_OK=SMS_KEY)
    first = run_crawl(store, evidence, "--sources-file", str(path), env=good)
    assert all(first.rows[name]["new"] == 15 for name in FAULTS), first.stderr
    with open_store(str(store)) as db:
        sales = db.sales()

    bad = crawl_env(market, KEY_BADKEY="wrong", KEY_OK=SMS_KEY, FAULT_MALFORMED="malformed",
                    FAULT_429="429")
    done = run_crawl(store, evidence, "--sources-file", str(path), env=bad)
    assert done.returncode == 1
    for name, (_, _, message) in FAULTS.items():
        row = done.rows[name]
        assert row["status"] == "failed", (name, row)
        assert any(message in error for error in row["errors"]), (name, row["errors"])
        assert any(name in line and message in line  # logged under the source's name
                   for line in done.stderr.splitlines()), (name, done.stderr)
        assert len(stored(store, name)) == 15  # nothing already stored is lost
    with open_store(str(store)) as db:
        assert db.sales() == sales


SERVICES_JSON = REPO.parent / "shared" / "samples" / "sms_activation"


@pytest.mark.skipif(not SERVICES_JSON.is_dir(),
                    reason=f"real samples not found at {SERVICES_JSON} (../shared is absent)")
def test_a_catalogue_file_maps_service_codes_to_platforms(market, tmp_path):
    (catalogue,) = SERVICES_JSON.glob("*services.json")  # sms-activate's own, read in place
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - name: codes\n    kind: sms_api\n"
        f'    start_urls: ["{market.base_url}/sms-api/stubs/handler_api.php"]\n'
        "    sms_api: {protocol: sms-activate, api_key: {env: HEISHI_DEMO_SMS_KEY}, "
        f"catalogue: '{catalogue}', currency: CNY}}\n"
        "    politeness: {delay: 0, robots: false}\n", encoding="utf-8")
    def catalogue_requests() -> int:
        return sum(n for target, n in market.requests.items() if "getServicesList" in target)

    before = catalogue_requests()
    done = run_crawl(tmp_path / "h.db", tmp_path / "ev", "--sources-file", str(path),
                     env=env_for(market))
    assert done.rows["codes"]["status"] == "ok" and done.rows["codes"]["pages"] == 1
    assert catalogue_requests() == before  # the file is the catalogue: none asked for
    posts = stored(tmp_path / "h.db", "codes")
    assert posts["3/qq"]["text"] == "接码 qq (Tencent QQ, qq) 中国: 1.8元"  # the file's names
    assert posts["3/go"]["text"].startswith("接码 google (Google,youtube,Gmail, go)")


def test_stock_readings_are_refused_by_elasticsearch_with_a_reason():
    store = ElasticStore.__new__(ElasticStore)  # no cluster here: only the refusal is tested
    store.url, store.prefix = "http://es.invalid:9200", "heishi"
    assert not store.supports_stock
    with pytest.raises(StoreError, match="not supported on this backend yet"):
        store.add_stock_readings([])
    with pytest.raises(StoreError, match="not supported on this backend yet"):
        store.sales()


def test_a_jmespath_that_does_not_compile_names_file_line_and_field(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - name: market\n    kind: json_api\n"
        '    start_urls: ["http://127.0.0.1:1/api"]\n'
        "    json_api:\n      items: data.list[]\n      fields:\n"
        "        site_id: id\n        text: join('', [title\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:9: sources[market].json_api.fields.text: bad JMESPath")


def test_kind_blocks_are_checked(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n  - name: channel\n    kind: telegram\n"
        '    start_urls: ["http://127.0.0.1:1/s/x"]\n'
        "    selectors: {post: div, fields: {text: p}}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r":5: sources\[channel\]\.selectors: a telegram"):
        load_sources(path)
    path.write_text(
        "sources:\n  - name: codes\n    kind: sms_api\n"
        '    start_urls: ["http://127.0.0.1:1/api"]\n'
        "    sms_api: {protocol: smshub}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"protocol: 'smshub': known protocols"):
        load_sources(path)


def test_code_platform_requests_carry_their_state_for_redis_workers(monkeypatch):
    """Workers (heishi worker) take any request of a round from Redis: each must pickle, with
    all a later step needs, and a round's first request is the protocol's first question."""
    import pickle

    from crawlers.formats.sms import PriceRow
    from crawlers.sources import find_sources
    from crawlers.spiders import spider_class

    monkeypatch.setenv("HEISHI_DEMO_SMS_KEY", SMS_KEY)
    (source,) = find_sources(["demo-sms-api"], REPO / "sources.yaml")
    spider = spider_class(source)()
    first = spider.page_request(source.start_urls[0], spider.parse, start=True)
    assert first.method == "POST" and b"action=getServicesList" in first.body
    prices = {"url": "http://x/", "body": b"{}", "status": 200, "headers": {}, "read_at": "t"}
    stock = next(spider.next_stock("http://x/", {"wb": "WeChat"},
                                   [PriceRow("3", "wb", 3.6, 10)], prices, {}, ["3"]))
    for request in (first, stock):
        again = pickle.loads(pickle.dumps(request.to_dict(spider=spider)))
        assert again["callback"] == request.callback.__name__
    assert pickle.loads(pickle.dumps(stock.to_dict(spider=spider)))["cb_kwargs"]["rows"] == [
        PriceRow("3", "wb", 3.6, 10)]
