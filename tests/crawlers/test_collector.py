"""The garbage collector, as the crawl's processes set it."""

from __future__ import annotations

import gc
import weakref

from crawlers.collector import THRESHOLDS, set_for_crawling


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_the_collector_is_set_for_the_crawl_and_given_back():
    before = gc.get_threshold()
    assert before != THRESHOLDS  # else this test could not tell the two apart
    made_before = _Node()
    with set_for_crawling():
        assert gc.isenabled()
        assert gc.get_threshold() == THRESHOLDS
        # What the process made before the crawl is left out of every collection...
        assert gc.get_freeze_count() > 0
        assert not any(obj is made_before for obj in gc.get_objects())
        # ...and what the crawl makes and drops is still collected, cycles too.
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert any(obj is made_before for obj in gc.get_objects())


def test_the_collector_is_given_back_when_the_crawl_fails():
    before = gc.get_threshold()
    try:
        with set_for_crawling():
            raise RuntimeError("the reactor failed")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_worker_sets_the_collector_once_it_has_loaded_its_work():
    from crawlers import workers

    pool = workers._pool("extraction", 1)  # one worker: the process that extracts and stores
    try:
        assert pool.submit(gc.get_threshold).result(timeout=60) == THRESHOLDS
        assert pool.submit(gc.get_freeze_count).result(timeout=60) > 0
    finally:
        workers.shutdown()
