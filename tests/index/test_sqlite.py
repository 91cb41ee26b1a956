"""What only the SQLite backend has: its file, its locks, its schema versions, bad files."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from index import Post, StoreError, open_store
from index.query import SearchQuery, TrendQuery
from index.sqlite import SCHEMA_VERSION, SQLiteStore


def posts(prefix: str, n: int, **fields) -> list[Post]:
    return [Post(source="tg", key=f"{prefix}{i}", text=f"出微信老号 {i}元",
                 fetched_at="2026-11-01T00:00:00+00:00", **fields) for i in range(n)]


def test_new_store_is_wal_versioned_and_makes_its_folder(tmp_path):
    path = tmp_path / "deep" / "er" / "heishi.db"
    with open_store(str(path)) as store:
        store.upsert_posts(posts("a", 1))
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    with open_store(str(path)) as store:  # reopening migrates nothing and keeps the data
        assert store.stats()["posts"] == 1


def test_default_location_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("HEISHI_STORE", str(tmp_path / "env.db"))
    with open_store() as store:
        assert store.path == tmp_path / "env.db"
    monkeypatch.delenv("HEISHI_STORE")
    monkeypatch.chdir(tmp_path)
    with open_store() as store:
        assert store.path.resolve() == (tmp_path / "var" / "heishi.db").resolve()


def test_missing_store_is_not_created_for_reading(tmp_path):
    with pytest.raises(StoreError, match="no store there"):
        open_store(str(tmp_path / "nothing.db"), create=False)
    assert not (tmp_path / "nothing.db").exists()


def test_folder_that_cannot_be_made_is_a_store_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create its folder"):
        open_store(str(tmp_path / "file" / "heishi.db"))


def test_corrupt_file_is_a_store_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is a text file, not a database" * 100)
    with pytest.raises(StoreError, match="not a heishi store or the file is corrupt"):
        open_store(str(bad))
    assert bad.read_bytes().startswith(b"this is a text file")  # left as it was


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this heishi"):
        open_store(str(path))


def test_read_only_store_refuses_writes_and_keeps_data(tmp_path):
    path = tmp_path / "ro.db"
    with open_store(str(path)) as store:
        store.upsert_posts(posts("a", 3))
    with SQLiteStore(path, readonly=True) as store:
        assert store.stats()["posts"] == 3
        with pytest.raises(StoreError, match="read-only"):
            store.upsert_posts(posts("b", 2))
        assert store.search(SearchQuery(text="老号")).total == 3


def test_locked_store_waits_then_fails_cleanly(tmp_path):
    path = tmp_path / "locked.db"
    with open_store(str(path)) as store:
        store.upsert_posts(posts("a", 2))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        with open_store(str(path), timeout=0.2) as store:
            with pytest.raises(StoreError, match="locked by another process"):
                store.upsert_posts(posts("b", 5))
            assert store.stats()["posts"] == 2  # readers are not blocked under WAL
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with open_store(str(path)) as store:
        assert store.upsert_posts(posts("b", 5))  # works once the lock is gone
        assert store.stats()["posts"] == 7


def test_failed_batch_loses_nothing_already_stored(tmp_path):
    with open_store(str(tmp_path / "s.db")) as store:
        store.upsert_posts(posts("a", 3))
        store.upsert_posts(posts("b", 2))
        broken = posts("c", 2)
        broken[1].text = None  # a post without text breaks the NOT NULL rule
        with pytest.raises(StoreError):
            store.upsert_posts(broken)
        assert store.stats()["posts"] == 5  # the whole broken batch rolled back, rest kept


def test_search_during_a_crawl_sees_whole_batches(tmp_path):
    """Each batch is one transaction, so a reader never sees half of one."""
    path = tmp_path / "busy.db"
    batch = 50
    open_store(str(path)).close()
    done = threading.Event()
    failures = []

    def crawl():
        try:
            with open_store(str(path)) as writer:
                for round_ in range(30):
                    new = posts(f"r{round_}-", batch)
                    writer.upsert_posts(new)
                    writer.put_extractions(
                        (p.id, {"is_listing": True, "offers": [{"goods": "account",
                                "platform": "wechat", "side": "sell", "price": 100 + round_,
                                "currency": "CNY", "per_qty": 1, "unit": "item"}],
                                "contacts": []}, "t") for p in new)
        except Exception as exc:  # reported by the reader's assertion below
            failures.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=crawl)
    thread.start()
    seen = []
    with open_store(str(path)) as reader:
        while not done.is_set() or len(seen) < 3:
            result = reader.search(SearchQuery(text="老号", limit=0, facets=["goods"]))
            assert result.total % batch == 0
            assert sum(result.facets.get("goods", {}).values()) <= result.total
            weeks = reader.trend(TrendQuery(interval="week"))
            assert sum(row["offers"] for row in weeks) % batch == 0
            seen.append(result.total)
        thread.join()
        assert not failures, failures
        assert seen == sorted(seen)
        assert any(0 < total < 30 * batch for total in seen)  # it did read mid-crawl
        assert reader.search(SearchQuery(limit=0)).total == 30 * batch


def test_older_schema_is_migrated_with_its_data(tmp_path):
    """A store written by schema 1 opens with every later step applied, offers intact."""
    from index.sqlite import MIGRATIONS, _statements

    path = tmp_path / "v1.db"
    db = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(MIGRATIONS[0]):
        db.execute(statement)
    db.execute("INSERT INTO posts (id, source, key, fetched_at, at, text, first_seen, "
               "last_seen) VALUES ('p1', 'tg', '1', ?, ?, '出微信老号', ?, ?)",
               ("2026-11-19T00:00:00+00:00",) * 4)
    db.execute("INSERT INTO offers (post_id, n, goods, platform, side, price, currency, per_qty, "
               "unit, unit_price, source, posted_at) VALUES ('p1', 0, 'account', 'wechat', "
               "'sell', 400, 'CNY', 1, 'item', 400, 'tg', '2026-11-19T00:00:00+00:00')")
    db.execute("INSERT INTO contacts VALUES ('p1', 'qq:2049385761', 'qq', '2049385761')")
    db.execute("PRAGMA user_version = 1")
    db.close()
    with open_store(str(path)) as store:
        rows = store.trend(TrendQuery(interval="week"))
        assert [(r["period"], r["start"], r["offers"], r["price_median"]) for r in rows] == [
            ("2026-W47", "2026-11-16", 1, 400)]
        assert store.seller("2049385761")["goods"] == {"account": 1}
        assert store.search(SearchQuery(seller=["qq:2049385761"])).total == 1
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
