"""The Elasticsearch backend's requests, checked as data: no cluster needed.

What the store sends (templates, documents, bulk actions, searches) is built by pure
functions; these tests pin the properties a cluster would rely on.
"""

from __future__ import annotations

import json

import pytest

from index import Post, StoreError, UpsertOutcome
from index.elastic import documents, mappings, queries
from index.query import FACET_FIELDS, GROUP_FIELDS, SearchQuery, TrendQuery
from index.records import CrawlRun, check_run
from index.tokens import index_tokens

PREFIX = "heishi"


def post(key="m1", text="出微信老号 400一个", fetched="2026-11-01T08:00:00+00:00", **fields):
    return Post(source="tg", key=key, text=text, fetched_at=fetched, **fields)


# -- templates and names ------------------------------------------------------------------


def test_every_template_has_an_explicit_non_dynamic_mapping_and_its_alias():
    templates = mappings.index_templates(PREFIX)
    assert set(templates) == {f"heishi-{kind}" for kind in mappings.KINDS}
    for name, body in templates.items():
        kind = name.removeprefix("heishi-")
        template = body["template"]
        assert template["mappings"]["dynamic"] is False
        assert template["mappings"]["properties"], kind
        assert body["index_patterns"] == [f"heishi-{kind}-*"]
        assert template["aliases"] == {f"heishi-{kind}": {}}
        # The alias must not itself match the pattern, or indices could not be created.
        assert not f"heishi-{kind}".startswith(body["index_patterns"][0].rstrip("*"))
        json.dumps(body)  # sendable as is


def test_field_types_for_search_and_trends():
    offers = mappings.OFFER_PROPERTIES
    for name in ("goods", "platform", "source", "seller", "side", "currency", "unit"):
        assert offers[name]["type"] == "keyword", name
    for name in ("price", "price_max", "unit_price"):
        assert offers[name]["type"] in ("double", "scaled_float"), name
    assert offers["at"]["type"] == "date" and offers["posted_at"]["type"] == "date"
    for props in (mappings.POST_PROPERTIES, offers):
        assert props["tokens"] == {"type": "text", "analyzer": "whitespace", "norms": True}
    assert mappings.POST_PROPERTIES["versions"]["enabled"] is False
    assert mappings.POST_PROPERTIES["extra"]["enabled"] is False


def test_offers_go_to_monthly_indices_and_others_to_one_index():
    assert mappings.offers_index(PREFIX, "2026-11-21T08:00:00+00:00") == "heishi-offers-2026.11"
    assert mappings.offers_index(PREFIX, "2027-01-01T00:00:00+00:00") == "heishi-offers-2027.01"
    assert mappings.offers_index(PREFIX, None) == "heishi-offers-undated"
    assert mappings.offers_index(PREFIX, "yesterday") == "heishi-offers-undated"
    assert mappings.single_index(PREFIX, "posts") == "heishi-posts-000001"
    assert mappings.kind_of(PREFIX, "heishi-offers-2026.11") == "offers"
    assert mappings.kind_of(PREFIX, "heishi-posts") == "posts"
    assert mappings.kind_of(PREFIX, "other-posts-000001") is None
    assert mappings.kind_of("heishi-test-1", "heishi-test-1-runs-000001") == "runs"


@pytest.mark.parametrize("prefix", ["heishi", "heishi-test-3f2a", "a_b"])
def test_valid_prefixes(prefix):
    assert mappings.valid_prefix(prefix)


@pytest.mark.parametrize("prefix", ["", "Heishi", "-x", "a b", "a*", "a,b"])
def test_invalid_prefixes(prefix):
    assert not mappings.valid_prefix(prefix)


# -- posts --------------------------------------------------------------------------------


