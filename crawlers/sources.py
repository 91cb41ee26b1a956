"""The sources heishi watches, read from ``sources.yaml``.

The file is the only place a site is described: where its listings are, how to pick a post and
its fields out of a page, how politely to fetch it and how often. Spiders are built from it,
never written per site.

Validation walks the YAML node tree rather than the loaded dicts, so every error names the
file, the line and the field: a typo in a key must fail loudly instead of silently dropping a
setting. Secrets (cookies, auth headers) are never in the file, only the names of the
environment variables holding them.
"""

from __future__ import annotations

import codecs
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import html_text
import yaml
from lxml import etree
from parsel.csstranslator import css2xpath

from crawlers.errors import ConfigError

SOURCES_ENV = "HEISHI_SOURCES"
DEFAULT_SOURCES = "sources.yaml"

KIND_BLOCKS = ("telegram", "sms_api", "json_api")  # see "Kinds beyond listing" at the end
KINDS = ("listing", *KIND_BLOCKS)
# Post fields a source may select; ``text`` is the one every post must have.
FIELDS = ("text", "title", "author", "posted_at", "link", "price_text", "site_id", "channel")
SECRET_HEADERS = ("cookie", "authorization", "proxy-authorization")

_ENV_REFERENCE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_DURATION_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?i?b?)\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Upper bounds: a value past them is a typo (or ``.inf``), and would stall a crawl for ever or
# overflow where it is used.
MAX_WAIT = 3600.0  # delay, timeout: an hour
MAX_RECRAWL_AGE = 3650 * 86400.0  # ten years
MAX_CONCURRENCY = 1000
MAX_RETRIES = 100
MAX_PAGE_SIZE = 1024**3


