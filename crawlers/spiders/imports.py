"""``heishi import``: chat exports and saved pages taken through the crawl pipeline.

An export is crawled like a site whose one page is the file (a ``file://`` URL): the evidence
pipeline keeps the file's bytes under their SHA-256 as the capture every imported post cites,
extraction and redaction are the same as for crawled posts, and the store's upsert makes a
second import of the same file store nothing new. A file that cannot be read fails its import
run with a message naming the file (and the line, where there is one); the other files of the
same import are stored all the same.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import scrapy
from scrapy.http import Response

from crawlers.errors import FormatError
from crawlers.formats.detect import KINDS, read_file
from crawlers.items import PostItem
from crawlers.spiders.messages import MessageSpider
from index.records import utcnow


class ImportSpider(MessageSpider):
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed,
                                 meta={"heishi_start": True, "heishi_import": True},
                                 dont_filter=True)

    def parse(self, response: Response) -> Iterator[PostItem]:
        fetched_at = utcnow()
        self.crawler.stats.inc_value("heishi/pages")
        where = str(Path(response.url.removeprefix("file://")))
        try:
            read = read_file(response.body, where)
        except FormatError as exc:
            self.unreadable(exc, response)
            return
        self.logger.info("%s: %s is a %s: %d messages, %d service messages skipped",
                         self.name, where, KINDS[read.kind], len(read.messages), read.skipped)
        self.crawler.stats.inc_value("heishi/service_messages", read.skipped)
        for message in read.messages:
            message.url = message.url or f"{response.url}#{message.key}"
            item = self.message_item(message, response, fetched_at, read.context)
            item["extra"]["imported_from"] = Path(where).name
            yield item
