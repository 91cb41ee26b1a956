"""What can be asked of a store: searches and trends, one model for every backend.

Both backends answer the same :class:`SearchQuery` and :class:`TrendQuery`, so the CLI, the
digest and the contract tests never speak SQL or Elasticsearch DSL. Validation happens here,
once: an unknown field, a bad date or a range upside down is a :class:`StoreError` naming it.

Meaning of the filters (every backend must implement exactly this):

- ``text``: every index token of the text (:func:`index.tokens.index_tokens`) occurs in the
  post's title or text (AND of tokens).
- ``source``: the post's source is one of the values.
- ``seller``: the post has a contact whose key (``type:value``) is one of the values; a value
  without a type (``2049385761``) matches a contact of any type with that value.
- ``since`` / ``until``: dates, inclusive, UTC, on the post's time (``posted_at`` in UTC, else
  ``fetched_at``); offers carry the same time.
- offer filters ``goods``, ``platform``, ``side``, ``currency``, ``unit``, ``price_min`` /
  ``price_max`` (on the unit price ``price / per_qty``; offers without a price fail a price filter):
  a search returns posts having at least one offer meeting all of them together; a trend counts
  the offers meeting them. Platform ``none`` means an offer naming no platform.
- Each list means "any of"; different filters are combined with AND.

Search facets count matching posts per value: for offer fields, posts with at least one offer
meeting the offer filters that has the value; for ``source``, posts; for ``seller``, posts per
contact key; at most ``facet_size`` values, most posts first then by value, a missing value
counted as ``none``. Hits are posts (their fields, ``offers`` and ``contacts``), newest first
(``sort="oldest"`` reverses); ``total`` counts every match regardless of limit and offset.

Trend rows compare like with like: one per period that has offers *and per unit and
currency* (a day rental, a month rental and a sale are never in one median), with ``period``
(``2026-11-21`` by day, ``2026-W47`` by ISO week starting Monday, ``2026-11`` by month),
``start`` (first day of the period), ``unit``, ``currency``, ``offers`` (count), ``sellers``
(distinct seller keys; an offer's seller is the first contact of its post), and over the
priced offers of the row: ``priced``, ``price_median``, ``price_p25``, ``price_p75`` (exact,
linear interpolation between closest ranks as ``statistics.quantiles(method="inclusive")``)
and ``price_mean``. With ``by`` set, one row per period, value (a missing value is ``none``),
unit and currency. Rows are sorted by period, value, unit, currency.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime, timedelta

from index.errors import StoreError

GOODS = (
    "sms_code", "account", "account_rental", "insider_access", "lookup_service", "id_document",
    "verification_service", "personal_data", "sim_card", "hardware", "bank_card",
    "fake_engagement", "other",
)  # fmt: skip
PLATFORMS = (
    "wechat", "qq", "momo", "tantan", "soul", "zhenai", "jiayuan", "baihe", "douyin",
    "kuaishou", "weibo", "xiaohongshu", "bilibili", "alipay", "taobao", "xianyu", "pinduoduo",
    "meituan", "didi", "jd", "telegram", "whatsapp", "tiktok", "apple", "google", "steam",
    "china_mobile", "china_unicom", "china_telecom", "yto", "sf", "none",
)  # fmt: skip
SIDES = ("sell", "buy")
CURRENCIES = ("CNY", "USDT", "USD")
UNITS = ("item", "query", "day", "week", "month", "year")
CONTACT_TYPES = ("qq", "wechat", "telegram", "phone", "url")
CONTACT_ALIASES = {"tg": "telegram", "wx": "wechat", "vx": "wechat", "weixin": "wechat",
                   "tel": "phone", "mobile": "phone"}

INTERVALS = ("day", "week", "month")
OFFER_FIELDS = ("goods", "platform", "side", "currency", "unit")
FACET_FIELDS = (*OFFER_FIELDS, "source", "seller")
GROUP_FIELDS = ("goods", "platform", "source", "side", "currency", "unit")
SORTS = ("newest", "oldest")
MAX_LIMIT = 10_000

_VOCABULARY = {"goods": GOODS, "platform": PLATFORMS, "side": SIDES, "currency": CURRENCIES,
               "unit": UNITS}


def parse_contact(text: str) -> str:
    """A seller as typed (``qq:123``, ``wechat:abc``, ``@tg``, ``t.me/tg``, ``123``) → key.

    The key is ``type:value``, or the bare value when no type is given (matches any type).
    """
    text = (text or "").strip()
    if not text:
        raise StoreError("empty seller contact")
    if text.startswith("@"):
        return f"telegram:{text[1:]}"
    link = re.match(r"^(?:https?://)?t\.me/([A-Za-z0-9_]+)/?$", text)
    if link:
        return f"telegram:{link.group(1)}"
    kind, sep, value = text.partition(":")
    if sep and kind.lower() in (*CONTACT_TYPES, *CONTACT_ALIASES) and value:
        kind = CONTACT_ALIASES.get(kind.lower(), kind.lower())
        value = value.strip()
        if kind == "telegram":
            value = value.lstrip("@")
        elif kind == "phone":
            value = re.sub(r"\D", "", value)
        return f"{kind}:{value}"
    return text


def parse_date(value, name: str) -> date | None:
    """A date as given: ``date``, ``2026-10-01``, an ISO time, or ``30d`` / ``8w`` ago."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    ago = re.fullmatch(r"(\d+)([dw])", text)
    if ago:
        days = int(ago.group(1)) * (7 if ago.group(2) == "w" else 1)
        try:
            return datetime.now(UTC).date() - timedelta(days=days)
        except OverflowError:
            raise StoreError(f"{name}: {text!r} reaches back before the year 1") from None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_date(datetime.fromisoformat(text), name)
    except ValueError:
        raise StoreError(
            f"{name}: {text!r} is not a date (use YYYY-MM-DD, or 30d / 8w for days / weeks ago)"
        ) from None