def _shown_seconds(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("s", 1)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def sources_path(path: str | os.PathLike | None = None) -> Path:
    """``path``, else ``$HEISHI_SOURCES``, else ``sources.yaml`` in the working directory,
    else the project's own (beside the ``crawlers`` package, in a source checkout)."""
    if path or os.environ.get(SOURCES_ENV):
        return Path(path or os.environ[SOURCES_ENV])
    here = Path(DEFAULT_SOURCES)
    shipped = Path(__file__).resolve().parents[1] / DEFAULT_SOURCES
    return shipped if not here.exists() and shipped.exists() else here


@dataclass(frozen=True)
class Query:
    """A CSS or XPath expression picking values out of a page, optionally narrowed by a regex.

    An expression that selects elements gives their visible text (block elements and ``<br>``
    become line breaks); one that selects text, attributes or an XPath string gives those.
    The expression is compiled once: a crawl evaluates it on every post of every page.
    """

    expression: str
    language: str = "css"  # css | xpath
    regex: re.Pattern | None = None
    where: str = ""  # "sources.yaml:14", for warnings about a query that matches nothing
    _xpath: etree.XPath = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Raises ValueError (or a cssselect / lxml error) for an expression that cannot work."""
        xpath = css2xpath(self.expression) if self.language == "css" else self.expression
        object.__setattr__(self, "_xpath", etree.XPath(xpath, smart_strings=False))

    def __str__(self) -> str:
        return f"{self.language}:{self.expression}"

    def nodes(self, node) -> list:
        """What the expression selects under ``node`` (an lxml element): elements or values."""
        found = self._xpath(node)
        return found if isinstance(found, list) else [found]

    def values(self, node) -> list[str]:
        found = []
        for match in self.nodes(node):
            if isinstance(match, str):
                value = match
            elif isinstance(match, bool | int | float):
                value = f"{match:g}" if isinstance(match, float) else str(match)
            else:
                value = element_text(match)
            value = value.strip()
            if self.regex is not None:
                hit = self.regex.search(value)
                if hit is None:
                    continue
                value = hit.group(1) if self.regex.groups else hit.group(0)
            if value:
                found.append(value)
        return found

    def first(self, node) -> str | None:
        values = self.values(node)
        return values[0] if values else None


# Scripts, styles and comments need html_text's cleaning pass (a copy of the tree); most post
# blocks have none, and skipping the copy makes reading a page several times faster.
_NEEDS_CLEANING = etree.XPath(
    "boolean(descendant-or-self::script | descendant-or-self::style | descendant::comment())"
)


def element_text(element) -> str:
    """The text a reader sees in ``element``: blocks and ``<br>`` as line breaks."""
    if _NEEDS_CLEANING(element):
        return html_text.extract_text(element)
    return html_text.etree_to_text(element)


@dataclass(frozen=True)
class Selectors:
    post: Query  # one match per post
    fields: dict[str, Query]  # read inside each post block
    next_page: Query | None = None  # link to the next listing page
    detail: dict[str, Query] = field(default_factory=dict)  # read on the page behind ``link``


@dataclass(frozen=True)
class Politeness:
    delay: float = 1.0  # seconds between requests to the site (AutoThrottle's floor)
    concurrency: int = 2  # requests in flight to the site
    autothrottle: bool = True
    max_page_size: int = 5 * 1024**2  # bytes; a bigger answer is dropped
    timeout: float = 30.0  # seconds for one request
    retries: int = 3  # on 429, 5xx and timeouts, with back-off
    robots: bool = True  # obey robots.txt


@dataclass(frozen=True)
class FromEnv:
    """A value kept out of the file: the name of the environment variable that holds it."""

    name: str

    def value(self) -> str | None:
        return os.environ.get(self.name) or None


@dataclass(frozen=True)
class Browser:
    """The source's pages are rendered by a real browser (its listings need JavaScript)."""

    wait_for: str | None = None  # CSS selector present once the listings are rendered


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    start_urls: tuple[str, ...]
    selectors: Selectors | None  # listing sources; the other kinds read their own block
    browser: Browser | None = None
    encoding: str | None = None  # forces the page encoding when the site misdeclares it
    timezone: str = "Asia/Shanghai"  # of times the site writes without a zone
    schedule: str | None = None  # cron string, for the scheduler
    context: str | None = None  # what the place sells, for posts that don't say (price tables)
    recrawl_age: timedelta = timedelta(days=7)  # a stored post older than this is fetched again
    politeness: Politeness = field(default_factory=Politeness)
    headers: dict[str, str | FromEnv] = field(default_factory=dict)
    cookies: dict[str, FromEnv] = field(default_factory=dict)
    file: str = ""
    line: int = 0
    options: KindOptions | None = None  # the block named after the kind (telegram: …)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def resolved_headers(self) -> tuple[dict[str, str], list[str]]:
        """Headers with the environment's values, and the variables that were not set."""
        return _resolve(self.headers)

    def resolved_cookies(self) -> tuple[dict[str, str], list[str]]:
        return _resolve(self.cookies)


def _resolve(values: dict[str, str | FromEnv]) -> tuple[dict[str, str], list[str]]:
    resolved, missing = {}, []
    for key, value in values.items():
        if isinstance(value, FromEnv):
            if value.value() is None:
                missing.append(value.name)
                continue
            value = value.value()
        resolved[key] = value
    return resolved, missing


def load_sources(
    path: str | os.PathLike | None = None,
    skip_invalid: Callable[[ConfigError], None] | None = None,
) -> list[Source]:
    """Every source declared in the file, validated; :class:`ConfigError` names what is wrong.

    With ``skip_invalid``, a source with an error is handed to it and left out instead (a
    long-running scheduler goes on with the others); an error in the file itself still
    raises."""
    path = sources_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"no sources file (set ${SOURCES_ENV} or create {DEFAULT_SOURCES})", str(path)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", str(path)) from None
    return _Reader(str(path), skip_invalid).sources(text)


def find_sources(names: list[str] | None, path: str | os.PathLike | None = None) -> list[Source]:
    """The named sources (all of them when no name is given), in the order asked."""
    sources = load_sources(path)
    if not names:
        return sources
    by_name = {source.name: source for source in sources}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ConfigError(
            f"unknown source {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(by_name) or 'none'})",
            str(sources_path(path)),
        )
    return [by_name[name] for name in dict.fromkeys(names)]


_CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(value: str, timezone=None):
    """The APScheduler trigger of a cron string: five fields (minute hour day month weekday),
    or six with seconds first (``*/20 * * * * *``: every 20 s, for tests and fast sites).

    Weekday numbers mean what they mean in cron (0 and 7 are Sunday). APScheduler 3 reads 0 as
    Monday, even in ``from_crontab``; numbers are turned into day names so that ``0 6 * * 1``
    fires on Monday as any crontab user expects."""
    from apscheduler.triggers.cron import CronTrigger

    fields = str(value).split()
    if len(fields) == 5:
        fields.insert(0, "0")
    elif len(fields) != 6:
        raise ValueError(f"expected 5 fields (or 6 with seconds first), got {len(fields)}")
    second, minute, hour, day, month, weekday = fields
    weekday = re.sub(
        r"(?<![/\d])[0-7](?!\d)", lambda m: _CRON_WEEKDAYS[int(m.group())], weekday
    )
    return CronTrigger(
        second=second,
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=weekday,
        timezone=timezone,
    )


class _Reader:
    """Turns the node tree of one sources file into :class:`Source` objects."""

    SOURCE_KEYS = {
        "name",
        "kind",
        "start_urls",
        "selectors",
        "browser",
        "encoding",
        "timezone",
        "schedule",
        "recrawl_age",
        "politeness",
        "headers",
        "cookies",
        "context",
        *KIND_BLOCKS,
    }
    DEFAULT_KEYS = {"timezone", "schedule", "recrawl_age", "politeness", "headers", "encoding"}
    SELECTOR_KEYS = {"post", "fields", "next_page", "detail"}
    POLITENESS_KEYS = set(Politeness.__dataclass_fields__)

    def __init__(self, file: str, skip_invalid: Callable[[ConfigError], None] | None = None):
        self.file = file
        self.skip_invalid = skip_invalid
        self._constructor = yaml.constructor.SafeConstructor()

    # -- the file ----------------------------------------------------------------------------
    def sources(self, text: str) -> list[Source]:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            raise ConfigError(f"not valid YAML: {exc.problem}", self.file, line) from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"not valid YAML: {exc}", self.file) from None
        if root is None:
            raise ConfigError("empty file: expected a 'sources:' list", self.file, 1)
        top = self.mapping(root, "", allowed={"defaults", "sources"}, required={"sources"})
        defaults = {}
        if "defaults" in top:
            defaults = self.mapping(top["defaults"], "defaults", allowed=self.DEFAULT_KEYS)
        sources_node = top["sources"]
        if not isinstance(sources_node, yaml.SequenceNode) or not sources_node.value:
            self.fail(sources_node, "sources", "expected a non-empty list of sources")
        sources: list[Source] = []
        seen: dict[str, int] = {}
        for index, node in enumerate(sources_node.value):
            try:
                source = self.source(node, f"sources[{index}]", defaults)
            except ConfigError as exc:
                if self.skip_invalid is None:
                    raise
                self.skip_invalid(exc)
                continue
            if source.name in seen:
                self.fail(
                    node,
                    f"sources[{source.name}].name",
                    f"duplicate source name (first at line {seen[source.name]})",
                )
            seen[source.name] = source.line
            sources.append(source)
        return sources

    def source(self, node: yaml.Node, path: str, defaults: dict[str, yaml.Node]) -> Source:
        keys = self.mapping(node, path, allowed=self.SOURCE_KEYS, required={"name"})
        name = self.string(keys["name"], f"{path}.name")
        if not _NAME.match(name):
            self.fail(
                keys["name"],
                f"{path}.name",
                f"{name!r}: use lower-case letters, digits, '-' and '_' (it is the spider name)",
            )
        path = f"sources[{name}]"

        def setting(key: str) -> yaml.Node | None:
            return keys.get(key, defaults.get(key))

        kind = self.string(keys["kind"], f"{path}.kind") if "kind" in keys else "listing"
        if kind not in KINDS:
            self.fail(keys["kind"], f"{path}.kind", f"{kind!r}: known kinds are {', '.join(KINDS)}")
        options = read_kind_options(self, node, keys, kind, path)
        if "start_urls" not in keys:
            self.fail(node, f"{path}.start_urls", "missing: where the crawl starts")
        start_urls = tuple(self.strings(keys["start_urls"], f"{path}.start_urls"))
        for url in start_urls:
            self.start_url(keys["start_urls"], f"{path}.start_urls", url)
        if not start_urls:
            self.fail(keys["start_urls"], f"{path}.start_urls", "expected at least one URL")

        encoding = None
        if (encoding_node := setting("encoding")) is not None:
            encoding = self.string(encoding_node, f"{path}.encoding")
            try:
                codec = codecs.lookup(encoding)
            except LookupError:
                self.fail(encoding_node, f"{path}.encoding", f"unknown encoding {encoding!r}")
            if not getattr(codec, "_is_text_encoding", True):  # rot13, base64, zlib …
                self.fail(encoding_node, f"{path}.encoding",
                          f"{encoding!r} is a transform, not a character encoding of pages")
            encoding = codec.name

        timezone = "Asia/Shanghai"
        if (tz_node := setting("timezone")) is not None:
            timezone = self.string(tz_node, f"{path}.timezone")
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder
                self.fail(tz_node, f"{path}.timezone", f"unknown time zone {timezone!r}")

        schedule = None
        if (schedule_node := setting("schedule")) is not None:
            schedule = self.cron(schedule_node, f"{path}.schedule")

        recrawl_age = timedelta(days=7)
        if (age_node := setting("recrawl_age")) is not None:
            recrawl_age = timedelta(
                seconds=self.duration(age_node, f"{path}.recrawl_age", maximum=MAX_RECRAWL_AGE)
            )

        context = None
        if "context" in keys:
            context = self.string(keys["context"], f"{path}.context").strip()

        headers: dict[str, str | FromEnv] = {}
        for where, headers_node in (
            ("defaults", defaults.get("headers")),
            (path, keys.get("headers")),
        ):
            if headers_node is not None:
                headers.update(self.secrets(headers_node, f"{where}.headers", literal_ok=True))
        cookies: dict[str, FromEnv] = {}
        if "cookies" in keys:
            cookies = self.secrets(keys["cookies"], f"{path}.cookies", literal_ok=False)

        return Source(
            name=name,
            kind=kind,
            start_urls=start_urls,
            selectors=(
                self.selectors(keys["selectors"], f"{path}.selectors")
                if kind == "listing"
                else None
            ),
            browser=self.browser(keys["browser"], f"{path}.browser") if "browser" in keys else None,
            encoding=encoding,
            timezone=timezone,
            schedule=schedule,
            context=context,
            recrawl_age=recrawl_age,
            politeness=self.politeness(
                defaults.get("politeness"), keys.get("politeness"), f"{path}.politeness"
            ),
            headers=headers,
            cookies=cookies,
            file=self.file,
            line=node.start_mark.line + 1,
            options=options,
        )

    # -- parts of a source -------------------------------------------------------------------
    def selectors(self, node: yaml.Node, path: str) -> Selectors:
        keys = self.mapping(node, path, allowed=self.SELECTOR_KEYS, required={"post", "fields"})
        fields = self.fields(keys["fields"], f"{path}.fields")
        detail = self.fields(keys["detail"], f"{path}.detail") if "detail" in keys else {}
        if "text" not in fields and "text" not in detail:
            self.fail(keys["fields"], f"{path}.fields.text", "missing: every post needs a text")
        if detail and "link" not in fields:
            self.fail(
                keys["detail"], f"{path}.detail", "detail pages need a 'link' field in fields"
            )
        next_page = None
        if "next_page" in keys:
            next_page = self.query(keys["next_page"], f"{path}.next_page")
        return Selectors(
            post=self.query(keys["post"], f"{path}.post"),
            fields=fields,
            next_page=next_page,
            detail=detail,
        )

    def fields(self, node: yaml.Node, path: str) -> dict[str, Query]:
        keys = self.mapping(node, path, allowed=set(FIELDS))
        return {name: self.query(value, f"{path}.{name}") for name, value in keys.items()}

    def query(self, node: yaml.Node, path: str) -> Query:
        """``".css > selector"``, or ``{css: …}`` / ``{xpath: …}`` with an optional ``re``."""
        where = f"{self.file}:{node.start_mark.line + 1}"
        if isinstance(node, yaml.ScalarNode):
            return self._query(node, path, self.string(node, path), "css", None, where)
        keys = self.mapping(node, path, allowed={"css", "xpath", "re"})
        languages = [language for language in ("css", "xpath") if language in keys]
        if len(languages) != 1:
            self.fail(node, path, "give exactly one of 'css' or 'xpath'")
        language = languages[0]
        regex = None
        if "re" in keys:
            pattern = self.string(keys["re"], f"{path}.re")
            try:
                regex = re.compile(pattern)
            except re.error as exc:
                self.fail(keys["re"], f"{path}.re", f"bad regular expression: {exc}")
        expression = self.string(keys[language], f"{path}.{language}")
        return self._query(keys[language], path, expression, language, regex, where)

    def _query(self, node, path, expression, language, regex, where) -> Query:
        try:
            return Query(expression, language, regex, where)
        except Exception as exc:  # cssselect and lxml raise several kinds for a bad expression
            self.fail(node, path, f"bad {language} selector {expression!r}: {exc}")

    def politeness(self, defaults: yaml.Node | None, node: yaml.Node | None, path: str):
        values: dict[str, Any] = {}
        for where, part in (("defaults.politeness", defaults), (path, node)):
            if part is None:
                continue
            for key, value in self.mapping(part, where, allowed=self.POLITENESS_KEYS).items():
                field_path = f"{where}.{key}"
                if key in ("autothrottle", "robots"):
                    values[key] = self.boolean(value, field_path)
                elif key in ("concurrency", "retries"):
                    values[key] = self.integer(
                        value, field_path, minimum=1 if key == "concurrency" else 0,
                        maximum=MAX_CONCURRENCY if key == "concurrency" else MAX_RETRIES,
                    )
                elif key == "max_page_size":
                    values[key] = self.size(value, field_path)
                else:
                    values[key] = self.duration(value, field_path, maximum=MAX_WAIT)
        return Politeness(**values)

    def browser(self, node: yaml.Node, path: str) -> Browser | None:
        if isinstance(node, yaml.ScalarNode):
            return Browser() if self.boolean(node, path) else None
        keys = self.mapping(node, path, allowed={"wait_for"})
        wait_for = None
        if "wait_for" in keys:
            wait_for = self._query(
                keys["wait_for"],
                f"{path}.wait_for",
                self.string(keys["wait_for"], path),
                "css",
                None,
                "",
            ).expression
        return Browser(wait_for=wait_for)

    def secrets(self, node: yaml.Node, path: str, literal_ok: bool) -> dict[str, str | FromEnv]:
        found: dict[str, str | FromEnv] = {}
        for key, value in self.mapping(node, path).items():
            field_path = f"{path}.{key}"
            if isinstance(value, yaml.MappingNode):
                env = self.mapping(value, field_path, allowed={"env"}, required={"env"})
                found[key] = FromEnv(self.string(env["env"], f"{field_path}.env"))
            elif literal_ok and key.lower() not in SECRET_HEADERS:
                found[key] = self.string(value, field_path)
            else:
                self.fail(
                    value,
                    field_path,
                    "secrets are never written in the file: use {env: VARIABLE_NAME}",
                )
        return found

    # -- scalars -----------------------------------------------------------------------------
    def mapping(
        self,
        node: yaml.Node,
        path: str,
        allowed: set[str] | None = None,
        required: set[str] = frozenset(),
    ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, path, "expected a mapping (key: value lines)")
        keys: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self.construct(key_node, path)
            key_path = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str):
                self.fail(key_node, key_path, "keys must be text")
            if allowed is not None and key not in allowed:
                self.fail(
                    key_node,
                    key_path,
                    f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})",
                )
            if key in keys:
                self.fail(key_node, key_path, "given twice")
            keys[key] = value_node
        for key in sorted(required - keys.keys()):
            self.fail(node, f"{path}.{key}" if path else key, "missing")
        return keys

    def scalar(self, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, path, "expected a single value")
        value = self.construct(node, path)
        if isinstance(value, str):
            value = self.substitute(node, path, value)
        return value

    def construct(self, node: yaml.Node, path: str) -> Any:
        """The Python value of a node; a value its tag cannot make (``!!int abc``, the date
        ``2024-02-30``, a tag PyYAML's safe loader does not know) fails on its line."""
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, AttributeError) as exc:
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            if isinstance(exc, AttributeError):  # PyYAML's timestamp reader on a non-date
                problem = "not a value of that type"
            self.fail(node, path, f"cannot read {node.value!r} as {node.tag}: {problem}")

    def start_url(self, node: yaml.Node, path: str, url: str) -> None:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a port that is not one
        except ValueError as exc:
            self.fail(node, path, f"{url!r} is not a valid URL: {exc}")
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            self.fail(node, path, f"{url!r} is not an http(s) URL with a host")
        if parts.port == 0:
            self.fail(node, path, f"{url!r}: port must be 1-65535")

    def string(self, node: yaml.Node, path: str) -> str:
        value = self.scalar(node, path)
        if not isinstance(value, str) or not value.strip():
            self.fail(node, path, "expected text")
        return value

    def strings(self, node: yaml.Node, path: str) -> list[str]:
        if isinstance(node, yaml.ScalarNode):
            return [self.string(node, path)]
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, path, "expected a list")
        return [self.string(item, f"{path}[{i}]") for i, item in enumerate(node.value)]

    def boolean(self, node: yaml.Node, path: str) -> bool:
        value = self.scalar(node, path)
        if not isinstance(value, bool):
            self.fail(node, path, "expected true or false")
        return value

    def integer(self, node: yaml.Node, path: str, minimum: int = 0, maximum: int = 10**6) -> int:
        value = self.scalar(node, path)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            self.fail(node, path, f"expected a whole number from {minimum} to {maximum}")
        return value

    def duration(self, node: yaml.Node, path: str, maximum: float) -> float:
        """Seconds, from a number or ``30s``, ``10m``, ``12h``, ``7d``, ``2w``; at most
        ``maximum`` (``.inf`` would hold a crawl for ever, and overflow a timedelta)."""
        value = self.scalar(node, path)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            seconds = float(value)
        else:
            match = _DURATION.match(value) if isinstance(value, str) else None
            if match is None:
                self.fail(node, path,
                          f"{value!r}: expected a duration such as 0.5, 30s, 12h or 7d")
            seconds = float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        if not math.isfinite(seconds) or seconds > maximum:
            self.fail(node, path, f"{value!r}: at most {_shown_seconds(maximum)}")
        return seconds

    def size(self, node: yaml.Node, path: str) -> int:
        """Bytes, from a number or ``512KB``, ``5MB``, ``1GiB``; at most 1 GiB."""
        value = self.scalar(node, path)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_PAGE_SIZE:
            return value
        match = _SIZE.match(value) if isinstance(value, str) else None
        size = 0.0
        if match is not None:
            size = float(match.group(1)) * _SIZE_UNITS[match.group(2)[:1].lower()]
        if not 0 < size <= MAX_PAGE_SIZE:
            self.fail(node, path, f"{value!r}: expected a size such as 512KB or 5MB, "
                      "at most 1GiB")
        return int(size)

    def cron(self, node: yaml.Node, path: str) -> str:
        value = self.string(node, path)
        try:
            cron_trigger(value)
        except ValueError as exc:
            self.fail(node, path, f"{value!r} is not a cron string (min hour day month dow): {exc}")
        return value

    def substitute(self, node: yaml.Node, path: str, value: str) -> str:
        """``${NAME}`` and ``${NAME:-default}`` from the environment."""

        def replace(match: re.Match) -> str:
            name, default = match.group(1), match.group(2)
            found = os.environ.get(name)
            if found:
                return found
            if default is None:
                self.fail(node, path, f"${{{name}}} is not set and has no default (${{{name}:-…}})")
            return default

        return _ENV_REFERENCE.sub(replace, value)

    def fail(self, node: yaml.Node, path: str, message: str):
        raise ConfigError(message, self.file, node.start_mark.line + 1, path)


