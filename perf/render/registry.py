"""The notebooks perf renders and their parameters: read, checked and placed, cheaply.

This module is light (no pandas, no nbformat at import): a notebook's parameters are read
by papermill's own ``inspect_notebook`` once per change of the notebook and kept in
perf's disk cache, and checking names and types needs only the standard library, so a
misspelt parameter is reported before anything heavy is imported or any kernel starts.

Examples:
    >>> specs = {p.name: p for p in notebook_parameters("briefing")}
    >>> specs["area"].type_name, specs["area"].default
    ('str', 'Dudley')
    >>> coerce_parameters("briefing", {"aera": "Leeds"})
    Traceback (most recent call last):
    ...
    perf.errors.ParameterError: unknown parameter 'aera' for notebook 'briefing'. Did you mean: area? Run `perf params briefing` to list them.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from perf import config
from perf.cache import cached_json, in_steady_inputs
from perf.errors import ParameterError, PerfError, RenderError, UnknownAreaError
from perf.fileio import data_folder, slug

__all__ = [
    "DOCUMENT_NAMES",
    "NOTEBOOKS",
    "DocumentInfo",
    "ParameterSpec",
    "RunPaths",
    "coerce_parameters",
    "current_councils",
    "document_info",
    "period_span",
    "notebook_name",
    "notebook_parameters",
    "notebook_path",
    "run_paths",
    "title_for",
    "validate_parameters",
]

#: Notebooks perf knows how to render (the .ipynb beside each is what papermill executes).
NOTEBOOKS: tuple[str, ...] = ("briefing", "trends", "quarter_comparison")

#: Page titles: what a committee member sees in the browser tab and the printed header.
TITLES: dict[str, str] = {
    "briefing": "Children's services performance briefing: {area}, {period}",
    "trends": "Children's services trends: {area}, to {period}",
    "quarter_comparison": "Children's services period comparison: {area}, {period}",
}

#: What the PDF and Word files (and any other format named as a committee document: see
#: :mod:`perf.render.formats`) are called for a committee-management system:
#: ``<Area>_<period>_<name>.pdf`` (e.g. ``Dudley_2025-26_Q3_childrens_services_performance.pdf``).
DOCUMENT_NAMES: dict[str, str] = {
    "briefing": "childrens_services_performance",
    "trends": "childrens_services_trends",
    "quarter_comparison": "childrens_services_period_comparison",
}

#: The folder under an outputs root that holds internal (unsuppressed) editions, apart from
#: the published ones, so a public folder holds only what is meant to be published.
INTERNAL_DIR = "internal"

#: Parameters that take one of a few words (checked before any kernel starts).
CHOICES: dict[str, tuple[str, ...]] = {"small_counts_in_text": ("redact", "stop")}

#: Notebooks whose ``period`` must hold figures for the ``area`` (the kinds of period each
#: reports on; None: any kind), checked before any kernel starts.
COVERAGE: dict[str, tuple[str, ...] | None] = {
    "briefing": ("financial_year", "financial_quarter"),
    "quarter_comparison": None,
}

#: The statistical-neighbour sets a ``neighbours`` parameter may name (the briefing's and the
#: trends notebook's, one meaning in both): the keys of :data:`perf.areas.NEIGHBOUR_MODELS`,
#: repeated here so that a wrong value is refused without importing pandas
#: (tests/render/test_neighbours.py checks that the two agree).
NEIGHBOUR_MODELS: tuple[str, ...] = ("2025", "2021")

#: Notebooks whose ``neighbours`` may also be ``""``: no neighbours' line.
NEIGHBOURS_OPTIONAL: tuple[str, ...] = ("trends",)

#: What the trends notebook's ``neighbours`` switch (a bool until it named the model) was
#: written as in schedules and on the command line: refused, saying what to write instead.
_OLD_SWITCH = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}

#: What the registry's own disk-cache entries are also keyed on: this file. perf/render is
#: outside perf.cache's key (:data:`perf.cache.UNKEYED`), yet the area index (built with
#: :func:`area_key`), the period labels and the coverage and period checks are computed by
#: code here: an edit to it must not reuse an entry built by the old code.
_KEY_SOURCE = Path(__file__)

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
    """Where one run's files go: ``<root>/<period>/<area>/<notebook>.*``, and the committee
    documents beside them, ``<document>.<extension>`` (each format's file:
    :func:`perf.render.formats.output_path`)."""

    directory: Path
    html: Path
    notebook: Path
    failed_notebook: Path
    log: Path
    status: Path
    document: str


@dataclass(frozen=True)
class DocumentInfo:
    """What a PDF or Word file says about itself (its properties, not its pages)."""

    title: str
    author: str
    subject: str
    language: str
    when: datetime


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
            f"no notebook {text!r}",
            file=path,
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
        "the notebook has no cell tagged 'parameters'",
        file=path,
        hint="Tag one cell 'parameters' (papermill's convention).",
    )


@lru_cache(maxsize=32)
def _parameters_cached(path: Path, mtime: float) -> tuple[ParameterSpec, ...]:
    _parameters_source(path)  # a notebook without a parameters cell is an error, not none
    # papermill's own reading of the cell (the one its --help-notebook shows and its
    # parameter injection follows), kept on disk: importing papermill costs seconds, and a
    # render handed to a warm runner, or a misspelt parameter, needs none of it.
    found = _cached(
        "notebook-parameters", lambda: _inspect(path), extra=str(path), version=str(mtime)
    )
    return tuple(
        ParameterSpec(name, *_typed(name, p["inferred_type_name"], p["default"], path), p["help"])
        for name, p in found.items()
    )


def _inspect(path: Path) -> dict[str, dict[str, str]]:
    """``papermill.inspect_notebook``: name -> inferred_type_name, default (its source
    text) and help, in the cell's order."""
    from papermill import inspect_notebook  # lazy: papermill and nbformat are heavy

    try:
        found = inspect_notebook(str(path))
    except ValueError as exc:  # papermill's words for a notebook naming no kernel or language
        raise ParameterError(
            f"cannot read the notebook's parameters: {exc}",
            file=path,
            hint=f"Save the notebook from Jupyter with the {config.KERNEL_DISPLAY_NAME!r} "
            f"kernel (its metadata then names the kernel {config.KERNEL_NAME!r}).",
        ) from exc
    return {
        name: {key: str(p[key]) for key in ("inferred_type_name", "default", "help")}
        for name, p in found.items()
    }


