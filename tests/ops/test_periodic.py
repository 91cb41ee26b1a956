"""The registry of periodic ops jobs, and cron strings as the scheduler reads them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from crawlers.errors import ConfigError
from crawlers.sources import cron_trigger
from ops.periodic import OPS_JOBS, periodic_jobs, run_periodic, unavailable
from ops.scheduler import Config, plan

MONDAY = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


def test_the_agreed_ops_jobs_are_registered():
    references = {job.reference for job in OPS_JOBS}
    assert references == {"ops.digest:scheduled_digest", "ops.takedown:scheduled_verify",
                          "ops.alerts:scheduled_alerts"}  # fmt: skip
    for job in OPS_JOBS:
        cron_trigger(job.cron)


def test_a_jobs_file_changes_crons_turns_jobs_off_and_adds_jobs(tmp_path):
    path = tmp_path / "jobs.yaml"
    path.write_text(
        "jobs:\n"
        '  - {id: digest, cron: "0 7 * * 1"}\n'
        "  - {id: alerts, enabled: false}\n"
        '  - {id: probe, cron: "*/5 * * * * *", ref: "tests.ops.probe_job:touch"}\n',
        encoding="utf-8",
    )
    jobs = {job.id: job for job in periodic_jobs(path)}
    assert jobs["digest"].cron == "0 7 * * 1"
    assert jobs["digest"].reference == "ops.digest:scheduled_digest"
    assert not jobs["alerts"].enabled
    assert jobs["probe"].reference == "tests.ops.probe_job:touch"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{id: digest, cron: "61 * * * *"}', "jobs[digest].cron: '61 * * * *' is not a cron"),
        ("{id: mine, cron: '* * * * *'}", "jobs[mine]: a new job needs 'cron' and 'ref'"),
        ("{id: mine, cron: '* * * * *', ref: 'no colon'}", "is not a 'module:function'"),
        ("{id: digest, when: daily}", "jobs[0]: unknown key(s) ['when']"),
    ],
)
def test_a_bad_jobs_file_names_the_file_and_the_job(tmp_path, entry, message):
    path = tmp_path / "jobs.yaml"
    path.write_text(f"jobs:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        periodic_jobs(path)
    assert str(error.value).startswith(str(path)) and message in str(error.value)


def test_a_reference_that_cannot_be_imported_is_one_line_and_no_crash(caplog, tmp_path):
    assert unavailable("tests.ops.probe_job:touch") is None
    why = unavailable("tests.ops.no_such_module:run")
    assert why == "ModuleNotFoundError: No module named 'tests.ops.no_such_module'"
    assert unavailable("tests.ops.probe_job:nothing").startswith("AttributeError")
    with caplog.at_level(logging.ERROR):
        run_periodic("ghost", "tests.ops.no_such_module:run")
    (record,) = caplog.records
    assert "job ops:ghost: tests.ops.no_such_module:run cannot be loaded" in record.message


def test_a_job_of_our_own_runs_by_its_reference(tmp_path, monkeypatch):
    target = tmp_path / "probe.txt"
    monkeypatch.setenv("HEISHI_PROBE_FILE", str(target))
    run_periodic("probe", "tests.ops.probe_job:touch")
    assert len(target.read_text().splitlines()) == 1


def test_the_plan_lists_unavailable_jobs_instead_of_failing(tmp_path):
    (tmp_path / "sources.yaml").write_text(
        'sources:\n  - name: a\n    start_urls: ["http://127.0.0.1:9/"]\n'
        '    schedule: "0 * * * *"\n    selectors: {post: div, fields: {text: p}}\n',
        encoding="utf-8",
    )
    (tmp_path / "jobs.yaml").write_text(
        'jobs:\n  - {id: probe, cron: "* * * * *", ref: "tests.ops.probe_job:touch"}\n',
        encoding="utf-8",
    )
    wanted = plan(Config(store=str(tmp_path / "h.db"), sources_file=str(tmp_path / "sources.yaml"),
                         jobs_file=str(tmp_path / "jobs.yaml"))).jobs  # fmt: skip
    assert wanted["crawl:a"].cron == "0 * * * *"
    assert wanted["ops:probe"].unavailable is None
    assert wanted["ops:digest"].unavailable or _module_exists("ops.digest")


def _module_exists(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


@pytest.mark.parametrize(
    ("cron", "next_fire"),
    [
        ("0 6 * * 1", datetime(2026, 12, 7, 6, 0, tzinfo=UTC)),  # crontab's 1 is Monday
        ("0 6 * * 0", datetime(2026, 12, 6, 6, 0, tzinfo=UTC)),  # and 0 is Sunday
        ("0 6 * * 7", datetime(2026, 12, 6, 6, 0, tzinfo=UTC)),  # so is 7
        ("0 9 * * 1-5", datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),
        ("*/20 * * * * *", datetime(2026, 11, 30, 7, 0, 20, tzinfo=UTC)),  # seconds first
    ],
)
def test_cron_strings_mean_what_crontab_means(cron, next_fire):
    assert cron_trigger(cron, UTC).get_next_fire_time(None, MONDAY.replace(second=1)) == next_fire


def test_a_run_missed_by_more_than_the_grace_time_is_skipped_not_caught_up(tmp_path, caplog):
    """The job store keeps next run times; restarted too late, a job waits for its next run."""
    from datetime import timedelta

    from ops.scheduler import Scheduler

    (tmp_path / "sources.yaml").write_text(
        'sources:\n  - name: a\n    start_urls: ["http://127.0.0.1:9/"]\n'
        '    schedule: "0 * * * *"\n    selectors: {post: div, fields: {text: p}}\n',
        encoding="utf-8",
    )
    config = Config(store=str(tmp_path / "h.db"), sources_file=str(tmp_path / "sources.yaml"),
                    state=tmp_path / "state", misfire_grace=1)  # fmt: skip
    first = Scheduler(config)
    first.aps.start(paused=True)
    first.sync(first=True)
    job = first.aps.get_job("crawl:a")
    hourly_before = job.next_run_time
    first.aps.modify_job("crawl:a", next_run_time=hourly_before - timedelta(hours=3))
    first.aps.shutdown(wait=False)

    second = Scheduler(config)  # as after a crash: the same job store
    second.aps.start(paused=True)
    with caplog.at_level(logging.WARNING, logger="heishi.scheduler"):
        second.sync(first=True)
    second.aps.shutdown(wait=False)
    assert "job crawl:a: 3 run(s) missed, the last one more than 1s ago" in caplog.text
    assert "coalesced" not in caplog.text
