"""Evidence, the store and the audit log are owner-only whatever the umask (issue 13, item 3)."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime

import pytest

from crawlers.evidence import EvidenceArchive
from index import Post, open_store
from ops.audit import AuditLog


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual default: files 0644, folders 0755
    yield
    os.umask(old)


def modes_under(root) -> dict[str, int]:
    return {
        str(path.relative_to(root)): stat.S_IMODE(path.stat().st_mode)
        for path in [root, *root.rglob("*")]
    }


def assert_owner_only(root):
    modes = modes_under(root)
    assert modes
    wrong = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert not wrong, wrong


def test_evidence_files_and_folders_are_owner_only(tmp_path, open_umask):
    root = tmp_path / "evidence"
    archive = EvidenceArchive(root, "forum")
    archive.keep("http://x.test/1", b"<p>110105194912310026</p>", 200, [],
                 datetime(2026, 1, 2, tzinfo=UTC))
    archive.close()
    assert list(root.glob("warc/forum/*.warc.gz"))
    assert_owner_only(root)


def test_a_warc_file_made_open_before_is_closed_down(tmp_path, open_umask):
    root = tmp_path / "evidence"
    warc = root / "warc" / "forum" / "2026-01-02.warc.gz"
    warc.parent.mkdir(parents=True)
    warc.write_bytes(b"")
    os.chmod(warc, 0o644)
    archive = EvidenceArchive(root, "forum")
    archive.keep("http://x.test/1", b"page", 200, [], datetime(2026, 1, 2, tzinfo=UTC))
    archive.close()
    assert stat.S_IMODE(warc.stat().st_mode) == 0o600


def test_the_store_and_its_wal_are_owner_only(tmp_path, open_umask):
    folder = tmp_path / "var"
    with open_store(str(folder / "heishi.db")) as store:
        store.upsert_posts([Post(source="s", key="1", text="出料")])
        store.flush()
        assert (folder / "heishi.db-wal").exists()
        assert_owner_only(folder)


def test_an_open_store_file_is_closed_down_when_opened(tmp_path, open_umask):
    path = tmp_path / "heishi.db"
    open_store(str(path)).close()
    os.chmod(path, 0o644)
    open_store(str(path)).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_audit_log_is_owner_only(tmp_path, open_umask):
    folder = tmp_path / "logs"
    with AuditLog(folder / "audit.log") as log:
        log.record("search", {}, 1, "stdout")
    assert_owner_only(folder)
