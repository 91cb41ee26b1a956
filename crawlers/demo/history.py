"""The demo market's history: twenty weeks of a price board with known price paths.

A trend monitor whose demo data spans four days shows no trend. This board (``/history/``)
holds posts spread over ``WEEKS`` ISO weeks, new posts every week, sellers coming and going,
and for each traded item (goods, platform, unit, currency) a price path written here, so a
crawl's measured weekly medians and price index can be compared with what the market meant:

- WeChat old accounts rise, 接码 codes for WeChat fall, registration SIM cards stay flat;
- SF-Express look-ups spike for one week and come back;
- QQ account rentals are priced per day *and* per month in the same posts (a trend that
  mixes units would mix 20 and 400);
- YTO insider accounts rent per day in USDT (the digest converts them).

Each week the sellers of an item ask prices spread symmetrically around the path, so the
median of the honest asks is the path itself; some weeks one seller asks several times the
going price (an outlier the digest's median-absolute-deviation rule removes), in the week
before the last one a seller dumps WeChat accounts at 60% of the price (what a watch rule
on prices catches), and a buyer bids below it (side ``buy``, never in the sellers' index).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .content import CHINA, Board, Listing

WEEKS = 20
LAST_MONDAY = date(2026, 11, 16)  # ISO week 2026-W47, the week the rest of the market is in
NEWEST = datetime(2026, 11, 21, 9, 30, tzinfo=CHINA)  # no post after this time
SPIKE_WEEK = 14  # 0-based week of the SF look-up spike
TID_BASE = 20000
PER_PAGE = 30
BOARD = Board("history", 0, PER_PAGE, TID_BASE, NEWEST)  # paged like the other boards


@dataclass(frozen=True)
class Item:
    """One traded item of the board and how its price moves."""

    goods: str
    platform: str
    unit: str
    currency: str
    start: float  # price in week 0
    end: float  # price in the last week (geometric path in between)
    decimals: int  # how sellers round it
    template: str  # {price} and {contact}; {price2} for the month price of rentals
    spike: float = 1.0  # factor in SPIKE_WEEK
    field: str = "{price}元"  # the board's price field, as the seller typed it

    @property
    def key(self) -> str:
        return f"{self.goods}/{self.platform}/{self.unit}/{self.currency}"

    def price(self, week: int) -> float:
        value = self.start * (self.end / self.start) ** (week / (WEEKS - 1))
        if week == SPIKE_WEEK:
            value *= self.spike
        return round(value, self.decimals)


ITEMS = (
    Item("account", "wechat", "item", "CNY", 300, 480, 0,
         "出微信老号 满三年 实名带圈 可换绑，{price}元一个。\n{contact}"),
    Item("sms_code", "wechat", "item", "CNY", 4.0, 2.4, 1,
         "长期稳定接码：微信{price}元，不成功不扣费。\n{contact}"),
    Item("sim_card", "china_mobile", "item", "CNY", 12, 12, 0,
         "出移动注册卡 可收短信，{price}元一张，50张起。\n{contact}"),
    Item("lookup_service", "sf", "query", "CNY", 50, 50, 0,
         "查顺丰单号 手机号查快递地址，{price}元一次，秒出。\n{contact}", spike=1.8,
         field="{price}元/次"),
    Item("account_rental", "qq", "day", "CNY", 20, 26, 0,
         "QQ号出租，日租{price}元，包月{price2}元，押金200。\n{contact}", field="日租{price}"),
    Item("insider_access", "yto", "day", "USDT", 70, 70, 0,
         "圆通网点账号出租，可查全国面单，{price}U/天，先试后买。\n{contact}",
         field="{price}U/天"),
)
RENTAL_MONTH = 18  # a month's rent is this many days' rent: the rental's second unit


def month_item(day: Item) -> Item:
    """The per-month price path that the rental posts carry beside the per-day one."""
    return Item(day.goods, day.platform, "month", day.currency, day.start * RENTAL_MONTH,
                day.end * RENTAL_MONTH, 0, day.template)


HANDLES = ["诚信号商阿杰", "老K接码", "东哥卡池", "一手资源", "飞哥查档", "金牌工作室", "北辰科技",
           "七月出号", "胖虎数据", "风哥实名", "龙哥车队", "花花代理", "小林号铺", "专业引流",
           "大熊总代", "阿峰团队"]


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def mondays() -> list[date]:
    return [LAST_MONDAY - timedelta(weeks=WEEKS - 1 - w) for w in range(WEEKS)]


def price_paths() -> dict[str, list[dict]]:
    """The ground truth: per item key (``goods/platform/unit/currency``), the price the
    market's sellers centred their asks on, week by week (oldest first)."""
    paths = {}
    for item in (*ITEMS, month_item(ITEMS[4])):
        paths[item.key] = [
            {"week": week_label(monday), "start": monday.isoformat(), "price": item.price(w)}
            for w, monday in enumerate(mondays())
        ]
    return paths


