"""The other kinds of file `regulars import KIND FILE` reads, besides orders.

Commerce comes before the apps that own those files (feedback's reviews), so it keeps this
registry and they fill it in their AppConfig.ready(): `add_parser(subparsers)` declares the
subcommand, `run(options, stdout, stderr)` runs it and returns the exit code (0, or 2 when rows
were rejected or the file or store is wrong).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportKind:
    add_parser: Callable
    run: Callable[[Mapping, object, object], int]


KINDS: dict[str, ImportKind] = {}


def register_import_kind(name: str, add_parser: Callable, run: Callable) -> None:
    KINDS[name] = ImportKind(add_parser, run)
