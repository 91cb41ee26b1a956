"""How heishi reaches an Elasticsearch cluster, and how the cluster's failures reach the user.

Credentials come from the environment or a config file, never from the command line: a URL
typed on the command line ends up in shell history and in ``ps`` output, so one that carries
``user:password@`` is refused. Everything the client can raise is turned into
:class:`index.errors.StoreError` with one line saying what to check.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import elastic_transport
import elasticsearch
import yaml

from index.errors import StoreError
from index.urls import service_url

URL_ENV = "ES_URL"
# The client heishi installs, and the servers it talks to. An 8.x client sends
# ``compatible-with=8``, which 8.x servers and (through REST API compatibility) 9.x servers
# accept; a 9.x client sends ``compatible-with=9``, which every 8.x server refuses
# (elasticsearch-py #2927). 8.9 is the oldest server whose percentiles are exact for small
# buckets (HybridDigest, elasticsearch #96904) and the oldest Kibana our saved objects suit.
CLIENT_REQUIREMENT = "elasticsearch>=8.13,<9"
SUPPORTED_SERVERS = "8.9 to 9.x"
EXACT_PERCENTILES_SINCE = (8, 9)
CONFIG_ENV = "HEISHI_ES_CONFIG"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
# Statuses worth another try on the same request: overload and gateway trouble, not bad input.
RETRY_ON_STATUS = (429, 502, 503, 504)


@dataclass
class ConnectionSettings:
    """Where the cluster is and how to log in; built by :func:`connection_settings`."""

    url: str
    api_key: str | None = None
    username: str | None = None
    password: str | None = None
    ca_certs: str | None = None
    verify_certs: bool = True
    request_timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_RETRIES
    extra: dict = field(default_factory=dict)

    def client_options(self) -> dict:
        """Keyword arguments of :class:`elasticsearch.Elasticsearch`."""
        options: dict = {
            "request_timeout": self.request_timeout,
            "max_retries": self.max_retries,
            "retry_on_timeout": True,
            "retry_on_status": RETRY_ON_STATUS,
        }
        if self.api_key:
            options["api_key"] = self.api_key
        elif self.username:
            options["basic_auth"] = (self.username, self.password or "")
        if self.ca_certs:
            options["ca_certs"] = self.ca_certs
        if not self.verify_certs:
            options["verify_certs"] = False
        options.update(self.extra)
        return options


def _read_config(path: str) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise StoreError(f"cannot read Elasticsearch config {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise StoreError(f"Elasticsearch config {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise StoreError(f"Elasticsearch config {path}: expected a mapping of settings")
    known = {f for f in ConnectionSettings.__dataclass_fields__ if f != "extra"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise StoreError(f"Elasticsearch config {path}: unknown setting(s) {', '.join(unknown)}")
    return data


def normalise_url(url: str) -> str:
    """``es://host:9200`` means plain http; credentials inside the URL are refused."""
    return service_url(
        url, "Elasticsearch URL", aliases={"es": "http"},
        credentials_hint="set ES_API_KEY, or ES_USERNAME and ES_PASSWORD, in the environment",
    )


def connection_settings(
    url: str | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides,
) -> ConnectionSettings:
    """Settings from, lowest to highest precedence: config file, environment, ``overrides``.

    The config file is ``$HEISHI_ES_CONFIG`` (YAML with the field names of
    :class:`ConnectionSettings`); the environment gives ``ES_URL``, ``ES_API_KEY``,
    ``ES_USERNAME``/``ES_PASSWORD``, ``ES_CA_CERTS``. ``url`` (the store location) wins over both.
    """
    env = os.environ if environ is None else environ
    values: dict = {}
    if env.get(CONFIG_ENV):
        values.update(_read_config(env[CONFIG_ENV]))
    for key, name in (
        ("url", URL_ENV),
        ("api_key", "ES_API_KEY"),
        ("username", "ES_USERNAME"),
        ("password", "ES_PASSWORD"),
        ("ca_certs", "ES_CA_CERTS"),
    ):
        if env.get(name):
            values[key] = env[name]
    if url:
        values["url"] = url
    values.update({k: v for k, v in overrides.items() if v is not None})
    if not values.get("url"):
        raise StoreError("no Elasticsearch URL: pass one or set ES_URL")
    values["url"] = normalise_url(str(values["url"]))
    known = set(ConnectionSettings.__dataclass_fields__)
    extra = {k: values.pop(k) for k in list(values) if k not in known}
    try:
        return ConnectionSettings(**values, extra=extra)
    except TypeError as exc:
        raise StoreError(f"bad Elasticsearch setting: {exc}") from None


