"""Plausibility of loaded observations: figures that cannot be true (errors) or are
unlikely to be (warnings), each located by file, row and column.

:func:`plausibility` is a pure function of the tidy observations and the catalogue (it
reads the catalogue's ``unit`` and ``title``), so a briefing can list the warnings that
touch its own figures; ``perf check [PATH ...]`` prints them for a data directory or file,
beside the returns checks of a collection workbook (:mod:`perf.collection`), in one format
(:func:`finding_line`) with one exit rule (:func:`exit_code`).

What is checked (``unit`` is the catalogue's; an indicator the catalogue lacks is a
``number``, of which little can be said):

=====================================================  ========  ==========================
finding                                                severity  units
=====================================================  ========  ==========================
value not finite (inf)                                 error     all
negative value                                         error     %, rate per 10,000, count,
                                                                 days (not for gaps,
                                                                 differences, changes,
                                                                 progress scores)
negative numerator or denominator                      error     all
magnitude over 1e9                                     error     %, rate, count, days
                                                       warning   number, score (over 1e12)
numerator or denominator over 1e11                     error     all (England's possible
                                                                 school sessions in a year
                                                                 are about 2.4e9)
numerator larger than denominator                      error     % (a share of a whole)
                                                       warning   rate per 10,000
value inconsistent with numerator / denominator        error     rate (x 10,000), % (x 100),
                                                                 when over 10% apart
                                                       warning   the same, closer (DfE's
                                                                 regional attendance rates
                                                                 are weighted estimates)
percentage over 100                                    warning   % (take-up against a
                                                                 population estimate can
                                                                 exceed 100; 450% absence
                                                                 cannot)
period kinds mixed within one indicator                warning   all (one finding per
                                                                 indicator and minority kind)
=====================================================  ========  ==========================

"Within rounding": the value may differ from numerator / denominator x 10,000 (or x 100)
by half a unit of its last decimal place, plus 1% of the computed figure (DfE rounds the
published rate, and may compute it from a population it rounds or revises).

Location: ``file`` is the file named at the start of ``source``; ``row`` is the frame's
``source_row`` column when present (``perf.load_all(source_rows=True)`` adds it: the row of
that file, header = row 1 in a CSV, first record = row 1 in a parquet file), else missing;
``column`` is the tidy column the finding is about (value, numerator, denominator, period).

Examples:
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"indicator": ["abs", "abs"], "area_code": ["E1", "E2"],
    ...     "period": ["2015/16", "2015/16"], "period_kind": ["academic_year"] * 2,
    ...     "value": [-4.0, 450.0], "numerator": [float("nan")] * 2,
    ...     "denominator": [float("nan")] * 2, "source": ["a.csv (x)"] * 2, "source_row": [2, 3]})
    >>> cat = pd.DataFrame({"indicator": ["abs"], "unit": ["%"], "title": ["Absence (%)"]})
    >>> found = plausibility(obs, cat)
    >>> found[["severity", "file", "row", "column"]].values.tolist()
    [['error', 'a.csv', 2, 'value'], ['warning', 'a.csv', 3, 'value']]
    >>> found["message"].tolist()[0]
    'negative value (-4): impossible for a percentage'
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from perf.fileio import source_file

__all__ = [
    "FINDING_COLUMNS",
    "SEVERITIES",
    "exit_code",
    "finding_line",
    "findings_frame",
    "plausibility",
    "summary",
]

#: What ``perf check`` reports, one row per finding, whatever was checked: ``sheet`` is
#: set for a collection workbook (perf.collection's returns checks), missing otherwise;
#: ``indicator``, ``area_code`` and ``period`` where the finding is about one figure.
FINDING_COLUMNS = [
    "severity",
    "file",
    "sheet",
    "row",
    "column",
    "indicator",
    "area_code",
    "period",
    "message",
]
#: Severities, most serious first. A revision (a changed figure for a period already
#: published) stops the cycle as an error does; a warning does not.
SEVERITIES = ("error", "revision", "warning")
#: Units whose figures cannot be negative and cannot exceed 1e9.
BOUNDED_UNITS = {"%", "rate per 10,000", "count", "days"}
#: Titles or ids of indicators that measure a difference (may be negative, or over 100%).
DIFFERENCE = re.compile(r"gap|differen|change|progress|value.added|_va\b|percentage point", re.I)
LARGE, HUGE = 1e9, 1e12
#: Numerators and denominators count people or events (school sessions run to billions).
EVENTS_LARGE = 1e11
#: Value and numerator / denominator further apart than this (relative) cannot be one figure.
INCONSISTENT = 0.10
UNIT_NAMES = {
    "%": "percentage",
    "rate per 10,000": "rate per 10,000",
    "count": "count",
    "days": "number of days",
}


def _codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(a code per row, the distinct values as ``str``): a categorical's own codes (a missing
    value is -1), otherwise the column made text and factorized. Lookups then cost per
    distinct value, not per row (LAIT's 640,000 rows have 434 indicators).

    >>> codes, names = _codes(pd.Series(["b", "a", "b"], dtype="category"))
    >>> codes.tolist(), names.tolist()
    ([1, 0, 1], ['a', 'b'])
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        names = np.asarray(column.cat.categories.astype(str), dtype=object)
        return column.cat.codes.to_numpy(), names
    codes, uniques = pd.factorize(column.astype(str))
    return codes, np.asarray(uniques, dtype=object)


def _units(obs: pd.DataFrame, catalogue: pd.DataFrame | None) -> dict[str, np.ndarray]:
    """Per row: whether its measure is a ``difference``, whether its unit is ``bounded``
    (:data:`BOUNDED_UNITS`), a percentage (``pct``) or a ``rate`` per 10,000, each looked up
    once per indicator; and ``unit``, one per indicator, whose ``code`` each row has
    (``unit[code[rows]]``: the units of those rows)."""
    codes, distinct = _codes(obs["indicator"])
    if catalogue is None or "indicator" not in catalogue.columns:
        unit_of: dict[str, object] = {}
        title_of: dict[str, object] = {}
    else:
        # reversed: an indicator listed twice keeps its first entry
        ids = catalogue["indicator"].tolist()[::-1]
        unit_of = dict(zip(ids, catalogue["unit"].tolist()[::-1])) if "unit" in catalogue else {}
        title_of = dict(zip(ids, catalogue["title"].tolist()[::-1])) if "title" in catalogue else {}
    # one entry per distinct indicator, then one for a missing one (code -1 takes the last)
    unit = np.array(
        [u if isinstance(u := unit_of.get(i), str) else "number" for i in distinct] + ["number"],
        dtype=object,
    )
    diff = np.array(
        [bool(DIFFERENCE.search(f"{i} {title_of.get(i) or ''}")) for i in distinct] + [False],
        dtype=bool,
    )
    per_indicator = {
        "unit": unit,
        "difference": diff,
        "bounded": np.isin(unit, list(BOUNDED_UNITS)),
        "pct": unit == "%",
        "rate": unit == "rate per 10,000",
    }
    codes = codes.astype(np.intp)  # one conversion: numpy's take is fastest with intp
    per_row = {name: values.take(codes) for name, values in per_indicator.items() if name != "unit"}
    return {**per_row, "unit": unit, "code": codes}


def _text(column: pd.Series) -> pd.Series:
    """``column`` as ``str``; a categorical stays one (its few categories made text), so
    mapping and comparing cost per category, not per row (LAIT's 640,000 rows)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.rename_categories(column.cat.categories.astype(str))
    return column.astype(str)


def _fmt(values: np.ndarray) -> list[str]:
    return [f"{v:,.6g}" for v in values]


def plausibility(
    obs: pd.DataFrame,
    catalogue: pd.DataFrame | None,
    *,
    periods_also: pd.DataFrame | None = None,
    errors_only: bool = False,
) -> pd.DataFrame:
    """Findings about ``obs`` (tidy observations, optionally with ``source_row``): one row
    per finding with :data:`FINDING_COLUMNS`, errors first, then by file and row. Does
    not mutate its inputs; an empty frame (with those columns) when all is plausible.

    ``periods_also``: rows whose figures are not checked but whose periods count in the
    mixed-period warning (indicator, area_code, period, period_kind, source[, source_row]):
    what a return with errors reports, whose errors stand for its figures.

    ``errors_only``: leave the warnings out (what a load logs: an impossible figure, not an
    unlikely one), and the work of finding them.
    """
    n = len(obs)
    units = _units(obs, catalogue)
    difference, bounded = units["difference"], units["bounded"]
    is_pct, is_rate = units["pct"], units["rate"]

    def unit(where: np.ndarray) -> np.ndarray:
        return units["unit"][units["code"][where]]

    value = pd.to_numeric(obs["value"], errors="coerce").to_numpy(dtype=float)
    numerator = (
        pd.to_numeric(obs["numerator"], errors="coerce").to_numpy(dtype=float)
        if "numerator" in obs
        else np.full(n, np.nan)
    )
    denominator = (
        pd.to_numeric(obs["denominator"], errors="coerce").to_numpy(dtype=float)
        if "denominator" in obs
        else np.full(n, np.nan)
    )
    # Checks on counts are left out where there are none: LAIT's 640,000 rows have none,
    # and each check is a pass over every row (their findings would all be empty).
    counted = not (np.isnan(numerator).all() and np.isnan(denominator).all())
    counts = (("numerator", numerator), ("denominator", denominator)) if counted else ()
    pieces: list[tuple[str, str, np.ndarray, list[str]]] = []

    def add(severity: str, column: str, mask: np.ndarray, message) -> None:
        if errors_only and severity != "error":
            return
        where = np.flatnonzero(mask)
        if len(where):
            pieces.append((severity, column, where, message(where)))

    with np.errstate(invalid="ignore", divide="ignore"):
        for column, figures in (("value", value), *counts):
            add(
                "error",
                column,
                np.isinf(figures),
                lambda w, c=column: [f"{c} is not a finite number"] * len(w),
            )
        add(
            "error",
            "value",
            (value < 0) & bounded & ~difference,
            lambda w: [
                f"negative value ({v}): impossible for a {UNIT_NAMES[u]}"
                for v, u in zip(_fmt(value[w]), unit(w))
            ],
        )
        for column, figures in counts:
            add(
                "error",
                column,
                figures < 0,
                lambda w, c=column, f=figures: [
                    f"negative {c} ({v}): it counts people or events" for v in _fmt(f[w])
                ],
            )
        finite = np.isfinite(value)
        add(
            "error",
            "value",
            finite & (np.abs(value) > LARGE) & bounded,
            lambda w: [
                f"{v} is an absurd magnitude for a {UNIT_NAMES[u]}"
                for v, u in zip(_fmt(value[w]), unit(w))
            ],
        )
        add(
            "warning",
            "value",
            finite & (np.abs(value) > HUGE) & ~bounded,
            lambda w: [
                f"{v} is an implausible magnitude (over a million million)" for v in _fmt(value[w])
            ],
        )
        for column, figures in counts:
            add(
                "error",
                column,
                np.isfinite(figures) & (np.abs(figures) > EVENTS_LARGE),
                lambda w, c=column, f=figures: [
                    f"{c} {v} is an absurd magnitude for a count" for v in _fmt(f[w])
                ],
            )
        if counted:  # a value against its numerator and denominator
            both = np.isfinite(numerator) & np.isfinite(denominator)
            over = both & (numerator > denominator) & (denominator >= 0)
            add(
                "error",
                "numerator",
                over & is_pct,
                lambda w: [
                    f"numerator {a} is larger than its denominator {b}: a share cannot exceed its whole"
                    for a, b in zip(_fmt(numerator[w]), _fmt(denominator[w]))
                ],
            )
            add(
                "warning",
                "numerator",
                over & is_rate,
                lambda w: [
                    f"numerator {a} is larger than its denominator {b}: more events than people"
                    for a, b in zip(_fmt(numerator[w]), _fmt(denominator[w]))
                ],
            )
            scale = np.where(is_rate, 10_000.0, np.where(is_pct, 100.0, np.nan))
            computed = numerator / denominator * scale
            off = both & np.isfinite(computed) & finite & (denominator > 0)
            # the tolerance is 1% of the computed figure plus half a unit of the value's last
            # decimal place (0 to 6 places): its decimals are counted only where they matter
            gap, slack = np.abs(value - computed), 0.01 * np.abs(computed)
            off &= gap > slack + 0.5e-6
            unsure = off & (gap <= slack + 0.5)
            off[unsure] = gap[unsure] > slack[unsure] + 0.5 * 10.0 ** -_decimals(value[unsure])
            far = off & (gap > INCONSISTENT * np.abs(computed))
            for severity, mask in (("error", far), ("warning", off & ~far)):
                add(
                    severity,
                    "value",
                    mask,
                    lambda w: [
                        f"value {v} is not numerator / denominator x {s:,.0f} = {c} (within rounding)"
                        for v, s, c in zip(_fmt(value[w]), scale[w], _fmt(np.round(computed[w], 4)))
                    ],
                )
        add(
            "warning",
            "value",
            finite & is_pct & (value > 100) & ~difference & (value <= LARGE),
            lambda w: [
                f"{v}% is over 100%: implausible for a share of a whole (only a "
                "take-up against a population estimate may exceed it)"
                for v in _fmt(value[w])
            ],
        )

    findings = [
        _frame(obs, severity, column, where, messages)
        for severity, column, where, messages in pieces
    ]
    if not errors_only:
        reported = (
            obs
            if periods_also is None or periods_also.empty
            else pd.concat([obs, periods_also], ignore_index=True)
        )
        findings.append(_mixed_kinds(reported))
    findings = [f for f in findings if len(f)]
    return _ordered(pd.concat(findings, ignore_index=True)) if findings else _no_findings()


def _no_findings() -> pd.DataFrame:
    """An empty findings frame, with every column in its dtype."""
    return pd.DataFrame(
        {c: pd.Series(dtype="Int64" if c == "row" else object) for c in FINDING_COLUMNS}
    )


def _ordered(findings: pd.DataFrame) -> pd.DataFrame:
    out = findings.assign(_order=findings["severity"].map({s: i for i, s in enumerate(SEVERITIES)}))
    out = out.sort_values(["_order", "file", "row", "column"], kind="stable", na_position="last")
    return out.drop(columns="_order").reset_index(drop=True)[FINDING_COLUMNS]


def findings_frame(rows: list[dict] | list[pd.DataFrame]) -> pd.DataFrame:
    """Findings from any checker (dicts with some of :data:`FINDING_COLUMNS`, or finding
    frames) as one frame with every column, most serious first, then by file and row.

    >>> f = findings_frame([{"severity": "warning", "file": "r.xlsx", "sheet": "Indicators",
    ...                      "row": 3, "column": "Commentary", "message": "no commentary"},
    ...                     {"severity": "revision", "file": "r.xlsx", "message": "changed"}])
    >>> f["severity"].tolist(), f.columns.tolist() == FINDING_COLUMNS
    (['revision', 'warning'], True)
    """
    frames = [r if isinstance(r, pd.DataFrame) else pd.DataFrame([r]) for r in rows]
    frames = [f for f in frames if len(f)]
    if not frames:
        return _no_findings()
    out = pd.concat(frames, ignore_index=True).reindex(columns=FINDING_COLUMNS)
    out["row"] = pd.array(pd.to_numeric(out["row"], errors="coerce"), dtype="Int64")
    out = out.astype({c: object for c in FINDING_COLUMNS if c != "row"})
    return _ordered(out.where(out.notna(), None).astype({"row": "Int64"}))


def finding_line(finding) -> str:
    """One finding as ``perf check`` prints it: severity, file, sheet, row, column, then the
    figure it is about and the message.

    >>> finding_line(pd.Series({"severity": "error", "file": "obs.csv", "sheet": None,
    ...     "row": 3, "column": "value", "indicator": "abs", "area_code": "E1",
    ...     "period": "2015/16", "message": "negative value (-4)"}))
    "ERROR   obs.csv, row 3, column 'value': abs E1 2015/16: negative value (-4)"
    """
    where = [str(finding["file"])]
    if isinstance(finding["sheet"], str) and finding["sheet"]:
        where.append(f"sheet {finding['sheet']!r}")
    if not pd.isna(finding["row"]):
        where.append(f"row {int(finding['row'])}")
    if isinstance(finding["column"], str) and finding["column"]:
        where.append(f"column {finding['column']!r}")
    about = " ".join(
        str(finding[c])
        for c in ("indicator", "area_code", "period")
        if isinstance(finding[c], str) and finding[c]
    )
    return (
        f"{str(finding['severity']).upper():7s} {', '.join(where)}: "
        + (f"{about}: " if about else "")
        + str(finding["message"])
    )


def exit_code(findings: pd.DataFrame) -> int:
    """``perf check``'s one exit rule: 1 on any error or revision, 0 with only warnings.

    >>> exit_code(pd.DataFrame({"severity": ["warning"]})), exit_code(pd.DataFrame(
    ...     {"severity": ["warning", "revision"]}))
    (0, 1)
    """
    return int(findings["severity"].isin(["error", "revision"]).any())


def _decimals(values: np.ndarray) -> np.ndarray:
    """Decimal places each figure is written with (0 to 6), e.g. 67 -> 0, 28.25 -> 2."""
    out = np.zeros(len(values), dtype=float)
    safe = np.where(np.isfinite(values), np.abs(values), 0.0)
    for places in range(6, 0, -1):
        scaled = safe * 10.0 ** (places - 1)
        out = np.where(
            np.abs(scaled - np.round(scaled)) > 1e-6 * np.maximum(scaled, 1),
            np.maximum(out, places),
            out,
        )
    return out


def _files(obs: pd.DataFrame, where: np.ndarray) -> list[str]:
    if "source" not in obs:
        return [""] * len(where)
    return [source_file(s) for s in obs["source"].iloc[where].to_numpy()]


def _rows(obs: pd.DataFrame, where: np.ndarray) -> pd.array:
    if "source_row" not in obs:
        return pd.array([pd.NA] * len(where), dtype="Int64")
    return pd.array(obs["source_row"].iloc[where].to_numpy(), dtype="Int64")


def _frame(
    obs: pd.DataFrame, severity: str, column: str, where: np.ndarray, messages: list[str]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "severity": severity,
            "file": _files(obs, where),
            "sheet": None,
            "row": _rows(obs, where),
            "column": column,
            "indicator": obs["indicator"].iloc[where].astype(str).to_numpy(),
            "area_code": obs["area_code"].iloc[where].astype(str).to_numpy(),
            "period": obs["period"].iloc[where].astype(str).to_numpy(),
            "message": messages,
        },
        columns=FINDING_COLUMNS,
    )