def test_new_post_document():
    first = post(title="微信号", posted_at="2026-10-31T23:00:00+08:00", extra={"views": 3})
    doc, outcome = documents.merge_post(first, None)
    assert outcome is UpsertOutcome.NEW
    assert doc["id"] == first.id
    assert doc["first_seen"] == doc["last_seen"] == "2026-11-01T08:00:00+00:00"
    assert doc["posted_at"] == "2026-10-31T23:00:00+08:00"  # as given, like SQLite
    assert doc["at"] == "2026-10-31T15:00:00+00:00"  # in UTC: what dates filter on
    assert doc["tokens"] == " ".join(index_tokens("微信号\n出微信老号 400一个"))
    assert doc["extra"] == {"views": 3} and doc["versions"] == []


def test_same_text_only_moves_last_seen_forward():
    stored, _ = documents.merge_post(post(fetched="2026-11-02T00:00:00+00:00"), None)
    stored["is_listing"], stored["offer_refs"] = True, [["heishi-offers-2026.11", "x-0"]]
    doc, outcome = documents.merge_post(post(fetched="2026-11-05T00:00:00+00:00"), stored)
    assert outcome is UpsertOutcome.SEEN
    assert doc["last_seen"] == "2026-11-05T00:00:00+00:00"
    assert doc["first_seen"] == "2026-11-02T00:00:00+00:00"
    assert doc["is_listing"] is True and doc["offer_refs"] == stored["offer_refs"]
    # An older capture arriving late never moves last_seen back.
    doc, outcome = documents.merge_post(post(fetched="2026-11-01T00:00:00+00:00"), doc)
    assert outcome is UpsertOutcome.SEEN and doc["last_seen"] == "2026-11-05T00:00:00+00:00"


def test_changed_text_keeps_the_earlier_version_and_the_extraction():
    first = post(evidence_sha256="a" * 64)
    stored, _ = documents.merge_post(first, None)
    stored["contacts"] = [{"type": "qq", "value": "1", "key": "qq:1"}]
    seen, _ = documents.merge_post(post(fetched="2026-11-02T08:00:00+00:00"), stored)
    edited = post(text="出微信老号 350一个", fetched="2026-11-03T08:00:00+00:00",
                  evidence_sha256="b" * 64)
    doc, outcome = documents.merge_post(edited, seen)
    assert outcome is UpsertOutcome.CHANGED
    assert doc["text"] == "出微信老号 350一个" and doc["evidence_sha256"] == "b" * 64
    assert doc["first_seen"] == "2026-11-01T08:00:00+00:00"
    assert doc["last_seen"] == "2026-11-03T08:00:00+00:00"
    assert doc["versions"] == [
        {"text": "出微信老号 400一个", "title": None, "seen_at": "2026-11-02T08:00:00+00:00",
         "evidence_sha256": "a" * 64, "replaced_at": "2026-11-03T08:00:00+00:00"}
    ]
    assert doc["contacts"] == stored["contacts"]
    assert "350" in doc["tokens"].split()
    assert documents.public_versions(doc)[0]["text"] == "出微信老号 400一个"


def test_post_writes_are_conditional_on_what_was_read():
    doc, _ = documents.merge_post(post(), None)
    create = documents.post_write_action("heishi-posts-000001", doc, None)
    assert create["_op_type"] == "create" and create["_id"] == doc["id"]
    hit = {"_seq_no": 7, "_primary_term": 2}
    update = documents.post_write_action("heishi-posts-000001", doc, hit)
    assert update["_op_type"] == "index"
    assert (update["if_seq_no"], update["if_primary_term"]) == (7, 2)


def test_public_post_has_the_sqlite_keys_and_nothing_internal():
    doc, _ = documents.merge_post(post(), None)
    public = documents.public_post(doc)
    assert set(public) == set(documents.PUBLIC_POST_FIELDS)
    assert "tokens" not in public and "versions" not in public and "offer_refs" not in public


# -- offers, contacts, sellers ------------------------------------------------------------

