"""Loaders: every supported file -> the tidy observations frame (``perf.schema.Observations``).

``load(path)`` detects the format from the file's header (or takes ``format=``);
``load_all(data_dir)`` loads every observation file under a data directory into one
validated frame. Lookups (areas, neighbours, the LAIT dictionary), targets, key
activities and commentary have their own readers, reachable through :func:`read`
(any supported file -> its validated frame) and :data:`FORMATS`.

Formats are registered (:mod:`perf.loaders.registry`: a new format is one reader module
plus one :func:`register` call naming how it is recognised) and detected from the file's
header row. perf's own formats (:func:`perf.loaders.registry.formats` gives every
registered one, in the order they are tried):

=================  ============================================================  ============
format             recognised by                                                 frame
=================  ============================================================  ============
``local``          header has indicator, area_code, period, value                observations
``scorecard``      first cell ``Area`` and a ``PI,Actual,Target,Score`` row       observations
``ees``            time_period, geographic_level (DfE Explore Education Stats)   observations
``nccis``          an EES header with NEET_percent                               observations
``csww``           an EES header with agency_rate_fte, vacancy_rate_fte or       observations
                   caseload_fte (DfE social work workforce)
``placements``     an EES header with cla_group, placement_stability (DfE        observations
                   placement stability)
``care_leavers``   an EES header with care_leaver_age, breakdown (activity or    observations
                   accommodation: told apart by the breakdown values)
``lait``           Short Desc, ..., LA Number (CSV, or LAIT's parquet data set)  observations
``targets``        indicator, area_code, period, target                          targets
``key_activities`` ref, ..., status, progress                                    activities
``commentary``     indicator, area_code, period, text                            commentary
``plans``          plan, scheme, kind, item (where indicators and activities sit) plans
``statuses``       indicator, area_code, period, status (the council's own)       statuses
``assessments``    plan, level, name, status (the council's RAG of a priority)   assessments
``neighbours``     old_la_code, ..., SN_1 (statistical-neighbour model)          lookup
``ltla_utla``      LTLA23CD, UTLA23CD                                            lookup
``lait_dictionary``  Measure_code, Measure_short                                 lookup
``catalogue``      indicator, title, unit, polarity                              catalogue
``catalogue_lait`` indicator, counts, definition_plain (perf's notes on LAIT)    catalogue
``short_titles``   indicator, short_title (one-line names for charts)            catalogue
``xlsx``           la_code_list.xlsx / sn_*.xlsx (LAIT)                          lookup
``refused``        .xlsm, .xls, .xlsb, an .ods other than Ofsted's (``inspections``  (refused,
                   is tried first), or an .xlsx that is no sound zip; its reader   a finding)
                   (:mod:`perf.loaders.workbook`) says what to do
``return``         perf's collection workbook (Indicators and Notes sheets), or    observations
                   its Indicators sheet as CSV (Indicator id ... Council status:   (and the rest)
                   checked, and refused as a return)
``monthly``        indicator, area_code, then one column per month (Apr 2024 ...) observations
``inspections``    Ofsted's inspection outcomes (.ods with its judgement headings) inspections
``ssda903``        a folder of SSDA903 CSV tables (each by its exact header), or  observations
                   the return's XML (root EXPSSDA903): the council's children     (computed)
                   looked after return, read by :mod:`perf.childlevel`
``cin_census``     any other XML file: the children in need census (root          observations
                   Message), read by :mod:`perf.childlevel`                      (computed)
``narrative``      area_code, period, part, text (the council's own words: purpose, narrative
                   recommendations, main issues, inspection update)
=================  ============================================================  ============

The DfE workforce, placement stability and care leavers files are read by one table-driven
module (:mod:`perf.loaders.ees_measures`); Ofsted's judgements are not observations:
:func:`load_inspections` gives them as their own frame (:class:`perf.schema.Inspections`).

DfE pupil attendance releases (:mod:`perf.loaders.attendance`), observations: an EES header with
any of :data:`ATTENDANCE_SIGNS` is ``attendance_ytd`` when its first row's ``time_identifier``
is "Academic year" and ``attendance_weekly`` when it is "Week 37".

Examples:
    >>> from perf import config
    >>> detect_format(config.RAW_DIR / "lait" / "bds_long_0.parquet")
    'lait'
    >>> obs = load(config.LOCAL_DIR / "observations.csv")
    >>> obs.query("indicator == 'leeds_complaints_20d'")["value"].tolist()
    [55.0, 56.0]
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from perf import config
from perf.check import finding_line, plausibility
from perf.config import get_logger
from perf.errors import BadValueError, DuplicateKeyError, FileFormatError, PerfError
from perf.fileio import data_folder, input_file
from perf.loaders.combine import SUPERSEDED_COLUMNS, computed_yields
from perf.loaders.common import LAIT_HEADER
from perf.loaders.isolation import FileFailure, Loaded, read_isolated, set_aside, validate_isolated
from perf.loaders.registry import Format, Sniff, detect, get, names, register, suffixes
from perf.loaders.workbook import REFUSED_SUFFIXES, area_codes_in, refused

__all__ = [
    "PerfError",
    "load",
    "load_all",
    "load_all_isolated",
    "data_files",
    "read",
    "warn_impossible",
    "detect_format",
    "OBSERVATION_FORMATS",
    "FORMATS",
    "load_targets",
    "load_key_activities",
    "load_commentary",
    "load_plans",
    "load_inspections",
    "load_statuses",
    "load_assessments",
    "load_narrative",
    "load_local_isolated",
    "ISOLATED_TABLES",
    "Loaded",
    "FileFailure",
    "Format",
    "register",
    "superseded_figures",
]

log = get_logger()

#: Columns only a DfE pupil-attendance release has: any one makes an EES file an attendance
#: release, so a release with a renamed rate is refused by its own reader, not misread as a
#: generic EES file.
ATTENDANCE_SIGNS = frozenset(
    {"attendance_perc", "possible_sessions", "overall_attendance", "pa_perc"}
)


def _xlsx_lookup(path: Path) -> pd.DataFrame:
    """LAIT's look-up workbooks (``sn_*.xlsx``, ``la_code_list.xlsx``), told apart by name."""
    # importlib, not `from perf import areas`: perf's lazy top-level exports give the
    # *function* perf.areas once it has been used.
    areas = importlib.import_module("perf.areas")
    if path.name.lower().startswith("sn"):
        return areas.read_sn_xlsx(path)
    if "code" in path.name.lower():
        return areas.read_la_code_list(path)
    raise FileFormatError(
        "this workbook is not a supported lookup",
        file=path.name,
        row=1,
        hint="perf reads LAIT's la_code_list.xlsx and sn_*.xlsx.",
    )


