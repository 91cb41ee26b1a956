"""The ``heishi`` command."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import ops.commands
from index.store import default_store_location
from ops.commands import HeishiCommand
from ops.errors import UsageError, user_errors
from ops.render import plain


def _commands() -> dict[str, HeishiCommand]:
    found = {}
    for info in pkgutil.iter_modules(ops.commands.__path__):
        module = importlib.import_module(f"ops.commands.{info.name}")
        command_cls = getattr(module, "Command", None)
        if command_cls is not None:
            command = command_cls()
            found[command.name or info.name] = command
    return dict(sorted(found.items()))


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, HeishiCommand]]:
    parser = argparse.ArgumentParser(
        prog="heishi",
        description="Monitor black- and grey-market listings: crawl, extract offers, search.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands = _commands()
    for name, command in commands.items():
        p = sub.add_parser(name, help=command.help, description=command.help)
        if command.needs_store:
            p.add_argument(
                "--store",
                metavar="PATH",
                help="store location: SQLite file or Elasticsearch URL "
                "(default: $HEISHI_STORE, else var/heishi.db)",
            )
        command.add_arguments(p)
    return parser, commands


# Arguments that name files: POSIX file names need not be UTF-8, so these may hold bytes that
# are not (Python keeps them as surrogate escapes, and open() gives the bytes back).
FILE_ARGUMENTS = frozenset({"output", "file", "gold", "plot", "sources_file", "evidence",
                            "scorer"})


def check_text_arguments(args: argparse.Namespace) -> None:
    """Refuse an argument that is not text (``heishi search $'\\xff'``): it cannot match
    stored text, nor be printed or logged."""
    for name, value in vars(args).items():
        if name in FILE_ARGUMENTS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and any("\udc80" <= ch <= "\udcff" for ch in item):
                shown = item.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                option = name if name == "text" else "--" + name.replace("_", "-")
                raise UsageError(f"{option} {shown!r} is not UTF-8 text")


def main(argv: list[str] | None = None) -> int:
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    try:
        check_text_arguments(args)
        if getattr(args, "store", None) is None and commands[args.command].needs_store:
            args.store = default_store_location()  # named in the audit log as it was used
        return commands[args.command].run(args) or 0
    except user_errors() as exc:
        print(f"heishi {args.command}: error: {plain(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