EXTRACTION = {
    "is_listing": True,
    "offers": [
        {"goods": "sms_code", "platform": "tantan", "side": "sell", "price": 1.2,
         "currency": "CNY", "per_qty": 1, "unit": "item"},
        {"goods": "personal_data", "platform": None, "side": "sell", "price": 300,
         "per_qty": 1000, "unit": "item", "min_qty": 1000},
    ],
    "contacts": [{"type": "qq", "value": "2049385761"}, {"type": "telegram", "value": "bob"},
                 {"type": "qq", "value": "2049385761"}],
}


def stored_hit(extra_refs=()):
    doc, _ = documents.merge_post(post(posted_at="2026-10-31T23:00:00+08:00"), None)
    doc["offer_refs"] = [list(ref) for ref in extra_refs]
    return {"_index": "heishi-posts-000001", "_id": doc["id"], "_seq_no": 3,
            "_primary_term": 1, "_source": doc}


def test_extraction_writes_offers_with_stable_ids_in_the_month_of_the_post():
    hit = stored_hit()
    actions = documents.extraction_actions(PREFIX, hit, EXTRACTION, "x1")
    offers = [a for a in actions if a["_index"].startswith("heishi-offers-")]
    post_id = hit["_id"]
    assert [a["_id"] for a in offers] == [f"{post_id}-0", f"{post_id}-1"]
    assert {a["_index"] for a in offers} == {"heishi-offers-2026.10"}
    second = offers[1]["_source"]
    assert second["unit_price"] == pytest.approx(0.3)
    assert second["currency"] == "CNY" and second["seller"] == "qq:2049385761"
    assert second["at"] == "2026-10-31T15:00:00+00:00" and second["extractor_version"] == "x1"
    assert second["tokens"] == hit["_source"]["tokens"]
    assert set(second) <= set(mappings.OFFER_PROPERTIES)
    # Same extraction again: the very same actions (a recrawl overwrites, never adds).
    assert documents.extraction_actions(PREFIX, hit, EXTRACTION, "x1") == actions


def test_extraction_updates_the_post_conditionally_and_upserts_each_seller_once():
    hit = stored_hit()
    actions = documents.extraction_actions(PREFIX, hit, EXTRACTION, "x1")
    (update,) = [a for a in actions if a["_index"] == "heishi-posts-000001"]
    assert update["_op_type"] == "update"
    assert (update["if_seq_no"], update["if_primary_term"]) == (3, 1)
    assert update["doc"]["sellers"] == ["qq:2049385761", "telegram:bob"]
    assert update["doc"]["is_listing"] is True
    assert update["doc"]["offer_refs"] == [
        ["heishi-offers-2026.10", f"{hit['_id']}-0"], ["heishi-offers-2026.10", f"{hit['_id']}-1"]
    ]
    sellers = [a for a in actions if a["_index"] == "heishi-sellers-000001"]
    assert [a["upsert"]["key"] for a in sellers] == ["qq:2049385761", "telegram:bob"]
    assert sellers[0]["_id"] == documents.seller_id("qq:2049385761")
    assert sellers[0]["script"]["params"]["source"] == "tg"
    assert set(sellers[0]["upsert"]) <= set(mappings.SELLER_PROPERTIES)


def test_offers_the_new_extraction_no_longer_has_are_deleted_by_id():
    old_refs = [("heishi-offers-2026.10", "p-0"), ("heishi-offers-2026.09", "p-7")]
    hit = stored_hit(old_refs)
    hit["_source"]["offer_refs"] = [["heishi-offers-2026.10", f"{hit['_id']}-0"],
                                    ["heishi-offers-2026.09", f"{hit['_id']}-5"]]
    actions = documents.extraction_actions(PREFIX, hit, {"offers": [], "contacts": []}, "x2")
    deletes = [(a["_index"], a["_id"]) for a in actions if a["_op_type"] == "delete"]
    assert deletes == [("heishi-offers-2026.10", f"{hit['_id']}-0"),
                       ("heishi-offers-2026.09", f"{hit['_id']}-5")]
    update = actions[-1]
    assert update["doc"]["is_listing"] is False and update["doc"]["offer_refs"] == []