def _is_return(sniff: Sniff) -> bool:
    if sniff.suffix == ".xlsx":
        # lazy: the returns reader pulls in openpyxl, which only a workbook needs
        from perf.loaders.returns import is_return

        return is_return(sniff.path)
    return {"indicator id", "council status", "commentary"} <= sniff.cols


def _is_monthly(sniff: Sniff) -> bool:
    cols = sniff.cols
    if not ({"indicator", "area_code"} <= cols and "period" not in cols and "value" not in cols):
        return False
    # lazy: as the readers, a sibling module
    from perf.loaders.monthly import is_month_header

    return any(is_month_header(c) for c in sniff.header)


def _is_attendance(kind: str) -> Callable[[Sniff], bool]:
    def recognise(sniff: Sniff) -> bool:
        if not (
            {"time_period", "geographic_level"} <= sniff.cols and sniff.cols & ATTENDANCE_SIGNS
        ):
            return False
        # lazy, like the readers: the attendance reader pulls in pandera via _frame
        from perf.loaders.attendance import kind_of

        return kind_of(sniff.path) == kind

    return recognise


def _is_dfe_measures(name: str) -> Callable[[Sniff], bool]:
    def recognise(sniff: Sniff) -> bool:
        if not {"time_period", "geographic_level"} <= sniff.cols:
            return False
        # lazy, like the readers: the module pulls in pandera via _frame
        from perf.loaders.ees_measures import recognises, types_of_format

        return any(recognises(t)(sniff) for t in types_of_format(name))

    return recognise


def _is_inspections(sniff: Sniff) -> bool:
    # lazy: as the readers (the module imports perf.schema)
    from perf.loaders.inspections import is_inspection_outcomes
    from perf.loaders.workbook import is_sound

    # Tried before "refused" (which turns away every other .ods): read only a sound zip.
    return is_sound(sniff.path) and is_inspection_outcomes(sniff.path)


def _xml_root(sniff: Sniff) -> str | None:
    # lazy: lxml and the returns' readers are for returns only
    from perf.childlevel.safexml import root_tag

    return root_tag(sniff.path)


def _is_ssda903(sniff: Sniff) -> bool:
    """An SSDA903 table (a CSV whose header is exactly one table's columns) or the
    return's XML (root element EXPSSDA903)."""
    if sniff.suffix == ".xml":
        return _xml_root(sniff) == "EXPSSDA903"
    # lazy: as the other readers' modules
    from perf.childlevel.ssda903 import is_table

    return is_table(sniff.header)


def _has(*columns: str, without: tuple[str, ...] = ()) -> Callable[[Sniff], bool]:
    """Recognise a header that has every one of ``columns`` and none of ``without``."""
    wanted, unwanted = frozenset(columns), frozenset(without)
    return lambda sniff: wanted <= sniff.cols and not unwanted & sniff.cols


_EES = ("time_period", "geographic_level")
_KEY = ("indicator", "area_code", "period")
_OBS = frozenset({"validate", "decimal"})
_WORKBOOK = frozenset({".xlsx"})
_TEXT = frozenset({".csv", ".tsv", ".txt"})
_XML = frozenset({".xml"})


def _is_lait_lookup(sniff: Sniff) -> bool:
    """LAIT's look-up workbooks, which its reader tells apart by name: any other workbook is
    refused by detection (named), never taken for a look-up and skipped."""
    name = sniff.path.name.lower()
    return name.startswith("sn") or "code" in name


