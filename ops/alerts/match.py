"""Which watch rules a stored post meets, and why.

Post conditions (keywords, regular expressions, seller) read the post; offer conditions
(goods, platform, price against last week's median, new seller) must hold on one offer. Last
week's median of an item is the digest's elementary price (outliers removed) of the ISO week
before the post's own, so an alert and the digest speak of the same figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from index.query import Filters, SearchQuery
from index.records import contact_key, utc_time
from index.store import Store
from ops.alerts.rules import Rule
from ops.digest.method import without_outliers


@dataclass
class Match:
    rule: Rule
    post: dict
    reasons: list[str]
    offers: list[dict]

    def payload(self) -> dict:
        post = self.post
        return {
            "rule": self.rule.name, "post_id": post["id"], "source": post.get("source"),
            "url": post.get("url"), "author": post.get("author"),
            "posted_at": post.get("posted_at"), "first_seen": post.get("first_seen"),
            "title": post.get("title"), "text": post.get("text"), "reasons": self.reasons,
            "offers": self.offers,
            "contacts": [c if isinstance(c, str) else contact_key(c["type"], c["value"])
                         for c in post.get("contacts") or []],
        }


def post_day(post: dict) -> date:
    moment = utc_time(post.get("posted_at")) or post.get("first_seen") or post["fetched_at"]
    return date.fromisoformat(moment[:10])


class Matcher:
    """Rules over posts, with the store at hand for medians and sellers' histories."""

    def __init__(self, store: Store, rules: list[Rule]):
        self.store = store
        self.rules = rules
        self._medians: dict[date, dict[tuple, float]] = {}
        self._first_posts: dict[tuple[str, str], str | None] = {}

    def median(self, monday: date, offer: dict) -> float | None:
        """Last week's elementary price of the offer's item (None when it was not offered)."""
        if monday not in self._medians:
            items = self.store.weekly_items(Filters(side=["sell"], since=monday,
                                                    until=monday + timedelta(days=6)))
            table = {}
            for i in items:
                kept = without_outliers(i["prices"])
                if kept.size:
                    table[(i["goods"], i["platform"], i["unit"], i["currency"])] = float(
                        np.median(kept))
            self._medians[monday] = table
        key = (offer["goods"], offer.get("platform") or "none", offer.get("unit") or "item",
               offer.get("currency") or "CNY")
        return self._medians[monday].get(key)

    def first_post(self, seller: str, goods: str) -> str | None:
        """Id of the seller's earliest post offering ``goods``."""
        key = (seller, goods)
        if key not in self._first_posts:
            found = self.store.search(SearchQuery(seller=[seller], goods=[goods], side=["sell"],
                                                  sort="oldest", limit=1))
            self._first_posts[key] = found.hits[0]["id"] if found.hits else None
        return self._first_posts[key]

    def matches(self, post: dict) -> list[Match]:
        return [m for m in (self.match(rule, post) for rule in self.rules) if m is not None]

    def match(self, rule: Rule, post: dict) -> Match | None:
        reasons: list[str] = []
        text = f"{post.get('title') or ''}\n{post.get('text') or ''}"
        if rule.keywords:
            found = [k for k in rule.keywords if k.lower() in text.lower()]
            if not found:
                return None
            reasons.append(f"keywords {', '.join(found)}")
        if rule.patterns:
            hit = next((m for p in rule.patterns if (m := p.search(text))), None)
            if hit is None:
                return None
            reasons.append(f"regex {hit.re.pattern!r} matched {hit.group(0)!r}")
        contacts = [c if isinstance(c, str) else contact_key(c["type"], c["value"])
                    for c in post.get("contacts") or []]
        seller = contacts[0] if contacts else None
        if rule.sellers:
            mine = [s for s in rule.sellers
                    if s in contacts or any(c.partition(":")[2] == s for c in contacts)]
            if not mine:
                return None
            reasons.append(f"seller {', '.join(mine)}")
        offers = post.get("offers") or []
        matched = []
        if rule.offer_level:
            for offer in offers:
                why = self._offer(rule, post, offer, seller)
                if why is not None:
                    matched.append(offer)
                    reasons.extend(r for r in why if r not in reasons)
            if not matched:
                return None
        return Match(rule, post, reasons, matched)

    def _offer(self, rule: Rule, post: dict, offer: dict, seller: str | None) -> list[str] | None:
        why = []
        if rule.goods and offer["goods"] not in rule.goods:
            return None
        if rule.platform and (offer.get("platform") or "none") not in rule.platform:
            return None
        if rule.goods or rule.platform:
            why.append(f"{offer['goods']}/{offer.get('platform') or 'none'}")
        if rule.price_below is not None or rule.price_above is not None:
            price = offer.get("unit_price")
            if price is None and offer.get("price") is not None:
                price = offer["price"] / (offer.get("per_qty") or 1)
            if price is None or offer.get("side") == "buy":
                return None
            day = post_day(post)
            monday = day - timedelta(days=day.weekday() + 7)
            median = self.median(monday, offer)
            if not median:
                return None
            change = (price / median - 1) * 100
            if rule.price_below is not None and change <= -rule.price_below:
                why.append(f"unit price {price:g} is {-change:.0f}% under last week's median "
                           f"{median:g} {offer.get('currency') or 'CNY'}/{offer.get('unit')}")
            elif rule.price_above is not None and change >= rule.price_above:
                why.append(f"unit price {price:g} is {change:.0f}% over last week's median "
                           f"{median:g} {offer.get('currency') or 'CNY'}/{offer.get('unit')}")
            else:
                return None
        if rule.new_seller:
            if seller is None or offer.get("side") == "buy":
                return None
            if self.first_post(seller, offer["goods"]) != post["id"]:
                return None
            why.append(f"new seller {seller} of {offer['goods']}")
        return why
