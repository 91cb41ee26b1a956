"""Python's cyclic garbage collector, set for the processes of a crawl.

A post waiting for its extraction holds about 90 objects the collector tracks (its item, and
the coroutines, tasks and futures of the pipelines it is in), and a fast crawl keeps a few
thousand posts waiting. With Python's default thresholds every full collection walked them
all, with the tens of thousands of objects imported at start: bench/crawl.py measured 3.2 s of
17-19 s of the crawl process's CPU spent collecting, for 1,000 pages of the full pipeline
(0.7 s in the bare crawl), and the extraction worker spent about 1 s in 40,000 posts.

What a process made before its crawl (modules, the dictionary, the rules' tables, the model)
lives as long as the process, so it is frozen out of every collection (``gc.freeze``), and
collections run less often. Garbage still goes: cycles the crawl drops are collected, at most
one young generation of them a little later.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Young collections after this many new container objects (Python's default: 700), and a full
# one after 20 young and 20 middle ones (default 10 and 10).
THRESHOLDS = (50_000, 20, 20)


def settle() -> None:
    """Set the collector for the rest of this process: a worker calls it once it has loaded
    what its work needs, the crawl process through :func:`set_for_crawling`."""
    gc.collect()  # what is garbage already is freed, not frozen
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


@contextmanager
def set_for_crawling() -> Iterator[None]:
    """The collector set for a crawl while the reactor runs, and as it was afterwards."""
    thresholds = gc.get_threshold()
    settle()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