def test_posts_keep_their_offers_nested_for_one_offer_many_filters_searches():
    hit = stored_hit()
    update = documents.extraction_actions(PREFIX, hit, EXTRACTION, "x1")[-1]
    nested = update["doc"]["offers"]
    assert [o["goods"] for o in nested] == ["sms_code", "personal_data"]
    assert nested[1]["unit_price"] == pytest.approx(0.3)
    assert mappings.POST_PROPERTIES["offers"]["type"] == "nested"
    assert set(nested[0]) <= set(mappings.POST_PROPERTIES["offers"]["properties"])


def test_a_changed_post_that_moves_month_moves_its_offers():
    hit = stored_hit()
    actions = documents.extraction_actions(PREFIX, hit, EXTRACTION, "x1")
    old = {**hit["_source"], **actions[-1]["doc"]}
    edited = post(text="出微信老号 380一个", posted_at="2026-12-02T10:00:00+00:00",
                  fetched="2026-12-02T11:00:00+00:00")
    doc, outcome = documents.merge_post(edited, old)
    assert outcome is UpsertOutcome.CHANGED
    moved = documents.moved_offer_actions(PREFIX, doc, old)
    written = [(a["_op_type"], a["_index"]) for a in moved if a["_op_type"] != "update"]
    assert written == [("index", "heishi-offers-2026.12")] * 2 + [
        ("delete", "heishi-offers-2026.10")] * 2
    assert all(a["_source"]["at"] == "2026-12-02T10:00:00+00:00"
               for a in moved if a["_op_type"] == "index")
    assert doc["offer_refs"] == [["heishi-offers-2026.12", f"{hit['_id']}-0"],
                                 ["heishi-offers-2026.12", f"{hit['_id']}-1"]]
    # Same month, source and words (only punctuation changed): nothing to rewrite.
    same, outcome = documents.merge_post(post(text="出微信老号 380一个！",
                                              posted_at="2026-12-02T10:00:00+00:00"), doc)
    assert outcome is UpsertOutcome.CHANGED
    assert documents.moved_offer_actions(PREFIX, same, doc) == []


@pytest.mark.parametrize(
    "extraction",
    [{"offers": [{"platform": "qq"}]}, {"offers": [{"goods": "account", "per_qty": "many"}]},
     {"offers": ["not an offer"]}],
)
def test_extraction_breaking_the_contract_names_the_post(extraction):
    hit = stored_hit()
    with pytest.raises(StoreError, match=hit["_id"]):
        documents.extraction_actions(PREFIX, hit, extraction, "x1")


# -- runs and copies ----------------------------------------------------------------------


def test_run_documents_round_trip_and_ids_sort_by_start():
    early = CrawlRun(source="tg", started_at="2026-11-01T00:00:00+00:00", errors=["503"])
    late = CrawlRun(source="tg", started_at="2026-11-02T00:00:00+00:00")
    early.id, late.id = documents.new_run_id(early), documents.new_run_id(late)
    assert early.id < late.id
    assert documents.run_from_document(documents.run_document(early)) == early
    with pytest.raises(StoreError, match="status"):
        check_run(CrawlRun(source="tg", status="done"))


