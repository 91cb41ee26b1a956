"""Drafting: the targeted posts, one case per host platform, written whole or not at all.

Every file of every case is written under a hidden staging folder inside ``--out`` first;
only when all cases are complete are they renamed into place (a rename within one folder is
atomic), and only then recorded in the ledger. A failure anywhere (a post missing, a page
timing out, a folder not writable, victims' data found where it must not be) leaves no case
folder and no ledger entry behind.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from index.query import MAX_LIMIT, SearchQuery
from index.records import OPEN_CASE_STATES
from index.store import Store
from ops.errors import UsageError
from ops.takedown import bundle as bundles
from ops.takedown import request as requests
from ops.takedown.browser import Chromium
from ops.takedown.config import Platform, TakedownConfig
from ops.takedown.redaction import victim_tokens

BUNDLE_NAME = "evidence.zip"


@dataclass
class Drafted:
    id: str
    platform: str
    report_to: str | None
    posts: int
    folder: Path
    notes: list[str]


def check_ledger(store: Store) -> None:
    """A store without a case ledger (Elasticsearch, for now) says so before any work."""
    store.get_case("")


def select_posts(store: Store, *, post_ids: list[str] | None = None, seller: str | None = None,
                 query: str | None = None) -> tuple[list[dict], dict]:
    """The targeted posts with offers and contacts, and how they were chosen."""
    if post_ids:
        found = store.posts_with_offers(post_ids)
        missing = [id for id in post_ids if id not in {p["id"] for p in found}]
        if missing:
            raise UsageError(f"no post {missing[0]!r} in the store; nothing written")
        return found, {"post": list(post_ids)}
    if seller:
        hits = store.search(SearchQuery(seller=[seller], limit=MAX_LIMIT)).hits
        target = {"seller": seller}
        what = f"no posts by seller {seller!r} in the store"
    elif query:
        hits = store.search(SearchQuery(text=query, limit=MAX_LIMIT)).hits
        target = {"query": query}
        what = f"no posts match {query!r}"
    else:
        raise UsageError("name what to take down: --post ID, --seller CONTACT or --query TEXT")
    listings = [hit for hit in hits if hit.get("is_listing") is not False]
    if not listings:
        raise UsageError(f"{what}{' that are listings' if hits else ''}; nothing written")
    return sorted(listings, key=lambda p: (p.get("posted_at") or "", p["id"])), target


def group_by_platform(posts: list[dict], config: TakedownConfig
                      ) -> list[tuple[Platform, list[dict]]]:
    """One group per host platform, in the order the platforms first occur."""
    groups: dict[str, tuple[Platform, list[dict]]] = {}
    unknown: dict[str, int] = {}
    for post in posts:
        platform = config.platform_of(post.get("url"), post.get("source"))
        if platform is None:
            where = post.get("url") or f"source {post.get('source')}"
            unknown[where] = unknown.get(where, 0) + 1
            continue
        groups.setdefault(platform.id, (platform, []))[1].append(post)
    if unknown:
        first = next(iter(unknown))
        raise UsageError(
            f"no host platform is configured for {first}"
            f"{f' and {len(unknown) - 1} more' if len(unknown) > 1 else ''}: name its host "
            f"under platforms: in {config.where}; nothing written"
        )
    for platform, _ in groups.values():
        if not platform.report_to:
            raise UsageError(f"{config.where}: platforms.{platform.id}.report_to: where "
                             f"{platform.name['en']} takes reports is not configured; "
                             "nothing written")
    return list(groups.values())


def draft(store: Store, config: TakedownConfig, posts: list[dict], target: dict, *, out: Path,
          evidence_root: Path, key: bytes, by: str, live: bool = True,
          timeout: float = 30.0, wait_for: dict[str, str | None] | None = None
          ) -> list[Drafted]:
    requester = config.need_requester()
    check_ledger(store)
    groups = group_by_platform(posts, config)
    already = {t["post_id"]: case["id"] for case in store.cases(OPEN_CASE_STATES)
               for t in case["posts"] if not t["removed_at"]}
    known = victim_tokens(p.get("text") or "" for p in posts)
    known |= _tokens_of_same_pages(store, posts)
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".takedown-", dir=out))
    except OSError as exc:
        raise UsageError(f"cannot write to {out}: {exc.strerror or exc}; nothing written, "
                         "the ledger is unchanged") from None
    now = datetime.now(UTC).replace(microsecond=0)
    placed: list[Path] = []
    try:
        cases, drafted = [], []
        with Chromium(timeout) as browser:
            for platform, group in groups:
                case = {"id": f"TD-{now:%Y%m%d}-{secrets.token_hex(3)}",
                        "platform": platform.id, "created_at": now.isoformat(),
                        "created_by": by, "report_to": platform.report_to}
                views = [requests.post_view(post) for post in group]
                texts = requests.render(case, platform, requester, views, BUNDLE_NAME)
                built = bundles.build(case, group, views, texts, evidence_root=evidence_root,
                                      key=key, known=known, browser=browser, live=live,
                                      wait_for=wait_for or {})
                folder = staging / case["id"]
                folder.mkdir()
                for language, text in texts.items():
                    (folder / f"request.{language}.md").write_text(text, encoding="utf-8")
                (folder / BUNDLE_NAME).write_bytes(built.data)
                (folder / "request.eml").write_bytes(requests.email(
                    case, platform, requester, texts, (BUNDLE_NAME, built.data), now))
                hosts = sorted({_host(p.get("url")) for p in group if p.get("url")})
                cases.append({
                    **case, "host": ", ".join(hosts) or None, "target": target,
                    "bundle": str((out / case["id"]).resolve()),
                    "posts": [{"post_id": p["id"], "url": p.get("url"),
                               "evidence_sha256": p.get("evidence_sha256")} for p in group],
                })
                notes = [f"post {p['id']} is in open case {already[p['id']]} too"
                         for p in group if p["id"] in already] + built.notes
                drafted.append(Drafted(case["id"], platform.id, platform.report_to, len(group),
                                       out / case["id"], notes))
        for case in cases:
            final = out / case["id"]
            (staging / case["id"]).rename(final)
            placed.append(final)
        store.add_cases(cases)
        return drafted
    except OSError as exc:
        _remove(placed)
        raise UsageError(f"cannot write the case to {out}: {exc.strerror or exc}; nothing "
                         "written, the ledger is unchanged") from None
    except BaseException:
        _remove(placed)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _tokens_of_same_pages(store: Store, posts: list[dict]) -> set[str]:
    """Tokens of every stored post read from the pages the bundle carries: a listing page
    shows other sellers' samples too, and the crawl redacted them in those posts."""
    wanted: dict[str, set[str]] = {}
    for post in posts:
        if post.get("evidence_sha256"):
            wanted.setdefault(post["source"], set()).add(post["evidence_sha256"])
    texts = []
    for source, shas in wanted.items():
        texts += [p.get("text") or "" for p in store.iter_posts(source)
                  if p.get("evidence_sha256") in shas]
    return victim_tokens(texts)


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _remove(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
