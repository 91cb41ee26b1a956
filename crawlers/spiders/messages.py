"""What the spiders of readable formats share: a message read by :mod:`crawlers.formats`
becomes a :class:`PostItem`, and an answer that cannot be read is a failure of the crawl run
that names the source and the URL (or file), never a traceback or a silent empty crawl.

The requests, politeness, time zones, incremental look-ups and the crawl-run outcome are the
listing spider's: these spiders differ only in how they read a page.
"""

from __future__ import annotations

from scrapy.http import Response

from crawlers.errors import FormatError
from crawlers.formats import Message
from crawlers.items import PostItem
from crawlers.spiders.listing import ListingSpider


class MessageSpider(ListingSpider):
    def message_item(
        self,
        message: Message,
        response: Response,
        fetched_at: str,
        context: str | None = None,
    ) -> PostItem:
        extra = dict(message.extra)
        context = "\n".join(part for part in (self.source.context, context) if part) or None
        if context:
            extra["context"] = context
        return PostItem(
            source=self.name,
            key=message.key,
            text=message.text,
            url=message.url or response.url,
            channel=message.channel,
            author=message.author,
            title=message.title,
            price_text=message.price_text,
            posted_at=self.post_time(message.posted_at, response),
            fetched_at=fetched_at,
            extra=extra,
            capture=response,
        )

    def unreadable(self, error: FormatError, response: Response) -> None:
        """An answer that is not what the source's kind reads: the run fails, saying why."""
        self.failures.append(str(error))  # the run's errors are shown under the source's name
        if response.meta.get("heishi_start"):
            self.start_failed = True
        self.crawler.stats.inc_value("heishi/unreadable")
        self.logger.error("%s: %s", self.name, error)

    def outcome(self, reason: str) -> tuple[str, list[str]]:
        """An answer that could not be read fails the run, even when other answers were read:
        what it held is missing, and the next crawl must not take this one as complete."""
        status, errors = super().outcome(reason)
        if self.crawler.stats.get_value("heishi/unreadable", 0):
            status = "failed"
        return status, errors
