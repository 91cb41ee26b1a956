"""Pictures of pages for takedown bundles, taken by Chromium with victims' data masked first.

Chromium is launched the way the crawlers launch it (Debian's ``/usr/bin/chromium``, or
``$HEISHI_CHROMIUM``, with :data:`crawlers.settings.PLAYWRIGHT_LAUNCH_OPTIONS`), never a
downloaded build. Before a screenshot, every text node and form value of the page is read,
redacted in Python (:mod:`ops.takedown.redaction`) and written back; after it, the text is
read again and checked, so a page whose scripts put a number back fails loudly rather than
leaving a picture of it. Pictures on the page are hidden: a seller's sample of ID-card photos
cannot be masked by reading text.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime

from crawlers.settings import PLAYWRIGHT_LAUNCH_OPTIONS
from ops.errors import UsageError
from ops.takedown.redaction import leaks, redact_pieces, with_tokens_of

VIEWPORT = {"width": 1280, "height": 900}
SETTLE_MS = 5000  # at most this long for a loaded page to go quiet before its picture

_READ_TEXT = """() => {
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  const root = document.body || document.documentElement;
  // No filter callback: with the page's scripts off (stored captures) it cannot run.
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!(n.parentNode && skip.has(n.parentNode.nodeName))) nodes.push(n);
  }
  // Which nodes start a line as the page shows it: a new block, or after a <br>. Table
  // cells and inline elements continue their row's line (as innerText reads them).
  const inline = new Set(['inline', 'inline-block', 'table-cell', 'contents', 'inline-flex']);
  const blockOf = (node) => {
    for (let e = node.parentElement; e; e = e.parentElement) {
      if (!inline.has(getComputedStyle(e).display)) return e;
    }
    return null;
  };
  const blocks = nodes.map(blockOf);
  const breaks = nodes.map((n, i) => i === 0 || blocks[i] !== blocks[i - 1] ||
    (n.previousSibling !== null && n.previousSibling.nodeName === 'BR'));
  const fields = Array.from(document.querySelectorAll('input, textarea'));
  window.__heishi = {nodes, fields};
  return {values: nodes.map((n) => n.nodeValue).concat(fields.map((f) => f.value || '')),
          breaks: breaks.concat(fields.map(() => true))};
}"""
_WRITE_TEXT = """(values) => {
  const {nodes, fields} = window.__heishi;
  nodes.forEach((n, i) => { if (n.nodeValue !== values[i]) n.nodeValue = values[i]; });
  fields.forEach((f, i) => { const v = values[nodes.length + i]; if (f.value !== v) f.value = v; });
  document.title = '';
}"""
_HIDE_PICTURES = """() => {
  const style = document.createElement('style');
  style.textContent = 'img, picture, video, canvas, object, embed, iframe, svg image '
    + '{ visibility: hidden !important; } '
    + '* { background-image: none !important; caret-color: transparent !important; }';
  (document.head || document.documentElement).appendChild(style);
}"""
_BANNER = """([lines, alarm]) => {
  const box = document.createElement('div');
  box.setAttribute('data-heishi-banner', '');
  box.style.cssText = 'all: initial; display: block; box-sizing: border-box; width: 100%; '
    + 'padding: 10px 14px; font: 14px/1.5 sans-serif; white-space: pre-wrap; color: #111; '
    + 'border-bottom: 3px solid ' + (alarm ? '#c00' : '#555') + '; background: '
    + (alarm ? '#ffe4e1' : '#eee') + ';';
  box.textContent = lines.join('\\n');
  const root = document.body || document.documentElement;
  root.insertBefore(box, root.firstChild);
}"""


class ScreenshotTimeout(UsageError):
    """The live page did not answer or settle in time: nothing is bundled from a guess."""


@dataclass
class Shot:
    png: bytes
    text: str  # the page's text as pictured (after redaction), for checking without OCR
    taken_at: str
    live: bool  # False: a rendering of the stored capture
    url: str


@dataclass
class NotUp:
    reason: str  # connection refused, HTTP 404, …


class Chromium:
    """One browser for one command; ``with Chromium(timeout) as browser: …``."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout_ms = timeout * 1000
        self._playwright = None
        self._browser = None

    def __enter__(self) -> Chromium:
        from playwright.sync_api import Error, sync_playwright

        executable = PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"]
        if not shutil.which(executable):
            raise UsageError(f"Chromium not found at {executable} (install Debian's chromium, "
                             "or set $HEISHI_CHROMIUM); nothing written")
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(**PLAYWRIGHT_LAUNCH_OPTIONS)
        except Error as exc:
            self._playwright.stop()
            raise UsageError(f"cannot start Chromium ({executable}): {exc.message.splitlines()[0]}"
                             ) from None
        return self

    def __exit__(self, *exc) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    # -- pictures ----------------------------------------------------------------------------
    def live(self, url: str, *, key: bytes, known: set[str], wait_for: str | None = None
             ) -> Shot | NotUp:
        """A full-page screenshot of ``url`` as it is now, or why the page is not up."""
        from playwright.sync_api import Error, TimeoutError

        context = self._browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        context.route("**/*", lambda route: route.abort() if route.request.resource_type in
                      ("image", "media", "font") else route.continue_())
        page = context.new_page()
        page.set_default_timeout(self.timeout_ms)
        try:
            try:
                response = page.goto(url, wait_until="load")
                if response is not None and response.status >= 400:
                    return NotUp(f"HTTP {response.status}")
                if wait_for:
                    page.wait_for_selector(wait_for)
                _settle(page, self.timeout_ms)
            except TimeoutError:
                raise ScreenshotTimeout(
                    f"{url}: the page did not load within {self.timeout_ms / 1000:g}s for its "
                    "screenshot; nothing written, the ledger is unchanged (try again, raise "
                    "--timeout, or --no-live to picture the stored capture instead)"
                ) from None
            except Error as exc:
                return NotUp(exc.message.splitlines()[0])
            taken_at = _now()
            banner = [f"heishi screenshot of the live page {url}",
                      f"taken {taken_at}; victims' personal data masked, pictures hidden"]
            return self._picture(page, url, banner, False, key, known, live=True,
                                 taken_at=taken_at)
        finally:
            context.close()

    def stored(self, capture_html: str, url: str, lines: list[str], *, key: bytes,
               known: set[str]) -> Shot:
        """A picture of a stored capture, with a banner saying it is not the live page.
        Scripts are off and nothing is fetched: only the stored bytes are shown."""
        context = self._browser.new_context(viewport=VIEWPORT, java_script_enabled=False,
                                            locale="zh-CN")
        context.route("**/*", lambda route: route.abort())
        page = context.new_page()
        page.set_default_timeout(self.timeout_ms)
        try:
            page.set_content(capture_html, wait_until="load")
            return self._picture(page, url, lines, True, key, known, live=False,
                                 taken_at=_now())
        finally:
            context.close()

    def _picture(self, page, url: str, banner: list[str], alarm: bool, key: bytes,
                 known: set[str], *, live: bool, taken_at: str) -> Shot:
        page.evaluate(_HIDE_PICTURES)
        visible = page.evaluate("() => document.body ? document.body.innerText : ''")
        known = with_tokens_of(visible, key, known)  # victims as the page's layout shows them
        for _ in range(2):  # a script may rewrite the page between redaction and picture
            read = page.evaluate(_READ_TEXT)
            page.evaluate(_WRITE_TEXT, redact_pieces(read["values"], key, known, read["breaks"]))
            if _count_leaks(page.evaluate(_READ_TEXT), key, known) == 0:
                break
        else:
            raise UsageError(f"{url}: victims' data stays on the page after redaction; no "
                             "screenshot taken, nothing written")
        page.evaluate(_BANNER, [banner, alarm])
        png = page.screenshot(full_page=True, type="png", animations="disabled")
        after = page.evaluate(_READ_TEXT)
        if _count_leaks(after, key, known):
            raise UsageError(f"{url}: the page changed while it was pictured and shows victims' "
                             "data again; no screenshot kept, nothing written")
        text = page.inner_text("body") if page.query_selector("body") else \
            "\n".join(after["values"])
        return Shot(png, text, taken_at, live, url)

    # -- fetching ----------------------------------------------------------------------------
    def fetch(self, url: str, wait_for: str | None = None) -> tuple[int, list, bytes]:
        """Status, headers and the rendered page, for pages that need JavaScript.
        Raises the browser's error when the page cannot be reached."""
        context = self._browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.set_default_timeout(self.timeout_ms)
        try:
            response = page.goto(url, wait_until="load")
            status = response.status if response is not None else 0
            if status < 400:
                if wait_for:
                    page.wait_for_selector(wait_for)
                _settle(page, self.timeout_ms)
            # The body is the page as rendered, serialised as UTF-8 whatever the site sent.
            headers = [(k.encode("latin-1", "replace"), v.encode("latin-1", "replace"))
                       for k, v in (response.headers.items() if response else [])
                       if k.lower() != "content-type"]
            headers.append((b"Content-Type", b"text/html; charset=utf-8"))
            return status, headers, page.content().encode("utf-8")
        finally:
            context.close()


def _settle(page, timeout_ms: float) -> None:
    """Give a loaded page's scripts a moment to fill it (no request for 500 ms), but not
    forever: a page that polls or streams never goes quiet, and is pictured as it is."""
    from playwright.sync_api import TimeoutError

    try:
        page.wait_for_load_state("networkidle", timeout=min(SETTLE_MS, timeout_ms))
    except TimeoutError:
        pass


def _count_leaks(read: dict, key: bytes, known: set[str]) -> int:
    """Victims' numbers readable on the page: read as the redaction read it, node by node,
    and with inline nodes run together (a number split over two spans is one on screen)."""
    values, breaks = read["values"], read["breaks"]
    def lines(glue: str) -> str:
        return "".join(("\n" if brk else glue) + value if i else value
                       for i, (value, brk) in enumerate(zip(values, breaks, strict=True)))
    return sum(len(leaks(text, key, known))
               for text in (lines(" "), lines(""), "\n".join(values)))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