def _contact(rng: random.Random, n: int) -> str:
    kind = n % 3
    if kind == 0:
        return f"QQ {rng.choice('2356')}{n % 10}0000{1000 + n * 37 % 9000}"
    if kind == 1:
        return f"V：hist_{n:03d}"
    return f"TG：@histseller{n:03d}"


def _sellers(rng: random.Random, item_no: int) -> list[tuple[str, str, int, int]]:
    """(handle, contact, first week, last week) of an item's sellers: three stay the whole
    time, others come and go."""
    sellers = []
    for s in range(8):
        n = item_no * 10 + s
        handle = f"{HANDLES[(item_no * 3 + s) % len(HANDLES)]}{n:02d}"
        if s < 3:
            window = (0, WEEKS - 1)
        elif s == 7 and item_no % 2 == 0:  # a newcomer in the latest week
            window = (WEEKS - 1, WEEKS - 1)
        else:
            first = rng.randrange(0, WEEKS - 3)
            window = (first, min(WEEKS - 1, first + rng.randint(2, 9)))
        sellers.append((handle, _contact(rng, n), *window))
    return sellers


def _format(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}" if decimals else f"{round(value):d}"


def write_history(seed: int) -> list[Listing]:
    """The board's posts, newest first (higher tid = later)."""
    rng = random.Random(f"{seed}:history")
    drafts: list[tuple[datetime, str, str, str | None, str, bool, str | None]] = []
    for item_no, item in enumerate(ITEMS):
        sellers = _sellers(rng, item_no)
        for w, monday in enumerate(mondays()):
            active = [s for s in sellers if s[2] <= w <= s[3]]
            n = len(active)
            target = item.price(w)
            for i, (handle, contact, _, _) in enumerate(active):
                # asks spread symmetrically around the path: their median is the path
                factor = 1 + 0.04 * (i - (n - 1) / 2)
                price = _format(target * factor, item.decimals)
                price2 = _format(month_item(item).price(w) * factor, 0)
                text = item.template.format(price=price, price2=price2, contact=contact)
                title = text.split("，")[0]
                drafts.append((_moment(rng, monday), handle, title,
                               item.field.format(price=price), text, True, item.goods))
            if w == WEEKS - 2 and item_no == 0:  # a seller dumps accounts at 60% of the price
                handle, contact = active[-1][0], active[-1][1]
                price = _format(target * 0.6, item.decimals)
                text = item.template.format(price=price, price2="", contact=contact)
                drafts.append((_moment(rng, monday), handle, text.split("，")[0],
                               item.field.format(price=price), text, True, item.goods))
            if w % 4 == 1:  # an outlier: one seller asks several times the going price
                handle, contact = active[0][0], active[0][1]
                price = _format(target * 5, item.decimals)
                price2 = _format(month_item(item).price(w) * 5, 0)
                text = item.template.format(price=price, price2=price2, contact=contact)
                drafts.append((_moment(rng, monday), handle, text.split("，")[0],
                               item.field.format(price=price), text, True, item.goods))
    for w, monday in enumerate(mondays()):
        if w % 3 == 0:  # a buyer's bid: side buy, not in the sellers' prices
            text = f"收微信老号 满两年，一个{round(ITEMS[0].price(w) * 0.6)}，长期收。\n" \
                   f"QQ 5{w % 10}0000{7000 + w}"
            drafts.append((_moment(rng, monday), "收号工作室", "收微信老号", None, text, True,
                           "account"))
        if w % 5 == 2:
            text = "本周行情：接码越来越便宜，微信老号又涨了，大家注意调价。"
            drafts.append((_moment(rng, monday), "版主-老白", "本周行情", None, text, False,
                           None))
    drafts.sort(key=lambda d: d[0])
    listings = []
    for i, (at, author, title, price, text, is_listing, goods) in enumerate(drafts):
        tid = str(TID_BASE + i + 1)
        listings.append(Listing(
            tid=tid, section="history", title=title, author=author,
            posted=at.strftime("%Y-%m-%d %H:%M"), posted_iso=at.isoformat(timespec="seconds"),
            price=price, text=text, is_listing=is_listing, goods=goods,
            url=f"/history/#t-{tid}",
        ))
    return listings[::-1]


def _moment(rng: random.Random, monday: date) -> datetime:
    """A posting time within the week (China time), never after the market's newest post."""
    start = datetime(monday.year, monday.month, monday.day, 8, 0, tzinfo=CHINA)
    latest = min(start + timedelta(days=6, hours=15), NEWEST)
    span = int((latest - start).total_seconds() // 60)
    return start + timedelta(minutes=rng.randrange(span))
