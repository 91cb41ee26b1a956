"""Index names, aliases and composable index templates of the Elasticsearch store.

Every index is created from a template with an explicit mapping and ``"dynamic": false``: a
field a crawler passes through in ``extra`` stays in ``_source`` but never grows the mapping
(mapping explosion is how a cluster fed by scraped data dies). Readers always go through an
alias, writers name a concrete index:

- offers: one index a month by the offer's time, ``<prefix>-offers-2026.11``, read through
  ``<prefix>-offers``; old months can be shrunk, frozen or dropped without touching the rest.
- posts, sellers, runs: one index each (``<prefix>-posts-000001``), searched through an
  alias and read by id (get, mget, exists) through the index itself. They are not rolled
  over: rollover is refused while a template defines the alias (elasticsearch #28110), and reads
  by id through an alias fail once it spans two indices (#26976). One index holds hundreds of
  millions of posts; to move them, reindex into a new generation and point the alias at it.

Plain indices rather than data streams: a recrawl must overwrite a document by id, and data
streams only append.

Chinese full text needs no plugin: ``tokens`` holds the jieba tokens of the text joined by
spaces and is analysed by the built-in ``whitespace`` analyzer; queries are tokenised by the
same function (:func:`index.tokens.document_tokens`), so both sides split alike.
"""

from __future__ import annotations

import re

DEFAULT_PREFIX = "heishi"
KINDS = ("posts", "offers", "sellers", "runs")
TEMPLATE_PRIORITY = 200  # above the stack's built-in templates (100), which never match ours
FIRST_GENERATION = "000001"
UNDATED = "undated"

KEYWORD = {"type": "keyword"}  # values heishi itself chooses: ids, taxonomy terms, statuses
# Scraped values (URLs, site keys, handles, contacts) can be any length; past this they stay in
# _source but are not indexed, instead of failing the whole document (Lucene's term limit is
# 32,766 bytes: 2,048 characters of up to 4 bytes each stay well inside it).
LONG_KEYWORD = {"type": "keyword", "ignore_above": 2048}
UNINDEXED_KEYWORD = {"type": "keyword", "index": False, "doc_values": False}
DATE = {"type": "date", "format": "strict_date_optional_time||epoch_millis"}
TOKENS = {"type": "text", "analyzer": "whitespace", "norms": True}
# Unicode unigrams: finds any substring by phrase query when jieba split a word differently.
TEXT = {"type": "text", "analyzer": "standard"}
OPAQUE = {"type": "object", "enabled": False}  # kept in _source, never indexed

# What one offer says (the taxonomy's fields and the unit price), in an offer document and
# nested in its post alike.
OFFER_VALUES = {
    "goods": KEYWORD,
    "platform": KEYWORD,
    "side": KEYWORD,
    "currency": KEYWORD,
    "unit": KEYWORD,
    "price": {"type": "double"},
    "price_max": {"type": "double"},
    "per_qty": {"type": "long"},
    "min_qty": {"type": "long"},
    "unit_price": {"type": "double"},
}

POST_PROPERTIES = {
    "id": KEYWORD,
    "source": LONG_KEYWORD,  # named in sources.yaml or by an import: any length
    "key": LONG_KEYWORD,
    "url": LONG_KEYWORD,
    "channel": LONG_KEYWORD,
    "author": LONG_KEYWORD,
    "title": TEXT,
    "text": TEXT,
    "tokens": TOKENS,
    "price_text": UNINDEXED_KEYWORD,
    "posted_at": UNINDEXED_KEYWORD,  # as the source gave it; may not be a valid time
    "fetched_at": UNINDEXED_KEYWORD,
    "at": DATE,  # posted_at in UTC, else fetched_at: what dates filter and sort on
    "first_seen": DATE,
    "last_seen": DATE,
    "evidence_sha256": KEYWORD,
    "extra": OPAQUE,
    "versions": OPAQUE,
    "is_listing": {"type": "boolean"},
    "extractor_version": KEYWORD,
    "contacts": {
        "properties": {"type": KEYWORD, "value": LONG_KEYWORD, "key": LONG_KEYWORD},
    },
    "sellers": LONG_KEYWORD,
    "offers": {
        "type": "nested",
        "properties": OFFER_VALUES,
    },
    "offer_refs": OPAQUE,
}

