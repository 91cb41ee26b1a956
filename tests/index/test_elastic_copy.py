"""Copying an embedded store into Elasticsearch: what is read, and what would be written.

The source is a real SQLite store; the bulk actions built from it are checked as data (no
cluster here). The command's failures are checked against real closed ports.
"""

from __future__ import annotations

import json
import socket

import pytest

from index import CrawlRun, Post, open_store
from index.elastic import documents, mappings
from ops.cli import main
from ops.commands.index import copy_rows

OLD, NEW = "2026-11-01T08:00:00+00:00", "2026-11-03T08:00:00+00:00"


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "heishi.db"
    with open_store(str(path)) as store:
        wx = Post(source="tg", key="1", text="出微信老号 400一个 Q 2049385761", fetched_at=OLD,
                  posted_at="2026-10-30T10:00:00+08:00")
        store.upsert_posts([wx])
        store.upsert_posts([Post(source="tg", key="1", text="出微信老号 350一个 Q 2049385761",
                                 fetched_at=NEW, posted_at="2026-10-30T10:00:00+08:00")])
        sms = Post(source="forum", key="2", text="接码 探探1.2元 Soul1元", fetched_at=OLD)
        chat = Post(source="forum", key="3", text="今天谁在", fetched_at=OLD)
        store.upsert_posts([sms, chat])
        store.put_extractions([
            (wx.id, {"is_listing": True,
                     "offers": [{"goods": "account", "platform": "wechat", "price": 350}],
                     "contacts": [{"type": "qq", "value": "2049385761"},
                                  {"type": "wechat", "value": "zck_1188"}]}, "t1"),
            (sms.id, {"is_listing": True,
                      "offers": [{"goods": "sms_code", "platform": "tantan", "price": 1.2},
                                 {"goods": "sms_code", "platform": "soul", "price": 1}],
                      "contacts": []}, "t1"),
        ])
        run = store.start_run(CrawlRun(source="tg", started_at=OLD))
        run.status = "ok"
        store.finish_run(run)
    return path, {"wx": wx.id, "sms": sms.id, "chat": chat.id}


def test_copy_reads_every_post_with_versions_offers_and_all_contacts(source):
    path, ids = source
    with open_store(str(path)) as store:
        rows = {post["id"]: (post, versions, extraction)
                for post, versions, extraction in copy_rows(store)}
    assert set(rows) == set(ids.values())
    post, versions, extraction = rows[ids["wx"]]
    assert [v["text"] for v in versions] == ["出微信老号 400一个 Q 2049385761"]
    assert post["first_seen"] == OLD and post["last_seen"] == NEW
    assert extraction["contacts"] == [{"type": "qq", "value": "2049385761"},
                                      {"type": "wechat", "value": "zck_1188"}]
    assert [o["platform"] for o in rows[ids["sms"]][2]["offers"]] == ["tantan", "soul"]
    assert rows[ids["chat"]][2] is None  # never extracted


def test_copy_actions_from_a_real_store_keep_ids_times_and_are_stable(source):
    path, ids = source
    with open_store(str(path)) as store:
        first = list(documents.copy_actions("heishi", copy_rows(store)))
        second = list(documents.copy_actions("heishi", copy_rows(store)))
    assert first == second
    posts = {a["_id"]: a["_source"] for a in first if a["_index"] == "heishi-posts-000001"}
    assert set(posts) == set(ids.values())
    wx = posts[ids["wx"]]
    assert (wx["first_seen"], wx["last_seen"]) == (OLD, NEW)
    assert wx["at"] == "2026-10-30T02:00:00+00:00"
    assert wx["sellers"] == ["qq:2049385761", "wechat:zck_1188"]
    assert len(wx["versions"]) == 1 and wx["is_listing"] is True
    assert posts[ids["chat"]]["is_listing"] is None and posts[ids["chat"]]["offers"] == []
    offers = [a for a in first if mappings.kind_of("heishi", a["_index"]) == "offers"]
    assert sorted(a["_id"] for a in offers) == sorted(
        [f"{ids['wx']}-0", f"{ids['sms']}-0", f"{ids['sms']}-1"])
    assert {a["_index"] for a in offers} == {"heishi-offers-2026.10", "heishi-offers-2026.11"}
    sellers = [a for a in first if mappings.kind_of("heishi", a["_index"]) == "sellers"]
    assert len(sellers) == 2
    for action in first:
        json.dumps(action)  # every action can go on the wire


def test_a_second_copy_deletes_offers_the_source_no_longer_has(source):
    path, ids = source
    with open_store(str(path)) as store:
        stale = {ids["sms"]: [["heishi-offers-2026.11", f"{ids['sms']}-0"],
                              ["heishi-offers-2026.11", f"{ids['sms']}-5"]]}
        actions = list(documents.copy_actions("heishi", copy_rows(store), stale))
    deletes = [(a["_index"], a["_id"]) for a in actions if a["_op_type"] == "delete"]
    assert deletes == [("heishi-offers-2026.11", f"{ids['sms']}-5")]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_copy_to_an_unreachable_cluster_fails_in_one_line_and_logs_nothing(
        source, tmp_path, capsys, monkeypatch):
    path, _ = source
    audit = tmp_path / "audit.log"
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(audit))
    url = f"http://127.0.0.1:{closed_port()}"
    assert main(["index", "copy", "--to", "es", url, "--store", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("heishi index: error: ") and "cannot reach Elasticsearch" in err
    assert "Traceback" not in err
    assert not audit.exists() or audit.read_text() == ""


def test_copy_refuses_a_cluster_as_source_and_a_missing_store(tmp_path, capsys):
    assert main(["index", "copy", "--to", "es", "http://127.0.0.1:9",
                 "--store", "http://127.0.0.1:9200"]) == 2
    assert "embedded store" in capsys.readouterr().err
    assert main(["index", "copy", "--to", "es", "http://127.0.0.1:9",
                 "--store", str(tmp_path / "none.db")]) == 2
    assert "no store there" in capsys.readouterr().err
