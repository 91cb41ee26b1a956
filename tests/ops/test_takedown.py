"""``heishi takedown``: cases drafted from stored posts, their bundles, the ledger, verify.

Real parts throughout: a market served over loopback, the evidence archive, SQLite, the
redactor and extractor, Debian's Chromium for the screenshots.
"""

from __future__ import annotations

import email
import hashlib
import io
import json
import re
import shutil
import zipfile
from email import policy
from pathlib import Path

import pytest
import yaml

from index import open_store
from ops.cli import main
from tests.ops.takedown_market import (
    ACCOUNT_POST,
    CHANNEL_POST,
    DATA_POST,
    KEY,
    LIVE_VICTIM,
    SELLER_QQ,
    VICTIM_CARD,
    VICTIM_ID,
    VICTIM_PHONE,
    Market,
    ingest,
)

CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not shutil.which(CHROMIUM),
                                    reason=f"{CHROMIUM} is not installed")
VICTIM_NUMBERS = (VICTIM_ID, VICTIM_CARD, VICTIM_PHONE)


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A store, evidence folder, audit log and configuration under tmp_path."""
    monkeypatch.setenv("HEISHI_REDACT_KEY", KEY.decode())
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    monkeypatch.delenv("HEISHI_TAKEDOWN_CONFIG", raising=False)
    with Market() as board, Market() as channel:
        store_path = tmp_path / "heishi.db"
        evidence = tmp_path / "evidence"
        with open_store(str(store_path)) as store:
            data = ingest(store, evidence, "board", f"{board.base}/board/thread/101.html",
                          "101", DATA_POST, title="四要素料子")
            account = ingest(store, evidence, "board", f"{board.base}/board/", "102",
                             ACCOUNT_POST, title="微信老号")
            message = ingest(store, evidence, "codes", f"{channel.base}/codes/7", "7",
                             CHANNEL_POST)
        config = tmp_path / "takedown.yaml"
        config.write_text(yaml.safe_dump({
            "requester": {"name": "测试分析员", "organisation": "Anti-fraud Lab",
                          "email": "analyst@lab.example", "phone": "010-12345678"},
            "platforms": {
                "alibaba": {"report_to": "jubao@alibaba.example",
                            "hosts": [board.base.removeprefix("http://")]},
                "telegram": {"hosts": [channel.base.removeprefix("http://")]},
            },
        }, allow_unicode=True), encoding="utf-8")
        yield Env(tmp_path, store_path, evidence, config, board, channel,
                  {"data": data.id, "account": account.id, "message": message.id})


class Env:
    def __init__(self, root, store, evidence, config, board, channel, ids):
        self.root, self.store, self.evidence, self.config = root, store, evidence, config
        self.board, self.channel, self.ids = board, channel, ids
        self.out = root / "out"

    def run(self, *args: str) -> int:
        common = ["--store", str(self.store)]
        if args and args[0] in ("list", "show", "mark", "verify"):
            extra = ["--evidence", str(self.evidence)] if args[0] == "verify" else []
            return main(["takedown", *common, args[0], *extra, *args[1:]])
        return main(["takedown", *common, "--config", str(self.config), "--evidence",
                     str(self.evidence), "--out", str(self.out), *args])

    def seed(self, *names: str, platform: str = "alibaba") -> str:
        """A drafted case of these posts straight in the ledger, for tests of what follows
        drafting (drafting itself is tested above, Chromium and all)."""
        id = f"TD-test-{len(self.cases()) + 1}"
        with open_store(str(self.store)) as store:
            posts = store.posts_with_offers([self.ids[name] for name in names])
            store.add_cases([{"id": id, "platform": platform, "created_by": "test",
                              "posts": [{"post_id": p["id"], "url": p["url"],
                                         "evidence_sha256": p["evidence_sha256"]}
                                        for p in posts]}])
        return id

    def cases(self) -> list[dict]:
        with open_store(str(self.store)) as store:
            return store.cases()


def case_folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir()) if out.exists() else []


def every_text_in(folder: Path) -> dict[str, str]:
    """Every file of a case folder and of its bundle as text (WARC records decompressed,
    pictures left out: their text is checked through screenshots/*.txt)."""
    texts = {}
    for path in folder.iterdir():
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as bundle:
                for name in bundle.namelist():
                    data = bundle.read(name)
                    if name.endswith(".png"):
                        continue
                    if name.endswith(".gz"):
                        import gzip
                        data = gzip.decompress(data)
                    texts[f"{path.name}:{name}"] = data.decode("utf-8", "replace")
        elif path.suffix == ".eml":
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            texts[path.name] = message.get_body(("plain",)).get_content()
        else:
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


# -- drafting ------------------------------------------------------------------------------


@needs_chromium
def test_one_case_per_platform_with_a_complete_checkable_bundle(env, capsys):
    assert env.run("--post", env.ids["data"], "--post", env.ids["message"]) == 0
    folders = case_folders(env.out)
    assert len(folders) == 2  # alibaba (the board) and telegram (the channel)
    cases = {case["platform"]: case for case in env.cases()}
    assert set(cases) == {"alibaba", "telegram"}
    assert all(case["state"] == "drafted" for case in cases.values())
    assert [p["post_id"] for p in cases["telegram"]["posts"]] == [env.ids["message"]]

    folder = env.out / cases["alibaba"]["id"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "evidence.zip", "request.eml", "request.en.md", "request.zh.md"]
    with zipfile.ZipFile(folder / "evidence.zip") as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        names = set(bundle.namelist()) - {"manifest.json"}
        assert {entry["path"] for entry in manifest["files"]} == names
        for entry in manifest["files"]:  # every hash and size recomputed
            data = bundle.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
            assert len(data) == entry["size"]
            assert entry["captured_at"]
        kinds = {entry["kind"] for entry in manifest["files"]}
        assert {"capture", "warc", "screenshot", "screenshot-text", "request"} <= kinds
        capture = next(e for e in manifest["files"] if e["kind"] == "capture")
        with open_store(str(env.store)) as store:
            cited = store.get_post(env.ids["data"])["evidence_sha256"]
        # The page shows a victim's sample: the bundle carries a redacted copy, naming the
        # digest the post cites.
        assert capture["redacted"] is True
        assert capture["original_sha256"] == cited
        assert capture["sha256"] != cited
        shot = next(e for e in manifest["files"] if e["kind"] == "screenshot")
        assert shot["live"] is True
        png = bundle.read(shot["path"])
        assert png.startswith(b"\x89PNG")
        from PIL import Image
        assert Image.open(io.BytesIO(png)).size[0] >= 1000

    request = (folder / "request.zh.md").read_text(encoding="utf-8")
    assert cited in request and "第二百五十三条之一" in request and "《闲鱼社区规范》" in request
    message = email.message_from_bytes((folder / "request.eml").read_bytes(),
                                       policy=policy.default)
    assert message["To"] == "jubao@alibaba.example"
    assert message["From"] == "测试分析员 <analyst@lab.example>"
    assert cases["alibaba"]["id"] in message["Subject"]
    attached = next(message.iter_attachments())
    assert attached.get_filename() == "evidence.zip"
    assert attached.get_content() == (folder / "evidence.zip").read_bytes()
    telegram = email.message_from_bytes(
        (env.out / cases["telegram"]["id"] / "request.eml").read_bytes(), policy=policy.default)
    assert telegram["To"] == "abuse@telegram.org"
    assert telegram["Subject"].startswith("Takedown request")  # Telegram reads English first


@needs_chromium
def test_no_file_that_leaves_heishi_holds_a_victims_number(env):
    env.board.live_sample_on = "101"  # the live page now shows a sample no post holds
    assert env.run("--seller", f"qq:{SELLER_QQ}") == 0
    (folder,) = case_folders(env.out)
    texts = every_text_in(folder)
    assert "evidence.zip:screenshots/1.txt" in texts  # the picture's text is checked too
    for name, text in texts.items():
        squeezed = re.sub(r"[\s-]", "", text)
        for number in (*VICTIM_NUMBERS, *LIVE_VICTIM[1:]):
            assert number not in squeezed, f"{name} shows a victim's number"
    # Redacted, not dropped: the tokens are there, and the seller's contact stays.
    shot_text = texts["evidence.zip:screenshots/1.txt"]
    assert re.search(r"\[ID:[0-9a-f]{10}\]", shot_text)
    assert re.search(r"\[PHONE:[0-9a-f]{10}\]", shot_text)
    assert SELLER_QQ in shot_text
    assert "四要素料子" in shot_text and "新到料子" in shot_text


@needs_chromium
def test_a_query_targets_the_listings_it_finds(env, capsys):
    assert env.run("--no-live", "--query", "微信老号") == 0
    (case,) = env.cases()
    assert [p["post_id"] for p in case["posts"]] == [env.ids["account"]]
    assert case["target"] == {"query": "微信老号"}
    assert env.run("--no-live", "--query", "完全没有的词") == 2
    assert "no posts match" in capsys.readouterr().err
    audit = (env.root / "audit.log").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["query"]["case"] for line in audit] == [case["id"]]


# -- bad input -----------------------------------------------------------------------------


def test_bad_targets_write_nothing_and_leave_the_ledger_alone(env, capsys):
    assert env.run("--post", "no-such-post") == 2
    assert "no post 'no-such-post'" in capsys.readouterr().err
    assert env.run("--seller", "qq:1111111111") == 2
    assert "no posts by seller" in capsys.readouterr().err
    blocker = env.root / "a-file"
    blocker.write_text("not a folder")
    assert main(["takedown", "--store", str(env.store), "--config", str(env.config),
                 "--out", str(blocker / "cases"), "--no-live", "--post",
                 env.ids["account"]]) == 2
    assert "cannot write to" in capsys.readouterr().err
    assert env.cases() == []
    assert case_folders(env.out) == []


@needs_chromium
def test_a_page_that_hangs_during_the_screenshot_leaves_nothing(env, capsys):
    env.board.slow = 3.0
    try:
        assert env.run("--timeout", "1", "--post", env.ids["account"]) == 2
    finally:
        env.board.slow = 0
    error = capsys.readouterr().err
    assert "did not load within 1s" in error and "ledger is unchanged" in error
    assert env.cases() == []
    assert [p.name for p in env.out.iterdir()] == []  # no staging folder left either


@needs_chromium
def test_missing_capture_is_said_and_the_rest_is_bundled(env, capsys):
    with open_store(str(env.store)) as store:
        sha = store.get_post(env.ids["account"])["evidence_sha256"]
    for blob in env.evidence.rglob(f"{sha}.gz"):
        blob.unlink()
    assert env.run("--post", env.ids["account"]) == 0
    assert f"capture {sha}" in capsys.readouterr().err
    (folder,) = case_folders(env.out)
    with zipfile.ZipFile(folder / "evidence.zip") as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
    assert any("missing from the evidence archive" in note for note in manifest["notes"])
    assert {e["kind"] for e in manifest["files"]} == {"request", "posts", "screenshot",
                                                      "screenshot-text"}
    assert len(env.cases()) == 1
    assert env.run("--no-live", "--post", env.ids["account"]) == 0  # the same post again
    assert "is in open case TD-" in capsys.readouterr().err
    assert len(env.cases()) == 2


@needs_chromium
def test_a_page_that_is_down_is_pictured_from_the_stored_capture(env):
    env.board.remove("101")
    assert env.run("--post", env.ids["data"]) == 0
    (folder,) = case_folders(env.out)
    with zipfile.ZipFile(folder / "evidence.zip") as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        shot = next(e for e in manifest["files"] if e["kind"] == "capture-rendering")
        text = bundle.read(shot["path"].replace(".png", ".txt")).decode()
    assert shot["live"] is False and "HTTP 404" in shot["note"]
    assert "RENDERING OF THE STORED CAPTURE" in text
    assert "四要素料子" in text and VICTIM_ID not in text


# -- the ledger ----------------------------------------------------------------------------


def test_mark_moves_a_case_and_refuses_what_cannot_happen(env, capsys):
    env.seed("account")
    (case,) = env.cases()
    assert env.run("mark", case["id"][:8], "sent", "--note", "ticket 88") == 0
    assert env.run("mark", case["id"], "sent") == 2
    assert "already sent" in capsys.readouterr().err
    assert env.run("mark", case["id"], "drafted") == 2
    assert "can become acknowledged, removed, rejected" in capsys.readouterr().err
    (after,) = env.cases()
    states = [(e["state"], e["note"]) for e in after["events"] if e["kind"] == "state"]
    assert states == [("drafted", None), ("sent", "ticket 88")]
    assert all(e["by"] for e in after["events"])
    capsys.readouterr()
    assert env.run("show", case["id"], "--json") == 0
    (shown,) = map(json.loads, capsys.readouterr().out.splitlines())
    assert shown["state"] == "sent" and len(shown["events"]) == 2
    assert env.run("mark", "TD-nothing", "sent") == 2
    assert "no case 'TD-nothing'" in capsys.readouterr().err


def test_verify_marks_removed_when_the_listing_goes_and_keeps_the_proof(env, capsys):
    assert env.run("--no-live", "--post", env.ids["account"], "--post",
                   env.ids["message"]) == 0
    for case in env.cases():
        assert env.run("mark", case["id"], "sent", "--at", "2026-11-30T08:00:00+00:00") == 0
    capsys.readouterr()

    assert env.run("verify", "--json") == 0
    first = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {row["outcome"] for row in first} == {"up"}
    assert {c["state"] for c in env.cases()} == {"sent"}

    env.board.remove("102")  # off the board page it was read from
    env.channel.remove("codes/7")  # a deleted channel message
    assert env.run("verify", "--json") == 0
    second = {row["post"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}
    assert second[env.ids["account"]]["outcome"] == "gone"
    assert "no longer on the page" in second[env.ids["account"]]["note"]
    assert second[env.ids["message"]]["outcome"] == "gone"
    cases = env.cases()
    assert {c["state"] for c in cases} == {"removed"}
    for case in cases:
        removal = [e for e in case["events"] if e["state"] == "removed"][0]
        kept = list(env.evidence.rglob(f"{removal['evidence_sha256']}.gz"))
        assert kept, "the response that showed the removal is in the evidence archive"
    assert env.run("verify", "--json") == 0  # nothing open is left to check
    assert capsys.readouterr().out == ""

    assert env.run("list", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(row["state"] == "removed" and row["time_to_removal"] for row in rows)
    assert all(row["sent"] == "2026-11-30T08:00:00+00:00" for row in rows)
    assert env.run("list") == 0
    table = capsys.readouterr().out
    assert "which requests worked" in table and "median_time_to_removal" in table
    assert env.run("list", "--csv", "--state", "removed") == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.startswith("id,platform,state,posts,gone,drafted,sent,removed,time_to_removal")
    assert len(lines) == 2


def test_a_listing_pushed_to_the_next_page_is_not_taken_for_removed(env, capsys):
    env.seed("account")
    env.board.threads = {"103": ("新帖", "出QQ号 5元一个 秒发货 量大从优"), **env.board.threads}
    env.board.page_size = 2  # the account listing is now on page 2
    capsys.readouterr()
    assert env.run("verify", "--json") == 0
    (row,) = map(json.loads, capsys.readouterr().out.splitlines())
    assert row["outcome"] == "up" and "page=2" in row["note"]
    env.board.remove("102")
    assert env.run("verify", "--json") == 0
    (row,) = map(json.loads, capsys.readouterr().out.splitlines())
    assert row["outcome"] == "gone" and "no longer on the page" in row["note"]
    assert env.cases()[0]["state"] == "removed"


def test_verify_leaves_a_case_open_when_the_site_does_not_answer(env, capsys):
    env.seed("account")
    env.board.__exit__()  # the site is down: that proves nothing about the listing
    assert env.run("verify", "--json") == 0
    (row,) = map(json.loads, capsys.readouterr().out.splitlines())
    assert row["outcome"] == "unreachable"
    assert env.cases()[0]["state"] == "drafted"


def test_scheduled_verify_is_the_agreed_entry_point(env, monkeypatch):
    from apscheduler.util import ref_to_obj

    env.seed("message", platform="telegram")
    env.channel.remove("codes/7")
    monkeypatch.setenv("HEISHI_STORE", str(env.store))
    monkeypatch.setenv("HEISHI_EVIDENCE", str(env.evidence))
    monkeypatch.chdir(env.root)  # no sources file here: plain HTTP for every page
    job = ref_to_obj("ops.takedown:scheduled_verify")
    assert job() is None
    (case,) = env.cases()
    assert case["state"] == "removed"
    assert [e["by"] for e in case["events"] if e["state"] == "removed"] == ["scheduler"]


@needs_chromium
def test_a_json_capture_is_bundled_as_json_redacted_and_pictured_as_text(env):
    with open_store(str(env.store)) as store:
        item = ingest(store, env.evidence, "board-api", f"{env.board.base}/api/items", "101j",
                      DATA_POST, title="四要素料子")
    assert env.run("--no-live", "--post", item.id) == 0
    (folder,) = case_folders(env.out)
    with zipfile.ZipFile(folder / "evidence.zip") as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        capture = next(e for e in manifest["files"] if e["kind"] == "capture")
        assert capture["path"].endswith(".redacted.json")
        items = json.loads(bundle.read(capture["path"]))["items"]
        assert "[ID:" in items[0]["desc"] and VICTIM_ID not in items[0]["desc"]
        shot = next(e for e in manifest["files"] if e["kind"] == "capture-rendering")
        text = bundle.read(shot["path"].replace(".png", ".txt")).decode()
    assert '"items"' in text and VICTIM_PHONE not in text
