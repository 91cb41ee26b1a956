"""The one scheduler: a crawl job per source of ``sources.yaml``, and the periodic ops jobs.

APScheduler 3 with a persistent SQLAlchemy job store (SQLite beside the heishi store by
default), so a restart, even after SIGKILL, keeps every job's next run time: a run missed while
the scheduler was down is run once (coalesced) if it is within the misfire grace time.

Crawls do not run in the scheduler: the Twisted reactor cannot be restarted, so each crawl is
``heishi crawl SOURCE`` in a process of its own, under a time limit, and records its crawl run
in the store exactly as a crawl started by hand does. A source is crawled at most once at a
time, even across a scheduler killed and restarted: the crawl process holds a lock file of its
source for as long as it lives. On SIGTERM the running crawls are stopped the way Scrapy stops
(the pages in flight finish) and their state stays in a ``JOBDIR`` per source; the next crawl
of that source resumes from it.

With Redis (``--redis``), the scheduler does not crawl: it pushes the source's start requests
into Redis for the ``heishi worker`` processes, waits for that round to drain and records the
crawl run from the counts the workers leave there.

Job ids are ``crawl:<source>`` and ``ops:<job>``. ``sources.yaml`` (and the jobs file) are read
again whenever they change: a source added gets a job, one removed loses it, one rescheduled
gets its new cron; every other job keeps its state.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED

from crawlers.errors import ConfigError
from crawlers.sources import cron_trigger, load_sources, sources_path
from index import open_store
from index.records import utcnow
from index.store import default_store_location
from ops.periodic import JOBS_ENV, PeriodicJob, periodic_jobs, unavailable

logger = logging.getLogger("heishi.scheduler")

SCHEDULE_DIR_ENV = "HEISHI_SCHEDULE_DIR"
JOBSTORE_ENV = "HEISHI_JOBSTORE"
DEFAULT_TIME_LIMIT = 3600.0  # seconds one crawl may take
DEFAULT_MISFIRE_GRACE = 3600.0  # a run missed by more than this is skipped, not caught up
STOP_GRACE = 60.0  # seconds a stopping crawl gets to finish its pages in flight
CRAWL_FUNC = "ops.scheduler:crawl_job"
OPS_FUNC = "ops.periodic:run_periodic"


def schedule_dir(store: str | None = None) -> Path:
    """Where the scheduler keeps its state: ``$HEISHI_SCHEDULE_DIR``, else ``schedule/`` beside
    a SQLite store, else ``var/schedule``."""
    if os.environ.get(SCHEDULE_DIR_ENV):
        return Path(os.environ[SCHEDULE_DIR_ENV])
    store = store or default_store_location()
    if store.startswith(("http://", "https://", "es://")):
        return Path("var") / "schedule"
    return Path(store).resolve().parent / "schedule"


@dataclass
class Config:
    """What ``heishi schedule`` runs with (set from the command line and the environment)."""

    store: str
    sources_file: str | None = None
    evidence: str | None = None
    jobs_file: str | None = None
    state: Path | None = None
    jobstore: str | None = None  # SQLAlchemy URL
    redis: str | None = None
    time_limit: float = DEFAULT_TIME_LIMIT
    misfire_grace: float = DEFAULT_MISFIRE_GRACE
    reload_every: float = 2.0  # seconds between checks of sources.yaml (its mtime)
    stop_grace: float = STOP_GRACE  # seconds a stopping crawl gets before it is killed
    max_crawls: int = 4  # crawls running at once (each its own process)

    def __post_init__(self) -> None:
        self.state = Path(self.state) if self.state else schedule_dir(self.store)
        self.jobstore = (
            self.jobstore
            or os.environ.get(JOBSTORE_ENV)
            or f"sqlite:///{(self.state / 'jobs.db').resolve()}"
        )

    @property
    def crawl_state(self) -> Path:
        return self.state / "crawls"  # JOBDIR per source

    @property
    def locks(self) -> Path:
        return self.state / "locks"


# -- what should be scheduled ------------------------------------------------------------------


@dataclass
class Wanted:
    """One job as sources.yaml and the jobs registry want it."""

    id: str
    cron: str
    func: str
    args: tuple
    kind: str  # crawl | ops
    unavailable: str | None = None  # why an ops job cannot run


@dataclass
class Plan:
    jobs: dict[str, Wanted] = field(default_factory=dict)
    broken_sources: set[str] = field(default_factory=set)  # keep their jobs as they are


def plan(config: Config, report=logger.error) -> Plan:
    """Every job wanted now; sources that cannot be read are reported (one line each) and
    their jobs left alone. A sources file that cannot be read at all raises ConfigError."""
    wanted = Plan()

    def skipped(error: ConfigError) -> None:
        report(f"{error} (source skipped; the other sources go on)")
        field_name = error.field or ""
        if field_name.startswith("sources[") and "]" in field_name:
            wanted.broken_sources.add(field_name[len("sources[") : field_name.index("]")])

    for source in load_sources(config.sources_file, skip_invalid=skipped):
        if source.schedule:
            wanted.jobs[f"crawl:{source.name}"] = Wanted(
                f"crawl:{source.name}", source.schedule, CRAWL_FUNC, (source.name,), "crawl"
            )
    for job in periodic_jobs(config.jobs_file):
        if job.enabled:
            wanted.jobs[f"ops:{job.id}"] = _ops_wanted(job)
    return wanted


def _ops_wanted(job: PeriodicJob) -> Wanted:
    return Wanted(
        f"ops:{job.id}", job.cron, OPS_FUNC, (job.id, job.reference), "ops",
        unavailable(job.reference),
    )  # fmt: skip


# -- the scheduler -----------------------------------------------------------------------------


class _BackgroundScheduler(BackgroundScheduler):
    """APScheduler's, minus one quirk: shut down while paused with jobs due, its loop processes
    the jobs once more after the executors are gone and logs a traceback per job."""

    def _process_jobs(self):
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()


class Scheduler:
    """``heishi schedule run``: keeps the job store in step with sources.yaml and runs jobs."""

    def __init__(self, config: Config):
        self.config = config
        config.state.mkdir(parents=True, exist_ok=True)
        self.crawls = CrawlLauncher(config)
        self.aps = _BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=config.jobstore)},
            executors={"default": ThreadPoolExecutor(max_workers=config.max_crawls + 4)},
            job_defaults={
                "coalesce": True,
                "misfire_grace_time": int(config.misfire_grace),
                "max_instances": 1,
            },
        )
        self.aps.add_listener(self._event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
        self._sources_mtime: tuple | None = None
        self._stop = threading.Event()

    # -- life cycle ----------------------------------------------------------------------
    def run(self) -> int:
        """Run until SIGTERM or SIGINT; then stop the crawls cleanly and return 0."""
        global _LAUNCHER
        running = SourceLock(self.config.state, "scheduler")
        if not running.acquire():
            raise ConfigError(
                f"another scheduler (pid {running.holder()}) runs with this state; one at a "
                "time (its jobs would run twice)", str(self.config.state),
            )  # fmt: skip
        running.note(os.getpid())
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self._stop.set())
        self.aps.start(paused=True)
        try:
            self.sync(first=True)
            _LAUNCHER = self.crawls
            self.aps.resume()
            logger.info("scheduler started: %d jobs", len(self.aps.get_jobs()))
            while not self._stop.wait(self.config.reload_every):
                if self._sources_changed():
                    self.sync()
        finally:
            logger.info("stopping: running crawls are stopped and keep their state")
            self.aps.pause()
            self.crawls.stop_all()  # returns once every crawl process has ended
            self.aps.shutdown(wait=True)
            _LAUNCHER = None
            running.release()
        return 0

    def _mtimes(self) -> tuple:
        """When sources.yaml and the jobs file last changed (None: cannot be read)."""
        paths = [sources_path(self.config.sources_file)]
        jobs = self.config.jobs_file or os.environ.get(JOBS_ENV)
        if jobs:
            paths.append(Path(jobs))
        mtimes = []
        for path in paths:
            try:
                mtimes.append(path.stat().st_mtime)
            except OSError:
                mtimes.append(None)
        return tuple(mtimes)

    def _sources_changed(self) -> bool:
        return self._mtimes() != self._sources_mtime

    def sync(self, first: bool = False) -> None:
        """Make the job store match sources.yaml and the jobs registry, keeping the state of
        every job that did not change."""
        self._sources_mtime = self._mtimes()
        try:
            wanted = plan(self.config)
        except ConfigError as exc:
            if first:
                raise
            logger.error("%s (sources.yaml not applied; the jobs go on as they were)", exc)
            return
        now = datetime.now(self.aps.timezone)
        existing = {job.id: job for job in self.aps.get_jobs()}
        for job_id in existing:
            if job_id in wanted.jobs:
                continue
            kind, _, name = job_id.partition(":")
            if kind == "crawl" and name in wanted.broken_sources:
                continue
            self.aps.remove_job(job_id)
            if kind == "crawl":
                logger.warning("job %s: source %r is not in sources.yaml any more (or has "
                               "no schedule); its job is removed", job_id, name)  # fmt: skip
            else:
                logger.warning("job %s: no longer configured; removed", job_id)
        for job_id, want in wanted.jobs.items():
            if want.unavailable:
                logger.error("job %s: %s unavailable (%s); listed, not run",
                             job_id, want.args[-1], want.unavailable)  # fmt: skip
                if job_id in existing:
                    self.aps.remove_job(job_id)
                continue
            trigger = cron_trigger(want.cron, self.aps.timezone)
            job = existing.get(job_id)
            if job is None:
                self.aps.add_job(want.func, trigger, args=list(want.args), id=job_id,
                                 name=want.cron, replace_existing=True)  # fmt: skip
                if not first:
                    logger.info("job %s: added (%s)", job_id, want.cron)
            elif job.name != want.cron or tuple(job.args) != want.args:
                self.aps.modify_job(job_id, name=want.cron, args=list(want.args))
                self.aps.reschedule_job(job_id, trigger=trigger)
                logger.info("job %s: rescheduled (%s)", job_id, want.cron)
            elif first and job.next_run_time is not None and job.next_run_time < now:
                missed, last = _missed(job.trigger, job.next_run_time, now)
                late = (now - last).total_seconds()  # coalesced: the last missed run is run
                if late <= self.config.misfire_grace:
                    logger.warning("job %s: %d run(s) missed while the scheduler was down; "
                                   "running once now (coalesced)", job_id, missed)  # fmt: skip
                else:
                    logger.warning("job %s: %d run(s) missed, the last one more than %gs ago "
                                   "(misfire grace); waiting for the next", job_id, missed,
                                   self.config.misfire_grace)  # fmt: skip

    def _event(self, event) -> None:
        if event.code == EVENT_JOB_MAX_INSTANCES:
            logger.warning("job %s: still running at its next run time; that run is skipped "
                           "(one at a time)", event.job_id)  # fmt: skip
        else:
            logger.warning("job %s: run of %s missed by more than the misfire grace time",
                           event.job_id, event.scheduled_run_time)  # fmt: skip


def _missed(trigger, since: datetime, now: datetime, cap: int = 10_000) -> tuple[int, datetime]:
    """How many fire times from ``since`` to ``now``, and the last of them."""
    count, fire, last = 0, since, since
    while fire is not None and fire <= now and count < cap:
        count, last = count + 1, fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return count, last


# -- running one crawl -------------------------------------------------------------------------

_LAUNCHER: CrawlLauncher | None = None


def crawl_job(source: str) -> None:
    """What the job store names for a crawl job (``ops.scheduler:crawl_job``)."""
    if _LAUNCHER is None:
        logger.error("crawl:%s: no scheduler is running in this process; not crawled", source)
        return
    _LAUNCHER.run(source)


class SourceLock:
    """``locks/<source>.lock``, held (flock) by the crawl of that source for as long as it runs.

    The crawl process inherits the locked descriptor, so the lock outlives a scheduler killed
    with SIGKILL: a restarted scheduler never starts a second crawl of the same source. (The
    scheduler holds ``scheduler.lock`` the same way: one scheduler per state folder.)"""

    def __init__(self, folder: Path, source: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{source}.lock"
        self.fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def note(self, pid: int) -> None:
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{pid}\n".encode(), 0)

    def holder(self) -> str:
        try:
            return self.path.read_text().strip() or "?"
        except OSError:
            return "?"

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def held(self) -> bool:
        """Whether some process holds it now (without keeping it)."""
        if not self.path.exists():
            return False
        if self.acquire():
            self.release()
            return False
        return True


class CrawlLauncher:
    """Starts each crawl in its own process under a time limit, and stops them on request."""

    def __init__(self, config: Config):
        self.config = config
        self.running: dict[str, subprocess.Popen] = {}
        self.stopping = False
        self._lock = threading.Lock()

    def run(self, source: str) -> None:
        if self.stopping:
            return
        lock = SourceLock(self.config.locks, source)
        if not lock.acquire():
            logger.warning("crawl:%s: the previous crawl (pid %s) is still running; this run "
                           "is skipped (one at a time)", source, lock.holder())  # fmt: skip
            return
        try:
            if self.config.redis:
                self._distributed(source)
            else:
                self._local(source, lock)
        finally:
            lock.release()

    def _local(self, source: str, lock: SourceLock) -> None:
        config = self.config
        command = [
            sys.executable, "-m", "ops.cli", "crawl", source, "--json", "--quiet",
            "--store", config.store, "--jobdir", str(config.crawl_state),
            "--time-limit", f"{config.time_limit:g}",
        ]  # fmt: skip
        if config.sources_file:
            command += ["--sources-file", str(config.sources_file)]
        if config.evidence:
            command += ["--evidence", str(config.evidence)]
        resumed = (config.crawl_state / source).exists()
        with self._lock:
            if self.stopping:
                return
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                pass_fds=(lock.fd,),
                start_new_session=True,  # a Ctrl-C at the terminal reaches the scheduler only
            )
            self.running[source] = process
        lock.note(process.pid)
        logger.info("crawl:%s: started (pid %d)%s", source, process.pid,
                    ", resuming the stopped crawl" if resumed else "")  # fmt: skip
        try:
            out, err = self._wait(source, process)
        finally:
            with self._lock:
                self.running.pop(source, None)
        self._report(source, process.returncode, out, err)

    def _wait(self, source: str, process: subprocess.Popen) -> tuple[str, str]:
        limit, grace = self.config.time_limit, self.config.stop_grace
        try:
            return process.communicate(timeout=limit + grace)
        except subprocess.TimeoutExpired:
            pass
        logger.error("crawl:%s: still running %gs after its time limit of %gs; stopping it",
                     source, grace, limit)  # fmt: skip
        process.send_signal(signal.SIGTERM)
        try:
            out, err = process.communicate(timeout=grace)
        except subprocess.TimeoutExpired:
            logger.error("crawl:%s: did not stop within %gs; killed", source, grace)
            process.kill()
            out, err = process.communicate()
        _mark_running_runs(self.config.store, source,
                           f"killed: still running past its time limit of {limit:g}s")  # fmt: skip
        return out, err

    def _report(self, source: str, returncode: int, out: str, err: str) -> None:
        rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        row = next((r for r in rows if r.get("source") == source), None)
        if row is None and returncode < 0 and self.stopping:
            logger.warning("crawl:%s: stopped before it had started crawling", source)
            return
        if row is None:
            last = next((line for line in reversed(err.splitlines()) if line.strip()), "")
            logger.error("crawl:%s: the crawl process ended (exit %s) without a result: %s",
                         source, returncode, last or "no output")  # fmt: skip
            return
        errors = row.get("errors") or []
        line = (f"crawl:{source}: {row['status']}: pages {row['pages']}, new {row['new']}, "
                f"seen {row['seen']}, changed {row['changed']}, errors {len(errors)}")  # fmt: skip
        if row["status"] == "ok":
            logger.info(line)
        elif row["status"] == "interrupted":
            logger.warning("%s; its state is kept and the next run resumes it", line)
        else:
            logger.error("%s%s", line, f" ({errors[-1]})" if errors else "")

    def _distributed(self, source: str) -> None:
        from crawlers.distributed import run_round

        config = self.config
        sources = {s.name: s for s in load_sources(config.sources_file, lambda _: None)}
        if source not in sources:
            logger.error("crawl:%s: not in sources.yaml any more; not crawled", source)
            return
        run_round(
            sources[source], config.redis, config.store,
            time_limit=config.time_limit, stopping=lambda: self.stopping, log=logger,
        )  # fmt: skip

    def stop_all(self) -> None:
        """SIGTERM every running crawl (Scrapy finishes the pages in flight and keeps the rest
        in its JOBDIR); SIGKILL the ones still there after the grace time."""
        with self._lock:
            self.stopping = True
            processes = dict(self.running)
        for source, process in processes.items():
            logger.info("crawl:%s: stopping (pid %d)", source, process.pid)
            try:
                process.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
        grace = self.config.stop_grace
        deadline = time.monotonic() + grace
        for source, process in processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.error("crawl:%s: did not stop within %gs; killed", source, grace)
                process.kill()


def _mark_running_runs(store_location: str, source: str, why: str) -> None:
    """A crawl killed from outside cannot record its end: record it for it."""
    try:
        with open_store(store_location) as store:
            for run in store.runs(source, limit=5):
                if run.status == "running":
                    run.status = "failed"
                    run.finished_at = utcnow()
                    run.errors = [*run.errors, why]
                    store.finish_run(run)
    except Exception as exc:  # the crawl's failure is already logged; this is bookkeeping
        logger.error("crawl:%s: cannot record the killed run: %s", source, exc)


# -- listing -----------------------------------------------------------------------------------


def list_jobs(config: Config) -> list[dict]:
    """Every job, as the scheduler has it (next run time) or would add it (not started yet)."""
    errors: list[str] = []
    wanted = plan(config, report=errors.append)
    stored = _stored_jobs(config)
    now = datetime.now().astimezone()
    rows = []
    for job_id, want in wanted.jobs.items():
        kind, _, name = job_id.partition(":")
        target = name if kind == "crawl" else want.args[-1]
        row = {"job": job_id, "kind": kind, "schedule": want.cron, "next_run": None,
               "state": "scheduled", "target": target}  # fmt: skip
        job = stored.get(job_id)
        if want.unavailable:
            row["state"] = f"unavailable: {want.unavailable}"
        elif job is not None and job["cron"] == want.cron:
            row["next_run"] = job["next_run"]
        else:
            fire = cron_trigger(want.cron).get_next_fire_time(None, now)
            row["next_run"] = fire.isoformat(timespec="seconds") if fire else None
            row["state"] = "new (added when the scheduler starts)" if job is None else (
                "rescheduled at the next start")  # fmt: skip
        if kind == "crawl" and SourceLock(config.locks, name).held():
            row["state"] = "running"
        rows.append(row)
    for job_id, job in stored.items():
        if job_id not in wanted.jobs:
            rows.append({"job": job_id, "kind": job_id.partition(":")[0], "schedule": job["cron"],
                         "next_run": job["next_run"], "target": "",
                         "state": "stale: removed when the scheduler starts"})  # fmt: skip
    for error in errors:
        rows.append({"job": "", "kind": "error", "schedule": "", "next_run": None,
                     "target": "", "state": error})  # fmt: skip
    rows.sort(key=lambda r: (r["kind"] == "error", r["next_run"] is None, r["next_run"] or ""))
    return rows


def _stored_jobs(config: Config) -> dict[str, dict]:
    """The job store's jobs, read without starting a scheduler (and without creating it)."""
    url = config.jobstore
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :]).exists():
        return {}
    store = SQLAlchemyJobStore(url=url)
    store.start(BackgroundScheduler(), "default")
    try:
        jobs = {}
        for job in store.get_all_jobs():
            when = job.next_run_time
            jobs[job.id] = {
                "cron": job.name,
                "next_run": when.isoformat(timespec="seconds") if when else None,
            }
        return jobs
    finally:
        store.shutdown()

