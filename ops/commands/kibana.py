"""``heishi kibana install --url URL``: import heishi's data views, charts and dashboard.

The saved objects live in ``ops/kibana/heishi.ndjson`` (see ``ops/kibana/README.md``) and go
through Kibana's saved-objects import API, as a person would upload them in Stack Management:
``POST /api/saved_objects/_import?overwrite=true``, multipart field ``file``, header
``kbn-xsrf``. Credentials come from ``KIBANA_API_KEY`` or ``KIBANA_USERNAME`` /
``KIBANA_PASSWORD`` in the environment, never from the command line.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import ssl
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

from index.urls import service_url
from ops.commands import HeishiCommand
from ops.errors import UsageError

SAVED_OBJECTS = Path(__file__).resolve().parents[1] / "kibana" / "heishi.ndjson"
DEFAULT_PREFIX = "heishi"
TIMEOUT = 60


def saved_objects(prefix: str = DEFAULT_PREFIX, path: Path = SAVED_OBJECTS) -> bytes:
    """The NDJSON to import; data views point at ``<prefix>-offers`` / ``<prefix>-posts``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read the saved objects {path}: {exc.strerror}") from None
    if prefix == DEFAULT_PREFIX:
        return text.encode()
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not JSON: {exc}") from None
        if obj.get("type") == "index-pattern":
            title = obj["attributes"]["title"]
            obj["attributes"]["title"] = prefix + title.removeprefix(DEFAULT_PREFIX)
        lines.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True))
    return ("\n".join(lines) + "\n").encode()


def multipart(field: str, filename: str, content: bytes, content_type: str) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body with one file, and its Content-Type header."""
    boundary = f"heishi-{uuid.uuid4().hex}"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head + content + tail, f"multipart/form-data; boundary={boundary}"


def auth_header(environ=os.environ) -> dict[str, str]:
    if environ.get("KIBANA_API_KEY"):
        return {"Authorization": f"ApiKey {environ['KIBANA_API_KEY']}"}
    if environ.get("KIBANA_USERNAME"):
        pair = f"{environ['KIBANA_USERNAME']}:{environ.get('KIBANA_PASSWORD', '')}"
        return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}
    return {}


def import_url(url: str, space: str | None) -> str:
    base = service_url(
        url, "Kibana URL",
        credentials_hint="set KIBANA_API_KEY, or KIBANA_USERNAME and KIBANA_PASSWORD, in the "
        "environment",
    )
    if space and space != "default":
        base += f"/s/{quote(space, safe='')}"
    return f"{base}/api/saved_objects/_import?overwrite=true"


def install(url: str, body: bytes, *, space: str | None = None, environ=os.environ) -> dict:
    """Send the saved objects; Kibana's answer (``success``, ``successResults``, ``errors``)."""
    target = import_url(url, space)
    data, content_type = multipart("file", "heishi.ndjson", body, "application/ndjson")
    headers = {"kbn-xsrf": "true", "Content-Type": content_type, **auth_header(environ)}
    request = urllib.request.Request(target, data=data, headers=headers, method="POST")
    context = None
    if environ.get("KIBANA_CA_CERTS"):
        try:
            context = ssl.create_default_context(cafile=environ["KIBANA_CA_CERTS"])
        except (OSError, ssl.SSLError) as exc:
            raise UsageError(
                f"KIBANA_CA_CERTS {environ['KIBANA_CA_CERTS']!r}: cannot load CA certificates: "
                f"{getattr(exc, 'strerror', None) or exc}"
            ) from None
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT, context=context) as answer:
            raw = answer.read()
    except urllib.error.HTTPError as exc:
        raise UsageError(f"Kibana at {url} answered {exc.code}: {_reason(exc)}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UsageError(f"cannot reach Kibana at {url}: {reason}") from None
    try:
        return json.loads(raw)
    except ValueError:
        raise UsageError(f"Kibana at {url} did not answer with JSON: {raw[:200]!r}") from None


def _reason(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read() or b"{}")
    except ValueError:
        body = {}
    if exc.code == 401:
        return "credentials refused; check KIBANA_API_KEY or KIBANA_USERNAME/KIBANA_PASSWORD"
    return str(body.get("message") or exc.reason)


def describe_error(error: dict) -> str:
    """One import error: which object, and why (missing references named)."""
    title = error.get("title") or (error.get("meta") or {}).get("title") or ""
    what = f"{error.get('type')} {error.get('id')}" + (f" ({title})" if title else "")
    cause = error.get("error") or {}
    reason = cause.get("type", "error")
    if cause.get("references"):
        missing = ", ".join(f"{r.get('type')} {r.get('id')}" for r in cause["references"])
        reason += f": {missing}"
    elif cause.get("message"):
        reason += f": {cause['message']}"
    return f"{what}: {reason}"


class Command(HeishiCommand):
    name = "kibana"
    help = "install heishi's Kibana data views, visualisations and dashboard"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        setup = actions.add_parser(
            "install",
            help="import the saved objects (overwrites earlier versions of them)",
            description="Import heishi's data views, visualisations and dashboard through "
            "Kibana's saved-objects API. Credentials: KIBANA_API_KEY, or KIBANA_USERNAME and "
            "KIBANA_PASSWORD; KIBANA_CA_CERTS for a private CA.",
        )
        setup.add_argument("--url", required=True, help="Kibana, e.g. http://localhost:5601")
        setup.add_argument("--prefix", default=DEFAULT_PREFIX,
                           help="index prefix the data views read (default: heishi)")
        setup.add_argument("--space", help="Kibana space (default: the default space)")

    def run(self, args: argparse.Namespace) -> int:
        answer = install(args.url, saved_objects(args.prefix), space=args.space)
        for result in answer.get("successResults") or []:
            title = (result.get("meta") or {}).get("title") or ""
            print(f"imported {result.get('type')} {result.get('id')}: {title}")
        errors = answer.get("errors") or []
        for error in errors:
            print(f"error: {describe_error(error)}")
        print(f"{answer.get('successCount', 0)} imported, {len(errors)} failed")
        return 0 if answer.get("success") and not errors else 1