def _register_builtin_formats() -> None:
    """perf's own formats, in the order they are tried (the module's table)."""
    for fmt in (
        Format(
            "refused",
            "refused",
            lambda s: refused(s.path),
            "perf.loaders.workbook:refuse",
            "a workbook perf does not open: macro-enabled (.xlsm), binary (.xls, .xlsb), "
            "OpenDocument (.ods), or an .xlsx that is not a sound zip within the size limits",
            suffixes=frozenset(REFUSED_SUFFIXES) | _WORKBOOK,
            options=frozenset({"validate", "decimal"}),
            isolated=True,
            areas="perf.loaders:_workbook_areas",
        ),
        Format(
            "return",
            "observations",
            _is_return,
            "perf.loaders:_return_observations",
            "perf's collection workbook (Indicators and Notes sheets), or its Indicators "
            "sheet as CSV",
            suffixes=_WORKBOOK | _TEXT,
            options=frozenset({"validate", "plans", "core"}),
            isolated=True,
            areas="perf.loaders:_return_areas",
            own=True,
            conflicts="perf.loaders.returns:duplicate_returns",
        ),
        Format(
            "xlsx",
            "lookup",
            _is_lait_lookup,
            _xlsx_lookup,
            "LAIT's la_code_list.xlsx / sn_*.xlsx",
            suffixes=_WORKBOOK,
        ),
        Format(
            "monthly",
            "observations",
            _is_monthly,
            "perf.loaders.monthly:read_monthly",
            "indicator, area_code, then one column per month (Apr 2024 ...)",
            options=frozenset({"validate"}),
            own=True,
        ),
        Format(
            "scorecard",
            "observations",
            lambda s: bool(s.header) and s.header[0].lower() == "area",
            "perf.loaders.local:read_scorecard",
            "first cell Area and a PI,Actual,Target,Score row",
            options=_OBS,
            isolated=True,
            areas="perf.loaders:_scorecard_areas",
            own=True,
        ),
        Format(
            "lait",
            "observations",
            lambda s: LAIT_HEADER <= s.cols,
            "perf.loaders.lait:read",
            "Short Desc, ..., LA Number (CSV, or LAIT's parquet data set)",
            suffixes=_TEXT | {".parquet"},
            options=_OBS,
        ),
        Format(
            "attendance_ytd",
            "observations",
            _is_attendance("attendance_ytd"),
            "perf.loaders.attendance:read_ytd",
            "a DfE attendance release whose first time_identifier is Academic year",
            options=_OBS | {"cutoff"},
        ),
        Format(
            "attendance_weekly",
            "observations",
            _is_attendance("attendance_weekly"),
            "perf.loaders.attendance:read_weekly",
            "a DfE attendance release of weeks",
            options=_OBS,
        ),
        Format(
            "nccis",
            "observations",
            _has(*_EES, "neet_percent"),
            "perf.loaders.nccis:read",
            "an EES header with NEET_percent",
            options=_OBS,
        ),
        Format(
            "ees",
            "observations",
            _has(*_EES),
            "perf.loaders.ees:read",
            "time_period, geographic_level (DfE Explore Education Statistics)",
            options=_OBS,
        ),
        Format(
            "lait_dictionary",
            "lookup",
            _has("measure_code", "measure_short"),
            "perf.loaders.lait:read_dictionary",
            "Measure_code, Measure_short",
        ),
        Format(
            "ltla_utla",
            "lookup",
            _has("ltla23cd", "utla23cd"),
            "perf.areas:read_ltla_utla",
            "LTLA23CD, UTLA23CD",
        ),
        Format(
            "neighbours",
            "lookup",
            _has("old_la_code", "sn_1"),
            "perf.areas:read_sn_csv",
            "old_la_code, ..., SN_1 (statistical-neighbour model)",
        ),
        Format(
            "key_activities",
            "activities",
            _has("ref", "status", "activity"),
            "perf.loaders.local:read_key_activities",
            "ref, ..., status, progress",
            isolated=True,
        ),
        Format(
            "catalogue",
            "catalogue",
            _has("indicator", "title", "polarity"),
            "perf.catalogue:local_catalogue",
            "indicator, title, unit, polarity",
        ),
        Format(
            "short_titles",
            "catalogue",
            _has("indicator", "short_title"),
            "perf.catalogue:short_titles",
            "indicator, short_title (one-line names for charts)",
        ),
        Format(
            "catalogue_lait",
            "catalogue",
            _has("indicator", "counts", "definition_plain"),
            "perf.catalogue:lait_notes",
            "indicator, counts, definition_plain (perf's notes on LAIT)",
        ),
        Format(
            "plans",
            "plans",
            _has("plan", "scheme", "kind", "item"),
            "perf.loaders.plans:read_plans",
            "plan, scheme, kind, item (where indicators and activities sit)",
            isolated=True,
        ),
        Format(
            "assessments",
            "assessments",
            _has("plan", "level", "name", "status"),
            "perf.loaders.plans:read_assessments",
            "plan, level, name, status (the council's RAG of a priority)",
            isolated=True,
        ),
        Format(
            "commentary",
            "commentary",
            _has(*_KEY, "text"),
            "perf.loaders.local:read_commentary",
            "indicator, area_code, period, text",
            isolated=True,
        ),
        Format(
            "local",
            "observations",
            _has(*_KEY, "value"),
            "perf.loaders.local:read_long",
            "indicator, area_code, period, value",
            options=_OBS,
            isolated=True,
            own=True,
        ),
        Format(
            "targets",
            "targets",
            _has(*_KEY, "target"),
            "perf.loaders.local:read_targets",
            "indicator, area_code, period, target",
            isolated=True,
        ),
        Format(
            "statuses",
            "statuses",
            _has(*_KEY, "status"),
            "perf.loaders.plans:read_statuses",
            "indicator, area_code, period, status (the council's own)",
            isolated=True,
        ),
        # The council's statutory returns: figures computed from child-level records.
        Format(
            "ssda903",
            "observations",
            _is_ssda903,
            "perf.childlevel.observations:ssda903_observations",
            "a folder of SSDA903 CSV tables (each recognised by its header), or the return's "
            "XML (root element EXPSSDA903)",
            suffixes=_TEXT | _XML,
            options=frozenset({"validate"}),
            isolated=True,
            areas="perf.childlevel.observations:ssda903_areas",
            together=True,
            own=True,
            computed=True,
        ),
        # Any other XML: the CIN census reader says whether it is one.
        Format(
            "cin_census",
            "observations",
            lambda s: s.suffix == ".xml",
            "perf.childlevel.observations:cin_observations",
            "the children in need census XML (root element Message)",
            suffixes=_XML,
            options=frozenset({"validate"}),
            isolated=True,
            areas="perf.childlevel.observations:cin_areas",
            own=True,
            computed=True,
            conflicts="perf.childlevel.observations:cin_conflicts",
        ),
        # A local indicator CSV with a column missing: let its reader say which.
        Format(
            "local_incomplete",
            "observations",
            _has("indicator", "area_code"),
            "perf.loaders.local:read_long",
            "indicator, area_code (a local CSV missing a column: its reader names it)",
            options=_OBS,
            isolated=True,
            own=True,
        ),
    ):
        register(fmt)
    # DfE's children's social care releases: specific EES files, tried before the general
    # EES reader (perf.loaders.ees_measures: one table of their columns and indicators).
    for name, describe in (
        ("csww", "DfE children's social work workforce (EES): agency_rate_fte, caseload_fte ..."),
        (
            "placements",
            "DfE placement stability (EES): cla_group, placement_stability",
        ),
        (
            "care_leavers",
            "DfE care leavers' activity or accommodation (EES): care_leaver_age, breakdown",
        ),
    ):
        register(
            Format(
                name,
                "observations",
                _is_dfe_measures(name),
                "perf.loaders.ees_measures:read",
                describe,
                options=_OBS,
            ),
            before="ees",
        )
    register(
        Format(
            "narrative",
            "narrative",
            _has("area_code", "period", "part", "text", without=("indicator",)),
            "perf.loaders.narrative:read_narrative",
            "area_code, period, part, text (the council's own words for its report)",
            isolated=True,
        ),
        before="commentary",
    )
    register(
        Format(
            "inspections",
            "inspections",
            _is_inspections,
            "perf.loaders.inspections:read",
            "Ofsted's children's services inspection outcomes (.ods: judgement headings)",
            suffixes=frozenset({".ods"}),
        ),
        before="refused",
    )


_register_builtin_formats()


def __getattr__(name: str) -> tuple[str, ...]:
    # The format lists follow the registry, so a format registered later is in them.
    if name == "FORMATS":
        return tuple(n for n in names() if n != "local_incomplete")
    if name == "OBSERVATION_FORMATS":
        return tuple(n for n in names("observations") if n != "local_incomplete")
    raise AttributeError(f"module 'perf.loaders' has no attribute {name!r}")


def detect_format(path: str | Path) -> str:
    """Name the format of a file (or of a folder of one return's tables) from its header
    row: the first registered format that recognises it (see the module table)."""
    path = Path(path)
    fmt = detect(path)
    if fmt is None and path.suffix.lower() in _WORKBOOK:
        raise FileFormatError(
            "the workbook is neither a collection return (with Indicators and Notes sheets) "
            "nor one of LAIT's look-ups (la_code_list.xlsx, sn_*.xlsx)",
            file=path.name,
            hint="Move it out of data/; a return is the workbook `perf template` wrote, filled in.",
        )
    if fmt is None:
        header = [] if path.is_dir() else Sniff(path).header
        raise FileFormatError(
            "the file's header matches no supported format",
            file=path.name,
            row=1,
            value=",".join(header)[:80],
            hint="A local indicator CSV needs the columns indicator, area_code, period, value; "
            "see perf.loaders for the other formats (a parquet file must be LAIT's data set).",
        )
    return "local" if fmt.name == "local_incomplete" else fmt.name


def _input(path: str | Path) -> Path:
    """``path`` when it is a readable file, or a folder holding one return's tables (a
    ``together`` format); else :func:`perf.fileio.input_file`'s error saying what it is."""
    path = Path(path)
    if path.is_dir() and detect(path) is not None:
        return path
    return input_file(path)


