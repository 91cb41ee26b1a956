"""The demo market's places that are not boards: a Telegram channel, a code-receiving
platform's API and a marketplace's JSON search API.

- ``/s/<channel>`` (and ``?before=<id>``) imitates Telegram's web preview ``t.me/s``: 20
  message wraps per page in t.me's markup, service messages among them, an older-page link;
- ``/sms-api/stubs/handler_api.php`` speaks sms-activate's protocol (GET or POST,
  ``api_key`` = :data:`SMS_KEY`): ``getServicesList``, ``getPrices``, ``getNumbersStatus``.
  Every ``getPrices`` is a new stock reading: the counts fall by a known amount per service
  and country between two readings (``stock_drop``), so tests know the sales to expect;
  ``getNumbersStatus`` already shows the next reading's counts (sales go on after the price
  list was read), so one crawl of it sees sales, and the next ``getPrices`` shows no more;
  ``?fault=429|malformed|NO_NUMBERS|BAD_KEY`` in the URL (or ``sms_fault``) makes it misbehave;
- ``/5sim/v1/guest/prices`` answers the same prices in 5sim's guest shape;
- price lists carry ``Last-Modified`` (2026-11-21 10:00 China time), the time their posts take;
- ``/market/api/search?page=N`` answers like Goofish's search API (``resultList`` of
  ``data.item.main`` with ``exContent`` and ``clickParam``), 10 items a page, three pages.

All content is invented. Answers are built per request (they change as the market does).
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from urllib.parse import parse_qs, urlsplit

CHINA = timezone(timedelta(hours=8))
NEWEST_MESSAGE = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)  # 09:00 China time, 2026-W47
PRICES_UPDATED = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)  # the price lists' Last-Modified
CHANNEL = "heishi_demo"
CHANNEL_TITLE = "黑市资源频道 | 微信号 QQ号 接码"
CHANNEL_DESCRIPTION = "出售微信老号、QQ号、接码服务，长期稳定。\n客服 @heishi_demo_kefu"
PER_PAGE = 20
SMS_KEY = "demo-sms-key"
MARKET_PAGES = 3
MARKET_PER_PAGE = 10
LAST_MODIFIED = (("Last-Modified", format_datetime(PRICES_UPDATED, usegmt=True)),)
HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"

# The code platform: services (code, name as its catalogue writes it, price in 元), countries.
SERVICES = (("wb", "WeChat", 3.6), ("qq", "Tencent QQ", 1.8), ("tg", "Telegram", 2.5),
            ("go", "Google,youtube,Gmail", 1.2), ("ot", "Any other", 0.8))
COUNTRIES = (("3", "china", 60), ("6", "indonesia", 40), ("0", "russia", 25))  # id, name, base


@dataclass(frozen=True)
class ChannelMessage:
    id: int
    text: str
    at: datetime
    views: int
    signature: str | None = None
    edited: bool = False
    forwarded_from: str | None = None
    reply_to: int | None = None
    service: bool = False


_OFFERS = [
    "出微信老号，满三年带圈，{p}元一个，可换绑",
    "QQ靓号 6位数 {p}元，带等级，私聊 @heishi_demo_kefu",
    "接码 探探/陌陌/soul 验证码 {q}元一条，秒到",
    "实名手机卡 出 {p}元一张，量大优惠",
    "微信辅助解封 {p}元一次，当天处理",
    "抖音号 一万粉 {p}元，可直播",
    "收微信号 高价收 {p}元起，长期收",
]
_TALK = ["今天客服在线到晚上十点", "新人进群先看置顶规则", "注意防骗，只认频道客服"]


def channel_messages(seed: int) -> list[ChannelMessage]:
    """The channel's history, oldest first: 45 messages with ids 1..45, two of them service
    messages (the channel's creation and a pin)."""
    rng = random.Random(f"channel-{seed}")
    # Like the boards, the channel's history ends with the demo market's week (2026-W47):
    # gaps are drawn first, then laid back from the newest message.
    gaps = [timedelta(hours=rng.randint(6, 30), minutes=rng.randint(0, 59)) for _ in range(44)]
    start = NEWEST_MESSAGE - sum(gaps, timedelta())
    messages = [ChannelMessage(1, "Channel created", start, 0, service=True)]
    at = start
    for number, gap in zip(range(2, 46), gaps, strict=True):
        at += gap
        if number == 23:
            messages.append(ChannelMessage(number, "黑市资源频道 pinned «频道规则»", at, 0,
                                           service=True))
            continue
        template = rng.choice(_TALK if number % 7 == 0 else _OFFERS)
        text = template.format(p=rng.choice([30, 50, 120, 260, 400, 650]),
                               q=rng.choice([1.5, 2, 3, 4]))
        if number % 5 == 0:
            text += "\n批量另议\n" + rng.choice(["支持担保", "USDT/支付宝都可以"])
        messages.append(ChannelMessage(
            number, text, at, rng.randint(80, 25_000),
            signature="客服小林" if number % 4 == 0 else None,
            forwarded_from="黑市资源二群" if number % 9 == 0 else None,
            reply_to=number - 1 if number % 11 == 0 else None,
        ))
    return messages


def views_text(views: int) -> str:
    return f"{views / 1000:.1f}K".replace(".0K", "K") if views >= 1000 else str(views)


def channel_page(messages: list[ChannelMessage], channel: str, before: int | None) -> str:
    """t.me/s markup (see ../shared/spec/formats.md §1) of the page ending before ``before``."""
    shown = [m for m in messages if before is None or m.id < before][-PER_PAGE:]
    older = shown[0].id if shown and shown[0].id > 1 else None
    more = ""
    prev_link = ""
    if older is not None:
        more = (f'<div class="tgme_widget_message_centered js-messages_more_wrap"><a '
                f'href="/s/{channel}?before={older}" class="tme_messages_more js-messages_more" '
                f'data-before="{older}"></a></div>')
        prev_link = f'<link rel="prev" href="/s/{channel}?before={older}">'
    wraps = "\n".join(_wrap(m, channel) for m in shown) or (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_'
        'message_centered"><div class="tme_no_messages_found">No posts found</div></div></div>')
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(CHANNEL_TITLE)} – Telegram</title>
<meta property="og:title" content="{escape(CHANNEL_TITLE)}">
<meta property="og:description" content="{escape(CHANNEL_DESCRIPTION)}">
{prev_link}</head>
<body class="widget_frame_base tgme_webpreview emoji_image thin_box_shadow tme_mode">
<div class="tgme_channel_info">
<div class="tgme_channel_info_header"><div class="tgme_channel_info_header_title"><span dir="auto">\
{escape(CHANNEL_TITLE)}</span></div>
<div class="tgme_channel_info_header_username"><a href="https://t.me/{channel}">@{channel}</a></div>
</div>
<div class="tgme_channel_info_description">{escape(CHANNEL_DESCRIPTION).replace(chr(10), "<br/>")}\
</div>
</div>
<main class="tgme_main" data-url="/{channel}"><div class="tgme_container">
<section class="tgme_channel_history js-message_history">
{more}
{wraps}
</section></div></main></body></html>
"""


def _wrap(message: ChannelMessage, channel: str) -> str:
    classes = "tgme_widget_message text_not_supported_wrap js-widget_message"
    if message.service:
        classes = classes.replace("js-", "service_message js-")
    body = escape(message.text).replace("\n", "<br/>")
    forwarded = (f'<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from'
                 f'&nbsp;<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/'
                 f'heishi_demo_2/1"><span dir="auto">{escape(message.forwarded_from)}</span></a>'
                 f'</div>') if message.forwarded_from else ""
    reply = (f'<a class="tgme_widget_message_reply" href="https://t.me/{channel}/'
             f'{message.reply_to}"><div class="tgme_widget_message_metatext">…</div></a>'
             ) if message.reply_to else ""
    views = "" if message.service else (
        f'<span class="tgme_widget_message_views">{views_text(message.views)}</span>'
        '<span class="copyonly"> views</span>')
    signature = (f'<span class="tgme_widget_message_from_author" dir="auto">'
                 f'{escape(message.signature)}</span>,&nbsp;') if message.signature else ""
    edited = "edited &nbsp;" if message.edited else ""
    stamp = message.at.isoformat()
    return f"""<div class="tgme_widget_message_wrap js-widget_message_wrap">
