"""One live crawl per source and store.

A crawl that finds a run of its source still marked "running" takes it for one that was killed
and marks it interrupted. That is only true when no other process is crawling the source right
now (the scheduler's run, and an analyst's ``heishi crawl`` of the same source): the crawl
therefore holds an exclusive lock for its source while it runs, and a second one that cannot
take it stops at once, saying who holds it. The lock is the operating system's (``flock``): a
crawl killed with SIGKILL releases it, so its run is marked interrupted by the next crawl.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from pathlib import Path

from crawlers.errors import CrawlBusy
from index.private import open_private, private_dir
from index.urls import masked, url_scheme


def lock_path(store: str, source: str) -> Path:
    """Beside a SQLite store; for an Elasticsearch one, in this user's temporary folder."""
    if url_scheme(store) is None:
        return Path(f"{store}.crawl-{source}.lock")
    digest = hashlib.sha256(store.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    folder = private_dir(Path(tempfile.gettempdir()) / f"heishi-{os.getuid()}")
    return folder / f"{digest}.crawl-{source}.lock"


class SourceLock:
    """Held from the start of a source's crawl to its end (:meth:`release`)."""

    def __init__(self, store: str, source: str):
        self.path = lock_path(store, source)
        self._fd: int | None = open_private(self.path, os.O_RDWR)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self._fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(self._fd)
            self._fd = None
            raise CrawlBusy(
                f"{source} is being crawled into {masked(store)} by process {holder}; "
                "not crawling it twice at once (its run goes on)"
            ) from None
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"{os.getpid()}\n".encode(), 0)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None