def connect(settings: ConnectionSettings) -> elasticsearch.Elasticsearch:
    """A client for ``settings``; it does not talk to the cluster yet (see :func:`check`)."""
    try:
        return elasticsearch.Elasticsearch(settings.url, **settings.client_options())
    except (ValueError, TypeError) as exc:
        raise StoreError(f"cannot set up Elasticsearch client for {settings.url}: {exc}") from None


def check_reachable(client: elasticsearch.Elasticsearch, url: str) -> dict | None:
    """Fail now, in one line, if the cluster cannot be reached or refuses the credentials.

    ``GET /`` needs the cluster ``monitor`` privilege, which a least-privilege key (index
    rights only) lacks: its 403 proves the cluster is there and the key authenticated, so it
    counts as reachable. Returns the cluster's answer (with ``version``), or None after a 403.
    """
    with translated_errors(url, "connect"):
        try:
            return dict(client.info())
        except elasticsearch.AuthorizationException:
            return None


def server_version(info: dict | None) -> tuple[int, int] | None:
    """``(major, minor)`` of a ``GET /`` answer; None when unknown."""
    number = ((info or {}).get("version") or {}).get("number") or ""
    parts = number.split(".")
    if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    return int(parts[0]), int(parts[1])


def describe(exc: BaseException, url: str) -> str:
    """One line a user can act on, for anything the client raised."""
    if isinstance(exc, elasticsearch.AuthenticationException):
        return (
            f"Elasticsearch at {url} refused the credentials (401); "
            "check ES_API_KEY or ES_USERNAME/ES_PASSWORD"
        )
    if isinstance(exc, elasticsearch.AuthorizationException):
        return f"Elasticsearch at {url}: not allowed (403): {_reason(exc)}"
    if isinstance(exc, elasticsearch.UnsupportedProductError):
        return f"{url} does not answer as Elasticsearch: {exc}"
    if isinstance(exc, elasticsearch.ApiError) and "media_type_header" in _reason(exc):
        # An 8.x cluster refuses the headers of a 9.x client; a 7.x one those of any 8.x.
        return (
            f"Elasticsearch at {url} refuses this client's API version "
            f"(elasticsearch-py {elasticsearch.__versionstr__}); heishi needs the 8.x client, "
            f"which talks to Elasticsearch {SUPPORTED_SERVERS}: "
            f"pip install '{CLIENT_REQUIREMENT}'"
        )
    if isinstance(exc, elasticsearch.ApiError):
        return f"Elasticsearch at {url} answered {exc.meta.status}: {_reason(exc)}"
    if isinstance(exc, elastic_transport.TlsError):
        return f"TLS failure talking to {url} (set ES_CA_CERTS?): {_first_line(exc)}"
    if isinstance(exc, elastic_transport.ConnectionTimeout):
        return f"Elasticsearch at {url} did not answer in time: {_first_line(exc)}"
    if isinstance(exc, elastic_transport.ConnectionError):
        return f"cannot reach Elasticsearch at {url}: {_root_cause(exc)}"
    if isinstance(exc, elastic_transport.SerializationError):
        return f"Elasticsearch at {url}: cannot encode or decode a message: {exc}"
    return f"Elasticsearch at {url}: {_first_line(exc)}"


def _reason(exc: elasticsearch.ApiError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            root = (error.get("root_cause") or [error])[0]
            return f"{root.get('type', 'error')}: {root.get('reason', '')}".strip()
        if error:
            return str(error)
    return _first_line(exc.message)


def _root_cause(exc: BaseException) -> str:
    """The innermost OS error (``Connection refused``), not the client's nested repr."""
    seen = exc
    while True:
        inner = getattr(seen, "errors", None) or ()
        nxt = inner[0] if inner else (seen.__cause__ or seen.__context__)
        if nxt is None or nxt is seen:
            break
        seen = nxt
    text = str(seen)
    if "Errno" in text:
        text = "[Errno" + text.split("[Errno", 1)[1].rstrip(")")
    return _first_line(text)


def _first_line(obj: object) -> str:
    return str(obj).strip().splitlines()[0] if str(obj).strip() else type(obj).__name__


CLIENT_ERRORS = (elastic_transport.TransportError, elasticsearch.ApiError)


@contextmanager
def translated_errors(url: str, doing: str = "") -> Iterator[None]:
    """Run a block of client calls; any client error leaves it as one StoreError line."""
    try:
        yield
    except CLIENT_ERRORS as exc:
        prefix = f"{doing}: " if doing else ""
        raise StoreError(prefix + describe(exc, url)) from None