# -- Kinds beyond listing ----------------------------------------------------------------------
# A source of kind telegram, sms_api or json_api has no CSS selectors; it describes itself in
# a block named after its kind. Only its own block is allowed, and a listing source has none.
#
#   telegram:   since: 90d | 2026-01-01   how far back to page on a first crawl (?before=)
#               max_pages: 50             a cap on pages per crawl
#   sms_api:    protocol: sms-activate | 5sim
#               api_key: {env: VARIABLE}  sms-activate's key, from the environment only
#               countries: [0, 3]         also read getNumbersStatus (stock) of these
#               catalogue: services.json  code -> name file; else getServicesList is asked
#               currency: CNY | USD | USDT
#   json_api:   items: JMESPath           the list of listings in one answer
#               fields: {name: JMESPath}  text/title, site_id, price_text, author, location,
#                                         posted_at, link, channel
#               next_page: JMESPath       true while there are more pages (then page_param
#               page_param: page          is counted up), or the next page's URL

SMS_PROTOCOLS = ("sms-activate", "5sim")
CURRENCIES = ("CNY", "USD", "USDT")


@dataclass(frozen=True)
class TelegramOptions:
    since: timedelta | str | None = None  # an age, or an ISO date: backfill stops before it
    max_pages: int | None = None


@dataclass(frozen=True)
class SmsApiOptions:
    protocol: str = "sms-activate"
    api_key: FromEnv | None = None
    countries: tuple[str, ...] = ()
    catalogue: str | None = None  # a file of the platform's services (code, name)
    currency: str = "USD"


