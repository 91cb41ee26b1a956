"""Price tables written with ``|`` columns or aligned with spaces, rewritten as offer lines.

Sellers paste tables like ``项目 | 单价 | 起量`` / ``探探 | 1.2 | 100``, or the same aligned with
spaces (``项目    单价    起订``). Read cell by cell, the minimum order in the third column would
look like a second price; the header says what each column is, so each row becomes the sentence
a seller would have written: ``探探 1.2,100个起``. A space-aligned table counts only when every
cell of its header is a known column name, and a row only when it has as many cells.
"""

from __future__ import annotations

import re

PRICE_HEADERS = frozenset(
    "单价 价格 价钱 售价 报价 价 金额 费用 收费 零售价 批发价 代理价 拿货价 出价 收价 price".split()
)
MIN_HEADERS = frozenset("起量 起订 起订量 起购 起批 起拿 起售 最低 最少 最低量 起步 min".split())
UNIT_HEADERS = frozenset("单位 计费 计价 计费方式 unit".split())
SUBJECT_HEADERS = frozenset(
    "项目 平台 名称 品名 类型 商品 品种 业务 产品 服务 app 软件 类别 号类 种类 品类 渠道 "
    "运营商 型号".split()
)


# A table whose subject column is headed 项目, the code platforms' word for what they receive
# codes for (taxonomy.md): its rows naming only a platform (微信 4.2) price codes, not accounts.
CODE_TABLE = re.compile(r"(?m)^[ \t|]*项目[ \t]*(?:\||\t| {2,})")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


# Columns a table may carry that say nothing about the offer (备注: remarks).
DROP_HEADERS = frozenset(
    "备注 说明 库存 状态 描述 简介 注释 remark note id 项目id 编号 序号 代码 口数".split()
)
# A unit written on a header cell (单价(元), 价格(u)): the currency of the column.
_HEADER_UNIT = re.compile(r"^(.+?)[(（]([^)）]{1,6})[)）]$")


_HEADER_WORD = re.compile(
    "|".join(sorted((w for w in MIN_HEADERS | PRICE_HEADERS if len(w) > 1), key=len, reverse=True))
)


def _header_cell(cell: str) -> tuple[str, str]:
    """The column name and the unit written on it: 单价(u) gives (单价, u)."""
    m = _HEADER_UNIT.match(cell)
    return (m.group(1).strip(), m.group(2).strip()) if m else (cell, "")


def _header_roles(cells: list[str]) -> list[str] | None:
    roles = []
    for cell in cells:
        cell, _ = _header_cell(cell)
        if cell in PRICE_HEADERS:
            roles.append("price")
        elif cell in MIN_HEADERS:
            roles.append("min")
        elif cell in UNIT_HEADERS:
            roles.append("unit")
        elif cell in SUBJECT_HEADERS:
            roles.append("subject")
        else:
            roles.append("drop")
    return roles if "price" in roles else None


def _first_column_named(cells: list[str], roles: list[str]) -> str:
    """接码 项目 | 单价 | 起订: a first column named as the seller pleased, before known ones,
    holds what each row sells (else the rows would lose their names); its name (接码, 号类批发)
    still says what the table sells, so it is what the header leaves of itself."""
    if roles[0] == "drop" and "subject" not in roles and _header_cell(cells[0])[0] not in (
        DROP_HEADERS
    ):
        roles[0] = "subject"
        return cells[0] + " "
    return ""


def _row_text(cells: list[str], roles: list[str]) -> str:
    subject = " ".join(c for c, r in zip(cells, roles, strict=False) if r == "subject")
    unit = next((c for c, r in zip(cells, roles, strict=False) if r == "unit" and c), "")
    prices = [c for c, r in zip(cells, roles, strict=False) if r == "price" and c]
    least = next((c for c, r in zip(cells, roles, strict=False) if r == "min" and c), "")
    parts = [subject]
    for price in prices:
        parts.append(f" {price}/{unit}," if unit else f" {price},")
    count = least.rstrip("个条张单套件份次台人粉号")
    if count and count.replace(".", "", 1).isdigit():
        parts.append(f"{count}个起")
    return "".join(parts)


def _spaced_header(line: str) -> tuple[list[str], str] | None:
    """The column roles of a header made of spaces, and the name its first column keeps (see
    :func:`_first_column_named`), or None for a line that is no such header."""
    cells = line.split()
    if len(cells) < 2:
        return None
    roles = _header_roles(cells)
    if roles is None:
        return None
    # 号类批发  单价  起订: spaced, a first column named freely counts only before a least order
    kept = _first_column_named(cells, roles) if "min" in roles else ""
    if len(set(roles) - {"drop"}) < 2:
        return None
    for cell, role in zip(cells, roles, strict=True):
        if role == "drop" and _header_cell(cell)[0] not in DROP_HEADERS:
            return None  # every column of a header made of spaces must be a column name
    return roles, kept


def _currency_line(cells: list[str], roles: list[str]) -> str:
    """单价(U): a header line stating the currency of the price column, for the rows below."""
    for cell, role in zip(cells, roles, strict=False):
        unit = _header_cell(cell)[1]
        if role == "price" and unit:
            return f"(单位{unit})"
    return ""


