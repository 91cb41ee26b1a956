"""What the Elasticsearch store does against a server, shown on a fake one over loopback.

The fake (:mod:`tests.index.fake_cluster`) answers as a cluster would to the requests heishi
sends, including refusals a least-privilege key gets, conflicting writers and failed shards;
these tests check what heishi sends, in which order, and what the user is told.
"""

from __future__ import annotations

import elasticsearch
import pytest

from index import Post, StoreError
from index.elastic import ElasticStore, queries
from index.elastic.connection import CLIENT_REQUIREMENT
from index.query import TrendQuery
from tests.index.fake_cluster import FakeCluster

EXTRACTION = {
    "is_listing": True,
    "offers": [{"goods": "account", "platform": "wechat", "side": "sell", "price": 400,
                "price_max": None, "currency": "CNY", "per_qty": 1, "unit": "item",
                "min_qty": None}],
    "contacts": [{"type": "qq", "value": "2049385761"}],
}


def post(key: str, posted_at: str = "2026-10-31T10:00:00+00:00", text: str = "出微信老号 400一个"):
    return Post(source="tg", key=key, text=text, posted_at=posted_at,
                fetched_at="2026-11-01T08:00:00+00:00")


def store(cluster: FakeCluster, **options) -> ElasticStore:
    return ElasticStore(cluster.url, prefix="heishi", max_retries=0, **options)


def test_the_installed_client_talks_to_8x_and_9x_servers():
    assert elasticsearch.__versionstr__.startswith("8."), CLIENT_REQUIREMENT
    for version in ("8.9.0", "8.19.2", "9.1.0"):
        with FakeCluster(version) as cluster, store(cluster) as opened:
            opened.upsert_posts([post("m1")])
            assert opened.get_post(post("m1").id)["text"] == "出微信老号 400一个"
            assert opened.version == tuple(int(n) for n in version.split(".")[:2])


def test_a_server_the_client_cannot_talk_to_names_the_client_to_install():
    with FakeCluster("7.17.0") as cluster, pytest.raises(StoreError) as caught:
        store(cluster)
    assert "refuses this client's API version" in str(caught.value)
    assert CLIENT_REQUIREMENT in str(caught.value)


def test_a_key_without_the_monitor_privilege_opens_the_store():
    with FakeCluster() as cluster:
        cluster.refused = {"monitor"}
        with store(cluster) as opened:
            assert opened.version is None
            opened.upsert_posts([post("m1")])
            assert opened.stats is not None
        assert "GET /" in cluster.paths()  # asked, and its 403 taken as "reachable"


def test_a_writer_key_writes_into_indices_an_administrator_set_up():
    with FakeCluster() as cluster:
        with store(cluster) as admin:
            admin.setup(admin=True)
        cluster.refused = {"monitor", "templates", "mapping"}
        with store(cluster) as writer:
            writer.upsert_posts([post("m1")])
            writer.put_extraction(post("m1").id, EXTRACTION, "x1")
            assert writer.get_post(post("m1").id)["is_listing"] is True


def test_a_writer_key_on_a_cluster_nobody_set_up_is_told_what_to_do():
    with FakeCluster() as cluster:
        cluster.refused = {"templates", "mapping"}
        with store(cluster) as writer, pytest.raises(StoreError, match="heishi index setup"):
            writer.upsert_posts([post("m1")])


def test_an_administrator_setup_refused_is_an_error():
    with FakeCluster() as cluster:
        cluster.refused = {"templates"}
        with store(cluster) as admin, pytest.raises(StoreError, match="403"):
            admin.setup(admin=True)


def test_reads_by_id_name_the_concrete_index_not_the_alias():
    with FakeCluster() as cluster, store(cluster) as opened:
        opened.upsert_posts([post("m1")])
        opened.get_post(post("m1").id)
        run = opened.start_run(_run())
        opened.finish_run(run)
        by_id = [p for p in cluster.paths() if p.endswith(("_mget",)) or "/_doc/" in p]
        assert by_id and all("heishi-posts-000001" in p or "heishi-runs-000001" in p
                             for p in by_id), by_id


def _run():
    from index.records import CrawlRun

    return CrawlRun(source="tg", started_at="2026-11-01T08:00:00+00:00")


def offer_actions(lines: list[dict]) -> list[dict]:
    return [line for line in lines if "-offers-" in next(iter(line.values()))["_index"]]


def test_offers_move_only_after_their_post_is_written():
    with FakeCluster() as cluster, store(cluster) as opened:
        opened.upsert_posts([post("m1")])
        opened.put_extraction(post("m1").id, EXTRACTION, "x1")
        before = len(cluster.bulk_lines())
        moved = post("m1", posted_at="2026-12-02T10:00:00+00:00", text="出微信老号 380一个")

        cluster.conflict_posts = True  # another writer wins every round
        with pytest.raises(StoreError, match="kept changing"):
            opened.upsert_posts([moved])
        lost = cluster.bulk_lines()[before:]
        assert lost and not any(offer_actions(lines) for lines in lost)
        assert cluster.indices["heishi-offers-2026.10"]["docs"]  # still where they were

        cluster.conflict_posts = False
        before = len(cluster.bulk_lines())
        opened.upsert_posts([moved])
        won = cluster.bulk_lines()[before:]
        assert not offer_actions(won[0])  # the post write goes alone, first
        assert offer_actions(won[1])
        assert cluster.indices["heishi-offers-2026.12"]["docs"]
        assert not cluster.indices["heishi-offers-2026.10"]["docs"]