def _mixed_kinds(obs: pd.DataFrame) -> pd.DataFrame:
    """One warning per indicator and minority period kind when an indicator's figures mix
    kinds (quarters beside years): a trend of them compares unlike periods."""
    if "period_kind" not in obs or obs.empty:
        return _no_findings()
    indicator, _ = _codes(obs["indicator"])
    kind, kinds = _codes(obs["period_kind"])
    known = (indicator >= 0) & (kind >= 0)
    per_indicator = np.bincount(
        indicator[known].astype(np.int64) * len(kinds) + kind[known],
        minlength=(int(indicator.max()) + 1) * len(kinds),
    ).reshape(-1, len(kinds))
    if ((per_indicator > 0).sum(axis=1) < 2).all():
        return (
            _no_findings()
        )  # each indicator has one kind (the usual case: counted on codes, fast)
    pairs = pd.DataFrame({"indicator": _text(obs["indicator"]), "kind": _text(obs["period_kind"])})
    counts = pairs.value_counts().rename("n").reset_index()
    counts = counts[counts["n"] > 0].astype({"indicator": str, "kind": str})
    mixed = counts[counts.duplicated("indicator", keep=False)]
    if mixed.empty:
        return _no_findings()
    rows = []
    for indicator, group in mixed.groupby("indicator", sort=True):
        group = group.sort_values("n", ascending=False)
        described = ", ".join(f"{k} ({n:,})" for k, n in zip(group["kind"], group["n"]))
        for kind in group["kind"].iloc[1:]:
            first = int(
                np.flatnonzero(
                    (pairs["indicator"] == indicator).to_numpy(dtype=bool)
                    & (pairs["kind"] == kind).to_numpy(dtype=bool)
                )[0]
            )
            part = _frame(
                obs,
                "warning",
                "period",
                np.array([first]),
                [f"{indicator} mixes period kinds: {described}; the first {kind} is here"],
            )
            part["area_code"] = None  # the finding is about the indicator, not this area
            rows.append(part)
    return pd.concat(rows, ignore_index=True)


def summary(findings: pd.DataFrame) -> str:
    """One line: how many errors and warnings (and revisions, when there are any).

    >>> summary(pd.DataFrame({"severity": ["error", "warning", "warning"]}))
    '1 error, 2 warnings'
    >>> summary(pd.DataFrame({"severity": ["revision"]}))
    '0 errors, 1 revision, 0 warnings'
    """
    counts = {s: int((findings["severity"] == s).sum()) for s in SEVERITIES}
    return ", ".join(
        f"{n} {s}{'' if n == 1 else 's'}" for s, n in counts.items() if s != "revision" or n
    )