def _typed(name: str, annotation: str, source: str, path: Path) -> tuple[str, Any]:
    """The type name and value of a parameter from papermill's annotation (``"None"`` when
    there is none: then the default's type) and default's source text, which must be a
    literal: papermill reads a parameters cell line by line, and a statement that is not
    an assignment runs into the default before it.

    >>> _typed("a", "str", '"Dudley"', Path()), _typed("n", "None", "3", Path())
    (('str', 'Dudley'), ('int', 3))
    >>> _typed("names", "list[str]", "['a']print(1)", Path("x.ipynb"))
    Traceback (most recent call last):
    ...
    perf.errors.ParameterError: x.ipynb: papermill reads the default of parameter 'names' as "['a']print(1)", not a Python literal. Keep the parameters cell to lines of `name: type = value  # help` (a literal value: text, a number, True/False, a list or a dict).
    """
    try:
        default = ast.literal_eval(source)
    except (ValueError, SyntaxError):
        raise ParameterError(
            f"papermill reads the default of parameter {name!r} as {source!r}, "
            "not a Python literal",
            file=path,
            hint="Keep the parameters cell to lines of `name: type = value  # help` (a "
            "literal value: text, a number, True/False, a list or a dict).",
        ) from None
    if annotation and annotation != "None":
        return annotation.split("[")[0], default
    return type(default).__name__, default


def notebook_parameters(notebook: str | Path) -> list[ParameterSpec]:
    """The parameters a notebook declares, in order, with type, default and help comment.

    Read from the cell tagged ``parameters`` (``name: type = default  # help``) by
    papermill's ``inspect_notebook``, the information ``papermill --help-notebook`` shows;
    cached on disk while the notebook is unchanged.
    """
    path = notebook_path(notebook)
    return list(_parameters_cached(path, path.stat().st_mtime))