def test_copy_actions_are_the_same_twice_and_keep_times_and_versions():
    stored = {"id": post().id, "source": "tg", "key": "m1", "text": "出微信老号 350一个",
              "fetched_at": "2026-11-03T08:00:00+00:00", "posted_at": None,
              "first_seen": "2026-11-01T08:00:00+00:00", "last_seen": "2026-11-03T08:00:00+00:00",
              "extra": {"views": 1}, "is_listing": True, "extractor_version": "x1"}
    versions = [{"text": "出微信老号 400一个", "title": None,
                 "seen_at": "2026-11-02T08:00:00+00:00", "evidence_sha256": None,
                 "replaced_at": "2026-11-03T08:00:00+00:00"}]
    rows = [(stored, versions, EXTRACTION)]
    first = list(documents.copy_actions(PREFIX, rows))
    assert first == list(documents.copy_actions(PREFIX, rows))
    (post_action,) = [a for a in first if a["_index"] == "heishi-posts-000001"]
    doc = post_action["_source"]
    assert post_action["_id"] == stored["id"]
    assert (doc["first_seen"], doc["last_seen"]) == (stored["first_seen"], stored["last_seen"])
    assert doc["versions"] == versions and doc["sellers"] == ["qq:2049385761", "telegram:bob"]
    offers = [a for a in first if a["_index"].startswith("heishi-offers-")]
    assert [a["_source"]["at"] for a in offers] == ["2026-11-03T08:00:00+00:00"] * 2


# -- reads --------------------------------------------------------------------------------


def test_runs_request_sorts_latest_first_and_filters_by_source():
    body = queries.build_runs_request("tg", 5)
    assert body["size"] == 5 and body["query"] == {"term": {"source": "tg"}}
    assert body["sort"][0] == {"started_at": {"order": "desc"}}


def test_stats_requests_count_exactly():
    requests = queries.build_stats_requests()
    assert set(requests) == {"posts", "offers", "runs"}
    for body in requests.values():
        assert body["size"] == 0 and body["track_total_hits"] is True
    posts = requests["posts"]["aggs"]
    assert posts["sellers"]["cardinality"]["field"] == "sellers"
    assert posts["by_source"]["terms"]["field"] == "source"
    assert posts["listings"] == {"filter": {"term": {"is_listing": True}}}


# -- searches and trends ------------------------------------------------------------------


def nested_filters(query):
    (nested,) = [c["nested"] for c in query["bool"]["filter"] if "nested" in c]
    assert nested["path"] == "offers"
    return nested["query"]["bool"]["filter"]


def test_text_is_tokenised_as_the_documents_are_and_every_token_must_occur():
    clause = queries.text_clause("出微信老号")
    assert clause == {"match": {"tokens": {"query": " ".join(index_tokens("出微信老号")),
                                           "operator": "and"}}}
    assert queries.text_clause("!!! ，。") == {"match_none": {}}


def test_offer_filters_must_hold_on_one_offer_together():
    query = queries.post_query(SearchQuery(goods=["sms_code"], platform=["tantan"],
                                           side=["sell"], currency=["cny"], price_max=1.0))
    assert nested_filters(query) == [
        {"terms": {"offers.goods": ["sms_code"]}},
        {"terms": {"offers.platform": ["tantan"]}},
        {"terms": {"offers.side": ["sell"]}},
        {"terms": {"offers.currency": ["CNY"]}},
        {"range": {"offers.unit_price": {"lte": 1.0}}},
    ]


def test_platform_none_means_an_offer_naming_no_platform():
    (clause,) = nested_filters(queries.post_query(SearchQuery(platform=["none", "qq"])))
    assert clause == {"bool": {"should": [
        {"terms": {"offers.platform": ["qq"]}},
        {"bool": {"must_not": [{"exists": {"field": "offers.platform"}}]}},
    ], "minimum_should_match": 1}}


def test_post_filters_text_source_seller_and_dates():
    query = queries.post_query(SearchQuery(text="接码", source=["tg"],
                                           seller=["qq:2049385761", "codeking"],
                                           since="2026-11-10", until="2026-11-10"))
    assert query["bool"]["must"] == [queries.text_clause("接码")]
    assert query["bool"]["filter"] == [
        {"terms": {"source": ["tg"]}},
        {"bool": {"should": [{"terms": {"contacts.key": ["qq:2049385761"]}},
                             {"terms": {"contacts.value": ["codeking"]}}],
                  "minimum_should_match": 1}},
        {"range": {"at": {"gte": "2026-11-10T00:00:00+00:00",
                          "lt": "2026-11-11T00:00:00+00:00"}}},
    ]
    assert queries.post_query(SearchQuery()) == {"match_all": {}}


