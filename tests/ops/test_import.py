"""``heishi import``: real exports (from ../shared/samples, never copied here) through the crawl
pipeline, twice; bad files fail by name and lose nothing already stored."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawlers.formats.qqtxt import parse_qq_export
from index import open_store
from tests.crawlers.crawling import REPO, crawl_env

SAMPLES = REPO.parent / "shared" / "samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"real samples not found at {SAMPLES} (../shared is absent)"
)


def heishi_import(tmp_path: Path, *files: Path, source: str = "imports"):
    done = subprocess.run(
        [sys.executable, "-m", "ops.cli", "import", *map(str, files), "--source", source,
         "--json", "--quiet", "--store", str(tmp_path / "h.db"),
         "--evidence", str(tmp_path / "ev")],
        cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=240)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return done, (rows[0] if rows else None)


def sample(pattern: str) -> Path:
    (path,) = sorted(SAMPLES.glob(pattern))
    return path


@needs_samples
def test_import_every_export_kind_twice_stores_nothing_new(tmp_path):
    files = [sample("qq_export_txt/*.txt"), sample("tg_export_json/*.json"),
             sample("tg_export_html/*lassepe*"), sample("tg_export_html/*cnafateh*"),
             sample("tme_s/*__full.html")]
    done, row = heishi_import(tmp_path, *files)
    assert done.returncode == 0 and row["status"] == "ok", done.stderr
    expected = 3036 + 6 + 3 + 2 + 12  # messages, service and system messages left out
    assert row["new"] == expected and row["pages"] == len(files)
    with open_store(str(tmp_path / "h.db")) as db:
        posts = list(db.iter_posts("imports"))
        offers_before = db.stats()["offers"]
    assert len(posts) == expected
    digests = {hashlib.sha256(f.read_bytes()).hexdigest(): f for f in files}
    assert {post["evidence_sha256"] for post in posts} == set(digests)
    for digest, path in digests.items():  # the file itself is the evidence, byte for byte
        blob = tmp_path / "ev" / digest[:2] / digest[2:4] / f"{digest}.gz"
        assert gzip.decompress(blob.read_bytes()) == path.read_bytes()
    qq = next(p for p in posts if p["key"].startswith("qq/") and p["author"] == "移游-徐云翰")
    assert qq["channel"] == "2015浙大软院研究生群"
    assert qq["posted_at"] == "2016-07-19T07:27:15+00:00"  # written in China time
    tme = next(p for p in posts if p["key"] == "topwar_official/70989")
    assert tme["extra"]["context"].startswith("Военное обозрение")

    again, row = heishi_import(tmp_path, *files)
    assert again.returncode == 0 and row["new"] == 0 and row["changed"] == 0
    assert row["seen"] == expected
    with open_store(str(tmp_path / "h.db")) as db:
        assert db.stats()["posts"] == expected and db.stats()["offers"] == offers_before
    warcs = list((tmp_path / "ev" / "warc" / "imports").glob("*.warc.gz"))
    with warcs[0].open("rb") as stream:
        records = [r for r in ArchiveIterator(stream) if r.rec_type == "response"]
    assert len(warcs) == 1 and len(records) == len(files)  # a file is archived once


@needs_samples
def test_bad_files_fail_by_name_and_keep_what_is_stored(tmp_path):
    good = sample("tg_export_json/*.json")
    done, row = heishi_import(tmp_path, good)
    assert row["status"] == "ok" and row["new"] == 6
    not_export = tmp_path / "orders.json"
    not_export.write_text('{"orders": [1, 2]}', encoding="utf-8")
    truncated = tmp_path / "result.json"
    truncated.write_bytes(good.read_bytes()[:1500])
    not_tme = tmp_path / "shop.html"
    not_tme.write_text("<html><body><div class='thread'>出号</div></body></html>",
                       encoding="utf-8")
    gb18030 = tmp_path / "qq-gb18030.txt"  # re-saved by another tool: the first 40 records
    text = sample("qq_export_txt/*.txt").read_bytes().decode("utf-8-sig")
    gb18030.write_bytes("\r\n\r\n".join(text.split("\r\n\r\n")[:41]).encode("gb18030"))
    in_gb18030 = len(parse_qq_export(gb18030.read_bytes(), "x").messages)
    done, row = heishi_import(tmp_path, not_export, truncated, not_tme, gb18030, good)
    assert done.returncode == 1 and row["status"] == "failed"
    errors = "\n".join(row["errors"])
    assert f"{not_export}: not a Telegram Desktop export" in errors
    assert f"{truncated}:" in errors and "truncated export?" in errors  # with its line
    assert f"{not_tme}: not an export heishi reads" in errors
    assert 30 < in_gb18030 <= 40
    assert row["new"] == in_gb18030 and row["seen"] == 6  # the readable files are all stored
    with open_store(str(tmp_path / "h.db")) as db:
        assert db.stats()["posts"] == 6 + in_gb18030


def test_missing_file_and_bad_source_name_are_usage_errors(tmp_path):
    done, row = heishi_import(tmp_path, tmp_path / "nope.json")
    assert done.returncode == 2 and row is None
    assert f"{tmp_path / 'nope.json'}: no such file" in done.stderr
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    done, _ = heishi_import(tmp_path, tmp_path / "x.json", source="Bad Name")
    assert done.returncode == 2 and "--source 'Bad Name'" in done.stderr
