"""Real ``heishi`` processes for the scheduler and worker tests: started, awaited, stopped."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from index import open_store
from tests.crawlers.crawling import REPO, crawl_env

BOARD = """\
      post: div.threads div.thread
      fields:
        site_id: "::attr(data-tid)"
        title: a.title
        link: a.title::attr(href)
        text: div.body
      next_page: div.pager a.next::attr(href)
"""
DETAIL = "      detail:\n        text: div.post div.content\n"


def source_block(name: str, url: str, schedule: str | None = None,
                 politeness: str = "{delay: 0, robots: false}", detail: bool = False) -> str:
    text = f'  - name: {name}\n    start_urls: ["{url}"]\n    politeness: {politeness}\n'
    if schedule:
        text += f'    schedule: "{schedule}"\n'
    return text + "    selectors:\n" + BOARD + (DETAIL if detail else "")


def write_sources(path: Path, *blocks: str) -> Path:
    path.write_text("sources:\n" + "".join(blocks), encoding="utf-8")
    return path


NO_OPS_JOBS = Path(__file__).with_name("no_ops_jobs.yaml")


def heishi_env(market=None, **extra: str) -> dict[str, str]:
    # Extraction inline: fewer processes on a shared machine, same results. No ops job of the
    # scheduler runs unless a test asks for it.
    extra.setdefault("HEISHI_JOBS", str(NO_OPS_JOBS))
    return crawl_env(market, HEISHI_WORKERS="0", **extra)


class Process:
    """A ``python -m ops.cli …`` process whose stderr goes to a file the test can read."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log = log
        self._file = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "ops.cli", *args],
            cwd=REPO, env=env, stdout=self._file, stderr=self._file,
        )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.popen.pid

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, text: str, timeout: float = 60) -> None:
        wait_for(lambda: text in self.text(), timeout, f"{text!r} in {self.log.name}",
                 alive=self.popen)  # fmt: skip

    def kill(self) -> None:
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)
        self._file.close()

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM, and the exit code."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout=timeout)
        finally:
            if self.popen.poll() is None:
                self.popen.kill()
            self._file.close()


def wait_for(predicate, timeout: float, what: str, alive: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if alive is not None and alive.poll() is not None:
            raise AssertionError(f"the process ended (exit {alive.returncode}) before {what}")
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def runs(store: Path, source: str) -> list:
    """Crawl runs of a source, oldest first (none if the store does not exist yet)."""
    if not store.exists():
        return []
    with open_store(str(store)) as db:
        return list(reversed(db.runs(source, limit=100)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_alive(pid: int) -> bool:
    """Running (a zombie, dead but not reaped by its new parent, does not count)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


REDIS_SERVER = "/usr/bin/redis-server"


class RedisServer:
    """A real ``redis-server`` on a free loopback port, persisting to its own folder (the
    append-only file, as ops/deploy runs it), so that a restart keeps the queue."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.popen: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        import redis

        self.folder.mkdir(parents=True, exist_ok=True)
        self.popen = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
             "--protected-mode", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=1)

        def answers():
            try:
                return client.ping()
            except redis.RedisError:
                return False

        wait_for(answers, 20, "redis-server to answer", alive=self.popen)
        return self

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            self.popen.wait(timeout=20)
        self.popen = None

    def client(self):
        import redis

        return redis.Redis(port=self.port)
