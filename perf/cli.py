"""The ``perf`` command line: ``perf tidy``, ``perf check``, ``perf render``, ``perf batch``,
``perf params``, ``perf runner`` and ``perf template`` (the quarter's collection workbook;
``perf check`` checks it when it comes back).

Each subcommand lives in its own ``_cmd_*`` function and imports the perf modules it needs
inside (the one documented exception to imports at module top: the fast-CLI path), so
``perf --help`` is instant. Errors derived from :class:`PerfError` print
one clear line and exit with status 2; nothing else is caught.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from perf import __version__, config
from perf._numbers import plural
from perf.config import get_logger
from perf.errors import FileFormatError, ParameterError, PerfError
from perf.fileio import atomic_write, csv_text, data_folder

log = get_logger()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perf", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    parser.add_argument("--version", action="version", version=f"perf {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in _REGISTRARS:
        register(sub)
    return parser


def _register_tidy(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tidy",
        help="write the tidy CSV of any supported data file",
        description="Read FILE (format detected from its header unless --format is given), "
        "validate it and write the tidy frame as CSV to OUT or stdout.",
    )
    p.add_argument("file", help="a local CSV, scorecard, EES, NCCIS, LAIT or lookup file")
    p.add_argument("-o", "--output", metavar="OUT.csv", help="write here instead of stdout")
    p.add_argument(
        "--format",
        dest="fmt",
        default=None,
        help="force a format: local, scorecard, ees, nccis, lait, targets, "
        "key_activities, commentary, neighbours, ltla_utla, lait_dictionary, catalogue",
    )
    p.set_defaults(func=_cmd_tidy)


def _cmd_tidy(args: argparse.Namespace) -> int:
    from perf.loaders import read  # lazy: the fast-CLI path

    log.info("perf tidy: file=%s format=%s output=%s", args.file, args.fmt, args.output)
    frame = read(args.file, args.fmt)
    if args.output:
        out = Path(args.output)
        atomic_write(out, csv_text(frame, index=False, date_format="%Y-%m-%d"))
        print(f"wrote {len(frame)} {plural('row', len(frame))} to {out}", file=sys.stderr)
    else:
        sys.stdout.write(csv_text(frame, index=False, date_format="%Y-%m-%d"))
    return 0


def _register_check(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="check data files and returned collection workbooks",
        description="Check each PATH (default: the project's data/) and list every finding "
        "with its severity, file, sheet (in a workbook), row and column. A returned collection "
        "workbook (from `perf template`) gets the returns checks (unknown indicator, one "
        "not in the council's plan, text or a decimal comma in a number cell, a formula, a "
        "status outside the plan's scheme, a period that is not the workbook's, a council, "
        "period or pre-filled cell changed since the template was made; a changed figure for "
        "an already-published period is a revision; an off-target indicator without "
        "commentary, and a figure typed as a percentage, are warnings) and the "
        "plausibility rules on its figures. A data directory or observation file gets the "
        "plausibility rules (errors: a negative rate, a share larger than its whole, a "
        "value that contradicts its numerator and denominator, an absurd magnitude; "
        "warnings: a percentage over 100, period kinds mixed within one indicator), and a "
        "directory holding local/ (or data/local itself) the returns checks of every file "
        "there; a file in it that cannot be read is a finding of its own, and the rest is "
        "still checked. Exits 1 if there is any error or revision, 0 if there are only "
        "warnings.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="data directory, data file, or returned workbook (.xlsx); "
        "default: the project's data/",
    )
    p.add_argument("-o", "--output", metavar="OUT.csv", help="also write the findings as CSV")
    p.add_argument(
        "--errors-only", action="store_true", help="list errors and revisions, not warnings"
    )
    p.set_defaults(func=_cmd_check)


def _cmd_check(args: argparse.Namespace) -> int:
    from perf.check import exit_code, finding_line  # lazy: the fast-CLI path
    from perf.collection import check_paths  # lazy: the fast-CLI path

    paths = [Path(p) for p in args.paths] or [data_folder()]
    log.info("perf check: paths=%s output=%s", [str(p) for p in paths], args.output)
    for path in paths:
        if not path.exists():
            raise FileFormatError(
                "no such file or directory",
                file=str(path),
                hint="Give a data directory, a data file or a returned workbook.",
            )
    findings, summaries = check_paths(paths)
    if args.output:
        atomic_write(Path(args.output), csv_text(findings, index=False).encode("utf-8"))
    shown = findings[findings["severity"] != "warning"] if args.errors_only else findings
    for _, finding in shown.iterrows():
        print(finding_line(finding))
    for line in summaries:
        print(f"perf check: {line}", file=sys.stderr)
    return exit_code(findings)


def _parse_assignments(pairs: Sequence[str] | None, files: Sequence[str] | None) -> dict:
    """``-f params.yaml`` files, then ``-p name=value`` pairs (later ones win)."""
    params: dict = {}
    for name in files or []:
        try:
            loaded = yaml.safe_load(open(name, encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ParameterError(f"cannot read parameters file: {exc}", file=name) from exc
        if not isinstance(loaded, dict):
            raise ParameterError("a parameters file must be a mapping of name: value", file=name)
        params.update(loaded)
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParameterError(
                f"-p expects name=value, not {pair!r}",
                hint='For example: -p committee="Children\'s Scrutiny Board"',
            )
        params[name.strip()] = value
    return params


def _register_render(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "render",
        help="render one notebook to committee-ready HTML",
        description="Validate the parameters, execute NOTEBOOK with papermill and write "
        "<out>/<period>/<area>/<notebook>.html with the executed notebook, a run log and a "
        "refreshed <out>/index.html.",
    )
    p.add_argument(
        "notebook",
        nargs="?",
        default="briefing",
        help="briefing (default), trends, quarter_comparison, or a path to a .ipynb",
    )
    p.add_argument("--area", help="local authority name, ONS code or DfE number (e.g. Dudley)")
    p.add_argument("--period", help='reporting period (e.g. "2024-25" or "2012-13 Q1")')
    p.add_argument(
        "-p",
        "--parameter",
        action="append",
        metavar="NAME=VALUE",
        help="any other notebook parameter (repeatable; see `perf params`)",
    )
    p.add_argument(
        "-f",
        "--parameters-file",
        action="append",
        metavar="FILE.yaml",
        help="parameters from a YAML file (before -p values)",
    )
    p.add_argument("--out", help="outputs root (default: outputs/)")
    _add_formats_option(p, default="html")
    p.set_defaults(func=_cmd_render)


def _add_formats_option(p: argparse.ArgumentParser, default: str | None) -> None:
    # perf.render.formats is light (the standard library and perf's registry): the help lists
    # what is registered, and the names are checked by perf.render.formats.parse_formats
    from perf.render.formats import output_formats  # lazy: the fast-CLI path

    p.add_argument(
        "--to",
        dest="formats",
        metavar="FORMATS",
        default=default,
        help="formats to write, comma-separated: "
        + "; ".join(f"{fmt.name} ({fmt.description})" for fmt in output_formats())
        + " (default: "
        + (f"{default}" if default else "the schedule's `formats`, else html")
        + "). Every format comes from the same run as the HTML; the committee copies are "
        "named <Area>_<period>_childrens_services_performance.<format>",
    )


def _cmd_render(args: argparse.Namespace) -> int:
    from perf.render.api import render  # lazy: the fast-CLI path (see the module docstring)

    params = _parse_assignments(args.parameter, args.parameters_file)
    result = render(
        args.notebook,
        area=args.area,
        period=args.period,
        parameters=params,
        out=args.out,
        formats=args.formats,
    )
    print(f"{result.html} ({result.duration_s:.1f} s)")
    for path in result.outputs.values():
        print(path)
    for name, path in result.earlier.items():
        print(
            f"kept {path} from an earlier run: it may not match this HTML, so the index does "
            f"not list it (add {name} to --to to write it again, or delete it)",
            file=sys.stderr,
        )
    return 0


def _register_batch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch",
        help="render a schedule of areas x periods x notebooks in parallel",
        description="Render every run SCHEDULE.yaml describes with parallel warm-kernel "
        "workers, then write <out>/manifest.csv, manifest.json and index.html. "
        "Exits 1 if any run failed (the others still complete).",
    )
    p.add_argument("schedule", help="schedule YAML (e.g. schedules/latest.yaml)")
    p.add_argument(
        "--workers", type=int, default=None, help="parallel workers (default: number of cores)"
    )
    p.add_argument("--out", help="outputs root (default: outputs/)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="send the renders to a Dask scheduler (tcp://host:8786), or `local` "
        "for a Dask LocalCluster here (default: the schedule's `cluster:`, else "
        "local worker processes)",
    )
    _add_formats_option(p, default=None)
    p.set_defaults(func=_cmd_batch)


def _cmd_batch(args: argparse.Namespace) -> int:
    # lazy: the fast-CLI path
    from perf.render.batch import load_schedule, run_batch, schedule_cluster
    from perf.render.formats import parse_formats

    jobs = load_schedule(args.schedule)
    if args.formats is not None:  # --to wins over the schedule's formats
        formats = parse_formats(args.formats)
        jobs = [dataclasses.replace(job, formats=formats) for job in jobs]
    out = Path(args.out) if args.out else config.OUTPUTS_DIR
    cluster = args.cluster or schedule_cluster(args.schedule)
    log.info(
        "perf batch: %s, %d runs, out=%s, cluster=%s",
        args.schedule,
        len(jobs),
        out,
        cluster or "local processes",
    )
    if cluster:
        from perf.render.cluster import run_batch_on_cluster  # lazy: needs distributed

        results = run_batch_on_cluster(
            jobs, cluster, out=out, workers=args.workers, progress=not args.no_progress
        )
    else:
        results = run_batch(jobs, out=out, workers=args.workers, progress=not args.no_progress)
    failed = [r for r in results if r["status"] != "ok"]
    # an internal edition's runs are listed apart from the published ones (perf.render.index)
    internal = results and all(
        (r.get("parameters") or {}).get("public", True) is False for r in results
    )
    listed = out / "internal" if internal else out
    print(
        f"{len(results)} {plural('run', len(results))}: {len(results) - len(failed)} ok, "
        f"{len(failed)} failed; "
        f"manifest {listed / 'manifest.csv'}; index {listed / 'index.html'}"
    )
    for r in failed:
        print(f"  failed: {r['notebook']} {r['area']} {r['period']}: {r['error']}", file=sys.stderr)
    kept = sum(len(r.get("earlier") or {}) for r in results)
    if kept:
        print(
            f"kept {kept} {plural('file', kept)} an earlier run wrote in a format this batch "
            "did not (each run's log names them): they may not match the new HTML, so the "
            "index does not list them",
            file=sys.stderr,
        )
    return 1 if failed else 0


def _register_params(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "params",
        help="list a notebook's parameters with their types and help",
        description="Read the cell tagged `parameters` in NOTEBOOK and list each parameter.",
    )
    p.add_argument("notebook", help="briefing, trends, quarter_comparison, or a path")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_cmd_params)


def _cmd_params(args: argparse.Namespace) -> int:
    from perf.render.registry import notebook_parameters, notebook_path  # lazy: fast-CLI path

    specs = notebook_parameters(args.notebook)
    if args.json:
        print(
            json.dumps(
                [
                    {"name": s.name, "type": s.type_name, "default": s.default, "help": s.help}
                    for s in specs
                ],
                indent=1,
                default=str,
            )
        )
        return 0
    print(
        f"Parameters of {notebook_path(args.notebook).name} "
        "(set with --area, --period or -p NAME=VALUE):"
    )
    width = max((len(s.name) for s in specs), default=4)
    for s in specs:
        print(f"  {s.name:<{width}}  {s.type_name:<5}  default {s.default!r}")
        if s.help:
            print(f"  {'':<{width}}  {s.help}")
    return 0


def _register_runner(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "runner",
        help="keep a warm kernel ready for `perf render` (start, stop, status)",
        description="A long-lived background runner with perf and the data already loaded: "
        "while it runs, `perf render` hands jobs to it. It stops after --idle seconds without "
        "work, on `perf runner stop`, or when any data or code file changes.",
    )
    p.add_argument(
        "action",
        choices=["start", "stop", "status", "serve"],
        help="serve runs it in the foreground",
    )
    p.add_argument("--idle", type=float, default=1800, help="idle seconds before it stops")
    p.set_defaults(func=_cmd_runner)


def _cmd_runner(args: argparse.Namespace) -> int:
    from perf.render import server as render_server  # lazy: the fast-CLI path

    if args.action == "serve":
        render_server.serve(idle=args.idle)
        return 0
    if args.action == "start":
        info = render_server.start(idle=args.idle)
        print(f"runner running (pid {info['pid']}) on {render_server.socket_path()}")
        return 0
    if args.action == "stop":
        print("runner stopped" if render_server.stop() else "no runner was running")
        return 0
    running = render_server.status()
    print(
        f"runner running (pid {running['pid']}, {running['runs']} {plural('run', running['runs'])})"
        if running
        else "no runner running"
    )
    return 0 if running else 1


def _register_template(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "template",
        help="write the quarter's collection workbook for service leads",
        description="Write the collection workbook (.xlsx) for AREA and PERIOD: the council's "
        "indicators from its plan (data/local plan files) with earlier periods filled in, "
        "blank cells for this period's figures, status and commentary, and a key activities "
        "sheet. Check the returned workbook with `perf check`.",
    )
    p.add_argument("--area", required=True, help="local authority name, ONS code or number")
    p.add_argument("--period", required=True, help='the quarter to collect, e.g. "2025-26 Q3"')
    p.add_argument(
        "-o", "--output", required=True, metavar="RETURN.xlsx", help="where to write the workbook"
    )
    p.set_defaults(func=_cmd_template)


def _cmd_template(args: argparse.Namespace) -> int:
    from perf.collection import write_template  # lazy: the fast-CLI path

    log.info("perf template: area=%s period=%s output=%s", args.area, args.period, args.output)
    path = write_template(args.area, args.period, args.output)
    print(
        f"wrote {path}: fill in the Indicators and Key activities sheets, then run "
        f"`perf check {path}`",
        file=sys.stderr,
    )
    return 0


# Subcommand modules append a function(subparsers) -> None here.
_REGISTRARS: list = [
    _register_tidy,
    _register_check,
    _register_render,
    _register_batch,
    _register_params,
    _register_runner,
    _register_template,
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a reader that closed the pipe surfaces here, where it is handled
        return code
    except PerfError as exc:
        print(f"perf {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader stopped early (`perf params briefing | head`): not an error. Point
        # stdout at devnull so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
