"""The documents the Elasticsearch store writes, and the bulk actions that write them.

Pure functions of their inputs, so the tests check them as data and the store only moves them.

Upserting a post is read-then-write rather than a painless script: the caller needs to know per
post whether it was new, seen again or changed (crawl runs count them), and a script's bulk
answer only says ``created``/``updated``/``noop``. The read carries ``_seq_no`` and
``_primary_term``; the write is conditional on them (``create`` for a new post), so a second
writer in between makes the write fail with 409 and the store reads again and retries -
nothing is overwritten blindly and no earlier version is lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from index.elastic import mappings
from index.errors import StoreError
from index.query import price_figures
from index.records import (
    OFFER_FIELDS,
    POST_FIELDS,
    CrawlRun,
    Post,
    contact_key,
    utc_time,
    utcnow,
)
from index.store import UpsertOutcome
from index.tokens import document_tokens

EXTRACTION_FIELDS = (
    "is_listing", "extractor_version", "contacts", "sellers", "offers", "offer_refs",
)  # fmt: skip


# -- posts -------------------------------------------------------------------------------


def new_post_document(post: Post) -> dict:
    """The document of a post never stored before."""
    seen_at = utc_time(post.fetched_at) or utcnow()
    doc = {"id": post.id, **{name: getattr(post, name) for name in POST_FIELDS}}
    doc.update(
        at=utc_time(post.posted_at) or seen_at,
        text=post.text,
        tokens=document_tokens(post.title, post.text),
        extra=post.extra or {},
        first_seen=seen_at,
        last_seen=seen_at,
        versions=[],
        is_listing=None,
        extractor_version=None,
        contacts=[],
        sellers=[],
        offers=[],
        offer_refs=[],
    )
    return doc


def merge_post(post: Post, old: dict | None) -> tuple[dict, UpsertOutcome]:
    """The document to write for ``post`` given the stored one (``None`` if none).

    Same text and title: only ``last_seen`` moves. Different: the stored text becomes an
    earlier version (with the time it was last seen) and the post's fields replace it; the
    offers and contacts stay until the extractor runs again.
    """
    doc = new_post_document(post)
    if old is None:
        return doc, UpsertOutcome.NEW
    seen_at = doc["last_seen"]
    last_seen = max(old.get("last_seen") or seen_at, seen_at)
    same = post.text == old.get("text") and (post.title or None) == (old.get("title") or None)
    if same:
        kept = dict(old)
        kept["last_seen"] = last_seen
        return kept, UpsertOutcome.SEEN
    version = {
        "text": old.get("text"),
        "title": old.get("title"),
        "seen_at": old.get("last_seen"),
        "evidence_sha256": old.get("evidence_sha256"),
        "replaced_at": seen_at,
    }
    doc["versions"] = [*(old.get("versions") or []), version]
    doc["first_seen"] = old.get("first_seen") or seen_at
    doc["last_seen"] = last_seen
    for name in EXTRACTION_FIELDS:
        doc[name] = old.get(name, doc[name])
    return doc, UpsertOutcome.CHANGED


def post_write_action(index: str, doc: dict, old_hit: dict | None) -> dict:
    """A bulk action writing ``doc`` only if the stored post is still ``old_hit``."""
    if old_hit is None:
        return {"_op_type": "create", "_index": index, "_id": doc["id"], "_source": doc}
    return {
        "_op_type": "index",
        "_index": index,
        "_id": doc["id"],
        "if_seq_no": old_hit["_seq_no"],
        "if_primary_term": old_hit["_primary_term"],
        "_source": doc,
    }


PUBLIC_POST_FIELDS = (
    "id", *POST_FIELDS, "extra", "text", "first_seen", "last_seen", "is_listing",
    "extractor_version",
)  # fmt: skip


def public_post(doc: dict) -> dict:
    """A stored post as callers see it: the same keys as the SQLite store gives."""
    return {name: doc.get(name) for name in PUBLIC_POST_FIELDS} | {"extra": doc.get("extra") or {}}


def public_versions(doc: dict) -> list[dict]:
    names = ("text", "title", "seen_at", "evidence_sha256", "replaced_at")
    return [{name: v.get(name) for name in names} for v in doc.get("versions") or []]


def copied_post_document(post: dict, versions: list[dict]) -> dict:
    """The document of a post copied from another store, keeping its own times and versions."""
    record = Post(**{name: post.get(name) for name in ("source", "key", "text")})
    for name in POST_FIELDS:
        if name in ("source", "key"):
            continue
        if post.get(name) is not None:
            setattr(record, name, post[name])
    record.extra = post.get("extra") or {}
    doc = new_post_document(record)
    if post.get("id") and post["id"] != doc["id"]:
        doc["id"] = post["id"]
    doc["first_seen"] = post.get("first_seen") or doc["first_seen"]
    doc["last_seen"] = post.get("last_seen") or doc["last_seen"]
    doc["is_listing"] = post.get("is_listing")
    doc["extractor_version"] = post.get("extractor_version")
    doc["versions"] = public_versions({"versions": versions})
    return doc


# -- offers, contacts, sellers -----------------------------------------------------------


def offer_id(post_id: str, ordinal: int) -> str:
    """Stable: the same post extracted again overwrites its offers instead of adding to them."""
    return f"{post_id}-{ordinal}"


def extraction_documents(
    prefix: str, post: dict, extraction: dict, extractor_version: str | None
) -> tuple[list[dict], list[dict]]:
    """Offer documents and contacts of one post's extraction, as the SQLite store reads it.

    Raises :class:`StoreError` naming the post when the extraction breaks the offer contract,
    before anything is written. Each offer document carries ``_index``, its monthly index.
    """
    post_id = post["id"]
    try:
        pairs = [
            (str(c["type"]), str(c["value"]))
            for c in extraction.get("contacts") or []
            if c.get("type") and c.get("value") not in (None, "")
        ]
        pairs = list(dict.fromkeys(pairs))
        contacts = [{"type": t, "value": v, "key": contact_key(t, v)} for t, v in pairs]
        seller = contacts[0]["key"] if contacts else None
        at = post.get("at") or utc_time(post.get("posted_at")) or post.get("first_seen")
        tokens = post.get("tokens")
        if tokens is None:
            tokens = document_tokens(post.get("title"), post.get("text"))
        offers = []
        for n, offer in enumerate(extraction.get("offers") or []):
            values = offer_values(offer, n)
            offers.append(
                {
                    "id": offer_id(post_id, n),
                    "post_id": post_id,
                    "ordinal": n,
                    "source": post.get("source"),
                    "channel": post.get("channel"),
                    "url": post.get("url"),
                    "seller": seller,
                    "contact_keys": [c["key"] for c in contacts],
                    "contact_values": list(dict.fromkeys(c["value"] for c in contacts)),
                    **values,
                    "posted_at": at,
                    "at": at,
                    "extractor_version": extractor_version,
                    "tokens": tokens,
                    "_index": mappings.offers_index(prefix, at),
                }
            )
    except (AttributeError, KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise StoreError(
            f"extraction of post {post_id!r} does not follow the offer contract: {exc}"
        ) from None
    return offers, contacts


def offer_values(offer: dict, n: int) -> dict:
    """The contract fields of one offer, defaults filled in, plus its unit price."""
    values = {name: offer.get(name) for name in OFFER_FIELDS}
    if not values["goods"]:
        raise ValueError(f"offer {n} has no goods")
    values["currency"] = values["currency"] or "CNY"
    values["per_qty"] = int(values["per_qty"] or 1)
    values["unit"] = values["unit"] or "item"
    for name in ("price", "price_max"):
        if values[name] is not None:
            values[name] = float(values[name])
    if values["min_qty"] is not None:
        values["min_qty"] = int(values["min_qty"])
    price = values["price"]
    values["unit_price"] = None if price is None else price / values["per_qty"]
    return values


def offers_and_fields(
    prefix: str, post: dict, extraction: dict, extractor_version: str | None
) -> tuple[list[dict], dict]:
    """Bulk actions for a post's offers and sellers, and the post fields that go with them.

    The post remembers where its offers went (``offer_refs``), so offers the new output no
    longer has are deleted by index and id: exact, and independent of refresh (a
    delete-by-query would miss offers written a moment ago and not yet searchable). The post
    also keeps its offers nested, so a search on posts can ask for "an offer meeting all of
    these filters together" without a join.
    """
    offers, contacts = extraction_documents(prefix, post, extraction, extractor_version)
    is_listing = extraction.get("is_listing")
    if is_listing is None:
        is_listing = bool(offers)
    actions: list[dict] = []
    refs = []
    for offer in offers:
        index = offer.pop("_index")
        refs.append([index, offer["id"]])
        actions.append({"_op_type": "index", "_index": index, "_id": offer["id"], "_source": offer})
    keep = {tuple(ref) for ref in refs}
    for index, id_ in post.get("offer_refs") or []:
        if (index, id_) not in keep:
            actions.append({"_op_type": "delete", "_index": index, "_id": id_})
    for contact in contacts:
        actions.append(seller_action(prefix, contact, post))
    fields = {
        "is_listing": bool(is_listing),
        "extractor_version": extractor_version,
        "contacts": contacts,
        "sellers": [c["key"] for c in contacts],
        "offers": [{name: o[name] for name in NESTED_OFFER_FIELDS} for o in offers],
        "offer_refs": refs,
    }
    return actions, fields


NESTED_OFFER_FIELDS = (*OFFER_FIELDS, "unit_price")


def stored_extraction(post: dict) -> dict:
    """A stored post's extraction, as the extractor gave it (to move its offers)."""
    return {
        "is_listing": post.get("is_listing"),
        "offers": post.get("offers") or [],
        "contacts": [{"type": c["type"], "value": c["value"]} for c in post.get("contacts") or []],
    }


