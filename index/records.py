"""The records every part of heishi passes to the store.

Times are ISO-8601 strings in UTC (``2026-11-21T08:00:00+00:00``) so that both backends and
JSON Lines exports hold them the same way and they sort as text.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from index.errors import StoreError

POST_FIELDS = (
    "source", "key", "url", "channel", "author", "title", "price_text", "posted_at",
    "fetched_at", "evidence_sha256",
)  # fmt: skip
"""The :class:`Post` fields a backend stores as they are (``text`` and ``extra`` apart)."""

OFFER_FIELDS = (
    "goods", "platform", "side", "price", "price_max", "currency", "per_qty", "unit", "min_qty",
)  # fmt: skip
"""The fields of one offer in the taxonomy contract."""

RUN_STATUSES = ("running", "ok", "failed", "interrupted")

CASE_STATES = ("drafted", "sent", "acknowledged", "removed", "rejected")
"""The life of a takedown case, in order; a case is open until removed or rejected."""
OPEN_CASE_STATES = ("drafted", "sent", "acknowledged")
# Where a case may go from each state. Nothing goes back to drafted (the request exists);
# a rejected request may be sent again (appeal, new evidence), and a removal found wrong
# (the listing is back) reopens the case as sent or acknowledged.
CASE_TRANSITIONS = {
    "drafted": ("sent", "acknowledged", "removed", "rejected"),
    "sent": ("acknowledged", "removed", "rejected"),
    "acknowledged": ("removed", "rejected"),
    "rejected": ("sent", "acknowledged", "removed"),
    "removed": ("sent", "acknowledged"),
}


def check_run(run: CrawlRun) -> None:
    """Refuse a run whose status no reader of the run history would understand."""
    if run.status not in RUN_STATUSES:
        raise StoreError(f"crawl run status {run.status!r} is not one of {RUN_STATUSES}")


def check_case_transition(case_id: str, current: str, state: str) -> None:
    """Refuse a state a case cannot move to from where it is, saying where it can go."""
    if state not in CASE_STATES:
        raise StoreError(f"case state {state!r} is not one of {', '.join(CASE_STATES)}")
    if state == current:
        raise StoreError(f"case {case_id} is already {state}")
    allowed = CASE_TRANSITIONS.get(current, ())
    if state not in allowed:
        raise StoreError(
            f"case {case_id} is {current}: it can become {', '.join(allowed) or 'nothing else'}"
            f", not {state}"
        )


def contact_key(contact_type: str, value: str) -> str:
    """The seller key of a contact, ``type:value``: how both backends name a seller."""
    return f"{contact_type}:{value}"


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def post_id(source: str, key: str) -> str:
    """Stable id of a post: the same listing crawled twice gets the same id.

    ``key`` is the site's own id for the post where it has one, else its canonical URL.
    """
    return hashlib.sha256(f"{source}\x1f{key}".encode()).hexdigest()[:24]


@dataclass
class Post:
    """One listing, chat message or price-table row, as captured."""

    source: str
    key: str  # the site's own id, else the canonical URL; with source it makes the id
    text: str
    url: str | None = None
    channel: str | None = None
    author: str | None = None
    title: str | None = None
    price_text: str | None = None
    posted_at: str | None = None
    fetched_at: str = field(default_factory=utcnow)
    evidence_sha256: str | None = None
    extra: dict = field(default_factory=dict)  # anything else the source gives, passed through

    @property
    def id(self) -> str:
        return post_id(self.source, self.key)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["id"] = self.id
        return data


@dataclass
class CrawlRun:
    """One crawl of one source: what a scheduler and an operator look at first."""

    source: str
    started_at: str = field(default_factory=utcnow)
    finished_at: str | None = None
    status: str = "running"  # running | ok | failed | interrupted
    pages: int = 0
    posts_new: int = 0
    posts_seen: int = 0
    posts_changed: int = 0
    errors: list[str] = field(default_factory=list)
    id: int | str | None = None


def utc_time(value: str | None) -> str | None:
    """``value`` as an ISO-8601 UTC string, so that times from every source sort as text.

    A time without a zone is taken as UTC; text that is not a time gives None (the caller
    falls back to the fetch time rather than losing the post).
    """
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")
