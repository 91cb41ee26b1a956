"""Is each source healthy? Read from its crawl runs, the same for both store backends.

Three rules, each turning a source unhealthy:

- **failing**: its last three finished runs failed (a site down, refusing or erroring);
- **stale**: its newest data (last successful run) is older than twice its schedule interval;
- **layout**: the last run loaded pages but found no posts at all, where earlier runs did: the
  selectors no longer match (the site changed its markup). A board that simply has nothing new
  still yields "seen" posts, so this does not fire on a quiet source.

A source never crawled is shown as such but is not unhealthy: a new deployment is not an
incident. Interrupted runs (stopped on purpose) neither fail nor succeed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from crawlers.sources import Source, cron_trigger
from index.records import CrawlRun

FAILING_RUNS = 3
STALE_FACTOR = 2
RUNS_READ = 1000  # runs per source looked at (a week of a source crawled every 10 minutes)


@dataclass
class SourceHealth:
    source: str
    healthy: bool = True
    problems: list[str] = field(default_factory=list)
    running: bool = False
    last_run: str | None = None
    last_status: str | None = None
    last_success: str | None = None
    failed_in_a_row: int = 0
    errors_day: int = 0  # error messages recorded by runs started in the last day
    errors_week: int = 0
    failed_week: int = 0  # failed runs in the last week
    posts_day: int = 0  # new posts stored by runs started in the last day
    posts_week: int = 0
    stale_seconds: float | None = None  # age of the newest data (last successful run)
    interval_seconds: float | None = None  # of the source's schedule

    def to_dict(self) -> dict:
        return asdict(self)


def interval(schedule: str | None, now: datetime) -> timedelta | None:
    """The time between two runs of a cron schedule from now (the longest of the next few,
    so ``0 9 * * 1-5`` counts the weekend gap)."""
    if not schedule:
        return None
    trigger = cron_trigger(schedule, UTC)
    fires, fire = [], trigger.get_next_fire_time(None, now)
    while fire is not None and len(fires) < 8:
        fires.append(fire)
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    gaps = [b - a for a, b in zip(fires, fires[1:], strict=False)]
    return max(gaps) if gaps else None


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _yield(run: CrawlRun) -> int:
    return run.posts_new + run.posts_seen + run.posts_changed


def source_health(
    source: Source | str, runs: list[CrawlRun], now: datetime | None = None, running=False
) -> SourceHealth:
    """The health of one source from its runs, latest first."""
    now = now or datetime.now(UTC)
    name = source if isinstance(source, str) else source.name
    schedule = None if isinstance(source, str) else source.schedule
    health = SourceHealth(name, running=running)
    every = interval(schedule, now)
    health.interval_seconds = every.total_seconds() if every else None
    if runs:
        health.last_run, health.last_status = runs[0].started_at, runs[0].status
    day, week = now - timedelta(days=1), now - timedelta(days=7)
    for run in runs:
        started = _time(run.started_at)
        if started >= week:
            health.posts_week += run.posts_new
            health.errors_week += len(run.errors)
            health.failed_week += run.status == "failed"
            if started >= day:
                health.posts_day += run.posts_new
                health.errors_day += len(run.errors)
    finished = [run for run in runs if run.status in ("ok", "failed")]
    for run in finished:
        if run.status != "failed":
            break
        health.failed_in_a_row += 1
    success = next((run for run in finished if run.status == "ok"), None)
    if success is not None:
        health.last_success = success.finished_at or success.started_at
        health.stale_seconds = (now - _time(health.last_success)).total_seconds()

    if health.failed_in_a_row >= FAILING_RUNS:
        last_error = next(iter(finished[0].errors[-1:]), "no error recorded")
        health.problems.append(
            f"failing: the last {health.failed_in_a_row} runs failed (last: {last_error})"
        )
    if every is not None and runs:
        limit = every * STALE_FACTOR
        since = _time(health.last_success) if success else _time(runs[-1].started_at)
        if now - since > limit:
            what = f"data is {_age(now - since)} old" if success else (
                f"no successful run in {_age(now - since)}")  # fmt: skip
            health.problems.append(
                f"stale: {what}, more than {STALE_FACTOR}× its interval of {_age(every)}"
            )
    if finished:
        last = finished[0]
        earlier = [run for run in finished[1:] if run.pages]
        if last.pages and not _yield(last) and earlier and any(map(_yield, earlier)):
            health.problems.append(
                f"layout: the last run loaded {last.pages} page(s) but found no post, where "
                "earlier runs did; the selectors no longer match (did the site change?)"
            )
    health.healthy = not health.problems
    return health


def _age(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f}{unit}".replace(".0", "")
    return f"{seconds:.0f}s"


def age(seconds: float | None) -> str:
    return "" if seconds is None else _age(timedelta(seconds=seconds))