def test_search_request_pages_newest_first_with_exact_total():
    body = queries.build_search_request(SearchQuery(limit=5, offset=10))
    assert (body["from"], body["size"], body["track_total_hits"]) == (10, 5, True)
    assert body["sort"] == [{"at": {"order": "desc"}}, {"id": {"order": "desc"}}]
    oldest = queries.build_search_request(SearchQuery(sort="oldest"))
    assert oldest["sort"][0] == {"at": {"order": "asc"}}
    assert "aggs" not in body
    with pytest.raises(StoreError, match="10000"):
        queries.build_search_request(SearchQuery(limit=100, offset=9950))


def test_search_facets_count_posts_per_value_of_matching_offers():
    body = queries.build_search_request(
        SearchQuery(price_max=1.1, facets=["platform", "goods", "source", "seller"]))
    matching = body["aggs"]["offers"]["aggs"]["matching"]
    assert body["aggs"]["offers"]["nested"] == {"path": "offers"}
    assert matching["filter"] == {"bool": {"filter": [
        {"range": {"offers.unit_price": {"lte": 1.1}}}]}}
    platform = matching["aggs"]["platform"]
    assert platform["terms"]["field"] == "offers.platform"
    assert platform["terms"]["missing"] == "none"
    assert platform["aggs"] == {"posts": {"reverse_nested": {}}}  # posts, not offers
    assert platform["terms"]["order"][0] == {"posts": "desc"}
    assert body["aggs"]["source"] == {"terms": {"field": "source", "size": 20}}
    assert body["aggs"]["seller"] == {"terms": {"field": "contacts.key", "size": 20}}


def test_trend_request_pages_period_buckets_with_sellers_and_price_figures():
    body = queries.build_trend_request(TrendQuery(interval="week", goods=["account"],
                                                  seller=["@codeking"]))
    assert body["size"] == 0
    assert {"terms": {"goods": ["account"]}} in body["query"]["bool"]["filter"]
    assert {"terms": {"contact_keys": ["telegram:codeking"]}} in body["query"]["bool"]["filter"]
    trend = body["aggs"]["trend"]
    composite = trend["composite"]
    assert composite["size"] == queries.TREND_PAGE and "after" not in composite
    histogram = composite["sources"][0]["period"]["date_histogram"]
    assert (histogram["field"], histogram["calendar_interval"]) == ("at", "week")
    assert composite["sources"][1:] == [{"unit": {"terms": {"field": "unit"}}},
                                        {"currency": {"terms": {"field": "currency"}}}]
    metrics = trend["aggs"]
    sellers = metrics["sellers"]["cardinality"]
    assert sellers["field"] == "seller"
    assert sellers["precision_threshold"] == queries.BUCKET_PRECISION <= 3_000  # per bucket
    priced = metrics["priced"]
    assert priced["filter"] == {"bool": {"filter": [{"exists": {"field": "unit_price"}}]}}
    assert priced["aggs"]["quartiles"] == {
        "percentiles": {"field": "unit_price", "percents": [25, 50, 75]}}
    assert priced["aggs"]["mean"] == {"avg": {"field": "unit_price"}}
    after = {"period": "2026-11-02"}
    assert queries.build_trend_request(TrendQuery(), after)["aggs"]["trend"]["composite"][
        "after"] == after


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_trend_split_by_a_field(interval):
    body = queries.build_trend_request(TrendQuery(interval=interval, by="platform",
                                                  currency=["USDT"]))
    sources = body["aggs"]["trend"]["composite"]["sources"]
    assert sources[0]["period"]["date_histogram"]["calendar_interval"] == interval
    assert sources[1] == {"by": {"terms": {"field": "platform", "missing_bucket": True}}}
    # like with like: every bucket is one unit and one currency
    assert [list(x) for x in sources[2:]] == [["unit"], ["currency"]]
    assert {"terms": {"currency": ["USDT"]}} in body["query"]["bool"]["filter"]
    priced = body["aggs"]["trend"]["aggs"]["priced"]
    assert priced["filter"] == {"bool": {"filter": [{"exists": {"field": "unit_price"}}]}}