def extraction_actions(
    prefix: str, post_hit: dict, extraction: dict, extractor_version: str
) -> list[dict]:
    """Bulk actions replacing a post's offers and contacts with an extractor's output.

    The post's update is conditional on the version read, like a post write.
    """
    actions, fields = offers_and_fields(prefix, post_hit["_source"], extraction, extractor_version)
    actions.append(
        {
            "_op_type": "update",
            "_index": post_hit["_index"],
            "_id": post_hit["_source"]["id"],
            "if_seq_no": post_hit["_seq_no"],
            "if_primary_term": post_hit["_primary_term"],
            "doc": fields,
        }
    )
    return actions


# Post fields each offer carries, so trends filter offers without a join.
COPIED_TO_OFFERS = ("at", "source", "channel", "url", "tokens")


def moved_offer_actions(prefix: str, doc: dict, old: dict | None) -> list[dict]:
    """When a changed post moves in time or source, or its words change, its offers follow.

    Updates ``doc`` (offer_refs) in place and returns the actions; none if nothing moved.
    """
    if old is None or not old.get("offer_refs"):
        return []
    if all(doc.get(name) == old.get(name) for name in COPIED_TO_OFFERS):
        return []
    actions, fields = offers_and_fields(
        prefix, doc, stored_extraction(doc), doc.get("extractor_version")
    )
    doc.update(fields)
    return actions