@dataclass(frozen=True)
class JsonApiOptions:
    selectors: Any  # crawlers.formats.jsonapi.JsonSelectors


KindOptions = TelegramOptions | SmsApiOptions | JsonApiOptions


def read_kind_options(reader: _Reader, node, keys: dict, kind: str, path: str):
    """The block of a source's kind, checked; ``selectors`` only for listing sources."""
    for other in KIND_BLOCKS:
        if other in keys and other != kind:
            reader.fail(keys[other], f"{path}.{other}", f"only for kind {other} (this is {kind})")
    if kind == "listing":
        if "selectors" not in keys:
            reader.fail(node, f"{path}.selectors", "missing")
        return None
    if "selectors" in keys:
        reader.fail(keys["selectors"], f"{path}.selectors",
                    f"a {kind} source has no CSS selectors; describe it under '{kind}:'")
    block = keys.get(kind)
    where = f"{path}.{kind}"
    if kind == "telegram":
        return _telegram_options(reader, block, where)
    if block is None:
        reader.fail(node, where, "missing")
    if kind == "sms_api":
        return _sms_api_options(reader, block, where)
    return _json_api_options(reader, block, where)


def _telegram_options(reader: _Reader, block, path: str) -> TelegramOptions:
    if block is None:
        return TelegramOptions()
    keys = reader.mapping(block, path, allowed={"since", "max_pages"})
    since = None
    if "since" in keys:
        value = reader.scalar(keys["since"], f"{path}.since")
        if hasattr(value, "isoformat"):  # YAML reads 2026-01-01 as a date
            since = value.isoformat()
        else:
            since = timedelta(seconds=reader.duration(keys["since"], f"{path}.since"))
    max_pages = None
    if "max_pages" in keys:
        max_pages = reader.integer(keys["max_pages"], f"{path}.max_pages", minimum=1)
    return TelegramOptions(since=since, max_pages=max_pages)


