"""Marketplace search APIs that answer JSON, read with the source's JMESPath selectors.

Goofish (闲鱼) and similar sites fill their search pages from a JSON answer; the source says
where the listings are in it (``json_api.items``), what each field is, and how to get the next
page. Paging stops, as on boards, at a page that brings nothing new (after a crawl that ran to
its end), or where the answer says there is no more.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from crawlers.errors import FormatError
from crawlers.formats.jsonapi import load_json, next_page, read_listings
from crawlers.items import PostItem
from crawlers.spiders.messages import MessageSpider
from index.records import post_id, utcnow


class JsonApiSpider(MessageSpider):
    def parse(self, response: Response) -> Iterator[scrapy.Request | PostItem]:
        fetched_at = utcnow()
        self.crawler.stats.inc_value("heishi/pages")
        selectors = self.source.options.selectors
        where = response.url
        try:
            data = load_json(response.body, where)
            messages = read_listings(data, selectors, where)
        except FormatError as exc:
            self.unreadable(exc, response)
            return
        if not messages:
            self.logger.warning("%s: json_api.items %r found no listing on %s", self.name,
                                selectors.expressions.get("items"), response.url)
        items = []
        for message in messages:
            if message.url:
                message.url = response.urljoin(message.url)
            items.append(self.message_item(message, response, fetched_at))
        ids = [post_id(self.name, item["key"]) for item in items]
        fresh = set(ids) if self.must_page_everything else self.fresh(ids)
        following = next_page(data, selectors)
        if following and items:
            if fresh or self.must_page_everything:
                url = following if isinstance(following, str) else \
                    self.count_up(response.url, selectors.page_param)
                yield self.page_request(response.urljoin(url), self.parse)
            else:
                self.logger.info("%s: nothing new on %s; stopping there", self.name,
                                 response.url)
        yield from items

    @staticmethod
    def count_up(url: str, param: str) -> str:
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        current = next((int(v) for k, v in query if k == param and v.isdigit()), 1)
        query = [(k, v) for k, v in query if k != param] + [(param, str(current + 1))]
        return urlunsplit(parts._replace(query=urlencode(query)))