SELLER_SCRIPT = """
if (ctx._source.first_seen == null || ctx._source.first_seen.compareTo(params.first_seen) > 0) {
  ctx._source.first_seen = params.first_seen;
}
if (ctx._source.last_seen == null || ctx._source.last_seen.compareTo(params.last_seen) < 0) {
  ctx._source.last_seen = params.last_seen;
}
if (ctx._source.sources == null) { ctx._source.sources = []; }
if (params.source != null && !ctx._source.sources.contains(params.source)) {
  ctx._source.sources.add(params.source);
}
""".strip()


def seller_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def seller_action(prefix: str, contact: dict, post: dict) -> dict:
    """Upsert of the seller a contact names: first and last seen widen, sources accumulate.

    A script is right here (unlike posts): no outcome is needed, and it merges concurrent
    crawls without a read. ISO-8601 UTC strings compare as times.
    """
    first = post.get("first_seen")
    last = post.get("last_seen") or first
    params = {"first_seen": first, "last_seen": last, "source": post.get("source")}
    return {
        "_op_type": "update",
        "_index": mappings.single_index(prefix, "sellers"),
        "_id": seller_id(contact["key"]),
        "retry_on_conflict": 5,
        "script": {"lang": "painless", "source": SELLER_SCRIPT, "params": params},
        "upsert": {
            "key": contact["key"],
            "type": contact["type"],
            "value": contact["value"],
            "sources": [post["source"]] if post.get("source") else [],
            "first_seen": first,
            "last_seen": last,
        },
    }


# -- crawl runs --------------------------------------------------------------------------


def run_document(run: CrawlRun) -> dict:
    return {
        "id": str(run.id),
        "source": run.source,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "status": run.status,
        "pages": run.pages,
        "posts_new": run.posts_new,
        "posts_seen": run.posts_seen,
        "posts_changed": run.posts_changed,
        "errors": list(run.errors),
    }


def run_from_document(doc: dict) -> CrawlRun:
    fields = {name: doc.get(name) for name in CrawlRun.__dataclass_fields__ if name in doc}
    fields["errors"] = list(fields.get("errors") or [])
    return CrawlRun(**fields)


def new_run_id(run: CrawlRun) -> str:
    """Sortable by start time, unique without a counter (ES has no autoincrement)."""
    stamp = (utc_time(run.started_at) or utcnow()).replace("+00:00", "Z")
    digest = hashlib.sha256(f"{run.source}\x1f{run.started_at}\x1f{id(run)}".encode())
    return f"{stamp}-{digest.hexdigest()[:8]}"


# -- copying -----------------------------------------------------------------------------