def _sms_api_options(reader: _Reader, block, path: str) -> SmsApiOptions:
    keys = reader.mapping(block, path, required={"protocol"},
                          allowed={"protocol", "api_key", "countries", "catalogue", "currency"})
    protocol = reader.string(keys["protocol"], f"{path}.protocol")
    if protocol not in SMS_PROTOCOLS:
        reader.fail(keys["protocol"], f"{path}.protocol",
                    f"{protocol!r}: known protocols are {', '.join(SMS_PROTOCOLS)}")
    api_key = None
    if "api_key" in keys:
        env = reader.mapping(keys["api_key"], f"{path}.api_key", allowed={"env"},
                             required={"env"})
        api_key = FromEnv(reader.string(env["env"], f"{path}.api_key.env"))
    countries: tuple[str, ...] = ()
    if "countries" in keys:
        node = keys["countries"]
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        countries = tuple(str(reader.scalar(item, f"{path}.countries")) for item in items)
    catalogue = None
    if "catalogue" in keys:
        catalogue = reader.string(keys["catalogue"], f"{path}.catalogue")
        if not Path(catalogue).is_absolute():
            catalogue = str(Path(reader.file).resolve().parent / catalogue)
    currency = "USD"
    if "currency" in keys:
        currency = reader.string(keys["currency"], f"{path}.currency").upper()
        if currency not in CURRENCIES:
            reader.fail(keys["currency"], f"{path}.currency",
                        f"{currency!r}: one of {', '.join(CURRENCIES)}")
    return SmsApiOptions(protocol, api_key, countries, catalogue, currency)


