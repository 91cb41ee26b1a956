"""``heishi takedown``: draft takedown requests with evidence, and follow each case to its end.

    heishi takedown --post ID [--post ID …] | --seller CONTACT | --query TEXT [--out DIR]
    heishi takedown list [--state STATE] [--json | --csv]
    heishi takedown show CASE
    heishi takedown mark CASE STATE [--note TEXT] [--at TIME]
    heishi takedown verify [--json | --csv]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from datetime import datetime
from pathlib import Path

from crawlers.evidence import evidence_root
from index.records import CASE_STATES, OPEN_CASE_STATES
from index.store import default_store_location, open_store
from ops.audit import AuditLog, who
from ops.commands import HeishiCommand
from ops.errors import UsageError
from ops.render import Output, add_output_arguments, console_for, write_table

DEFAULT_OUT = Path("var") / "takedown"
LIST_COLUMNS = ("id", "platform", "state", "posts", "gone", "drafted", "sent", "removed",
                "time_to_removal", "last_checked")
CSV_COLUMNS = ("id", "platform", "state", "posts", "gone", "drafted", "sent", "removed",
               "time_to_removal", "time_to_removal_hours", "last_checked", "report_to", "host",
               "bundle", "created_by")
SUMMARY_COLUMNS = ("platform", "cases", "open", "removed", "rejected", "median_time_to_removal")
CHECK_COLUMNS = ("case", "post", "outcome", "status", "note", "evidence")
DRAFT_COLUMNS = ("case", "platform", "posts", "report_to", "folder")


class Command(HeishiCommand):
    name = "takedown"
    help = "draft takedown requests with an evidence bundle; list, mark and verify cases"
    needs_store = True

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--post", action="append", metavar="ID",
                            help="a stored post's id (repeat for more)")
        target.add_argument("--seller", metavar="CONTACT",
                            help="every listing of a seller (qq:123, wechat:abc, @tg, …)")
        target.add_argument("--query", metavar="TEXT", help="every listing matching a search")
        parser.add_argument("--out", metavar="DIR", default=str(DEFAULT_OUT),
                            help=f"where case folders are written (default {DEFAULT_OUT})")
        parser.add_argument("--config", metavar="FILE",
                            help="takedown configuration (default: $HEISHI_TAKEDOWN_CONFIG, "
                                 "else ./takedown.yaml)")
        _shared(parser, evidence=True, top=True)
        parser.add_argument("--no-live", action="store_true",
                            help="do not visit the pages: picture the stored captures")
        parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                            help="how long a page may take to load (default 30)")
        sub = parser.add_subparsers(dest="action", metavar="ACTION")
        listing = sub.add_parser("list", help="cases, their state and time to removal")
        listing.add_argument("--state", action="append", choices=CASE_STATES,
                             help="only cases in this state (repeat for more)")
        listing.add_argument("--open", action="store_true", help="only open cases")
        _shared(listing)
        add_output_arguments(listing)
        show = sub.add_parser("show", help="one case: its posts and its history")
        show.add_argument("case", help="case id (or a unique start of one)")
        _shared(show)
        add_output_arguments(show)
        mark = sub.add_parser("mark", help="move a case to another state")
        mark.add_argument("case", help="case id (or a unique start of one)")
        mark.add_argument("state", choices=CASE_STATES)
        mark.add_argument("--note", help="why (the platform's ticket number, its answer…)")
        mark.add_argument("--at", metavar="TIME",
                          help="when it happened, ISO 8601 (default: now)")
        _shared(mark)
        check = sub.add_parser("verify", help="re-fetch open cases; record what was removed")
        check.add_argument("--timeout", type=float, default=argparse.SUPPRESS,
                           metavar="SECONDS", help="per page (default 30)")
        _shared(check, evidence=True, sources=True)
        add_output_arguments(check)

    def run(self, args: argparse.Namespace) -> int:
        action = getattr(args, "action", None)
        if action is None:
            return self.draft(args)
        if args.post or args.seller or args.query:
            raise UsageError(f"--post, --seller and --query draft cases; not with {action}")
        return getattr(self, action)(args)

    # -- drafting ----------------------------------------------------------------------------
    def draft(self, args: argparse.Namespace) -> int:
        from ops.takedown import browser_sources
        from ops.takedown.config import load_config
        from ops.takedown.draft import check_ledger, draft, select_posts
        from ops.takedown.redaction import redact_key

        if not (args.post or args.seller or args.query):
            raise UsageError("name what to take down: --post ID, --seller CONTACT or "
                             "--query TEXT (or an action: list, show, mark, verify)")
        config = load_config(args.config)
        config.need_requester()
        with open_store(args.store, create=False) as store:
            check_ledger(store)
            posts, target = select_posts(store, post_ids=args.post, seller=args.seller,
                                         query=args.query)
            with AuditLog() as audit:  # an export that cannot be logged does not happen
                drafted = draft(
                    store, config, posts, target, out=Path(args.out),
                    evidence_root=evidence_root(args.evidence), key=redact_key(), by=who(),
                    live=not args.no_live, timeout=args.timeout,
                    wait_for=browser_sources(args.sources_file),
                )
                for case in drafted:
                    audit.record(self.name, {**target, "case": case.id}, case.posts,
                                 str(case.folder))
        rows = [{"case": c.id, "platform": c.platform, "posts": c.posts,
                 "report_to": c.report_to, "folder": str(c.folder)} for c in drafted]
        write_table(rows, DRAFT_COLUMNS, sys.stdout, title=f"{len(rows)} case(s) drafted")
        for case in drafted:
            for note in case.notes:
                print(f"heishi takedown: {case.id}: {note}", file=sys.stderr)
        return 0

    # -- the ledger --------------------------------------------------------------------------
    def list(self, args: argparse.Namespace) -> int:
        states = list(args.state or []) + (list(OPEN_CASE_STATES) if args.open else [])
        with open_store(args.store, create=False) as store:
            cases = store.cases(states or None)
        output = Output(args, "takedown list")
        rows = [case_row(case) for case in cases]
        query = {"state": states or None, "store": args.store}
        if output.format == "json":
            output.write([{**row, "posts": case["posts"], "events": case["events"]}
                          for row, case in zip(rows, cases, strict=True)], (), query=query)
        else:
            columns = CSV_COLUMNS if output.format == "csv" else LIST_COLUMNS
            output.write(rows, columns, title=f"{len(rows)} takedown case(s)", query=query)
            if output.format == "table" and output.path is None and rows:
                write_table(platform_summary(rows), SUMMARY_COLUMNS, sys.stdout,
                            title="which requests worked, and how fast")
        return 0

    def show(self, args: argparse.Namespace) -> int:
        with open_store(args.store, create=False) as store:
            case = store.get_case(_resolve(store, args.case))
        output = Output(args, "takedown show")
        query = {"case": case["id"], "store": args.store}
        if output.format == "json":
            output.write([{**case_row(case), "posts": case["posts"], "events": case["events"]}],
                         (), query=query)
            return 0
        events = [{**event, "post": (event["post_id"] or "")[:12]} for event in case["events"]]
        output.write(events, ("at", "by", "kind", "state", "post", "outcome", "note"),
                     title=f"case {case['id']} ({case['platform']}, {case['state']})",
                     query=query)
        if output.path is None and output.format == "table":
            write_table(case["posts"], ("post_id", "url", "removed_at"), sys.stdout,
                        title="posts")
        return 0

    def mark(self, args: argparse.Namespace) -> int:
        at = None
        if args.at:
            try:
                moment = datetime.fromisoformat(args.at)
            except ValueError:
                raise UsageError(f"--at {args.at!r} is not an ISO 8601 time") from None
            at = moment.isoformat()
        with open_store(args.store, create=False) as store:
            case = store.set_case_state(_resolve(store, args.case), args.state, by=who(),
                                        at=at, note=args.note)
        print(f"case {case['id']}: {args.state}")
        return 0

    def verify(self, args: argparse.Namespace) -> int:
        from ops.takedown.verify import verify_open_cases

        with open_store(args.store, create=False) as store:
            checks = verify_open_cases(store, evidence_root=evidence_root(args.evidence),
                                       by=who(), timeout=args.timeout,
                                       sources_file=args.sources_file)
            after = {c["id"]: c["state"] for c in store.cases()}
        rows = [{"case": c.case_id, "post": c.post_id, "url": c.url, "outcome": c.outcome,
                 "status": c.status, "note": c.note, "evidence": c.evidence_sha256}
                for c in checks]
        output = Output(args, "takedown verify")
        output.write(rows, CHECK_COLUMNS, title=f"{len(rows)} post(s) checked")
        removed = sorted({c.case_id for c in checks if after.get(c.case_id) == "removed"})
        if output.format == "table" and output.path is None:
            console_for(sys.stdout).print(f"removed now: {', '.join(removed) or 'none'}")
        return 0


def demo_case(store_location: str | None, evidence: str | None) -> str | None:
    """``heishi demo``'s last step, while the market is up: a takedown request for the
    newest listing of the demo forum, with a live screenshot. Returns what to tell; a
    failure is told, never fatal."""
    from index.query import SearchQuery
    from ops.errors import user_errors
    from ops.takedown.config import load_config
    from ops.takedown.draft import draft
    from ops.takedown.redaction import redact_key

    try:
        config = load_config(required=False)
        if config.requester is None:
            return "takedown: no requester in takedown.yaml; no demo request drafted"
        with open_store(store_location, create=False) as store:
            hits = store.search(SearchQuery(source=["demo-forum"], limit=20)).hits
            posts = [hit for hit in hits if hit.get("is_listing")][:1]
            if not posts:
                return None
            for case in store.cases(OPEN_CASE_STATES):  # run again: no second request
                if posts[0]["id"] in {t["post_id"] for t in case["posts"]}:
                    return (f"takedown: the newest forum listing is in open case {case['id']} "
                            f"already ({case['bundle']}); `heishi takedown list` shows it")
            location = store_location or default_store_location()
            out = Path(location).parent / "takedown"  # beside the demo's store
            (case,) = draft(store, config, posts, {"post": [posts[0]["id"]]}, out=out,
                            evidence_root=evidence_root(evidence), key=redact_key(),
                            by=who(), timeout=15)
    except user_errors() as exc:
        return f"takedown: no demo request drafted: {exc}"
    return (f"takedown request drafted for the newest forum listing: {case.folder}/ "
            "(request.zh.md, request.en.md, request.eml, evidence.zip); "
            "`heishi takedown list` shows the case")


def _shared(parser: argparse.ArgumentParser, *, evidence: bool = False,
            sources: bool = False, top: bool = False) -> None:
    """Options an action takes after its name too (``takedown list --store X``). On an
    action, SUPPRESS keeps a value given before the action's name."""
    default = None if top else argparse.SUPPRESS
    if not top:  # the command's own parser has --store already
        parser.add_argument("--store", metavar="PATH", default=default,
                            help="store location (default: $HEISHI_STORE, else var/heishi.db)")
    if evidence:
        parser.add_argument("--evidence", metavar="DIR", default=default,
                            help="evidence folder (default: $HEISHI_EVIDENCE, else "
                                 "var/evidence)")
    if sources or evidence:
        parser.add_argument("--sources-file", metavar="FILE", default=default,
                            help="sources file, for pages that need a browser")


