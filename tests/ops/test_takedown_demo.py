"""Takedown against the demo market: a real crawl, real Chromium screenshots of the live
pages (a JavaScript page included), and verify fetching a JavaScript page with the browser."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from crawlers.demo import DemoMarket
from index import open_store
from ops.cli import main
from tests.crawlers.crawling import REDACT_KEY, REPO, crawl_env, run_crawl

pytestmark = pytest.mark.skipif(not shutil.which("/usr/bin/chromium"),
                                reason="/usr/bin/chromium is not installed")


def test_demo_market_posts_are_pictured_live_and_verified(tmp_path, monkeypatch, capsys):
    store, evidence = tmp_path / "heishi.db", tmp_path / "evidence"
    monkeypatch.setenv("HEISHI_REDACT_KEY", REDACT_KEY)
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    monkeypatch.chdir(REPO)  # the shipped sources.yaml and takedown.yaml
    with DemoMarket(port=0) as market:
        monkeypatch.setenv("HEISHI_DEMO_URL", market.base_url)
        crawl = run_crawl(store, evidence, "demo-sms", "demo-js", env=crawl_env(market))
        assert crawl.returncode == 0, crawl.stderr
        with open_store(str(store)) as opened:
            posts = {p["source"]: p for p in opened.iter_posts()}
        row, listing = posts["demo-sms"], posts["demo-js"]
        capsys.readouterr()
        assert main(["takedown", "--store", str(store), "--evidence", str(evidence),
                     "--out", str(tmp_path / "out"), "--post", row["id"],
                     "--post", listing["id"]]) == 0
        (folder,) = (tmp_path / "out").iterdir()
        with zipfile.ZipFile(folder / "evidence.zip") as bundle:
            manifest = json.loads(bundle.read("manifest.json"))
            shots = [e for e in manifest["files"] if e["kind"] == "screenshot"]
            assert len(shots) == 2 and all(e["live"] for e in shots)
            text = {e["url"]: bundle.read(e["path"].replace(".png", ".txt")).decode()
                    for e in shots}
            for shot in shots:
                assert bundle.read(shot["path"]).startswith(b"\x89PNG")
        assert row["title"] in text[row["url"]]
        # The JavaScript page was pictured once its listings were rendered.
        assert listing["title"] in text[listing["url"]]

        capsys.readouterr()
        assert main(["takedown", "--store", str(store), "verify", "--evidence",
                     str(evidence), "--json"]) == 0
        checks = {c["post"]: c for c in map(json.loads, capsys.readouterr().out.splitlines())}
        # Plain HTTP would find no listing text in the JavaScript page's HTML and call it
        # gone; the browser sees it still there.
        assert checks[listing["id"]]["outcome"] == "up"
        assert checks[row["id"]]["outcome"] == "up"
