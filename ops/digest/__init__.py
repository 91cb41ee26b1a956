"""The weekly price-index digest: ``heishi digest`` and the scheduler's weekly job.

``scheduled_digest()`` (no arguments, configuration from the environment as the CLI reads it)
writes the latest complete week's digest to ``$HEISHI_DIGEST_DIR/<week>/`` (default
``var/digest/<week>``) and mails it when ``$HEISHI_DIGEST_TO`` is set.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from ops.digest.build import Digest, DigestError, Rates, Settings, build, latest_week, parse_week
from ops.errors import UsageError

DIR_ENV = "HEISHI_DIGEST_DIR"
TO_ENV = "HEISHI_DIGEST_TO"
FILES = ("digest.md", "digest.html", "digest.csv", "index.png", "medians.png")

__all__ = ["Digest", "DigestError", "Rates", "Settings", "Written", "build", "latest_week",
           "mail_message", "parse_week", "scheduled_digest", "write_digest"]


@dataclass
class Written:
    digest: Digest
    folder: Path
    charts: dict[str, bytes]

    @property
    def html(self) -> Path:
        return self.folder / "digest.html"


def default_folder(week: str) -> Path:
    return Path(os.environ.get(DIR_ENV) or Path("var") / "digest") / week


def write_digest(digest: Digest, folder: Path | str | None = None) -> Written:
    """Render everything in memory, then move the finished files into ``folder`` together:
    a failure on the way leaves no half-written digest behind."""
    from ops.digest import charts as draw
    from ops.digest import render

    folder = Path(folder) if folder else default_folder(digest.week)
    pngs = {"index": draw.index_chart(digest), "medians": draw.medians_chart(digest)}
    contents = {
        "digest.md": render.to_markdown(digest).encode("utf-8"),
        "digest.html": render.to_html(
            digest, {k: render.data_uri(v) for k, v in pngs.items()}).encode("utf-8"),
        "digest.csv": render.to_csv(digest).encode("utf-8"),
        "index.png": pngs["index"],
        "medians.png": pngs["medians"],
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".digest-", dir=folder))
    except OSError as exc:
        raise UsageError(f"cannot write the digest to {folder}: {exc.strerror or exc}") from None
    try:
        for name, data in contents.items():
            (staging / name).write_bytes(data)
        for name in contents:
            os.replace(staging / name, folder / name)
    except OSError as exc:
        raise UsageError(f"cannot write the digest to {folder}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Written(digest, folder, pngs)


def mail_message(written: Written, to: list[str]) -> EmailMessage:
    """A multipart mail: the digest as plain text, and as HTML with its charts inline."""
    from ops.digest import render

    digest = written.digest
    message = EmailMessage()
    market = digest.index()
    change = render.percent(market.change if market else None)
    message["Subject"] = (f"heishi price index {digest.week}: "
                          f"{render.number(market.index if market else None)} ({change})")
    message["To"] = ", ".join(to)
    message.set_content(render.to_markdown(digest))
    cids = {name: make_msgid(domain="heishi.local") for name in written.charts}
    html = render.to_html(digest, {name: f"cid:{cid[1:-1]}" for name, cid in cids.items()})
    message.add_alternative(html, subtype="html")
    html_part = message.get_payload()[1]
    for name, png in written.charts.items():
        html_part.add_related(png, maintype="image", subtype="png", cid=cids[name],
                              filename=f"{name}.png")
    return message


def scheduled_digest() -> None:
    """The scheduler's weekly job: the latest complete week's digest, mailed if configured."""
    from index.store import open_store
    from ops import mail

    with open_store(create=False) as store:
        monday = latest_week(store)
        digest = build(store, monday, Settings.from_env(rates=Rates.load()))
    written = write_digest(digest)
    to = mail.recipients(os.environ.get(TO_ENV))
    if to:
        mail.send(mail_message(written, to), mail.SMTPConfig.from_env())


def week_monday(text: str | None) -> date | None:
    return parse_week(text) if text else None
