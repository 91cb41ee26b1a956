"""Answers of code-receiving (接码) platforms: price lists and stock counts.

Many platforms speak sms-activate's protocol (``handler_api.php?action=getPrices``,
``getNumbersStatus``, ``getServicesList``); 5sim has its own guest price API. Both are read
into :class:`PriceRow` (one service in one country: price and numbers available). See
``../shared/spec/formats.md`` §4.

A service code (``wb``, ``tg``) is mapped to heishi's platform id through the platform's own
catalogue of services (code → name, e.g. sms-activate's ``services.json``) and the lexicon's
platform aliases, so "WeChat" and "Tencent QQ" land on ``wechat`` and ``qq``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from crawlers.errors import FormatError

# Plain-text answers of the sms-activate protocol that mean "no data", with what they mean.
ERRORS = {
    "BAD_KEY": "the API key was refused (BAD_KEY): check the key's environment variable",
    "NO_KEY": "no API key was sent (NO_KEY)",
    "BAD_ACTION": "the platform does not know this action (BAD_ACTION)",
    "BAD_SERVICE": "the platform does not know this service (BAD_SERVICE)",
    "BAD_COUNTRY": "the platform does not know this country (BAD_COUNTRY)",
    "NO_NUMBERS": "the platform has no numbers to offer (NO_NUMBERS)",
    "NO_BALANCE": "the account has no balance (NO_BALANCE)",
    "ERROR_SQL": "the platform's database failed (ERROR_SQL)",
    "BANNED": "the account is banned (BANNED)",
}


@dataclass(frozen=True)
class PriceRow:
    country: str
    service: str
    price: float | None
    count: int | None  # numbers available: the stock


def _number(value, where: str, what: str, kind=float):
    if value in (None, ""):
        return None
    try:
        return kind(float(value)) if kind is int else kind(value)
    except (TypeError, ValueError):
        raise FormatError(f"{what}: {value!r} is not a number", where) from None


def load_answer(body: bytes, where: str):
    """The JSON of an answer; :class:`FormatError` for the protocol's plain-text errors,
    JSON errors of forks (``{"status": "false", "msg": …}``) and malformed JSON."""
    text = body.decode("utf-8", errors="replace").strip()
    code = text.split(":", 1)[0].strip().upper()
    if code in ERRORS:
        raise FormatError(ERRORS[code], where)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        shown = text[:60].replace("\n", " ")
        raise FormatError(f"malformed JSON ({exc.msg} at line {exc.lineno}): {shown!r}",
                          where) from None
    if isinstance(data, dict) and str(data.get("status", "")).lower() in ("false", "error"):
        raise FormatError(f"the platform answered an error: {data.get('msg') or data}", where)
    if isinstance(data, dict) and data.get("title") and data.get("status") not in (None, 200):
        raise FormatError(f"the platform answered an error: {data.get('title')}", where)
    return data


def sms_activate_prices(body: bytes, where: str) -> list[PriceRow]:
    """``getPrices``: ``{country: {service: {"cost", "count"}}}`` (values may be strings), or
    the flat service-first variant ``{service: {country: cost}}`` some forks answer."""
    data = load_answer(body, where)
    if not isinstance(data, dict):
        raise FormatError("getPrices: expected a JSON object of countries", where)
    rows = []
    for outer, inner in data.items():
        if not isinstance(inner, dict):
            raise FormatError(f"getPrices: {outer!r} holds {type(inner).__name__}, "
                              "not an object of services", where)
        for key, value in inner.items():
            if isinstance(value, dict):
                cost = value.get("cost", value.get("price"))
                rows.append(PriceRow(
                    str(outer), str(key), _number(cost, where, f"{outer}/{key} cost"),
                    _number(value.get("count"), where, f"{outer}/{key} count", int)))
            else:  # service-first and flat: {"tg": {"186": 0.22}}
                rows.append(PriceRow(str(key), str(outer),
                                     _number(value, where, f"{outer}/{key}"), None))
    return rows


def sms_activate_stock(body: bytes, where: str) -> dict[str, int]:
    """``getNumbersStatus``: ``{"wa_0": 90, "av_1": "211"}`` → numbers per service; the
    ``_1`` keys (call forwarding) are the service code with ``_fwd``."""
    data = load_answer(body, where)
    if not isinstance(data, dict):
        raise FormatError("getNumbersStatus: expected a JSON object of services", where)
    stock = {}
    for key, value in data.items():
        code, _, variant = str(key).rpartition("_")
        if not code:
            code, variant = str(key), "0"
        service = code if variant == "0" else f"{code}_fwd"
        stock[service] = _number(value, where, f"getNumbersStatus {key}", int) or 0
    return stock


def sms_activate_services(body: bytes, where: str) -> dict[str, str]:
    """``getServicesList`` (``{"services": [{"code", "name"}]}``) or a ``services.json``
    catalogue (``[{"code", "name", "f"}]``): code → name, without call-forwarding variants."""
    data = load_answer(body, where)
    items = data.get("services") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise FormatError("expected a list of services ({code, name})", where)
    catalogue: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict) or not item.get("code"):
            continue
        if str(item.get("f", "0")) == "1":
            continue
        catalogue.setdefault(str(item["code"]), _TAGS.sub("", str(item.get("name", ""))).strip())
    if not catalogue:
        raise FormatError("no services in the catalogue", where)
    return catalogue


_TAGS = re.compile(r"<[^>]+>.*?</[^>]+>|<[^>]+>")


def fivesim_prices(body: bytes, where: str) -> list[PriceRow]:
    """5sim ``/v1/guest/prices``: ``{country: {product: {operator: {"cost", "count"}}}}``.

    A buyer gets the cheapest operator that has numbers; the stock is every operator's."""
    data = load_answer(body, where)
    if not isinstance(data, dict):
        raise FormatError("5sim prices: expected a JSON object of countries", where)
    rows = []
    for country, products in data.items():
        if not isinstance(products, dict):
            raise FormatError(f"5sim prices: {country!r} is not an object of products", where)
        for product, operators in products.items():
            if not isinstance(operators, dict):
                raise FormatError(f"5sim prices: {country}/{product} is not an object", where)
            costs, count = [], 0
            for operator, offer in operators.items():
                if not isinstance(offer, dict):
                    continue
                stock = _number(offer.get("count"), where, f"{country}/{product}/{operator}",
                                int) or 0
                cost = _number(offer.get("cost"), where, f"{country}/{product}/{operator}")
                count += stock
                if cost is not None and stock > 0:
                    costs.append(cost)
            rows.append(PriceRow(str(country), str(product), min(costs) if costs else None,
                                 count))
    return rows


def platform_of(name: str, aliases: dict[str, str]) -> str | None:
    """The platform id a service's name ("WeChat", "Tencent QQ", "TikTok/Douyin") stands for:
    the first of its words that is a platform alias of the lexicon."""
    lowered = name.lower().strip()
    found = aliases.get(lowered)
    if found is None:
        for word in re.split(r"[^0-9a-z\u4e00-\u9fff]+", lowered):
            if len(word) > 1 and word in aliases:
                found = aliases[word]
                break
    return None if found in (None, "none") else found  # "none": a name known to be no platform


# sms-activate numbers countries its own way (not ISO); the ones its price lists lead with.
COUNTRIES = {"0": "俄罗斯", "1": "乌克兰", "2": "哈萨克斯坦", "3": "中国", "4": "菲律宾",
             "6": "印度尼西亚", "7": "马来西亚", "10": "越南", "12": "美国(虚拟)", "16": "英国",
             "22": "印度", "52": "泰国", "187": "美国"}
