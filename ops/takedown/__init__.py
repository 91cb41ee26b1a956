"""Takedown requests: from stored posts to a request a platform acts on, and its follow-up.

``heishi takedown`` drafts one case per host platform (:mod:`ops.takedown.draft`): the request
in Chinese and English from per-platform templates (:mod:`~ops.takedown.request`), an ``.eml``
ready to send, and an evidence bundle (:mod:`~ops.takedown.bundle`) with the captures, their
WARC records and screenshots (:mod:`~ops.takedown.browser`), victims' data masked throughout
(:mod:`~ops.takedown.redaction`). The case ledger lives in the store; ``takedown verify``
(:mod:`~ops.takedown.verify`) re-fetches open cases and records removals. The scheduler runs
:func:`scheduled_verify` daily.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger(__name__)

SCHEDULER = "scheduler"  # who the ledger says changed a case when the scheduler did


def browser_sources(sources_file: str | None = None) -> dict[str, str | None]:
    """Sources whose pages need JavaScript, and the CSS their pages are ready at. A sources
    file that cannot be read gives none: every page is then fetched over plain HTTP."""
    from crawlers.errors import ConfigError
    from crawlers.sources import load_sources

    try:
        sources = load_sources(sources_file)
    except (ConfigError, OSError) as exc:
        logger.warning("sources file not read (%s): pages are fetched without a browser", exc)
        return {}
    return {s.name: s.browser.wait_for for s in sources if s.browser is not None}


def scheduled_verify() -> None:
    """The scheduler's daily job: ``heishi takedown verify`` with the environment's store
    (``$HEISHI_STORE``), evidence folder (``$HEISHI_EVIDENCE``) and sources file."""
    from crawlers.evidence import evidence_root
    from index.errors import StoreError
    from index.store import default_store_location, open_store
    from ops.takedown.verify import verify_open_cases

    location = default_store_location()
    if not location.startswith(("http://", "https://", "es://")) and not os.path.exists(
            location):
        logger.info("takedown verify: no store at %s yet; nothing to check", location)
        return
    with open_store(location, create=False) as store:
        try:
            checks = verify_open_cases(store, evidence_root=evidence_root(), by=SCHEDULER)
        except StoreError as exc:  # e.g. an Elasticsearch store: no ledger to verify
            logger.warning("takedown verify: %s", exc)
            return
    gone = sum(check.outcome == "gone" for check in checks)
    logger.info("takedown verify: %d posts checked, %d gone", len(checks), gone)


__all__ = ["browser_sources", "scheduled_verify"]
