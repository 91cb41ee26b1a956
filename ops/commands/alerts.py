"""``heishi alerts``: watch rules — run them now, hunt through history, show deliveries."""

from __future__ import annotations

import argparse
import os

from index.store import open_store
from ops.commands import HeishiCommand
from ops.errors import UsageError
from ops.render import Output, add_output_arguments

HUNT_COLUMNS = ("rule", "posted_at", "source", "post_id", "reasons", "text")
STATUS_COLUMNS = ("id", "rule", "post_id", "target_kind", "target", "status", "attempts",
                  "created_at", "delivered_at", "next_attempt", "last_error")


class Command(HeishiCommand):
    name = "alerts"
    help = "watch rules: run them on new posts, test them on the history, show deliveries"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        store_help = "store location (default: $HEISHI_STORE, else var/heishi.db)"
        run = actions.add_parser("run", help="evaluate rules on posts stored since the last "
                                 "run, deliver due alerts (and retries)")
        run.add_argument("--rules", metavar="FILE", help="rules file (default: "
                         "$HEISHI_ALERT_RULES)")
        run.add_argument("--store", metavar="PATH", help=store_help)
        run.add_argument("--state", metavar="FILE", help="delivery record (default: "
                         "$HEISHI_ALERTS_DB, else alerts.db beside the store)")
        test = actions.add_parser("test", help="retro-hunt: what RULES would have fired on "
                                  "over the stored history (nothing is delivered)")
        test.add_argument("rules", metavar="RULES")
        test.add_argument("--store", metavar="PATH", help=store_help)
        add_output_arguments(test)
        status = actions.add_parser("status", help="the delivery record, newest first")
        status.add_argument("--store", metavar="PATH", help=store_help)
        status.add_argument("--state", metavar="FILE")
        status.add_argument("--limit", type=int, default=200)
        add_output_arguments(status)

    def run(self, args: argparse.Namespace) -> int:
        from ops import alerts
        from ops.alerts.state import AlertState, default_location

        if args.action == "run":
            if not (args.rules or os.environ.get(alerts.RULES_ENV)):
                raise UsageError("no rules file: give --rules FILE or set $HEISHI_ALERT_RULES")
            counts = alerts.run_alerts(args.store, args.rules, args.state)
            print(", ".join(f"{v} {k}" for k, v in counts.items()))
            return 0
        if args.action == "test":
            rules = alerts.load_rules(args.rules)
            with open_store(args.store, create=False) as store:
                matches = alerts.retro_hunt(store, rules)
            rows = [{"rule": m.rule.name, "posted_at": m.post.get("posted_at"),
                     "source": m.post.get("source"), "post_id": m.post["id"],
                     "reasons": "; ".join(m.reasons),
                     "text": (m.post.get("text") or "")[:80]} for m in matches]
            rows.sort(key=lambda r: (r["rule"], r["posted_at"] or ""))
            Output(args, "alerts test").write(
                rows, HUNT_COLUMNS, title=f"{len(rows)} alerts would have fired",
                query={"rules": args.rules, "store": args.store})
            return 0
        with AlertState(args.state or default_location(args.store)) as state:
            rows = state.rows(args.limit)
        Output(args, "alerts status").write(rows, STATUS_COLUMNS, title="alert deliveries",
                                            query={"store": args.store})
        return 0
