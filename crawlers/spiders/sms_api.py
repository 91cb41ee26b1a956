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
from scrapy.http import Response

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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue: dict[str, str] = {}
        # getNumbersStatus' counts, read after the price list: a second reading per crawl
        self.later_stock: dict[tuple[str, str], tuple[int, str]] = {}
        self.prices_read_at: dict[str, str] = {}  # when each price list was answered
        self._key = None
        options = self.source.options
        if options.api_key is not None:
            self._key = options.api_key.value()
            if self._key is None:
                self.failures.append(
                    f"sms_api.api_key: ${options.api_key.name} is not set")

    async def start(self):
        options = self.source.options
        if options.protocol == "sms-activate" and self._key is None and options.api_key:
            self.start_failed = True
            self.logger.error("%s: %s", self.name, self.failures[-1])
            return
        if options.catalogue:
            try:
                self.catalogue = sms_activate_services(Path(options.catalogue).read_bytes(),
                                                       options.catalogue)
            except (OSError, FormatError) as exc:
                self.failures.append(f"sms_api.catalogue: {exc}")
                self.start_failed = True
                self.logger.error("%s: %s", self.name, self.failures[-1])
                return
        for url in self.source.start_urls:
            if options.protocol == "5sim":
                yield self.page_request(url, self.parse_5sim, start=True)
            elif not self.catalogue:
                yield self.action(url, "getServicesList", self.parse_services, start=True)
            else:
                yield self.action(url, "getPrices", self.parse_prices, start=True)

    def action(self, url: str, action: str, callback, start: bool = False,
               cb_kwargs: dict | None = None, **params):
        form = {"action": action, **{k: str(v) for k, v in params.items()}}
        if self._key:
            form["api_key"] = self._key
        request = self.page_request(url, callback, start=start, method="POST",
                                    body=urlencode(form),
                                    cb_kwargs={"base": url, **(cb_kwargs or {})})
        request.headers["Content-Type"] = "application/x-www-form-urlencoded"
        return request

    # -- sms-activate ------------------------------------------------------------------------
    def parse_services(self, response: Response, base: str) -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("heishi/pages")
        try:
            self.catalogue = sms_activate_services(response.body, self.where(response))
        except FormatError as exc:
            self.unreadable(exc, response)
            return
        yield self.action(base, "getPrices", self.parse_prices)

    def parse_prices(self, response: Response, base: str):
        self.crawler.stats.inc_value("heishi/pages")
        self.prices_read_at[response.url] = utc_now_precise()
        try:
            rows = sms_activate_prices(response.body, self.where(response))
        except FormatError as exc:
            self.unreadable(exc, response)
            return
        yield from self.next_stock(base, rows, response, list(self.source.options.countries))

    def next_stock(self, base: str, rows: list[PriceRow], prices: Response, countries: list):
        if countries:
            country, rest = countries[0], countries[1:]
            yield self.action(base, "getNumbersStatus", self.parse_stock, country=country,
                              cb_kwargs={"rows": rows, "prices": prices, "countries": rest,
                                         "country": country})
            return
        yield from self.row_items(rows, prices)

    def parse_stock(self, response: Response, base: str, rows: list[PriceRow],
                    prices: Response, countries: list, country: str):
        self.crawler.stats.inc_value("heishi/pages")
        try:
            stock = sms_activate_stock(response.body, self.where(response))
        except FormatError as exc:  # prices are still worth keeping without this country's stock
            self.unreadable(exc, response)
            stock = {}
        read_at = utc_now_precise()
        for service, count in stock.items():
            self.later_stock[(country, service)] = (count, read_at)
        yield from self.next_stock(base, rows, prices, countries)

    # -- 5sim --------------------------------------------------------------------------------
    def parse_5sim(self, response: Response):
        self.crawler.stats.inc_value("heishi/pages")
        self.prices_read_at[response.url] = utc_now_precise()
        try:
            rows = fivesim_prices(response.body, self.where(response))
        except FormatError as exc:
            self.unreadable(exc, response)
            return
        yield from self.row_items(rows, response)

    # -- rows into posts ---------------------------------------------------------------------
    def row_items(self, rows: list[PriceRow], response: Response) -> Iterator[PostItem]:
        fetched_at = utcnow()
        read_at = self.prices_read_at.get(response.url) or utc_now_precise()
        aliases = load_lexicon().platform_aliases
        currency = self.source.options.currency
        before, after = CURRENCY_MARKS[currency]
        updated = last_modified(response)
        for row in rows:
            if row.price is None:
                continue  # listed without a price: nothing on offer
            name = self.catalogue.get(row.service, row.service)
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
            later = self.later_stock.get((row.country, row.service))
            if later is not None:
                readings.append({**reading, "count": later[0], "read_at": later[1]})
            if readings:
                item["stock"] = readings
            yield item

    def where(self, response: Response) -> str:
        action = response.request.body.decode("latin-1") if response.request else ""
        action = next((part[7:] for part in action.split("&") if part.startswith("action=")),
                      "")
        return response.url + (f" ({action})" if action else "")

