"""How hard one source may be pushed: its ``politeness`` block as Scrapy settings.

Each source runs as its own crawler, so these settings (delay, concurrency, size cap, retries,
robots.txt) bind per site even when every source is crawled in one process.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawlers.sources import Source

PLAYWRIGHT_HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"


def source_settings(source: Source) -> dict:
    """The Scrapy settings a source's spider runs with, on top of ``crawlers.settings``."""
    politeness = source.politeness
    settings = {
        "DOWNLOAD_DELAY": politeness.delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": politeness.concurrency,
        "AUTOTHROTTLE_ENABLED": politeness.autothrottle,
        "AUTOTHROTTLE_START_DELAY": politeness.delay,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(politeness.concurrency),
        "DOWNLOAD_MAXSIZE": politeness.max_page_size,
        "DOWNLOAD_WARNSIZE": politeness.max_page_size // 2,
        "DOWNLOAD_TIMEOUT": politeness.timeout,
        "RETRY_TIMES": politeness.retries,
        "ROBOTSTXT_OBEY": politeness.robots,
    }
    if source.browser is not None:
        # Only browser sources get the Playwright handler: a plain source never starts
        # Playwright's driver nor a browser.
        settings.update(
            {
                # Only for the schemes the source uses: each handler starts its own driver.
                "DOWNLOAD_HANDLERS": {
                    urlsplit(url).scheme: PLAYWRIGHT_HANDLER for url in source.start_urls
                },
                "PLAYWRIGHT_MAX_CONTEXTS": 1,  # one context per source, named after it
                "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": politeness.concurrency,
                "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": politeness.timeout * 1000,
            }
        )
    return settings