<div class="{classes}" data-post="{channel}/{message.id}">
<div class="tgme_widget_message_bubble">
<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" \
href="https://t.me/{channel}"><span dir="auto">{escape(CHANNEL_TITLE)}</span></a></div>
{forwarded}{reply}<div class="tgme_widget_message_text js-message_text" dir="auto">{body}</div>
<div class="tgme_widget_message_footer compact js-message_footer">
<div class="tgme_widget_message_info short js-message_info">{views}<span class=\
"tgme_widget_message_meta">{signature}{edited}<a class="tgme_widget_message_date" href=\
"https://t.me/{channel}/{message.id}"><time datetime="{stamp}" class="time">\
{message.at.strftime("%H:%M")}</time></a></span></div></div></div></div></div>"""


def market_items(seed: int) -> list[dict]:
    """The marketplace's listings, newest first, in Goofish's ``data.item.main`` shape."""
    rng = random.Random(f"market-{seed}")
    titles = ["微信号 自用老号 转让", "QQ号 八年老号 带Q币", "抖音账号 两万粉 可过户",
              "闲置手机卡 已实名 可接码", "淘宝店铺 三钻 低价转", "游戏账号 steam 库存多"]
    items = []
    at = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    for number in range(MARKET_PAGES * MARKET_PER_PAGE):
        at -= timedelta(hours=rng.randint(1, 20))
        item_id = str(880_000_000_000 + seed * 1000 + number)
        price = rng.choice([35, 80, 150, 299, 450, 880])
        title = f"{rng.choice(titles)} {price}元 诚心出"
        items.append({"data": {"item": {"main": {
            "clickParam": {"arg1": "Item", "args": {
                "id": item_id, "item_id": item_id, "price": str(price),
                "publishTime": str(int(at.timestamp() * 1000)), "page": "1"}},
            "exContent": {
                "itemId": item_id, "title": title, "area": rng.choice(["广东", "浙江", "四川"]),
                "price": [{"text": "¥", "type": "sign"}, {"text": str(price), "type": "integer"}],
                "userNickName": rng.choice(["闲置小铺", "号铺老王", "数码回收"]),
                "detailParams": {"itemId": item_id, "soldPrice": str(price), "title": title},
            },
            "targetUrl": f"fleamarket://item?id={item_id}",
        }}}})
    return items


class Feeds:
    """State of the three places (the channel can change; stock falls with each reading)."""

    def __init__(self, seed: int = 7):
        self.seed = seed
        self._lock = threading.Lock()
        self.messages = channel_messages(seed)
        self.readings = {"sms-activate": 0, "5sim": 0}  # price lists answered so far, per API
        self.sms_fault: str | None = None  # "429", "malformed", "NO_NUMBERS", "BAD_KEY"
        self.items = market_items(seed)

    # -- changes tests make ------------------------------------------------------------------
    def post(self, text: str) -> ChannelMessage:
        """A new message at the top of the channel."""
        with self._lock:
            last = self.messages[-1]
            message = ChannelMessage(last.id + 1, text, last.at + timedelta(minutes=10), 10)
            self.messages = [*self.messages, message]
        return message

    def edit(self, message_id: int, text: str) -> ChannelMessage:
        with self._lock:
            for index, message in enumerate(self.messages):
                if message.id == message_id and not message.service:
                    self.messages[index] = replace(message, text=text, edited=True)
                    return self.messages[index]
        raise KeyError(f"the demo channel has no message {message_id}")

    # -- the code platform's stock -----------------------------------------------------------
    @staticmethod
    def stock_drop(service: str, country: str) -> int:
        """Numbers sold between two readings of one service in one country."""
        return 1 + (sum(map(ord, service + country)) % 4)

    def stock(self, service: str, country: str, reading: int) -> int:
        base = dict((c, b) for c, _, b in COUNTRIES)[country] * 10
        return max(0, base - reading * self.stock_drop(service, country))

    def price(self, service: str, country: str) -> float:
        base = dict((code, price) for code, _, price in SERVICES)[service]
        factor = {"3": 1.0, "6": 0.5, "0": 0.25}[country]
        return round(base * factor, 2)

    # -- answering ---------------------------------------------------------------------------
    def respond(self, target: str) -> tuple | None:
        """(status, body, content type, headers) for a path of these places, else None."""
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        if path.startswith("/s/") and path.count("/") == 2:
            before = query.get("before", [""])[-1]
            if before and not before.isdigit():
                return 404, b"", HTML, ()
            html = channel_page(self.messages, path[3:] or CHANNEL,
                                int(before) if before else None)
            return 200, html.encode(), HTML, ()
        if path == "/sms-api/stubs/handler_api.php":
            return self._sms_activate(query)
        if path == "/5sim/v1/guest/prices":
            reading = self._reading("5sim")
            data = {name: {self._5sim_product(code): {"any": {
                "cost": self.price(code, cid), "count": self.stock(code, cid, reading)}}
                for code, _, _ in SERVICES} for cid, name, _ in COUNTRIES}
            return 200, json.dumps(data).encode(), JSON, LAST_MODIFIED
        if path == "/market/api/search":
            page = query.get("page", ["1"])[-1]
            if not page.isdigit() or not 1 <= int(page) <= MARKET_PAGES:
                return 404, b"", JSON, ()
            number = int(page)
            chunk = self.items[(number - 1) * MARKET_PER_PAGE: number * MARKET_PER_PAGE]
            data = {"api": "mtop.taobao.idlemtopsearch.pc.search", "v": "1.0",
                    "ret": ["SUCCESS::调用成功"],
                    "data": {"resultList": chunk, "resultInfo": {
                        "hasNextPage": number < MARKET_PAGES,
                        "searchResControlFields": {"numFound": len(self.items),
                                                   "nextPage": number < MARKET_PAGES}}}}
            return 200, json.dumps(data, ensure_ascii=False).encode(), JSON, ()
        return None

    def _reading(self, api: str) -> int:
        """The number of this price list: each answer is a new reading, stock lower."""
        with self._lock:
            reading = self.readings[api]
            self.readings[api] += 1
        return reading

    @staticmethod
    def _5sim_product(code: str) -> str:
        return {"wb": "wechat", "qq": "qq", "tg": "telegram", "go": "google"}.get(code, "other")

    def _sms_activate(self, query: dict) -> tuple:
        fault = query.get("fault", ["none"])[-1]  # a source's URL may ask for its own fault
        fault = self.sms_fault if fault == "none" else fault
        if fault == "429":
            return 429, b"Too Many Requests", TEXT, (("Retry-After", "1"),)
        if query.get("api_key", [""])[-1] != SMS_KEY or fault == "BAD_KEY":
            return 200, b"BAD_KEY", TEXT, ()
        action = query.get("action", [""])[-1]
        if fault == "malformed" and action != "getServicesList":
            return 200, b'{"3": {"wb": {"cost": 3.6, "count": ', JSON, ()
        if fault == "NO_NUMBERS" and action != "getServicesList":
            return 200, b"NO_NUMBERS", TEXT, ()
        if action == "getServicesList":
            services = [{"code": code, "name": name} for code, name, _ in SERVICES]
            return 200, json.dumps({"status": "success", "services": services}).encode(), \
                JSON, ()
        if action == "getPrices":
            reading = self._reading("sms-activate")
            data = {cid: {code: {"cost": self.price(code, cid),
                                 "count": self.stock(code, cid, reading)}
                          for code, _, _ in SERVICES} for cid, _, _ in COUNTRIES}
            return 200, json.dumps(data).encode(), JSON, LAST_MODIFIED
        if action == "getNumbersStatus":
            country = query.get("country", ["0"])[-1]
            if country not in {c for c, _, _ in COUNTRIES}:
                return 200, b"BAD_COUNTRY", TEXT, ()
            # Numbers go on selling after the price list was read: the stock now is that of
            # the next reading (which the next getPrices will show, unchanged).
            reading = self.readings["sms-activate"]
            data = {f"{code}_0": str(self.stock(code, country, reading))
                    for code, _, _ in SERVICES}
            return 200, json.dumps(data).encode(), JSON, ()
        return 200, b"BAD_ACTION", TEXT, ()