def _refuse_old_switch(value: Any, notebook: str) -> None:
    """A ``neighbours`` given as on or off (the trends notebook's old bool) stops here,
    saying what to write instead.

    >>> _refuse_old_switch(False, "trends")
    Traceback (most recent call last):
    ...
    perf.errors.ParameterError: parameter 'neighbours' of notebook 'trends' is no longer on or off: it names the statistical-neighbour model (found 'False'). Write neighbours: "" in a schedule (-p neighbours="" on the command line): no neighbours' line.
    """
    old = value if isinstance(value, bool) else _OLD_SWITCH.get(str(value).strip().lower())
    if old is None:
        return
    optional = notebook in NEIGHBOURS_OPTIONAL
    if optional and not old:
        write, meaning = '""', "no neighbours' line"
    else:
        write, meaning = '"2025"', 'DfE\'s current model ("2021": the model it replaced)'
    raise ParameterError(
        f"parameter 'neighbours' of notebook {notebook!r} is "
        f"{'no longer' if optional else 'not'} on or off: it names the statistical-neighbour "
        "model",
        value=value,
        hint=f"Write neighbours: {write} in a schedule (-p neighbours={write} on the command "
        f"line): {meaning}.",
    )


def _coerce(spec: ParameterSpec, value: Any, notebook: str) -> Any:
    if spec.name == "neighbours" and spec.type_name == "str":
        _refuse_old_switch(value, notebook)
    allowed = _TYPES.get(spec.type_name)
    if isinstance(value, str) and spec.type_name != "str" and allowed is not None:
        # a value typed on the command line: "3", "true", "[a, b]"
        try:
            value = yaml.safe_load(value) if value.strip() else None
        except yaml.YAMLError as exc:
            raise ParameterError(
                f"parameter {spec.name!r} of notebook {notebook!r} could not be read as "
                f"{spec.type_name}",
                value=value,
            ) from exc
    if allowed is None:
        return value
    if spec.type_name in ("int", "float") and isinstance(value, bool):
        allowed = ()
    if not isinstance(value, allowed):
        raise ParameterError(
            f"parameter {spec.name!r} of notebook {notebook!r} must be {spec.type_name}, "
            f"not {type(value).__name__}",
            value=value,
            hint=f"{spec.name}: {spec.help}" if spec.help else None,
        )
    # an int given for a float becomes one (isinstance above: it is an int or a float)
    return float(value) if spec.type_name == "float" and isinstance(value, int) else value


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


def _cached(kind: str, build: Callable[[], Any], extra: str = "", version: str = "") -> Any:
    """:func:`perf.cache.cached_json`, keyed also on :data:`_KEY_SOURCE`'s size and
    modification time (every cached entry of the registry goes through here).

    An ``extra`` names one query (a period's label, one area's coverage check): it goes
    into the entry's kind too, so each query keeps its own few entries. The cache keeps
    :data:`perf.cache.KEEP_PER_KIND` entries per kind, and a schedule of every council
    checks 153 areas: under one kind each evicted the others, and every batch checked its
    areas again, importing pandas into its parent. A ``version`` (a file's modification
    time) goes into the key only: a new version replaces the old ones."""
    try:
        st = _KEY_SOURCE.stat()
        own = f"{_KEY_SOURCE.name}={st.st_size}@{st.st_mtime_ns}"
    except OSError:  # no source beside the module: nothing to key on, so build afresh
        return build()
    if extra:
        kind = f"{kind}-{hashlib.sha256(extra.encode()).hexdigest()[:12]}"
    return cached_json(kind, build, extra=f"{extra}|{version}|{own}")


def _check_area(value: str, what: str) -> str:
    # An index built once by asking find_area itself: a known area needs no pandas here.
    hit = _cached("area-index", _area_index).get(area_key(value))
    if hit is not None:
        return hit
    try:
        return str(_find_area(value)["area_name"])
    except UnknownAreaError as exc:
        raise ParameterError(f"{what}: {exc.message}", hint=exc.hint) from exc


