"""Scrapy settings of the heishi crawlers (``scrapy.cfg`` points here).

Values that differ per site (delay, concurrency, page-size cap, retries, robots.txt) come from
each source's ``politeness`` block in ``sources.yaml`` and override these per spider.
"""

import os

BOT_NAME = "heishi"
SPIDER_LOADER_CLASS = "crawlers.spiderloader.SourceSpiderLoader"
HEISHI_SOURCES = None  # sources file; None: $HEISHI_SOURCES, else ./sources.yaml
HEISHI_STORE = None  # store location; None: $HEISHI_STORE, else var/heishi.db
HEISHI_EVIDENCE = None  # evidence folder; None: $HEISHI_EVIDENCE, else var/evidence
HEISHI_STORE_BATCH = 500  # posts per store write; each recomputes the weeks it touches
HEISHI_STORE_FLUSH_SECONDS = 2.0  # and at least this often, so a killed crawl loses little
HEISHI_WORKERS = None  # extraction processes; None: one per spare CPU; 0: all inline
HEISHI_RECORD_RUNS = True  # False in a distributed worker: the scheduler records each round

USER_AGENT = "Mozilla/5.0 (compatible; heishi/0.1; trust-and-safety market monitor)"
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawlers.logformatter.PostLogFormatter"  # posts are named, never logged

# Politeness: AutoThrottle follows the site's latency; DOWNLOAD_DELAY is its floor.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

# Faults: retry 429, 5xx and timeouts, backing off and honouring Retry-After.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 0.5  # seconds before the first retry; doubles each time
RETRY_BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 120.0  # a longer Retry-After is cut to this
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.retry.BackoffRetryMiddleware": 550,
}

ITEM_PIPELINES = {
    "crawlers.pipelines.EvidencePipeline": 100,
    "crawlers.pipelines.ExtractPipeline": 200,
    "crawlers.pipelines.StorePipeline": 300,
}

# Browser sources only (their spiders install the Playwright download handler): Debian's
# Chromium, never a downloaded build.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": os.environ.get("HEISHI_CHROMIUM", "/usr/bin/chromium"),
    "headless": True,
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ],
}
PLAYWRIGHT_ABORT_REQUEST = "crawlers.browser.skip_heavy_resource"
