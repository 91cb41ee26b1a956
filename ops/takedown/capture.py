"""A post's capture out of the evidence archive, as a bundle carries it.

The archive holds the page as fetched, victims' data and all (it is evidence, and it stays
inside). A bundle carries it verbatim, with its WARC record copied byte for byte, when the page
holds no victim's number: its SHA-256 is then the one the post and the request cite. Otherwise
it carries a redacted copy in the page's own encoding, and a WARC ``conversion`` record of that
copy which refers to the original response record (WARC 1.1, section 6.6) and names the
original's digest, so a court can ask for the original and check it against the citation.
"""

from __future__ import annotations

import base64
import gzip
import html
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import html_text
from w3lib.encoding import html_to_unicode
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from crawlers.evidence import EvidenceArchive, sha256_hex
from ops.takedown.redaction import redact_text, with_tokens_of


@dataclass
class Capture:
    """One archived page, ready to go into a bundle."""

    sha256: str  # of the page as fetched: what the post cites
    url: str
    fetched_at: str | None
    body: bytes  # what the bundle carries: the page as fetched, or its redacted copy
    text: str  # ``body`` decoded
    encoding: str
    warc: bytes  # one gzipped WARC record: the original response, or a conversion of it
    redacted: bool
    content_type: str | None

    @property
    def extension(self) -> str:
        """What the capture is, as a file name says it (a marketplace API answers JSON)."""
        kind = (self.content_type or "").split(";")[0].strip().lower()
        if "json" in kind:
            return "json"
        if "html" in kind or (not kind and "<html" in self.text[:2000].lower()):
            return "html"
        if kind.startswith("text/") or not kind:
            return "txt"
        return "bin"

    def as_html(self) -> str:
        """The capture as a page a browser can show: HTML as it is, anything else as text."""
        if self.extension == "html":
            return self.text
        return f"<pre style='white-space:pre-wrap'>{html.escape(self.text)}</pre>"


def payload_digest(sha256: str) -> str:
    """How a WARC record names a SHA-256 digest (the evidence archive's convention)."""
    return "sha256:" + base64.b32encode(bytes.fromhex(sha256)).decode()


def find_warc_record(root: Path, source: str, sha256: str, day: str | None
                     ) -> tuple[bytes, object] | None:
    """The gzipped bytes of the response record of ``sha256`` and the record's headers:
    the day's file first, then the source's others."""
    folder = Path(root) / "warc" / source
    if not folder.is_dir():
        return None
    files = sorted(folder.glob("*.warc.gz"))
    if day:
        first = folder / f"{day}.warc.gz"
        files = ([first] if first in files else []) + [f for f in files if f != first]
    wanted = payload_digest(sha256)
    for path in files:
        with open(path, "rb") as handle:
            records = ArchiveIterator(handle)
            for record in records:
                if (record.rec_type == "response"
                        and record.rec_headers.get_header("WARC-Payload-Digest") == wanted):
                    record.content_stream().read()  # read to the end so the length is known
                    records.read_to_end()
                    offset, length = records.get_record_offset(), records.get_record_length()
                    handle.seek(offset)
                    return handle.read(length), record
    return None


def load_capture(root: Path, post: dict, key: bytes, known: set[str]) -> Capture | None:
    """The capture a stored post cites, or None when the archive lacks its bytes."""
    sha256 = post.get("evidence_sha256")
    if not sha256:
        return None
    archive = EvidenceArchive(root, post["source"])
    try:
        raw = archive.read(sha256)
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    fetched_at = post.get("fetched_at")
    found = find_warc_record(root, post["source"], sha256, (fetched_at or "")[:10] or None)
    content_type = None
    record = None
    if found is not None:
        original_warc, record = found
        content_type = record.http_headers.get_header("Content-Type") if record.http_headers \
            else None
        fetched_at = _iso(record.rec_headers.get_header("WARC-Date")) or fetched_at
    encoding, text = html_to_unicode(content_type, raw)
    known = with_tokens_of(html_text.extract_text(text), key, known)
    redacted = redact_text(text, key, known)
    url = post.get("url") or (record.rec_headers.get_header("WARC-Target-URI") if record else "")
    if redacted == text:
        warc = original_warc if found is not None else _conversion(
            url, raw, content_type, fetched_at, sha256, None, note="original WARC record missing")
        return Capture(sha256, url, fetched_at, raw, text, encoding, warc, False, content_type)
    body = redacted.encode(encoding, errors="xmlcharrefreplace")
    refers_to = record.rec_headers.get_header("WARC-Record-ID") if record else None
    warc = _conversion(url, body, content_type, fetched_at, sha256, refers_to,
                       note="victims' personal data replaced by keyed tokens")
    return Capture(sha256, url, fetched_at, body, redacted, encoding, warc, True, content_type)


def _conversion(url: str, body: bytes, content_type: str | None, fetched_at: str | None,
                original_sha256: str, refers_to: str | None, *, note: str) -> bytes:
    writer = WARCWriter(io.BytesIO(), gzip=False, warc_version="1.1")
    headers = {
        "WARC-Payload-Digest": payload_digest(sha256_hex(body)),
        "WARC-Refers-To-Target-URI": url,
        # Not a WARC 1.1 field: the digest of the original payload this record converts.
        "WARC-Refers-To-Payload-Digest": payload_digest(original_sha256),
        "WARC-Heishi-Note": note,
    }
    if fetched_at:
        headers["WARC-Date"] = _warc_date(fetched_at)
        headers["WARC-Refers-To-Date"] = headers["WARC-Date"]
    if refers_to:
        headers["WARC-Refers-To"] = refers_to
    record = writer.create_warc_record(
        url, "conversion", payload=io.BytesIO(body), length=len(body),
        warc_content_type=content_type or "text/html", warc_headers_dict=headers,
    )
    buffer = io.BytesIO()
    writer.out = buffer
    writer.write_record(record)
    return gzip.compress(buffer.getvalue(), mtime=0)


def _iso(warc_date: str | None) -> str | None:
    """A WARC-Date as the ISO form the rest of heishi writes (``…+00:00``, to the second)."""
    if not warc_date:
        return None
    try:
        moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        return warc_date
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _warc_date(moment: str) -> str:
    if moment.endswith("Z"):
        return moment
    try:
        return datetime.fromisoformat(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return moment
