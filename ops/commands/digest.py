"""``heishi digest``: the weekly price-index digest (README, "Weekly price index")."""

from __future__ import annotations

import argparse
import os

from index.store import open_store
from ops.audit import AuditLog
from ops.commands import HeishiCommand
from ops.errors import UsageError


class Command(HeishiCommand):
    name = "digest"
    help = "write the weekly price-index digest (md, html, csv) and optionally mail it"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--week", metavar="YYYY-Www",
                            help="ISO week, e.g. 2026-W47 (default: latest complete week)")
        parser.add_argument("--out", metavar="DIR",
                            help="folder (default: $HEISHI_DIGEST_DIR/<week>, else "
                            "var/digest/<week>)")
        parser.add_argument("--email", action="store_true",
                            help="also mail it to --to / $HEISHI_DIGEST_TO over SMTP "
                            "($HEISHI_SMTP_HOST …)")
        parser.add_argument("--to", metavar="ADDR", help="recipients, comma-separated")
        parser.add_argument("--min-sellers", type=int, metavar="N",
                            help="distinct sellers an item needs to enter the basket "
                            "(default 3, or $HEISHI_DIGEST_MIN_SELLERS)")
        parser.add_argument("--usdt-rate", type=float, metavar="CNY",
                            help="CNY per USDT for weeks the rates file does not name (7.2)")
        parser.add_argument("--rates", metavar="FILE",
                            help="weekly rates, YAML {USDT: {default: 7.2, 2026-W47: 7.1}} "
                            "(default: $HEISHI_RATES)")

    def run(self, args: argparse.Namespace) -> int:
        from ops import digest as digests
        from ops import mail

        to = mail.recipients(args.to or os.environ.get(digests.TO_ENV))
        if args.email and not to:
            raise UsageError("--email: no recipients (give --to or set $HEISHI_DIGEST_TO)")
        config = mail.SMTPConfig.from_env() if args.email else None  # fail before any work
        settings = digests.Settings.from_env(
            min_sellers=args.min_sellers, rates=digests.Rates.load(args.rates, args.usdt_rate))
        with open_store(args.store, create=False) as store:
            monday = digests.week_monday(args.week) or digests.latest_week(store)
            digest = digests.build(store, monday, settings)
        written = digests.write_digest(digest, args.out)
        with AuditLog() as audit:
            audit.record(self.name, {"week": digest.week, "store": args.store}, len(digest.rows),
                         str(written.folder))
        print(written.html)
        if args.email:
            mail.send(digests.mail_message(written, to), config)
            with AuditLog() as audit:
                audit.record(f"{self.name} --email", {"week": digest.week}, len(digest.rows),
                             ", ".join(to))
            print(f"mailed to {', '.join(to)}")
        return 0
