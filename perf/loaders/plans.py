"""The council's plans, its own status scheme, its own statuses and its RAG assessments.

Three small CSVs in ``data/local`` (any file name; the header says which it is):

``plans.csv``: where each indicator and key activity sits, one row per placement, in the
order the council reports them::

    area_code,plan,scheme,priority,objective,kind,item,ref,lead_officer
    E08000027,Council Plan 2013,tolerance,Young people,,indicator,dudley_lac_rate,PI 1178,

``scheme`` is the council's status scheme for the plan (one per plan): ``tolerance``
(Dudley's four tolerance symbols ★ ● ◐ ▲) or ``rag`` (red, amber, green). ``kind`` is
``indicator`` (``item`` a catalogue id) or ``activity`` (``item`` a key-activity ref).

Optional columns: ``role`` (an indicator's: ``kpi``, judged against a target, or
``context``, demand and volumes shown with an expected range and never a status; blank:
``kpi``); ``from`` and ``to`` (the first and last period the plan is in force, a financial
year or quarter; blank: always; one pair per plan); ``tolerance`` and ``tolerance_type``
(``absolute`` or ``relative``: the council's own no-change and on-target band for the
indicator, overriding the catalogue's).

The default indicator set, ``data/core_set.csv``, has this layout with ``area_code`` ``*``
(any council): :func:`read_plans` reads it, :func:`in_force` says which plans apply to a
period.

``statuses.csv``: the status the council itself gave an indicator
(``indicator,area_code,period,status``), in its plan's scheme: a symbol, its word, or the
status name (``★``, ``exceeds``; ``R``, ``red``).

``assessments.csv``: the council's own assessment of a plan, a priority or a plan's
measures (``area_code,period,plan,level,name,status[,text,flag]``): ``level`` is ``plan``
or the singular noun the council uses for what it assesses (``directorate priority``,
``measure``); ``status`` is in the plan's scheme.

Examples:
    >>> canonical_status("★"), canonical_status("Amber"), canonical_status(" r ")
    ('exceeds', 'amber', 'red')
    >>> canonical_status("star") is None
    True
    >>> SCHEMES["rag"].labels["red"]
    ('R', 'Red')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from perf import config
from perf.errors import (
    BadValueError,
    DuplicateKeyError,
    UnexpectedColumnError,
    UnknownIndicatorError,
)
from perf.loaders.common import FLAG_VALUES, period_frame, read_csv_strings, require_columns
from perf.periods import parse_period

__all__ = [
    "ASSESSMENT_COLUMNS",
    "PLAN_COLUMNS",
    "SCHEMES",
    "STATUS_COLUMNS",
    "Scheme",
    "ANY_AREA",
    "ROLES",
    "canonical_status",
    "in_force",
    "plans_for",
    "read_assessments",
    "read_core_set",
    "read_plans",
    "read_statuses",
    "scheme_of_status",
]

PLAN_COLUMNS = [
    "area_code",
    "plan",
    "scheme",
    "priority",
    "objective",
    "kind",
    "item",
    "ref",
    "lead_officer",
    "role",
    "from",
    "to",
    "tolerance",
    "tolerance_type",
]
PLAN_REQUIRED = ["area_code", "plan", "scheme", "priority", "kind", "item"]
STATUS_COLUMNS = ["indicator", "area_code", "period", "status"]
ASSESSMENT_COLUMNS = ["area_code", "period", "plan", "level", "name", "status", "text", "flag"]
ASSESSMENT_REQUIRED = ["area_code", "period", "plan", "level", "name", "status"]
KINDS = ("indicator", "activity")
#: An indicator's role in a plan: a KPI has a target and a status; a context measure (demand,
#: volumes) an expected range and no status.
ROLES = ("kpi", "context")
#: ``area_code`` of a plan that applies to every council (the default core set).
ANY_AREA = "*"


@dataclass(frozen=True)
class Scheme:
    """A council's status scheme: statuses best first, each with (symbol, word)."""

    name: str
    description: str
    labels: dict[str, tuple[str, str]]

    def accepts(self) -> list[str]:
        """Every spelling a cell may hold (symbols, words, names), for drop-downs and hints."""
        return [s for sym, word in self.labels.values() for s in (sym, word)]

    def label(self, status: str) -> str:
        sym, word = self.labels[status]
        return f"{sym} {word}"


