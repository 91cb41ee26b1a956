"""Search requests of the Elasticsearch store, and readers of their answers.

Each ``build_*`` function returns the keyword arguments of ``Elasticsearch.search`` (``query``,
``aggs``, ``size``, ``sort``...) as plain data, and each ``read_*`` turns an answer into what
the :class:`index.store.Store` method returns, so tests check both without a cluster.
"""

from __future__ import annotations

from index.errors import StoreError
from index.query import (
    CONTACT_TYPES,
    OFFER_FIELDS,
    Filters,
    SearchQuery,
    TrendQuery,
    period_of,
)
from index.tokens import index_tokens

# Keys of a terms aggregation that are options, not field names.
AGG_OPTIONS = ("field", "size", "order", "missing", "missing_bucket", "min_doc_count", "shard_size")
# Hits past this cannot be paged with from/size (the index's max_result_window).
MAX_WINDOW = 10_000
# Kept in the post document for the store itself, never shown as part of a post.
HIDDEN_POST_FIELDS = ("tokens", "offer_refs", "sellers")
# Terms aggregations must name a size; sources and goods are a few hundred at most.
MANY = 10_000
# Distinct counts (cardinality) are HyperLogLog++ sketches of 8 bytes a unit of threshold per
# bucket: near exact below the threshold, approximate (within a few percent) above it. One
# total may afford the maximum; per-source and per-period buckets, many at once, may not.
TOTAL_PRECISION = 40_000
BUCKET_PRECISION = 1_000
# A trend reads its (period, group) buckets a page at a time with a composite aggregation, so
# no request nears search.max_buckets (65,535) whatever the range and interval; past this many
# rows the answer would be too long to read, and the query is refused instead of cut.
TREND_PAGE = 1_000
MAX_TREND_ROWS = 100_000


def hits(answer: dict) -> list[dict]:
    return answer.get("hits", {}).get("hits", [])


def total(answer: dict) -> int:
    value = answer.get("hits", {}).get("total", 0)
    return value["value"] if isinstance(value, dict) else int(value or 0)


def describe_bulk_error(item: dict) -> str:
    """One bulk item failure as ``index/id: type: reason``."""
    op, result = next(iter(item.items()))
    error = result.get("error") or {}
    if isinstance(error, dict):
        reason = f"{error.get('type', 'error')}: {error.get('reason', '')}"
        cause = error.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            reason += f" ({cause['reason']})"
    else:
        reason = str(error)
    return f"{op} {result.get('_index')}/{result.get('_id')}: {reason}".strip()


# How long a point in time stays open between two pages of a full read.
PIT_KEEP_ALIVE = "2m"


def build_page_request(query: dict, pit_id: str, size: int, after: list | None) -> dict:
    """One page of a full read in a point in time: ``_shard_doc`` order is the cheapest
    total order, and ``search_after`` carries on from the last hit of the page before."""
    request: dict = {
        "query": query,
        "size": int(size),
        "pit": {"id": pit_id, "keep_alive": PIT_KEEP_ALIVE},
        "sort": [{"_shard_doc": "asc"}],
        "track_total_hits": False,
    }
    if after is not None:
        request["search_after"] = after
    return request


def raise_shard_failures(answer: dict, doing: str) -> None:
    """A search answered by only some shards holds only some hits: one line, not a result."""
    shards = answer.get("_shards") or {}
    failed = int(shards.get("failed") or 0)
    if not failed:
        return
    reasons = []
    for failure in shards.get("failures") or []:
        reason = failure.get("reason") or {}
        text = f"{reason.get('type', 'error')}: {reason.get('reason', '')}".strip(": ")
        where = failure.get("index")
        reasons.append(f"{where}: {text}" if where else text)
    detail = f" ({'; '.join(dict.fromkeys(reasons))})" if reasons else ""
    raise StoreError(
        f"{doing}: {failed} of {shards.get('total', '?')} shards failed{detail}; "
        "the answer would be incomplete, try again when the cluster is healthy"
    )


def posts_of_source(source: str | None) -> dict:
    """A ``query`` (for a full read) selecting every post, or those of one source."""
    if source is None:
        return {"query": {"match_all": {}}}
    return {"query": {"bool": {"filter": [{"term": {"source": source}}]}}}


def build_runs_request(source: str | None, limit: int) -> dict:
    """Latest runs first; the id breaks ties (ids start with the start time)."""
    query = {"match_all": {}} if source is None else {"term": {"source": source}}
    return {
        "query": query,
        "size": int(limit),
        "sort": [{"started_at": {"order": "desc"}}, {"id": {"order": "desc"}}],
    }


