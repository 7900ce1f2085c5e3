"""The quarter's collection workbook, and the check of a filled-in return against what perf
already holds.

:func:`build_template` makes the workbook ``perf template`` writes (openpyxl): an
``Indicators`` sheet with the council's indicators from its plan (ref, id, title, plan,
priority, objective, polarity, unit, target, tolerance, frequency, cumulative or in-period,
lead officer), the earlier periods pre-filled, and blank cells for this period's value,
numerator, denominator, the council's own status (a drop-down of the plan's scheme) and the
commentary (required when off target). A figure perf computed from the council's own
statutory returns (:mod:`perf.childlevel`: its SSDA903 return, its CIN census) for the
period is pre-filled and locked instead, with a comment saying where it came from: the
service lead adds only the status and the commentary; a ``Key activities`` sheet (ref, plan, priority,
objective, activity, period, status drop-down, progress, lead officer); and a ``Notes``
sheet saying how to fill it in; and a hidden, protected ``Check`` sheet with the workbook's
council, period and a keyed digest of its pre-filled cells, which ``perf check`` and the
loader verify (:func:`perf.loaders.returns.template_check`). Number cells accept numbers only, headers are frozen and
locked, and only the cells to fill in are unlocked. Every cell holds a value, never a
formula, whatever the text it was made from (:func:`perf.fileio.write_cell`: a
key-activity title a service lead once typed as ``=HYPERLINK(...)`` is text here).

:func:`check_return` reads a return with :func:`perf.loaders.returns.read_return` (every
cell's problems) and adds what needs the data perf holds: a changed figure for an earlier,
already-published period (a *revision*, reported as such), a figure typed for an earlier
period perf has none for, a status outside the plan's scheme (CSV returns), and a warning
for every indicator off target by perf's calculation that has no commentary.

Examples:
    >>> book = build_template("Dudley", "2025-26 Q3")
    >>> book.sheetnames, book["Check"].sheet_state
    (['Indicators', 'Key activities', 'Notes', 'Check'], 'veryHidden')
    >>> [c.value for c in book["Indicators"][1]][:3]
    ['Ref', 'Indicator id', 'Indicator']
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from perf import __version__, config, loaders
from perf._numbers import is_missing, plural, round_half_up
from perf.areas import find_area
from perf.catalogue import catalogue, indicator_info
from perf.charts.style import BACKGROUND, GRID, PREFILLED, bare_hex
from perf.check import exit_code, findings_frame, plausibility, summary
from perf.childlevel.common import is_computed
from perf.errors import PerfError
from perf.fileio import atomic_write, source_file, write_cell
from perf.loaders.plans import PLAN_COLUMNS, SCHEMES, plans_for, read_core_set
from perf.loaders.returns import (
    ACTIVITY_HEADER,
    CHECK_SHEET,
    COMMENTARY_LIMIT,
    ENTRY_HEADER,
    INDICATOR_HEADER,
    INDICATOR_SHEET,
    NOTES_SHEET,
    Problem,
    Return,
    ReturnError,
    missing_commentary,
    plan_problems,
    read_return,
    read_return_once,
    reference_periods,
    return_observations,
    template_check,
)
from perf.periods import Period, parse_period
from perf.schema import rows_of
from perf.scoring import score

__all__ = [
    "CollectionError",
    "build_template",
    "check_local",
    "check_paths",
    "check_return",
    "earlier_periods",
    "problem_findings",
    "superseded_findings",
    "write_template",
]

_HEADER_FILL = PatternFill("solid", fgColor=bare_hex(GRID))
_PREFILLED_FILL = PatternFill("solid", fgColor=bare_hex(PREFILLED))
_ENTRY_FILL = PatternFill("solid", fgColor=bare_hex(BACKGROUND))
_OPEN = Protection(locked=False)


class CollectionError(PerfError):
    """A collection workbook cannot be made as asked (no plan for the area, a bad period)."""


def earlier_periods(period: Period) -> list[str]:
    """The periods pre-filled beside this one (:func:`perf.loaders.returns.reference_periods`:
    back to the same quarter last year, so the previous quarter, the previous year end and
    the same period last year are all there); a workbook is for a quarter or a year.

    >>> earlier_periods(parse_period("2025-26 Q3"))
    ['2024-25 Q3', '2024-25 Q4', '2025-26 Q1', '2025-26 Q2']
    >>> earlier_periods(parse_period("2024-25"))
    ['2023-24']
    """
    found = reference_periods(period)
    if found is None:
        raise CollectionError(
            "a collection workbook is for a financial quarter or year",
            value=period.label,
            hint='Give a period such as "2025-26 Q3".',
        )
    return found


#: No core set: the plans in force alone (``_plan_rows`` reads the core set when they place
#: no indicator).
_NO_CORE_SET = pd.DataFrame(columns=PLAN_COLUMNS)


def _plan_rows(area_code: str, data_dir: Path, period: str) -> pd.DataFrame:
    """The plan rows the workbook collects for: the council's plans in force for the
    period, else the children's services core set for its indicators (as its briefing
    covers: perf.loaders.plans.plans_for); the core set is read only when needed, from
    ``data_dir`` (a folder without one has none)."""
    plans = _optional(loaders.load_plans, data_dir)
    mine, _ = plans_for(plans, _NO_CORE_SET, area_code, period)
    if mine["kind"].eq("indicator").any():
        return mine
    core = read_core_set(data_dir)
    if core is None:
        raise CollectionError(
            f"no plan for {area_code} in force in {period}, and no core set",
            file=config.CORE_SET_FILE.name,
            hint="Add the council's plan to data/local/plans.csv (plan, scheme, priority, "
            "objective, kind, item, ref, lead_officer), or keep the project's data/core_set.csv.",
        )
    return plans_for(plans, core, area_code, period)[0]


def _optional(fn, data_dir: Path) -> pd.DataFrame | None:
    try:
        frame = fn(data_dir)
    except ValueError:  # pd.concat of no files: the council keeps none
        return None
    return frame if len(frame) else None


def build_template(
    area: str, period: str, *, data_dir: str | Path | None = None
) -> openpyxl.Workbook:
    """The collection workbook for ``area`` and ``period`` (see the module docstring)."""
    data_dir = Path(data_dir) if data_dir is not None else config.DATA_DIR
    row = find_area(area)
    area_code, area_name = str(row["area_code"]), str(row["area_name"])
    p = parse_period(period)
    before = earlier_periods(p)
    plans = _plan_rows(area_code, data_dir, p.label)
    cat = catalogue()
    obs = loaders.load_all(data_dir)
    obs = obs[obs["area_code"] == area_code]
    computed = obs[is_computed(obs["source"])]
    targets = _optional(loaders.load_targets, data_dir)
    acts = _optional(loaders.load_key_activities, data_dir)

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Indicators"
    header = INDICATOR_HEADER + before + ENTRY_HEADER
    _header(ws, header)
    col = {name: i + 1 for i, name in enumerate(header)}
    number = _number_validation()
    text_limit = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(COMMENTARY_LIMIT),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Commentary too long",
        error=f"Keep the commentary to {COMMENTARY_LIMIT:,} characters.",
    )
    status_lists = {name: _status_validation(name) for name in SCHEMES}
    for v in (number, text_limit, *status_lists.values()):
        ws.add_data_validation(v)
    indicators = plans[plans["kind"] == "indicator"]
    for r, (_, placed) in enumerate(indicators.iterrows(), start=2):
        ind = str(placed["item"])
        info = indicator_info(ind, cat)
        entry = cat[cat["indicator"] == ind].iloc[0]
        target = _target_of(targets, ind, area_code, p.label)
        values = [
            placed["ref"],
            ind,
            info.title,
            placed["plan"],
            placed["priority"],
            placed["objective"],
            info.polarity,
            info.unit,
            target,
            _tolerance_text(entry),
            entry["frequency"],
            "cumulative (year to date)" if bool(entry["cumulative"]) else "in period",
            placed["lead_officer"],
        ]
        for c, value in enumerate(values, start=1):
            write_cell(ws.cell(r, c), None if is_missing(value) else value).fill = _PREFILLED_FILL
        for c in (col["Target"], col["Lead officer"]):
            ws.cell(r, c).protection = _OPEN
        number.add(ws.cell(r, col["Target"]).coordinate)
        for label in before:
            cell = ws.cell(r, col[label])
            hit = rows_of(obs, ind, label)
            if len(hit) and not is_missing(hit["value"].iloc[0]):
                cell.value = float(round_half_up(float(hit["value"].iloc[0]), info.decimals))
                if hit["flag"].iloc[0] == "ex":
                    cell.comment = Comment(
                        "Illustrative example figure [ex], not published data.", "perf"
                    )
            cell.fill, cell.protection = _PREFILLED_FILL, _OPEN
            number.add(cell.coordinate)
        write_cell(ws.cell(r, col["Period"]), p.label).fill = _PREFILLED_FILL
        from_returns = _from_returns(computed, ind, p)
        for name in ("Value", "Numerator", "Denominator"):
            cell = ws.cell(r, col[name])
            if from_returns is not None:
                # computed from the council's own statutory returns: nothing to type
                figure = from_returns[name.lower()]
                if not is_missing(figure):
                    places = info.decimals if name == "Value" else 0
                    cell.value = float(round_half_up(float(figure), places))
                cell.fill = _PREFILLED_FILL
                if name == "Value":
                    cell.comment = Comment(_computed_note(from_returns), "perf")
                continue
            cell.protection, cell.fill = _OPEN, _ENTRY_FILL
            number.add(cell.coordinate)
        status = ws.cell(r, col["Council status"])
        status.protection = _OPEN
        status_lists[str(placed["scheme"])].add(status.coordinate)
        comment = ws.cell(r, col["Commentary"])
        comment.protection, comment.alignment = _OPEN, Alignment(wrap_text=True, vertical="top")
        text_limit.add(comment.coordinate)
    _widths(
        ws,
        {
            "C": 48,
            "D": 26,
            "E": 26,
            "F": 30,
            "M": 22,
            openpyxl.utils.get_column_letter(col["Commentary"]): 60,
        },
    )
    ws.freeze_panes = "D2"  # the header row and Ref, id and title stay in view
    _protect(ws)

    wa = book.create_sheet("Key activities")
    _header(wa, ACTIVITY_HEADER)
    act_status = DataValidation(
        type="list",
        formula1='"★,✓,▲"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a status",
        error="Choose ★ (excellent), ✓ (good) or ▲ (fair).",
        showInputMessage=True,
        promptTitle="Progress",
        prompt="★ excellent, ahead of schedule; ✓ good, on schedule; ▲ fair, behind schedule",
    )
    progress_limit = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(COMMENTARY_LIMIT),
        allow_blank=True,
    )
    wa.add_data_validation(act_status)
    wa.add_data_validation(progress_limit)
    activities = plans[plans["kind"] == "activity"]
    for r, (_, placed) in enumerate(activities.iterrows(), start=2):
        title = _latest_activity(acts, str(placed["item"]), area_code)
        values = [
            placed["item"],
            placed["plan"],
            placed["priority"],
            placed["objective"],
            title,
            p.label,
            None,
            None,
            placed["lead_officer"],
        ]
        for c, value in enumerate(values, start=1):
            cell = write_cell(wa.cell(r, c), None if is_missing(value) else value)
            cell.fill = _PREFILLED_FILL
        for name in ("Status", "Progress", "Lead officer"):
            cell = wa.cell(r, ACTIVITY_HEADER.index(name) + 1)
            cell.protection, cell.fill = _OPEN, _ENTRY_FILL
        act_status.add(wa.cell(r, 7).coordinate)
        progress_limit.add(wa.cell(r, 8).coordinate)
    _widths(wa, {"B": 22, "C": 26, "D": 34, "E": 48, "H": 60, "I": 22})
    wa.freeze_panes = "B2"
    _protect(wa)
    _notes(book.create_sheet("Notes"), area_name, area_code, p.label, plans)
    _check(book, area_code, p.label)
    book.properties.creator = f"perf {__version__}"
    book.properties.title = f"{area_name} {p.label} performance return"
    return book


def _from_returns(computed: pd.DataFrame, indicator: str, period: Period) -> pd.Series | None:
    """The figure the council's statutory returns give for ``indicator`` in ``period``
    (its own period, or for a count on a day, the period's last day), or None."""
    rows = computed[computed["indicator"] == indicator]
    if rows.empty:
        return None
    own = rows[rows["period"] == period.label]
    if own.empty:
        day = rows["period_kind"].eq("snapshot") & rows["period_end"].eq(pd.Timestamp(period.end))
        own = rows[day.to_numpy(dtype=bool)]
    return own.iloc[0] if len(own) else None


def _computed_note(row: pd.Series) -> str:
    """The cell comment of a figure pre-filled from the council's returns."""
    source = str(row["source"])
    name = source.split(" (", 1)[0]
    how = "SSDA903 return" if "SSDA903" in source else "children in need census"
    when = f" (on {row['period']})" if row["period_kind"] == "snapshot" else ""
    note = (
        f"Computed by perf from the council's {how} ({name}){when}, with DfE's definition: "
        "nothing to type. Add the commentary and the council's status."
    )
    return note + (" Synthetic worked example [ex]: not real data." if row["flag"] == "ex" else "")


def superseded_findings(
    superseded: pd.DataFrame, catalogue: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A warning for each figure computed from the council's statutory return that differs
    from the published (or keyed-in) figure with the same indicator, area and period, which
    stands in the tidy frame (``perf.loaders.superseded_figures``): both values, shown at
    the indicator's decimals, and both sources. Figures equal at those decimals are not
    reported.

    >>> s = pd.DataFrame({"indicator": ["cla_count"], "area_code": ["E08000027"],
    ...     "area_name": ["Dudley"], "period": ["31 March 2025"], "computed_value": [581.0],
    ...     "computed_source": ["ssda903 (SSDA903 tables ...)"], "given_value": [575.0],
    ...     "given_flag": [None], "given_source": ["cla.csv (DfE CLA)"]})
    >>> cat = pd.DataFrame({"indicator": ["cla_count"], "title": ["Looked after"],
    ...                     "unit": ["count"], "decimals": [0], "polarity": ["neither"]})
    >>> from perf.check import finding_line
    >>> print(finding_line(superseded_findings(s, cat).iloc[0]))  # doctest: +NORMALIZE_WHITESPACE
    WARNING ssda903, column 'value': cla_count E08000027 31 March 2025: the return gives 581;
    the published figure, 575 (cla.csv), stands
    """
    if superseded is None or superseded.empty:
        return findings_frame([])
    rows = []
    for row in superseded.itertuples(index=False):
        decimals = indicator_info(row.indicator, catalogue).decimals
        mine, theirs = row.computed_value, row.given_value
        if pd.isna(theirs) or pd.isna(mine):
            shown_theirs = f"withheld ([{row.given_flag}])" if pd.isna(theirs) else None
            if shown_theirs is None:
                continue
        elif round_half_up(float(mine), decimals) == round_half_up(float(theirs), decimals):
            continue
        else:
            shown_theirs = f"{float(theirs):,.{decimals}f}"
        rows.append(
            {
                "severity": "warning",
                "file": str(row.computed_source).split(" (")[0],
                "column": "value",
                "indicator": row.indicator,
                "area_code": row.area_code,
                "period": row.period,
                "message": f"the return gives {float(mine):,.{decimals}f}; the published "
                f"figure, {shown_theirs} ({str(row.given_source).split(' (')[0]}), stands",
            }
        )
    return findings_frame(rows)


def _check(book: openpyxl.Workbook, area_code: str, period: str) -> None:
    """The hidden, protected Check sheet (:func:`perf.loaders.returns.template_check`): the
    workbook's council, period and a keyed digest of its pre-filled cells, which ``perf
    check`` and the loader verify."""
    sheets = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}
    ws = book.create_sheet(CHECK_SHEET)
    for r, line in enumerate(template_check(sheets, area_code, period), start=1):
        for c, text in enumerate(line, start=1):
            write_cell(ws.cell(r, c), text)
    ws.sheet_state = "veryHidden"  # Excel's menus cannot show it
    _protect(ws)


def write_template(
    area: str, period: str, path: str | Path, *, data_dir: str | Path | None = None
) -> Path:
    """Build the workbook and write it atomically to ``path``; returns the path."""
    book = build_template(area, period, data_dir=data_dir)
    path = Path(path)
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(path, buffer.getvalue())
    return path


def _header(ws, names: list[str]) -> None:
    for c, name in enumerate(names, start=1):
        cell = write_cell(ws.cell(1, c), name)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _number_validation() -> DataValidation:
    return DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000000",
        formula2="1000000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Numbers only",
        error="Type the figure as a number, without units or words. Leave "
        "it blank when it is not available and say why in the commentary.",
    )


def _status_validation(scheme: str) -> DataValidation:
    labels = SCHEMES[scheme].labels
    if scheme == "rag":
        items = [word for _, word in labels.values()]
    else:
        items = [symbol for symbol, _ in labels.values()]
    legend = "; ".join(f"{s} {w.lower()}" for s, w in labels.values())
    return DataValidation(
        type="list",
        formula1='"' + ",".join(items) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not in the scheme",
        error=f"Choose from the list: {legend}.",
        showInputMessage=True,
        promptTitle="The council's own status",
        prompt=legend[:255],
    )


def _protect(ws) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _widths(ws, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def _tolerance_text(entry: pd.Series) -> str | None:
    tol = entry["tolerance"]
    if is_missing(tol):
        return None
    if entry["tolerance_type"] == "relative":
        return f"{float(tol) * 100:g}% of target"
    return f"{float(tol):g} either side of target"


def _target_of(
    targets: pd.DataFrame | None, indicator: str, area_code: str, period: str
) -> float | None:
    if targets is None:
        return None
    hit = targets[
        (targets["indicator"] == indicator)
        & (targets["area_code"] == area_code)
        & (targets["period"] == period)
    ]
    return float(hit["target"].iloc[0]) if len(hit) else None


def _latest_activity(acts: pd.DataFrame | None, ref: str, area_code: str) -> str | None:
    if acts is None:
        return None
    hit = acts[(acts["ref"] == ref) & (acts["area_code"] == area_code)]
    return str(hit["activity"].iloc[-1]) if len(hit) else None


def _notes(ws, area_name: str, area_code: str, period: str, plans: pd.DataFrame) -> None:
    rows: list[tuple[str, str]] = [
        ("perf collection workbook", ""),
        ("Area", area_name),
        ("Area code", area_code),
        ("Period", period),
        ("Made by", f"perf {__version__} (perf template)"),
    ]
    for plan, scheme in plans.drop_duplicates("plan")[["plan", "scheme"]].itertuples(index=False):
        rows.append((f"Scheme of {plan}", scheme))
    rows += [
        ("", ""),
        ("How to fill it in", ""),
        (
            "1.",
            f"On the Indicators sheet, type this period's figure ({period}) in Value; for "
            "a rate or percentage also the Numerator and Denominator it is computed from.",
        ),
        (
            "2.",
            "Numbers only: no units, % signs or words, and a decimal point, not a comma "
            "(80.5). A percentage is typed as the number (60 for 60%; a cell formatted as a "
            "percentage is read as the percentage it shows, and perf check says so). No "
            "formulas: type the figure itself. Leave a figure blank when it is not available "
            "and say why in the Commentary.",
        ),
        (
            "3.",
            "Council status: the council's own judgement, from the drop-down of the plan's "
            "scheme. perf shows it as given and never replaces it.",
        ),
        (
            "4.",
            f"Commentary is required for every indicator off target (at most "
            f"{COMMENTARY_LIMIT:,} characters): what happened and what is being done.",
        ),
        (
            "5.",
            "The earlier periods are filled in for reference. Do not change them: a "
            "changed figure is reported as a revision and stops the return.",
        ),
        (
            "6.",
            "On the Key activities sheet, choose each activity's status and write its "
            "progress; every activity needs a lead officer.",
        ),
        (
            "7.",
            "Do not rename, add, move or merge columns, rows or sheets, and do not change the "
            "grey cells (they are locked): the workbook carries a check of them, of the "
            "council and of the period, and perf check refuses a workbook that no longer "
            "matches it.",
        ),
        (
            "8.",
            "Save as .xlsx (not .xlsm, .xls or CSV) and send it back. The analyst runs "
            "`perf check` on it, then copies it into data/local, replacing any earlier copy "
            "of the same return.",
        ),
        ("", ""),
        ("Status schemes", ""),
    ]
    for name, scheme in SCHEMES.items():
        rows.append((name, "; ".join(f"{s} {w.lower()}" for s, w in scheme.labels.values())))
    rows.append(
        (
            "key activities",
            "★ excellent progress, ahead of schedule; ✓ good progress, "
            "on schedule; ▲ fair progress, behind schedule",
        )
    )
    for r, (a, b) in enumerate(rows, start=1):
        write_cell(ws.cell(r, 1), a or None).font = Font(bold=bool(a) and not a[:1].isdigit())
        write_cell(ws.cell(r, 2), b or None).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(ws, {"A": 30, "B": 100})
    _protect(ws)


# --- checking a return -------------------------------------------------------------------


def check_return(path: str | Path, *, data_dir: str | Path | None = None) -> Return:
    """Read a return and check it against the data perf holds (see the module docstring).
    Every problem is in ``.problems`` (``kind`` error, revision or warning)."""
    data_dir = Path(data_dir) if data_dir is not None else config.DATA_DIR
    path = Path(path)
    result = read_return(path)
    if result.rows is None or result.rows.empty:
        return result
    cat = catalogue().set_index("indicator")
    # the earlier figures of a return that names no council (a CSV) are compared with none
    others = _held(data_dir, path, result) if result.area_code else None
    plans = _optional(loaders.load_plans, data_dir)
    core = read_core_set(data_dir)
    result.problems += plan_problems(result, plans, core)
    result.problems += _second_return(result, path, data_dir)
    for _, row in result.rows.iterrows():
        indicator, r = row["indicator"], int(row["row"])
        if indicator not in cat.index:
            continue
        info = indicator_info(indicator, cat.reset_index())
        for label in result.earlier_periods if others is not None else []:
            new = row.get(label)
            held = (
                others[
                    (others["indicator"] == indicator)
                    & (others["period"] == label)
                    & (others["area_code"] == result.area_code)
                ]
                if others is not None
                else None
            )
            old = held["value"].iloc[0] if held is not None and len(held) else np.nan
            if is_missing(new):
                continue
            if is_missing(old):
                result.problems.append(
                    Problem(
                        "Indicators",
                        r,
                        label,
                        f"a figure for {label}, a period perf holds no figure for",
                        value=new,
                        hint=f"This return collects {result.period}: "
                        f"send {label}'s figure in that period's return, or add it to "
                        "data/local/observations.csv.",
                    )
                )
            elif held is not None and round_half_up(float(old), info.decimals) != round_half_up(
                float(new), info.decimals
            ):
                source = source_file(held["source"].iloc[0])
                result.problems.append(
                    Problem(
                        "Indicators",
                        r,
                        label,
                        f"the figure for {label} was "
                        f"{round_half_up(float(old), info.decimals):g} in {source}; the return "
                        f"gives {float(new):g}",
                        kind="revision",
                        hint="A published figure is revised in its source file (with flag r) "
                        "and explained, not changed in a return: put the old figure back, or "
                        "correct the source.",
                    )
                )
        _scheme_problem(result, row, plans, core)
        has_comment = isinstance(row.get("commentary"), str)
        if (
            not has_comment
            and row.get("council_status") is None
            and not is_missing(row.get("Value"))
            and not is_missing(row.get("Target"))
            and info.polarity in ("high", "low")
        ):
            c = cat.loc[indicator]
            rag = score(
                row["Value"],
                row["Target"],
                info.polarity,
                c.get("tolerance"),
                str(c.get("tolerance_type", "absolute")),
            ).rag
            if rag == "red":
                result.problems.append(missing_commentary(r))
    if result.errors:
        for name in ("observations", "targets", "statuses", "commentary", "activities"):
            setattr(result, name, None)
    return result


def _held(data_dir: Path, path: Path, result: Return) -> pd.DataFrame | None:
    """Every observation perf holds that can be read (a file that cannot is ``perf check``'s
    finding on data/, not a reason to call every earlier figure unknown), leaving out the
    return being checked. None, with a warning on ``result``, when there is nothing to
    compare with."""
    try:
        obs = loaders.load_all_isolated(data_dir, every_file=True).frame
    except PerfError as exc:
        result.problems.append(
            Problem(
                INDICATOR_SHEET,
                None,
                None,
                f"the earlier periods were not compared with the figures perf holds "
                f"({exc.message})",
                kind="warning",
                hint="Run `perf check` on the data folder to see why.",
            )
        )
        return None
    source = obs["source"].astype(str)
    return obs[~source.str.startswith(path.name + " (") & (source != path.name)]


def _second_return(result: Return, path: Path, data_dir: Path) -> list[Problem]:
    """A warning when data/local already holds another return for the same council and
    period (inside data/local, :func:`check_local` reports the pair as an error)."""
    local = (data_dir / "local").resolve()
    if not result.area_code or not result.period or path.resolve().is_relative_to(local):
        return []
    found = []
    for other in loaders.data_files(local) if local.is_dir() else []:
        if _detected(other) != "return":
            continue
        try:
            held = read_return_once(other)
        except PerfError:
            continue
        if (held.area_code, held.period) == (result.area_code, result.period):
            found.append(
                Problem(
                    NOTES_SHEET,
                    3,
                    "B",
                    f"data/local already holds a return for {result.area_code} in "
                    f"{result.period}: {other.relative_to(local).as_posix()}",
                    kind="warning",
                    hint="Replace that file with this one; perf reads one return per council "
                    "and period, and two stop the council's briefings.",
                )
            )
    return found


def _scheme_problem(
    result: Return, row: pd.Series, plans: pd.DataFrame | None, core: pd.DataFrame | None
) -> None:
    status = row.get("council_status")
    if status is None or (plans is None and core is None) or result.schemes:
        return  # a workbook's Notes sheet declares the schemes: already checked
    if result.area_code is None or result.period is None:
        return
    collected, _ = plans_for(
        plans, core if core is not None else _NO_CORE_SET, result.area_code, result.period
    )
    placed = collected[(collected["item"] == row["indicator"]) & (collected["kind"] == "indicator")]
    if len(placed):
        scheme = str(placed["scheme"].iloc[0])
        if status not in SCHEMES[scheme].labels:
            result.problems.append(
                Problem(
                    "Indicators",
                    int(row["row"]),
                    "Council status",
                    f"the status is not in the council's {scheme} scheme",
                    value=status,
                    hint="Use one of: " + ", ".join(SCHEMES[scheme].accepts()) + ".",
                )
            )


def problem_findings(result: Return) -> pd.DataFrame:
    """A return's problems as ``perf check`` findings (:data:`perf.check.FINDING_COLUMNS`):
    severity = the problem's kind, its sheet, row and column, the message with the value
    found and what to do."""
    return findings_frame(
        [
            {
                "severity": p.kind,
                "file": result.file,
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "message": p.detail(),
            }
            for p in result.problems
        ]
    )


def _error_finding(exc: PerfError, file: str) -> dict:
    message = exc.message + (f" (found {str(exc.value)[:80]!r})" if exc.value is not None else "")
    message += "" if message.endswith(".") else "."
    return {
        "severity": "error",
        "file": Path(exc.file).name if exc.file else file,
        "row": exc.row,
        "column": exc.column,
        "message": message + (f" {exc.hint}" if exc.hint else ""),
    }


def _figure_findings(
    obs: pd.DataFrame, sheet: str | None = None, *, periods_also: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The plausibility rules (perf.check, the one implementation) on loaded figures; a
    return's figures are located on its Indicators sheet. ``periods_also``: the periods
    of returns with errors, for the mixed-period warning across files."""
    found = plausibility(obs, catalogue(), periods_also=periods_also)
    if sheet is not None:
        found["sheet"] = sheet
    return found


def _periods_reported(result: Return | None) -> pd.DataFrame:
    """The rows of a return with errors that hold a figure or a symbol, as the periods they
    report (indicator, area_code, period, period_kind, source, source_row), without their
    figures: its errors stand for them, but a quarter it reports beside another file's
    years of the same indicator is still a mixed-period warning."""
    columns = ["indicator", "area_code", "period", "period_kind", "value", "source", "source_row"]
    rows = result.rows if result is not None else None
    if (
        result is None
        or rows is None
        or rows.empty
        or not result.period
        or not result.area_code
        or "Value" not in rows
    ):
        return pd.DataFrame(columns=columns)
    held = rows[
        (rows["Value"].notna() | rows["Value flag"].notna()) & rows["indicator"].astype(bool)
    ]
    return pd.DataFrame(
        {
            "indicator": held["indicator"],
            "area_code": result.area_code,
            "period": result.period,
            "period_kind": parse_period(result.period).kind,
            "value": np.nan,
            "source": result.file,
            "source_row": held["row"],
        },
        columns=columns,
    ).reset_index(drop=True)


def _failure_findings(failure: loaders.FileFailure) -> pd.DataFrame:
    """A file ``load_all`` set aside, as findings: a return's every problem, else its error."""
    error = failure.error
    if isinstance(error, ReturnError) and error.problems:
        return problem_findings(Return(failure.file, None, None, list(error.problems)))
    return findings_frame([_error_finding(error, failure.file)])


def _folder_findings(folder: Path, listed: set[str]) -> tuple[pd.DataFrame, int]:
    """Every observation under ``folder`` that can be read, through the plausibility rules,
    and every file that cannot be read (a file no format recognises, a refused workbook, a
    return with errors, one of two returns for one council and period) as its own finding,
    unless ``listed`` (files whose errors the returns checks gave already): one bad file
    never stops the others' checks. Returns (findings, observations checked)."""
    loaded = loaders.load_all_isolated(folder, source_rows=True, every_file=True)
    found = [_failure_findings(f) for f in loaded.failures if f.file not in listed]
    reported = [
        _periods_reported(read_return_once(f.path))
        for f in loaded.failures
        if isinstance(f.error, ReturnError) and f.path is not None and _readable(f.path)
    ]
    reported = [r for r in reported if len(r)]
    found.append(
        _figure_findings(
            loaded.frame,
            periods_also=pd.concat(reported, ignore_index=True) if reported else None,
        )
    )
    # the council's returns' figures that a published figure stands in for
    found.append(
        superseded_findings(loaders.superseded_figures(folder, every_file=True), catalogue())
    )
    return findings_frame(found), len(loaded.frame)


def _readable(path: Path) -> bool:
    try:
        read_return_once(path)
    except PerfError:
        return False
    return True


def check_paths(
    paths: Sequence[str | Path], *, data_dir: str | Path | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Everything ``perf check PATH ...`` reports: (findings, one summary line per path).

    * a returned workbook: :func:`check_return` (every problem, revisions,
      missing-commentary warnings), then, when it has no error, the plausibility rules
      on its figures;
    * any other file: loaded as observations, then the plausibility rules;
    * a directory: every file in it that can be read (``load_all_isolated(every_file=True)``),
      the plausibility rules on their observations, and every file that cannot be read as a
      finding of its own (a return with errors lists all its problems, and the periods it
      reports still count in the mixed-period warning across files); when it holds
      ``local/`` (or is ``data/local``), :func:`check_local` on that folder too.

    A file that cannot be read is an error finding naming file, row and column, not a
    stop: the other paths, and the other files of a directory, are still checked.
    ``data_dir`` (default :data:`config.DATA_DIR`) is what a return is compared with.
    """
    data_dir = Path(data_dir) if data_dir is not None else config.DATA_DIR
    parts, lines = [], []
    for path in map(Path, paths):
        found: list = []
        n_obs = 0
        try:
            if path.is_dir():
                local = (
                    path / "local"
                    if (path / "local").is_dir()
                    else path
                    if path.name == "local"
                    else None
                )
                listed: set[str] = set()
                if local is not None:
                    returns_checks = check_local(local, data_dir=data_dir)
                    found.append(returns_checks)
                    errors = returns_checks["severity"] != "warning"
                    listed = set(returns_checks.loc[errors, "file"].dropna())
                folder, n_obs = _folder_findings(path, listed)
                found.append(folder)
            elif loaders.detect_format(path) == "return":
                result = check_return(path, data_dir=data_dir)
                found.append(problem_findings(result))
                if result.observations is not None and len(result.observations):
                    obs = return_observations(result, validate=False)
                    n_obs = len(obs)
                    found.append(_figure_findings(obs, INDICATOR_SHEET))
            else:
                obs = loaders.load(path, source_rows=True, warn=False)
                n_obs = len(obs)
                found.append(_figure_findings(obs))
        except PerfError as exc:
            found.append(_error_finding(exc, path.name))
        # a file's problem found both by the returns checks and by reading the folder is
        # listed once
        findings = findings_frame(found).drop_duplicates(ignore_index=True)
        parts.append(findings)
        ready = (
            f"; ready to copy into {config.LOCAL_DIR}"
            if path.is_file()
            and path.parent.resolve() != config.LOCAL_DIR.resolve()
            and _detected(path) == "return"
            and not exit_code(findings)
            else ""
        )
        lines.append(
            f"{summary(findings)} in {n_obs:,} {plural('observation', n_obs)} from {path}{ready}"
        )
    return findings_frame(parts), lines


def _detected(path: Path) -> str | None:
    try:
        return loaders.detect_format(path)
    except PerfError:
        return None


def check_local(
    local_dir: str | Path | None = None, *, data_dir: str | Path | None = None
) -> pd.DataFrame:
    """The returns checks of a ``data/local`` folder (at any depth), as findings: every
    return (all its problems, its indicators against its council's plan, and two returns
    for one council and period), every other file with its own reader (its first problem),
    then the files together (plans, the council's statuses in their plans' schemes,
    targets). Files no format recognises and observation files are the folder check's
    (:func:`check_paths`)."""
    data_dir = Path(data_dir) if data_dir is not None else config.DATA_DIR
    local_dir = Path(local_dir) if local_dir is not None else data_dir / "local"
    found: list = []
    files = [(p, _detected(p)) for p in loaders.data_files(local_dir)]
    returns = [p for p, fmt in files if fmt == "return"]
    conflicts = loaders.get("return").conflicting(returns)
    for path, fmt in files:
        try:
            if fmt == "return":
                result = check_return(path, data_dir=data_dir)
                if path in conflicts:
                    result.problems.append(_conflict_problem(conflicts[path]))
                found.append(problem_findings(result))
            elif fmt is not None and loaders.get(fmt).gives not in ("observations", "refused"):
                loaders.read(path, fmt)  # observations and refused files: the folder check's
        except PerfError as exc:
            found.append(_error_finding(exc, path.name))
    plans = None
    for name in ("load_targets", "load_plans", "load_statuses", "load_assessments"):
        try:
            if name == "load_statuses":
                if plans is None:
                    # the plans' error is listed (once); the statuses' schemes are checked
                    # once the plans read (each status file's values were checked above)
                    continue
                loaders.load_statuses(local_dir.parent, plans=plans)
                continue
            frame = getattr(loaders, name)(local_dir.parent)
            if name == "load_plans":
                plans = frame
        except ReturnError:
            pass  # listed above, return by return
        except PerfError as exc:
            if exc.file and Path(str(exc.file)).name in {p.name for p in returns}:
                continue  # a return's error (two for one period), listed above
            finding = _error_finding(exc, local_dir.name)
            if finding not in [f for f in found if isinstance(f, dict)]:  # not a file's again
                found.append(finding)
    return findings_frame(found)


def _conflict_problem(error: PerfError) -> Problem:
    return Problem(NOTES_SHEET, 3, "B", error.message, hint=error.hint or "")
