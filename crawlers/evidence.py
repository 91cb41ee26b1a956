"""Evidence: the raw bytes of every page a post was read from, kept so it can be shown later.

A takedown request or a police report has to show what the page said when it was fetched, not
what the extractor made of it. Two forms, for two kinds of reader:

- the page body, addressed by its SHA-256 (``<root>/ab/cd/<sha256>.gz``): the post records the
  digest, anyone can re-hash the file to check it, and the same bytes are stored once;
- a WARC response record per capture (target URL, HTTP status and headers, fetch time),
  appended to ``<root>/warc/<source>/<YYYY-MM-DD>.warc.gz``, the format web archives and
  courts' tooling read.

Evidence holds what redaction keeps out of the index (victims' numbers on the raw page): every
file and folder is owner-only (:mod:`index.private`). Both are written so that a crash or
SIGKILL never leaves a half-written file under a digest (temporary file + atomic rename) nor a
torn WARC record (each record is one ``write`` on an ``O_APPEND`` descriptor).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import os
import tempfile
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from index.private import open_private, private_dir

EVIDENCE_ENV = "HEISHI_EVIDENCE"
DEFAULT_EVIDENCE = Path("var") / "evidence"
COMPRESS_LEVEL = 6  # zlib's default; pages are small and compress 5-10x at this level
# Hop-by-hop and transfer headers: the body kept is the decoded one, so these would lie.
_DROPPED_HEADERS = {b"content-encoding", b"transfer-encoding", b"content-length", b"connection"}


def evidence_root(path: str | os.PathLike | None = None) -> Path:
    """``path``, else ``$HEISHI_EVIDENCE``, else ``var/evidence`` under the working directory."""
    return Path(path or os.environ.get(EVIDENCE_ENV) or DEFAULT_EVIDENCE)


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class EvidenceArchive:
    """The evidence directory of one crawl of one source."""

    def __init__(self, root: str | os.PathLike, source: str):
        self.root = Path(root)
        self.source = source
        self._warc_day: str | None = None
        self._warc_fd: int | None = None
        # Records are serialised uncompressed, then gzipped here as one member each: warcio's own
        # gzip runs at level 9, several times slower for no useful gain on HTML.
        self._writer = WARCWriter(io.BytesIO(), gzip=False, warc_version="1.1")

    def blob_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.gz"

    def warc_path(self, day: str) -> Path:
        return self.root / "warc" / self.source / f"{day}.warc.gz"

    def keep(
        self,
        url: str,
        body: bytes,
        status: int = 200,
        headers: list[tuple[bytes, bytes]] | None = None,
        fetched_at: datetime | None = None,
        sha256: str | None = None,
    ) -> str:
        """Archive one capture; returns the SHA-256 (hex) of the body (given if known)."""
        sha256 = sha256 or sha256_hex(body)
        self._write_blob(sha256, body)
        self._append_warc(url, body, sha256, status, headers or [], fetched_at or _now())
        return sha256

    def read(self, sha256: str) -> bytes:
        return gzip.decompress(self.blob_path(sha256).read_bytes())

    def close(self) -> None:
        if self._warc_fd is not None:
            os.close(self._warc_fd)
            self._warc_fd = None

    # -- writing -----------------------------------------------------------------------------
    def _write_blob(self, sha256: str, body: bytes) -> None:
        path = self.blob_path(sha256)
        if path.exists():  # content-addressed: the same bytes are already there
            return
        private_dir(path.parent)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(gzip.compress(body, compresslevel=COMPRESS_LEVEL, mtime=0))
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def _append_warc(
        self,
        url: str,
        body: bytes,
        sha256: str,
        status: int,
        headers: list[tuple[bytes, bytes]],
        fetched_at: datetime,
    ) -> None:
        fetched_at = fetched_at.astimezone(UTC)
        fd = self._warc_for(fetched_at.strftime("%Y-%m-%d"))
        http_headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in headers
            if name.lower() not in _DROPPED_HEADERS
        ]
        http_headers.append(("Content-Length", str(len(body))))
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(f"{status} {reason}", http_headers, protocol="HTTP/1.1"),
            warc_headers_dict={
                "WARC-Date": fetched_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "WARC-Payload-Digest": "sha256:" + base64.b32encode(bytes.fromhex(sha256)).decode(),
            },
        )
        buffer = io.BytesIO()
        self._writer.out = buffer
        self._writer.write_record(record)
        os.write(fd, gzip.compress(buffer.getvalue(), compresslevel=COMPRESS_LEVEL, mtime=0))

    def _warc_for(self, day: str) -> int:
        if self._warc_fd is None or day != self._warc_day:
            self.close()
            path = self.warc_path(day)
            private_dir(path.parent)
            self._warc_fd = open_private(path, os.O_WRONLY | os.O_APPEND)
            self._warc_day = day
        return self._warc_fd


def _now() -> datetime:
    return datetime.now(UTC)
