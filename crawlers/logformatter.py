"""Scrapy's log lines, without the posts in them.

Scrapy logs a whole item when it is dropped or breaks a pipeline, and every scraped item at
DEBUG. An item that failed redaction still holds victims' numbers in clear, and logs are read,
copied and shipped far more widely than the store: heishi's log names the post (its source and
the site's id for it), never its fields.
"""

from __future__ import annotations

from scrapy.logformatter import LogFormatter


def _named(item) -> str:
    try:
        return f"post {item.get('source')}/{item.get('key')}"
    except AttributeError:
        return type(item).__name__


class PostLogFormatter(LogFormatter):
    def scraped(self, item, response, spider):
        entry = super().scraped(item, response, spider)
        entry["args"]["item"] = _named(item)
        return entry

    def dropped(self, item, exception, response, spider):
        entry = super().dropped(item, exception, response, spider)
        entry["args"]["item"] = _named(item)
        return entry

    def item_error(self, item, exception, response, spider):
        entry = super().item_error(item, exception, response, spider)
        entry["args"]["item"] = _named(item)
        return entry
