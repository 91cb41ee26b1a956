"""Reaching the cluster: settings from the environment or a file, failures as one line.

The failure tests talk to real sockets on 127.0.0.1: a closed port, and a small HTTP server
that answers as a cluster refusing the credentials would.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index import StoreError, open_store
from index.elastic.connection import CLIENT_REQUIREMENT, connection_settings
from ops.cli import main


def test_url_and_credentials_from_the_environment():
    env = {"ES_URL": "https://es.example:9200/", "ES_USERNAME": "heishi", "ES_PASSWORD": "pw",
           "ES_CA_CERTS": "/etc/ca.pem"}
    settings = connection_settings(environ=env)
    options = settings.client_options()
    assert settings.url == "https://es.example:9200"
    assert options["basic_auth"] == ("heishi", "pw")
    assert options["ca_certs"] == "/etc/ca.pem"
    assert options["retry_on_timeout"] is True
    assert set(options["retry_on_status"]) >= {429, 502, 503, 504}
    assert options["request_timeout"] > 0 and options["max_retries"] >= 1


def test_api_key_wins_and_the_store_location_wins_over_es_url():
    env = {"ES_URL": "http://a:9200", "ES_API_KEY": "k3y", "ES_USERNAME": "u"}
    settings = connection_settings("es://b:9201", environ=env)
    assert settings.url == "http://b:9201"
    assert settings.client_options()["api_key"] == "k3y"
    assert "basic_auth" not in settings.client_options()


def test_config_file_below_the_environment(tmp_path):
    config = tmp_path / "es.yaml"
    config.write_text("url: http://file:9200\napi_key: from-file\nrequest_timeout: 5\n")
    settings = connection_settings(environ={"HEISHI_ES_CONFIG": str(config)})
    assert (settings.url, settings.api_key, settings.request_timeout) == (
        "http://file:9200", "from-file", 5)
    env = {"HEISHI_ES_CONFIG": str(config), "ES_API_KEY": "from-env"}
    assert connection_settings(environ=env).api_key == "from-env"


@pytest.mark.parametrize(
    ("content", "message"),
    [("url: [1, 2", "not valid YAML"), ("- a list", "mapping"), ("colour: red", "colour")],
)
def test_bad_config_file_is_named(tmp_path, content, message):
    config = tmp_path / "es.yaml"
    config.write_text(content)
    with pytest.raises(StoreError, match=message) as caught:
        connection_settings(environ={"HEISHI_ES_CONFIG": str(config)})
    assert str(config) in str(caught.value)


@pytest.mark.parametrize(
    ("url", "message"),
    [("https://elastic:secret@es:9200", "credentials in the Elasticsearch URL"),
     ("ftp://es:21", "not an Elasticsearch URL"), (None, "ES_URL")],
)
def test_bad_urls_are_refused(url, message):
    with pytest.raises(StoreError, match=message) as caught:
        connection_settings(url, environ={})
    assert "secret" not in str(caught.value)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_cluster_is_one_store_error():
    port = closed_port()
    with pytest.raises(StoreError) as caught:
        open_store(f"http://127.0.0.1:{port}", max_retries=0)
    message = str(caught.value)
    assert f"cannot reach Elasticsearch at http://127.0.0.1:{port}" in message
    assert "Connection refused" in message and "\n" not in message


def test_cli_prints_the_unreachable_cluster_without_traceback(capsys, monkeypatch):
    monkeypatch.setenv("HEISHI_STORE", f"http://127.0.0.1:{closed_port()}")
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("heishi stats: error: ") and "Traceback" not in err
    assert "cannot reach Elasticsearch" in err


class Refusing(BaseHTTPRequestHandler):
    """Answers every request with ``answer`` (status, body), as a cluster refusing it would."""

    seen: list[dict] = []
    answer: tuple[int, dict] = (401, {})

    def do_GET(self):  # noqa: N802 - http.server's naming
        Refusing.seen.append({"path": self.path, "authorization": self.headers["Authorization"],
                              "accept": self.headers["Accept"]})
        status, answer = Refusing.answer
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        if status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="security"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


UNAUTHENTICATED = (401, {"error": {"type": "security_exception",
                                   "reason": "unable to authenticate user [heishi]"},
                         "status": 401})
# What an 8.x cluster says to a 9.x client's compatibility headers.
OTHER_MAJOR = (400, {"error": {
    "root_cause": [{"type": "media_type_header_exception",
                    "reason": "Invalid media-type value on headers [Accept, Content-Type]"}],
    "type": "media_type_header_exception",
    "reason": "Invalid media-type value on headers [Accept, Content-Type]"}, "status": 400})


@pytest.fixture
def refusing_cluster():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    Refusing.seen, Refusing.answer = [], UNAUTHENTICATED
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_refused_credentials_say_which_settings_to_check(refusing_cluster, monkeypatch):
    monkeypatch.setenv("ES_USERNAME", "heishi")
    monkeypatch.setenv("ES_PASSWORD", "wrong")
    monkeypatch.delenv("ES_API_KEY", raising=False)
    with pytest.raises(StoreError, match="refused the credentials") as caught:
        open_store(refusing_cluster)
    assert "ES_USERNAME" in str(caught.value) and "wrong" not in str(caught.value)
    assert Refusing.seen[0]["authorization"].startswith("Basic ")


def test_a_cluster_of_another_major_version_says_which_client_to_install(refusing_cluster):
    Refusing.answer = OTHER_MAJOR
    with pytest.raises(StoreError, match="refuses this client's API version") as caught:
        open_store(refusing_cluster)
    assert CLIENT_REQUIREMENT in str(caught.value)
    assert "compatible-with=" in Refusing.seen[0]["accept"]
