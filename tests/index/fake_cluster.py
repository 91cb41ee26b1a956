"""A loopback HTTP server that answers the requests heishi sends as an Elasticsearch cluster
would, for the behaviour no request-as-data test can show (what is sent in which order, what a
refused privilege or a failed shard does to a command).

It keeps documents in memory and speaks just the endpoints the store uses: ``GET /``, index
templates, index creation, mappings, ``_mget``, ``_bulk``, point in time with ``search_after``,
refresh. It checks the client's compatibility headers the way a server of ``major`` does
(REST API compatibility reaches one major back), so a client of the wrong major fails here as
it would on a real cluster. Not a cluster: searches return every document of the index.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeCluster:
    def __init__(self, version: str = "8.15.0") -> None:
        self.version = version
        self.requests: list[tuple[str, str, object]] = []  # (method, path, body)
        self.indices: dict[str, dict] = {}  # name -> {"mappings": ..., "docs": {id: (src, seq)}}
        self.templates: dict[str, dict] = {}
        self.refused: set[str] = set()  # "monitor", "templates", "mapping"
        self.conflict_posts = False  # every conditional post write loses (409)
        self.failed_shards = 0
        self.trend_pages: list[dict] = []  # answers to trend searches, one a request
        self.lock = threading.Lock()
        self.seq = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeCluster:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- what tests look at ------------------------------------------------------------
    def bulk_lines(self) -> list[list[dict]]:
        """The action lines of each ``_bulk`` request, in the order they arrived."""
        return [
            [line for line in body if isinstance(line, dict) and len(line) == 1
             and next(iter(line)) in ("index", "create", "update", "delete")]
            for method, path, body in self.requests if path.split("?")[0].endswith("_bulk")
        ]

    def paths(self) -> list[str]:
        return [f"{method} {path.split('?')[0]}" for method, path, _ in self.requests]

    # -- serving -----------------------------------------------------------------------
    def _handler(self):
        cluster = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body: object = None
                if raw:
                    text = raw.decode()
                    if self.path.split("?")[0].endswith("_bulk"):
                        body = [json.loads(line) for line in text.splitlines() if line.strip()]
                    else:
                        body = json.loads(text)
                with cluster.lock:
                    cluster.requests.append((self.command, self.path, body))
                    status, answer = cluster._answer(self.command, self.path, body,
                                                     self.headers.get("Accept") or "")
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _serve  # noqa: N815

            def log_message(self, *args):
                pass

        return Handler

    def _answer(self, method: str, url: str, body, accept: str) -> tuple[int, dict]:
        wanted = re.search(r"compatible-with=(\d+)", accept)
        major = int(self.version.split(".")[0])
        if wanted and int(wanted.group(1)) not in (major, major - 1):
            return 400, error(400, "media_type_header_exception",
                              "Invalid media-type value on headers [Accept, Content-Type]")
        parts = urlsplit(url)
        path, query = parts.path.strip("/"), parse_qs(parts.query)
        segments = path.split("/") if path else []
        if method == "GET" and not segments:
            if "monitor" in self.refused:
                return 403, forbidden("cluster:monitor/main")
            return 200, {"name": "fake", "cluster_name": "fake",
                         "version": {"number": self.version}, "tagline": "You Know, for Search"}
        if segments[:1] == ["_index_template"]:
            if "templates" in self.refused:
                return 403, forbidden("indices:admin/index_template/put")
            self.templates[segments[1]] = body
            return 200, {"acknowledged": True}
        if segments == ["_bulk"] or segments[-1:] == ["_bulk"]:
            return 200, self._bulk(body)
        if segments == ["_pit"] and method == "DELETE":
            return 200, {"succeeded": True, "num_freed": 1}
        if segments == ["_search"]:
            return 200, self._page(body)
        if segments[-1:] == ["_search"] and "trend" in (body or {}).get("aggs", {}):
            return 200, self.trend_pages.pop(0) if self.trend_pages else {"aggregations": {}}
        if segments[-1:] == ["_search"]:  # counts only: no aggregation is computed
            names = self._resolve(segments[0])
            count = sum(len(self.indices[n]["docs"]) for n in names)
            return 200, {"hits": {"total": {"value": count}, "hits": []}, "aggregations": {}}
        if len(segments) == 2 and segments[1] == "_pit":
            names = self._resolve(segments[0])
            if not names:
                return 404, error(404, "index_not_found_exception", f"no such index [{path}]")
            return 200, {"id": "pit:" + ",".join(names)}
        if len(segments) == 2 and segments[1] == "_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if len(segments) == 2 and segments[1] == "_mapping":
            if method == "PUT":
                if "mapping" in self.refused:
                    return 403, forbidden("indices:admin/mapping/put")
                return 200, {"acknowledged": True}
            return 200, {n: {"mappings": self.indices[n]["mappings"]}
                         for n in self._resolve(segments[0])}
        if len(segments) == 2 and segments[1] == "_mget":
            docs = []
            for id_ in body["ids"]:
                found = self._get(segments[0], id_)
                docs.append(found or {"_index": segments[0], "_id": id_, "found": False})
            return 200, {"docs": docs}
        if len(segments) == 3 and segments[1] == "_doc" and method in ("PUT", "POST"):
            if segments[0] not in self.indices:
                self._create(segments[0])
            self.seq += 1
            self.indices[segments[0]]["docs"][segments[2]] = (body, self.seq)
            return 200, {"_index": segments[0], "_id": segments[2], "result": "created"}
        if len(segments) == 3 and segments[1] == "_doc":
            found = self._get(segments[0], segments[2])
            return (200, found) if found else (404, {"found": False})
        if len(segments) == 1 and method == "PUT":
            if segments[0] in self.indices:
                return 400, error(400, "resource_already_exists_exception", "exists")
            self._create(segments[0])
            return 200, {"acknowledged": True, "index": segments[0]}
        return 400, error(400, "illegal_argument_exception", f"fake: {method} {path} {query}")

    def _create(self, name: str) -> None:
        mappings: dict = {}
        for template in self.templates.values():
            if any(re.fullmatch(p.replace("*", ".*"), name) for p in template["index_patterns"]):
                mappings = template["template"]["mappings"]
        self.indices[name] = {"mappings": mappings, "docs": {}}

    def _resolve(self, expression: str) -> list[str]:
        names = []
        for part in expression.split(","):
            pattern = part.replace("*", ".*")
            names += [n for n in self.indices
                      if re.fullmatch(pattern, n) or re.fullmatch(pattern + "-.*", n)]
        return sorted(set(names))

    def _get(self, index: str, id_: str) -> dict | None:
        if index not in self.indices or id_ not in self.indices[index]["docs"]:
            return None
        source, seq = self.indices[index]["docs"][id_]
        return {"_index": index, "_id": id_, "_seq_no": seq, "_primary_term": 1,
                "found": True, "_source": source}

    def _bulk(self, lines: list) -> dict:
        items, i = [], 0
        while i < len(lines):
            op, meta = next(iter(lines[i].items()))
            source = lines[i + 1] if op != "delete" else None
            i += 1 if op == "delete" else 2
            index, id_ = meta["_index"], meta.get("_id")
            result = {"_index": index, "_id": id_}
            conditional = op == "create" or "if_seq_no" in meta
            if conditional and "-posts-" in index and self.conflict_posts:
                result.update(status=409, error={"type": "version_conflict_engine_exception",
                                                 "reason": f"[{id_}]: version conflict"})
            elif op == "delete":
                docs = self.indices.get(index, {}).get("docs", {})
                result["status"] = 200 if docs.pop(id_, None) else 404
            else:
                if index not in self.indices:
                    self._create(index)
                self.seq += 1
                if op == "update":
                    stored = self.indices[index]["docs"].get(id_, (source.get("upsert"), 0))[0]
                    source = {**(stored or {}), **source.get("doc", {})}
                self.indices[index]["docs"][id_] = (source, self.seq)
                result["status"] = 201
            items.append({op: result})
        return {"took": 1, "errors": any(r[k]["status"] >= 300 and r[k]["status"] != 404
                                         for r in items for k in r), "items": items}

    def _page(self, body: dict) -> dict:
        names = body["pit"]["id"].removeprefix("pit:").split(",")
        hits = [self._get(name, id_) for name in names for id_ in self.indices[name]["docs"]]
        start = body.get("search_after", [0])[0]
        page = hits[start : start + body["size"]]
        shards = {"total": 3, "successful": 3 - self.failed_shards, "failed": self.failed_shards}
        if self.failed_shards:
            shards["failures"] = [{"index": names[0], "shard": 1, "reason": {
                "type": "node_not_connected_exception", "reason": "node left"}}]
        return {
            "pit_id": body["pit"]["id"],
            "_shards": shards,
            "hits": {"hits": [{**hit, "sort": [start + n + 1]} for n, hit in enumerate(page)]},
        }


def error(status: int, kind: str, reason: str) -> dict:
    return {"error": {"root_cause": [{"type": kind, "reason": reason}], "type": kind,
                      "reason": reason}, "status": status}


def forbidden(action: str) -> dict:
    return error(403, "security_exception",
                 f"action [{action}] is unauthorized for API key id [k] of user [heishi]")