def _per_source(extra: dict | None = None) -> dict:
    agg: dict = {"terms": {"field": "source", "size": MANY}}
    if extra:
        agg["aggs"] = extra
    return agg


def build_stats_requests() -> dict[str, dict]:
    """One counting search per kind; ``track_total_hits`` makes totals exact past 10,000."""
    def sellers(precision: int) -> dict:
        return {"cardinality": {"field": "sellers", "precision_threshold": precision}}

    listings = {"filter": {"term": {"is_listing": True}}}
    return {
        "posts": {
            "size": 0,
            "track_total_hits": True,
            "aggs": {
                "listings": listings,
                "sellers": sellers(TOTAL_PRECISION),
                "by_source": _per_source(
                    {"listings": listings, "sellers": sellers(BUCKET_PRECISION)}
                ),
            },
        },
        "offers": {"size": 0, "track_total_hits": True, "aggs": {"by_source": _per_source()}},
        "runs": {
            "size": 0,
            "track_total_hits": True,
            "aggs": {
                "by_source": _per_source(
                    {
                        "last": {
                            "top_hits": {
                                "size": 1,
                                "sort": [{"started_at": {"order": "desc"}}],
                                "_source": {"includes": ["started_at"]},
                            }
                        }
                    }
                )
            },
        },
    }


def _buckets(answer: dict, name: str = "by_source") -> list[dict]:
    return (answer.get("aggregations") or {}).get(name, {}).get("buckets", [])


def read_stats(answers: dict[str, dict]) -> dict:
    """The :meth:`Store.stats` dict, shaped as the SQLite store's."""
    per_source: dict[str, dict] = {}

    def entry(source: str) -> dict:
        return per_source.setdefault(
            source,
            {"posts": 0, "listings": 0, "offers": 0, "sellers": 0, "runs": 0, "last_run": None},
        )

    posts = answers["posts"]
    for bucket in _buckets(posts):
        counts = entry(bucket["key"])
        counts["posts"] = bucket["doc_count"]
        counts["listings"] = bucket["listings"]["doc_count"]
        counts["sellers"] = int(bucket["sellers"]["value"])
    for bucket in _buckets(answers["offers"]):
        entry(bucket["key"])["offers"] = bucket["doc_count"]
    for bucket in _buckets(answers["runs"]):
        counts = entry(bucket["key"])
        counts["runs"] = bucket["doc_count"]
        top = bucket["last"]["hits"]["hits"]
        counts["last_run"] = top[0]["_source"].get("started_at") if top else None
    aggs = posts.get("aggregations") or {}
    totals = {
        "posts": total(posts),
        "listings": aggs.get("listings", {}).get("doc_count", 0),
        "offers": total(answers["offers"]),
        "sellers": int(aggs.get("sellers", {}).get("value", 0)),
        "runs": total(answers["runs"]),
    }
    return {**totals, "sources": dict(sorted(per_source.items()))}


# -- the query model (index.query) as query DSL -------------------------------------------


def text_clause(text: str, field: str = "tokens") -> dict:
    """Every index token of ``text`` must occur (AND), tokenised as the documents were."""
    words = index_tokens(text)
    if not words:  # only punctuation: nothing can match it
        return {"match_none": {}}
    return {"match": {field: {"query": " ".join(words), "operator": "and"}}}


def offer_clauses(filters: Filters, path: str = "") -> list[dict]:
    """What one offer must meet: goods, platform, side, currency, unit-price range."""
    clauses: list[dict] = []
    if filters.goods:
        clauses.append({"terms": {f"{path}goods": filters.goods}})
    if filters.platform:
        named = [p for p in filters.platform if p != "none"]
        options: list[dict] = []
        if named:
            options.append({"terms": {f"{path}platform": named}})
        if "none" in filters.platform:
            options.append({"bool": {"must_not": [{"exists": {"field": f"{path}platform"}}]}})
        clauses.append(options[0] if len(options) == 1 else
                       {"bool": {"should": options, "minimum_should_match": 1}})
    if filters.side:
        clauses.append({"terms": {f"{path}side": filters.side}})
    if filters.currency:
        clauses.append({"terms": {f"{path}currency": filters.currency}})
    if filters.unit:
        clauses.append({"terms": {f"{path}unit": filters.unit}})
    price: dict = {}
    if filters.price_min is not None:
        price["gte"] = filters.price_min
    if filters.price_max is not None:
        price["lte"] = filters.price_max
    if price:
        clauses.append({"range": {f"{path}unit_price": price}})
    return clauses


