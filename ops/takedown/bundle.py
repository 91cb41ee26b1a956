"""The evidence bundle of one case: a zip a platform or a court can check file by file.

Layout::

    manifest.json                 SHA-256, size and capture time of every other file
    request.zh.md, request.en.md  the request
    posts.json                    the posts as the request lists them (redacted text, offers)
    captures/<sha256>.html        the page as fetched (``.redacted.html``: a redacted copy;
                                  ``.json`` for an API's answer)
    captures/<sha256>.warc.gz     its WARC record (a conversion record for a redacted copy)
    screenshots/<n>.png           the page as it is now, or a rendering of the capture
    screenshots/<n>.txt           the text of that picture, to check it without OCR

Every file's text is checked for victims' numbers before it is added: a miss stops the case
rather than leaving a bundle that leaks.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ops.errors import UsageError
from ops.takedown.browser import Chromium, NotUp
from ops.takedown.capture import Capture, load_capture
from ops.takedown.redaction import leaks, victim_tokens

# Fixed times inside the zip: the same files give the same bytes (capture times are in the
# manifest, which is what a reader checks).
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


@dataclass
class Bundle:
    data: bytes
    manifest: dict
    notes: list[str] = field(default_factory=list)


class _Zip:
    def __init__(self, key: bytes, known: set[str]) -> None:
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", compression=zipfile.ZIP_DEFLATED)
        self.files: list[dict] = []
        self.key, self.known = key, known

    def add(self, path: str, data: bytes, *, captured_at: str | None, check: str | None = None,
            **about) -> dict:
        if check is not None and leaks(check, self.key, self.known):
            raise UsageError(f"{path}: victims' data would leave unredacted; the case is not "
                             "written")
        info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_STORED if path.endswith((".png", ".gz")) \
            else zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        entry = {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                 "captured_at": captured_at, **{k: v for k, v in about.items() if v is not None}}
        self.files.append(entry)
        return entry

    def close(self, manifest: dict) -> bytes:
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        info = zipfile.ZipInfo("manifest.json", date_time=_ZIP_TIME)
        self.zip.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        self.zip.close()
        return self.buffer.getvalue()


def build(case: dict, posts: list[dict], views: list[dict], requests: dict[str, str], *,
          evidence_root: Path, key: bytes, known: set[str], browser: Chromium | None,
          live: bool, wait_for: dict[str, str | None]) -> Bundle:
    """The bundle of one case. ``posts`` are the stored posts, ``views`` what the request
    shows of them; ``wait_for`` maps a source to the CSS its pages need before a picture."""
    out = _Zip(key, known)
    try:
        return _build(out, case, posts, views, requests, evidence_root=evidence_root, key=key,
                      known=known, browser=browser, live=live, wait_for=wait_for)
    except BaseException:
        out.zip.close()
        raise


def _build(out: _Zip, case: dict, posts: list[dict], views: list[dict],
           requests: dict[str, str], *, evidence_root: Path, key: bytes, known: set[str],
           browser: Chromium | None, live: bool, wait_for: dict[str, str | None]) -> Bundle:
    notes: list[str] = []
    created = case["created_at"]
    for language, text in requests.items():
        out.add(f"request.{language}.md", text.encode("utf-8"), captured_at=created,
                check=text, kind="request")
    posts_json = json.dumps(views, ensure_ascii=False, indent=2)
    out.add("posts.json", posts_json.encode("utf-8"), captured_at=created, check=posts_json,
            kind="posts")

    captures: dict[str, Capture | None] = {}
    for post in posts:
        sha = post.get("evidence_sha256")
        if not sha:
            notes.append(f"post {post['id']}: no capture was recorded for it")
            continue
        if sha not in captures:
            captures[sha] = load_capture(evidence_root, post, key, known)
            capture = captures[sha]
            ids = [p["id"] for p in posts if p.get("evidence_sha256") == sha]
            if capture is not None:  # victims its layout showed are victims on the live page
                known = known | victim_tokens([capture.text])
                out.known = known
            if capture is None:
                notes.append(f"capture {sha} of post {post['id']} is missing from the "
                             f"evidence archive ({evidence_root}); the bundle holds the rest")
                continue
            name = f"captures/{sha}" + (".redacted" if capture.redacted else "") + \
                f".{capture.extension}"
            out.add(name, capture.body, captured_at=capture.fetched_at, check=capture.text,
                    kind="capture", url=capture.url, post_ids=ids, redacted=capture.redacted,
                    original_sha256=sha, encoding=capture.encoding)
            record = gzip.decompress(capture.warc).decode("latin-1")  # digits read the same
            out.add(f"captures/{sha}.warc.gz", capture.warc, captured_at=capture.fetched_at,
                    check=record, kind="warc", url=capture.url, post_ids=ids,
                    redacted=capture.redacted, original_sha256=sha)

    if browser is not None:
        urls: dict[str, list[dict]] = {}
        for post in posts:
            urls.setdefault(post.get("url") or f"post:{post['id']}", []).append(post)
        for n, (url, pictured) in enumerate(urls.items(), start=1):
            _picture(out, notes, n, url, pictured, captures, browser, live=live, key=key,
                     known=known, wait_for=wait_for.get(pictured[0]["source"]))

    manifest = {
        "case": case["id"],
        "platform": case["platform"],
        "created_at": created,
        "created_by": case["created_by"],
        "hash": "sha256",
        "files": out.files,
        "notes": notes,
    }
    return Bundle(out.close(manifest), manifest, notes)


def _picture(out: _Zip, notes: list[str], n: int, url: str, posts: list[dict],
             captures: dict[str, Capture | None], browser: Chromium, *, live: bool, key: bytes,
             known: set[str], wait_for: str | None) -> None:
    ids = [p["id"] for p in posts]
    why = "not visited (--no-live)"
    if live and not url.startswith("post:"):
        shot = browser.live(url, key=key, known=known, wait_for=wait_for)
        if not isinstance(shot, NotUp):
            _add_shot(out, n, shot, ids, note=None)
            return
        why = f"not up when visited: {shot.reason}"
    capture = next((captures.get(p.get("evidence_sha256")) for p in posts
                    if captures.get(p.get("evidence_sha256"))), None)
    if capture is None:
        notes.append(f"{url}: no screenshot: the page was {why} and no capture is archived")
        return
    lines = [
        "RENDERING OF THE STORED CAPTURE - NOT THE LIVE PAGE / 存档页面的渲染，非实时页面",
        f"captured {capture.fetched_at} from {capture.url}",
        f"capture SHA-256 {capture.sha256}",
        f"live page {why}; victims' personal data masked, pictures hidden",
    ]
    shot = browser.stored(capture.as_html(), capture.url, lines, key=key, known=known)
    _add_shot(out, n, shot, ids, note=f"rendering of the stored capture; live page {why}")


def _add_shot(out: _Zip, n: int, shot, ids: list[str], note: str | None) -> None:
    kind = "screenshot" if shot.live else "capture-rendering"
    out.add(f"screenshots/{n}.png", shot.png, captured_at=shot.taken_at, kind=kind,
            url=shot.url, post_ids=ids, live=shot.live, note=note)
    out.add(f"screenshots/{n}.txt", shot.text.encode("utf-8"), captured_at=shot.taken_at,
            check=shot.text, kind=f"{kind}-text", url=shot.url, post_ids=ids, live=shot.live)

