"""Fixtures of the crawler tests: a demo market on a free loopback port."""

from __future__ import annotations

import pytest

from crawlers.demo import DemoMarket


@pytest.fixture(scope="module")
def market():
    with DemoMarket(port=0) as market:
        yield market
