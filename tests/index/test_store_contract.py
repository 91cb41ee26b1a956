"""The store contract: the same behaviour from every backend (``store`` fixture in conftest)."""

from __future__ import annotations

from index import CrawlRun, Post, UpsertOutcome


def post(key: str, text: str, *, source: str = "tg", fetched: str = "2026-11-01T08:00:00+00:00",
         **fields) -> Post:
    return Post(source=source, key=key, text=text, fetched_at=fetched, **fields)


# -- posts ------------------------------------------------------------------------------------


def test_new_then_seen_then_changed_keeps_versions(store):
    first = post("m1", "出微信老号 400一个", fetched="2026-11-01T08:00:00+00:00",
                 evidence_sha256="a" * 64)
    assert store.upsert_posts([first]) == [UpsertOutcome.NEW]
    again = post("m1", "出微信老号 400一个", fetched="2026-11-02T08:00:00+00:00")
    assert store.upsert_posts([again]) == [UpsertOutcome.SEEN]
    edited = post("m1", "出微信老号 350一个", fetched="2026-11-03T08:00:00+00:00",
                  evidence_sha256="b" * 64)
    assert store.upsert_posts([edited]) == [UpsertOutcome.CHANGED]
    store.flush()

    stored = store.get_post(first.id)
    assert stored["id"] == first.id
    assert stored["text"] == "出微信老号 350一个"
    assert stored["first_seen"] == "2026-11-01T08:00:00+00:00"
    assert stored["last_seen"] == "2026-11-03T08:00:00+00:00"
    assert stored["evidence_sha256"] == "b" * 64
    versions = store.post_versions(first.id)
    assert [v["text"] for v in versions] == ["出微信老号 400一个"]
    assert versions[0]["seen_at"] == "2026-11-02T08:00:00+00:00"
    assert versions[0]["evidence_sha256"] == "a" * 64


def test_same_post_twice_in_one_batch_is_stored_once(store):
    one = post("m1", "接码 1元")
    outcomes = store.upsert_posts([one, one, post("m2", "收码")])
    store.flush()
    assert outcomes == [UpsertOutcome.NEW, UpsertOutcome.SEEN, UpsertOutcome.NEW]
    assert len(list(store.iter_posts())) == 2
    assert store.stats()["posts"] == 2


def test_post_fields_and_extra_round_trip(store):
    full = post("m9", "出QQ号", url="https://t.me/market/9", channel="market", author="@bob",
                title="QQ号", price_text="5元", posted_at="2026-10-31T23:00:00+08:00",
                extra={"views": 120, "tags": ["qq"]})
    store.upsert_posts([full])
    store.flush()
    stored = store.get_post(full.id)
    for name in ("source", "key", "url", "channel", "author", "title", "price_text",
                 "posted_at", "fetched_at", "text"):
        assert stored[name] == getattr(full, name), name
    assert stored["extra"] == {"views": 120, "tags": ["qq"]}
    assert store.get_post("no-such-id") is None
    assert store.post_versions(full.id) == []


def test_last_seen_answers_only_stored_ids(store):
    a, b = post("a", "x", fetched="2026-11-01T00:00:00+00:00"), post("b", "y")
    store.upsert_posts([a, b])
    store.upsert_posts([post("a", "x", fetched="2026-11-05T00:00:00+00:00")])
    store.flush()
    seen = store.last_seen([a.id, "unknown", b.id])
    assert seen == {a.id: "2026-11-05T00:00:00+00:00", b.id: "2026-11-01T08:00:00+00:00"}
    assert store.last_seen([]) == {}


def test_iter_posts_by_source(store):
    store.upsert_posts([post(str(i), f"t{i}", source="tg" if i % 2 else "forum")
                        for i in range(7)])
    store.flush()
    assert len(list(store.iter_posts())) == 7
    assert {p["key"] for p in store.iter_posts("tg")} == {"1", "3", "5"}


# -- crawl runs ---------------------------------------------------------------------------


def test_runs_start_finish_latest_first(store):
    first = store.start_run(CrawlRun(source="tg", started_at="2026-11-01T00:00:00+00:00"))
    assert first.id is not None
    first.status, first.pages, first.posts_new, first.errors = "ok", 3, 10, ["page 2: 503"]
    first.finished_at = "2026-11-01T00:05:00+00:00"
    store.finish_run(first)
    second = store.start_run(CrawlRun(source="forum", started_at="2026-11-02T00:00:00+00:00"))
    store.flush()

    runs = store.runs()
    assert [r.id for r in runs] == [second.id, first.id]
    assert runs[1].status == "ok" and runs[1].pages == 3 and runs[1].posts_new == 10
    assert runs[1].errors == ["page 2: 503"]
    assert runs[0].status == "running"
    assert [r.source for r in store.runs(source="tg")] == ["tg"]
    assert len(store.runs(limit=1)) == 1


def test_stats_counts_per_source(store):
    store.upsert_posts([post("1", "a"), post("2", "b"), post("3", "c", source="forum")])
    store.start_run(CrawlRun(source="tg"))
    store.flush()
    stats = store.stats()
    assert stats["posts"] == 3 and stats["runs"] == 1
    assert stats["sources"]["tg"]["posts"] == 2
    assert stats["sources"]["forum"]["posts"] == 1
    assert stats["sources"]["tg"]["runs"] == 1