def seller_clause(sellers: list[str], keys_field: str, values_field: str) -> dict | None:
    """A contact key (``qq:1``) matches that key; a bare value matches it under any type."""
    if not sellers:
        return None
    keys = [s for s in sellers if s.partition(":")[0] in CONTACT_TYPES]
    values = [s for s in sellers if s not in keys]
    options = []
    if keys:
        options.append({"terms": {keys_field: keys}})
    if values:
        options.append({"terms": {values_field: values}})
    if len(options) == 1:
        return options[0]
    return {"bool": {"should": options, "minimum_should_match": 1}}


def time_clause(filters: Filters, field: str = "at") -> dict | None:
    bounds: dict = {}
    if filters.since_time:
        bounds["gte"] = filters.since_time
    if filters.until_time:
        bounds["lt"] = filters.until_time
    return {"range": {field: bounds}} if bounds else None


def _bool(must: list[dict], filters: list[dict]) -> dict:
    if not must and not filters:
        return {"match_all": {}}
    query: dict = {}
    if must:
        query["must"] = must
    if filters:
        query["filter"] = filters
    return {"bool": query}


def post_query(filters: Filters) -> dict:
    """Posts meeting the post filters and, if any are given, having one offer meeting them all.

    The offers nested in each post make "one offer meeting all" a ``nested`` query: with flat
    arrays, goods from one offer and platform from another would match together.
    """
    must = [text_clause(filters.text)] if filters.text else []
    clauses = post_clauses(filters, "contacts.key", "contacts.value")
    if filters.offer_filtered:
        clauses.append(
            {
                "nested": {
                    "path": "offers",
                    "query": {"bool": {"filter": offer_clauses(filters, "offers.")}},
                }
            }
        )
    return _bool(must, clauses)


def offer_query(filters: Filters) -> dict:
    """Offers meeting the offer filters whose post meets the post filters."""
    must = [text_clause(filters.text)] if filters.text else []
    clauses = offer_clauses(filters) + post_clauses(filters, "contact_keys", "contact_values")
    return _bool(must, clauses)


def post_clauses(filters: Filters, key_field: str, value_field: str) -> list[dict]:
    """The filters on what a post is (source, seller, time), with the fields its contacts
    are kept in: nested in a post document, copied flat into each offer document."""
    clauses: list[dict] = []
    if filters.source:
        clauses.append({"terms": {"source": filters.source}})
    seller = seller_clause(filters.seller, key_field, value_field)
    if seller:
        clauses.append(seller)
    when = time_clause(filters)
    if when:
        clauses.append(when)
    return clauses


def _offer_facet(name: str, size: int) -> dict:
    terms = {
        "field": f"offers.{name}",
        "size": size,
        "order": [{"posts": "desc"}, {"_key": "asc"}],
        "missing": "none",  # an offer naming no platform (or side) counts as "none"
    }
    # reverse_nested counts posts, not offers, per value.
    return {"terms": terms, "aggs": {"posts": {"reverse_nested": {}}}}


def build_search_request(query: SearchQuery) -> dict:
    """``search`` arguments for posts: hits newest first, total exact, one agg per facet."""
    if query.offset + query.limit > MAX_WINDOW:
        raise StoreError(
            f"offset + limit may reach {MAX_WINDOW} at most on Elasticsearch "
            f"(asked {query.offset} + {query.limit}); narrow the query or export instead"
        )
    order = "desc" if query.sort == "newest" else "asc"
    body: dict = {
        "query": post_query(query),
        "from": query.offset,
        "size": query.limit,
        "sort": [{"at": {"order": order}}, {"id": {"order": order}}],
        "track_total_hits": True,
        "_source": {"excludes": list(HIDDEN_POST_FIELDS)},
    }
    aggs: dict = {}
    offer_facets = [f for f in query.facets if f in OFFER_FIELDS]
    if offer_facets:
        matching = {"bool": {"filter": offer_clauses(query, "offers.")}}
        aggs["offers"] = {
            "nested": {"path": "offers"},
            "aggs": {
                "matching": {
                    "filter": matching,
                    "aggs": {f: _offer_facet(f, query.facet_size) for f in offer_facets},
                }
            },
        }
    if "source" in query.facets:
        aggs["source"] = {"terms": {"field": "source", "size": query.facet_size}}
    if "seller" in query.facets:
        aggs["seller"] = {"terms": {"field": "contacts.key", "size": query.facet_size}}
    if aggs:
        body["aggs"] = aggs
    return body