def _area_index() -> dict[str, str]:
    # Lazy: perf.areas needs pandas; the command line checks a known area without it.
    from perf.areas import area_index

    return area_index(area_key)


def current_councils() -> list[tuple[str, str]]:
    """(ONS code, name) of every current local authority, by name, without pandas:
    :func:`perf.areas.current_local_authorities` (the one source of truth), cached beside
    the area index as a small JSON list (rebuilt when data/ or perf's code changes), so a
    batch's parent expands ``areas: all`` without importing pandas or the area lookup.

    >>> councils = current_councils()
    >>> len(councils), ("E08000027", "Dudley") in councils
    (153, True)
    """
    return [(str(code), str(name)) for code, name in _cached("current-councils", _councils)]


def _councils() -> list[list[str]]:
    # Lazy, as _area_index: only building the cached list needs pandas.
    from perf.areas import current_local_authorities

    frame = current_local_authorities()
    return [[str(code), str(name)] for code, name in zip(frame["area_code"], frame["area_name"])]


def _find_area(value: str):
    # Lazy, as above: only an unknown or unusual name pays for pandas (with suggestions).
    from perf.areas import find_area

    return find_area(value)


def area_key(text: str) -> str:
    """How a query is matched: digits as a DfE number, otherwise case- and spacing-blind
    (``&`` as ``and``, commas as spaces), as :func:`perf.areas.find_area` does.

    >>> area_key(" Bristol,  City of "), area_key("0332")
    ('bristol city of', '332')
    """
    text = str(text).strip()
    if text.isdigit():
        return str(int(text))
    return " ".join(text.lower().replace("&", "and").replace(",", " ").split())


def _pandas_loaded() -> bool:
    """perf.periods (and so pandas) already imported here: checking a period directly costs
    microseconds. Before that (a cold ``perf render``) a check found good once is read from
    :mod:`perf.cache` (keyed on the data, perf.periods' code and this module's: see
    :func:`_cached`), so this process starts the kernel without first importing pandas
    (~0.4 s on the cold path); a bad period is never cached, so its error is always raised
    afresh. Within :func:`perf.cache.steady_inputs` (a schedule's checks) a cached check
    costs microseconds too, and every check goes through the cache: otherwise the first
    check a schedule has not cached imports pandas, and none after it is cached, for this
    batch's parent or the next."""
    return "perf.periods" in sys.modules and not in_steady_inputs()


def _period_label(value: str) -> str:
    # Lazy: perf.periods needs pandas, which the kernel, not this process, needs first.
    from perf.periods import parse_period

    return parse_period(value).label


def period_span(label: str) -> tuple[int, int] | None:
    """The first and last day (ordinals) of the period ``label`` names, None when it names
    none; cached as a period check is (:func:`_pandas_loaded`), so the outputs index sorts
    its periods in a batch's parent without importing pandas.

    >>> from datetime import date
    >>> [date.fromordinal(d).isoformat() for d in period_span("2024-25")]
    ['2024-04-01', '2025-03-31']
    >>> period_span("not a period") is None
    True
    """
    if _pandas_loaded():
        return _span(label)
    span = _cached("period-span", lambda: _span(label), extra=label)
    return tuple(span) if span is not None else None


def _span(label: str) -> tuple[int, int] | None:
    # Lazy: perf.periods needs pandas (see _period_label).
    from perf.periods import parse_period

    try:
        period = parse_period(label)
    except PerfError:
        return None
    return period.start.toordinal(), period.end.toordinal()


def _check_period(value: str, what: str) -> str:
    try:
        if _pandas_loaded():
            return _period_label(value)
        return _cached("period-label", lambda: _period_label(value), extra=value)
    except PerfError as exc:
        raise ParameterError(
            f"{what}: cannot read period {value!r} ({exc.message})",
            hint="Examples: 2024-25, 2012-13 Q1, 2015/16, 31 March 2025.",
        ) from exc


