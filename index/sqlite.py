"""The embedded store: one SQLite file in WAL mode.

WAL lets a search read a consistent snapshot while a crawl writes; every write call is one
transaction (``BEGIN IMMEDIATE``, so a second writer waits up to ``timeout`` instead of failing
half-way). The schema is versioned with ``PRAGMA user_version`` and brought up to date on open.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from index import sqlite_weeks
from index.errors import StoreError
from index.private import private_dir, restrict, touch_private
from index.query import (
    CONTACT_TYPES,
    Filters,
    SearchQuery,
    SearchResult,
    TrendQuery,
    parse_contact,
    period_of,
    price_figures,
)
from index.query import (
    OFFER_FIELDS as QUERY_OFFER_FIELDS,
)
from index.records import (
    CASE_STATES,
    OFFER_FIELDS,
    POST_FIELDS,
    CrawlRun,
    Post,
    check_case_transition,
    check_run,
    contact_key,
    utc_time,
    utcnow,
)
from index.sales import SALES_INTERVALS, StockReading, estimate_sales
from index.sqlite_query import EPOCH, matching_offers, matching_posts, offer_conditions
from index.store import Store, UpsertOutcome
from index.tokens import document_tokens

# Each entry brings the schema from version i to i + 1; never edit one that has shipped.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE posts (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        key TEXT NOT NULL,
        url TEXT, channel TEXT, author TEXT, title TEXT, price_text TEXT,
        posted_at TEXT,
        fetched_at TEXT NOT NULL,
        at TEXT NOT NULL,              -- posted_at in UTC, else fetched_at: what dates filter on
        evidence_sha256 TEXT,
        extra TEXT NOT NULL DEFAULT '{}',
        text TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        is_listing INTEGER,
        extractor_version TEXT
    );
    CREATE INDEX posts_at ON posts(at);
    CREATE INDEX posts_source_at ON posts(source, at);

    CREATE TABLE post_versions (
        post_id TEXT NOT NULL,
        text TEXT NOT NULL,
        title TEXT,
        seen_at TEXT NOT NULL,         -- last time this text was seen
        evidence_sha256 TEXT,
        replaced_at TEXT NOT NULL
    );
    CREATE INDEX post_versions_post ON post_versions(post_id);

    CREATE VIRTUAL TABLE posts_fts USING fts5(body, tokenize="unicode61 separators ' '");

    CREATE TABLE offers (
        post_id TEXT NOT NULL,
        n INTEGER NOT NULL,
        goods TEXT NOT NULL,
        platform TEXT,
        side TEXT,
        price REAL,
        price_max REAL,
        currency TEXT,
        per_qty INTEGER,
        unit TEXT,
        min_qty INTEGER,
        unit_price REAL,
        source TEXT NOT NULL,
        posted_at TEXT NOT NULL,
        seller_key TEXT,
        extractor_version TEXT,
        PRIMARY KEY (post_id, n)
    );
    CREATE INDEX offers_at ON offers(posted_at, unit_price);
    CREATE INDEX offers_goods_at ON offers(goods, posted_at);
    CREATE INDEX offers_platform_at ON offers(platform, posted_at);
    CREATE INDEX offers_seller ON offers(seller_key);

    CREATE TABLE contacts (
        post_id TEXT NOT NULL,
        key TEXT NOT NULL,             -- type:value, the seller key
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (post_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX contacts_key ON contacts(key);

    -- Sellers are derived, never stored twice: a contact across every post and source.
    CREATE VIEW sellers AS
        SELECT c.key AS key, c.type AS type, c.value AS value,
               min(p.first_seen) AS first_seen, max(p.last_seen) AS last_seen,
               count(*) AS posts, group_concat(DISTINCT p.source) AS sources
        FROM contacts c JOIN posts p ON p.id = c.post_id
        GROUP BY c.key;

    CREATE TABLE crawl_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        pages INTEGER NOT NULL DEFAULT 0,
        posts_new INTEGER NOT NULL DEFAULT 0,
        posts_seen INTEGER NOT NULL DEFAULT 0,
        posts_changed INTEGER NOT NULL DEFAULT 0,
        errors TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX crawl_runs_source ON crawl_runs(source, id);
    """,
    # 2: offers are kept in crawl order by their post's integer key (appends, not random
    # inserts into an index of hashes; a post's offers sit together), and carry a day number
    # so that trends bucket ISO weeks by integer arithmetic instead of parsing dates.
    """
    CREATE TABLE offers_v2 (
        post_pk INTEGER NOT NULL,      -- posts.pk
        n INTEGER NOT NULL,
        post_id TEXT NOT NULL,
        goods TEXT NOT NULL,
        platform TEXT,
        side TEXT,
        price REAL,
        price_max REAL,
        currency TEXT,
        per_qty INTEGER,
        unit TEXT,
        min_qty INTEGER,
        unit_price REAL,
        source TEXT NOT NULL,
        posted_at TEXT NOT NULL,
        seller_key TEXT,
        extractor_version TEXT,
        day INTEGER NOT NULL,          -- days since 1970-01-01 of posted_at (UTC)
        PRIMARY KEY (post_pk, n)
    ) WITHOUT ROWID;
    INSERT INTO offers_v2
        SELECT p.pk, o.n, o.post_id, o.goods, o.platform, o.side, o.price, o.price_max,
               o.currency, o.per_qty, o.unit, o.min_qty, o.unit_price, o.source, o.posted_at,
               o.seller_key, o.extractor_version,
               CAST(julianday(substr(o.posted_at, 1, 10)) - 2440587.5 AS INTEGER)
        FROM offers o JOIN posts p ON p.id = o.post_id;
    DROP TABLE offers;
    ALTER TABLE offers_v2 RENAME TO offers;
    CREATE INDEX offers_day ON offers(day);
    CREATE INDEX offers_goods_day ON offers(goods, day);
    CREATE INDEX offers_platform_day ON offers(platform, day);
    """,
    # 3: trends read covering indexes (a third of the table's bytes, no row look-ups) by day
    # and by goods; contacts too are kept by their post's integer key, and found by value.
    """
    DROP INDEX offers_day;
    DROP INDEX offers_goods_day;
    CREATE INDEX offers_trend_day ON offers(
        day, goods, platform, side, currency, unit, source, unit_price, seller_key);
    CREATE INDEX offers_trend_goods ON offers(
        goods, day, platform, side, currency, unit, source, unit_price, seller_key);

    CREATE TABLE contacts_v3 (
        post_pk INTEGER NOT NULL,      -- posts.pk
        key TEXT NOT NULL,             -- type:value, the seller key
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (post_pk, key)
    ) WITHOUT ROWID;
    INSERT INTO contacts_v3
        SELECT p.pk, c.key, c.type, c.value FROM contacts c JOIN posts p ON p.id = c.post_id;
    DROP VIEW sellers;
    DROP TABLE contacts;
    ALTER TABLE contacts_v3 RENAME TO contacts;
    CREATE INDEX contacts_key ON contacts(key);
    CREATE INDEX contacts_value ON contacts(value);
    CREATE VIEW sellers AS
        SELECT c.key AS key, c.type AS type, c.value AS value,
               min(p.first_seen) AS first_seen, max(p.last_seen) AS last_seen,
               count(*) AS posts, group_concat(DISTINCT p.source) AS sources
        FROM contacts c JOIN posts p ON p.pk = c.post_pk
        GROUP BY c.key;
    """,
    # 4: weekly aggregates per (goods, platform, side, unit, currency, source), which trends
    # and the digest read (index.weekly); sellers' first and last offers; posts by first_seen
    # (what alerts read since their watermark). Filled from the offers on upgrade.
    sqlite_weeks.MIGRATION,
    # 5: takedown cases: one request to one host platform about some posts, and the history of
    # what happened to it (state changes and re-fetches), appended, never rewritten.
    # Idempotent, so an earlier step can be replayed on a store that has it.
    """
    CREATE TABLE IF NOT EXISTS cases (
        id TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        host TEXT,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '{}',  -- how the posts were chosen (post, seller, query)
        bundle TEXT,                        -- where the request and evidence were written
        report_to TEXT
    );
    CREATE INDEX IF NOT EXISTS cases_state ON cases(state);

    CREATE TABLE IF NOT EXISTS case_posts (
        case_id TEXT NOT NULL REFERENCES cases(id),
        n INTEGER NOT NULL,
        post_id TEXT NOT NULL,
        url TEXT,
        evidence_sha256 TEXT,
        removed_at TEXT,                    -- first re-fetch that found it gone
        removal_sha256 TEXT,                -- that response, in the evidence archive
        PRIMARY KEY (case_id, n)
    );
    CREATE INDEX IF NOT EXISTS case_posts_post ON case_posts(post_id);

    CREATE TABLE IF NOT EXISTS case_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id TEXT NOT NULL REFERENCES cases(id),
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        kind TEXT NOT NULL,                 -- state | check
        state TEXT,                         -- the new state (state events)
        post_id TEXT,                       -- the post re-fetched (check events)
        url TEXT,
        outcome TEXT,                       -- gone | up | unreachable (check events)
        note TEXT,
        evidence_sha256 TEXT
    );
    CREATE INDEX IF NOT EXISTS case_events_case ON case_events(case_id, id);
    """,
    # Stock readings of code-receiving platforms (sms_api sources): numbers available per
    # service and country at each crawl; falls between readings are the estimated sales.
    # Idempotent, so an earlier step can be replayed on a store that has it.
    """
    CREATE TABLE IF NOT EXISTS stock_readings (
        source TEXT NOT NULL,
        service TEXT NOT NULL,
        country TEXT NOT NULL,
        read_at TEXT NOT NULL,
        count INTEGER NOT NULL,
        price REAL,
        currency TEXT NOT NULL,
        platform TEXT,
        PRIMARY KEY (source, service, country, read_at)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS stock_readings_time ON stock_readings(read_at);
    """,
    # 7: weeks whose aggregates wait for a refresh (sqlite_weeks: writes mark, readers merge).
    sqlite_weeks.STALE_MIGRATION,
]
SCHEMA_VERSION = len(MIGRATIONS)

CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


class SQLiteStore(Store):
    """Posts, offers, sellers and crawl runs in one SQLite file.

    ``timeout`` is how long to wait for another writer before giving up with a
    :class:`StoreError`; ``readonly`` opens the file without write access (and never creates
    it); ``create=False`` refuses to create a missing store, for commands that only read.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        timeout: float = 10.0,
        readonly: bool = False,
        create: bool = True,
    ) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.readonly = readonly
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._wrote = False
        self._touched: set[int] = set()  # weeks whose offers this write changed
        if str(path) != ":memory:" and not self.path.exists():
            if readonly or not create:
                raise StoreError(f"{self.path}: no store there (crawl or import something first)")
            try:
                private_dir(self.path.parent)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create its folder: {exc}") from None
            try:
                touch_private(self.path)  # SQLite gives its WAL and -shm files this mode
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create it: {exc}") from None
        elif str(path) != ":memory:" and not readonly:
            if not create and not os.access(self.path, os.W_OK):
                # Only reading, from a file we may not write (an archived copy, another
                # user's store): read it as it is rather than fail on the WAL switch.
                self.readonly = readonly = True
            else:
                for name in ("", "-wal", "-shm"):  # a store made before files were owner-only
                    restrict(f"{self.path}{name}")
        with self._errors("open"):
            if readonly:
                db = self._connect_readonly(timeout)
            else:
                db = sqlite3.connect(str(path), timeout=timeout, check_same_thread=False,
                                     isolation_level=None)
            self._db = db
            db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            db.execute("PRAGMA foreign_keys = ON")
            # Big loads and whole-history trends touch many pages: keep 64 MiB of them, and
            # sort GROUP BY in memory rather than in temp files.
            db.execute("PRAGMA cache_size = -65536")
            db.execute("PRAGMA temp_store = MEMORY")
            if not readonly:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    def _connect_readonly(self, timeout: float) -> sqlite3.Connection:
        """Read-only; in a folder we cannot write, SQLite cannot make the WAL index beside the
        file, so the file is read as immutable (nobody can be writing it there either)."""
        uri = self.path.resolve().as_uri()
        try:
            db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout,
                                 check_same_thread=False, isolation_level=None)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            if os.access(self.path.parent, os.W_OK):
                raise
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout,
                               check_same_thread=False, isolation_level=None)

    # -- plumbing ------------------------------------------------------------------------
    @contextmanager
    def _errors(self, doing: str):
        """Turn SQLite's errors into one-line StoreErrors that say what to do."""
        try:
            yield
        except StoreError:
            raise
        except sqlite3.Error as exc:
            message = str(exc)
            low = message.lower()
            if "locked" in low or "busy" in low:
                why = (f"store is locked by another process (waited {self.timeout:g}s); "
                       "try again when the other crawl or import has finished")
            elif "readonly" in low or "read-only" in low:
                why = "store is read-only (check the file's permissions)"
            elif "not a database" in low or "malformed" in low or "corrupt" in low:
                why = "not a heishi store or the file is corrupt"
            elif "unable to open" in low:
                why = "cannot open the file (missing folder or no permission)"
            elif "disk is full" in low or "disk i/o" in low:
                why = f"cannot write: {message}"
            else:
                why = message
            raise StoreError(f"{self.path}: {doing}: {why}") from None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreError(f"{self.path}: store is closed")
        return self._db

    @contextmanager
    def _write(self, doing: str):
        """One write transaction; on any error nothing of it is kept."""
        with self._lock, self._errors(doing):
            db = self.db
            db.execute("BEGIN IMMEDIATE")
            self._wrote = True
            try:
                yield db
                now = time.time()
                if self._touched:  # marked in the transaction that changes their offers
                    sqlite_weeks.mark_stale(db, self._touched, now)
                sqlite_weeks.refresh_stale(db, now - sqlite_weeks.REFRESH_AFTER)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # some errors end the transaction themselves
                    db.execute("ROLLBACK")
                raise
            finally:
                self._touched.clear()

    @contextmanager
    def _read(self, doing: str):
        """One read transaction: every query inside sees the same snapshot."""
        with self._lock, self._errors(doing):
            db = self.db
            if db.in_transaction:  # a read inside our own write: already consistent
                yield db
                return
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.execute("COMMIT")

    def _migrate(self) -> None:
        db = self.db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema {version} is newer than this heishi "
                f"({SCHEMA_VERSION}); upgrade heishi"
            )
        if version == SCHEMA_VERSION:
            return
        if self.readonly:
            raise StoreError(f"{self.path}: store needs an upgrade but was opened read-only")
        with self._write("upgrade schema") as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[step]):
                    db.execute(statement)
                if MIGRATIONS[step] is sqlite_weeks.MIGRATION:
                    sqlite_weeks.refresh(db, sqlite_weeks.all_weeks(db))
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- posts ---------------------------------------------------------------------------
    def upsert_posts(self, posts: Sequence[Post]) -> list[UpsertOutcome]:
        posts = list(posts)
        if not posts:
            return []
        outcomes: list[UpsertOutcome] = []
        with self._write("store posts") as db:
            ids = [post.id for post in posts]
            known: dict[str, tuple] = {}
            for start in range(0, len(ids), CHUNK):
                chunk = list(dict.fromkeys(ids[start : start + CHUNK]))
                marks = ",".join("?" * len(chunk))
                for row in db.execute(
                    f"SELECT id, pk, text, title, last_seen, evidence_sha256 FROM posts "
                    f"WHERE id IN ({marks})",
                    chunk,
                ):
                    known[row[0]] = row[1:]
            for post, pid in zip(posts, ids, strict=True):  # each id is a digest: taken once
                seen_at = utc_time(post.fetched_at) or utcnow()
                at = utc_time(post.posted_at) or seen_at
                values = [getattr(post, name) for name in POST_FIELDS]
                extra = json.dumps(post.extra, ensure_ascii=False, default=str) \
                    if post.extra else "{}"
                old = known.get(pid)
                if old is None:
                    cursor = db.execute(
                        "INSERT INTO posts (id, source, key, url, channel, author, title, "
                        "price_text, posted_at, fetched_at, evidence_sha256, at, extra, text, "
                        "first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        [pid, *values, at, extra, post.text, seen_at, seen_at],
                    )
                    pk = cursor.lastrowid
                    db.execute(
                        "INSERT INTO posts_fts (rowid, body) VALUES (?, ?)",
                        (pk, document_tokens(post.title, post.text)),
                    )
                    known[pid] = (pk, post.text, post.title, seen_at, post.evidence_sha256)
                    outcomes.append(UpsertOutcome.NEW)
                    continue
                pk, old_text, old_title, old_seen, old_evidence = old
                if post.text == old_text and (post.title or None) == (old_title or None):
                    db.execute(
                        "UPDATE posts SET last_seen = max(last_seen, ?) WHERE pk = ?",
                        (seen_at, pk),
                    )
                    known[pid] = (pk, old_text, old_title, max(old_seen, seen_at), old_evidence)
                    outcomes.append(UpsertOutcome.SEEN)
                    continue
                db.execute(
                    "INSERT INTO post_versions (post_id, text, title, seen_at, evidence_sha256, "
                    "replaced_at) VALUES (?,?,?,?,?,?)",
                    (pid, old_text, old_title, old_seen, old_evidence, seen_at),
                )
                db.execute(
                    "UPDATE posts SET source=?, key=?, url=?, channel=?, author=?, title=?, "
                    "price_text=?, posted_at=?, fetched_at=?, evidence_sha256=?, at=?, extra=?, "
                    "text=?, last_seen=max(last_seen, ?) WHERE pk = ?",
                    [*values, at, extra, post.text, seen_at, pk],
                )
                self._touched.update(sqlite_weeks.weeks_of_posts(db, [pk]))
                db.execute(
                    "UPDATE offers SET source = ?, posted_at = ?, day = ? WHERE post_pk = ?",
                    (post.source, at, day_number(at), pk),
                )
                self._touched.update(sqlite_weeks.weeks_of_posts(db, [pk]))
                db.execute("DELETE FROM posts_fts WHERE rowid = ?", (pk,))
                db.execute(
                    "INSERT INTO posts_fts (rowid, body) VALUES (?, ?)",
                    (pk, document_tokens(post.title, post.text)),
                )
                known[pid] = (pk, post.text, post.title, max(old_seen, seen_at),
                             post.evidence_sha256)
                outcomes.append(UpsertOutcome.CHANGED)
        return outcomes

    def last_seen(self, ids: Iterable[str]) -> dict[str, str]:
        ids = list(dict.fromkeys(ids))
        found: dict[str, str] = {}
        with self._read("look up posts") as db:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                marks = ",".join("?" * len(chunk))
                found.update(
                    db.execute(f"SELECT id, last_seen FROM posts WHERE id IN ({marks})", chunk)
                )
        return found

    _POST_COLUMNS = (
        "id, source, key, url, channel, author, title, price_text, posted_at, fetched_at, "
        "evidence_sha256, extra, text, first_seen, last_seen, is_listing, extractor_version"
    )

    @staticmethod
    def _post_dict(row: sqlite3.Row | tuple, names: Sequence[str]) -> dict:
        post = dict(zip(names, row, strict=True))
        post["extra"] = json.loads(post["extra"] or "{}")
        if post.get("is_listing") is not None:
            post["is_listing"] = bool(post["is_listing"])
        return post

    def get_post(self, id: str) -> dict | None:
        with self._read("read a post") as db:
            cursor = db.execute(f"SELECT {self._POST_COLUMNS} FROM posts WHERE id = ?", (id,))
            row = cursor.fetchone()
            names = [d[0] for d in cursor.description]
        return None if row is None else self._post_dict(row, names)

    def posts_with_offers(self, ids: Sequence[str]) -> list[dict]:
        ids = list(dict.fromkeys(ids))
        found: dict[str, dict] = {}
        with self._read("read posts") as db:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                marks = ",".join("?" * len(chunk))
                cursor = db.execute(
                    f"SELECT {self._POST_COLUMNS}, pk FROM posts WHERE id IN ({marks})", chunk)
                names = [d[0] for d in cursor.description]
                for row in cursor.fetchall():
                    post = self._post_dict(row, names)
                    found[post["id"]] = post
            posts = [found[id] for id in ids if id in found]
            self._attach_offers(db, posts)
        for post in posts:
            del post["pk"]
        return posts

    def post_versions(self, id: str) -> list[dict]:
        with self._read("read post versions") as db:
            rows = db.execute(
                "SELECT text, title, seen_at, evidence_sha256, replaced_at FROM post_versions "
                "WHERE post_id = ? ORDER BY rowid",
                (id,),
            ).fetchall()
        names = ("text", "title", "seen_at", "evidence_sha256", "replaced_at")
        return [dict(zip(names, row, strict=True)) for row in rows]

    def iter_posts(self, source: str | None = None) -> Iterator[dict]:
        """Pages through the posts by key, so the caller may write to the store meanwhile."""
        after = 0
        while True:
            with self._read("read posts") as db:
                where = "pk > ?" + (" AND source = ?" if source is not None else "")
                params = [after] + ([source] if source is not None else [])
                cursor = db.execute(
                    f"SELECT pk, {self._POST_COLUMNS} FROM posts WHERE {where} "
                    "ORDER BY pk LIMIT 1000",
                    params,
                )
                rows = cursor.fetchall()
                names = [d[0] for d in cursor.description][1:]
            if not rows:
                return
            for row in rows:
                yield self._post_dict(row[1:], names)
            after = rows[-1][0]

    # -- extraction ----------------------------------------------------------------------
    def put_extraction(self, post_id: str, extraction: dict, extractor_version: str) -> None:
        self.put_extractions([(post_id, extraction, extractor_version)])

    def put_extractions(self, items: Iterable[tuple[str, dict, str]]) -> None:
        """Many extractions in one transaction (re-extraction, imports, the bench).

        If one item is bad, none is stored: the error names the post.
        """
        with self._write("store offers") as db:
            batch: list[tuple[str, dict, str]] = []
            for item in items:
                batch.append(item)
                if len(batch) == CHUNK:
                    self._put_batch(db, batch)
                    batch = []
            if batch:
                self._put_batch(db, batch)

    def _put_batch(self, db: sqlite3.Connection, batch: list[tuple[str, dict, str]]) -> None:
        ids = list(dict.fromkeys(post_id for post_id, _, _ in batch))
        marks = ",".join("?" * len(ids))
        posts = {
            row[0]: row[1:]
            for row in db.execute(f"SELECT id, source, at, pk FROM posts WHERE id IN ({marks})",
                                  ids)
        }
        done: dict[str, tuple[list, list, int, str]] = {}  # the last extraction of a post wins
        for post_id, extraction, version in batch:
            if post_id not in posts:
                raise StoreError(f"{self.path}: no post {post_id!r} to attach offers to")
            source, at, pk = posts[post_id]
            offers, contacts, is_listing = _extraction_rows(pk, post_id, extraction, version,
                                                            source, at)
            done[post_id] = (offers, contacts, is_listing, version)
        self._touched.update(sqlite_weeks.weeks_of_posts(db, (posts[i][2] for i in ids)))
        self._touched.update(sqlite_weeks.week_of_row(row) for offers, _, _, _ in done.values()
                             for row in offers)
        db.execute(f"DELETE FROM offers WHERE post_pk IN ({marks})",
                   [posts[post_id][2] for post_id in ids])
        db.execute(f"DELETE FROM contacts WHERE post_pk IN ({marks})",
                   [posts[post_id][2] for post_id in ids])
        db.executemany(
            "INSERT INTO offers (post_pk, post_id, n, goods, platform, side, price, price_max, "
            "currency, per_qty, unit, min_qty, unit_price, source, posted_at, seller_key, "
            "extractor_version, day) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [row for offers, _, _, _ in done.values() for row in offers],
        )
        db.executemany(
            "INSERT INTO contacts (post_pk, key, type, value) VALUES (?,?,?,?)",
            [row for _, contacts, _, _ in done.values() for row in contacts],
        )
        db.executemany(
            "UPDATE posts SET is_listing = ?, extractor_version = ? WHERE pk = ?",
            [(is_listing, version, posts[post_id][2])
             for post_id, (_, _, is_listing, version) in done.items()],
        )

    # -- crawl runs ----------------------------------------------------------------------
    def start_run(self, run: CrawlRun) -> CrawlRun:
        check_run(run)
        with self._write("record a crawl run") as db:
            cursor = db.execute(
                "INSERT INTO crawl_runs (source, started_at, finished_at, status, pages, "
                "posts_new, posts_seen, posts_changed, errors) VALUES (?,?,?,?,?,?,?,?,?)",
                (run.source, run.started_at, run.finished_at, run.status, run.pages,
                 run.posts_new, run.posts_seen, run.posts_changed,
                 json.dumps(run.errors, ensure_ascii=False)),
            )
            run.id = cursor.lastrowid
        return run

    def finish_run(self, run: CrawlRun) -> None:
        if run.id is None:
            self.start_run(run)
            return
        check_run(run)
        if run.finished_at is None:
            run.finished_at = utcnow()
        with self._write("record the end of a crawl run") as db:
            cursor = db.execute(
                "UPDATE crawl_runs SET source=?, started_at=?, finished_at=?, status=?, pages=?, "
                "posts_new=?, posts_seen=?, posts_changed=?, errors=? WHERE id = ?",
                (run.source, run.started_at, run.finished_at, run.status, run.pages,
                 run.posts_new, run.posts_seen, run.posts_changed,
                 json.dumps(run.errors, ensure_ascii=False), int(run.id)),
            )
            if cursor.rowcount == 0:
                raise StoreError(f"{self.path}: no crawl run {run.id} to finish")

    def runs(self, source: str | None = None, limit: int = 50) -> list[CrawlRun]:
        with self._read("read crawl runs") as db:
            where, params = ("WHERE source = ?", [source]) if source is not None else ("", [])
            rows = db.execute(
                "SELECT id, source, started_at, finished_at, status, pages, posts_new, "
                f"posts_seen, posts_changed, errors FROM crawl_runs {where} "
                "ORDER BY id DESC LIMIT ?",
                [*params, int(limit)],
            ).fetchall()
        return [
            CrawlRun(id=r[0], source=r[1], started_at=r[2], finished_at=r[3], status=r[4],
                     pages=r[5], posts_new=r[6], posts_seen=r[7], posts_changed=r[8],
                     errors=json.loads(r[9]))
            for r in rows
        ]

    # -- queries -------------------------------------------------------------------------
    _OFFER_COLUMNS = (
        "post_id, n, goods, platform, side, price, price_max, currency, per_qty, unit, min_qty, "
        "unit_price, source, posted_at, seller_key, extractor_version"
    )

    def search(self, query: SearchQuery) -> SearchResult:
        where = matching_posts(query)
        matched = (f"WITH m AS (SELECT p.pk AS pk, p.id AS id, p.source AS source FROM posts p "
                   f"WHERE {where.sql()}) ")
        order = "DESC" if query.sort == "newest" else "ASC"
        with self._read("search") as db:
            total = db.execute(matched + "SELECT count(*) FROM m", where.params).fetchone()[0]
            cursor = db.execute(
                f"SELECT {self._POST_COLUMNS}, pk FROM posts p WHERE {where.sql()} "
                f"ORDER BY p.at {order}, p.id {order} LIMIT ? OFFSET ?",
                [*where.params, query.limit, query.offset],
            )
            names = [d[0] for d in cursor.description]
            hits = [self._post_dict(row, names) for row in cursor.fetchall()]
            self._attach_offers(db, hits)
            for hit in hits:
                del hit["pk"]
            facets = {}
            for name in query.facets:
                if name in QUERY_OFFER_FIELDS:
                    offers = offer_conditions(query)
                    sql = (f"SELECT coalesce(o.{name}, 'none'), count(DISTINCT o.post_pk) "
                           f"FROM offers o JOIN m ON m.pk = o.post_pk WHERE {offers.sql()} "
                           "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?")
                    params = [*where.params, *offers.params, query.facet_size]
                elif name == "source":
                    sql = "SELECT source, count(*) FROM m GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?"
                    params = [*where.params, query.facet_size]
                else:  # seller
                    sql = ("SELECT c.key, count(*) FROM contacts c JOIN m ON m.pk = c.post_pk "
                           "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?")
                    params = [*where.params, query.facet_size]
                facets[name] = dict(db.execute(matched + sql, params).fetchall())
        return SearchResult(total=total, hits=hits, facets=facets)

    def _attach_offers(self, db: sqlite3.Connection, posts: list[dict]) -> None:
        """Give each post dict its ``offers`` and ``contacts``."""
        by_id = {post["id"]: post for post in posts}
        for post in posts:
            post["offers"], post["contacts"] = [], []
        ids = list(by_id)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in db.execute(
                f"SELECT post_id, {', '.join(OFFER_FIELDS)}, unit_price FROM offers "
                f"WHERE post_pk IN ({marks}) ORDER BY post_pk, n",
                [by_id[post_id]["pk"] for post_id in chunk],
            ):
                offer = dict(zip((*OFFER_FIELDS, "unit_price"), row[1:], strict=True))
                by_id[row[0]]["offers"].append(offer)
            by_pk = {by_id[post_id]["pk"]: by_id[post_id] for post_id in chunk}
            for post_pk, kind, value in db.execute(
                f"SELECT post_pk, type, value FROM contacts WHERE post_pk IN ({marks})",
                list(by_pk),
            ):
                by_pk[post_pk]["contacts"].append({"type": kind, "value": value})

    _BUCKET_SQL = {  # what offers are grouped by; turned into period labels afterwards
        "day": "o.day",
        "week": "o.day - (o.day + 3) % 7",  # the Monday: 1970-01-01 was a Thursday
        "month": "strftime('%Y-%m', o.day * 86400, 'unixepoch')",
    }

    def trend(self, query: TrendQuery) -> list[dict]:
        if not sqlite_weeks.answerable(query):
            return self.trend_from_offers(query)
        with self._read("trend") as db:  # whole weeks: the weekly aggregates hold them
            stale = sqlite_weeks.stale_weeks(db, query)
            rows = sqlite_weeks.trend(db, query, stale)
            if not stale:
                return rows
            rows += [row for row in self.trend_from_offers(_whole_weeks(query, stale))
                     if day_number(row["start"]) in stale]  # a week's row starts on its Monday
        by = query.by
        rows.sort(key=lambda r: (r["start"], r.get(by) or "", r["unit"], r["currency"]))
        return rows

    def trend_from_offers(self, query: TrendQuery) -> list[dict]:
        """The trend computed from every matching offer (days, months, text or seller
        filters, partial weeks); the aggregates must give the same rows where they apply."""
        where = matching_offers(query)
        bucket = self._BUCKET_SQL[query.interval]
        group = f"coalesce(o.{query.by}, 'none')" if query.by else "NULL"
        with self._read("trend") as db:
            counts = db.execute(
                f"SELECT {bucket} AS b, {group} AS g, o.unit, o.currency, count(*), "
                f"count(DISTINCT o.seller_key) FROM offers o WHERE {where.sql()} "
                "GROUP BY b, g, o.unit, o.currency",
                where.params,
            ).fetchall()
            prices: dict[tuple, list[float]] = {}
            for b, g, unit, currency, price in db.execute(
                f"SELECT {bucket}, {group}, o.unit, o.currency, o.unit_price FROM offers o "
                f"WHERE {where.sql()} AND o.unit_price IS NOT NULL",
                where.params,
            ):
                prices.setdefault((b, g, unit, currency), []).append(price)
        rows = []
        for b, value, unit, currency, offers, sellers in sorted(
                counts, key=lambda r: (r[0], r[1] or "", r[2], r[3])):
            first = (EPOCH + timedelta(days=b)).isoformat() if query.interval != "month" \
                else f"{b}-01"
            row = {"period": period_of(first, query.interval)[0], "start": first}
            if query.by:
                row[query.by] = value
            row.update(unit=unit, currency=currency, offers=offers, sellers=sellers)
            row.update(price_figures(prices.get((b, value, unit, currency), [])))
            rows.append(row)
        return rows

    def weekly_items(self, filters: Filters | None = None) -> list[dict]:
        filters = filters or Filters()
        if filters.text or filters.seller or filters.price_min is not None \
                or filters.price_max is not None:
            return super().weekly_items(filters)
        with self._read("weekly prices") as db:
            stale = sqlite_weeks.stale_weeks(db, filters)
            items = sqlite_weeks.weekly_items(db, filters, stale)
            if not stale:
                return items
            items += [item for item in super().weekly_items(_whole_weeks(filters, stale))
                      if sqlite_weeks.day_of(item["start"]) in stale]
        items.sort(key=lambda item: item["start"])  # stable: each week keeps its order
        return items

    def seller_activity(self, since: date, until: date) -> dict[str, dict]:
        first, last = sqlite_weeks.day_of(since), sqlite_weeks.day_of(until)
        with self._read("seller activity") as db:
            found = {
                key: {"first": EPOCH + timedelta(days=lo), "last": EPOCH + timedelta(days=hi),
                      "goods": set()}
                for key, lo, hi in db.execute(
                    "SELECT seller_key, min(day), max(day) FROM offers WHERE seller_key IN "
                    "(SELECT seller_key FROM offers WHERE day BETWEEN ? AND ?) "
                    "GROUP BY seller_key", (first, last))
            }
            for key, goods in db.execute(
                "SELECT DISTINCT seller_key, goods FROM offers WHERE day BETWEEN ? AND ? "
                "AND seller_key IS NOT NULL", (first, last)):
                found[key]["goods"].add(goods)
        return found

    def source_activity(self, since: date, until: date) -> dict[str, dict]:
        low = since.isoformat()
        high = (until + timedelta(days=1)).isoformat()
        with self._read("source activity") as db:
            return {
                source: {"posts": posts or 0, "last": last}
                for source, last, posts in db.execute(
                    "SELECT source, max(at), sum(at >= ? AND at < ?) FROM posts "
                    "GROUP BY source", (low, high))
            }

    def posts_stored_since(self, moment: str | None) -> Iterator[dict]:
        after, first = 0, moment or ""
        while True:
            with self._read("read new posts") as db:
                cursor = db.execute(
                    f"SELECT pk, {self._POST_COLUMNS} FROM posts WHERE first_seen >= ? "
                    "AND pk > ? ORDER BY pk LIMIT 1000", (first, after))
                rows = cursor.fetchall()
                names = [d[0] for d in cursor.description][1:]
                posts = [self._post_dict(row[1:], names) | {"pk": row[0]} for row in rows]
                self._attach_offers(db, posts)
            if not rows:
                return
            for post in posts:
                del post["pk"]
                yield post
            after = rows[-1][0]

    def seller(self, contact: str) -> dict | None:
        key = parse_contact(contact)
        typed = key.partition(":")[0] in CONTACT_TYPES
        match = ("key = ?" if typed else "value = ?", key)
        in_posts = f"SELECT post_pk FROM contacts WHERE {match[0]}"
        with self._read("look up a seller") as db:
            keys = [row[0] for row in db.execute(
                f"SELECT DISTINCT key FROM contacts WHERE {match[0]} ORDER BY key", (key,))]
            if not keys:
                return None
            cursor = db.execute(
                f"SELECT {self._POST_COLUMNS}, at FROM posts p WHERE p.pk IN ({in_posts}) "
                "ORDER BY at DESC, id",
                (key,),
            )
            names = [d[0] for d in cursor.description]
            posts = [self._post_dict(row, names) for row in cursor.fetchall()]
            offers = db.execute(
                f"SELECT goods, platform, side, currency, unit, unit_price FROM offers WHERE "
                f"post_pk IN ({in_posts})",
                (key,),
            ).fetchall()
            linked = db.execute(
                f"SELECT key, count(*) FROM contacts WHERE post_pk IN ({in_posts}) "
                "AND key NOT IN (SELECT key FROM contacts WHERE " + match[0] + ") "
                "GROUP BY key ORDER BY 2 DESC, 1 LIMIT 20",
                (key, key),
            ).fetchall()
        sources: dict[str, int] = {}
        for post in posts:
            sources[post["source"]] = sources.get(post["source"], 0) + 1
        goods: dict[str, int] = {}
        groups: dict[tuple, list] = {}
        for g, platform, side, currency, unit, unit_price in offers:
            goods[g] = goods.get(g, 0) + 1
            groups.setdefault((g, platform or "none", side, currency, unit), []).append(
                unit_price)
        prices = []
        for (g, platform, side, currency, unit), values in sorted(groups.items(),
                                                                   key=lambda i: -len(i[1])):
            priced = sorted(v for v in values if v is not None)
            figures = price_figures(priced)
            prices.append({
                "goods": g, "platform": platform, "side": side, "currency": currency,
                "unit": unit, "offers": len(values), "priced": len(priced),
                "min": priced[0] if priced else None, "median": figures["price_median"],
                "max": priced[-1] if priced else None,
            })
        return {
            "contact": key,
            "keys": keys,
            "posts": len(posts),
            "offers": len(offers),
            "first_seen": min(p["first_seen"] for p in posts),
            "last_seen": max(p["last_seen"] for p in posts),
            "first_posted": min(p["at"] for p in posts),
            "last_posted": max(p["at"] for p in posts),
            "sources": dict(sorted(sources.items(), key=lambda i: (-i[1], i[0]))),
            "goods": dict(sorted(goods.items(), key=lambda i: (-i[1], i[0]))),
            "prices": prices,
            "linked_contacts": dict(linked),
            "recent_posts": [
                {name: p[name] for name in ("id", "source", "url", "channel", "author",
                                            "posted_at", "last_seen", "title", "text")}
                for p in posts[:20]
            ],
        }

    def iter_offers(self, filters: Filters | None = None) -> Iterator[dict]:
        """Pages through offers in stored order, so the caller may write meanwhile."""
        where = matching_offers(filters or Filters())
        names = [name.strip() for name in self._OFFER_COLUMNS.split(",")]
        after = (0, -1)
        while True:
            with self._read("read offers") as db:
                rows = db.execute(
                    f"SELECT o.post_pk, {self._OFFER_COLUMNS} FROM offers o "
                    f"WHERE (o.post_pk, o.n) > (?, ?) AND {where.sql()} "
                    "ORDER BY o.post_pk, o.n LIMIT 2000",
                    [*after, *where.params],
                ).fetchall()
            if not rows:
                return
            for row in rows:
                yield dict(zip(names, row[1:], strict=True))
            after = (rows[-1][0], rows[-1][2])

    # -- takedown cases ------------------------------------------------------------------
    _CASE_COLUMNS = ("id", "platform", "host", "state", "created_at", "created_by", "updated_at",
                     "target", "bundle", "report_to")
    _CASE_POST_COLUMNS = ("post_id", "url", "evidence_sha256", "removed_at", "removal_sha256")
    _EVENT_COLUMNS = ("at", "by", "kind", "state", "post_id", "url", "outcome", "note",
                      "evidence_sha256")

    def add_cases(self, cases: Sequence[dict]) -> None:
        with self._write("record takedown cases") as db:
            for case in cases:
                id = str(case["id"])
                if db.execute("SELECT 1 FROM cases WHERE id = ?", (id,)).fetchone():
                    raise StoreError(f"{self.path}: case {id} is already in the ledger")
                at = case.get("created_at") or utcnow()
                db.execute(
                    "INSERT INTO cases (id, platform, host, state, created_at, created_by, "
                    "updated_at, target, bundle, report_to) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (id, case["platform"], case.get("host"), "drafted", at, case["created_by"],
                     at, json.dumps(case.get("target") or {}, ensure_ascii=False),
                     case.get("bundle"), case.get("report_to")),
                )
                db.executemany(
                    "INSERT INTO case_posts (case_id, n, post_id, url, evidence_sha256) "
                    "VALUES (?,?,?,?,?)",
                    [(id, n, p["post_id"], p.get("url"), p.get("evidence_sha256"))
                     for n, p in enumerate(case.get("posts") or [])],
                )
                db.execute(
                    "INSERT INTO case_events (case_id, at, by, kind, state, note) "
                    "VALUES (?,?,?,'state','drafted',?)",
                    (id, at, case["created_by"], case.get("note")),
                )

    def _case_dicts(self, db: sqlite3.Connection, where: str, params: Sequence) -> list[dict]:
        rows = db.execute(
            f"SELECT {', '.join(self._CASE_COLUMNS)} FROM cases {where} "
            "ORDER BY created_at, id", params,
        ).fetchall()
        cases = []
        for row in rows:
            case = dict(zip(self._CASE_COLUMNS, row, strict=True))
            case["target"] = json.loads(case["target"] or "{}")
            case["posts"] = [
                dict(zip(self._CASE_POST_COLUMNS, r, strict=True))
                for r in db.execute(
                    f"SELECT {', '.join(self._CASE_POST_COLUMNS)} FROM case_posts "
                    "WHERE case_id = ? ORDER BY n", (case["id"],))
            ]
            case["events"] = [
                dict(zip(self._EVENT_COLUMNS, r, strict=True))
                for r in db.execute(
                    f"SELECT {', '.join(self._EVENT_COLUMNS)} FROM case_events "
                    "WHERE case_id = ? ORDER BY id", (case["id"],))
            ]
            cases.append(case)
        return cases

    def get_case(self, id: str) -> dict | None:
        with self._read("read a case") as db:
            found = self._case_dicts(db, "WHERE id = ?", (str(id),))
        return found[0] if found else None

    def cases(self, states: Iterable[str] | None = None) -> list[dict]:
        with self._read("read cases") as db:
            if states is None:
                return self._case_dicts(db, "", ())
            states = list(states)
            unknown = sorted(set(states) - set(CASE_STATES))
            if unknown:
                raise StoreError(f"case state {unknown[0]!r} is not one of "
                                 f"{', '.join(CASE_STATES)}")
            marks = ",".join("?" * len(states))
            return self._case_dicts(db, f"WHERE state IN ({marks})", states)

    def set_case_state(self, id, state, *, by, at=None, note=None, evidence_sha256=None) -> dict:
        at = utc_time(at) or utcnow()
        with self._write("change a case's state") as db:
            row = db.execute("SELECT state FROM cases WHERE id = ?", (str(id),)).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: no case {id} in the ledger")
            check_case_transition(str(id), row[0], state)
            db.execute("UPDATE cases SET state = ?, updated_at = ? WHERE id = ?",
                       (state, at, str(id)))
            db.execute(
                "INSERT INTO case_events (case_id, at, by, kind, state, note, evidence_sha256) "
                "VALUES (?,?,?,'state',?,?,?)",
                (str(id), at, by, state, note, evidence_sha256),
            )
            return self._case_dicts(db, "WHERE id = ?", (str(id),))[0]

    def record_case_check(self, id, post_id, *, url, outcome, by, at=None, note=None,
                          evidence_sha256=None) -> None:
        if outcome not in ("gone", "up", "unreachable"):
            raise StoreError(f"check outcome {outcome!r} is not gone, up or unreachable")
        at = utc_time(at) or utcnow()
        with self._write("record a case check") as db:
            found = db.execute("SELECT 1 FROM case_posts WHERE case_id = ? AND post_id = ?",
                               (str(id), post_id)).fetchone()
            if found is None:
                raise StoreError(f"{self.path}: case {id} does not list post {post_id}")
            db.execute(
                "INSERT INTO case_events (case_id, at, by, kind, post_id, url, outcome, note, "
                "evidence_sha256) VALUES (?,?,?,'check',?,?,?,?,?)",
                (str(id), at, by, post_id, url, outcome, note, evidence_sha256),
            )
            if outcome == "gone":
                db.execute(
                    "UPDATE case_posts SET removed_at = ?, removal_sha256 = ? "
                    "WHERE case_id = ? AND post_id = ? AND removed_at IS NULL",
                    (at, evidence_sha256, str(id), post_id),
                )
            elif outcome == "up":  # back, or never gone: a later removal is timed afresh
                db.execute(
                    "UPDATE case_posts SET removed_at = NULL, removal_sha256 = NULL "
                    "WHERE case_id = ? AND post_id = ?",
                    (str(id), post_id),
                )
            db.execute("UPDATE cases SET updated_at = max(updated_at, ?) WHERE id = ?",
                       (at, str(id)))

    # -- stock readings --------------------------------------------------------------------
    supports_stock = True

    def add_stock_readings(self, readings: Sequence[StockReading]) -> int:
        readings = list(readings)
        if not readings:
            return 0
        with self._write("store stock readings") as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO stock_readings (source, service, country, read_at, count, "
                "price, currency, platform) VALUES (?,?,?,?,?,?,?,?)",
                [(r.source, r.service, r.country, r.read_at, r.count,
                  r.price, r.currency, r.platform) for r in readings],
            )
            return db.total_changes - before

    def sales(self, interval: str = "week", source: list[str] | None = None,
              since: str | None = None, until: str | None = None) -> list[dict]:
        if interval not in SALES_INTERVALS:
            raise StoreError(f"interval {interval!r} is not one of {SALES_INTERVALS}")
        where, params = "1", []
        if source:
            where = f"source IN ({','.join('?' * len(source))})"
            params = list(source)
        with self._read("read stock readings") as db:
            rows = db.execute(
                "SELECT source, service, country, count, read_at, price, currency, platform "
                f"FROM stock_readings WHERE {where}", params).fetchall()
        return estimate_sales((StockReading(*row) for row in rows), interval, since, until)

    # -- reading -------------------------------------------------------------------------
    def stats(self) -> dict:
        with self._read("count") as db:
            per_source: dict[str, dict] = {}

            def put(rows, name):
                for source, count in rows:
                    entry = per_source.setdefault(
                        source, {"posts": 0, "listings": 0, "offers": 0, "sellers": 0,
                                 "runs": 0, "last_run": None}
                    )
                    entry[name] = count

            put(db.execute("SELECT source, count(*) FROM posts GROUP BY source"), "posts")
            put(db.execute("SELECT source, count(*) FROM posts WHERE is_listing "
                           "GROUP BY source"), "listings")
            put(db.execute("SELECT source, count(*) FROM offers GROUP BY source"), "offers")
            put(db.execute("SELECT p.source, count(DISTINCT c.key) FROM contacts c "
                           "JOIN posts p ON p.pk = c.post_pk GROUP BY p.source"), "sellers")
            put(db.execute("SELECT source, count(*) FROM crawl_runs GROUP BY source"), "runs")
            put(db.execute("SELECT source, max(started_at) FROM crawl_runs GROUP BY source"),
                "last_run")
            totals = {
                "posts": db.execute("SELECT count(*) FROM posts").fetchone()[0],
                "listings": db.execute(
                    "SELECT count(*) FROM posts WHERE is_listing").fetchone()[0],
                "offers": db.execute("SELECT count(*) FROM offers").fetchone()[0],
                "sellers": db.execute("SELECT count(DISTINCT key) FROM contacts").fetchone()[0],
                "runs": db.execute("SELECT count(*) FROM crawl_runs").fetchone()[0],
            }
        return {**totals, "sources": dict(sorted(per_source.items()))}

    def refresh_aggregates(self) -> None:
        """Recompute the weekly aggregates of every stale week now, rather than at the next
        write after :data:`~index.sqlite_weeks.REFRESH_AFTER` seconds (closing a store that
        wrote does it)."""
        with self._write("refresh the weekly aggregates") as db:
            sqlite_weeks.refresh_stale(db, math.inf)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                try:
                    if self._wrote:  # never wait for another writer for what follows
                        self._db.execute("PRAGMA busy_timeout = 0")
                        # Readers need not merge stale weeks from the offers once a crawl
                        # or an import is done.
                        self.refresh_aggregates()
                        self._db.execute("PRAGMA optimize")  # the planner's statistics
                except (sqlite3.Error, StoreError):
                    pass  # both are niceties; closing must not fail for them
                finally:
                    self._db.close()
                    self._db = None




