"""Kibana saved objects for the Elasticsearch index, and their installation.

The NDJSON is checked for what Kibana's import needs (every reference resolves, every field a
chart uses is mapped); ``heishi kibana install`` is run against a small HTTP server on
127.0.0.1 that records the multipart upload and answers as Kibana's import API does.
"""

from __future__ import annotations

import json
import re
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index.elastic import mappings
from ops.cli import main
from ops.commands.kibana import SAVED_OBJECTS, saved_objects

DATA_VIEW_KINDS = {"heishi-offers": "offers", "heishi-posts": "posts"}


def objects() -> list[dict]:
    lines = SAVED_OBJECTS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def by_type(kind: str) -> list[dict]:
    return [o for o in objects() if o["type"] == kind]


def mapped_fields(kind: str) -> dict[str, dict]:
    fields = {}
    for name, spec in mappings.PROPERTIES[kind].items():
        fields[name] = spec
        for sub, sub_spec in spec.get("properties", {}).items():
            fields[f"{name}.{sub}"] = sub_spec
    return fields


def test_every_line_is_a_saved_object_with_a_unique_id():
    seen = set()
    for obj in objects():
        assert {"type", "id", "attributes", "references"} <= set(obj)
        assert (obj["type"], obj["id"]) not in seen
        seen.add((obj["type"], obj["id"]))
    kinds = [o["type"] for o in objects()]
    assert kinds.count("index-pattern") == 2 and kinds.count("dashboard") == 1
    assert kinds.count("visualization") >= 3


def test_every_reference_resolves_to_an_object_in_the_file():
    present = {(o["type"], o["id"]) for o in objects()}
    for obj in objects():
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in present, (obj["id"], ref)


def test_data_views_read_the_aliases_by_a_mapped_date():
    for view in by_type("index-pattern"):
        kind = DATA_VIEW_KINDS[view["id"]]
        assert view["attributes"]["title"] == mappings.alias("heishi", kind)
        time_field = view["attributes"]["timeFieldName"]
        assert mappings.PROPERTIES[kind][time_field]["type"] == "date"


