"""Owner-only files: the store, the evidence and the audit log hold victims' and sellers' data.

A raw page keeps the identity numbers that redaction takes out of the index; the store names
sellers and holds what analysts searched; the audit log says who exported what. None of it is
for other users of the machine, whatever their umask says, so everything heishi writes there
is created owner-only (files 0600, folders 0700), and a file found more open is closed down
when heishi opens it again.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: str | os.PathLike) -> Path:
    """``path`` as a folder, every component heishi creates owner-only."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made meanwhile by another writer
            pass
        else:
            os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    if not path.is_dir():
        raise NotADirectoryError(f"{path}: not a folder")
    return path


def open_private(path: str | os.PathLike, flags: int) -> int:
    """``os.open`` for a file heishi keeps private: created 0600, tightened if it was not."""
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    restrict(fd)
    return fd


def restrict(file: int | str | os.PathLike) -> None:
    """Take group and other access off a file (a descriptor or a path) heishi owns; a file
    someone else owns, or one on a file system without modes, is left as it is."""
    try:
        mode = os.fstat(file).st_mode if isinstance(file, int) else os.stat(file).st_mode
        if mode & 0o077:
            if isinstance(file, int):
                os.fchmod(file, mode & 0o700)
            else:
                os.chmod(file, mode & 0o700)
    except OSError:
        pass


def touch_private(path: str | os.PathLike) -> None:
    """Create ``path`` empty and owner-only if missing (so that what SQLite makes beside it,
    the WAL and shared-memory files, takes the same mode), else tighten it."""
    os.close(open_private(path, os.O_RDONLY))