def _reader(fmt: str) -> Callable[..., pd.DataFrame]:
    """The reader of format ``fmt``, taking the path and the format's options."""
    return get(fmt).read


def _return_areas(path: Path) -> frozenset[str]:
    """The council a return is about: its Notes sheet's area code; when the workbook cannot
    be opened, the councils' codes written in its sheets (:func:`_workbook_areas`)."""
    # lazy: perf.loaders.returns imports perf.areas, which imports perf.loaders.common
    from perf.areas import find_area
    from perf.loaders.returns import read_return_once

    try:
        code = read_return_once(path).area_code
    except PerfError:
        return _workbook_areas(path)
    return frozenset({str(find_area(code)["area_code"])}) if code else frozenset()


def _workbook_areas(path: Path) -> frozenset[str]:
    """The councils a workbook that cannot be opened names in its sheets (a return's Notes
    sheet gives its area code): its failure stops their briefings, no one else's."""
    from perf.areas import find_area  # lazy: as _return_areas

    found = set()
    for code in area_codes_in(path):
        try:
            row = find_area(code)
        except PerfError:
            continue
        if row["area_level"] == "la":
            found.add(str(row["area_code"]))
    return frozenset(found)


def _scorecard_areas(path: Path) -> frozenset[str]:
    # lazy: as _return_areas
    from perf.areas import find_area
    from perf.loaders.local import scorecard_area

    area = scorecard_area(path)
    return frozenset({str(find_area(area)["area_code"])}) if area else frozenset()


def _check_decimal(decimal: str, fmt: str, path: Path) -> None:
    if decimal not in (".", ","):
        raise FileFormatError(
            f"decimal must be '.' or ',', not {decimal!r}",
            file=path.name,
            hint="Declare the file's decimal mark: '.' or ','.",
        )
    if "decimal" not in get(fmt).options:
        raise FileFormatError(
            f"a decimal mark can be declared for observation files only, not a {fmt} file",
            file=path.name,
        )


def read(
    path: str | Path,
    format: str | None = None,
    *,
    decimal: str | None = None,
    warn: bool = True,
) -> pd.DataFrame:
    """Any supported file -> its validated frame (observations, targets, activities, ...).

    ``decimal`` declares an observation file's decimal mark (``"."`` or ``","``); by
    default it is ``,`` for a ``;``-separated CSV and ``.`` otherwise. ``warn``: log each
    impossible figure of an observation file (:func:`warn_impossible`).
    """
    path = _input(path)
    fmt = format or detect_format(path)
    reader = get(fmt, file=path.name)
    if decimal is not None:
        _check_decimal(decimal, fmt, path)
    if reader.gives == "observations":
        options = {"decimal": decimal} if decimal is not None else {}
        return _observations(path, fmt, options, source_rows=False, warn=warn)
    if decimal is not None:
        return reader.read(path, decimal=decimal)
    return reader.read(path)


#: Observation readers whose frame meets the observations contract by construction (see
#: :mod:`perf.loaders.lait`): a single-file load leaves pandera's check out for them, as
#: their own ``validate=True`` read does (on LAIT's 640,000 rows it costs 2 s).
VALID_BY_CONSTRUCTION = frozenset({"lait"})
#: At most this many impossible figures of one file are logged one by one.
WARN_AT_MOST = 20


def warn_impossible(frame: pd.DataFrame) -> pd.DataFrame:
    """Log a warning for each impossible figure in ``frame`` (one file's observations, with
    ``source`` and ``source_row``): the errors of :func:`perf.check.plausibility`, the rules
    ``perf check`` applies (a negative percentage or rate, a numerator above its
    denominator in a percentage, a value that contradicts its numerator and denominator...),
    each naming the file, row and column. The figures are still loaded: ``perf check``
    stops a cycle on them. Returns the findings logged (all of them, however many).
    """
    # importlib: perf.catalogue imports perf.loaders.common, whose package is this one
    catalogue = importlib.import_module("perf.catalogue").catalogue()
    errors = plausibility(frame, catalogue, errors_only=True)
    for _, finding in errors.head(WARN_AT_MOST).iterrows():
        log.warning("impossible figure, loaded all the same: %s", finding_line(finding))
    if len(errors) > WARN_AT_MOST:
        log.warning(
            "%s: %d more impossible figures; `perf check %s` lists them all",
            errors["file"].iloc[0],
            len(errors) - WARN_AT_MOST,
            errors["file"].iloc[0],
        )
    return errors


def _observations(
    path: Path, fmt: str, options: dict, *, source_rows: bool, warn: bool
) -> pd.DataFrame:
    """One observation file, validated, its impossible figures logged (``warn``)."""
    from perf.loaders._frame import SOURCE_ROW, validate_observations  # lazy: pandera
    from perf.schema import OBSERVATION_COLUMNS

    frame = _reader(fmt)(path, validate=False, **options)
    if warn:
        warn_impossible(frame)
    result = (
        frame[OBSERVATION_COLUMNS]  # copy-on-write (pandas 3): a new frame, no data copied
        if fmt in VALID_BY_CONSTRUCTION
        else validate_observations(frame[OBSERVATION_COLUMNS], file=path.name)
    )
    if source_rows:
        result[SOURCE_ROW] = frame[SOURCE_ROW].to_numpy()
    result.attrs = dict(frame.attrs)  # what the reader noted (an attendance file's cut-offs)
    return result


def load(
    path: str | Path,
    format: str | None = None,
    *,
    decimal: str | None = None,
    source_rows: bool = False,
    cutoff=None,
    warn: bool = True,
) -> pd.DataFrame:
    """Load one file into the validated observations model (format detected if not given;
    ``decimal`` and ``warn`` as for :func:`read`; ``source_rows`` as for :func:`load_all`).

    ``cutoff`` (a date or text such as ``"2024-12-20"``): for a DfE attendance year-to-date
    release, the date its figures run to, when the user knows it (otherwise the file's own
    date, else estimated from the publication date in its name: see
    :mod:`perf.loaders.attendance`).

    Raises a :class:`perf.errors.PerfError` subclass naming file, row and column for
    anything malformed; nothing is half-loaded.
    """
    path = _input(path)
    fmt = format or detect_format(path)
    if get(fmt, file=path.name).gives == "refused":
        return read(path, fmt)  # its reader says why perf does not open it
    if get(fmt, file=path.name).gives != "observations":
        raise FileFormatError(
            f"this is a {fmt} file, not observations",
            file=path.name,
            row=1,
            hint="Use perf.loaders.read() for lookups, targets, key activities and commentary.",
        )
    options = {"decimal": decimal} if decimal is not None else {}
    if cutoff is not None:
        if "cutoff" not in get(fmt).options:
            raise FileFormatError(
                f"cutoff= applies to attendance year-to-date files, not {fmt}",
                file=path.name,
                hint="Leave cutoff= out for this file.",
            )
        options["cutoff"] = cutoff
    path = _input(path)
    if decimal is not None:
        _check_decimal(decimal, fmt, path)
    return _observations(path, fmt, options, source_rows=source_rows, warn=warn)


def data_files(data_dir: str | Path) -> list[Path]:
    """Every file under ``data_dir`` (any depth, hidden folders and files left out) whose
    suffix some registered format reads: what :func:`load_all` and ``perf check`` look at."""
    return _data_files(Path(data_dir))


def _data_files(data_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in data_dir.rglob("*")
        if p.is_file()
        and p.suffix.lower() in suffixes()
        and not any(part.startswith(".") for part in p.relative_to(data_dir).parts)
    )


def _sources(
    files: list[Path], *, every_file: bool = False
) -> tuple[list[tuple[Path, str]], list[FileFailure]]:
    """Each file with its format, except that the files of a ``together`` format (the
    tables of one statutory return) become their folder, once. A file no format recognises
    is an error; with ``every_file`` (``perf check``), a failure to list, and the rest go on."""
    found: list[tuple[Path, str]] = []
    unknown: list[FileFailure] = []
    folders: set[tuple[Path, str]] = set()
    for path in files:
        try:
            fmt = detect_format(path)
        except FileFormatError as exc:
            if not every_file:
                raise
            unknown.append(set_aside(path.name, frozenset(), exc, path))
            continue
        if get(fmt).together:
            if (path.parent, fmt) not in folders:
                folders.add((path.parent, fmt))
                found.append((path.parent, fmt))
            continue
        found.append((path, fmt))
    return found, unknown


def _conflicts(sources: list[tuple[Path, str]]) -> dict[Path, PerfError]:
    """The files that a format's rule across its files refuses (``Format.conflicts``: two
    returns for one council and period), each with its error."""
    by_format: dict[str, list[Path]] = {}
    for path, fmt in sources:
        by_format.setdefault(fmt, []).append(path)
    found: dict[Path, PerfError] = {}
    for fmt, paths in by_format.items():
        found.update(get(fmt).conflicting(paths))
    return found


def load_all(data_dir: str | Path = config.DATA_DIR, *, source_rows: bool = False) -> pd.DataFrame:
    """Every observation under ``data_dir`` in one validated frame.

    Every data file is classified; observation files are loaded, the others (lookups,
    targets, activities, commentary, the catalogue) are left to their own readers. A file
    whose format is not recognised is an error, so nothing in data/ is silently ignored;
    so is any file that cannot be read (see :func:`load_all_isolated` for the renderer's
    view, where one council's bad file stops only that council's briefings).

    ``source_rows=True`` adds a last column, ``source_row`` (not part of the schema): the
    row of its file (named by ``source``) that each observation came from, for
    ``perf check``'s findings.
    """
    loaded = load_all_isolated(data_dir, source_rows=source_rows)
    if loaded.failures:
        raise loaded.failures[0].error
    return loaded.frame


def load_all_isolated(
    data_dir: str | Path = config.DATA_DIR, *, source_rows: bool = False, every_file: bool = False
) -> Loaded:
    """:func:`load_all`, except that a council's own file that cannot be read is set aside
    (:mod:`perf.loaders.isolation`): the frame of everything else, and the files set aside
    with the councils each is about and its error.

    ``every_file``: ``perf check``'s view, which lists every file that cannot be read and
    checks the rest: any such file is set aside (a published release, a file no format
    recognises, one whose council cannot be told: ``areas`` empty), never raised. Never for
    a briefing: a file about no known council would stop no one's."""
    data_dir = data_folder(data_dir).resolve()
    files = _data_files(data_dir)
    # The renderer runs many notebooks in one warm kernel: the tidy frame of an unchanged
    # data directory (same files, sizes and modification times) is built once per process
    # and each caller gets its own copy.
    fingerprint = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    combined, failures, _, own = _load_all_cached(data_dir, fingerprint, every_file)
    from perf.loaders._frame import SOURCE_ROW  # lazy: see _load_all_cached

    frame = combined if source_rows else combined.drop(columns=SOURCE_ROW)
    return Loaded(frame.copy(), failures, own)


def _is_own(path: Path, fmt: str, data_dir: Path) -> bool:
    """A council's own, unpublished figures: a format that says so (a return, a scorecard,
    a long or monthly local CSV) or any file under data/local, at any depth."""
    local = data_dir if data_dir.name == "local" else data_dir / "local"
    return get(fmt).own or path.resolve().is_relative_to(local.resolve())


def superseded_figures(
    data_dir: str | Path = config.DATA_DIR, *, every_file: bool = False
) -> pd.DataFrame:
    """The figures computed from the council's returns that :func:`load_all` set aside
    because a published (or keyed-in) figure has the same indicator, area and period: one
    row each with both values and sources (:data:`perf.loaders.combine.SUPERSEDED_COLUMNS`).
    ``perf check`` reports those that differ (``every_file``: as
    :func:`load_all_isolated`)."""
    data_dir = data_folder(data_dir).resolve()
    files = _data_files(data_dir)
    fingerprint = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _load_all_cached(data_dir, fingerprint, every_file)[2].copy()


