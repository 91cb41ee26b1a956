"""The export audit log: who took which data out of the index, when, and where it went.

Listings name sellers and contacts; teams that share exports with platforms or police must be
able to say afterwards what left the tool. Each export appends one JSON line to
``$HEISHI_AUDIT_LOG`` (default ``var/audit.log``). The log is opened before the export is
written, so an export that cannot be logged does not happen. It is owner-only, like the store.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

from index.private import open_private, private_dir
from index.records import utcnow
from ops.errors import UsageError

AUDIT_ENV = "HEISHI_AUDIT_LOG"
ANALYST_ENV = "HEISHI_ANALYST"
DEFAULT_AUDIT_LOG = Path("var") / "audit.log"


def audit_log_location() -> Path:
    return Path(os.environ.get(AUDIT_ENV) or DEFAULT_AUDIT_LOG)


def who() -> str:
    """The system user, and the analyst's own name when ``$HEISHI_ANALYST`` gives it."""
    user = _user()
    analyst = os.environ.get(ANALYST_ENV)
    return f"{user} ({analyst})" if analyst else user


class AuditLog:
    """An open audit log; :meth:`record` appends one export."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else audit_log_location()
        try:
            private_dir(self.path.parent)
            fd = open_private(self.path, os.O_WRONLY | os.O_APPEND)
            # A file name that is not UTF-8 (POSIX allows it) is logged with \\udcXX escapes,
            # which JSON reads back, instead of failing after the export was written.
            self._handle = open(fd, "a", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
        except OSError as exc:
            raise UsageError(
                f"cannot write the audit log {self.path}: {exc.strerror or exc} "
                f"(set ${AUDIT_ENV} to a writable file); nothing was exported"
            ) from None

    def record(self, command: str, query: dict | None, rows: int, output: str) -> dict:
        entry = {
            "when": utcnow(),
            "who": who(),
            "user": _user(),
            "analyst": os.environ.get(ANALYST_ENV),
            "command": command,
            "query": query or {},
            "rows": rows,
            "output": output,
        }
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        self._handle.write(line)
        self._handle.flush()
        return entry

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def record_export(command: str, query: dict | None, rows: int, output: str) -> dict:
    """Append one export to the audit log (for exports not written through ``Output``)."""
    with AuditLog() as log:
        return log.record(command, query, rows, output)
