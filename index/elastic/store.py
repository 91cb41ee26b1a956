"""The Elasticsearch store: the :class:`index.store.Store` interface over a cluster.

Writes go through ``elasticsearch.helpers.streaming_bulk`` (chunked, 429s retried with
exponential backoff); requests and answers are built and read by the pure functions of
:mod:`index.elastic.documents` and :mod:`index.elastic.queries`, so this class only moves them.

Elasticsearch makes a write searchable at the next refresh, not at once. A caller of this
store expects to read what it just wrote (a crawl counts its run, a test searches what it
stored), so a store remembers which kinds it wrote to and refreshes them before its next
search-based read; other processes see the writes within the refresh interval.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator, Sequence

import elasticsearch
from elasticsearch import helpers

from index.elastic import documents, mappings, queries
from index.elastic.connection import (
    CLIENT_ERRORS,
    EXACT_PERCENTILES_SINCE,
    ConnectionSettings,
    check_reachable,
    connect,
    connection_settings,
    server_version,
    translated_errors,
)
from index.errors import StoreError
from index.query import (
    CONTACT_TYPES,
    Filters,
    SearchQuery,
    SearchResult,
    TrendQuery,
    parse_contact,
)
from index.records import CrawlRun, Post, check_run, utcnow
from index.store import Store, UpsertOutcome

PREFIX_ENV = "HEISHI_ES_PREFIX"
CONFLICT_ROUNDS = 5  # re-read and retry a post this often when another writer got there first
MAX_REPORTED_ERRORS = 3


class ElasticStore(Store):
    """Posts, offers, sellers and crawl runs in Elasticsearch indices named ``<prefix>-*``.

    ``url`` is the cluster (``http(s)://host:9200``; ``es://`` means http); ``prefix`` starts
    every index name (default ``$HEISHI_ES_PREFIX``, else ``heishi``); credentials and
    TLS come from the environment or ``$HEISHI_ES_CONFIG`` (see
    :func:`index.elastic.connection.connection_settings`). Bulk writes send ``chunk_size``
    actions a request and retry a rejected (429) chunk up to ``bulk_retries`` times, waiting
    ``initial_backoff`` seconds, doubling up to ``max_backoff``.
    """

    def __init__(
        self,
        url: str | None = None,
        prefix: str | None = None,
        *,
        chunk_size: int = 500,
        bulk_retries: int = 5,
        initial_backoff: float = 1.0,
        max_backoff: float = 30.0,
        request_timeout: float | None = None,
        max_retries: int | None = None,
        **_sqlite_options,  # timeout, readonly...: an embedded store's, meaningless here
    ) -> None:
        self.settings: ConnectionSettings = connection_settings(
            url, request_timeout=request_timeout, max_retries=max_retries
        )
        self.url = self.settings.url
        self.prefix = prefix or os.environ.get(PREFIX_ENV) or mappings.DEFAULT_PREFIX
        if not mappings.valid_prefix(self.prefix):
            raise StoreError(
                f"index prefix {self.prefix!r} is not a valid index name start "
                "(lower case letters, digits, '-' and '_')"
            )
        self.chunk_size = chunk_size
        self.bulk_retries = bulk_retries
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.client = connect(self.settings)
        self._set_up = False
        self._indices: set[str] = set()  # concrete indices known to exist
        self._dirty: set[str] = set()
        # Fail here, in one line, not in the middle of a crawl; a key without the cluster
        # monitor privilege gets a 403 here and is fine (its version stays unknown).
        self.version = server_version(check_reachable(self.client, self.url))

    def __repr__(self) -> str:
        return f"ElasticStore({self.url!r}, prefix={self.prefix!r})"

    def _no_cases(self) -> StoreError:
        # The ledger needs a state change checked and recorded atomically, and an
        # append-only history; on Elasticsearch that is optimistic concurrency over a cases
        # index, not built yet. Saying so beats a ledger that can lose a state change.
        return StoreError(
            f"{self.url}: takedown cases are not supported on Elasticsearch yet; keep the case "
            "ledger in the embedded store (--store var/heishi.db, or $HEISHI_STORE)"
        )

    # -- plumbing ------------------------------------------------------------------------
    def _errors(self, doing: str):
        return translated_errors(self.url, doing)

    def alias(self, kind: str) -> str:
        return mappings.alias(self.prefix, kind)

    @property
    def _posts_index(self) -> str:
        """Reads by id (get, mget, exists) name the concrete index: through an alias they
        fail as soon as it spans two indices (elasticsearch #26976)."""
        return mappings.single_index(self.prefix, "posts")

    def setup(self, *, admin: bool = False) -> None:
        """Put the index templates, create the single indices, bring mappings up to date.

        Safe to repeat and to race: an index another process created meanwhile is fine. A
        field added to a mapping in a later heishi reaches existing indices here (adding is
        allowed; a changed type is refused by the cluster and reported).

        Templates and mappings are an administrator's business (cluster privilege
        ``manage_index_templates``, index privilege ``manage``); a crawler's key has index
        rights only. Without ``admin`` a refusal (403) of those steps is passed over, once the
        indices are seen to carry heishi's mapping (so an administrator ran
        ``heishi index setup`` before); with ``admin`` it is an error.
        """
        with self._errors("set up indices"):
            installed = self._admin_step(
                admin,
                lambda: [
                    self.client.indices.put_index_template(name=name, **body)
                    for name, body in mappings.index_templates(self.prefix).items()
                ],
            )
            for kind in ("posts", "sellers", "runs"):
                self._create_index(mappings.single_index(self.prefix, kind))
            for kind in mappings.KINDS:
                self._admin_step(
                    admin,
                    lambda kind=kind: self.client.indices.put_mapping(
                        index=mappings.index_pattern(self.prefix, kind),
                        allow_no_indices=True,
                        ignore_unavailable=True,
                        **mappings.mapping(kind),
                    ),
                )
            if not installed:
                self._check_mapped(mappings.single_index(self.prefix, "posts"))
        self._set_up = True

    @staticmethod
    def _admin_step(admin: bool, step) -> bool:
        """Run an administrator's step; False when a least-privilege key was refused it."""
        try:
            step()
        except elasticsearch.AuthorizationException:
            if admin:
                raise
            return False
        return True

    def _check_mapped(self, index: str) -> None:
        """An index created without heishi's template would map scraped fields dynamically
        (and wrongly): refuse to write until an administrator has set the indices up."""
        answer = self.client.indices.get_mapping(index=index)
        mapping = next(iter(answer.values()), {}).get("mappings", {})
        if mapping.get("dynamic") not in (False, "false"):
            raise StoreError(
                f"{self.url}: index {index} lacks heishi's mapping and this key may not install "
                "it; have an administrator run `heishi index setup` (see README: Elasticsearch "
                "privileges)"
            )

    def _create_index(self, index: str) -> None:
        """Create ``index`` from its template unless it exists (the template adds the alias)."""
        if index in self._indices:
            return
        try:
            self.client.indices.create(index=index)
        except elasticsearch.BadRequestError as exc:
            if exc.error != "resource_already_exists_exception":
                raise
        self._indices.add(index)

    def _create_indices_for(self, actions: list[dict]) -> None:
        """Create the monthly offer indices a batch writes to, rather than rely on the
        cluster creating them on first write (``action.auto_create_index`` may be off)."""
        needed = {a["_index"] for a in actions if a["_op_type"] != "delete"} - self._indices
        if needed:
            with self._errors("create indices"):
                for index in sorted(needed):
                    self._create_index(index)

    def _ensure_setup(self) -> None:
        if not self._set_up:
            self.setup()

    def _refresh(self, *kinds: str) -> None:
        wanted = [self.alias(kind) for kind in kinds if kind in self._dirty]
        if not wanted:
            return
        with self._errors("refresh"):
            self.client.indices.refresh(
                index=",".join(wanted), ignore_unavailable=True, allow_no_indices=True
            )
        self._dirty.difference_update(kinds)

    def _bulk(self, actions: Iterable[dict], doing: str) -> list[tuple[bool, dict]]:
        """Send actions; return ``(ok, item)`` for each (failed items are not raised here)."""
        actions = list(actions)
        if not actions:
            return []
        self._create_indices_for(actions)
        for action in actions:
            self._dirty.add(mappings.kind_of(self.prefix, action["_index"]))
        with self._errors(doing):
            return list(
                helpers.streaming_bulk(
                    self.client,
                    actions,
                    chunk_size=self.chunk_size,
                    max_retries=self.bulk_retries,
                    initial_backoff=self.initial_backoff,
                    max_backoff=self.max_backoff,
                    raise_on_error=False,
                    raise_on_exception=True,
                )
            )

    @staticmethod
    def _raise_failures(failures: list[dict], doing: str) -> None:
        if not failures:
            return
        shown = "; ".join(queries.describe_bulk_error(f) for f in failures[:MAX_REPORTED_ERRORS])
        more = f" (and {len(failures) - MAX_REPORTED_ERRORS} more)" if (
            len(failures) > MAX_REPORTED_ERRORS
        ) else ""
        raise StoreError(f"{doing}: {len(failures)} write(s) failed: {shown}{more}")

    def _bulk_conflicts(self, actions: Iterable[dict], doing: str) -> set[str]:
        """Send conditional writes; the ids of posts someone else changed since we read them
        (the caller reads those again and retries). Any other failure is raised."""
        conflicts, failures = set(), []
        for ok, item in self._bulk(actions, doing):
            if ok:
                continue
            op, result = next(iter(item.items()))
            if op == "delete" and result.get("status") == 404:
                continue  # already gone: what we wanted
            if result.get("status") == 409 and self._is_posts(result):
                conflicts.add(result.get("_id"))
            else:
                failures.append(item)
        self._raise_failures(failures, doing)
        return conflicts

    def _is_posts(self, result: dict) -> bool:
        return mappings.kind_of(self.prefix, result.get("_index", "")) == "posts"

    def _mget(self, ids: Iterable[str], doing: str, **options) -> dict[str, dict]:
        """Stored posts by id, with ``_seq_no``/``_primary_term``; realtime, no refresh."""
        found: dict[str, dict] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), self.chunk_size):
            chunk = unique[start : start + self.chunk_size]
            with self._errors(doing):
                try:
                    answer = self.client.mget(index=self._posts_index, ids=chunk, **options)
                except elasticsearch.NotFoundError:  # no posts index yet: nothing stored
                    return found
            found.update((doc["_id"], doc) for doc in answer["docs"] if doc.get("found"))
        return found

    # -- posts ---------------------------------------------------------------------------
    def upsert_posts(self, posts: Sequence[Post]) -> list[UpsertOutcome]:
        posts = list(posts)
        if not posts:
            return []
        self._ensure_setup()
        outcomes: list[UpsertOutcome | None] = [None] * len(posts)
        todo = list(range(len(posts)))
        index = mappings.single_index(self.prefix, "posts")
        for _round in range(CONFLICT_ROUNDS):
            hits = self._mget([posts[i].id for i in todo], "read posts")
            stored = {id_: hit["_source"] for id_, hit in hits.items()}
            for i in todo:
                post = posts[i]
                doc, outcomes[i] = documents.merge_post(post, stored.get(post.id))
                stored[post.id] = doc
            writes, moves = [], {}
            for id_ in dict.fromkeys(posts[i].id for i in todo):
                old = hits.get(id_)
                doc = stored[id_]
                moves[id_] = documents.moved_offer_actions(
                    self.prefix, doc, old and old["_source"]
                )
                writes.append(documents.post_write_action(index, doc, old))
            # The conditional post write first: offers follow only the posts it stored, so a
            # post that loses to another writer leaves its offers where they were.
            conflicts = self._bulk_conflicts(writes, "store posts")
            follow = [a for id_, actions in moves.items() if id_ not in conflicts
                      for a in actions]
            self._bulk_conflicts(follow, "move the offers of changed posts")
            todo = [i for i in todo if posts[i].id in conflicts]
            if not todo:
                return [outcome for outcome in outcomes if outcome is not None]
        raise StoreError(
            f"store posts: {len(todo)} post(s) kept changing under concurrent writers; "
            "try again"
        )

    def last_seen(self, ids: Iterable[str]) -> dict[str, str]:
        hits = self._mget(ids, "look up posts", source_includes=["last_seen"])
        return {id_: hit["_source"]["last_seen"] for id_, hit in hits.items()}

    def _get_post_hit(self, id: str) -> dict | None:
        with self._errors("read a post"):
            try:
                return self.client.get(index=self._posts_index, id=id)
            except elasticsearch.NotFoundError:
                return None

    def get_post(self, id: str) -> dict | None:
        hit = self._get_post_hit(id)
        return None if hit is None else documents.public_post(hit["_source"])

    def post_versions(self, id: str) -> list[dict]:
        hit = self._get_post_hit(id)
        return [] if hit is None else documents.public_versions(hit["_source"])

    def _scan(self, kind: str, body: dict, doing: str) -> Iterator[dict]:
        """Every hit of a query, a page at a time, from one point in time of the indices.

        A point in time with ``search_after`` on ``_shard_doc`` (rather than a scroll) is
        what Elasticsearch recommends for reading everything: writes made meanwhile neither
        skip nor repeat hits. A page missing shards is an error, not a silent short read.
        """
        self._refresh(kind)
        with self._errors(doing):
            try:
                pit = self.client.open_point_in_time(
                    index=self.alias(kind), keep_alive=queries.PIT_KEEP_ALIVE
                )["id"]
            except elasticsearch.NotFoundError:  # nothing of this kind written yet
                return
            try:
                after = None
                while True:
                    answer = self.client.search(
                        **queries.build_page_request(body["query"], pit, self.chunk_size, after)
                    )
                    queries.raise_shard_failures(answer, f"{self.url}: {doing}")
                    page = queries.hits(answer)
                    yield from page
                    if len(page) < self.chunk_size:  # a short page is the last one
                        return
                    pit = answer.get("pit_id") or pit
                    after = page[-1]["sort"]
            finally:
                try:
                    self.client.close_point_in_time(id=pit)
                except CLIENT_ERRORS:  # it expires by itself; the read already succeeded
                    pass

    def iter_posts(self, source: str | None = None) -> Iterator[dict]:
        for hit in self._scan("posts", queries.posts_of_source(source), "read posts"):
            yield documents.public_post(hit["_source"])

    # -- extraction ----------------------------------------------------------------------
    def put_extraction(self, post_id: str, extraction: dict, extractor_version: str) -> None:
        self.put_extractions([(post_id, extraction, extractor_version)])

    def put_extractions(self, items: Iterable[tuple[str, dict, str]]) -> None:
        """Many extractions in one bulk request (re-extraction, imports)."""
        items = list(items)
        if not items:
            return
        self._ensure_setup()
        for _round in range(CONFLICT_ROUNDS):
            hits = self._mget([post_id for post_id, _, _ in items], "read posts")
            missing = [post_id for post_id, _, _ in items if post_id not in hits]
            if missing:
                raise StoreError(f"no post {missing[0]!r} to attach offers to")
            actions: list[dict] = []
            # The last extraction of a post wins, as it would one call at a time.
            latest = {post_id: (extraction, version) for post_id, extraction, version in items}
            for post_id, (extraction, version) in latest.items():
                actions.extend(
                    documents.extraction_actions(self.prefix, hits[post_id], extraction, version)
                )
            conflicts = self._bulk_conflicts(actions, "store offers")
            items = [item for item in items if item[0] in conflicts]
            if not items:
                return
        raise StoreError("store offers: posts kept changing under concurrent writers; try again")

    # -- crawl runs ----------------------------------------------------------------------
    def start_run(self, run: CrawlRun) -> CrawlRun:
        check_run(run)
        self._ensure_setup()
        run.id = documents.new_run_id(run)
        self._write_run(run, "record a crawl run")
        return run

    def finish_run(self, run: CrawlRun) -> None:
        if run.id is None:
            self.start_run(run)
            return
        check_run(run)
        if run.finished_at is None:
            run.finished_at = utcnow()
        self._ensure_setup()
        with self._errors("record the end of a crawl run"):
            exists = self.client.exists(
                index=mappings.single_index(self.prefix, "runs"), id=str(run.id)
            )
        if not exists:
            raise StoreError(f"{self.url}: no crawl run {run.id} to finish")
        self._write_run(run, "record the end of a crawl run")

    def _write_run(self, run: CrawlRun, doing: str) -> None:
        with self._errors(doing):
            self.client.index(
                index=mappings.single_index(self.prefix, "runs"),
                id=str(run.id),
                document=documents.run_document(run),
            )
        self._dirty.add("runs")

    def runs(self, source: str | None = None, limit: int = 50) -> list[CrawlRun]:
        self._refresh("runs")
        body = queries.build_runs_request(source, limit)
        answer = self._search("runs", body, "read crawl runs")
        return [documents.run_from_document(hit["_source"]) for hit in queries.hits(answer)]

    # -- reading -------------------------------------------------------------------------
    def _search(self, kind: str, body: dict, doing: str) -> dict:
        self._refresh(kind)
        with self._errors(doing):
            return self.client.search(
                index=self.alias(kind),
                ignore_unavailable=True,
                allow_no_indices=True,
                **body,
            )

    def stats(self) -> dict:
        answers = {
            kind: self._search(kind, body, "count")
            for kind, body in queries.build_stats_requests().items()
        }
        return queries.read_stats(answers)

    def drop(self) -> None:
        """Delete every index and template of this prefix (tests, and starting over)."""
        patterns = ",".join(mappings.index_pattern(self.prefix, k) for k in mappings.KINDS)
        with self._errors("drop indices"):
            # Clusters refuse wildcard deletes (action.destructive_requires_name): name them.
            names = sorted(
                self.client.indices.get(
                    index=patterns, ignore_unavailable=True, allow_no_indices=True
                )
            )
            for start in range(0, len(names), 50):
                self.client.indices.delete(index=",".join(names[start : start + 50]))
            for name in mappings.index_templates(self.prefix):
                try:
                    self.client.indices.delete_index_template(name=name)
                except elasticsearch.NotFoundError:
                    pass
        self._set_up = False
        self._indices.clear()
        self._dirty.clear()

    # -- copying in ----------------------------------------------------------------------
    def import_posts(self, rows: Iterable[tuple[dict, list[dict], dict | None]]) -> dict:
        """Write posts copied from another store: their own ids, times, versions and offers.

        ``rows`` yields ``(post, versions, extraction_or_None)`` as
        :func:`index.elastic.documents.copy_actions` reads them; it is consumed in chunks, so
        a store of any size streams through. Returns counts of what was written.
        """
        self._ensure_setup()
        counts = {"posts": 0, "versions": 0, "offers": 0}
        failures: list[dict] = []
        rows = iter(rows)
        while chunk := tuple(itertools.islice(rows, self.chunk_size)):
            stored = self._mget([post["id"] for post, _, _ in chunk], "read posts",
                                source_includes=["offer_refs"])
            refs = {id_: hit["_source"].get("offer_refs") for id_, hit in stored.items()}
            actions = list(documents.copy_actions(self.prefix, chunk, refs))
            for ok, item in self._bulk(actions, "copy posts"):
                op, result = next(iter(item.items()))
                if not ok and not (op == "delete" and result.get("status") == 404):
                    failures.append(item)
            counts["posts"] += len(chunk)
            counts["versions"] += sum(len(versions) for _, versions, _ in chunk)
            counts["offers"] += sum(
                1 for a in actions
                if a["_op_type"] == "index" and mappings.kind_of(self.prefix, a["_index"])
                == "offers"
            )
        self._raise_failures(failures, "copy posts")
        return counts

    def import_runs(self, runs: Iterable[CrawlRun]) -> int:
        """Write crawl runs copied from another store, under their own ids."""
        self._ensure_setup()
        actions = [documents.run_action(self.prefix, run) for run in runs]
        failures = [item for ok, item in self._bulk(actions, "copy crawl runs") if not ok]
        self._raise_failures(failures, "copy crawl runs")
        return len(actions)

    def search(self, query: SearchQuery) -> SearchResult:
        answer = self._search("posts", queries.build_search_request(query), "search")
        return SearchResult(
            total=queries.total(answer),
            hits=[documents.search_hit(hit["_source"]) for hit in queries.hits(answer)],
            facets=queries.read_facets(answer),
        )

    def trend(self, query: TrendQuery) -> list[dict]:
        rows: list[dict] = []
        after = None
        while True:
            answer = self._search("offers", queries.build_trend_request(query, after), "trend")
            queries.raise_shard_failures(answer, f"{self.url}: trend")
            rows.extend(queries.read_trend(query, answer))
            after = queries.trend_after_key(answer)
            if after is None:
                return queries.sort_trend(query, rows)
            if len(rows) >= queries.MAX_TREND_ROWS:
                raise StoreError(
                    f"trend: more than {queries.MAX_TREND_ROWS:,} rows; narrow the range "
                    "(--since/--until), choose a longer --interval or fewer --by values"
                )

    def approximate_figures(self) -> list[str]:
        figures = [f"sellers above {queries.BUCKET_PRECISION:,} per period"]
        if self.version is None or self.version < EXACT_PERCENTILES_SINCE:
            figures.append("quartiles (server version before 8.9 or unknown)")
        else:
            figures.append("quartiles of periods with several thousand offers")
        return figures

    def seller(self, contact: str) -> dict | None:
        key = parse_contact(contact)
        typed = key.partition(":")[0] in CONTACT_TYPES
        posts = [
            hit["_source"]
            for hit in self._scan("posts", queries.build_seller_query(key, typed),
                                  "look up a seller")
        ]
        return documents.seller_summary(key, typed, posts)

    def iter_offers(self, filters: Filters | None = None) -> Iterator[dict]:
        body = {"query": queries.offer_query(filters or Filters())}
        for hit in self._scan("offers", body, "read offers"):
            yield documents.public_offer(hit["_source"])

    def flush(self) -> None:
        self._refresh(*mappings.KINDS)

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing a pool must not hide the real error
            pass