def _whole_weeks(filters: Filters, weeks: set[int]) -> Filters:
    """``filters`` over the whole weeks from the first to the last of ``weeks`` (day numbers
    of Mondays), as the weekly aggregates count them."""
    return replace(filters, since=EPOCH + timedelta(days=min(weeks)),
                   until=EPOCH + timedelta(days=max(weeks) + 6))


def day_number(moment: str) -> int:
    """Days since 1970-01-01 of a stored UTC time: Monday-based weeks are day - (day + 3) % 7."""
    return (date.fromisoformat(moment[:10]) - EPOCH).days


def _extraction_rows(
    post_pk: int, post_id: str, extraction: dict, version: str, source: str, at: str
) -> tuple[list[tuple], list[tuple], int]:
    """Offer rows, contact rows and the listing flag of one extractor output line."""
    try:
        contacts = [
            (str(c["type"]), str(c["value"]))
            for c in extraction.get("contacts") or []
            if c.get("type") and c.get("value") not in (None, "")
        ]
        contacts = list(dict.fromkeys(contacts))
        seller = contact_key(*contacts[0]) if contacts else None
        offer_rows = []
        day = day_number(at)
        for n, offer in enumerate(extraction.get("offers") or []):
            get = offer.get
            goods = get("goods")
            if not goods:
                raise ValueError(f"offer {n} has no goods")
            per_qty = int(get("per_qty") or 1)
            price, price_max = get("price"), get("price_max")
            price = None if price is None else float(price)
            price_max = None if price_max is None else float(price_max)
            offer_rows.append((
                post_pk, post_id, n, goods, get("platform"), get("side"), price, price_max,
                get("currency") or "CNY", per_qty, get("unit") or "item", get("min_qty"),
                None if price is None else price / per_qty, source, at, seller, version, day,
            ))
        is_listing = extraction.get("is_listing")
        if is_listing is None:
            is_listing = bool(offer_rows)
    except (AttributeError, KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise StoreError(
            f"extraction of post {post_id!r} does not follow the offer contract: {exc}"
        ) from None
    contact_rows = [(post_pk, contact_key(t, v), t, v) for t, v in contacts]
    return offer_rows, contact_rows, int(bool(is_listing))


def _statements(script: str) -> list[str]:
    """Split a migration into statements (``executescript`` would commit on its own)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements
