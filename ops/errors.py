"""The errors the CLI reports as one line, without a traceback.

Each layer raises its own (it does not know ``ops``); this module gathers them.
"""

from index.errors import StoreError


class UsageError(Exception):
    """The command was called with something it cannot use."""


def user_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [UsageError, StoreError]
    try:
        from crawlers.errors import ConfigError
    except ImportError:
        pass
    else:
        errors.append(ConfigError)
    try:
        from nlp.errors import InputError
    except ImportError:
        pass
    else:
        errors.append(InputError)
    return tuple(errors)