def read_facets(answer: dict) -> dict[str, dict[str, int]]:
    aggs = answer.get("aggregations") or {}
    facets: dict[str, dict[str, int]] = {}
    nested = aggs.get("offers", {}).get("matching", {})
    for name in OFFER_FIELDS:
        if name in nested:
            facets[name] = {b["key"]: b["posts"]["doc_count"] for b in nested[name]["buckets"]}
    for name in ("source", "seller"):
        if name in aggs:
            facets[name] = {b["key"]: b["doc_count"] for b in aggs[name]["buckets"]}
    return facets


def _metrics() -> dict:
    """Sellers, and unit-price figures over the priced offers (of one unit and currency)."""
    priced = [{"exists": {"field": "unit_price"}}]
    return {
        "sellers": {"cardinality": {"field": "seller", "precision_threshold": BUCKET_PRECISION}},
        "priced": {
            "filter": {"bool": {"filter": priced}},
            "aggs": {
                "quartiles": {"percentiles": {"field": "unit_price", "percents": [25, 50, 75]}},
                "mean": {"avg": {"field": "unit_price"}},
            },
        },
    }


def build_trend_request(query: TrendQuery, after: dict | None = None) -> dict:
    """``search`` arguments for one page of a trend: (period, group) buckets of offers.

    A ``composite`` aggregation pages through the buckets (``after`` is the last page's
    ``after_key``), where a ``date_histogram`` with ``terms`` under it would build them all in
    one answer and fail past ``search.max_buckets`` on a long day-interval trend. Weeks are ISO
    weeks starting Monday, as Elasticsearch's calendar week is. Quartiles are exact for buckets
    of up to a few thousand offers on servers from 8.9 (HybridDigest sorts small samples),
    TDigest estimates above that and on older servers.
    """
    sources: list[dict] = [
        {
            "period": {
                "date_histogram": {
                    "field": "at",
                    "calendar_interval": query.interval,
                    "format": "yyyy-MM-dd",
                    "time_zone": "UTC",
                }
            }
        }
    ]
    if query.by is not None:
        sources.append({"by": {"terms": {"field": query.by, "missing_bucket": True}}})
    # Like with like: every row is one unit and one currency (a day rental, a month rental and
    # a sale never share a median).
    sources += [{"unit": {"terms": {"field": "unit"}}},
                {"currency": {"terms": {"field": "currency"}}}]
    composite: dict = {"size": TREND_PAGE, "sources": sources}
    if after:
        composite["after"] = after
    return {
        "query": offer_query(query),
        "size": 0,
        "track_total_hits": False,
        "aggs": {"trend": {"composite": composite, "aggs": _metrics()}},
    }


def trend_after_key(answer: dict) -> dict | None:
    """Where the next page of a trend starts; None after the last page."""
    trend = (answer.get("aggregations") or {}).get("trend") or {}
    if not trend.get("buckets"):
        return None
    return trend.get("after_key")


def _figures(bucket: dict) -> dict:
    priced = bucket["priced"]
    values = priced["quartiles"].get("values") or {}

    def pick(percent: str):
        value = values.get(percent)
        return None if value is None or priced["doc_count"] == 0 else value

    return {
        "unit": bucket["key"]["unit"],
        "currency": bucket["key"]["currency"],
        "offers": bucket["doc_count"],
        "sellers": int(bucket["sellers"]["value"]),
        "priced": priced["doc_count"],
        "price_median": pick("50.0"),
        "price_p25": pick("25.0"),
        "price_p75": pick("75.0"),
        "price_mean": priced["mean"].get("value") if priced["doc_count"] else None,
    }


def read_trend(query: TrendQuery, answer: dict) -> list[dict]:
    """The rows of one page of a trend, in period then group order."""
    rows = []
    for bucket in _buckets(answer, "trend"):
        label, start = period_of(bucket["key"]["period"], query.interval)
        row = {"period": label, "start": start}
        if query.by is not None:
            value = bucket["key"].get("by")
            row[query.by] = "none" if value is None else value
        rows.append({**row, **_figures(bucket)})
    return rows


def sort_trend(query: TrendQuery, rows: list[dict]) -> list[dict]:
    """Pages arrive in key order with missing values first; the SQLite store sorts "none"
    among the other names, and both backends answer alike."""
    if query.by is None:
        return sorted(rows, key=lambda row: (row["start"], row["unit"], row["currency"]))
    return sorted(rows, key=lambda row: (row["start"], str(row[query.by]), row["unit"],
                                         row["currency"]))


def build_seller_query(contact: str, typed: bool) -> dict:
    """Posts naming a contact: by key (``qq:1``), or by value under any type."""
    field = "contacts.key" if typed else "contacts.value"
    return {"query": {"bool": {"filter": [{"term": {field: contact}}]}}}
