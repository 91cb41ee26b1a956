"""Crawls of the demo market over loopback, each in a subprocess.

The Twisted reactor cannot be restarted inside one pytest process, so every crawl runs as
``python -m ops.cli crawl`` (the real command) and the tests read the real SQLite store and
evidence folder it leaves behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from crawlers.demo import DemoMarket

REPO = Path(__file__).resolve().parents[2]
REDACT_KEY = "crawler-tests-key"


@dataclass
class Crawl:
    returncode: int
    rows: dict[str, dict]  # per source: status, pages, new, seen, changed, errors
    stderr: str


def crawl_env(market: DemoMarket | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEISHI_")}
    env["HEISHI_REDACT_KEY"] = REDACT_KEY
    if market is not None:
        env["HEISHI_DEMO_URL"] = market.base_url
    env.update(extra)
    return env


def crawl_command(store: Path, evidence: Path, *args: str) -> list[str]:
    return [
        sys.executable, "-m", "ops.cli", "crawl", "--json", "--quiet",
        "--store", str(store), "--evidence", str(evidence), *args,
    ]  # fmt: skip


def run_crawl(
    store: Path, evidence: Path, *args: str, env: dict[str, str], timeout: float = 120
) -> Crawl:
    done = subprocess.run(
        crawl_command(store, evidence, *args),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    rows = {}
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            rows[row["source"]] = row
    if not rows:
        raise AssertionError(f"crawl printed no summary (exit {done.returncode}):\n{done.stderr}")
    return Crawl(done.returncode, rows, done.stderr)
