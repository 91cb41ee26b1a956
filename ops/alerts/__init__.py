"""Watch alerts: rules over every newly stored post, each match delivered once.

Where rules run, and why here: ``crawlers/`` may not import ``ops`` (the layout is the
architecture), and delivery — webhooks, SMTP, retries over hours — has no place in a crawl's
item pipeline that must keep pace with the pages. Rules also need the store's history (last
week's median, a seller's earlier posts), which the store answers best once the crawl's
writes are committed. So ``ops`` evaluates rules over the posts stored since a watermark kept
in the alerts' record: after every ``heishi crawl`` / ``heishi demo`` and in the periodic
``scheduled_alerts`` job, which also retries what could not be delivered.

The first run with no watermark starts at the time given (the crawl's start) or now: rules
watch what arrives from then on; ``heishi alerts test RULES`` hunts through the history.
"""

from __future__ import annotations

import os
from datetime import timedelta

from index.store import Store, default_store_location, open_store
from ops.alerts.deliver import deliver_pending
from ops.alerts.match import Match, Matcher
from ops.alerts.rules import Rule, RulesError, load_rules
from ops.alerts.state import AlertState, default_location, iso, now

RULES_ENV = "HEISHI_ALERT_RULES"
WATERMARK = "posts_since"
# Posts carry their fetch time as first_seen, a little before they are committed: read a
# margin back each time (matches already recorded are not recorded again).
MARGIN = timedelta(minutes=10)

__all__ = ["Match", "Matcher", "Rule", "RulesError", "evaluate_new_posts", "load_rules",
           "retro_hunt", "run_alerts", "scheduled_alerts"]


def evaluate_new_posts(store: Store, rules: list[Rule], state: AlertState,
                       start: str | None = None) -> int:
    """Record the matches of posts stored since the watermark; returns new alerts."""
    checked_at = now()
    since = state.mark(WATERMARK) or start or iso(checked_at)
    matcher = Matcher(store, rules)
    new = 0
    for post in store.posts_stored_since(since):
        for match in matcher.matches(post):
            new += state.record(match.rule.name, post["id"], match.rule.targets,
                                match.payload())
    state.set_mark(WATERMARK, max(since, iso(checked_at - MARGIN)))
    return new


def run_alerts(store_location: str | None = None, rules_path: str | None = None,
               state_path: str | None = None, start: str | None = None) -> dict | None:
    """Evaluate the rules file over new posts and deliver what is due. None when no rules
    file is configured (``--rules`` or ``$HEISHI_ALERT_RULES``)."""
    rules_path = rules_path or os.environ.get(RULES_ENV)
    if not rules_path:
        return None
    rules = load_rules(rules_path)
    with AlertState(state_path or default_location(store_location)) as state:
        with open_store(store_location, create=False) as store:
            new = evaluate_new_posts(store, rules, state, start)
        counts = deliver_pending(state)
    return {"new": new, **counts}


def retro_hunt(store: Store, rules: list[Rule]) -> list[Match]:
    """What the rules would have fired on over the whole stored history."""
    matcher = Matcher(store, rules)
    return [m for post in store.posts_stored_since(None) for m in matcher.matches(post)]


def scheduled_alerts() -> None:
    """The scheduler's job (every few minutes): new posts against the rules file, then every
    delivery that is due, retries included. Configuration as the CLI reads it."""
    rules_path = os.environ.get(RULES_ENV)
    store = default_store_location()
    if rules_path:
        run_alerts(store, rules_path)
        return
    with AlertState(default_location(store)) as state:  # no rules: still retry what is owed
        deliver_pending(state)