@lru_cache(maxsize=4)
def _load_all_cached(
    data_dir: Path, fingerprint: tuple, every_file: bool = False
) -> tuple[pd.DataFrame, tuple[FileFailure, ...], pd.DataFrame, frozenset[str]]:
    # Lazy: the schema imports pandera (most of a second); a render that only reads the
    # cached frame imports this module but never builds a frame.
    from perf.loaders._frame import SOURCE_ROW, concat_observations, validate_observations
    from perf.loaders.attendance import combine_weekly  # lazy: as the registered readers (pandera)
    from perf.schema import OBSERVATION_COLUMNS

    started = time.perf_counter()
    frames: list[pd.DataFrame] = []
    weekly: list[pd.DataFrame] = []
    computed: list[pd.DataFrame] = []
    frames_of: dict[str, tuple[str, Path]] = {}  # file name -> (format, path) of files read
    own: set[str] = set()  # the sources of the council's own figures
    sources, failures = _sources([Path(name) for name, _, _ in fingerprint], every_file=every_file)
    conflicts = _conflicts(sources)
    # read once, when a format checks its files against them: the plans, the core set
    plans: list[tuple[pd.DataFrame, pd.DataFrame | None]] = []
    for path, fmt in sources:
        # a refused workbook is read too: its reader says why it is refused (a finding
        # for its council, never a file silently left out)
        if get(fmt).gives in ("observations", "refused"):
            options: dict[str, object] = {"validate": False}
            if "plans" in get(fmt).options:
                plans = plans or [(_plans(data_dir, []), _core_set(data_dir))]
                options["plans"] = plans[0][0]
                if "core" in get(fmt).options:
                    options["core"] = plans[0][1]

            def read_one(p: Path, f: str = fmt, o: dict = options) -> pd.DataFrame:
                if p in conflicts:
                    raise conflicts[p]
                return _reader(f)(p, **o)

            # Each file's rules are checked with its own rows; the contract once, below.
            frame = read_isolated(path, fmt, read_one, every_file=every_file)
            if isinstance(frame, FileFailure):
                failures.append(frame)
                continue
            frames_of[path.name] = (fmt, path)
            if _is_own(path, fmt, data_dir):
                own.update(frame["source"].astype(str).unique())
            if get(fmt).computed:
                computed.append(frame)
            else:
                (weekly if fmt == "attendance_weekly" else frames).append(frame)
            log.info("loaded %s (%s): %d rows", path.name, fmt, len(frame))
        else:
            log.info("%s is a %s file: read it with perf.loaders.read()", path.name, fmt)
    if weekly:
        # Each weekly release repeats the weeks before it: the latest release's figure stands.
        frames.append(combine_weekly(weekly))
    superseded = None
    if computed:
        # A figure computed from the council's returns yields to a given one with its key.
        mine = concat_observations(computed)
        ids, areas = set(mine["indicator"].astype(str)), set(mine["area_code"].astype(str))
        near = [f[f["indicator"].isin(ids) & f["area_code"].isin(areas)] for f in frames]
        given = concat_observations(near) if near else mine.iloc[0:0]
        kept, superseded = computed_yields(given, mine)
        frames.append(kept)
    if not frames:
        raise FileFormatError(
            "no observation files found",
            file=str(data_dir),
            hint="Point load_all at the project's data/ directory.",
        )
    # Rules across files (a key given twice): a council's own file named by the error is
    # set aside like an unreadable one; anything else stops the load.
    result, combined, crossed = validate_isolated(
        concat_observations(frames),
        lambda f: validate_observations(
            f[OBSERVATION_COLUMNS], file=data_dir.name, row_numbers=f[SOURCE_ROW]
        ),
        frames_of,
        every_file=every_file,
    )
    failures += crossed
    result[SOURCE_ROW] = combined[SOURCE_ROW].to_numpy()
    log.info(
        "load_all: %d observations from %d files in %.1fs",
        len(result),
        len(frames),
        time.perf_counter() - started,
    )
    if superseded is None:
        superseded = pd.DataFrame(columns=SUPERSEDED_COLUMNS)
    return result, tuple(failures), superseded, frozenset(own)


def _local_files(data_dir: Path, fmt: str) -> list[Path]:
    """The files of data/local (any depth) in format ``fmt`` (a file no format recognises
    is load_all's to report)."""
    local_dir = data_dir / "local" if (data_dir / "local").is_dir() else data_dir
    found = [(p, detect(p)) for p in _data_files(local_dir)]
    return [p for p, f in found if f is not None and _public_name(f.name) == fmt]


def _public_name(name: str) -> str:
    return "local" if name == "local_incomplete" else name


def _local_frames(
    data_dir: Path,
    fmt: str,
    read: Callable[[Path], pd.DataFrame],
    failures: list[FileFailure] | None,
) -> list[pd.DataFrame]:
    """Each ``fmt`` file of data/local read; with a ``failures`` list, a council's bad file
    is set aside there instead of raised (:mod:`perf.loaders.isolation`)."""
    frames = []
    for path in _local_files(data_dir, fmt):
        if failures is None:
            frames.append(read(path))
            continue
        frame = read_isolated(path, fmt, read)
        if isinstance(frame, FileFailure):
            failures.append(frame)
        else:
            frames.append(frame)
    return frames


def _targets(data_dir: Path, failures: list[FileFailure] | None) -> pd.DataFrame:
    # lazy: the package's readers import perf.areas/catalogue, which import perf.loaders.common
    from perf.loaders import local
    from perf.schema import KEY, Targets

    frames = _local_frames(data_dir, "targets", local.read_targets, failures)
    frames += _local_frames(data_dir, "scorecard", local.scorecard_targets, failures)
    frames += _from_returns(data_dir, "targets", failures)
    if not frames:
        return Targets.validate(
            pd.DataFrame(
                {c: pd.Series(dtype=str) for c in ["indicator", "area_code", "period"]}
            ).assign(target=pd.Series(dtype=float))
        )
    combined = pd.concat(frames, ignore_index=True)
    # the same target given twice (targets.csv and a scorecard) is one target: the row that
    # says who set it is kept
    said = combined.reindex(columns=["set_by", "set_on"]).notna().sum(axis=1)
    combined = (
        combined.assign(_said=said.to_numpy())
        .sort_values("_said", ascending=False, kind="stable")
        .drop_duplicates(KEY + ["target"])
        .drop(columns="_said")
        .sort_index()
    )
    clash = combined.duplicated(KEY, keep=False)
    if clash.any():
        row = combined[clash].iloc[0]
        raise DuplicateKeyError(
            f"different targets for {row['indicator']}, {row['area_code']}, {row['period']}",
            file=str(data_dir / "local"),
            column="target",
            hint="Keep the target in one place (targets.csv or the scorecard).",
        )
    return Targets.validate(combined.reset_index(drop=True))


def _key_activities(data_dir: Path, failures: list[FileFailure] | None) -> pd.DataFrame:
    # lazy: the package's readers import perf.areas/catalogue, which import perf.loaders.common
    from perf.loaders import local
    from perf.schema import KeyActivities

    frames = _local_frames(data_dir, "key_activities", local.read_key_activities, failures)
    frames += _from_returns(data_dir, "activities", failures)
    return pd.concat(frames, ignore_index=True) if frames else KeyActivities.empty()


def _commentary(data_dir: Path, failures: list[FileFailure] | None) -> pd.DataFrame:
    # lazy: the package's readers import perf.areas/catalogue, which import perf.loaders.common
    from perf.loaders import local
    from perf.schema import Commentary

    frames = _local_frames(data_dir, "commentary", local.read_commentary, failures)
    frames += _from_returns(data_dir, "commentary", failures)
    return pd.concat(frames, ignore_index=True) if frames else Commentary.empty()


def load_targets(data_dir: str | Path = config.DATA_DIR) -> pd.DataFrame:
    """All targets in data/local: targets CSVs and the scorecards' Target column.

    A target repeated with the same value is kept once; two different targets for the
    same indicator, area and period raise :class:`DuplicateKeyError`.
    """
    return _targets(Path(data_dir), None)


def load_key_activities(data_dir: str | Path = config.DATA_DIR) -> pd.DataFrame:
    """Every key-activities file in data/local, one frame (empty, with its columns, when
    the council keeps none)."""
    return _key_activities(Path(data_dir), None)


