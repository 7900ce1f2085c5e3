"""Render parameterised notebooks to committee-ready HTML: the public entry points.

``render("briefing", area="Dudley", period="2024-25")`` validates the parameters, executes the
notebook with papermill in a warm kernel, exports self-contained HTML and writes
``outputs/<period>/<area>/briefing.html`` with the executed notebook, a run log and a status
record beside it, then refreshes ``outputs/index.html``. :func:`perf.render_batch.run_batch`
does the same for a schedule of areas x periods x notebooks in parallel.

This module itself is light (no pandas, no nbformat at import): reading a notebook's
``parameters`` cell and checking names and types needs only the standard library, so a
misspelt parameter is reported before anything heavy is imported or any kernel starts.

Examples:
    >>> specs = {p.name: p for p in notebook_parameters("briefing")}
    >>> specs["area"].type_name, specs["area"].default
    ('str', 'Dudley')
    >>> coerce_parameters("briefing", {"aera": "Leeds"})
    Traceback (most recent call last):
    ...
    perf.errors.ParameterError: unknown parameter 'aera' for notebook 'briefing'. Did you mean: area? Run `perf params briefing` to list them.
    >>> slug("Bristol, City of"), slug("2012-13 Q1")
    ('Bristol_City_of', '2012-13_Q1')
"""

from __future__ import annotations

import ast
import difflib
import io
import json
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from perf import config
from perf.errors import ParameterError, PerfError, RenderError

__all__ = [
    "NOTEBOOKS",
    "ParameterSpec",
    "RunPaths",
    "coerce_parameters",
    "freeze_shown",
    "notebook_parameters",
    "notebook_path",
    "previous_record",
    "render",
    "run_and_freeze",
    "run_paths",
    "slug",
    "title_for",
    "validate_parameters",
    "with_previous",
]

#: Notebooks perf knows how to render (the .ipynb beside each is what papermill executes).
NOTEBOOKS: tuple[str, ...] = ("briefing", "trends", "quarter_comparison")

#: Page titles: what a committee member sees in the browser tab and the printed header.
TITLES: dict[str, str] = {
    "briefing": "Children's services performance briefing: {area}, {period}",
    "trends": "Children's services trends: {area}, to {period}",
    "quarter_comparison": "Children's services period comparison: {area}, {period}",
}

_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (float, int),
    "bool": (bool,),
    "list": (list,),
    "dict": (dict,),
}


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter declared in a notebook's ``parameters`` cell."""

    name: str
    type_name: str
    default: Any
    help: str


@dataclass(frozen=True)
class RunPaths:
    """Where one run's files go: ``<root>/<period>/<area>/<notebook>.*``."""

    directory: Path
    html: Path
    notebook: Path
    failed_notebook: Path
    log: Path
    status: Path