def _check_neighbours(value: Any, what: str, optional: bool = False) -> str:
    text = str(value).strip()
    if optional and not text:
        return text
    if text not in NEIGHBOUR_MODELS:
        raise ParameterError(
            f"{what}: unknown statistical-neighbour set {value!r}",
            hint='Use "2025" (DfE\'s current model) or "2021" (the model it replaced)'
            + (', or "" for no neighbours\' line.' if optional else "."),
        )
    return text


def _coverage_index() -> dict[str, list[list[str]]]:
    # Lazy: the observations need pandas; built once per data and code version (cached).
    from perf.report.data import observations

    obs = observations(False)
    spans = obs[["area_name", "period_kind", "period_start", "period_end"]].drop_duplicates()
    index: dict[str, list[list[str]]] = {}
    for name, kind, start, end in spans.itertuples(index=False):
        index.setdefault(str(name), []).append(
            [str(kind), start.date().isoformat(), end.date().isoformat()]
        )
    return index


def _covered_periods(notebook: str, area: str, periods: dict[str, str]) -> dict[str, str]:
    """Each period parameter's label once checked against the area's coverage (raises the
    ParameterError :func:`_check_coverage` documents)."""
    # Lazy, as _period_label: perf.alignment needs perf.periods (pandas).
    from datetime import date

    from perf.alignment import check_reporting_period

    spans = [
        (k, date.fromisoformat(a), date.fromisoformat(b))
        for k, a, b in _cached("period-coverage", _coverage_index).get(area, [])
    ]
    found = {}
    for key, value in periods.items():
        try:
            found[key] = check_reporting_period(spans, value, area, kinds=COVERAGE[notebook]).label
        except PerfError as exc:
            raise ParameterError(
                f"parameter {key!r}: {exc.message}", value=exc.value, hint=exc.hint
            ) from exc
    return found


def _check_coverage(notebook: str, params: dict[str, Any]) -> None:
    """A period with no figures for the area stops here, naming the latest that has some;
    a briefing's period must be a financial year or quarter (``2024/25`` is a school year).
    Cached as :func:`_check_period` is (:func:`_pandas_loaded`)."""
    area = params.get("area")
    if not isinstance(area, str) or not area.strip():
        return
    periods = {
        key: value
        for key, value in params.items()
        if (key == "period" or key.endswith("_period")) and isinstance(value, str) and value
    }
    if _pandas_loaded():
        params.update(_covered_periods(notebook, area, periods))
        return
    extra = json.dumps([notebook, area, periods, COVERAGE[notebook]], sort_keys=True)
    params.update(
        _cached("period-check", lambda: _covered_periods(notebook, area, periods), extra=extra)
    )