def rewrite_spaced_tables(text: str) -> str:
    """``text`` with every headed, space-aligned table turned into one offer line per row; a
    row may leave its last columns (备注) empty."""
    lines = text.split("\n")
    roles: list[str] | None = None
    for n, line in enumerate(lines):
        header = _spaced_header(line) if "|" not in line else None
        if header is not None:
            roles, kept = header
            lines[n] = kept + _currency_line(line.split(), roles)
            continue
        cells = line.split()
        needed = 0 if roles is None else max(k for k, r in enumerate(roles) if r != "drop") + 1
        if roles is not None and needed <= len(cells) <= len(roles):
            lines[n] = _row_text(cells + [""] * (len(roles) - len(cells)), roles)
        elif line.strip():
            roles = None
    return "\n".join(lines)


def _is_rule(line: str) -> bool:
    """|---|---|: the line under a markdown table's header."""
    return set(line.strip()) <= set("|-: ")


# A cell holding a price alone: 1.8U, 3, ¥25, 2.5元.
_PRICE_CELL = re.compile(r"(?i)[$¥￥]?\d+(?:\.\d+)?\s*(?:u|usdt|元|块|\$)?")


def _cross_header(cells: list[str], lines: list[str], n: int) -> list[str] | None:
    """``国家 | 微信 | QQ`` over ``美国 | 3 | 2``: the columns after the first are what is priced,
    so each row prices every one of them (美国 微信 3, QQ 2), not one thing twice."""
    if len(cells) < 3 or any(_PRICE_CELL.fullmatch(c) for c in cells[1:]):
        return None
    rows = [line for line in lines[n + 1 :] if not _is_rule(line)][:1]
    if not rows or "|" not in rows[0]:
        return None
    return cells if _priced_across(_cells(rows[0]), cells) else None


def _priced_across(cells: list[str], columns: list[str]) -> bool:
    """A row of a platform-column table: its label, then a price under every column."""
    return len(cells) == len(columns) and all(_PRICE_CELL.fullmatch(c) for c in cells[1:])


def _cross_row(cells: list[str], columns: list[str]) -> str:
    priced = ", ".join(f"{col} {cell}" for col, cell in zip(columns[1:], cells[1:], strict=False))
    return f"{cells[0]} {priced},"


# Two currencies named by a header in the order its rows write them: 接码价格（人民币 / U）,
# API 单价（USDT / CNY）, or the last two columns of a header (商品  RMB  USDT).
_CURRENCY_NAMES = {"人民币": "元", "rmb": "元", "cny": "元", "u": "u", "usdt": "u"}
_CURRENCY = "|".join(sorted(_CURRENCY_NAMES, key=len, reverse=True))
_TWO_CURRENCIES = re.compile(
    rf"\( ?({_CURRENCY}) ?/ ?({_CURRENCY}) ?\)|(?<=[^\s]) +({_CURRENCY}) +({_CURRENCY}) *$",
    re.MULTILINE,
)
# A row ending in two bare amounts, apart or across a slash: 微信 4.0 / 0.56, 微信满月号 45 6.5.
_TWO_AMOUNTS = re.compile(r"^(.*[^\s\d./]) *?(\d+(?:\.\d+)?) *(?:/|\s) *(\d+(?:\.\d+)?) *$")


def rewrite_currency_columns(text: str) -> str:
    """The rows under a header naming two currencies, with each amount's currency written on
    it: ``微信 4.0 / 0.56`` under （人民币 / U） becomes ``微信 4.0元 / 0.56u``. Without it the
    second amount reads as a second price in yuan."""
    header = _TWO_CURRENCIES.search(text)
    if header is None:
        return text
    first, second = (_CURRENCY_NAMES[g] for g in header.groups() if g)
    if first == second:
        return text
    lines = text.split("\n")
    n = text.count("\n", 0, header.start()) + 1
    while n < len(lines) and (m := _TWO_AMOUNTS.match(lines[n])) is not None:
        lines[n] = f"{m.group(1)} {m.group(2)}{first} / {m.group(3)}{second}"
        n += 1
    return "\n".join(lines)


def rewrite_tables(text: str) -> str:
    """``text`` with every headed table turned into one offer line per row."""
    text = rewrite_currency_columns(text)
    if _HEADER_WORD.search(text):
        text = rewrite_spaced_tables(text)
    if "|" not in text:
        return text
    lines = text.split("\n")
    roles: list[str] | None = None
    columns: list[str] | None = None
    for n, line in enumerate(lines):
        if "|" not in line:
            roles = columns = None
            continue
        cells = _cells(line)
        header = _header_roles(cells)
        if header is not None:
            kept = _first_column_named(cells, header)
            roles, columns = header, None
            lines[n] = kept + _currency_line(cells, header)
        elif roles is not None and not _is_rule(line):
            lines[n] = _row_text(cells, roles)
        elif columns is not None and not _is_rule(line):
            if _priced_across(cells, columns):
                lines[n] = _cross_row(cells, columns)
            else:
                columns = None
        elif roles is not None or columns is not None:
            lines[n] = ""  # a markdown rule line |---|---|
        else:
            columns = _cross_header(cells, lines, n)
            if columns is not None:
                lines[n] = ""
    return "\n".join(lines)