def test_visualisations_use_only_mapped_fields_of_their_data_view():
    for vis in by_type("visualization"):
        (ref,) = vis["references"]
        source = json.loads(vis["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        assert source["indexRefName"] == ref["name"]
        fields = mapped_fields(DATA_VIEW_KINDS[ref["id"]])
        state = json.loads(vis["attributes"]["visState"])
        assert state["title"] == vis["attributes"]["title"]
        used = [agg["params"]["field"] for agg in state["aggs"] if "field" in agg["params"]]
        assert used, vis["id"]
        for field in used:
            assert field in fields, (vis["id"], field)
        for field in re.findall(r"(\w+)\s*:", source["query"]["query"]):
            assert field in fields, (vis["id"], field)
        numeric = [agg["params"]["field"] for agg in state["aggs"]
                   if agg["type"] in ("median", "avg", "percentiles")]
        for field in numeric:
            assert fields[field]["type"] in ("double", "long", "scaled_float"), field


def test_the_charts_the_dashboard_promises():
    states = {v["id"]: json.loads(v["attributes"]["visState"]) for v in by_type("visualization")}
    volume = states["heishi-offers-by-goods"]["aggs"]
    assert {(a["type"], a["params"].get("field")) for a in volume} >= {
        ("count", None), ("date_histogram", "at"), ("terms", "goods")}
    median = states["heishi-median-unit-price"]["aggs"]
    assert {(a["type"], a["params"].get("field")) for a in median} >= {
        ("median", "unit_price"), ("terms", "goods"), ("terms", "platform")}
    sellers = states["heishi-top-sellers"]["aggs"]
    assert ("terms", "seller") in {(a["type"], a["params"].get("field")) for a in sellers}


def test_dashboard_panels_and_references_match():
    (dashboard,) = by_type("dashboard")
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    refs = {r["name"]: r for r in dashboard["references"]}
    assert len(panels) == len(refs) == 3
    for panel in panels:
        name = f"{panel['panelIndex']}:{panel['panelRefName']}"
        assert refs[name]["type"] == panel["type"] == "visualization"
        assert panel["gridData"]["i"] == panel["panelIndex"]
        assert panel["gridData"]["x"] + panel["gridData"]["w"] <= 48  # Kibana's grid width


def test_another_prefix_is_another_set_of_objects_with_its_references_rewritten():
    rewritten = [json.loads(line) for line in saved_objects("ti").decode().splitlines()]
    original = objects()
    assert [o["id"] for o in rewritten] == [
        "ti" + o["id"].removeprefix("heishi") for o in original]
    titles = {o["id"]: o["attributes"]["title"] for o in rewritten}
    assert titles["ti-offers"] == "ti-offers" and titles["ti-posts"] == "ti-posts"
    assert titles["ti-market-overview"] == "ti: market overview"
    ids = {o["id"] for o in rewritten}
    for obj in rewritten:
        assert all(ref["id"] in ids for ref in obj["references"]), obj["id"]
        text = json.dumps(obj, ensure_ascii=False)
        assert "heishi-" not in text and "heishi:" not in text, obj["id"]  # nothing of heishi-*
    # Two prefixes in one space share no id, so neither import overwrites the other.
    assert not ids & {o["id"] for o in original}


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_every_object_imports_into_the_oldest_kibana_the_readme_names():
    from ops.commands.kibana import OLDEST_KIBANA

    oldest = ".".join(map(str, OLDEST_KIBANA))
    for obj in objects():
        for field in ("typeMigrationVersion", "coreMigrationVersion"):
            assert version_tuple(obj[field]) <= OLDEST_KIBANA, (obj["id"], field, obj[field])
        assert not obj.get("migrationVersion")  # the pre-8.8 field, which Kibana also checks
    readme = (SAVED_OBJECTS.parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"Kibana {oldest}" in readme


# -- installing ---------------------------------------------------------------------------


class FakeKibanaImport(BaseHTTPRequestHandler):
    """Kibana's import endpoint: parses the upload for real and answers from what it got."""

    requests: list[dict] = []
    status = 200
    refuse: set[str] = set()  # ids to answer with a missing_references error
    version = "8.15.3"

    def do_GET(self):  # noqa: N802 - http.server's naming
        """``/api/status``, which says Kibana's version."""
        if self.status != 200:
            answer = {"statusCode": self.status, "message": "unable to authenticate"}
        else:
            answer = {"name": "kibana", "version": {"number": self.version}}
        data = json.dumps(answer).encode()
        self.send_response(self.status if self.path == "/api/status" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body)
        parts = {part.get_param("name", header="content-disposition"): part
                 for part in message.iter_parts()}
        upload = parts["file"]
        content = upload.get_payload(decode=True)
        FakeKibanaImport.requests.append({
            "path": self.path, "xsrf": self.headers["kbn-xsrf"],
            "authorization": self.headers["Authorization"], "filename": upload.get_filename(),
            "content": content,
        })
        if self.status != 200:
            answer = {"statusCode": self.status, "error": "Unauthorized",
                      "message": "[security_exception]: unable to authenticate"}
        else:
            saved = [json.loads(line) for line in content.decode().splitlines()]
            ok = [o for o in saved if o["id"] not in self.refuse]
            bad = [o for o in saved if o["id"] in self.refuse]
            answer = {
                "success": not bad, "successCount": len(ok),
                "successResults": [{"type": o["type"], "id": o["id"], "overwrite": True,
                                    "meta": {"title": o["attributes"]["title"]}} for o in ok],
                "errors": [{"type": o["type"], "id": o["id"],
                            "meta": {"title": o["attributes"]["title"]},
                            "error": {"type": "missing_references",
                                      "references": o["references"]}} for o in bad],
            }
        data = json.dumps(answer).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def kibana():
    FakeKibanaImport.requests, FakeKibanaImport.status, FakeKibanaImport.refuse = [], 200, set()
    FakeKibanaImport.version = "8.15.3"
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeKibanaImport)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_install_uploads_the_ndjson_as_kibana_expects(kibana, capsys, monkeypatch):
    monkeypatch.setenv("KIBANA_API_KEY", "a2V5")
    monkeypatch.delenv("KIBANA_USERNAME", raising=False)
    assert main(["kibana", "install", "--url", kibana]) == 0
    (request,) = FakeKibanaImport.requests
    assert request["path"] == "/api/saved_objects/_import?overwrite=true"
    assert request["xsrf"] == "true"
    assert request["authorization"] == "ApiKey a2V5"
    assert request["filename"].endswith(".ndjson")
    assert request["content"] == SAVED_OBJECTS.read_bytes()
    out = capsys.readouterr().out
    assert "imported dashboard heishi-market-overview: heishi: market overview" in out
    assert f"{len(objects())} imported, 0 failed" in out


def test_install_into_a_space_with_basic_auth_and_another_prefix(kibana, capsys, monkeypatch):
    monkeypatch.delenv("KIBANA_API_KEY", raising=False)
    monkeypatch.setenv("KIBANA_USERNAME", "elastic")
    monkeypatch.setenv("KIBANA_PASSWORD", "pw")
    assert main(["kibana", "install", "--url", kibana + "/", "--space", "t&s",
                 "--prefix", "ti"]) == 0
    (request,) = FakeKibanaImport.requests
    assert request["path"] == "/s/t%26s/api/saved_objects/_import?overwrite=true"
    assert request["authorization"] == "Basic ZWxhc3RpYzpwdw=="
    assert b'"title":"ti-offers"' in request["content"]
    assert b'"id":"ti-market-overview"' in request["content"]


def test_install_reports_each_import_error(kibana, capsys, monkeypatch):
    FakeKibanaImport.refuse = {"heishi-top-sellers"}
    assert main(["kibana", "install", "--url", kibana]) == 1
    out = capsys.readouterr().out
    assert ("error: visualization heishi-top-sellers (heishi: top sellers): "
            "missing_references: index-pattern heishi-offers") in out
    assert f"{len(objects()) - 1} imported, 1 failed" in out


def test_refused_credentials_and_unreachable_kibana_are_one_line(kibana, capsys):
    FakeKibanaImport.status = 401
    assert main(["kibana", "install", "--url", kibana]) == 2
    err = capsys.readouterr().err
    assert err.startswith("heishi kibana: error: Kibana at") and "401" in err
    assert "KIBANA_API_KEY" in err and "Traceback" not in err
    assert main(["kibana", "install", "--url", "http://127.0.0.1:9"]) == 2
    assert "cannot reach Kibana" in capsys.readouterr().err
    assert main(["kibana", "install", "--url", "http://elastic:pw@127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "credentials in the Kibana URL" in err and "pw" not in err.split("URL")[1]


def test_a_kibana_older_than_the_objects_is_refused_before_anything_is_sent(kibana, capsys):
    FakeKibanaImport.version = "8.8.2"
    assert main(["kibana", "install", "--url", kibana]) == 2
    err = capsys.readouterr().err
    assert "Kibana at" in err and "8.8.2" in err and "8.9.0 or newer" in err
    assert FakeKibanaImport.requests == []
    FakeKibanaImport.version = "9.2.0"
    assert main(["kibana", "install", "--url", kibana]) == 0


def test_the_prefix_comes_from_the_environment_like_the_store(kibana, capsys, monkeypatch):
    monkeypatch.setenv("HEISHI_ES_PREFIX", "ti")
    assert main(["kibana", "install", "--url", kibana]) == 0
    (request,) = FakeKibanaImport.requests
    assert b'"id":"ti-market-overview"' in request["content"]
    assert main(["kibana", "install", "--url", kibana, "--prefix", "Bad Prefix"]) == 2


def test_the_real_server_script_pins_versions_and_runs_the_contract_suite():
    import subprocess

    script = SAVED_OBJECTS.parents[1] / "deploy" / "es-contract.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text(encoding="utf-8")
    defaults = re.search(r"VERSIONS=\(([^)]*)\)", text.split("|| ", 1)[1]).group(1).split()
    assert {v.split(".")[0] for v in defaults} == {"8", "9"}  # both majors by default
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in defaults)  # pinned, no "latest"
    assert "ES_URL=" in text and "KIBANA_URL=" in text and "test_store_contract.py" in text
    assert "trap cleanup EXIT" in text
