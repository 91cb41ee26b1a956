"""``takedown verify``: is the content of each open case still up?

Each targeted post's URL is fetched again. The content is gone when the site says so
(404 or 410), or when the page answers but no longer carries the post's text (a deleted
Telegram message, a listing taken off its board). Anything else that is not a clear answer
(a timeout, a refused connection, a 5xx, a 403) proves nothing and leaves the case as it was:
a false "removed" would close a case on a listing that is still selling.

Every response is kept in the evidence archive (raw bytes by SHA-256 and a WARC record, source
``takedown-verify``) and its digest recorded with the check, so "removed on 3 December" comes
with the 404 that showed it. A case becomes ``removed`` when all its posts are gone, at the
time the last one was found gone.
"""

from __future__ import annotations

import html
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import html_text
from parsel import Selector
from w3lib.encoding import html_to_unicode

from crawlers.evidence import EvidenceArchive
from crawlers.settings import USER_AGENT
from index.records import OPEN_CASE_STATES
from index.store import Store
from nlp.redact import REDACTED_TOKEN
from ops.takedown.request import telegram_message

logger = logging.getLogger(__name__)

VERIFY_SOURCE = "takedown-verify"  # where re-fetched pages go in the evidence archive
GONE_STATUSES = (404, 410)
_SPACE = re.compile(r"\s+")
MIN_FRAGMENT = 2  # characters a word of the post needs to be looked for
FRAGMENTS = 40  # the longest words of a post looked for
SHARE_PRESENT = 0.5  # of their characters found: the post is still there
NEXT_PAGES = 5  # pages after a board page looked at for a listing that moved down


@dataclass
class Check:
    case_id: str
    post_id: str
    url: str | None
    outcome: str  # gone | up | unreachable
    status: int | None
    note: str
    evidence_sha256: str | None = None


@dataclass
class Fetched:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    url: str


def fetch_url(post: dict, platform: str) -> str:
    """The URL that shows one post alone: a Telegram message's embed view says outright when
    the message was deleted ("Post not found"); anything else as stored."""
    url = post["url"]
    parts = urlsplit(url)
    if platform == "telegram" and telegram_message(url):
        return url + ("&" if parts.query else "?") + "embed=1&mode=tme"
    return url


