"""Scrapy's spider loader for heishi: one spider per source of ``sources.yaml``.

Set as ``SPIDER_LOADER_CLASS``, so ``scrapy crawl <source>`` and ``scrapy list`` work from the
repository root. The file is ``$HEISHI_SOURCES`` (or the ``HEISHI_SOURCES`` setting), else
``./sources.yaml``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy
from scrapy.settings import BaseSettings

from crawlers.sources import load_sources
from crawlers.spiders import spider_class


class SourceSpiderLoader:
    def __init__(self, settings: BaseSettings):
        sources = load_sources(settings.get("HEISHI_SOURCES"))
        self._spiders = {source.name: spider_class(source) for source in sources}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SourceSpiderLoader:
        return cls(settings)

    def load(self, spider_name: str) -> type[scrapy.Spider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return list(self._spiders)

    def find_by_request(self, request: scrapy.Request) -> list[str]:
        host = urlsplit(request.url).netloc
        return [
            name
            for name, spider in self._spiders.items()
            if any(urlsplit(url).netloc == host for url in spider.source.start_urls)
        ]
