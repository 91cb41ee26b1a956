"""`heishi demo`, as `make demo` runs it: serve, crawl everything, stop; twice, nothing doubled."""

from __future__ import annotations

import json
import subprocess
import sys

from index import open_store
from tests.crawlers.crawling import REPO, crawl_env


def demo(tmp_path) -> tuple[dict[str, dict], str]:
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "demo", "--port", "0", "--json", "--quiet",
         "--store", str(tmp_path / "h.db"), "--evidence", str(tmp_path / "ev")],
        cwd=REPO, env=crawl_env(HEISHI_DIGEST_DIR=str(tmp_path / "digest")),
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {row["source"]: row for row in rows}, done.stderr


def test_demo_twice_stores_every_post_once(tmp_path):
    first, stderr = demo(tmp_path)
    assert "demo market serving on http://127.0.0.1:" in stderr
    assert len(first) == 10 and all(row["status"] == "ok" for row in first.values())
    # it ends with the latest week's digest, and what the example watch rules would send
    assert (tmp_path / "digest" / "2026-W47" / "digest.html").exists()
    with open_store(str(tmp_path / "h.db")) as db:
        stored = db.stats()["posts"]
    assert stored == sum(row["new"] for row in first.values()) > 200
    second, _ = demo(tmp_path)
    assert all(row["new"] == 0 and row["status"] == "ok" for row in second.values())
    assert sum(row["seen"] for row in second.values()) > 0
    with open_store(str(tmp_path / "h.db")) as db:
        assert db.stats()["posts"] == stored
