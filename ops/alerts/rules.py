"""Watch rules, read from a YAML file and checked before anything runs.

```yaml
rules:
  - name: cheap-wechat-accounts      # unique; names the alert
    goods: [account]                  # any of (taxonomy ids)
    platform: [wechat]                # any of (platform ids, or none)
    keywords: [老号, 带圈]             # any of, in the post's title or text
    regex: '满[3-9]年'                 # Python regular expression (or a list: any of)
    seller: qq:2049385761             # a contact, as `heishi seller` takes it (or a list)
    price_below: 30                   # unit price ≥ 30% under last week's median of the item
    price_above: 50                   # unit price ≥ 50% over it
    new_seller: true                  # the seller's first post offering these goods
    deliver:
      webhook: https://hooks.example.org/heishi   # JSON POST
      mail: [analyst@example.org]                 # over SMTP ($HEISHI_SMTP_HOST …)
```

Every condition given must hold (AND); a list means any of its values. Conditions on offers
(goods, platform, price, new seller) must hold on one and the same offer of the post. An
error names the file, the rule and its line: a bad regular expression, an unknown goods id or
key is refused before any post is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from index.errors import StoreError
from index.query import GOODS, PLATFORMS, parse_contact
from ops.errors import UsageError

KEYS = {"name", "goods", "platform", "keywords", "regex", "seller", "price_below",
        "price_above", "new_seller", "deliver"}
CONDITIONS = KEYS - {"name", "deliver"}


class RulesError(UsageError):
    """A rules file that cannot be used; the message names file, rule and line."""


@dataclass
class Rule:
    name: str
    line: int
    goods: list[str] = field(default_factory=list)
    platform: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    patterns: list[re.Pattern] = field(default_factory=list)
    sellers: list[str] = field(default_factory=list)
    price_below: float | None = None
    price_above: float | None = None
    new_seller: bool = False
    webhooks: list[str] = field(default_factory=list)
    mail: list[str] = field(default_factory=list)

    @property
    def offer_level(self) -> bool:
        return bool(self.goods or self.platform or self.price_below is not None
                    or self.price_above is not None or self.new_seller)

    @property
    def targets(self) -> list[tuple[str, str]]:
        return [("webhook", url) for url in self.webhooks] + [("mail", to) for to in self.mail]


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def load_rules(path: str | Path) -> list[Rule]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"rules file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise RulesError(f"rules file {path}: not UTF-8 ({exc.reason})") from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise RulesError(f"rules file {path}{where}: not valid YAML: "
                         f"{getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulesError(f"rules file {path}: expected a mapping with a list `rules:`")
    rules_node = next(v for k, v in node.value if k.value == "rules")
    rules, names = [], set()
    for number, (raw, raw_node) in enumerate(zip(data["rules"], rules_node.value,
                                                 strict=True), start=1):
        line = raw_node.start_mark.line + 1
        rule = _rule(path, number, line, raw)
        if rule.name in names:
            raise RulesError(f"rules file {path}, line {line}: rule name {rule.name!r} is used "
                             "twice (alerts are recorded by rule name)")
        names.add(rule.name)
        rules.append(rule)
    if not rules:
        raise RulesError(f"rules file {path}: no rules")
    return rules


def _rule(path: Path, number: int, line: int, raw) -> Rule:
    def fail(message: str):
        name = raw.get("name") if isinstance(raw, dict) else None
        label = f"rule {name!r}" if name else f"rule {number}"
        raise RulesError(f"rules file {path}, line {line}, {label}: {message}")

    if not isinstance(raw, dict):
        fail("expected a mapping of conditions")
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        fail(f"unknown key {', '.join(map(repr, unknown))}; keys are {', '.join(sorted(KEYS))}")
    name = raw.get("name")
    if not name or not isinstance(name, str):
        fail("needs a `name`")
    if not CONDITIONS & set(raw):
        fail("has no condition (keywords, regex, goods, platform, seller, price_below, "
             "price_above or new_seller)")
    rule = Rule(name=name, line=line)
    rule.goods = [str(g) for g in _list(raw.get("goods"))]
    bad = [g for g in rule.goods if g not in GOODS]
    if bad:
        fail(f"unknown goods {', '.join(map(repr, bad))}; one of {', '.join(GOODS)}")
    rule.platform = ["none" if p in (None, "null") else str(p).lower()
                     for p in _list(raw.get("platform"))]
    bad = [p for p in rule.platform if p not in PLATFORMS]
    if bad:
        fail(f"unknown platform {', '.join(map(repr, bad))}")
    rule.keywords = [str(k) for k in _list(raw.get("keywords")) if str(k).strip()]
    for pattern in _list(raw.get("regex")):
        try:
            rule.patterns.append(re.compile(str(pattern)))
        except re.error as exc:
            fail(f"bad regular expression {pattern!r}: {exc}")
    try:
        rule.sellers = [parse_contact(str(s)) for s in _list(raw.get("seller"))]
    except StoreError as exc:
        fail(str(exc))
    for key in ("price_below", "price_above"):
        value = raw.get(key)
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                fail(f"{key} must be a percentage above 0, not {value!r}")
            setattr(rule, key, float(value))
    new_seller = raw.get("new_seller", False)
    if not isinstance(new_seller, bool):
        fail("new_seller must be true or false")
    rule.new_seller = new_seller
    if new_seller and not rule.goods:
        fail("new_seller needs `goods`: a new seller of what")
    deliver = raw.get("deliver") or {}
    if not isinstance(deliver, dict) or set(deliver) - {"webhook", "mail"}:
        fail("deliver takes `webhook: URL` and/or `mail: [addresses]`")
    rule.webhooks = [str(u) for u in _list(deliver.get("webhook"))]
    for url in rule.webhooks:
        if not re.match(r"^https?://", url):
            fail(f"webhook {url!r} is not an http(s) URL")
    rule.mail = [str(a).strip() for a in _list(deliver.get("mail")) if str(a).strip()]
    if any("@" not in a for a in rule.mail):
        fail(f"mail: {rule.mail!r} holds something that is not an address")
    return rule
