"""Stores for the index tests: every contract test runs on each backend that is available."""

from __future__ import annotations

import os
import uuid

import pytest

from index import open_store


@pytest.fixture(params=["sqlite", "elasticsearch"])
def store(request, tmp_path):
    """An empty store of each backend: SQLite always, Elasticsearch when ``ES_URL`` is set."""
    if request.param == "sqlite":
        opened = open_store(str(tmp_path / "store" / "heishi.db"))
    else:
        url = os.environ.get("ES_URL")
        if not url:
            pytest.skip("ES_URL not set")
        opened = open_store(url, prefix=f"heishi-test-{uuid.uuid4().hex[:10]}")
    try:
        yield opened
    finally:
        drop = getattr(opened, "drop", None)
        if request.param == "elasticsearch" and drop is not None:
            drop()
        opened.close()