def test_full_reads_page_through_a_point_in_time():
    with FakeCluster() as cluster, store(cluster, chunk_size=2) as opened:
        opened.upsert_posts([post(f"m{n}") for n in range(5)])
        assert len(list(opened.iter_posts())) == 5
        paths = cluster.paths()
        assert "POST /heishi-posts/_pit" in paths and "DELETE /_pit" in paths
        assert paths.count("POST /_search") == 3  # 2 + 2 + 1: the short page is the last
        assert not any("scroll" in p for p in paths)


def test_a_failed_shard_is_one_clear_error_and_the_point_in_time_is_closed():
    with FakeCluster() as cluster, store(cluster) as opened:
        opened.upsert_posts([post("m1")])
        cluster.failed_shards = 1
        with pytest.raises(StoreError) as caught:
            list(opened.iter_posts())
        message = str(caught.value)
        assert "1 of 3 shards failed" in message and "node_not_connected_exception" in message
        assert "\n" not in message
        assert cluster.paths()[-1] == "DELETE /_pit"


def trend_bucket(day: str, platform: str | None) -> dict:
    return {"key": {"period": day, "by": platform, "unit": "item", "currency": "CNY"},
            "doc_count": 1, "sellers": {"value": 1},
            "priced": {"doc_count": 1, "quartiles": {"values": {"50.0": 4.0}},
                       "mean": {"value": 4.0}}}


def test_a_trend_reads_every_page_and_refuses_an_endless_one(monkeypatch):
    query = TrendQuery(interval="day", by="platform")
    with FakeCluster() as cluster, store(cluster) as opened:
        opened.setup()
        cluster.trend_pages = [
            {"aggregations": {"trend": {"buckets": [trend_bucket("2026-11-01", "qq")],
                                        "after_key": {"period": 1, "by": "qq"}}}},
            {"aggregations": {"trend": {"buckets": [trend_bucket("2026-11-02", None)],
                                        "after_key": {"period": 2, "by": None}}}},
            {"aggregations": {"trend": {"buckets": []}}},
        ]
        rows = opened.trend(query)
        assert [(r["period"], r["platform"]) for r in rows] == [("2026-11-01", "qq"),
                                                                ("2026-11-02", "none")]
        sent = [body for _, path, body in cluster.requests if path.endswith("_search?")
                or "_search" in path and body and "aggs" in body]
        assert [b["aggs"]["trend"]["composite"].get("after") for b in sent] == [
            None, {"period": 1, "by": "qq"}, {"period": 2, "by": None}]

        monkeypatch.setattr(queries, "MAX_TREND_ROWS", 2)
        cluster.trend_pages = [
            {"aggregations": {"trend": {"buckets": [trend_bucket(f"2026-11-0{n}", "qq")],
                                        "after_key": {"period": n, "by": "qq"}}}}
            for n in range(1, 5)
        ]
        with pytest.raises(StoreError, match="narrow the range"):
            opened.trend(query)


def test_the_trend_command_says_which_figures_are_approximate(monkeypatch, capsys):
    from ops.cli import main

    with FakeCluster("8.8.2") as cluster:
        monkeypatch.setenv("HEISHI_STORE", cluster.url)
        with store(cluster) as opened:
            opened.setup()
        cluster.trend_pages = [{"aggregations": {"trend": {"buckets": [
            trend_bucket("2026-11-02", None)], "after_key": {"period": 1}}}}]
        assert main(["trend", "--interval", "week"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "approximate" in out and "before 8.9" in out


def test_index_setup_is_the_administrators_step(capsys):
    from ops.cli import main

    with FakeCluster() as cluster:
        cluster.refused = {"templates"}
        assert main(["index", "setup", cluster.url]) == 2
        assert "403" in capsys.readouterr().err
        cluster.refused = set()
        assert main(["index", "setup", cluster.url, "--prefix", "ti"]) == 0
        assert set(cluster.templates) == {f"ti-{kind}" for kind in
                                          ("posts", "offers", "sellers", "runs")}


def test_index_copy_writes_under_the_prefix_from_the_environment(tmp_path, monkeypatch):
    from index import open_store
    from ops.cli import main

    path = tmp_path / "heishi.db"
    with open_store(str(path)) as local:
        local.upsert_posts([post("m1")])
    monkeypatch.setenv("HEISHI_ES_PREFIX", "ti")
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    with FakeCluster() as cluster:
        cluster.trend_pages = []
        assert main(["index", "copy", "--to", "es", cluster.url, "--store", str(path)]) == 0
        assert post("m1").id in cluster.indices["ti-posts-000001"]["docs"]
        assert not any(name.startswith("heishi-") for name in cluster.indices)
