from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from crawlers.demo import DemoMarket


@pytest.fixture(scope="module")
def market():
    """One market for the read-only tests of a module (tests that change it start their own)."""
    with DemoMarket(port=0, seed=7) as running:
        yield running


def _fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="session")
def fetch():
    """GET with urllib: (status, headers, raw body); HTTP errors are answers too."""
    return _fetch
