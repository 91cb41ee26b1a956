"""Audit of every export, store URLs, and input that is not UTF-8 (issue 13, items 9-11)."""

from __future__ import annotations

import io
import json
import os
import sys

import pytest

from index import Post, open_store
from index.errors import StoreError
from ops.cli import main

PASSWORD = "s3cret-pw"


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    monkeypatch.setenv("HEISHI_AUDIT_LOG", str(tmp_path / "audit.log"))
    monkeypatch.delenv("HEISHI_STORE", raising=False)
    path = str(tmp_path / "heishi.db")
    with open_store(path) as store:
        store.upsert_posts([Post(source="tg", key=str(i), text=f"出微信老号 {400 + i}")
                            for i in range(10)])
    return path


def audit(tmp_path) -> list[dict]:
    path = tmp_path / "audit.log"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


class ClosedAfterFirstLine(io.StringIO):
    """``| head -1``: the reader goes away after the first line."""

    def write(self, text):
        if self.getvalue():
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


# -- item 9 ---------------------------------------------------------------------------------


def test_an_export_cut_short_by_its_reader_is_audited(store_path, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdout", ClosedAfterFirstLine())
    assert main(["search", "--store", store_path, "--json"]) == 0
    [entry] = audit(tmp_path)
    assert entry["command"] == "search" and entry["rows"] == 10 and entry["output"] == "stdout"


def test_an_export_to_a_file_name_that_is_not_utf8_is_audited(store_path, tmp_path):
    target = os.fsdecode(bytes(tmp_path) + b"/out-\xff.csv")
    assert main(["search", "--store", store_path, "--csv", "-o", target]) == 0
    assert os.path.exists(os.fsencode(target))
    [entry] = audit(tmp_path)
    assert entry["output"] == target  # JSON gives the escaped byte back


def test_the_store_from_the_environment_is_named_in_the_audit_log(store_path, tmp_path,
                                                                  monkeypatch, capsys):
    monkeypatch.setenv("HEISHI_STORE", store_path)
    assert main(["search", "--json"]) == 0
    [entry] = audit(tmp_path)
    assert entry["query"]["store"] == store_path


# -- item 10 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    [f"elasticsearch://user:{PASSWORD}@host:9200", f"ftp://user:{PASSWORD}@host/x",
     f"FTP://u:{PASSWORD}@h", "file:///tmp/x.db", "redis://localhost:6379"],
)
def test_a_store_url_of_an_unknown_scheme_is_refused_without_its_password(
        location, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match="unknown scheme") as caught:
        open_store(location)
    assert PASSWORD not in str(caught.value)
    assert main(["stats", "--store", location]) == 2
    err = capsys.readouterr().err
    assert "unknown scheme" in err and PASSWORD not in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # no SQLite file named after the URL


@pytest.mark.parametrize("location", ["HTTP://127.0.0.1:1", "Https://127.0.0.1:1/",
                                      "ES://127.0.0.1:1"])
def test_a_store_url_in_any_case_is_elasticsearch(location, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match="Elasticsearch") as caught:
        open_store(location).close()  # nothing listens on port 1
    assert "127.0.0.1:1" in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # not a file path


@pytest.mark.parametrize(
    ("url", "message"),
    [("http://[::1", "not an Elasticsearch URL"), ("http://127.0.0.1:abc", "Port"),
     ("http://127.0.0.1:99999", "out of range"), (f"https://u:{PASSWORD}@h:9200", "credentials")],
)
def test_a_bad_elasticsearch_url_is_one_line(url, message, monkeypatch, capsys):
    monkeypatch.setenv("HEISHI_STORE", url)
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert message.lower() in err.lower() and PASSWORD not in err and err.count("\n") == 1


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:abc", "ftp://h:5601",
                                 f"http://u:{PASSWORD}@h:5601"])
def test_a_bad_kibana_url_is_one_line(url, capsys):
    assert main(["kibana", "install", "--url", url]) == 2
    err = capsys.readouterr().err
    assert "Kibana URL" in err and PASSWORD not in err and err.count("\n") == 1


def test_a_bad_kibana_ca_file_is_one_line(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    for path in (bad, tmp_path / "missing.pem"):
        monkeypatch.setenv("KIBANA_CA_CERTS", str(path))
        assert main(["kibana", "install", "--url", "https://127.0.0.1:1"]) == 2
        err = capsys.readouterr().err
        assert "KIBANA_CA_CERTS" in err and err.count("\n") == 1


# -- item 11 --------------------------------------------------------------------------------


def stdin_bytes(monkeypatch, data: bytes):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


GOOD = "".join(json.dumps({"id": i, "text": f"出微信老号 {i}00元"}, ensure_ascii=False) + "\n"
               for i in range(1, 60)).encode()


def test_gb18030_on_stdin_is_named_by_line_after_the_good_lines(monkeypatch, capsys):
    bad = json.dumps({"id": 60, "text": "出微信老号 400元"}, ensure_ascii=False)
    stdin_bytes(monkeypatch, GOOD + bad.encode("gb18030") + b"\n")
    assert main(["extract"]) == 2
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 59
    assert "<stdin>:60:" in captured.err and "not UTF-8" in captured.err
    assert captured.err.count("\n") == 1


def test_a_file_that_is_not_utf8_gives_its_line_and_the_good_lines(tmp_path, capsys):
    path = tmp_path / "posts.jsonl"
    path.write_bytes(GOOD + '{"id": 60, "text": "出号"}\n'.encode("gb18030"))
    assert main(["extract", str(path)]) == 2
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 59
    assert f"{path}:60:" in captured.err


@pytest.mark.parametrize(
    ("line", "message"),
    [(b'{"id": 1, "text": "\\ud800"}', "surrogate"),
     (b'{"id": 1, "text": "x", "price": NaN}', "NaN"),
     (b'{"id": 1, "text": "x", "price": -Infinity}', "Infinity")],
)
def test_json_that_is_not_text_or_not_standard_is_refused_by_line(line, message, monkeypatch,
                                                                   capsys):
    stdin_bytes(monkeypatch, b'{"id": 0, "text": "ok"}\n' + line + b"\n")
    assert main(["extract"]) == 2
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert "<stdin>:2:" in captured.err and message in captured.err


def test_a_search_argument_that_is_not_utf8_is_a_usage_error(store_path, capsys):
    assert main(["search", os.fsdecode(b"\xff"), "--store", store_path]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8" in err and err.count("\n") == 1