def load_commentary(data_dir: str | Path = config.DATA_DIR) -> pd.DataFrame:
    """Every commentary file in data/local, one frame (empty, with its columns, when the
    council keeps none)."""
    return _commentary(Path(data_dir), None)


def load_local_isolated(
    name: str, data_dir: str | Path = config.DATA_DIR, *, plans: pd.DataFrame | None = None
) -> Loaded:
    """One of the local tables (``name``: ``load_targets``, ``load_key_activities``,
    ``load_commentary``, ``load_plans``, ``load_statuses``, ``load_assessments`` or
    ``load_narrative``), with a
    council's bad file set aside rather than raised: the frame, and the files set aside.

    ``plans``: for ``load_statuses``, the plans already read (``load_plans``' frame), whose
    schemes the statuses are checked against; read again when not given. Either way a bad
    plan file is among the plans' failures only, not the statuses'."""
    if name not in _LOCAL_TABLES:
        raise ValueError(f"no local table {name!r}: one of {', '.join(_LOCAL_TABLES)}")
    if plans is not None and name != "load_statuses":
        raise ValueError(f"plans= is for load_statuses, not {name}")
    failures: list[FileFailure] = []
    if name == "load_statuses":
        frame = _statuses(Path(data_dir), failures, plans)
    else:
        frame = _LOCAL_TABLES[name](Path(data_dir), failures)
    return Loaded(frame, tuple(failures))


def _plans(data_dir: Path, failures: list[FileFailure] | None) -> pd.DataFrame:
    # lazy: as the registered readers, the package's readers import perf.areas and perf.catalogue
    from perf.loaders import plans

    frames = _local_frames(data_dir, "plans", plans.read_plans, failures)
    if not frames:
        return pd.DataFrame(columns=plans.PLAN_COLUMNS + ["order"])
    combined = pd.concat(frames, ignore_index=True)
    while (dup := combined.duplicated(["area_code", "plan", "kind", "item"])).any():
        row = combined[dup].iloc[0]
        folder = str(data_dir / "local")
        error = DuplicateKeyError(
            f"{row['item']} is placed in {row['plan']} by two plan files",
            file=folder,
            column="item",
            hint="Keep each plan in one file.",
        )
        if failures is None or not row["area_code"]:
            raise error
        # the council's plans cannot be told apart: its briefings stop, the others go on
        failures.append(set_aside(folder, frozenset({row["area_code"]}), error))
        combined = combined[combined["area_code"] != row["area_code"]]
    combined = combined.reset_index(drop=True)
    combined["order"] = range(len(combined))
    return combined


