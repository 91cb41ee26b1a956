"""Errors a user can act on: the CLI prints their message without a traceback."""


class StoreError(Exception):
    """The store cannot do what was asked (locked, read-only, corrupt, unreachable, bad query)."""
