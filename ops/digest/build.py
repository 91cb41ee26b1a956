"""What one week's digest says, gathered from the store (any backend) into plain data.

Everything the renderers show is computed here once, so ``digest.md``, ``digest.html``,
``digest.csv`` and the mail always agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml

from index.query import MAX_LIMIT, Filters, SearchQuery
from index.store import Store
from ops.digest.method import MARKET, Chain, Elementary, ItemKey, chain, elementary
from ops.errors import UsageError

MIN_SELLERS_ENV = "HEISHI_DIGEST_MIN_SELLERS"
RATES_ENV = "HEISHI_RATES"  # YAML: {USDT: {default: 7.2, 2026-W47: 7.12}}
DEFAULT_RATES = {"CNY": 1.0, "USDT": 7.2, "USD": 7.2}
LOOKBACK_WEEKS = 4  # "gone" sellers and silent sources: active in these weeks before


class DigestError(UsageError):
    """A digest that cannot be made (no data that week, a bad rates file)."""


def parse_week(text: str) -> date:
    """``2026-W47`` → the Monday of that ISO week."""
    try:
        year, week = text.upper().split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise DigestError(f"--week {text!r}: not an ISO week (use e.g. 2026-W47)") from None


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Rates:
    """CNY per unit of a currency, per week, from configuration."""

    default: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_RATES))
    weekly: dict[str, dict[str, float]] = field(default_factory=dict)

    def rate(self, currency: str, week: str) -> float:
        return self.weekly.get(currency, {}).get(week, self.default.get(currency, 1.0))

    @classmethod
    def load(cls, path: str | None = None, usdt: float | None = None) -> Rates:
        rates = cls()
        path = path or os.environ.get(RATES_ENV)
        if path:
            try:
                data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise DigestError(f"rates file {path}: {exc}") from None
            if not isinstance(data, dict):
                raise DigestError(f"rates file {path}: expected currency: {{week: rate}}")
            for currency, table in data.items():
                table = table if isinstance(table, dict) else {"default": table}
                for week, value in table.items():
                    try:
                        value = float(value)
                    except (TypeError, ValueError):
                        raise DigestError(f"rates file {path}: {currency} {week}: "
                                          f"{value!r} is not a number") from None
                    if value <= 0:
                        raise DigestError(f"rates file {path}: {currency} {week}: rate must "
                                          "be positive")
                    if week == "default":
                        rates.default[str(currency).upper()] = value
                    else:
                        parse_week(str(week))
                        rates.weekly.setdefault(str(currency).upper(), {})[str(week)] = value
        if usdt is not None:
            if usdt <= 0:
                raise DigestError(f"--usdt-rate {usdt}: must be positive")
            rates.default["USDT"] = usdt
        return rates


@dataclass
class Settings:
    min_sellers: int = 3
    mad_k: float = 3.0
    chart_weeks: int = 12
    movers: int = 5
    rates: Rates = field(default_factory=Rates)

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        settings = cls()
        value = os.environ.get(MIN_SELLERS_ENV)
        if value:
            try:
                settings.min_sellers = int(value)
            except ValueError:
                raise DigestError(f"${MIN_SELLERS_ENV}={value!r} is not a whole number") from None
        for name, value in overrides.items():
            if value is not None:
                setattr(settings, name, value)
        if settings.min_sellers < 1:
            raise DigestError("the minimum number of sellers must be at least 1")
        return settings


@dataclass
class Row:
    """One basket item of the digest week."""

    item: Elementary
    previous: Elementary | None
    relative: float | None  # in CNY terms, as the index uses it

    @property
    def change(self) -> float | None:
        return None if self.relative is None else (self.relative - 1) * 100


@dataclass
class Digest:
    week: str
    monday: date
    settings: Settings
    chain: Chain
    rows: list[Row]
    excluded: list[dict]  # items below min_sellers: key, sellers, offers
    movers_up: list[Row]
    movers_down: list[Row]
    medians: dict[str, dict[ItemKey, dict[str, float]]]  # goods → item → week → median CNY
    new_terms: list[dict]
    new_sellers: list[dict]
    gone_sellers: list[dict]
    silent_sources: list[dict]
    generated_at: str

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def index(self, name: str = MARKET):
        return self.chain.series.get(name, {}).get(self.week)

    @property
    def goods(self) -> list[str]:
        return sorted(n for n in self.chain.series if n != MARKET and self.index(n))


def latest_week(store: Store, today: date | None = None, complete: bool = True) -> date:
    """The Monday of the latest week with offers; with ``complete``, of the latest week
    that is over (the current week's digest would change before it ends)."""
    today = today or datetime.now(UTC).date()
    this_monday = today - timedelta(days=today.weekday())
    filters = Filters(until=this_monday - timedelta(days=1)) if complete else Filters()
    weeks = [item["start"] for item in store.weekly_items(filters)]
    if not weeks:
        raise DigestError("the store holds no offers before this week: nothing to digest"
                          if complete else "the store holds no offers: nothing to digest")
    return max(weeks)


def build(store: Store, monday: date, settings: Settings) -> Digest:
    week = week_label(monday)
    sunday = monday + timedelta(days=6)
    items = store.weekly_items(Filters(side=["sell"], until=sunday))
    weeks_with_data = sorted({i["week"] for i in items})
    if week not in weeks_with_data:
        weeks_with_data = sorted({i["week"] for i in store.weekly_items(Filters(side=["sell"]))})
        held = f"; offers are stored for {weeks_with_data[0]} to {weeks_with_data[-1]}" \
            if weeks_with_data else "; the store holds no offers for sale"
        raise DigestError(f"no offers stored in week {week}{held}")
    first = min(i["start"] for i in items)
    weeks = []
    at = first
    while at <= monday:
        weeks.append(week_label(at))
        at += timedelta(days=7)
    baskets: dict[str, dict[ItemKey, Elementary]] = {}
    excluded = []
    medians: dict[str, dict[ItemKey, dict[str, float]]] = {}
    for i in items:
        key = (i["goods"], i["platform"], i["unit"], i["currency"])
        if i["sellers"] < settings.min_sellers:
            if i["week"] == week:
                excluded.append({"key": key, "sellers": i["sellers"], "offers": i["offers"]})
            continue
        rate = settings.rates.rate(i["currency"], i["week"])
        found = elementary(key, i["offers"], i["sellers"], i["prices"], rate, settings.mad_k)
        if found is not None:
            baskets.setdefault(i["week"], {})[key] = found
            medians.setdefault(key[0], {}).setdefault(key, {})[i["week"]] = found.price_cny
    chained = chain(weeks, baskets)
    previous_week = weeks[-2] if len(weeks) > 1 else None
    before = baskets.get(previous_week, {}) if previous_week else {}
    relatives = chained.relatives.get(week, {})
    rows = [Row(item, before.get(key), relatives.get(key))
            for key, item in sorted(baskets.get(week, {}).items())]
    moved = [r for r in rows if r.relative is not None and r.relative != 1]
    up = sorted((r for r in moved if r.relative > 1), key=lambda r: -r.relative)
    down = sorted((r for r in moved if r.relative < 1), key=lambda r: r.relative)
    sellers = store.seller_activity(monday - timedelta(weeks=LOOKBACK_WEEKS), sunday)
    new_sellers = sorted(
        ({"seller": key, "goods": sorted(v["goods"]), "first": v["first"].isoformat()}
         for key, v in sellers.items() if v["first"] >= monday), key=lambda s: s["seller"])
    gone = sorted(
        ({"seller": key, "goods": sorted(v["goods"]), "last": v["last"].isoformat()}
         for key, v in sellers.items() if v["last"] < monday), key=lambda s: s["seller"])
    sources = store.source_activity(monday - timedelta(weeks=LOOKBACK_WEEKS), sunday)
    this_week = store.source_activity(monday, sunday)
    silent = sorted(
        ({"source": name, "last": info["last"]} for name, info in sources.items()
         if info["posts"] and not this_week.get(name, {}).get("posts")),
        key=lambda s: s["source"])
    return Digest(
        week=week, monday=monday, settings=settings, chain=chained, rows=rows,
        excluded=sorted(excluded, key=lambda e: e["key"]),
        movers_up=up[: settings.movers], movers_down=down[: settings.movers], medians=medians,
        new_terms=new_terms(store, monday, sunday), new_sellers=new_sellers,
        gone_sellers=gone, silent_sources=silent,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def new_terms(store: Store, monday: date, sunday: date, top: int = 10) -> list[dict]:
    """What ``heishi lexicon suggest`` ranks in the week's posts."""
    from nlp.suggest import suggest_terms

    result = store.search(SearchQuery(since=monday, until=sunday, limit=MAX_LIMIT))
    texts = [hit["text"] for hit in result.hits if isinstance(hit.get("text"), str)]
    if not texts:
        return []
    return [s.as_dict() for s in suggest_terms(texts, top=top, min_posts=2)]