def _statuses(
    data_dir: Path, failures: list[FileFailure] | None, placed: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The statuses, each checked against the scheme of its indicator's plan in ``placed``
    (the plans already read; None: read them here). A bad plan file is the plans' failure,
    never the statuses': read here, the plans' own failures are kept apart (``failures``
    lists the statuses' files only), so it is listed once however the tables are read."""
    # lazy: as the registered readers, the package's readers import perf.areas and perf.catalogue
    from perf.loaders import plans

    frames = _local_frames(data_dir, "statuses", plans.read_statuses, failures)
    frames += [
        f.assign(file=f"{f.attrs.get('file', 'return')}", row=0)
        for f in _from_returns(data_dir, "statuses", failures)
    ]
    if not frames:
        return pd.DataFrame(columns=plans.STATUS_COLUMNS + ["scheme"])
    combined = pd.concat(frames, ignore_index=True)
    if placed is None:
        placed = _plans(data_dir, None if failures is None else [])
    core = _core_set(data_dir)
    # each status's scheme: its indicator's in what the council collects in the status's
    # period (its plans in force, else the core set: plans.plans_for, as its workbook)
    schemes: dict[tuple[str, str], dict[str, str]] = {}
    for key in set(zip(combined["area_code"], combined["period"])):
        rows, _ = plans.plans_for(placed, core if core is not None else placed.iloc[0:0], *key)
        rows = rows[rows["kind"] == "indicator"]
        schemes[key] = dict(zip(rows["item"], rows["scheme"]))
    # a status for an indicator of one of the council's plans in another period (a worked
    # example's year, a plan whose dates were not recorded) takes that plan's scheme
    any_plan = placed[placed["kind"] == "indicator"]
    anywhere = {
        (a, i): sc for a, i, sc in zip(any_plan["area_code"], any_plan["item"], any_plan["scheme"])
    }
    wanted = pd.Series(
        [
            schemes[(a, p)].get(i, anywhere.get((a, i)))
            for a, p, i in zip(combined["area_code"], combined["period"], combined["indicator"])
        ],
        index=combined.index,
        dtype=object,
    )
    # a status for an indicator the council does not collect in its period is shown
    # nowhere: with plans or a core set to check against, it is an error, never a silent drop
    checked = len(placed) or (core is not None and len(core))
    unplaced = wanted.isna() if checked else pd.Series(False, index=combined.index)
    while (wrong := (wanted.notna() & (wanted != combined["scheme"])) | unplaced).any():
        row = combined[wrong].iloc[0]
        if unplaced[row.name]:
            error = BadValueError(
                f"a status for {row['indicator']}, which {row['area_code']} does not collect in "
                f"{row['period']} (its plans in force, else the core set)",
                file=row["file"],
                row=int(row["row"]),
                column="indicator",
                value=row["indicator"],
                hint="Give statuses for the indicators of the council's plan in force "
                "(data/local/plans.csv, its from and to), or add the indicator to the plan.",
            )
        else:
            error = BadValueError(
                f"status is in the {row['scheme']} scheme but {row['indicator']}'s plan "
                f"uses {wanted[row.name]}",
                file=row["file"],
                row=int(row["row"]),
                column="status",
                value=row["status"],
                hint="Use one of: " + ", ".join(plans.SCHEMES[wanted[row.name]].accepts()) + ".",
            )
        of_file = combined["file"] == row["file"]
        if failures is None:
            raise error
        failures.append(
            set_aside(row["file"], frozenset(combined.loc[of_file, "area_code"]), error)
        )
        combined, wanted, unplaced = combined[~of_file], wanted[~of_file], unplaced[~of_file]
    return combined.drop(columns=["file", "row"]).reset_index(drop=True)


def _core_set(data_dir: Path) -> pd.DataFrame | None:
    """The data folder's children's services core set (None when it keeps none)."""
    # lazy: as the registered readers, the package's readers import perf.areas and perf.catalogue
    from perf.loaders.plans import read_core_set

    return read_core_set(data_dir)


def _assessments(data_dir: Path, failures: list[FileFailure] | None) -> pd.DataFrame:
    # lazy: as the registered readers, the package's readers import perf.areas and perf.catalogue
    from perf.loaders import plans

    frames = _local_frames(data_dir, "assessments", plans.read_assessments, failures)
    if not frames:
        return pd.DataFrame(columns=plans.ASSESSMENT_COLUMNS + ["scheme", "order"])
    combined = pd.concat(frames, ignore_index=True)
    combined["order"] = range(len(combined))
    return combined


def load_plans(data_dir: str | Path = config.DATA_DIR) -> pd.DataFrame:
    """Every plan file in data/local, one frame (see :mod:`perf.loaders.plans`); an item
    placed in two plan files for the same plan is an error."""
    return _plans(Path(data_dir), None)


def load_inspections(
    data_dir: str | Path = config.DATA_DIR, *, history: bool = False
) -> pd.DataFrame | None:
    """Ofsted's children's services (ILACS) judgements in every inspections file under
    ``data_dir`` (:mod:`perf.loaders.inspections`; :class:`perf.schema.Inspections`): each
    council's latest inspection, or with ``history=True`` every inspection since 2018. None
    when data/ holds no Ofsted file.

    Several files (a year's release beside the last one's) are read together: an
    inspection in two files is kept once, from the file read last (names sorted: the later
    release), and each council's latest is the one with the latest inspection date.
    Reading Ofsted's file takes seconds (odfpy parses the whole document): a process reads
    an unchanged file once.
    """
    data_dir = Path(data_dir).resolve()
    files = [p for p in _data_files(data_dir) if p.suffix.lower() in get("inspections").suffixes]
    files = [p for p in files if detect_format(p) == "inspections"]
    if not files:
        return None
    fingerprint = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _inspections_cached(fingerprint, history).copy()


@lru_cache(maxsize=4)
def _inspections_cached(fingerprint: tuple, history: bool) -> pd.DataFrame:
    # lazy: as the registered readers (the module imports perf.schema's models)
    from perf.loaders.inspections import read as read_inspections

    frames = [read_inspections(Path(name), history=history) for name, _, _ in fingerprint]
    combined = pd.concat(frames, ignore_index=True)
    combined = combined.drop_duplicates(["area_code", "inspection_date"], keep="last")
    if not history:
        combined = combined.sort_values("inspection_date", kind="stable").drop_duplicates(
            "area_code", keep="last"
        )
        combined = combined.sort_values("area_name", kind="stable")
    return combined.reset_index(drop=True)


def load_statuses(
    data_dir: str | Path = config.DATA_DIR, *, plans: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The council's own indicator statuses, each checked against its plan's scheme: a
    status in another scheme (a RAG colour for a plan that uses tolerance symbols) is an
    error naming the file, row and column. ``plans``: the plans already read
    (:func:`load_plans`), else they are read here (a bad plan file raises)."""
    return _statuses(Path(data_dir), None, plans)


def load_assessments(data_dir: str | Path = config.DATA_DIR) -> pd.DataFrame:
    """The council's own RAG assessments of its plans, priorities and measures."""
    return _assessments(Path(data_dir), None)


def _narrative(data_dir: Path, failures: list[FileFailure] | None) -> pd.DataFrame:
    # lazy: as the registered readers (the module imports perf.areas)
    from perf.loaders.narrative import NARRATIVE_COLUMNS, read_narrative

    frames = _local_frames(data_dir, "narrative", read_narrative, failures)
    if not frames:
        return pd.DataFrame(columns=[*NARRATIVE_COLUMNS, "order"])
    combined = pd.concat(frames, ignore_index=True)
    combined["order"] = range(len(combined))
    return combined


def load_narrative(data_dir: str | Path = config.DATA_DIR) -> pd.DataFrame:
    """The council's own words for its reports (:mod:`perf.loaders.narrative`): purpose,
    recommendations, main issues and inspection update, one row per paragraph in the files'
    order (empty, with its columns, when the council keeps none)."""
    return _narrative(Path(data_dir), None)


_LOCAL_TABLES = {
    "load_targets": _targets,
    "load_key_activities": _key_activities,
    "load_commentary": _commentary,
    "load_plans": _plans,
    "load_statuses": _statuses,
    "load_assessments": _assessments,
    "load_narrative": _narrative,
}
#: The local tables whose council files :func:`load_local_isolated` can set aside: all seven.
ISOLATED_TABLES = frozenset(_LOCAL_TABLES)


def _read_return(path: Path):
    # lazy: as the registered readers, the package's readers import perf.areas and perf.catalogue
    from perf.loaders.returns import read_return_once

    return read_return_once(path)


def _checked_return(
    path: Path, plans: pd.DataFrame | None = None, core: pd.DataFrame | None = None
):
    """A return read and checked, with its indicators checked against what its council
    collects in its period (``plans`` in force, else the ``core`` set); any error raises,
    listing every one."""
    # lazy: as _read_return
    from perf.loaders.returns import ReturnError, plan_problems

    result = _read_return(path)
    checked = plans is not None or core is not None
    problems = result.errors + (plan_problems(result, plans, core) if checked else [])
    if problems:
        raise ReturnError.from_problems(problems, result.file)
    return result


def _read_returns(data_dir: Path, failures: list[FileFailure] | None = None) -> list:
    """Every return in data/local, read and checked (its indicators against its council's
    plans in force, else the core set; one return per council and period). A return with errors stops here, listing
    them all; with a ``failures`` list, a return whose council is known is set aside there
    instead."""
    paths = _local_files(data_dir, "return")
    conflicts = get("return").conflicting(paths)
    plans = _plans(data_dir, []) if paths else None
    core = _core_set(data_dir) if paths else None

    def read_one(path: Path):
        if path in conflicts:
            raise conflicts[path]
        return _checked_return(path, plans, core)

    found = []
    for path in paths:
        if failures is None:
            found.append(read_one(path))
            continue
        result = read_isolated(path, "return", read_one)
        if isinstance(result, FileFailure):
            failures.append(result)
        else:
            found.append(result)
    return found


def _from_returns(
    data_dir: Path, what: str, failures: list[FileFailure] | None = None
) -> list[pd.DataFrame]:
    frames = []
    for result in _read_returns(data_dir, failures):
        frame = getattr(result, what)
        if frame is not None and len(frame):
            frame = frame.copy()
            frame.attrs["file"] = result.file
            frames.append(frame)
    return frames


def _return_observations(
    path: Path,
    *,
    validate: bool = True,
    plans: pd.DataFrame | None = None,
    core: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A return's figures for its period, as tidy observations (a return with errors
    raises, listing them all; with ``plans`` or the ``core`` set, so does one whose
    indicators are not those its council collects in its period)."""
    # lazy: as the registered readers, the package's readers import perf.areas and perf.catalogue
    from perf.loaders.returns import return_observations

    return return_observations(_checked_return(path, plans, core), validate=validate)