def validate_parameters(notebook: str | Path, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter checked and canonicalised before any kernel starts.

    ``area``/``areas``-like parameters must name a known area (by name, ONS code or DfE
    number; replaced by the area's name), ``period``-like parameters must parse
    (replaced by the canonical label) and a text ``neighbours`` must be one of
    :data:`NEIGHBOUR_MODELS`. Empty strings mean "not given" and are kept (except for
    ``neighbours``, which names a set, or is "" only for the notebooks in
    :data:`NEIGHBOURS_OPTIONAL`: no neighbours' line). Parameters in :data:`CHOICES` must be one of
    their words. For the notebooks in :data:`COVERAGE` the period must hold figures for the
    area (and, for a briefing, be a financial year or quarter): otherwise the error names
    the latest period with figures.

    Raises:
        ParameterError: unknown name, wrong type, unknown area, unreadable period, a period
            with no figures, a word not among a parameter's choices or an unknown neighbour
            set.
    """
    params = coerce_parameters(notebook, overrides)
    data_folder()  # the areas and periods below are checked against the data
    name = notebook_name(notebook)
    for key, value in list(params.items()):
        if key in CHOICES and value not in CHOICES[key]:
            raise ParameterError(
                f"parameter {key!r} must be one of {', '.join(CHOICES[key])}", value=value
            )
        if key == "neighbours" and isinstance(value, str):
            params[key] = _check_neighbours(
                value, f"parameter {key!r}", optional=name in NEIGHBOURS_OPTIONAL
            )
            continue
        if not isinstance(value, str) or not value.strip():
            continue
        if key == "area" or key.endswith("_area"):
            params[key] = _check_area(value, f"parameter {key!r}")
        elif key == "period" or key.endswith("_period"):
            params[key] = _check_period(value, f"parameter {key!r}")
    if name in COVERAGE:
        _check_coverage(name, params)
    return params


def run_paths(root: str | Path, notebook: str | Path, params: Mapping[str, Any]) -> RunPaths:
    """The files of one run under ``root``: ``<period>/<area>/<notebook>.{html,ipynb,log}``,
    and the name of the committee documents beside them, ``<Area>_<period>_<document name>``
    (see :data:`DOCUMENT_NAMES`; a ``.pdf`` or ``.docx`` follows: each format's file is
    :func:`perf.render.formats.output_path`). An internal edition (``public`` false) never
    shares a file or a folder with the published one: it goes under ``<root>/internal/``.

    >>> run_paths("out", "briefing", {"area": "Dudley", "period": "2024-25", "public": False}
    ...           ).html.as_posix()
    'out/internal/2024-25/Dudley/briefing.html'

    >>> paths = run_paths("out", "briefing", {"area": "Dudley", "period": "2025-26 Q3"})
    >>> paths.html.as_posix(), paths.document
    ('out/2025-26_Q3/Dudley/briefing.html', 'Dudley_2025-26_Q3_childrens_services_performance')
    """
    name = notebook_name(notebook)
    area, period = slug(params.get("area", "all")), slug(params.get("period", "all"))
    internal = params.get("public", True) is False
    directory = Path(root) / (INTERNAL_DIR if internal else "") / period / area
    document = f"{area}_{period}_{DOCUMENT_NAMES.get(name, slug(name))}" + (
        "_internal_not_for_publication" if internal else ""
    )
    return RunPaths(
        directory=directory,
        html=directory / f"{name}.html",
        notebook=directory / f"{name}.ipynb",
        failed_notebook=directory / f"{name}.failed.ipynb",
        log=directory / f"{name}.log",
        status=directory / f"{name}.run.json",
        document=document,
    )


def document_info(notebook: str, params: Mapping[str, Any], when: datetime) -> DocumentInfo:
    """The properties of a run's PDF and Word files: the page title, the notebook's
    ``author`` parameter (the one named on the cover) and its ``committee``, if it has them.

    >>> from datetime import datetime, timezone
    >>> info = document_info("briefing", {"area": "Dudley", "period": "2024-25",
    ...     "author": "Performance Team", "committee": "Scrutiny"}, datetime(2025, 1, 1))
    >>> info.title, info.author, info.subject, info.language
    ("Children's services performance briefing: Dudley, 2024-25", 'Performance Team', 'Report to Scrutiny', 'en-GB')
    """
    committee = str(params.get("committee") or "").strip()
    return DocumentInfo(
        title=title_for(notebook, params),
        author=str(params.get("author") or "").strip() or "perf",
        subject=f"Report to {committee}" if committee else "",
        language="en-GB",
        when=when,
    )


def title_for(notebook: str, params: Mapping[str, Any]) -> str:
    """The page title for a run, e.g. "Children's services performance briefing: Dudley, 2024-25";
    an internal edition's says so (the title is also every printed page's running header).

    >>> title_for("briefing", {"area": "Dudley", "period": "2024-25", "public": False})
    "Children's services performance briefing: Dudley, 2024-25 (internal: not for publication)"
    """
    template = TITLES.get(notebook, notebook.replace("_", " ").capitalize() + ": {area}, {period}")
    title = template.format_map(
        {k: v for k, v in params.items()}
        | {"area": params.get("area", ""), "period": params.get("period", "")}
    )
    return title + (
        " (internal: not for publication)" if params.get("public", True) is False else ""
    )