def test_trend_rows_are_per_unit_and_currency():
    figures = {"sellers": {"value": 1}, "priced": {"doc_count": 1, "mean": {"value": 0}}}
    answer = {"aggregations": {"trend": {"buckets": [
        {"key": {"period": "2026-11-16", "unit": unit, "currency": "CNY"}, "doc_count": 2,
         **figures, "priced": {"doc_count": 2, "mean": {"value": price},
                               "quartiles": {"values": {"25.0": price, "50.0": price,
                                                        "75.0": price}}}}
        for unit, price in (("month", 750), ("day", 50))]}}}
    rows = queries.sort_trend(TrendQuery(interval="week"),
                              queries.read_trend(TrendQuery(interval="week"), answer))
    assert [(r["period"], r["unit"], r["currency"], r["price_median"]) for r in rows] == [
        ("2026-W47", "day", "CNY", 50), ("2026-W47", "month", "CNY", 750)]


def trend_page(keys: list[tuple], after: dict | None) -> dict:
    figures = {"doc_count": 2, "sellers": {"value": 2}, "priced": {
        "doc_count": 2, "quartiles": {"values": {"25.0": 1.0, "50.0": 2.0, "75.0": 3.0}},
        "mean": {"value": 2.0}}}
    buckets = [{"key": {"period": day, **({"by": by} if by != "-" else {}), "unit": "item",
                        "currency": "CNY"}, **figures}
               for day, by in keys]
    answer: dict = {"aggregations": {"trend": {"buckets": buckets}}}
    if after:
        answer["aggregations"]["trend"]["after_key"] = after
    return answer


def test_trend_pages_are_read_until_one_comes_back_empty():
    query = TrendQuery(interval="day", by="platform")
    first = trend_page([("2026-11-01", None), ("2026-11-01", "qq")], {"period": "x", "by": "qq"})
    rows = queries.read_trend(query, first)
    assert [(r["period"], r["platform"]) for r in rows] == [("2026-11-01", "none"),
                                                            ("2026-11-01", "qq")]
    assert rows[1]["price_median"] == 2.0 and rows[1]["sellers"] == 2
    assert queries.trend_after_key(first) == {"period": "x", "by": "qq"}
    assert queries.trend_after_key(trend_page([], {"period": "x"})) is None
    ordered = queries.sort_trend(query, [*rows[::-1], {"start": "2026-11-01", "platform": "momo",
                                                       "unit": "item", "currency": "CNY"}])
    assert [r["platform"] for r in ordered] == ["momo", "none", "qq"]


def test_no_trend_request_can_reach_max_buckets():
    """search.max_buckets (65,535) counts every bucket of a response, sub-buckets included:
    a page of composite buckets with their filter sub-bucket stays far below it."""
    for by in (None, *GROUP_FIELDS):
        body = queries.build_trend_request(TrendQuery(interval="day", by=by))
        assert "date_histogram" not in body["aggs"]["trend"]  # no unbounded histogram
        assert body["aggs"]["trend"]["composite"]["size"] * 2 < 65_535


