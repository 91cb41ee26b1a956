"""Retries that back off, and wait as long as the site asks.

Scrapy's ``RetryMiddleware`` retries at once. A site that answers ``429 Too Many Requests`` or
``503`` with ``Retry-After`` is telling us how long to stay away; retrying sooner only earns
another refusal (and, on a real forum, a ban). This middleware waits ``Retry-After`` (capped by
``RETRY_AFTER_MAX``) before retrying, slows the whole source down to that pace, and without
the header waits ``RETRY_BACKOFF_BASE * 2**n`` seconds (capped by ``RETRY_BACKOFF_MAX``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date; None if unreadable."""
    if not value:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Drop-in for ``scrapy.downloadermiddlewares.retry.RetryMiddleware``."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 0.5)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    async def process_response(self, request, response):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is not None:
            delay = min(asked, self.retry_after_max)
            self._slow_down(request, delay)
        else:
            delay = self._backoff(request)
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await asyncio.sleep(delay)
        return retry

    async def process_exception(self, request, exception):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get(
            "dont_retry", False
        ):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await asyncio.sleep(self._backoff(request))
        return retry

    def _backoff(self, request) -> float:
        attempt = request.meta.get("retry_times", 0)
        return min(self.backoff_base * 2**attempt, self.backoff_max)

    def _slow_down(self, request, delay: float) -> None:
        """Space every request to the site by at least ``delay`` (AutoThrottle relaxes it)."""
        downloader = self.crawler.engine.downloader
        key = request.meta.get(downloader.DOWNLOAD_SLOT)
        slot = downloader.slots.get(key) if key is not None else None
        if slot is not None and slot.delay < delay:
            logger.info("%s asks to wait %.1fs between requests", key, delay)
            slot.delay = delay
