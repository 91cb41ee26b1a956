"""The digest's charts, drawn with matplotlib into PNG bytes (embedded, never linked)."""

from __future__ import annotations

import io
from datetime import date

from ops.digest.build import Digest, parse_week
from ops.digest.method import MARKET


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt, plt.figure(figsize=(width, height), dpi=90)


def _png(plt, figure) -> bytes:
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format="png", bbox_inches="tight")
    finally:
        plt.close(figure)
    return buffer.getvalue()


def _weeks(digest: Digest) -> list[str]:
    return digest.chain.weeks[-digest.settings.chart_weeks:]


def _days(weeks: list[str]) -> list[date]:
    return [parse_week(w) for w in weeks]


def _time_axis(axis, days: list[date]) -> None:
    import matplotlib.dates as mdates

    from ops.commands.trend import fit_time_axis

    fit_time_axis(axis, days)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def index_chart(digest: Digest) -> bytes:
    """The market index and each goods category's, over the last weeks (base = 100)."""
    plt, figure = _figure(8, 3.6)
    axis = figure.add_subplot()
    weeks = _weeks(digest)
    days = _days(weeks)
    for name in [MARKET, *digest.goods]:
        series = digest.chain.series.get(name, {})
        points = [(d, series[w].index) for d, w in zip(days, weeks, strict=True) if w in series]
        if len(points) < 2 and name != MARKET:  # a category new this week has no line yet
            continue
        axis.plot([p[0] for p in points], [p[1] for p in points],
                  linewidth=2.6 if name == MARKET else 1.2, marker="o" if name == MARKET else "",
                  label=name, color="black" if name == MARKET else None)
    axis.axhline(100, color="grey", linewidth=0.6, linestyle=":")
    axis.set_ylabel("index (base week = 100)")
    axis.set_title(f"heishi price index to {digest.week}")
    axis.legend(fontsize="x-small", ncol=2, loc="best")
    _time_axis(axis, days)
    return _png(plt, figure)


def medians_chart(digest: Digest) -> bytes:
    """Median unit price (CNY) of each basket item, one panel per goods category (those with
    two weeks or more in the chart's window: one point is no line)."""
    window = set(_weeks(digest))
    goods = sorted(g for g, items in digest.medians.items()
                   if any(len(window & set(weeks)) > 1 for weeks in items.values()))
    columns = 2 if len(goods) > 1 else 1
    rows = max(1, -(-len(goods) // columns))
    plt, figure = _figure(8, 2.4 * rows)
    weeks = _weeks(digest)
    days = _days(weeks)
    if not goods:
        axis = figure.add_subplot()
        axis.text(0.5, 0.5, "no basket item has two weeks of prices yet", ha="center",
                  va="center")
        axis.set_axis_off()
    for n, name in enumerate(goods, start=1):
        axis = figure.add_subplot(rows, columns, n)
        items = digest.medians[name]
        shown = sorted(items, key=lambda k: -len(items[k]))[:5]
        for key in shown:
            points = [(d, items[key][w]) for d, w in zip(days, weeks, strict=True)
                      if w in items[key]]
            if points:
                axis.plot([p[0] for p in points], [p[1] for p in points], marker=".",
                          label=f"{key[1]} /{key[2]} ({key[3]})")
        axis.set_title(name, fontsize="small")
        axis.set_ylabel("CNY", fontsize="x-small")
        axis.tick_params(labelsize="x-small")
        axis.legend(fontsize="xx-small", loc="best")
        _time_axis(axis, days)
    figure.tight_layout()
    return _png(plt, figure)