OFFER_PROPERTIES = {
    "id": KEYWORD,
    "post_id": KEYWORD,
    "ordinal": {"type": "integer"},
    "source": LONG_KEYWORD,
    "channel": LONG_KEYWORD,
    "url": LONG_KEYWORD,
    "seller": LONG_KEYWORD,  # the post's first contact, as in the SQLite store
    "contact_keys": LONG_KEYWORD,  # every contact of the post: what seller filters match
    "contact_values": LONG_KEYWORD,
    **OFFER_VALUES,
    "posted_at": DATE,
    "at": DATE,  # the post's: posted_at in UTC, else fetched_at; what trends count by
    "extractor_version": KEYWORD,
    "tokens": TOKENS,
}

SELLER_PROPERTIES = {
    "key": LONG_KEYWORD,  # "<type>:<value>", e.g. "qq:2049385761"
    "type": KEYWORD,
    "value": LONG_KEYWORD,
    "sources": LONG_KEYWORD,
    "first_seen": DATE,
    "last_seen": DATE,
}

RUN_PROPERTIES = {
    "id": KEYWORD,
    "source": LONG_KEYWORD,
    "started_at": DATE,
    "finished_at": DATE,
    "status": KEYWORD,
    "pages": {"type": "long"},
    "posts_new": {"type": "long"},
    "posts_seen": {"type": "long"},
    "posts_changed": {"type": "long"},
    "errors": {"type": "text", "index": False},
}

PROPERTIES = {
    "posts": POST_PROPERTIES,
    "offers": OFFER_PROPERTIES,
    "sellers": SELLER_PROPERTIES,
    "runs": RUN_PROPERTIES,
}


def alias(prefix: str, kind: str) -> str:
    """The name readers use: ``heishi-offers``."""
    return f"{prefix}-{kind}"


def single_index(prefix: str, kind: str) -> str:
    """The one concrete index of posts, sellers or runs: ``heishi-posts-000001``."""
    return f"{prefix}-{kind}-{FIRST_GENERATION}"


def offers_index(prefix: str, at: str | None) -> str:
    """The monthly offers index an offer at time ``at`` (ISO-8601) is written to."""
    if not at or len(at) < 7 or not at[:4].isdigit() or not at[5:7].isdigit():
        return f"{prefix}-offers-{UNDATED}"
    return f"{prefix}-offers-{at[:4]}.{at[5:7]}"


def index_pattern(prefix: str, kind: str) -> str:
    return f"{prefix}-{kind}-*"


def mapping(kind: str) -> dict:
    return {"dynamic": False, "properties": PROPERTIES[kind]}


def index_template(prefix: str, kind: str) -> dict:
    """Body of ``PUT _index_template/<prefix>-<kind>``."""
    settings: dict = {"index": {"number_of_shards": 1}}
    if kind == "offers":
        # Offers are written in bulk by crawls and copies; a slower refresh is cheaper.
        settings["index"]["refresh_interval"] = "5s"
    return {
        "index_patterns": [index_pattern(prefix, kind)],
        "priority": TEMPLATE_PRIORITY,
        "template": {
            "settings": settings,
            "mappings": mapping(kind),
            "aliases": {alias(prefix, kind): {}},
        },
        "_meta": {"managed_by": "heishi", "kind": kind},
    }


def index_templates(prefix: str) -> dict[str, dict]:
    """Template name to body, for every kind."""
    return {f"{prefix}-{kind}": index_template(prefix, kind) for kind in KINDS}


_PREFIX = re.compile(r"[a-z0-9][a-z0-9_-]{0,100}")


def valid_prefix(prefix: str) -> bool:
    return bool(_PREFIX.fullmatch(prefix))


def kind_of(prefix: str, index: str) -> str | None:
    """Which kind (posts, offers, ...) a concrete index or alias of ``prefix`` holds."""
    rest = index.removeprefix(f"{prefix}-")
    if rest == index:
        return None
    kind = rest.split("-", 1)[0]
    return kind if kind in KINDS else None
