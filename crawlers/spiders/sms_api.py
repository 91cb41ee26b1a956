"""Code-receiving (接码) platforms through their own APIs.

A platform's price list is one post per service and country ("接码 wechat (WeChat, wb) 中国:
3.6元"), so the extractor makes it an ``sms_code`` offer for the right platform, and a price
change is a new version of that post. The numbers available are kept apart, as a stock
reading per crawl (the text would otherwise change on every crawl): falling stock between two
readings is what was sold, the method of Aubrey (NDSS 2020) that ``heishi trend --sales``
reports.

sms-activate's protocol is spoken by many platforms: ``getServicesList`` (unless the source
names a catalogue file), ``getPrices``, then ``getNumbersStatus`` for each of
``sms_api.countries``. The key goes in a POST body, never in a URL, so it stays out of logs
and of the evidence. 5sim's guest ``/v1/guest/prices`` needs no key.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response, TextResponse

from crawlers.errors import FormatError
from crawlers.formats import Message
from crawlers.formats.sms import (
    COUNTRIES,
    PriceRow,
    fivesim_prices,
    platform_of,
    sms_activate_prices,
    sms_activate_services,
    sms_activate_stock,
)
from crawlers.items import PostItem
from crawlers.spiders.messages import MessageSpider
from index.records import utcnow
from nlp.lexicon import load_lexicon


def last_modified(response: Response) -> str | None:
    """When the platform says its price list last changed (``Last-Modified``), if it says:
    the time its offers are dated by; without it they take the crawl's time."""
    value = response.headers.get(b"Last-Modified")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value.decode("latin-1")).isoformat()
    except (TypeError, ValueError):
        return None


def utc_now_precise() -> str:
    """Readings a second apart are two readings: times to the microsecond."""
    return datetime.now(UTC).isoformat()


CURRENCY_MARKS = {"CNY": ("", "元"), "USD": ("$", ""), "USDT": ("", "U")}


