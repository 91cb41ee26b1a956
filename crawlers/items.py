"""The item a spider hands to the pipelines: one post, and the capture it was read from."""

from __future__ import annotations

import scrapy

from index.records import Post

POST_FIELDS = tuple(Post.__dataclass_fields__)
# Fields the crawler itself writes (where and when it read the post, the site's id for it):
# kept as they are. Everything else a post carries was written by the seller and is redacted
# before it is stored (a new field is redacted unless it is named here).
PROVENANCE_FIELDS = ("source", "key", "url", "posted_at", "fetched_at", "evidence_sha256")
SELLER_FIELDS = tuple(name for name in POST_FIELDS if name not in PROVENANCE_FIELDS)


class PostItem(scrapy.Item):
    """The fields of :class:`index.records.Post`, plus what only the pipelines need.

    ``capture`` is the response the post was read from: the evidence pipeline archives it and
    removes it, so no later stage (or feed export) carries the raw page around. ``extraction``
    is the extractor's output, written by the store pipeline next to the post.
    """

    source = scrapy.Field()
    key = scrapy.Field()
    text = scrapy.Field()
    url = scrapy.Field()
    channel = scrapy.Field()
    author = scrapy.Field()
    title = scrapy.Field()
    price_text = scrapy.Field()
    posted_at = scrapy.Field()
    fetched_at = scrapy.Field()
    evidence_sha256 = scrapy.Field()
    extra = scrapy.Field()

    capture = scrapy.Field()
    extraction = scrapy.Field()
    stock = scrapy.Field()  # a code platform's stock readings (dicts of index.sales.StockReading)

    def to_post(self) -> Post:
        return Post(**{name: self[name] for name in POST_FIELDS if name in self})


def extraction_input(post) -> tuple[str, str | None]:
    """What the extractor reads of a post (an item or a stored post): its text, after its
    title when the text does not repeat it (marketplace titles name the goods), and the
    source's context (a price table's rows do not say that the table is a 接码 platform's).

    Crawling and ``heishi reextract`` both read posts through this, so rebuilt offers are the
    offers a crawl would have made.
    """
    text = post.get("text") or ""
    title = (post.get("title") or "").strip().rstrip("…").removesuffix("...").strip()
    if title and title not in text:  # a list page's title is often the text cut short
        text = f"{title}\n{text}"
    return text, (post.get("extra") or {}).get("context")
