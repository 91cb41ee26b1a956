"""The alerts' own record: what fired, where it went, what is still to deliver.

Kept in a SQLite file of its own (``$HEISHI_ALERTS_DB``, default ``alerts.db`` beside the
store): the store is the index of posts, for every backend alike, while this is the ops
side's delivery journal. A match is recorded once per (rule, post, target) — the unique key
is what makes "delivered once" hold across crawls, retries and re-extraction — and each
attempt updates it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from index.store import default_store_location
from ops.errors import UsageError

STATE_ENV = "HEISHI_ALERTS_DB"
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360, 720, 1440)]
MAX_ATTEMPTS = 12  # then "failed": kept in the record, shown by `heishi alerts status`

SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule TEXT NOT NULL,
    post_id TEXT NOT NULL,
    target_kind TEXT NOT NULL,        -- webhook | mail | none (recorded, nowhere to send)
    target TEXT NOT NULL,
    created_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,             -- pending | delivered | failed | recorded
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT NOT NULL,
    last_error TEXT,
    delivered_at TEXT,
    UNIQUE (rule, post_id, target_kind, target)
);
CREATE INDEX IF NOT EXISTS alerts_due ON alerts(status, next_attempt);
CREATE TABLE IF NOT EXISTS marks (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def default_location(store: str | None = None) -> str:
    env = os.environ.get(STATE_ENV)
    if env:
        return env
    store = store or default_store_location()
    if store.startswith(("http://", "https://", "es://")):
        return str(Path("var") / "alerts.db")
    return str(Path(store).with_name("alerts.db"))


class AlertState:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"alerts record {self.path}: {exc}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> AlertState:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def mark(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM marks WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_mark(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO marks (name, value) VALUES (?, ?)", (name, value))

    def record(self, rule: str, post_id: str, targets: list[tuple[str, str]], payload: dict,
               at: datetime | None = None) -> int:
        """Record a match for each target (nothing twice); returns how many are new."""
        at = at or now()
        text = json.dumps(payload, ensure_ascii=False, default=str)
        new = 0
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for kind, target in targets or [("none", "")]:
                status = "pending" if kind != "none" else "recorded"
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO alerts (rule, post_id, target_kind, target, "
                    "created_at, payload, status, next_attempt) VALUES (?,?,?,?,?,?,?,?)",
                    (rule, post_id, kind, target, iso(at), text, status, iso(at)))
                new += cursor.rowcount
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return new

    def due(self, at: datetime | None = None) -> list[dict]:
        cursor = self.db.execute(
            "SELECT id, rule, post_id, target_kind, target, payload, attempts FROM alerts "
            "WHERE status = 'pending' AND next_attempt <= ? ORDER BY id", (iso(at or now()),))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def delivered(self, alert_id: int, at: datetime | None = None) -> None:
        self.db.execute("UPDATE alerts SET status = 'delivered', attempts = attempts + 1, "
                        "delivered_at = ?, last_error = NULL WHERE id = ?",
                        (iso(at or now()), alert_id))

    def failed(self, alert_id: int, error: str, at: datetime | None = None) -> str:
        """One more failed attempt: retried later with back-off, or given up. Returns status."""
        at = at or now()
        attempts = self.db.execute("SELECT attempts FROM alerts WHERE id = ?",
                                   (alert_id,)).fetchone()[0] + 1
        status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
        wait = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
        self.db.execute("UPDATE alerts SET status = ?, attempts = ?, last_error = ?, "
                        "next_attempt = ? WHERE id = ?",
                        (status, attempts, error[:500], iso(at + wait), alert_id))
        return status

    def rows(self, limit: int = 200) -> list[dict]:
        cursor = self.db.execute(
            "SELECT id, rule, post_id, target_kind, target, status, attempts, created_at, "
            "delivered_at, next_attempt, last_error FROM alerts ORDER BY id DESC LIMIT ?",
            (limit,))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
