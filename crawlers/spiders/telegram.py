"""Telegram public channels through their web preview, ``t.me/s/<channel>``.

A page shows the newest messages; ``?before=<id>`` shows those before. The spider reads the
newest page, then pages back until it reaches a message it has stored already (after a crawl
that ran to its end), the date limit (``telegram.since``), ``telegram.max_pages`` or the start
of the channel. The message id is the post's key, so a message edited since the last crawl
is stored as a new version of the same post. The channel's title and description are the
context the extractor reads every message with ("出售微信号" in the title says what a bare
"400一个" is).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from crawlers.errors import FormatError
from crawlers.formats.tme import parse_channel_page
from crawlers.items import PostItem
from crawlers.spiders.messages import MessageSpider
from index.records import post_id, utcnow


class TelegramSpider(MessageSpider):
    def parse(self, response: Response, pages: int = 1) -> Iterator[scrapy.Request | PostItem]:
        fetched_at = utcnow()
        self.crawler.stats.inc_value("heishi/pages")
        try:
            page = parse_channel_page(response.body, response.url)
        except FormatError as exc:
            self.unreadable(exc, response)
            return
        self.crawler.stats.inc_value("heishi/service_messages", page.service)
        items = [self.message_item(message, response, fetched_at, page.context)
                 for message in page.messages]
        stored = self.stored([post_id(self.name, item["key"]) for item in items])
        older = page.older
        why_stop = self.stop_reason(items, stored, pages, older)
        if why_stop is None:
            yield self.page_request(self.before_url(response.url, older), self.parse,
                                    cb_kwargs={"pages": pages + 1})
        else:
            self.logger.info("%s: backfill stops at %s: %s", self.name, response.url, why_stop)
        yield from reversed(items)  # newest first, as the page is read

    def stored(self, ids: list[str]) -> set[str]:
        store = self._store
        return set(store.last_seen(ids)) if store is not None and ids else set()

    def stop_reason(self, items: list[PostItem], stored: set[str], pages: int,
                    older: int | None) -> str | None:
        options = self.source.options
        if older is None or not items:
            return "the start of the channel"
        if stored and not self.must_page_everything:
            return "messages stored by an earlier crawl"
        if options is not None and options.max_pages and pages >= options.max_pages:
            return f"telegram.max_pages ({options.max_pages})"
        limit = self.date_limit()
        oldest = min((item["posted_at"] for item in items if item.get("posted_at")), default=None)
        if limit is not None and oldest is not None and oldest < limit:
            return f"the date limit telegram.since ({limit})"
        return None

    def date_limit(self) -> str | None:
        """The oldest time to page back to, as an ISO-8601 UTC string (None: no limit)."""
        since = getattr(self.source.options, "since", None)
        if since is None:
            return None
        if isinstance(since, timedelta):
            return (datetime.now(UTC) - since).isoformat(timespec="seconds")
        return datetime.fromisoformat(since).replace(tzinfo=UTC).isoformat(timespec="seconds") \
            if "T" not in since else since

    @staticmethod
    def before_url(url: str, before: int) -> str:
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("before", "after")]
        query.append(("before", str(before)))
        return urlunsplit(parts._replace(query=urlencode(query)))