def _json_api_options(reader: _Reader, block, path: str) -> JsonApiOptions:
    from crawlers.formats.jsonapi import FIELDS as JSON_FIELDS
    from crawlers.formats.jsonapi import JsonSelectors, compile_expression

    keys = reader.mapping(block, path, required={"items", "fields"},
                          allowed={"items", "fields", "next_page", "page_param"})
    expressions: dict[str, str] = {}

    def expression(node, field_path: str, name: str):
        text = reader.string(node, field_path)
        expressions[name] = text
        try:
            return compile_expression(text)
        except ValueError as exc:
            reader.fail(node, field_path, f"bad JMESPath expression {text!r}: {exc}")

    items = expression(keys["items"], f"{path}.items", "items")
    field_nodes = reader.mapping(keys["fields"], f"{path}.fields", allowed=set(JSON_FIELDS))
    if "text" not in field_nodes and "title" not in field_nodes:
        reader.fail(keys["fields"], f"{path}.fields.text", "missing: every post needs a text")
    if "site_id" not in field_nodes and "link" not in field_nodes:
        reader.fail(keys["fields"], f"{path}.fields.site_id",
                    "missing: give site_id (or link) so a listing is known again")
    fields = {name: expression(value, f"{path}.fields.{name}", name)
              for name, value in field_nodes.items()}
    next_page = None
    if "next_page" in keys:
        next_page = expression(keys["next_page"], f"{path}.next_page", "next_page")
    page_param = "page"
    if "page_param" in keys:
        page_param = reader.string(keys["page_param"], f"{path}.page_param")
    return JsonApiOptions(JsonSelectors(items, fields, next_page, page_param, expressions))