#: The schemes a plan may declare. ``tolerance`` is Dudley's (symbols from its report's
#: legend; the two middle symbols did not survive the seed's transcription and are perf's);
#: ``rag`` is Leeds's red / amber / green. Status names match perf.scoring's statuses and
#: RAG colours, so the council's own view and perf's calculation compare directly; the
#: tolerance labels are the one source of perf.scoring.STATUSES' symbols and words.
SCHEMES: dict[str, Scheme] = {
    "tolerance": Scheme(
        "tolerance",
        "four levels against the target tolerance",
        {
            "exceeds": ("★", "Exceeds target tolerance"),
            "on_target_upper": ("●", "On target (upper half of tolerance)"),
            "on_target_lower": ("◐", "On target (lower half of tolerance)"),
            "below": ("▲", "Below target tolerance"),
        },
    ),
    "rag": Scheme(
        "rag",
        "red, amber, green",
        {
            "green": ("G", "Green"),
            "amber": ("A", "Amber"),
            "red": ("R", "Red"),
        },
    ),
}

_SPELLINGS: dict[str, str] = {}
for _scheme in SCHEMES.values():
    for _name, (_sym, _word) in _scheme.labels.items():
        for _text in (_name, _sym, _word):
            _SPELLINGS[" ".join(_text.lower().replace("_", " ").split())] = _name


def canonical_status(text: object) -> str | None:
    """The status name a cell means (any scheme), or None when it means none."""
    if not isinstance(text, str):
        return None
    return _SPELLINGS.get(" ".join(text.lower().replace("_", " ").split()))


def scheme_of_status(status: str) -> str:
    """The scheme a canonical status belongs to.

    >>> scheme_of_status("below"), scheme_of_status("amber")
    ('tolerance', 'rag')
    """
    return next(name for name, s in SCHEMES.items() if status in s.labels)


def _read(path: str | Path, columns: list[str], required: list[str]) -> tuple[pd.DataFrame, str]:
    path = Path(path)
    raw = read_csv_strings(path)
    require_columns(raw, required, path.name)
    for column in raw.columns:
        if column not in columns:
            raise UnexpectedColumnError(
                "column is not part of this format",
                file=path.name,
                row=1,
                column=column,
                hint=f"Allowed columns: {', '.join(columns)}.",
            )
    raw = raw.apply(lambda c: c.str.strip())
    for column in columns:
        if column not in raw:
            raw[column] = ""
    for column in required:
        blank = raw[column] == ""
        if blank.any():
            raise BadValueError(
                f"{column} is blank",
                file=path.name,
                row=int(np.flatnonzero(blank.to_numpy())[0]) + 2,
                column=column,
                hint=f"Every row needs {', '.join(required)}.",
            )
    raw = raw[columns].reset_index(drop=True)
    if len(raw):
        # lazy: perf.areas imports perf.loaders.common, whose package imports this module
        from perf.areas import resolve_area_codes

        # a name, a code in any case or a DfE number, as every local file: an area the
        # briefing cannot find would make the plan (or status) vanish without a word; the
        # core set's "*" (every council) stays as it is
        named = (raw["area_code"] != ANY_AREA).to_numpy()
        if named.any():
            codes = raw.loc[named, "area_code"]
            raw.loc[named, "area_code"] = resolve_area_codes(
                codes, file=path.name, rows=pd.Series(codes.index + 2, index=codes.index)
            )["area_code"].to_numpy()
    return raw, path.name


def _known_indicators(raw: pd.DataFrame, mask: pd.Series, column: str, file: str) -> None:
    """Every id in ``raw[column]`` where ``mask`` is a catalogue indicator, else an error
    naming the first row that is not."""
    from perf.catalogue import catalogue  # lazy: as in loaders.local, the catalogue is a sibling

    unknown = mask & ~raw[column].isin(set(catalogue()["indicator"]))
    if unknown.any():
        raise UnknownIndicatorError(
            "indicator is not in the catalogue",
            file=file,
            row=_first(unknown),
            column=column,
            value=raw[column][unknown].iloc[0],
            hint="Use an id from data/catalogue.csv.",
        )


def _first(mask: pd.Series) -> int:
    """The spreadsheet row of the first True in ``mask`` (header is row 1)."""
    return int(np.flatnonzero(mask.to_numpy())[0]) + 2


def read_plans(path: str | Path) -> pd.DataFrame:
    """``plans.csv`` -> one row per placement, with ``order`` (the file's order).

    Raises a :class:`~perf.errors.DataError` naming the row and column for an unknown
    scheme or kind, a plan declared with two schemes, an indicator not in the catalogue,
    or an item placed twice in one plan.
    """
    raw, file = _read(path, PLAN_COLUMNS, PLAN_REQUIRED)
    bad = ~raw["scheme"].str.lower().isin(list(SCHEMES))
    if bad.any():
        raise BadValueError(
            "unknown status scheme",
            file=file,
            row=_first(bad),
            column="scheme",
            value=raw["scheme"][bad].iloc[0],
            hint=f"Use one of: {', '.join(SCHEMES)}.",
        )
    raw["scheme"] = raw["scheme"].str.lower()
    two = raw.groupby(["area_code", "plan"])["scheme"].transform("nunique") > 1
    if two.any():
        raise BadValueError(
            "a plan is declared with two status schemes",
            file=file,
            row=_first(two),
            column="scheme",
            value=raw["plan"][two].iloc[0],
            hint="Give every row of one plan the same scheme.",
        )
    raw["kind"] = raw["kind"].str.lower()
    bad = ~raw["kind"].isin(KINDS)
    if bad.any():
        raise BadValueError(
            "kind must be indicator or activity",
            file=file,
            row=_first(bad),
            column="kind",
            value=raw["kind"][bad].iloc[0],
        )
    _known_indicators(raw, raw["kind"] == "indicator", "item", file)
    dup = raw.duplicated(["area_code", "plan", "kind", "item"], keep="first")
    if dup.any():
        raise DuplicateKeyError(
            "an item is placed twice in the same plan",
            file=file,
            row=_first(dup),
            column="item",
            value=raw["item"][dup].iloc[0],
            hint="List each indicator or activity once per plan.",
        )
    for column in ("objective", "ref", "lead_officer"):
        raw[column] = raw[column].replace("", None)
    _roles(raw, file)
    _in_force_columns(raw, file)
    _tolerances(raw, file)
    raw["order"] = np.arange(len(raw))
    return raw


def _roles(raw: pd.DataFrame, file: str) -> None:
    """``role`` as ``kpi`` or ``context`` (blank: ``kpi``; an activity has none)."""
    role = raw["role"].str.lower().replace("", "kpi")
    bad = (raw["kind"] == "indicator") & ~role.isin(ROLES)
    if bad.any():
        raise BadValueError(
            "role must be kpi or context",
            file=file,
            row=_first(bad),
            column="role",
            value=raw["role"][bad].iloc[0],
            hint="kpi: judged against a target; context: demand or volumes, never given a "
            "status. Blank means kpi.",
        )
    raw["role"] = role.where(raw["kind"] == "indicator", None)


def _in_force_columns(raw: pd.DataFrame, file: str) -> None:
    """``from`` and ``to`` as canonical period labels (None when blank); one pair per plan,
    ``from`` not after ``to``."""
    rows = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    for column in ("from", "to"):
        given = raw[column] != ""
        labels = pd.Series(None, index=raw.index, dtype=object)
        if given.any():
            parsed = period_frame(
                raw.loc[given, column], None, file=file, column=column, rows=rows[given]
            )
            labels[given] = parsed["period"].to_numpy()
        raw[column] = labels
    for column in ("from", "to"):
        two = raw.groupby(["area_code", "plan"])[column].transform("nunique") > 1
        if two.any():
            raise BadValueError(
                f"a plan is given two different '{column}' periods",
                file=file,
                row=_first(two),
                column=column,
                value=raw["plan"][two].iloc[0],
                hint="A plan is in force from one period to another: give every row of the "
                "plan the same from and to (or leave them blank on all but one).",
            )
        # a plan's period, from whichever of its rows gives it
        raw[column] = raw.groupby(["area_code", "plan"])[column].transform(
            lambda c: c.dropna().iloc[0] if c.notna().any() else None
        )
    both = raw["from"].notna() & raw["to"].notna()
    ends = [
        parse_period(str(a)).start > parse_period(str(b)).end if ok else False
        for a, b, ok in zip(raw["from"], raw["to"], both)
    ]
    backwards = pd.Series(ends, index=raw.index)
    if backwards.any():
        raise BadValueError(
            "the plan's 'to' period ends before its 'from' period starts",
            file=file,
            row=_first(backwards),
            column="to",
            value=raw["to"][backwards].iloc[0],
            hint="Give the first period the plan is in force in 'from', the last in 'to'.",
        )