def copy_actions(
    prefix: str,
    rows: Iterable[tuple[dict, list[dict], dict | None]],
    stored_refs: dict[str, list] | None = None,
) -> Iterator[dict]:
    """Bulk actions copying posts (with versions and extraction) from another store.

    ``rows`` yields ``(post, versions, extraction_or_None)``; ``extraction`` is the taxonomy
    contract line (``is_listing``, ``offers``, ``contacts``). Every id is stable, so copying
    twice writes the same documents; ``stored_refs`` (post id to the ``offer_refs`` already in
    the target) lets a second copy delete offers the source no longer has.
    """
    stored_refs = stored_refs or {}
    for post, versions, extraction in rows:
        doc = copied_post_document(post, versions)
        doc["offer_refs"] = stored_refs.get(doc["id"]) or []
        actions, fields = offers_and_fields(
            prefix, doc, extraction or {"is_listing": post.get("is_listing")},
            post.get("extractor_version"),
        )
        if extraction is None:  # never extracted: no offers, and no listing flag either
            fields["is_listing"] = post.get("is_listing")
        doc.update(fields)
        yield from actions
        yield {
            "_op_type": "index",
            "_index": mappings.single_index(prefix, "posts"),
            "_id": doc["id"],
            "_source": doc,
        }


def run_action(prefix: str, run: CrawlRun) -> dict:
    """A copied run keeps its id, so copying twice overwrites it."""
    return {
        "_op_type": "index",
        "_index": mappings.single_index(prefix, "runs"),
        "_id": str(run.id),
        "_source": run_document(run),
    }


# -- what reads give back ----------------------------------------------------------------

PUBLIC_OFFER_FIELDS = (
    "post_id", "n", *OFFER_FIELDS, "unit_price", "source", "posted_at", "seller_key",
    "extractor_version",
)  # fmt: skip


def public_offer(doc: dict) -> dict:
    """A stored offer as ``Store.iter_offers`` gives it (the SQLite store's keys)."""
    renamed = {**doc, "n": doc.get("ordinal"), "seller_key": doc.get("seller")}
    return {name: renamed.get(name) for name in PUBLIC_OFFER_FIELDS}


def search_hit(doc: dict) -> dict:
    """A post as a search hit: its fields, its offers in order and its contacts."""
    hit = public_post(doc)
    hit["offers"] = [{name: o.get(name) for name in NESTED_OFFER_FIELDS}
                     for o in doc.get("offers") or []]
    hit["contacts"] = [{"type": c["type"], "value": c["value"]} for c in doc.get("contacts") or []]
    return hit


def seller_summary(contact: str, typed: bool, posts: list[dict]) -> dict | None:
    """Everything the posts naming a contact say about it, as the SQLite store reports it.

    ``posts`` are post documents having the contact (as key when ``typed``, else as value).
    """
    def names_it(c: dict) -> bool:
        return c["key"] == contact if typed else c["value"] == contact

    keys = sorted({c["key"] for p in posts for c in p.get("contacts") or [] if names_it(c)})
    if not keys:
        return None
    posts = sorted(posts, key=lambda p: p["id"])
    posts.sort(key=lambda p: p["at"], reverse=True)
    sources: dict[str, int] = {}
    goods: dict[str, int] = {}
    groups: dict[tuple, list] = {}
    linked: dict[str, int] = {}
    offers = 0
    for p in posts:
        sources[p["source"]] = sources.get(p["source"], 0) + 1
        for o in p.get("offers") or []:
            offers += 1
            goods[o["goods"]] = goods.get(o["goods"], 0) + 1
            group = (o["goods"], o.get("platform") or "none", o.get("side"), o.get("currency"),
                     o.get("unit"))
            groups.setdefault(group, []).append(o.get("unit_price"))
        for c in p.get("contacts") or []:
            if c["key"] not in keys:
                linked[c["key"]] = linked.get(c["key"], 0) + 1
    prices = []
    for (g, platform, side, currency, unit), values in sorted(groups.items(),
                                                               key=lambda i: -len(i[1])):
        priced = sorted(v for v in values if v is not None)
        prices.append({
            "goods": g, "platform": platform, "side": side, "currency": currency, "unit": unit,
            "offers": len(values), "priced": len(priced),
            "min": priced[0] if priced else None,
            "median": price_figures(priced)["price_median"],
            "max": priced[-1] if priced else None,
        })
    recent = ("id", "source", "url", "channel", "author", "posted_at", "last_seen", "title", "text")
    return {
        "contact": contact,
        "keys": keys,
        "posts": len(posts),
        "offers": offers,
        "first_seen": min(p["first_seen"] for p in posts),
        "last_seen": max(p["last_seen"] for p in posts),
        "first_posted": min(p["at"] for p in posts),
        "last_posted": max(p["at"] for p in posts),
        "sources": dict(sorted(sources.items(), key=lambda i: (-i[1], i[0]))),
        "goods": dict(sorted(goods.items(), key=lambda i: (-i[1], i[0]))),
        "prices": prices,
        "linked_contacts": dict(sorted(linked.items(), key=lambda i: (-i[1], i[0]))[:20]),
        "recent_posts": [{name: p.get(name) for name in recent} for p in posts[:20]],
    }
