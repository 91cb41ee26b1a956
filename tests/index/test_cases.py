"""The takedown case ledger of the store: states, who and when, checks, all-or-nothing."""

from __future__ import annotations

import sqlite3

import pytest

from index import StoreError, open_store
from index.sqlite import MIGRATIONS, SQLiteStore


def case(id: str, *posts: str, platform: str = "telegram") -> dict:
    return {"id": id, "platform": platform, "host": "t.me", "created_by": "ana",
            "created_at": "2026-11-30T08:00:00+00:00", "target": {"seller": "@x"},
            "bundle": f"/cases/{id}", "report_to": "abuse@telegram.org",
            "posts": [{"post_id": p, "url": f"https://t.me/c/{p}", "evidence_sha256": "a" * 64}
                      for p in posts]}


def test_elasticsearch_says_cases_are_not_supported_yet(store):
    if isinstance(store, SQLiteStore):
        pytest.skip("the embedded store keeps cases (tested below)")
    with pytest.raises(StoreError, match="not supported on Elasticsearch yet"):
        store.add_cases([case("TD-1", "p1")])


def test_takedown_on_an_elasticsearch_store_is_one_clear_error(tmp_path, capsys):
    from ops.cli import main
    from tests.index.fake_cluster import FakeCluster

    with FakeCluster("8.19.2") as cluster:
        assert main(["takedown", "--store", cluster.url, "list"]) == 2
        assert "not supported on Elasticsearch yet" in capsys.readouterr().err
        config = tmp_path / "takedown.yaml"
        config.write_text("requester: {name: a, organisation: b, email: a@b.example}\n")
        assert main(["takedown", "--store", cluster.url, "--config", str(config),
                     "--out", str(tmp_path / "out"), "--query", "x"]) == 2
        assert "not supported on Elasticsearch yet" in capsys.readouterr().err
        assert not (tmp_path / "out").exists()


@pytest.fixture
def sqlite(tmp_path):
    with open_store(str(tmp_path / "heishi.db")) as store:
        yield store


def test_a_case_goes_from_drafted_to_removed_with_who_and_when(sqlite):
    sqlite.add_cases([case("TD-1", "p1", "p2")])
    got = sqlite.get_case("TD-1")
    assert got["state"] == "drafted" and got["target"] == {"seller": "@x"}
    assert [p["post_id"] for p in got["posts"]] == ["p1", "p2"]
    assert [(e["kind"], e["state"], e["by"]) for e in got["events"]] == [
        ("state", "drafted", "ana")]
    sqlite.set_case_state("TD-1", "sent", by="bo", at="2026-11-30T09:00:00+08:00",
                          note="ticket 7")
    sqlite.set_case_state("TD-1", "acknowledged", by="bo")
    sqlite.record_case_check("TD-1", "p1", url="https://t.me/c/p1", outcome="gone", by="cron",
                             at="2026-12-01T00:00:00+00:00", evidence_sha256="b" * 64)
    sqlite.record_case_check("TD-1", "p2", url="https://t.me/c/p2", outcome="up", by="cron")
    got = sqlite.get_case("TD-1")
    assert got["posts"][0]["removed_at"] == "2026-12-01T00:00:00+00:00"
    assert got["posts"][0]["removal_sha256"] == "b" * 64
    assert got["posts"][1]["removed_at"] is None
    sent = next(e for e in got["events"] if e["state"] == "sent")
    assert sent["at"] == "2026-11-30T01:00:00+00:00" and sent["note"] == "ticket 7"
    assert [e["outcome"] for e in got["events"] if e["kind"] == "check"] == ["gone", "up"]
    sqlite.set_case_state("TD-1", "removed", by="cron")
    assert [c["id"] for c in sqlite.cases(["removed"])] == ["TD-1"]
    assert sqlite.cases(["drafted", "sent", "acknowledged"]) == []


def test_what_cannot_happen_is_refused_and_changes_nothing(sqlite):
    sqlite.add_cases([case("TD-1", "p1")])
    sqlite.set_case_state("TD-1", "sent", by="x")
    before = sqlite.get_case("TD-1")
    with pytest.raises(StoreError, match="is sent: it can become acknowledged, removed, "
                                         "rejected, not drafted"):
        sqlite.set_case_state("TD-1", "drafted", by="x")
    with pytest.raises(StoreError, match="already sent"):
        sqlite.set_case_state("TD-1", "sent", by="x")
    with pytest.raises(StoreError, match="not one of"):
        sqlite.set_case_state("TD-1", "lost", by="x")
    with pytest.raises(StoreError, match="no case TD-9"):
        sqlite.set_case_state("TD-9", "sent", by="x")
    with pytest.raises(StoreError, match="does not list post p9"):
        sqlite.record_case_check("TD-1", "p9", url=None, outcome="gone", by="x")
    with pytest.raises(StoreError, match="already in the ledger"):
        sqlite.add_cases([case("TD-2", "p2"), case("TD-1", "p1")])  # all or none
    assert sqlite.get_case("TD-1") == before
    assert sqlite.get_case("TD-2") is None


def test_a_store_made_before_cases_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.db"
    step = next(i for i, script in enumerate(MIGRATIONS) if " cases (" in script)
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:step]:  # the schema as shipped before the ledger
        db.executescript(script)
    db.execute(f"PRAGMA user_version = {step}")
    db.commit()
    db.close()
    with open_store(str(path)) as store:
        store.add_cases([case("TD-1", "p1")])
        assert store.get_case("TD-1")["state"] == "drafted"