def _tolerances(raw: pd.DataFrame, file: str) -> None:
    """``tolerance`` a number of at least 0 (NaN when blank); ``tolerance_type``
    ``absolute`` or ``relative`` (blank: absolute)."""
    value = pd.to_numeric(raw["tolerance"].replace("", None), errors="coerce")
    bad = (raw["tolerance"] != "") & (value.isna() | (value < 0))
    if bad.any():
        raise BadValueError(
            "tolerance must be a number of at least 0",
            file=file,
            row=_first(bad),
            column="tolerance",
            value=raw["tolerance"][bad].iloc[0],
            hint="The band around the target, in the indicator's units (or a fraction with "
            "tolerance_type relative); blank for the catalogue's.",
        )
    kind = raw["tolerance_type"].str.lower().replace("", "absolute")
    bad = ~kind.isin(["absolute", "relative"])
    if bad.any():
        raise BadValueError(
            "tolerance_type must be absolute or relative",
            file=file,
            row=_first(bad),
            column="tolerance_type",
            value=raw["tolerance_type"][bad].iloc[0],
        )
    raw["tolerance"] = value.astype("float64")
    raw["tolerance_type"] = kind.where(value.notna(), None)


def plans_for(
    plans: pd.DataFrame | None, core: pd.DataFrame, area_code: str, period: str
) -> tuple[pd.DataFrame, bool]:
    """The plan rows that apply to ``area_code`` in ``period``: its own plans in force
    (:func:`in_force`); where none of them places an indicator, the core set (``core``, read
    from ``data/core_set.csv``) for its indicators, beside any of its own activities in
    force. Returns (rows, whether the indicators are the core set's). One rule for the
    briefing and the collection workbook.

    >>> core = pd.DataFrame({"area_code": "*", "plan": "Core", "kind": "indicator",
    ...                      "item": ["cla_rate"], "from": None, "to": None})
    >>> own = pd.DataFrame({"area_code": "X", "plan": "Old", "kind": "indicator",
    ...                     "item": ["x"], "from": "2010-11", "to": "2012-13"})
    >>> rows, is_core = plans_for(own, core, "X", "2024-25")
    >>> rows[["area_code", "item"]].values.tolist(), is_core
    ([['X', 'cla_rate']], True)
    >>> plans_for(own, core, "X", "2012-13 Q1")[0]["item"].tolist()
    ['x']
    """
    mine = plans[plans["area_code"] == area_code] if plans is not None else None
    now = in_force(mine, period)
    own = now[now["kind"] == "indicator"] if now is not None else None
    is_core = own is None or own.empty
    indicators = core.assign(area_code=area_code) if own is None or own.empty else own
    activities = now[now["kind"] == "activity"] if now is not None else indicators.iloc[0:0]
    return pd.concat([indicators, activities], ignore_index=True), is_core


def read_core_set(data_dir: str | Path) -> pd.DataFrame | None:
    """The children's services core set of a data folder (its ``core_set.csv``, read by
    :func:`read_plans`), or None when the folder keeps none: the indicators
    :func:`plans_for` gives a council with no plan of its own in force.

    >>> read_core_set(Path("/nowhere")) is None
    True
    """
    path = Path(data_dir) / config.CORE_SET_FILE.name
    return read_plans(path) if path.is_file() else None


