"""Errors a user of the crawlers can act on (the CLI prints them as one line)."""

from __future__ import annotations

from nlp.errors import InputError


class ConfigError(ValueError):
    """``sources.yaml`` (or a source named on the command line) cannot be used.

    The message starts with where the problem is, ``file:line: field: what is wrong``, so an
    editor can jump to it.
    """

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ):
        where = ""
        if file is not None:
            where = f"{file}:{line}: " if line is not None else f"{file}: "
        if field:
            where += f"{field}: "
        super().__init__(where + message)
        self.file = file
        self.line = line
        self.field = field


class FormatError(InputError):
    """A file or an answer is not what its reader expects (a truncated export, a page that
    is not a t.me/s page, an API that answers ``BAD_KEY``).

    The message starts with where: ``file:line: what is wrong`` (or the URL), so the user
    knows which of several imported files, or which answer of a source, to look at. It is
    ``nlp``'s input error, for files and answers instead of JSON Lines posts.
    """

    @property
    def where(self) -> str | None:
        return self.source


class CrawlBusy(RuntimeError):
    """The source is being crawled into the same store by another live process."""
