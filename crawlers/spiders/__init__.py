"""Spiders are not written per site: each source of ``sources.yaml`` gets a subclass of the
spider for its kind, named after the source and carrying its politeness settings."""

from __future__ import annotations

import re

import scrapy

from crawlers.politeness import source_settings
from crawlers.sources import Source
from crawlers.spiders.imports import ImportSpider
from crawlers.spiders.json_api import JsonApiSpider
from crawlers.spiders.listing import ListingSpider
from crawlers.spiders.sms_api import SmsApiSpider
from crawlers.spiders.telegram import TelegramSpider

SPIDER_KINDS: dict[str, type[scrapy.Spider]] = {
    "listing": ListingSpider,
    "telegram": TelegramSpider,
    "sms_api": SmsApiSpider,
    "json_api": JsonApiSpider,
    "import": ImportSpider,  # heishi import: files, never in sources.yaml
}


def spider_class(source: Source) -> type[scrapy.Spider]:
    base = SPIDER_KINDS[source.kind]
    class_name = base.__name__ + "_" + re.sub(r"\W", "_", source.name)
    return type(
        class_name,
        (base,),
        {
            "name": source.name,
            "source": source,
            "start_urls": list(source.start_urls),
            "custom_settings": source_settings(source),
            "__module__": base.__module__,
        },
    )