def in_force(plans: pd.DataFrame | None, period: str) -> pd.DataFrame | None:
    """The rows of the plans in force in ``period`` (any label): those whose ``from`` to
    ``to`` span overlaps it (a blank end is open). None when no plan is.

    >>> plans = pd.DataFrame({"plan": ["Old", "New"], "from": ["2010-11", "2024-25"],
    ...                       "to": ["2012-13", None]})
    >>> in_force(plans, "2012-13 Q1")["plan"].tolist(), in_force(plans, "2025-26 Q2")["plan"].tolist()
    (['Old'], ['New'])
    >>> in_force(plans, "2019-20") is None
    True
    """
    if plans is None or not len(plans):
        return None
    asked = parse_period(period)
    keep = []
    for start, end in zip(
        plans["from"] if "from" in plans else [None] * len(plans),
        plans["to"] if "to" in plans else [None] * len(plans),
    ):
        opens = parse_period(str(start)).start if isinstance(start, str) and start else None
        closes = parse_period(str(end)).end if isinstance(end, str) and end else None
        keep.append(
            (opens is None or opens <= asked.end) and (closes is None or asked.start <= closes)
        )
    found = plans[keep]
    return found if len(found) else None


def _canonical_statuses(written: pd.Series, file: str) -> pd.Series:
    """Each status as its scheme's canonical word; one in no scheme is an error naming the
    file's row."""
    status = written.map(canonical_status)
    if status.isna().any():
        raise BadValueError(
            "status is in no status scheme",
            file=file,
            row=_first(status.isna()),
            column="status",
            value=written[status.isna()].iloc[0],
            hint=_scheme_hint(),
        )
    return status


def read_statuses(path: str | Path) -> pd.DataFrame:
    """``statuses.csv`` -> indicator, area_code, period (canonical), status (canonical),
    scheme, row (the file's row, for later checks against the plan's scheme)."""
    raw, file = _read(path, STATUS_COLUMNS, STATUS_COLUMNS)
    _known_indicators(raw, pd.Series(True, index=raw.index), "indicator", file)
    rows = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    status = _canonical_statuses(raw["status"], file)
    raw["status"] = status
    raw["scheme"] = status.map(scheme_of_status)
    raw["period"] = period_frame(raw["period"], None, file=file, column="period", rows=rows)[
        "period"
    ].to_numpy()
    dup = raw.duplicated(["indicator", "area_code", "period"])
    if dup.any():
        raise DuplicateKeyError(
            "two statuses for one indicator, area and period",
            file=file,
            row=_first(dup),
            column="status",
        )
    raw["file"], raw["row"] = file, rows
    return raw


def read_assessments(path: str | Path) -> pd.DataFrame:
    """``assessments.csv`` -> area_code, period, plan, level, name, status (canonical),
    scheme, text, flag, order."""
    raw, file = _read(path, ASSESSMENT_COLUMNS, ASSESSMENT_REQUIRED)
    rows = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    status = _canonical_statuses(raw["status"], file)
    flag = raw["flag"].str.lower()
    bad = (flag != "") & ~flag.isin(FLAG_VALUES)
    if bad.any():
        raise BadValueError(
            "unknown flag",
            file=file,
            row=_first(bad),
            column="flag",
            value=raw["flag"][bad].iloc[0],
            hint="Use ex for an example, or blank.",
        )
    raw["status"], raw["scheme"] = status, status.map(scheme_of_status)
    raw["flag"] = flag.replace("", None)
    raw["text"] = raw["text"].replace("", None)
    raw["period"] = period_frame(raw["period"], None, file=file, column="period", rows=rows)[
        "period"
    ].to_numpy()
    dup = raw.duplicated(["area_code", "period", "plan", "level", "name"])
    if dup.any():
        raise DuplicateKeyError(
            "the same thing is assessed twice",
            file=file,
            row=_first(dup),
            column="name",
            value=raw["name"][dup].iloc[0],
        )
    raw["order"] = np.arange(len(raw))
    return raw


def _scheme_hint() -> str:
    return (
        "Use one of: "
        + "; ".join(f"{name} ({', '.join(s.accepts())})" for name, s in SCHEMES.items())
        + "."
    )