def http_fetch(url: str, timeout: float) -> Fetched:
    """GET with urllib; an HTTP error status is an answer, not an exception."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Fetched(response.status, _headers(response.headers), response.read(),
                           response.url)
    except urllib.error.HTTPError as error:
        with error:
            return Fetched(error.code, _headers(error.headers), error.read(), url)


def _headers(message) -> list[tuple[bytes, bytes]]:
    return [(k.encode("latin-1", "replace"), v.encode("latin-1", "replace"))
            for k, v in message.items()]


def fragments(text: str) -> list[str]:
    """The words of a stored post's text (runs between spaces and redaction tokens), longest
    first: what should still be on the page while the post is there."""
    pieces = []
    for part in REDACTED_TOKEN.split(text or ""):
        pieces += [piece.strip("…") for piece in part.split()]
    return sorted({p for p in pieces if len(p) >= MIN_FRAGMENT}, key=len, reverse=True
                  )[:FRAGMENTS]


def still_there(post: dict, fetched: Fetched) -> bool | None:
    """True when the page still carries most of the post's words (a stored text may join
    cells or fields the page shows apart), False when it does not, None when the post has
    no words to look for."""
    wanted = fragments(post.get("text") or "") or fragments(post.get("title") or "")
    if not wanted:
        return None
    content_type = next((v.decode("latin-1") for k, v in fetched.headers
                         if k.lower() == b"content-type"), None)
    _, page = html_to_unicode(content_type, fetched.body)
    haystacks = [_SPACE.sub("", html_text.extract_text(page) if "<" in page else page),
                 _SPACE.sub("", html.unescape(page))]
    found = sum(len(piece) for piece in wanted if any(piece in hay for hay in haystacks))
    return found >= SHARE_PRESENT * sum(len(piece) for piece in wanted)


def judge(post: dict, fetched: Fetched) -> tuple[str, str]:
    """``(outcome, note)`` of one response."""
    if fetched.status in GONE_STATUSES:
        return "gone", f"HTTP {fetched.status}"
    if fetched.status >= 400 or fetched.status == 0:
        return "unreachable", f"HTTP {fetched.status}: proves nothing"
    there = still_there(post, fetched)
    if there is False:
        return "gone", f"HTTP {fetched.status}, the post's text is no longer on the page"
    if there is None:
        return "up", f"HTTP {fetched.status}; the post is too short to look for"
    return "up", f"HTTP {fetched.status}, still on the page"


def verify(store: Store, *, evidence_root: Path, by: str, timeout: float = 30.0,
           browser_sources: dict[str, str | None] | None = None, browser=None
           ) -> list[Check]:
    """Check every open case once; returns what was found, post by post.

    ``browser_sources`` maps the sources whose pages need JavaScript to the CSS to wait for;
    their pages are fetched by ``browser`` (an open :class:`ops.takedown.browser.Chromium`),
    the rest over plain HTTP.
    """
    browser_sources = browser_sources or {}
    archive = EvidenceArchive(evidence_root, VERIFY_SOURCE)
    checks: list[Check] = []
    try:
        for case in store.cases(OPEN_CASE_STATES):
            stored = {p["id"]: p for p in store.posts_with_offers(
                [p["post_id"] for p in case["posts"]])}
            for target in case["posts"]:
                if target["removed_at"]:
                    continue
                post = stored.get(target["post_id"]) or {
                    "id": target["post_id"], "url": target["url"], "text": "", "source": None}
                checks.append(_check_one(store, archive, case, target, post, by=by,
                                         timeout=timeout, browser=browser,
                                         wait_for=browser_sources.get(post.get("source"), False)))
            _close_if_all_gone(store, case["id"], by)
    finally:
        archive.close()
    return checks


def verify_open_cases(store: Store, *, evidence_root: Path, by: str, timeout: float = 30.0,
                      sources_file: str | None = None) -> list[Check]:
    """:func:`verify`, with Chromium started only when an open case lists a post of a source
    whose pages need JavaScript (``browser:`` in the sources file)."""
    from contextlib import nullcontext

    from ops.takedown import browser_sources
    from ops.takedown.browser import Chromium

    open_cases = store.cases(OPEN_CASE_STATES)
    if not open_cases:
        return []
    needs = browser_sources(sources_file)
    sources = {p.get("source") for p in store.posts_with_offers(
        [t["post_id"] for case in open_cases for t in case["posts"]])}
    browser = Chromium(timeout) if sources & set(needs) else None
    with browser if browser is not None else nullcontext():
        return verify(store, evidence_root=evidence_root, by=by, timeout=timeout,
                      browser_sources=needs, browser=browser)


def _check_one(store: Store, archive: EvidenceArchive, case: dict, target: dict, post: dict,
               *, by: str, timeout: float, browser, wait_for) -> Check:
    url = target["url"] or post.get("url")
    if not url:
        return Check(case["id"], target["post_id"], None, "unreachable", None,
                     "no URL to re-fetch")
    address = fetch_url({**post, "url": url}, case["platform"])
    at = datetime.now(UTC)
    try:
        if wait_for is not False and browser is not None:
            status, headers, body = browser.fetch(address, wait_for)
            fetched = Fetched(status, headers, body, address)
        else:
            fetched = http_fetch(address, timeout)
    except (OSError, ValueError) as exc:  # refused, reset, timed out, bad URL
        fetched, outcome = None, "unreachable"
        note = f"not reached: {getattr(exc, 'reason', None) or exc}"
    except Exception as exc:  # the browser's own errors (Playwright's Error, TimeoutError)
        fetched, outcome = None, "unreachable"
        note = f"not reached: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    else:
        outcome, note = judge({**post, "url": url}, fetched)
    sha = None
    if fetched is not None:
        sha = archive.keep(fetched.url, fetched.body, fetched.status, fetched.headers, at)
    if outcome == "gone" and fetched is not None and fetched.status < 400 and browser is None:
        outcome, note = _look_on_next_pages({**post, "url": url}, fetched, archive, timeout,
                                            note)
    store.record_case_check(case["id"], target["post_id"], url=address, outcome=outcome, by=by,
                            at=at.isoformat(timespec="seconds"), note=note,
                            evidence_sha256=sha)
    return Check(case["id"], target["post_id"], url, outcome,
                 fetched.status if fetched else None, note, sha)


def _look_on_next_pages(post: dict, fetched: Fetched, archive: EvidenceArchive,
                        timeout: float, note: str) -> tuple[str, str]:
    """A listing off its board page may only have moved down as newer ones came in: look on
    the next pages (``rel=next``, ``a.next``, 下一页) before calling it gone. Each page read
    is kept as evidence too."""
    seen = {fetched.url}
    for n in range(1, NEXT_PAGES + 1):
        following = next_page(fetched)
        if following is None or following in seen:
            break
        seen.add(following)
        try:
            fetched = http_fetch(following, timeout)
        except (OSError, ValueError) as exc:
            return "unreachable", f"{note}; page {n + 1} not reached: {exc}"
        archive.keep(fetched.url, fetched.body, fetched.status, fetched.headers,
                     datetime.now(UTC))
        if fetched.status >= 400:
            break
        if still_there(post, fetched):
            return "up", f"moved to {following}"
    else:
        if next_page(fetched) is not None:
            return "unreachable", f"{note}; not on the next {NEXT_PAGES} pages either, " \
                                  "and the board goes on: not judged"
    return "gone", note + (f" (nor on the {len(seen) - 1} page(s) after)" if len(seen) > 1
                           else "")


def next_page(fetched: Fetched) -> str | None:
    """The absolute URL of the page after ``fetched`` on a paged board, if it has one."""
    content_type = next((v.decode("latin-1") for k, v in fetched.headers
                         if k.lower() == b"content-type"), None)
    _, page = html_to_unicode(content_type, fetched.body)
    if "<" not in page:
        return None
    selector = Selector(text=page)
    href = (selector.css("link[rel=next]::attr(href), a[rel=next]::attr(href), "
                         "a.next::attr(href)").get()
            or selector.xpath("//a[normalize-space(.)='下一页' or normalize-space(.)='下一頁' "
                              "or normalize-space(.)='下页' or normalize-space(.)='Next' or "
                              "normalize-space(.)='next']/@href").get())
    return urljoin(fetched.url, href) if href else None


def _close_if_all_gone(store: Store, case_id: str, by: str) -> None:
    case = store.get_case(case_id)
    posts = case["posts"]
    if not posts or any(not p["removed_at"] for p in posts):
        return
    last = max(posts, key=lambda p: p["removed_at"])
    store.set_case_state(case_id, "removed", by=by, at=last["removed_at"],
                         note=f"verify: all {len(posts)} post(s) gone",
                         evidence_sha256=last["removal_sha256"])