def _resolve(store, case: str) -> str:
    """A case id as typed: the whole id, or a start only one case has."""
    if store.get_case(case) is not None:
        return case
    matches = [c["id"] for c in store.cases() if c["id"].startswith(case)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UsageError(f"no case {case!r} in the ledger (heishi takedown list shows them)")
    raise UsageError(f"{case!r} could be {', '.join(matches[:5])}: give more of the id")


def case_row(case: dict) -> dict:
    """One case as a row: its dates and how long removal took (from sending, else drafting)."""
    events = [e for e in case["events"] if e["kind"] == "state"]
    sent = next((e["at"] for e in events if e["state"] == "sent"), None)
    removed = next((e["at"] for e in reversed(events) if e["state"] == "removed"), None) \
        if case["state"] == "removed" else None
    checks = [e["at"] for e in case["events"] if e["kind"] == "check"]
    took = None
    if removed:
        start = sent if sent and sent <= removed else case["created_at"]
        took = (datetime.fromisoformat(removed) - datetime.fromisoformat(start)).total_seconds()
    return {
        "id": case["id"], "platform": case["platform"], "state": case["state"],
        "posts": len(case["posts"]),
        "gone": sum(1 for p in case["posts"] if p["removed_at"]),
        "drafted": case["created_at"], "sent": sent, "removed": removed,
        "time_to_removal": _duration(took),
        "time_to_removal_hours": None if took is None else round(took / 3600, 2),
        "last_checked": max(checks) if checks else None,
        "report_to": case["report_to"], "host": case["host"], "bundle": case["bundle"],
        "created_by": case["created_by"],
    }


def platform_summary(rows: list[dict]) -> list[dict]:
    """Per platform: cases, how many are open, removed, rejected, and the median time to
    removal of the removed ones."""
    by: dict[str, list[dict]] = {}
    for row in rows:
        by.setdefault(row["platform"], []).append(row)
    summary = []
    for platform, cases in sorted(by.items()):
        took = [r["time_to_removal_hours"] * 3600 for r in cases
                if r["time_to_removal_hours"] is not None]
        summary.append({
            "platform": platform, "cases": len(cases),
            "open": sum(r["state"] in OPEN_CASE_STATES for r in cases),
            "removed": sum(r["state"] == "removed" for r in cases),
            "rejected": sum(r["state"] == "rejected" for r in cases),
            "median_time_to_removal": _duration(statistics.median(took)) if took else None,
        })
    return summary


def _duration(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m"
