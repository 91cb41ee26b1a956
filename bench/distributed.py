"""Does a second worker help? Pages/s of a distributed crawl with one and with two workers.

Serves the demo market's generated ``/bench/`` forum (``--pages`` listing pages of 20 threads,
each with its detail page, so that there are many requests to share), starts a real
``redis-server`` on a free loopback port, and for 1 and then 2 ``heishi worker`` processes:
a fresh store, the workers started and waiting, then one round of the source pushed and timed
until the workers have drained it (:func:`crawlers.distributed.run_round`, what the scheduler
runs). Prints pages/s of each and the ratio two / one.

The workers share the machine's CPUs with the demo market and each other: on two cores the
ratio says more about CPU left over than about Redis; on separate machines it is the point.

    .venv/bin/python bench/distributed.py [--pages 30]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SOURCES = """\
sources:
  - name: bench
    start_urls: ["{base}/bench/"]
    politeness: {{delay: 0, concurrency: 4, autothrottle: false, robots: false, retries: 1}}
    selectors:
      post: div.threads div.thread
      fields:
        site_id: "::attr(data-tid)"
        title: a.title
        link: a.title::attr(href)
        text: div.body
      next_page: div.pager a.next::attr(href)
      detail:
        text: div.post div.content
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    import redis

    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    return process, f"redis://127.0.0.1:{port}/0"


def measure(workers: int, base: str, url: str, folder: Path) -> tuple[int, float]:
    import redis

    from crawlers.distributed import run_round
    from crawlers.sources import load_sources

    run_dir = folder / f"{workers}-workers"
    run_dir.mkdir()
    sources = run_dir / "sources.yaml"
    sources.write_text(SOURCES.format(base=base), encoding="utf-8")
    store = str(run_dir / "h.db")
    redis.Redis.from_url(url).flushdb()
    env = {**os.environ, "HEISHI_REDACT_KEY": "bench-key", "HEISHI_WORKERS": "0"}
    command = [sys.executable, "-m", "ops.cli", "worker", "--redis", url, "--store", store,
               "--sources-file", str(sources), "--evidence", str(run_dir / "ev")]  # fmt: skip
    processes = [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)  # fmt: skip
        for _ in range(workers)
    ]
    client = redis.Redis.from_url(url)
    try:
        while len(client.keys("heishi:worker:*/bench")) < workers:
            time.sleep(0.2)
        (source,) = load_sources(sources)
        started = time.perf_counter()
        run = run_round(source, url, store, time_limit=1800, poll=0.05)
        elapsed = time.perf_counter() - started
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=120)
    if run.status != "ok":
        raise SystemExit(f"the round with {workers} worker(s) failed: {run.errors[-3:]}")
    return run.pages, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30, help="listing pages (20 threads each)")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed (make system installs it)")
    from crawlers.demo import DemoMarket

    folder = Path(tempfile.mkdtemp(prefix="heishi-bench-distributed-"))
    redis_process, url = start_redis(folder)
    try:
        with DemoMarket(port=0, listing_pages=args.pages) as market:
            results = {n: measure(n, market.base_url, url, folder) for n in (1, 2)}
    finally:
        redis_process.terminate()
        redis_process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)
    rates = {}
    print(f"demo market /bench/: {args.pages} listing pages + their threads; CPUs: "
          f"{os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for workers, (pages, elapsed) in results.items():
        rates[workers] = pages / elapsed
        print(f"{workers} worker{'s' if workers > 1 else ' '}: {pages} pages in "
              f"{elapsed:6.1f} s = {rates[workers]:6.1f} pages/s")  # fmt: skip
    print(f"ratio two / one: {rates[2] / rates[1]:.2f}")


if __name__ == "__main__":
    main()
