"""``heishi`` subcommands, one module each, found by name (as Scrapy finds its commands).

A module here defines ``Command``, a :class:`HeishiCommand` subclass.
"""

from __future__ import annotations

import argparse


class HeishiCommand:
    name: str = ""
    help: str = ""
    needs_store: bool = False  # adds --store

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add this command's options."""

    def run(self, args: argparse.Namespace) -> int:
        raise NotImplementedError