def slug(text: str) -> str:
    """A file-system-safe name: runs of anything but letters, digits, ``.``, ``-`` become ``_``."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", str(text)).strip("_") or "_"


def notebook_path(notebook: str | Path) -> Path:
    """The ``.ipynb`` for a notebook name (``briefing``) or a path to a notebook.

    Raises:
        ParameterError: no such notebook.
    """
    text = str(notebook)
    if text in NOTEBOOKS or ("/" not in text and not text.endswith((".ipynb", ".py"))):
        path = config.NOTEBOOKS_DIR / f"{text}.ipynb"
    else:
        path = Path(text)
        if path.suffix == ".py":
            path = path.with_suffix(".ipynb")
    if not path.is_file():
        raise ParameterError(
            f"no notebook {text!r}", file=path,
            hint=f"Known notebooks: {', '.join(NOTEBOOKS)}.",
        )
    return path.resolve()


def notebook_name(notebook: str | Path) -> str:
    """The short name of a notebook (``briefing``) from a name or path."""
    return notebook_path(notebook).stem


def _parameters_source(path: Path) -> str:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RenderError(f"cannot read notebook: {exc}", file=path) from exc
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else source
    raise ParameterError(
        "the notebook has no cell tagged 'parameters'", file=path,
        hint="Tag one cell 'parameters' (papermill's convention).",
    )


@lru_cache(maxsize=32)
def _parameters_cached(path: Path, mtime: float) -> tuple[ParameterSpec, ...]:
    source = _parameters_source(path)
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    specs = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, annotation = node.target.id, ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name, annotation = node.targets[0].id, ""
        else:
            continue
        try:
            default = ast.literal_eval(node.value) if node.value is not None else None
        except ValueError:
            default = ast.unparse(node.value)
        type_name = annotation.split("[")[0] if annotation else type(default).__name__
        specs.append(ParameterSpec(name, type_name, default, comments.get(node.lineno, "")))
    return tuple(specs)


def notebook_parameters(notebook: str | Path) -> list[ParameterSpec]:
    """The parameters a notebook declares, in order, with type, default and help comment.

    Read from the cell tagged ``parameters`` (``name: type = default  # help``), the same
    information ``papermill --help-notebook`` shows, without importing papermill.
    """
    path = notebook_path(notebook)
    return list(_parameters_cached(path, path.stat().st_mtime))


def _coerce(spec: ParameterSpec, value: Any, notebook: str) -> Any:
    allowed = _TYPES.get(spec.type_name)
    if isinstance(value, str) and spec.type_name != "str" and allowed is not None:
        import yaml  # a value typed on the command line: "3", "true", "[a, b]"

        try:
            value = yaml.safe_load(value) if value.strip() else None
        except yaml.YAMLError as exc:
            raise ParameterError(
                f"parameter {spec.name!r} of notebook {notebook!r} could not be read as "
                f"{spec.type_name}", value=value) from exc
    if allowed is None:
        return value
    if spec.type_name in ("int", "float") and isinstance(value, bool):
        allowed = ()
    if not isinstance(value, allowed):
        raise ParameterError(
            f"parameter {spec.name!r} of notebook {notebook!r} must be {spec.type_name}, "
            f"not {type(value).__name__}", value=value,
            hint=f"{spec.name}: {spec.help}" if spec.help else None,
        )
    return float(value) if spec.type_name == "float" else value


def coerce_parameters(notebook: str | Path, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults merged with ``overrides``, each checked against its declared type.

    Cheap checks only (no data read): unknown names and wrong types. Command-line strings are
    read as YAML for non-``str`` parameters, so ``-p years=5`` gives ``5``.

    Raises:
        ParameterError: an unknown name (with close matches) or a value of the wrong type.
    """
    name = notebook_name(notebook)
    specs = {spec.name: spec for spec in notebook_parameters(notebook)}
    for key in overrides:
        if key not in specs:
            close = difflib.get_close_matches(key, list(specs), n=3, cutoff=0.5)
            hint = f"Did you mean: {', '.join(close)}? " if close else ""
            raise ParameterError(
                f"unknown parameter {key!r} for notebook {name!r}",
                hint=f"{hint}Run `perf params {name}` to list them.",
            )
    merged = {key: spec.default for key, spec in specs.items()}
    for key, value in overrides.items():
        merged[key] = _coerce(specs[key], value, name)
    return merged


def _area_key(text: str) -> str:
    """How a query is matched: digits as a DfE number, otherwise case- and spacing-blind
    (``&`` as ``and``, commas as spaces), as :func:`perf.areas.find_area` does."""
    text = str(text).strip()
    if text.isdigit():
        return str(int(text))
    return " ".join(text.lower().replace("&", "and").replace(",", " ").split())


def _build_area_index() -> dict[str, str]:
    """Every name, ONS code, DfE number and district find_area accepts -> its answer."""
    from perf.areas import areas, find_area, read_ltla_utla

    frame = areas()
    queries = [*frame["area_code"], *frame["area_name"],
               *(str(int(n)) for n in frame["la_number"].dropna())]
    ltla = read_ltla_utla()
    queries += [*ltla["ltla_code"], *ltla["ltla_name"]]
    index: dict[str, str] = {}
    for query in dict.fromkeys(str(q) for q in queries):
        key = _area_key(query)
        if key in index:
            continue
        try:
            index[key] = str(find_area(query)["area_name"])
        except PerfError:
            continue
    return index


def _check_area(value: str, what: str) -> str:
    from perf.cache import cached_json

    # An index built once by asking find_area itself: a known area needs no pandas here.
    hit = cached_json("area-index", _build_area_index).get(_area_key(value))
    if hit is not None:
        return hit
    from perf.areas import find_area  # unknown or unusual: the real lookup, with suggestions
    from perf.errors import UnknownAreaError

    try:
        return str(find_area(value)["area_name"])
    except UnknownAreaError as exc:
        raise ParameterError(f"{what}: {exc.message}", hint=exc.hint) from exc


def _check_period(value: str, what: str) -> str:
    from perf.periods import parse_period

    try:
        return parse_period(value).label
    except PerfError as exc:
        raise ParameterError(
            f"{what}: cannot read period {value!r} ({exc.message})",
            hint="Examples: 2024-25, 2012-13 Q1, 2015/16, 31 March 2025.",
        ) from exc


def validate_parameters(notebook: str | Path, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter checked and canonicalised before any kernel starts.

    ``area``/``areas``-like parameters must name a known area (by name, ONS code or DfE
    number; replaced by the area's name) and ``period``-like parameters must parse
    (replaced by the canonical label). Empty strings mean "not given" and are kept.

    Raises:
        ParameterError: unknown name, wrong type, unknown area or unreadable period.
    """
    params = coerce_parameters(notebook, overrides)
    for key, value in list(params.items()):
        if not isinstance(value, str) or not value.strip():
            continue
        if key == "area" or key.endswith("_area"):
            params[key] = _check_area(value, f"parameter {key!r}")
        elif key == "period" or key.endswith("_period"):
            params[key] = _check_period(value, f"parameter {key!r}")
    return params


def run_paths(root: str | Path, notebook: str | Path, params: Mapping[str, Any]) -> RunPaths:
    """The files of one run under ``root``: ``<period>/<area>/<notebook>.{html,ipynb,log}``."""
    name = notebook_name(notebook)
    directory = Path(root) / slug(params.get("period", "all")) / slug(params.get("area", "all"))
    return RunPaths(
        directory=directory,
        html=directory / f"{name}.html",
        notebook=directory / f"{name}.ipynb",
        failed_notebook=directory / f"{name}.failed.ipynb",
        log=directory / f"{name}.log",
        status=directory / f"{name}.run.json",
    )


def title_for(notebook: str, params: Mapping[str, Any]) -> str:
    """The page title for a run, e.g. "Children's services performance briefing: Dudley, 2024-25"."""
    template = TITLES.get(notebook, notebook.replace("_", " ").capitalize() + ": {area}, {period}")
    return template.format_map({k: v for k, v in params.items()} | {
        "area": params.get("area", ""), "period": params.get("period", "")})


# --- revisions: compare with the last briefing, freeze what this one showed ---------------


def _record_mode(path: Path) -> str | None:
    """The ``mode`` (public or internal) of a frozen record, read without pandas."""
    import csv

    try:
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                return row.get("mode")
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def previous_record(out: str | Path, notebook: str | Path,
                    params: Mapping[str, Any]) -> Path | None:
    """The frozen record of the latest briefing for the same area under the outputs root
    ``out`` whose period ended before this one's (``<out>/<period>/<area>/<notebook>.frozen.csv``,
    periods ordered by :mod:`perf.periods`); None if there is none.

    A public briefing only compares with a public record (an internal one was never
    published, and its old figures could disclose a small count).
    """
    from perf.periods import parse_period
    from perf.revisions import frozen_path

    area, period = params.get("area"), params.get("period")
    if not isinstance(area, str) or not area or not isinstance(period, str) or not period:
        return None
    current = parse_period(period)
    public = params.get("public", True) is not False
    name = frozen_path(f"{notebook_name(notebook)}.html").name
    best: tuple[tuple, Path] | None = None
    for path in Path(out).glob(f"*/{slug(area)}/{name}"):
        try:
            earlier = parse_period(path.parent.parent.name.replace("_", " "))
        except PerfError:
            continue
        if earlier.end >= current.end or (public and _record_mode(path) != "public"):
            continue
        key = (earlier.end, earlier.start, path.parent.parent.name)
        if best is None or key > best[0]:
            best = (key, path)
    return best[1] if best else None


def with_previous(notebook: str | Path, params: Mapping[str, Any],
                  out: str | Path | None) -> dict[str, Any]:
    """``params`` with ``previous`` set to the last briefing's frozen record, for a notebook
    that declares a ``previous`` parameter the caller left blank (validated ``params``)."""
    params = dict(params)
    if "previous" not in params or str(params.get("previous") or "").strip():
        return params
    found = previous_record(out or config.OUTPUTS_DIR, notebook, params)
    if found is not None:
        found = found.resolve()
        params["previous"] = (found.relative_to(config.PROJ_ROOT).as_posix()
                              if found.is_relative_to(config.PROJ_ROOT) else str(found))
    return params


def freeze_shown(result) -> Path | None:
    """After a successful run, freeze the figures the notebook reported showing
    (:data:`perf.render_html.SHOWN_MIMETYPE`) beside its HTML; returns the record's path.

    Nothing is written for a failed run, or a notebook that reported no figures.
    """
    if result.status != "ok" or not result.html or not result.executed_notebook:
        return None
    from perf.render_html import SHOWN_MIMETYPE

    nb = json.loads(Path(result.executed_notebook).read_text(encoding="utf-8"))
    shown = None
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(SHOWN_MIMETYPE)
            if data is not None:
                shown = json.loads(data) if isinstance(data, str) else data
    if shown is None:
        return None
    import pandas as pd

    from perf.revisions import freeze, frozen_path

    frame = pd.DataFrame(shown["rows"], columns=shown["columns"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return freeze(frame, frozen_path(result.html), briefing=shown.get("briefing"),
                  public=bool(shown.get("public", True)))


def run_and_freeze(renderer, notebook: str | Path, params: Mapping[str, Any],
                   out: str | Path | None = None):
    """:meth:`perf.runner.Renderer.run` for validated ``params``, comparing with the last
    briefing's frozen record (:func:`with_previous`) and freezing this one's figures after
    success (:func:`freeze_shown`)."""
    result = renderer.run(notebook, with_previous(notebook, params, out), out=out)
    _freeze_after(result)
    return result


def _freeze_after(result) -> None:
    try:
        freeze_shown(result)
    except (PerfError, OSError, ValueError, KeyError) as exc:
        # The HTML is out; without its record the next briefing cannot mark revisions.
        config.get_logger().warning("could not freeze the figures of %s: %s", result.html, exc)


def render(
    notebook: str | Path = "briefing",
    *,
    area: str | None = None,
    period: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    out: str | Path | None = None,
    update_index: bool = True,
    use_runner: bool = True,
):
    """Render one notebook to HTML; returns a :class:`perf.runner.RunResult`.

    Args:
        notebook: name in :data:`NOTEBOOKS` or a path to an ``.ipynb``.
        area, period: shorthands for the ``area`` and ``period`` parameters.
        parameters: any other parameters (validated against the notebook).
        out: the outputs root (default ``config.OUTPUTS_DIR``).
        update_index: refresh ``<out>/index.html`` afterwards.
        use_runner: hand the job to a running ``perf runner`` if there is one (its kernel
            is already warm); otherwise, or if it is out of date, render in this process.

    Raises:
        ParameterError: before anything runs, if a parameter is wrong.
        RenderError: the notebook failed (its executed copy is kept, the old HTML is not
            replaced).
    """
    overrides = dict(parameters or {})
    if area is not None:
        overrides["area"] = area
    if period is not None:
        overrides["period"] = period
    coerce_parameters(notebook, overrides)  # names and types: no data needed
    if use_runner:  # a long-lived runner (`perf runner start`) validates, then renders
        from perf.render_server import render_via_runner

        specs = {spec.name for spec in notebook_parameters(notebook)}
        if "previous" in specs and not str(overrides.get("previous") or "").strip():
            overrides = with_previous(notebook, validate_parameters(notebook, overrides), out)
        got = render_via_runner(notebook_path(notebook), overrides, out)
        if got is not None:
            from perf.runner import RunResult

            fields = RunResult.__dataclass_fields__
            result = RunResult(**{k: v for k, v in got.items() if k in fields})
            _freeze_after(result)
            return _raise_for_failure(result)
    params = validate_parameters(notebook, overrides)  # before any kernel starts
    from perf.runner import Renderer

    with Renderer() as renderer:
        renderer.prepare()  # papermill and the HTML exporter load while the kernel boots
        result = run_and_freeze(renderer, notebook, params, out=out)
    if update_index:
        from perf.render_html import write_index

        write_index(out or config.OUTPUTS_DIR)
    return _raise_for_failure(result)


def _raise_for_failure(result):
    if result.status != "ok":
        raise RenderError(
            f"{result.notebook} failed for {result.area}, {result.period}: {result.error}",
            hint=f"The executed notebook with the failing cell marked is "
            f"{result.executed_notebook}; the log is {result.log}.",
        )
    return result
