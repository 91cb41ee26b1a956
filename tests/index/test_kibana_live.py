"""The saved objects imported into a real Kibana, when ``KIBANA_URL`` names one (skipped
otherwise; ``ops/deploy/es-contract.sh`` starts one in Docker)."""

from __future__ import annotations

import json
import os
import urllib.request
import uuid

import pytest

from ops.cli import main
from ops.commands.kibana import auth_header

pytestmark = pytest.mark.skipif(not os.environ.get("KIBANA_URL"), reason="KIBANA_URL not set")


def test_every_object_imports_and_the_dashboard_resolves(capsys):
    url = os.environ["KIBANA_URL"].rstrip("/")
    prefix = f"heishi-test-{uuid.uuid4().hex[:8]}"
    assert main(["kibana", "install", "--url", url, "--prefix", prefix]) == 0
    assert ", 0 failed" in capsys.readouterr().out
    request = urllib.request.Request(
        f"{url}/api/saved_objects/dashboard/{prefix}-market-overview", headers=auth_header())
    with urllib.request.urlopen(request, timeout=30) as answer:
        dashboard = json.loads(answer.read())
    assert {ref["id"] for ref in dashboard["references"]} <= {
        f"{prefix}-offers-by-goods", f"{prefix}-median-unit-price", f"{prefix}-top-sellers"}