def test_every_field_a_request_names_is_mapped():
    """A field missing from a dynamic:false mapping would silently match nothing."""
    posts = {**mappings.POST_PROPERTIES,
             **{f"offers.{k}": v for k, v in mappings.POST_PROPERTIES["offers"]["properties"]
                .items()},
             **{f"contacts.{k}": v for k, v in mappings.POST_PROPERTIES["contacts"]["properties"]
                .items()}}
    query = SearchQuery(text="x", goods=["account"], platform=["qq"], side=["sell"],
                        currency=["CNY"], seller=["qq:1", "2"], source=["tg"],
                        since="2026-01-01", price_min=1, facets=list(FACET_FIELDS))
    for field in fields_named(queries.build_search_request(query)):
        assert field in posts, field
    for by in (None, *GROUP_FIELDS):
        trend = TrendQuery(text="x", goods=["account"], platform=["qq"], seller=["qq:1", "2"],
                           source=["tg"], since="2026-01-01", price_max=3, by=by)
        for field in fields_named(queries.build_trend_request(trend)):
            assert field in mappings.OFFER_PROPERTIES, field


def fields_named(node):
    """Every field name a request refers to."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "field" and isinstance(value, str):
                yield value
            elif key in ("terms", "term", "range", "match") and isinstance(value, dict):
                yield from (k for k in value if k not in queries.AGG_OPTIONS)
                yield from fields_named(value)
            else:
                yield from fields_named(value)
    elif isinstance(node, list):
        for item in node:
            yield from fields_named(item)


def test_a_changed_text_rewrites_the_offers_words_in_place():
    hit = stored_hit()
    actions = documents.extraction_actions(PREFIX, hit, EXTRACTION, "x1")
    old = {**hit["_source"], **actions[-1]["doc"]}
    edited = post(text="出陌陌号 3元", posted_at="2026-10-31T23:00:00+08:00",
                  fetched="2026-11-02T00:00:00+00:00")
    doc, outcome = documents.merge_post(edited, old)
    assert outcome is UpsertOutcome.CHANGED
    moved = documents.moved_offer_actions(PREFIX, doc, old)
    written = [a for a in moved if a["_op_type"] == "index"]
    assert [a["_index"] for a in written] == ["heishi-offers-2026.10"] * 2  # same month
    assert all(a["_source"]["tokens"] == doc["tokens"] for a in written)
    assert not [a for a in moved if a["_op_type"] == "delete"]  # same ids overwritten


def test_the_elastic_store_implements_the_whole_store_interface():
    from index.elastic import ElasticStore

    assert not ElasticStore.__abstractmethods__


# Keyword fields whose values heishi itself chooses (ids, hashes, taxonomy terms, statuses);
# every other keyword holds scraped or configured text of any length.
CHOSEN_KEYWORDS = {"id", "post_id", "evidence_sha256", "extractor_version", "goods",
                   "platform", "side", "currency", "unit", "type", "status"}


def keyword_fields(properties: dict, path: str = ""):
    for name, spec in properties.items():
        if "properties" in spec:
            yield from keyword_fields(spec["properties"], f"{path}{name}.")
        elif spec.get("type") == "keyword" and spec.get("index", True):
            yield f"{path}{name}", name, spec


@pytest.mark.parametrize("kind", mappings.KINDS)
def test_scraped_keywords_are_capped_so_one_huge_value_cannot_fail_a_document(kind):
    for path, name, spec in keyword_fields(mappings.PROPERTIES[kind]):
        if name in CHOSEN_KEYWORDS:
            continue
        assert 0 < spec.get("ignore_above", 0) <= 32766 // 4, f"{kind}.{path}"


def test_a_32kb_contact_reaches_the_index_as_a_capped_keyword():
    huge = "x" * 32_768
    hit = stored_hit()
    extraction = {"is_listing": True, "offers": [], "contacts": [{"type": "url", "value": huge}]}
    update = documents.extraction_actions(PREFIX, hit, extraction, "x1")[-1]["doc"]
    assert huge in update["contacts"][0]["value"]  # kept in _source as written
    limit = mappings.POST_PROPERTIES["contacts"]["properties"]["value"]["ignore_above"]
    assert len(huge) > limit  # so the cluster skips indexing it instead of failing the post
