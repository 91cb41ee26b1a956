"""``heishi index copy --to es [URL]``: move an embedded store into Elasticsearch.

A team starts on the SQLite store and moves to a cluster when one machine is not enough; the
copy keeps every post's own id, times and earlier versions, its offers and contacts, and the
crawl runs, so nothing is re-crawled and copying twice gives the same documents. Data leaving
the machine is an export: it is recorded in the audit log (opened first, so a copy that cannot
be logged does not start).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from index.query import SearchQuery
from index.store import Store, default_store_location, open_store
from ops.audit import AuditLog
from ops.commands import HeishiCommand
from ops.errors import UsageError
from ops.render import Output

PAGE = 1000  # posts read from the source a page
ALL_RUNS = 1_000_000_000
COUNTED = ("posts", "listings", "offers", "sellers", "runs")


def copy_rows(source: Store) -> Iterator[tuple[dict, list[dict], dict | None]]:
    """Every post of ``source`` with its earlier versions and its extraction, oldest first.

    Search hits carry a post's offers and every contact (``iter_offers`` knows only the first
    contact, the seller key), so the source is read through ``search`` a page at a time.
    """
    offset = 0
    while True:
        page = source.search(SearchQuery(limit=PAGE, offset=offset, sort="oldest"))
        for hit in page.hits:
            offers, contacts = hit.pop("offers", []), hit.pop("contacts", [])
            extracted = hit.get("extractor_version") is not None or offers or contacts
            extraction = (
                {"is_listing": hit.get("is_listing"), "offers": offers, "contacts": contacts}
                if extracted
                else None
            )
            yield hit, source.post_versions(hit["id"]), extraction
        if len(page.hits) < PAGE:
            return
        offset += PAGE


def progress(rows: Iterator, total: int, out=None) -> Iterator:
    """Pass rows through, telling ``out`` (stderr) how far the copy is every ``PAGE`` posts."""
    out = out or sys.stderr  # looked up now: the stream may have been replaced since import
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PAGE == 0 or done == total:
            print(f"copied {done}/{total} posts", file=out, flush=True)


class Command(HeishiCommand):
    name = "index"
    help = "manage the index: set up Elasticsearch, copy an embedded store into it"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        copy = actions.add_parser(
            "copy",
            help="copy posts (with versions), offers, sellers and crawl runs to Elasticsearch",
            description="Copy an embedded store into Elasticsearch; running it again "
            "overwrites the same documents. Credentials come from ES_API_KEY or "
            "ES_USERNAME/ES_PASSWORD (and ES_CA_CERTS), never from the command line.",
        )
        copy.add_argument("--to", choices=["es"], required=True, help="target backend")
        copy.add_argument("url", nargs="?", metavar="URL",
                          help="Elasticsearch URL (default: $ES_URL)")
        copy.add_argument("--store", metavar="PATH",
                          help="embedded store to copy (default: $HEISHI_STORE, else "
                          "var/heishi.db)")
        copy.add_argument("--prefix",
                          help="index name prefix (default: $HEISHI_ES_PREFIX, else heishi)")
        setup = actions.add_parser(
            "setup",
            help="install heishi's index templates and indices (an administrator's key)",
            description="Put the index templates, create the indices and bring their mappings "
            "up to date. Needs the cluster privilege manage_index_templates and index privilege "
            "manage on <prefix>-*; crawlers and analysts then work with index rights only "
            "(README: Elasticsearch privileges). Safe to run again after an upgrade.",
        )
        setup.add_argument("url", nargs="?", metavar="URL",
                           help="Elasticsearch URL (default: $ES_URL)")
        setup.add_argument("--prefix",
                           help="index name prefix (default: $HEISHI_ES_PREFIX, else heishi)")

    def run(self, args: argparse.Namespace) -> int:
        from index.elastic import ElasticStore

        if args.action == "setup":
            with ElasticStore(args.url, prefix=args.prefix) as target:
                target.setup(admin=True)
                print(f"set up {target.prefix}-* templates and indices on {target.url}")
            return 0
        location = args.store or default_store_location()
        if location.startswith(("http://", "https://", "es://")):
            raise UsageError(
                f"--store {location}: copy reads an embedded store; give its file with --store"
            )
        with open_store(location, create=False) as source, AuditLog() as audit:
            before = source.stats()
            target = ElasticStore(args.url, prefix=args.prefix)
            query = {"store": location, "to": target.url, "prefix": target.prefix}
            copied = {"posts": 0, "versions": 0, "offers": 0, "runs": 0}
            status = "failed"
            try:
                rows = progress(copy_rows(source), before["posts"])
                copied.update(target.import_posts(rows))
                copied["runs"] = target.import_runs(source.runs(limit=ALL_RUNS))
                target.flush()
                after = target.stats()
                status = "ok"
            finally:
                audit.record(
                    "index copy", {**query, "status": status}, copied["posts"],
                    f"{target.url} {target.prefix}-*",
                )
                target.close()
        rows = [
            {"what": name, "source": before[name], "elasticsearch": after[name]}
            for name in COUNTED
        ]
        rows.append({"what": "versions", "source": None, "elasticsearch": copied["versions"]})
        Output(args, self.name).write(
            rows, ("what", "source", "elasticsearch"),
            title=f"copied {location} to {target.url} ({target.prefix}-*)",
        )
        return 0
