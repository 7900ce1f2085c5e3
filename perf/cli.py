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


def _register_tidy(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tidy", help="write the tidy CSV of any supported data file",
        description="Read FILE (format detected from its header unless --format is given), "
        "validate it and write the tidy frame as CSV to OUT or stdout.",
    )
    p.add_argument("file", help="a local CSV, scorecard, EES, NCCIS, LAIT or lookup file")
    p.add_argument("-o", "--output", metavar="OUT.csv", help="write here instead of stdout")
    p.add_argument("--format", dest="fmt", default=None,
                   help="force a format: local, scorecard, ees, nccis, lait, targets, "
                   "key_activities, commentary, neighbours, ltla_utla, lait_dictionary, catalogue")
    p.set_defaults(func=_cmd_tidy)


def _cmd_tidy(args: argparse.Namespace) -> int:
    from pathlib import Path

    from perf.loaders import read

    log.info("perf tidy: file=%s format=%s output=%s", args.file, args.fmt, args.output)
    frame = read(args.file, args.fmt)
    if args.output:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(out.suffix + ".tmp")
        frame.to_csv(tmp, index=False, date_format="%Y-%m-%d")
        tmp.replace(out)  # atomic: never a half-written output
        print(f"wrote {len(frame)} rows to {out}", file=sys.stderr)
    else:
        frame.to_csv(sys.stdout, index=False, date_format="%Y-%m-%d")
    return 0


# Subcommand modules append a function(subparsers) -> None here.
_REGISTRARS: list = [_register_tidy]


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
