"""A periodic job of the tests' own, run by the real scheduler by textual reference."""

import os
from datetime import UTC, datetime


def touch() -> None:
    with open(os.environ["HEISHI_PROBE_FILE"], "a", encoding="utf-8") as out:
        out.write(datetime.now(UTC).isoformat() + "\n")