class SmsApiSpider(MessageSpider):
    """Keeps nothing between answers: what a later answer needs (the catalogue, the price
    list, earlier readings) travels in its request, so Redis workers (``heishi worker``) can
    each take any step of a crawl."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._key = None
        self._catalogue: dict[str, str] | None = None
        options = self.source.options
        if options.api_key is not None:
            self._key = options.api_key.value()
            if self._key is None:
                self.failures.append(f"sms_api.api_key: ${options.api_key.name} is not set")
        if options.catalogue:
            try:
                self._catalogue = sms_activate_services(Path(options.catalogue).read_bytes(),
                                                        options.catalogue)
            except (OSError, FormatError) as exc:
                self.failures.append(f"sms_api.catalogue: {exc}")

    async def start(self):
        if self.failures:  # no key, or no catalogue: nothing can be asked
            self.start_failed = True
            self.logger.error("%s: %s", self.name, self.failures[-1])
            return
        for url in self.source.start_urls:
            yield self.page_request(url, self.parse, start=True)

    def page_request(self, url: str, callback, start: bool = False, **kwargs):
        """The first request of a crawl (``callback`` is :meth:`parse`, as the Redis workers'
        rounds ask for it) is the protocol's first question."""
        if callback != self.parse:
            return super().page_request(url, callback, start=start, **kwargs)
        if self.source.options.protocol == "5sim":
            return super().page_request(url, self.parse_5sim, start=start)
        if self._catalogue is None:
            return self.action(url, "getServicesList", self.parse_services, start=start)
        return self.action(url, "getPrices", self.parse_prices, start=start,
                           cb_kwargs={"catalogue": self._catalogue})

    def parse(self, response: Response):  # only named: page_request routes around it
        raise NotImplementedError("the first request goes to the protocol's first question")

    def action(self, url: str, action: str, callback, start: bool = False,
               cb_kwargs: dict | None = None, **params):
        form = {"action": action, **{k: str(v) for k, v in params.items()}}
        if self._key:
            form["api_key"] = self._key
        request = super().page_request(url, callback, start=start, method="POST",
                                       body=urlencode(form),
                                       cb_kwargs={"base": url, **(cb_kwargs or {})})
        request.headers["Content-Type"] = "application/x-www-form-urlencoded"
        return request

    # -- sms-activate ------------------------------------------------------------------------
    def parse_services(self, response: Response, base: str) -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("heishi/pages")
        try:
            catalogue = sms_activate_services(response.body, self.where(response))
        except FormatError as exc:
            self.unreadable(exc, response)
            return
        yield self.action(base, "getPrices", self.parse_prices, cb_kwargs={"catalogue": catalogue})

    def parse_prices(self, response: Response, base: str, catalogue: dict[str, str]):
        self.crawler.stats.inc_value("heishi/pages")
        read_at = utc_now_precise()
        try:
            rows = sms_activate_prices(response.body, self.where(response))
        except FormatError as exc:
            self.unreadable(exc, response)
            return
        prices = {"url": response.url, "body": response.body, "status": response.status,
                  "headers": response.headers.to_unicode_dict(), "read_at": read_at}
        yield from self.next_stock(base, catalogue, rows, prices, {},
                                   [str(c) for c in self.source.options.countries])

    def next_stock(self, base: str, catalogue: dict, rows: list[PriceRow], prices: dict,
                   later: dict, countries: list[str]):
        """Ask the stock of the next country, or, when all are read, hand the posts out."""
        if countries:
            yield self.action(base, "getNumbersStatus", self.parse_stock, country=countries[0],
                              cb_kwargs={"catalogue": catalogue, "rows": rows, "prices": prices,
                                         "later": later, "countries": countries})
            return
        response = TextResponse(prices["url"], status=prices["status"], body=prices["body"],
                                headers=prices["headers"], encoding="utf-8")
        yield from self.row_items(rows, response, catalogue, prices["read_at"], later)

    def parse_stock(self, response: Response, base: str, catalogue: dict, rows: list[PriceRow],
                    prices: dict, later: dict, countries: list[str]):
        self.crawler.stats.inc_value("heishi/pages")
        country, rest = countries[0], countries[1:]
        try:
            stock = sms_activate_stock(response.body, self.where(response))
        except FormatError as exc:  # prices are still worth keeping without this country's stock
            self.unreadable(exc, response)
            stock = {}
        read_at = utc_now_precise()
        later = {**later, **{f"{country}/{service}": (count, read_at)
                             for service, count in stock.items()}}
        yield from self.next_stock(base, catalogue, rows, prices, later, rest)

    # -- 5sim --------------------------------------------------------------------------------
    def parse_5sim(self, response: Response):
        self.crawler.stats.inc_value("heishi/pages")
        read_at = utc_now_precise()
        try:
            rows = fivesim_prices(response.body, self.where(response))
        except FormatError as exc:
            self.unreadable(exc, response)
            return
        yield from self.row_items(rows, response, {}, read_at, {})

    # -- rows into posts ---------------------------------------------------------------------
    def row_items(self, rows: list[PriceRow], response: Response, catalogue: dict[str, str],
                  read_at: str, later: dict) -> Iterator[PostItem]:
        """One post per priced service and country, with its stock readings: the price
        list's, and getNumbersStatus' (``later``, by ``country/service``) if asked."""
        fetched_at = utcnow()
        aliases = load_lexicon().platform_aliases
        currency = self.source.options.currency
        before, after = CURRENCY_MARKS[currency]
        updated = last_modified(response)
        for row in rows:
            if row.price is None:
                continue  # listed without a price: nothing on offer
            name = catalogue.get(row.service, row.service)
            platform = platform_of(name, aliases)
            country = COUNTRIES.get(row.country, row.country) \
                if self.source.options.protocol == "sms-activate" else row.country
            label = platform or name
            text = f"接码 {label} ({name}, {row.service}) {country}: {before}{row.price:g}{after}"
            message = Message(
                key=f"{row.country}/{row.service}",
                text=text,
                posted_at=updated,
                title=f"{name} {country}",
                price_text=f"{before}{row.price:g}{after}",
                url=response.url,
                extra={"service": row.service, "country": row.country},
            )
            item = self.message_item(message, response, fetched_at, "接码平台 项目价格表")
            reading = {"service": row.service, "country": row.country, "platform": platform,
                       "price": row.price, "currency": currency}
            readings = []
            if row.count is not None:
                readings.append({**reading, "count": row.count, "read_at": read_at})
            status = later.get(f"{row.country}/{row.service}")
            if status is not None:
                readings.append({**reading, "count": status[0], "read_at": status[1]})
            if readings:
                item["stock"] = readings
            yield item

    def where(self, response: Response) -> str:
        action = response.request.body.decode("latin-1") if response.request else ""
        action = next((part[7:] for part in action.split("&") if part.startswith("action=")),
                      "")
        return response.url + (f" ({action})" if action else "")

