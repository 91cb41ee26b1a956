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

from index.elastic.mappings import valid_prefix
from index.urls import service_url
from ops.commands import HeishiCommand
from ops.errors import UsageError

SAVED_OBJECTS = Path(__file__).resolve().parents[1] / "kibana" / "heishi.ndjson"
DEFAULT_PREFIX = "heishi"
TIMEOUT = 60


# The saved objects carry typeMigrationVersion up to 8.9.0 (the dashboard's); Kibana refuses to
# import an object newer than itself, and migrates older ones forward, 9.x included.
OLDEST_KIBANA = (8, 9, 0)


def saved_objects(prefix: str = DEFAULT_PREFIX, path: Path = SAVED_OBJECTS) -> bytes:
    """The NDJSON to import, for indices written with ``prefix``.

    Another prefix is another set of objects: ids, names and titles (``heishi-offers``,
    ``heishi: market overview``) start with the prefix and references follow, so installing
    two prefixes into one space keeps both instead of one overwriting the other.
    """
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
        obj["id"] = _prefixed(obj["id"], prefix)
        attributes = obj["attributes"]
        for name in ("title", "name"):
            if isinstance(attributes.get(name), str):
                attributes[name] = _prefixed(attributes[name], prefix)
        if isinstance(attributes.get("visState"), str):  # a chart repeats its title inside
            state = json.loads(attributes["visState"])
            state["title"] = attributes["title"]
            attributes["visState"] = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        for reference in obj.get("references") or []:
            reference["id"] = _prefixed(reference["id"], prefix)
        lines.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True))
    return ("\n".join(lines) + "\n").encode()


def _prefixed(value: str, prefix: str) -> str:
    """``heishi-offers`` → ``ti-offers``, ``heishi: top sellers`` → ``ti: top sellers``."""
    for joint in ("-", ":", " "):
        if value.startswith(DEFAULT_PREFIX + joint):
            return prefix + value[len(DEFAULT_PREFIX):]
    return value


def kibana_version(url: str, *, environ=os.environ) -> tuple[int, ...] | None:
    """Kibana's version from ``GET /api/status``; None when it will not say (a 403, an old
    or locked-down status page): the import itself then tells."""
    request = urllib.request.Request(f"{url.rstrip('/')}/api/status",
                                     headers=auth_header(environ))
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT,
                                    context=_tls_context(environ)) as answer:
            number = json.loads(answer.read())["version"]["number"]
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise UsageError(f"Kibana at {url} answered 401: {_reason(exc)}") from None
        return None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UsageError(f"cannot reach Kibana at {url}: {reason}") from None
    except (ValueError, KeyError, TypeError):
        return None
    parts = str(number).split("-")[0].split(".")
    return tuple(int(p) for p in parts if p.isdigit()) or None


def check_version(version: tuple[int, ...] | None, url: str) -> None:
    if version is not None and version < OLDEST_KIBANA:
        shown = ".".join(map(str, version))
        oldest = ".".join(map(str, OLDEST_KIBANA))
        raise UsageError(
            f"Kibana at {url} is {shown}; heishi's saved objects need Kibana {oldest} or newer "
            "(8.x from 8.9, and 9.x)"
        )


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
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT,
                                    context=_tls_context(environ)) as answer:
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


def _tls_context(environ) -> ssl.SSLContext | None:
    if environ.get("KIBANA_CA_CERTS"):
        try:
            return ssl.create_default_context(cafile=environ["KIBANA_CA_CERTS"])
        except (OSError, ssl.SSLError) as exc:
            raise UsageError(
                f"KIBANA_CA_CERTS {environ['KIBANA_CA_CERTS']!r}: cannot load CA certificates: "
                f"{getattr(exc, 'strerror', None) or exc}"
            ) from None
    return None


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
        setup.add_argument("--prefix", default=os.environ.get("HEISHI_ES_PREFIX") or DEFAULT_PREFIX,
                           help="index prefix the objects are for: data views read "
                           "<prefix>-offers/-posts, ids and titles start with it "
                           "(default: $HEISHI_ES_PREFIX, else heishi)")
        setup.add_argument("--space", help="Kibana space (default: the default space)")

    def run(self, args: argparse.Namespace) -> int:
        if not valid_prefix(args.prefix):
            raise UsageError(f"--prefix {args.prefix!r}: lower case letters, digits, '-' and '_'")
        body = saved_objects(args.prefix)
        import_url(args.url, args.space)  # a malformed URL is refused before anything is sent
        check_version(kibana_version(args.url), args.url)
        answer = install(args.url, body, space=args.space)
        for result in answer.get("successResults") or []:
            title = (result.get("meta") or {}).get("title") or ""
            print(f"imported {result.get('type')} {result.get('id')}: {title}")
        errors = answer.get("errors") or []
        for error in errors:
            print(f"error: {describe_error(error)}")
        print(f"{answer.get('successCount', 0)} imported, {len(errors)} failed")
        return 0 if answer.get("success") and not errors else 1