def parse_range(text: str | None, name: str = "price") -> tuple[float | None, float | None]:
    """``100-500``, ``100-``, ``-500`` or ``100`` (exactly) → (low, high)."""
    if text is None or str(text).strip() == "":
        return None, None
    text = str(text).strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)?\s*(-)?\s*(\d+(?:\.\d+)?)?", text)
    if not match or not (match.group(1) or match.group(3)):
        raise StoreError(f"{name}: {text!r} is not a range (use 100-500, 100-, -500 or 100)")
    low = float(match.group(1)) if match.group(1) else None
    high = float(match.group(3)) if match.group(3) else None
    if not match.group(2):
        high = low
    return low, high


def _as_list(value, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    items = []
    for item in value:
        for part in str(item).split(","):
            if part.strip():
                items.append(part.strip())
    return items


@dataclass
class Filters:
    """What selects posts and offers; shared by searches and trends (see the module doc)."""

    text: str | None = None
    goods: list[str] = field(default_factory=list)
    platform: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    seller: list[str] = field(default_factory=list)
    side: list[str] = field(default_factory=list)
    currency: list[str] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None
    price_min: float | None = None
    price_max: float | None = None

    def __post_init__(self) -> None:
        self.text = (self.text or "").strip() or None
        for name, vocabulary in _VOCABULARY.items():
            values = _as_list(getattr(self, name), name)
            values = [v.upper() if name == "currency" else v.lower() for v in values]
            if name == "platform":
                values = ["none" if v == "null" else v for v in values]
            unknown = [v for v in values if v not in vocabulary]
            if unknown:
                raise StoreError(
                    f"{name}: unknown {', '.join(map(repr, unknown))}; "
                    f"one of {', '.join(vocabulary)}"
                )
            setattr(self, name, list(dict.fromkeys(values)))
        self.source = list(dict.fromkeys(_as_list(self.source, "source")))
        self.seller = list(dict.fromkeys(parse_contact(s) for s in _as_list(self.seller, "seller")))
        self.text = _search_words(self.text)
        self.since = parse_date(self.since, "since")
        self.until = parse_date(self.until, "until")
        if self.since and self.until and self.since > self.until:
            raise StoreError(f"since {self.since} is after until {self.until}")
        for name in ("price_min", "price_max"):
            value = getattr(self, name)
            if value is not None:
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    raise StoreError(f"{name}: {value!r} is not a number") from None
                if value < 0 or value != value:
                    raise StoreError(f"{name}: {value} must be a number ≥ 0")
                setattr(self, name, value)
        if (self.price_min is not None and self.price_max is not None
                and self.price_min > self.price_max):
            raise StoreError(f"price range {self.price_min:g}-{self.price_max:g} is upside down")

    @property
    def offer_filtered(self) -> bool:
        """Whether any filter is on offers (then only posts with a matching offer count)."""
        return bool(self.goods or self.platform or self.side or self.currency or self.unit
                    or self.price_min is not None or self.price_max is not None)

    @property
    def since_time(self) -> str | None:
        """Lower bound on stored times (inclusive), as the text they are stored as."""
        if self.since is None:
            return None
        return datetime(self.since.year, self.since.month, self.since.day,
                        tzinfo=UTC).isoformat(timespec="seconds")

    @property
    def until_time(self) -> str | None:
        """Upper bound on stored times (exclusive): the start of the day after ``until``."""
        if self.until is None:
            return None
        if self.until >= date.max:
            return None  # up to the end of time: no bound
        after = self.until + timedelta(days=1)
        return datetime(after.year, after.month, after.day, tzinfo=UTC).isoformat(
            timespec="seconds")

    def to_dict(self) -> dict:
        """Only what was asked (for the audit log and JSON); dates as ISO text."""
        out = {}
        for name, value in asdict(self).items():
            if value in (None, [], ""):
                continue
            out[name] = value.isoformat() if isinstance(value, date) else value
        return out

    @classmethod
    def from_dict(cls, data: dict):
        """Build from a mapping, refusing names that are not fields (a typo filters nothing)."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise StoreError(
                f"unknown query field {', '.join(map(repr, unknown))}; "
                f"fields are {', '.join(sorted(names))}"
            )
        return cls(**data)


@dataclass
class SearchQuery(Filters):
    limit: int = 20
    offset: int = 0
    facets: list[str] = field(default_factory=list)
    facet_size: int = 20
    sort: str = "newest"

    def __post_init__(self) -> None:
        super().__post_init__()
        self.limit = _int(self.limit, "limit", 0, MAX_LIMIT)
        self.offset = _int(self.offset, "offset", 0, MAX_OFFSET)
        self.facet_size = _int(self.facet_size, "facet_size", 1, 1000)
        self.facets = list(dict.fromkeys(_as_list(self.facets, "facets")))
        unknown = [f for f in self.facets if f not in FACET_FIELDS]
        if unknown:
            raise StoreError(
                f"facets: unknown {', '.join(map(repr, unknown))}; one of {', '.join(FACET_FIELDS)}"
            )
        if self.sort not in SORTS:
            raise StoreError(f"sort: unknown {self.sort!r}; one of {', '.join(SORTS)}")


@dataclass
class TrendQuery(Filters):
    interval: str = "week"
    by: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.interval not in INTERVALS:
            raise StoreError(
                f"interval: unknown {self.interval!r}; one of {', '.join(INTERVALS)}")
        self.by = self.by or None
        if self.by is not None and self.by not in GROUP_FIELDS:
            raise StoreError(f"by: unknown {self.by!r}; one of {', '.join(GROUP_FIELDS)}")



@dataclass
class SearchResult:
    total: int  # posts matching, before limit and offset
    hits: list[dict]  # posts: fields, ``offers`` and ``contacts``
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # field → value → posts


MAX_OFFSET = 10**9  # past it SQLite's integers overflow; no store holds that many posts
_OPERATORS = re.compile(r"(?<!\S)(OR|NOT|\|\||&&)(?!\S)")


def _search_words(text: str | None) -> str | None:
    """Search text is words that must all occur. ``AND`` says just that and is dropped;
    ``OR`` and ``NOT`` would be taken as words to find, a silent wrong answer, so they are
    refused."""
    if not text:
        return text
    operator = _OPERATORS.search(text)
    if operator:
        raise StoreError(
            f"text: {operator.group()!r} is not an operator here: every word must occur "
            "(search once per alternative; narrow with --goods, --platform, --seller)"
        )
    return re.sub(r"(?<!\S)AND(?!\S)", " ", text).strip() or None


def _int(value, name: str, low: int, high: int | None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise StoreError(f"{name}: {value!r} is not a whole number") from None
    if number < low or (high is not None and number > high):
        bound = f"{low}..{high}" if high is not None else f"≥ {low}"
        raise StoreError(f"{name}: {number} is out of range ({bound})")
    return number


def period_of(moment: str, interval: str) -> tuple[str, str]:
    """(period label, first day) of a stored UTC time for ``interval``."""
    day = date.fromisoformat(moment[:10])
    if interval == "day":
        return day.isoformat(), day.isoformat()
    if interval == "month":
        return day.isoformat()[:7], day.replace(day=1).isoformat()
    monday = day - timedelta(days=day.weekday())
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}", monday.isoformat()


# -- the command line: one place turns options into queries -------------------------------


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The filter options shared by ``heishi search`` and ``heishi trend``."""
    group = parser.add_argument_group("filters (each may be repeated or comma-separated)")
    group.add_argument("--goods", action="append", metavar="ID", help=f"one of {', '.join(GOODS)}")
    group.add_argument("--platform", action="append", metavar="ID",
                       help="wechat, qq, telegram, … or none")
    group.add_argument("--source", action="append", metavar="NAME", help="crawled source")
    group.add_argument("--seller", action="append", metavar="CONTACT",
                       help="qq:123, wechat:abc, @tg or a bare value")
    group.add_argument("--side", action="append", choices=SIDES)
    group.add_argument("--currency", action="append", metavar="CUR",
                       help=", ".join(CURRENCIES))
    group.add_argument("--unit", action="append", metavar="UNIT", help=", ".join(UNITS))
    group.add_argument("--since", metavar="DATE", help="YYYY-MM-DD (inclusive) or 30d / 8w ago")
    group.add_argument("--until", metavar="DATE", help="YYYY-MM-DD (inclusive)")
    group.add_argument("--price", metavar="LOW-HIGH",
                       help="unit price range: 100-500, 100-, -500")


def _filter_values(args: argparse.Namespace) -> dict:
    low, high = parse_range(getattr(args, "price", None), "price")
    return {
        "text": " ".join(args.text) if isinstance(getattr(args, "text", None), list)
        else getattr(args, "text", None),
        "goods": args.goods, "platform": args.platform, "source": args.source,
        "seller": args.seller, "side": args.side, "currency": args.currency,
        "unit": getattr(args, "unit", None),
        "since": args.since, "until": args.until, "price_min": low, "price_max": high,
    }


def search_query_from_args(args: argparse.Namespace) -> SearchQuery:
    return SearchQuery(
        **_filter_values(args),
        limit=getattr(args, "limit", 20),
        offset=getattr(args, "offset", 0),
        facets=getattr(args, "facets", None) or [],
        sort=getattr(args, "sort", "newest"),
    )


def trend_query_from_args(args: argparse.Namespace) -> TrendQuery:
    return TrendQuery(
        **_filter_values(args),
        interval=getattr(args, "interval", "week"),
        by=getattr(args, "by", None),
    )


def price_figures(prices: list[float]) -> dict:
    """The price figures of one trend row (all None when nothing is priced)."""
    if not prices:
        return {"priced": 0, "price_median": None, "price_p25": None, "price_p75": None,
                "price_mean": None}
    ordered = sorted(prices)
    return {
        "priced": len(ordered),
        "price_median": quantile(ordered, 0.5),
        "price_p25": quantile(ordered, 0.25),
        "price_p75": quantile(ordered, 0.75),
        "price_mean": sum(ordered) / len(ordered),
    }


def quantile(ordered: list[float], q: float) -> float:
    """The q-quantile of sorted values, interpolating linearly between closest ranks."""
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
