"""``heishi trend``: listings, sellers and unit prices per day, week or month.

Prices of different goods are not comparable, so the price figures only mean something with
``--goods`` (or ``--by goods``); they are in one currency per row (see ``index.query``).
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

FIGURES = ("offers", "sellers", "currency", "priced", "price_p25", "price_median", "price_p75",
           "price_mean")
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
    """Median unit price with its quartile band above, offers per period below."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series: dict[str, list[dict]] = {}
    for row in rows:
        series.setdefault(row.get(by) if by else "all", []).append(row)
    figure, (prices, counts) = plt.subplots(2, 1, sharex=True, figsize=(10, 6),
                                           height_ratios=(2, 1))
    for name, points in sorted(series.items(), key=lambda item: str(item[0])):
        days = [date.fromisoformat(p["start"]) for p in points]
        priced = [(d, p) for d, p in zip(days, points, strict=True)
                  if p["price_median"] is not None]
        label = str(name)
        if priced:
            line, = prices.plot([d for d, _ in priced], [p["price_median"] for _, p in priced],
                                marker="o", label=label)
            prices.fill_between([d for d, _ in priced], [p["price_p25"] for _, p in priced],
                                [p["price_p75"] for _, p in priced], alpha=0.2,
                                color=line.get_color())
        counts.plot(days, [p["offers"] for p in points], marker=".", label=label)
    currencies = sorted({r["currency"] for r in rows if r.get("priced")})
    prices.set_ylabel(f"unit price ({', '.join(currencies) or 'n/a'}), median and p25-p75")
    counts.set_ylabel("offers")
    prices.set_title(title)
    if by:
        prices.legend(loc="best", fontsize="small")
    figure.autofmt_xdate()
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(target, dpi=100)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        plt.close(figure)
