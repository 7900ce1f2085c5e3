"""The ``perf`` command line: ``perf tidy``, ``perf render``, ``perf batch``, ``perf params``.

Each subcommand lives in its own ``_cmd_*`` function and imports what it needs
inside, so ``perf --help`` is instant. Errors derived from :class:`PerfError` print
one clear line and exit with status 2; nothing else is caught.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from perf.config import get_logger
from perf.errors import PerfError

log = get_logger()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perf", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in _REGISTRARS:
        register(sub)
    return parser


# Subcommand modules append a function(subparsers) -> None here.
_REGISTRARS: list = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except PerfError as exc:
        print(f"perf {args.command}: {exc}", file=sys.stderr)
        return 2
