"""Against a real cluster, when ``ES_URL`` names one (skipped otherwise).

The store contract (``test_store_contract.py``) already runs on Elasticsearch then; these add
what only the Elasticsearch backend has: index layout, concurrent writers, and the copy.
"""

from __future__ import annotations

import os
import uuid

import pytest

from index import CrawlRun, Post, UpsertOutcome, open_store
from index.elastic import ElasticStore, mappings
from ops.cli import main

pytestmark = pytest.mark.skipif(not os.environ.get("ES_URL"), reason="ES_URL not set")


@pytest.fixture
def prefix():
    return f"heishi-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def es(prefix):
    store = ElasticStore(os.environ["ES_URL"], prefix=prefix)
    try:
        yield store
    finally:
        store.drop()
        store.close()


def post(key, text, fetched, posted=None):
    return Post(source="tg", key=key, text=text, fetched_at=fetched, posted_at=posted)


def test_layout_templates_aliases_and_monthly_offer_indices(es, prefix):
    first = post("1", "出微信老号 400一个", "2026-10-05T00:00:00+00:00")
    later = post("2", "接码 1元", "2026-11-05T00:00:00+00:00")
    es.upsert_posts([first, later])
    es.put_extractions([
        (first.id, {"offers": [{"goods": "account", "price": 400}]}, "t1"),
        (later.id, {"offers": [{"goods": "sms_code", "price": 1}]}, "t1"),
    ])
    es.flush()
    indices = es.client.indices.get(index=f"{prefix}-*")
    assert {f"{prefix}-offers-2026.10", f"{prefix}-offers-2026.11",
            f"{prefix}-posts-000001"} <= set(indices)
    for name, index in indices.items():
        kind = mappings.kind_of(prefix, name)
        assert index["mappings"]["dynamic"] in (False, "false")
        assert mappings.alias(prefix, kind) in index["aliases"]


def test_two_stores_writing_one_post_keep_every_version(es, prefix):
    other = ElasticStore(os.environ["ES_URL"], prefix=prefix)
    try:
        base = post("m", "v0", "2026-11-01T00:00:00+00:00")
        assert es.upsert_posts([base]) == [UpsertOutcome.NEW]
        outcomes = []
        for n, store in enumerate([es, other, es, other], 1):
            outcomes += store.upsert_posts([post("m", f"v{n}", f"2026-11-0{n + 1}T00:00:00+00:00")])
        assert outcomes == [UpsertOutcome.CHANGED] * 4
        assert [v["text"] for v in es.post_versions(base.id)] == ["v0", "v1", "v2", "v3"]
    finally:
        other.close()


def test_copy_twice_gives_the_same_documents(tmp_path, prefix, capsys, monkeypatch):
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    path = tmp_path / "heishi.db"
    with open_store(str(path)) as source:
        posts = [post(str(i), f"出QQ号 {i}元", "2026-11-01T00:00:00+00:00") for i in range(30)]
        source.upsert_posts(posts)
        source.put_extractions([(p.id, {"offers": [{"goods": "account", "platform": "qq",
                                                    "price": i}],
                                        "contacts": [{"type": "qq", "value": str(i % 4)}]}, "t1")
                                for i, p in enumerate(posts)])
        source.start_run(CrawlRun(source="tg"))
        expected = source.stats()
    argv = ["index", "copy", "--to", "es", os.environ["ES_URL"], "--store", str(path),
            "--prefix", prefix]
    try:
        assert main(argv) == 0
        with ElasticStore(os.environ["ES_URL"], prefix=prefix) as target:
            once = target.stats()
        assert main(argv) == 0
        with ElasticStore(os.environ["ES_URL"], prefix=prefix) as target:
            twice = target.stats()
            for name in ("posts", "offers", "sellers", "runs"):
                assert once[name] == twice[name] == expected[name], name
            assert target.seller("qq:1")["posts"] == 8
    finally:
        with ElasticStore(os.environ["ES_URL"], prefix=prefix) as target:
            target.drop()
    assert "index copy" in (tmp_path / "audit.log").read_text()
