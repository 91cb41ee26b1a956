"""The periodic ops jobs the one scheduler runs beside the crawls: digest, takedown checks, alerts.

Each job is an id, a default cron string and an APScheduler textual reference
(``module:function``, no required arguments; it reads its configuration from the environment
the way the CLI does). The scheduler stores the reference, not the function, and resolves it
only when the job runs (:func:`run_periodic`): a job whose module is missing or broken stays
listed, marked unavailable with one line saying why, instead of stopping the scheduler or being
dropped from the job store by APScheduler when it cannot restore it.

Operators change a job's cron, turn one off, or add their own in a YAML file named by
``$HEISHI_JOBS`` (or ``--jobs-file``)::

    jobs:
      - {id: digest, cron: "0 7 * * 1"}       # Mondays 07:00 instead of 06:00
      - {id: alerts, enabled: false}
      - {id: nightly-export, cron: "0 2 * * *", ref: "mytools.export:nightly"}
"""

from __future__ import annotations

import importlib
import logging
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from crawlers.errors import ConfigError
from crawlers.sources import cron_trigger

logger = logging.getLogger(__name__)

JOBS_ENV = "HEISHI_JOBS"
_REFERENCE = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class PeriodicJob:
    id: str
    cron: str
    reference: str  # "module:function"
    help: str = ""
    enabled: bool = True


OPS_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob(
        "digest", "0 6 * * 1", "ops.digest:scheduled_digest",
        "write the latest complete week's price-index digest",
    ),
    PeriodicJob(
        "takedown-verify", "30 3 * * *", "ops.takedown:scheduled_verify",
        "re-check sent takedown requests: is the listing gone?",
    ),
    PeriodicJob(
        "alerts", "*/5 * * * *", "ops.alerts:scheduled_alerts",
        "deliver pending watch alerts and retry failed deliveries",
    ),
)  # fmt: skip


def periodic_jobs(path: str | os.PathLike | None = None) -> list[PeriodicJob]:
    """The built-in jobs, changed and extended by the jobs file (``path``, else
    ``$HEISHI_JOBS``)."""
    jobs = {job.id: job for job in OPS_JOBS}
    path = path or os.environ.get(JOBS_ENV)
    if not path:
        return list(jobs.values())
    file = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the jobs file: {exc.strerror or exc}", file) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ConfigError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file, line) from None
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise ConfigError("expected a 'jobs:' list", file)
    for index, entry in enumerate(data["jobs"]):
        where = f"jobs[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ConfigError("each job is a mapping with an 'id'", file, field=where)
        unknown = set(entry) - {"id", "cron", "ref", "enabled", "help"}
        if unknown:
            raise ConfigError(f"unknown key(s) {sorted(unknown)}", file, field=where)
        job_id = entry["id"]
        where = f"jobs[{job_id}]"
        if not _ID.match(job_id):
            raise ConfigError(f"{job_id!r}: use lower-case letters, digits, '-', '_'", file,
                              field=where)  # fmt: skip
        job = jobs.get(job_id)
        if job is None:
            if "ref" not in entry or "cron" not in entry:
                raise ConfigError("a new job needs 'cron' and 'ref'", file, field=where)
            job = PeriodicJob(job_id, "", "")
        changes = {}
        if "cron" in entry:
            try:
                cron_trigger(str(entry["cron"]))
            except ValueError as exc:
                raise ConfigError(f"{entry['cron']!r} is not a cron string: {exc}", file,
                                  field=f"{where}.cron") from None  # fmt: skip
            changes["cron"] = str(entry["cron"])
        if "ref" in entry:
            if not isinstance(entry["ref"], str) or not _REFERENCE.match(entry["ref"]):
                raise ConfigError(f"{entry['ref']!r} is not a 'module:function' reference",
                                  file, field=f"{where}.ref")  # fmt: skip
            changes["reference"] = entry["ref"]
        if "enabled" in entry:
            changes["enabled"] = bool(entry["enabled"])
        if "help" in entry:
            changes["help"] = str(entry["help"])
        jobs[job_id] = replace(job, **changes)
    return list(jobs.values())


def resolve(reference: str):
    """The function a textual reference names; ImportError/AttributeError say why not."""
    module_name, _, name = reference.partition(":")
    target = importlib.import_module(module_name)
    for part in name.split("."):
        target = getattr(target, part)
    if not callable(target):
        raise TypeError(f"{reference} is not callable")
    return target


def unavailable(reference: str) -> str | None:
    """None when the reference can be run, else one line saying why not."""
    try:
        resolve(reference)
    except Exception as exc:  # a module that fails to import is as unavailable as a missing one
        return f"{type(exc).__name__}: {exc}"
    return None


def run_periodic(job_id: str, reference: str) -> None:
    """What the scheduler runs for an ops job: resolve the reference now, then call it."""
    try:
        function = resolve(reference)
    except Exception as exc:
        logger.error("job ops:%s: %s cannot be loaded (%s); skipped", job_id, reference, exc)
        return
    logger.info("job ops:%s: running %s", job_id, reference)
    function()
    logger.info("job ops:%s: done", job_id)
