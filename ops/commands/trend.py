"""``heishi trend``: listings, sellers and unit prices per day, week or month.

Prices of different goods are not comparable, so the price figures only mean something with
``--goods`` (or ``--by goods``). Every row is one unit and one currency (see ``index.query``):
a day rental, a month rental and a sale are never in one median.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from index.query import GROUP_FIELDS, INTERVALS, add_filter_arguments, trend_query_from_args
from index.store import open_store
from ops.audit import AuditLog
from ops.commands import HeishiCommand
from ops.errors import UsageError
from ops.render import Output, add_output_arguments

FIGURES = ("unit", "currency", "offers", "sellers", "priced", "price_p25", "price_median",
           "price_p75", "price_mean")
HEADERS = {"price_p25": "p25", "price_median": "median", "price_p75": "p75",
           "price_mean": "mean"}


class Command(HeishiCommand):
    name = "trend"
    help = "offers, sellers and unit-price median/quartiles per day, week or month"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("text", nargs="*", help="only posts with all these words")
        add_filter_arguments(parser)
        parser.add_argument("--interval", choices=INTERVALS, default="week",
                            help="bucket size (weeks are ISO weeks from Monday)")
        parser.add_argument("--by", choices=GROUP_FIELDS, help="one series per value of")
        parser.add_argument("--plot", metavar="FILE.png", help="also draw the trend to FILE")
        add_output_arguments(parser)

    def run(self, args: argparse.Namespace) -> int:
        query = trend_query_from_args(args)
        if args.plot and not args.plot.lower().endswith((".png", ".svg", ".pdf")):
            raise UsageError(f"--plot {args.plot}: give a .png, .svg or .pdf file name")
        with open_store(args.store, create=False) as store:
            rows = store.trend(query)
            approximate = store.approximate_figures()
        audit_query = {**query.to_dict(), "store": args.store}
        columns = ("period", *((query.by,) if query.by else ()), *FIGURES)
        title = f"offers per {query.interval}" + (f" by {query.by}" if query.by else "")
        if approximate:
            title += f" (approximate: {'; '.join(approximate)})"
        Output(args, self.name).write(rows, columns, title=title, headers=HEADERS,
                                      query=audit_query)
        if args.plot:
            with AuditLog() as audit:
                plot(rows, query.by, args.plot, title=title)
                audit.record(self.name, {**audit_query, "plot": True}, len(rows), args.plot)
        return 0


def plot(rows: list[dict], by: str | None, path: str, *, title: str) -> None:
    """Median unit price with its quartile band, one panel per unit and currency (prices per
    day and per month do not share an axis), offers per period below; the time axis spans
    the data, not matplotlib's default years around a single point."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    panels = sorted({(r["unit"], r["currency"]) for r in rows if r.get("priced")})[:6] \
        or [("item", "CNY")]
    figure, axes = plt.subplots(len(panels) + 1, 1, sharex=True,
                                figsize=(10, 2.6 * len(panels) + 2.2),
                                height_ratios=[2] * len(panels) + [1], squeeze=False)
    axes = axes[:, 0]
    counts = axes[-1]
    series: dict[str, list[dict]] = {}
    for row in rows:
        series.setdefault(str(row.get(by)) if by else "all", []).append(row)
    for name, points in sorted(series.items()):
        for panel, (unit, currency) in zip(axes, panels, strict=False):
            priced = [p for p in points if p["unit"] == unit and p["currency"] == currency
                      and p["price_median"] is not None]
            if not priced:
                continue
            days = [date.fromisoformat(p["start"]) for p in priced]
            line, = panel.plot(days, [p["price_median"] for p in priced], marker="o",
                               label=name)
            panel.fill_between(days, [p["price_p25"] for p in priced],
                               [p["price_p75"] for p in priced], alpha=0.2,
                               color=line.get_color())
        per_period: dict[str, int] = {}
        for p in points:
            per_period[p["start"]] = per_period.get(p["start"], 0) + p["offers"]
        counts.plot([date.fromisoformat(d) for d in sorted(per_period)],
                    [per_period[d] for d in sorted(per_period)], marker=".", label=name)
    for panel, (unit, currency) in zip(axes, panels, strict=False):
        panel.set_ylabel(f"{currency} per {unit}\nmedian, p25-p75")
        if by:
            panel.legend(loc="best", fontsize="small")
    counts.set_ylabel("offers")
    axes[0].set_title(title)
    fit_time_axis(counts, [date.fromisoformat(r["start"]) for r in rows])
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    counts.xaxis.set_major_locator(locator)
    counts.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(target, dpi=100, bbox_inches="tight")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        plt.close(figure)


def fit_time_axis(axis, days: list[date]) -> None:
    """Limit the x axis to the data's days with a small margin (a week either side of a
    single point), so four days of data never sit on a four-year axis."""
    from datetime import timedelta

    if not days:
        return
    first, last = min(days), max(days)
    margin = max(timedelta(days=3), (last - first) * 0.03)
    axis.set_xlim(first - margin, last + margin + timedelta(days=1))
