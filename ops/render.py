"""How commands show rows: a readable table, JSON Lines or CSV, to stdout or a file.

Every command that prints records goes through :class:`Output`, so ``--json``, ``--csv`` and
``--output`` mean the same everywhere, and every export is written to the audit log
(:mod:`ops.audit`) in one place.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ops.audit import AuditLog
from ops.errors import UsageError


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON Lines, one object a line")
    fmt.add_argument("--csv", action="store_true", help="print CSV with a header line")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")


def cell(value) -> str:
    """A value as a table or CSV cell: lists joined, numbers without float noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return f"{value:.0f}"
        if abs(value) >= 100:
            return f"{value:.1f}"
        return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) >= 1 else f"{value:.3g}"
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


WRAPPING = {"text", "offers", "value", "url", "title", "contacts"}  # long columns fold

# What a post must not send to an analyst's terminal: C0 and C1 control characters (ESC starts
# the sequences that clear the screen, retitle the window or hide a link; U+009B is a CSI of
# its own) and the bidirectional overrides that show text in another order than it is stored.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                              "\u2066-\u2069\u2028\u2029]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                          "\u2028\u2029]")  # json.dumps escapes C0 itself
# OWASP's rule for CSV injection: a cell a spreadsheet would read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(text: str) -> str:
    """``text`` as it may reach a terminal: control characters taken out, line breaks and tabs
    made spaces. Posts are written by the people heishi watches."""
    if text.isprintable():
        return text
    return _TERMINAL_UNSAFE.sub(lambda m: " " if m.group() in "\t\n\r" else "", text)


def literal(text: str) -> Text:
    """``text`` for rich, shown as written: never read as markup (``[/b]``, ``[link=…]``)."""
    return Text(plain(text))


def csv_cell(value) -> str:
    """A CSV cell no spreadsheet will run: text starting like a formula gets a leading ``'``
    (OWASP), control characters other than line breaks are taken out."""
    text = cell(value)
    if isinstance(value, str | list | tuple | dict):
        if not text.isprintable():
            text = _TERMINAL_UNSAFE.sub(lambda m: m.group() if m.group() in "\n\r\t" else "",
                                        text)
        if text.startswith(_FORMULA_START):
            text = "'" + text
    return text


def console_for(out: TextIO) -> Console:
    """A console on ``out``; when it is not a terminal, wide enough not to fold short columns.

    Markup, emoji codes and highlighting are off: what it prints comes from posts."""
    isatty = getattr(out, "isatty", lambda: False)()
    return Console(file=out, width=None if isatty else 160, soft_wrap=False, markup=False,
                   emoji=False, highlight=False)


class Output:
    """Where and how one command writes its rows; ``format`` is table, json or csv."""

    def __init__(self, args: argparse.Namespace, command: str) -> None:
        self.command = command
        self.format = "json" if getattr(args, "json", False) else (
            "csv" if getattr(args, "csv", False) else "table")
        self.path = getattr(args, "output", None)

    @property
    def is_export(self) -> bool:
        """Machine-readable output leaves the tool: it is what the audit log records."""
        return self.format != "table" or self.path is not None

    @contextmanager
    def _stream(self):
        if self.path is None:
            yield sys.stdout
            return
        try:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise UsageError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        with handle:
            yield handle

    def write(
        self,
        rows: Iterable[dict],
        columns: Sequence[str],
        *,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        query: dict | None = None,
    ) -> int:
        """Write ``rows``; the table and CSV show ``columns``, JSON Lines every field.

        An export (JSON Lines, CSV or a file) is recorded in the audit log with ``query``
        before its first row leaves: a reader that stops early (``| head``) or a file that
        fails half-way still leaves its record. Returns the number of rows written.
        """
        audit = AuditLog() if self.is_export else None
        try:
            if audit is not None:
                rows = list(rows)
                audit.record(self.command, query, len(rows), self.path or "stdout")
            with self._stream() as out:
                if self.format == "json":
                    count = write_jsonl(rows, out)
                elif self.format == "csv":
                    count = write_csv(rows, columns, out)
                else:
                    count = write_table(rows, columns, out, title=title, headers=headers)
        finally:
            if audit is not None:
                audit.close()
        return count


def json_line(row: dict) -> str:
    """One JSON Lines record; characters that would act on a terminal are escaped (the data
    is unchanged: a JSON reader gets them back)."""
    line = json.dumps(row, ensure_ascii=False, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def write_jsonl(rows: Iterable[dict], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json_line(row) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict], columns: Sequence[str], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
        count += 1
    return count


def write_table(
    rows: Iterable[dict],
    columns: Sequence[str],
    out: TextIO,
    *,
    title: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    headers = headers or {}
    table = Table(title=literal(title) if title else None, show_lines=False, header_style="bold")
    for column in columns:
        wraps = column in WRAPPING
        table.add_column(literal(headers.get(column, column)), overflow="fold",
                         no_wrap=not wraps, ratio=1 if wraps else None)
    count = 0
    for row in rows:
        table.add_row(*(literal(cell(row.get(c))) for c in columns))
        count += 1
    console_for(out).print(table)
    return count
