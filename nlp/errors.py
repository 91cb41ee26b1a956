"""Errors a user of ``nlp`` can act on (the CLI prints them as one line)."""


class InputError(ValueError):
    """A post file or line cannot be read; the message names the file and line."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        where = ""
        if source is not None:
            where = f"{source}:{line}: " if line is not None else f"{source}: "
        super().__init__(where + message)
        self.source = source
        self.line = line
