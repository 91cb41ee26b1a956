"""One spider for every board-like site: post blocks on listing pages, optional detail pages.

Nothing here knows a particular site; :class:`ListingSpider` is subclassed once per source
of ``sources.yaml`` (see :func:`crawlers.spiders.spider_class`) and reads everything from it.

Incremental: a post already stored, and stored more recently than the source's
``recrawl_age``, does not get its detail page fetched again, and paging stops at a listing
page that brings nothing new. Paging stops early only after a crawl of the source that ran to
its end; after a killed or failed crawl the whole source is paged again, so nothing the
earlier crawl lost stays lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom
from w3lib.url import canonicalize_url

from crawlers.items import PostItem
from crawlers.pipelines import StorePipeline
from crawlers.sources import Query, Source
from index.records import post_id, utcnow

# Undeclared pages that are not UTF-8 are tried in this encoding first: on Chinese-language
# sites it is by far the likeliest, and it is a superset of GBK and GB2312.
UNDECLARED_FALLBACK = "gb18030"


class ListingSpider(scrapy.Spider):
    source: ClassVar[Source]

    def __init__(self, *args: Any, full: str | bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.full = str(full).lower() in ("1", "true", "yes")  # -a full=1: page everything
        self.failures: list[str] = []  # what went wrong, for the crawl run record
        self.start_failed = False
        self._headers, missing = self.source.resolved_headers()
        self._cookies, missing_cookies = self.source.resolved_cookies()
        for name in missing + missing_cookies:
            self.logger.warning("%s: $%s is not set; crawling without it", self.name, name)
        self._warned: set[str] = set()
        self._zone = ZoneInfo(self.source.timezone)

    # -- requests ----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.source.start_urls:
            yield self.page_request(url, self.parse, start=True)

    def page_request(self, url: str, callback, start: bool = False, **kwargs: Any):
        meta: dict[str, Any] = {"heishi_start": start}
        browser = self.source.browser
        if browser is not None:
            from scrapy_playwright.page import PageMethod

            meta.update(playwright=True, playwright_context=self.name)
            if browser.wait_for:
                timeout = self.source.politeness.timeout * 1000
                meta["playwright_page_methods"] = [
                    PageMethod("wait_for_selector", browser.wait_for, timeout=timeout)
                ]
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.failed,
            headers=self._headers,
            cookies=self._cookies,
            meta=meta,
            **kwargs,
        )

    def failed(self, failure: Failure) -> None:
        request = failure.request
        if failure.check(HttpError):
            why = f"HTTP {failure.value.response.status}"
        else:
            why = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.failures.append(f"{request.url}: {why}")
        if request.meta.get("heishi_start"):
            self.start_failed = True
        self.logger.error("%s: cannot fetch %s: %s", self.name, request.url, why)

    # -- listing pages -----------------------------------------------------------------------
    def parse(self, response: Response) -> Iterator[scrapy.Request | PostItem]:
        response = self.decoded(response)
        fetched_at = utcnow()
        self.crawler.stats.inc_value("heishi/pages")
        selectors = self.source.selectors
        blocks = selectors.post.nodes(response.selector.root)
        if not blocks:
            self.no_match("post", selectors.post, response, once=False)
        records = [self.read(block, selectors.fields) for block in blocks]
        if blocks:
            for name, query in selectors.fields.items():
                if not any(record.get(name) for record in records):
                    self.no_match(f"fields.{name}", query, response)

        keyed = [(self.key(record, response), record) for record in records]
        ids = [post_id(self.name, key) for key, _ in keyed]
        # What is stored decides which detail pages to fetch and whether to page on; a crawl
        # that pages everything and has no detail pages need not ask.
        needs_asking = bool(selectors.detail) or not self.must_page_everything
        fresh = self.fresh(ids) if needs_asking else set(ids)
        brought_new = False
        items, detail_requests = [], []
        for id, (key, record) in zip(ids, keyed, strict=True):
            is_fresh = id in fresh
            brought_new |= is_fresh
            if selectors.detail and record.get("link"):
                if is_fresh:
                    detail_requests.append(
                        self.page_request(
                            response.urljoin(record["link"]),
                            self.parse_detail,
                            cb_kwargs={"key": key, "listing": record},
                        )
                    )
                else:  # listed again, stored recently: seen, not fetched again
                    self.crawler.stats.inc_value("heishi/details_skipped")
                    self.crawler.stats.inc_value("heishi/posts_seen")
                continue
            item = self.post_item(key, record, response, fetched_at)
            if item is not None:
                items.append(item)

        # The next page first: its download overlaps with the work on this page's posts.
        root = response.selector.root
        next_url = selectors.next_page.first(root) if selectors.next_page else None
        if next_url:
            if brought_new or self.must_page_everything:
                yield self.page_request(response.urljoin(next_url), self.parse)
            else:
                self.logger.info(
                    "%s: nothing new on %s; stopping there (-a full=1 pages everything)",
                    self.name,
                    response.url,
                )
        yield from items
        yield from detail_requests

    def parse_detail(
        self, response: Response, key: str, listing: dict[str, str | None]
    ) -> Iterator[PostItem]:
        response = self.decoded(response)
        fetched_at = utcnow()
        self.crawler.stats.inc_value("heishi/pages")
        record = dict(listing)
        for name, query in self.source.selectors.detail.items():
            value = self.field_value(name, query, response.selector.root)
            if value:
                record[name] = value
            else:
                self.no_match(f"detail.{name}", query, response)
        item = self.post_item(key, record, response, fetched_at, url=response.url)
        if item is not None:
            yield item

    # -- reading a page ----------------------------------------------------------------------
    def read(self, block, fields: dict[str, Query]) -> dict[str, str | None]:
        return {name: self.field_value(name, query, block) for name, query in fields.items()}

    @staticmethod
    def field_value(name: str, query: Query, node) -> str | None:
        if name == "text":  # a post's text may come in several parts (paragraphs, cells)
            return "\n".join(query.values(node)) or None
        return query.first(node)

    def key(self, record: dict[str, str | None], response: Response) -> str:
        """The site's own id, else the canonical link, else the page and a digest of the text."""
        if record.get("site_id"):
            return record["site_id"]
        if record.get("link"):
            return canonicalize_url(response.urljoin(record["link"]), keep_fragments=True)
        digest = hashlib.sha256((record.get("text") or "").encode()).hexdigest()[:16]
        return f"{canonicalize_url(response.url)}#{digest}"

    def post_item(
        self,
        key: str,
        record: dict[str, str | None],
        response: Response,
        fetched_at: str,
        url: str | None = None,
    ) -> PostItem | None:
        if not record.get("text"):
            self.crawler.stats.inc_value("heishi/posts_without_text")
            self.logger.warning("%s: a post on %s has no text; skipped", self.name, response.url)
            return None
        link = response.urljoin(record["link"]) if record.get("link") else None
        return PostItem(
            source=self.name,
            key=key,
            text=record["text"],
            url=url or link or response.url,
            channel=record.get("channel"),
            author=record.get("author"),
            title=record.get("title"),
            price_text=record.get("price_text"),
            posted_at=self.post_time(record.get("posted_at"), response),
            fetched_at=fetched_at,
            extra={"context": self.source.context} if self.source.context else {},
            capture=response,
        )

    def post_time(self, value: str | None, response: Response) -> str | None:
        """ISO-8601 UTC; a time written without a zone is in the source's ``timezone``."""
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            self.warn_once(
                f"time:{response.url}",
                f"{self.name}: cannot read the post time {value!r} on {response.url}",
            )
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self._zone)
        return moment.astimezone(UTC).isoformat(timespec="seconds")

    def decoded(self, response: Response) -> Response:
        """The response with the right encoding: the source's, else the page's declared one,
        else UTF-8 if the bytes are UTF-8, else GB18030 if they decode as that."""
        if not isinstance(response, TextResponse):
            return response
        if self.source.encoding:
            return response.replace(encoding=self.source.encoding)
        if "playwright" in response.flags:  # the browser decoded it; the body is re-encoded
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        body = response.body
        if (
            http_content_type_encoding(content_type)
            or read_bom(body)[0]
            or html_body_declared_encoding(body)
        ):
            return response
        for encoding in ("utf-8", UNDECLARED_FALLBACK):
            try:
                body.decode(encoding)
            except UnicodeDecodeError:
                continue
            return response.replace(encoding=encoding)
        return response

    # -- what is known already ---------------------------------------------------------------
    @cached_property
    def _store(self) -> StorePipeline | None:
        return self.crawler.get_item_pipeline(StorePipeline)

    @property
    def must_page_everything(self) -> bool:
        store = self._store
        return self.full or store is None or not store.previous_run_complete

    def fresh(self, ids: list[str]) -> set[str]:
        """The ids not stored yet, or stored longer ago than the source's recrawl age."""
        store = self._store
        if store is None or not ids:
            return set(ids)
        known = store.last_seen(ids)
        now = datetime.now(UTC)
        age = self.source.recrawl_age
        return {
            id for id in ids if id not in known or now - datetime.fromisoformat(known[id]) > age
        }

    # -- the end -----------------------------------------------------------------------------
    def outcome(self, reason: str) -> tuple[str, list[str]]:
        """``ok`` or ``failed``, and what went wrong: what the crawl run records."""
        errors = list(self.failures)
        if reason != "finished":
            errors.append(f"crawl ended early: {reason}")
        stats = self.crawler.stats
        pages = stats.get_value("heishi/pages", 0)
        stored = sum(
            stats.get_value(f"heishi/posts_{how}", 0) for how in ("new", "seen", "changed")
        )
        lost_all = stats.get_value("item_dropped_count", 0) > 0 and not stored
        lost_some = stats.get_value("heishi/store_errors", 0) > 0  # posts that never landed
        failed = reason != "finished" or self.start_failed or not pages or lost_all or lost_some
        if reason == "shutdown" and not (self.start_failed or lost_all or lost_some):
            # Stopped on purpose (SIGTERM, Ctrl-C): not the site's fault; with a JOBDIR the
            # next crawl resumes it.
            return "interrupted", errors
        return ("failed" if failed else "ok"), errors

    def closed(self, reason: str) -> None:
        status, errors = self.outcome(reason)
        self.crawler.stats.set_value("heishi/status", status)
        self.crawler.stats.set_value("heishi/errors", errors)

    # -- telling -----------------------------------------------------------------------------
    def no_match(self, what: str, query: Query, response: Response, once: bool = True) -> None:
        message = (
            f"{self.name}: selector {what} {str(query)!r} ({query.where}) "
            f"matched nothing on {response.url}"
        )
        if once:
            self.warn_once(what, message)
        else:
            self.crawler.stats.inc_value("heishi/selector_misses")
            self.logger.warning(message)

    def warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.crawler.stats.inc_value("heishi/selector_misses")
            self.logger.warning(message)
