"""DfE "Pupil attendance in schools": in-year attendance and absence for England, regions and
local authorities, as year-to-date and weekly files (``data/raw/attendance/``).

Two formats of :func:`perf.load`:

* ``attendance_ytd``: ``time_identifier`` "Academic year", one row per area and phase: the
  academic year *to a cut-off date*, not the year's figure. Period kind
  ``academic_year_to_date``, labelled ``2024/25 to 20 December 2024``.
* ``attendance_weekly``: ``time_identifier`` "Week 37" with ``time_period`` 2022, one row per
  area, phase and week. Period kind ``week``, labelled ``Week 37 2022`` (ISO week, Monday to
  Friday).

Indicators (one per measure and phase; phases primary, secondary, special, total):

=============================  ==========================  ======================================
year to date                   weekly                      column (numerator / denominator)
=============================  ==========================  ======================================
``attendance_ytd_<phase>``     ``attendance_week_<phase>``  attendance_perc (overall_attendance /
                                                           possible_sessions)
``absence_ytd_<phase>``        ``absence_week_<phase>``     overall_absence_perc (overall_absence)
``auth_absence_ytd_<phase>``   ``auth_absence_week_...``    authorised_absence_perc
``unauth_absence_ytd_<phase>``  ``unauth_absence_week_...``  unauthorised_absence_perc
``pa_ytd_<phase>``             (not read)                  pa_perc, where the release has it
=============================  ==========================  ======================================

The ``_ytd_``/``_week_`` ids are never LAIT's full-year absence ids (``PriTotAbs``,
``SecTotAbs``, ...): in-year and full-year figures cannot be confused.

**The cut-off** a year-to-date figure runs to comes, in order, from: a date column in the file
(:data:`CUTOFF_COLUMNS`), the ``cutoff=`` the user states, or the publication date in the file
name (``..._published_2025-01-09.csv``) by DfE's habit: the Friday two weeks before
publication (13 days before a Thursday release), or, when that falls in the Christmas break
(24 December to 4 January), the last Friday before 24 December. Every row's ``source`` names the
release and the cut-off, and says when the cut-off is estimated.

**Drift between releases** (all real, all read): ``school_type`` became ``education_phase``;
``pa_perc`` comes and goes (a release without it gives no ``pa_ytd_*`` rows); reason-code
columns are added and removed; some releases quote every field and some none. A suppressed
figure (``c``: an authority with one school of the phase) is ``NaN`` with flag ``c``, never zero
and never dropped; ``z`` (no sessions possible that week) likewise.

**Future releases** are read by the same rules: a new reason code (``reason_...``) or reason
rate (``auth_..._perc``, ``unauth_..._perc``, ``aea_..._perc``) is not a figure perf reports and
is left aside (logged). Any other column perf has not seen in a release raises
:class:`~perf.errors.UnexpectedColumnError` naming the file and column: a new breakdown would
repeat every area, and perf will not guess what it means. Every figure must agree with its
session counts (``attendance_perc`` = 100 x ``overall_attendance`` / ``possible_sessions``, within
:data:`CONSISTENCY_TOLERANCE`): a swapped or rescaled column fails loudly instead of being misread.

Examples:
    >>> from perf import config
    >>> path = config.RAW_DIR / "attendance" / "EES_ytd_data_published_2025-01-09.csv"
    >>> obs = read(path)
    >>> leeds = obs.query("indicator == 'attendance_ytd_primary' and area_code == 'E08000035'")
    >>> leeds[["period", "period_kind"]].iloc[0].tolist()
    ['2024/25 to 20 December 2024', 'academic_year_to_date']
    >>> round(float(leeds["value"].iloc[0]), 1)
    94.8
    >>> print(leeds["source"].iloc[0].replace(", ", ",\\n"))
    EES_ytd_data_published_2025-01-09.csv (DfE Pupil attendance in schools,
    release of 9 January 2025,
    year to 20 December 2024,
    cut-off estimated from the publication date)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import overload

import numpy as np
import pandas as pd

from perf.config import get_logger
from perf.errors import (
    BadValueError,
    DuplicateKeyError,
    FileFormatError,
    MissingColumnError,
    PeriodError,
    UnexpectedColumnError,
)
from perf.loaders._frame import concat_observations, finish
from perf.loaders.common import (
    file_decimal,
    keyed_rows,
    parse_numbers,
    period_frame,
    read_csv_strings,
    read_text,
)
from perf.loaders.ees import _areas
from perf.periods import academic_year_to_date, parse_period, snapshot
from perf.schema import KEY

__all__ = [
    "CUTOFF_COLUMNS",
    "FORMATS",
    "MEASURES",
    "PHASES",
    "SEEN_COLUMNS",
    "combine_weekly",
    "estimated_cutoff",
    "kind_of",
    "publication_date",
    "read",
    "read_weekly",
    "read_ytd",
    "release_label",
]

log = get_logger()

FORMATS = ("attendance_ytd", "attendance_weekly")
PUBLISHER = "DfE Pupil attendance in schools"

#: The phase column's names over the releases (``school_type`` until 2024/25).
PHASE_COLUMNS = ("school_type", "education_phase")
#: Phase as published (lower case) -> the id suffix.
PHASES = {"primary": "primary", "secondary": "secondary", "special": "special", "total": "total"}

#: Column -> (indicator stem, numerator column, denominator column).
MEASURES: dict[str, tuple[str, str | None, str | None]] = {
    "attendance_perc": ("attendance", "overall_attendance", "possible_sessions"),
    "overall_absence_perc": ("absence", "overall_absence", "possible_sessions"),
    "authorised_absence_perc": ("auth_absence", "authorised_absence", "possible_sessions"),
    "unauthorised_absence_perc": ("unauth_absence", "unauthorised_absence", "possible_sessions"),
    "pa_perc": ("pa", None, None),
}
#: Measures a release may leave out (persistent absence comes and goes).
OPTIONAL_MEASURES = frozenset({"pa_perc"})
#: Weekly files are read without persistent absence: it is defined over the year so far,
#: not over one week (no weekly file has carried it; one that does is not misread as weekly).
WEEKLY_SKIPPED = frozenset({"pa_perc"})

IDENTIFIERS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "la_name",
    "old_la_code",
)
REQUIRED = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "region_code",
    "new_la_code",
)

#: Date columns a release may carry, and what each says about a year-to-date figure's cut-off
#: ("last": the last day covered; "week": a Monday, the cut-off being that week's Friday).
#: A weekly file's ``week_commencing``/``week_start`` is checked against its week number.
CUTOFF_COLUMNS: dict[str, str] = {
    "cutoff_date": "last",
    "to_date": "last",
    "attendance_date": "last",
    "week_ending": "last",
    "week_end": "last",
    "reference_date": "last",
    "week_commencing": "week",
    "week_start": "week",
}

#: Every other column seen in a release (13 year-to-date releases 2023-2026, one weekly file):
#: counts, reason codes and reason rates perf does not report.
SEEN_COLUMNS = frozenset(
    """
num_schools enrolments present_sessions overall_attendance approved_educational_activity
overall_absence authorised_absence unauthorised_absence late_sessions possible_sessions
reason_present_am reason_present_pm reason_present reason_l_present_late_before_registers_closed
reason_i_authorised_illness reason_m_authorised_medical_dental
reason_r_authorised_religious_observance reason_s_authorised_study_leave
reason_t_authorised_grt_absence reason_h_authorised_holiday reason_e_authorised_excluded
reason_c_authorised_other reason_b_aea_education_off_site reason_d_aea_dual_registration
reason_j_aea_interview reason_p_aea_approved_sporting_activity
reason_v_aea_educational_visit_trip reason_w_aea_work_experience reason_g_unauthorised_holiday
reason_u_unauthorised_late_after_registers_closed reason_o_other_unauthorised
reason_n_no_reason_yet reason_x_not_attending_covid_non_compulsory total_num_schools
total_enrolments illness_perc appointments_perc unauth_hol_perc unauth_oth_perc
unauth_late_registers_closed_perc unauth_not_yet_perc auth_religious_perc auth_study_perc
auth_grt_perc auth_holiday_perc auth_excluded_perc auth_other_perc covid_non_compulsory_perc
reason_t_authorised_mobile_child reason_c1_authorised_regulated_performance
reason_j1_authorised_interview reason_c2_authorised_temp_reduced_timetable
reason_k_aea_education_arranged_by_la auth_mob_perc auth_performance_perc auth_interview_perc
auth_part_time_perc
""".split()
)
#: New reason codes and reason rates: added between releases, never a figure perf reports.
_REASON_COLUMN = re.compile(
    r"^(?:reason_[a-z0-9]+_[a-z0-9_]+"
    r"|(?:auth|unauth|aea)_[a-z0-9_]+_perc)$"
)
#: How far a published rate may sit from 100 x its session counts, in percentage points.
#: Releases before 2025/26 differ by up to 0.2 on some aggregate rows (a Total or regional
#: rate not recomputed from the summed counts); a swapped column (attendance for absence) or
#: a rescaled one (0.948 for 94.8) is off by far more.
CONSISTENCY_TOLERANCE = 0.5

_PUBLISHED = re.compile(r"published[_-](\d{4})-(\d{2})-(\d{2})")


# --- the release: publication date and cut-off ----------------------------------------------


def publication_date(path: str | Path) -> date | None:
    """The publication date in a release's file name (``..._published_2025-01-09.csv``).

    >>> publication_date("EES_ytd_data_published_2025-01-09.csv")
    datetime.date(2025, 1, 9)
    >>> publication_date("my_copy.csv") is None
    True
    """
    m = _PUBLISHED.search(Path(str(path)).name)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def estimated_cutoff(published: date) -> date:
    """The date a release's year-to-date figures run to, from its publication date: the
    Friday on or before 13 days earlier (a Thursday release runs to the Friday two weeks
    before), moved back to the last Friday before 24 December when it falls in the
    Christmas break (24 December to 4 January), when schools are closed.

    Matches every cut-off the releases' own notes state (23 December 2022, 30 June 2023,
    29 September 2023, 26 September 2025, 19 December 2025, 20 March 2026).

    >>> [str(estimated_cutoff(date.fromisoformat(d))) for d in
    ...  ("2025-01-09", "2023-07-13", "2026-01-09", "2024-07-16")]
    ['2024-12-20', '2023-06-30', '2025-12-19', '2024-06-28']
    """
    day = published - timedelta(days=13)
    day -= timedelta(days=(day.weekday() - 4) % 7)
    in_break = (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day <= 4)
    if in_break:
        day = date(day.year if day.month == 12 else day.year - 1, 12, 23)
        day -= timedelta(days=(day.weekday() - 4) % 7)
    return day


def release_label(published: date | None) -> str:
    """``release of 9 January 2025`` (or ``release of unknown date``).

    >>> release_label(date(2025, 1, 9))
    'release of 9 January 2025'
    """
    return f"release of {snapshot(published).label}" if published else "release of unknown date"


@overload
def _as_date(value: date | str, what: str) -> date: ...
@overload
def _as_date(value: None, what: str) -> None: ...
def _as_date(value: date | str | None, what: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    period = parse_period(str(value))
    if period.kind != "snapshot":
        raise PeriodError(
            f"{what} must be one day, e.g. '2024-12-20' or '20 December 2024'", value=value
        )
    return period.start


# --- format detection -----------------------------------------------------------------------


def kind_of(path: str | Path) -> str:
    """``attendance_ytd`` or ``attendance_weekly``, from the first data row's
    ``time_identifier`` ("Academic year" / "Week 37"); the file name decides when the file
    has no such column (``weekly`` in it: weekly), and the reader then says what is missing.
    """
    path = Path(path)
    rows = csv.reader(io.StringIO(read_text(path)[:20000], newline=""))
    header = [c.strip().lower() for c in next(rows, [])]
    first = next(rows, [])
    if "time_identifier" in header and len(first) > header.index("time_identifier"):
        ident = first[header.index("time_identifier")].strip().lower()
        if ident.startswith("week"):
            return "attendance_weekly"
        if ident == "academic year":
            return "attendance_ytd"
    return "attendance_weekly" if "weekly" in path.name.lower() else "attendance_ytd"


# --- columns ---------------------------------------------------------------------------------


def _unseen(columns: Sequence[str]) -> list[str]:
    known = (
        set(IDENTIFIERS) | set(PHASE_COLUMNS) | set(MEASURES) | set(CUTOFF_COLUMNS) | SEEN_COLUMNS
    )
    return [c for c in columns if c not in known and not _REASON_COLUMN.match(c)]


def _check_columns(raw: pd.DataFrame, file: str, weekly: bool) -> tuple[str, list[str]]:
    """The phase column and the measures to read; raises for anything perf cannot read right."""
    columns = list(raw.columns)
    unseen = _unseen(columns)
    also = (
        f" The file has columns perf has not seen in a release: {', '.join(unseen)} "
        "(a renamed column?)."
        if unseen
        else ""
    )
    phase = [c for c in PHASE_COLUMNS if c in columns]
    if not phase:
        raise MissingColumnError(
            "no phase column (school_type or education_phase)",
            file=file,
            row=1,
            column="education_phase",
            hint="An attendance release gives each area's figures by "
            "phase: Primary, Secondary, Special, Total." + also,
        )
    if len(phase) > 1:
        raise UnexpectedColumnError(
            "both school_type and education_phase",
            file=file,
            row=1,
            column="school_type",
            hint="A release has one phase column "
            "(school_type until 2024/25, then education_phase).",
        )
    wanted = [m for m in MEASURES if not (weekly and m in WEEKLY_SKIPPED)]
    for column in (
        *REQUIRED,
        *(m for m in wanted if m not in OPTIONAL_MEASURES),
        *{n for m in wanted for n in MEASURES[m][1:] if n},
    ):
        if column not in columns:
            raise MissingColumnError(
                "required column is missing",
                file=file,
                row=1,
                column=column,
                hint="perf reads the DfE attendance "
                "release's figures and the session counts behind them." + also,
            )
    if unseen:
        raise UnexpectedColumnError(
            "a column perf has not seen in a DfE attendance release",
            file=file,
            row=1,
            column=unseen[0],
            hint="perf cannot tell whether it changes what the other columns mean (a new "
            "breakdown would repeat every area). If it is a figure perf need not report, add it "
            "to perf.loaders.attendance.SEEN_COLUMNS; if it renames a column perf reads, rename "
            "it back." + (f" Also unseen: {', '.join(unseen[1:])}." if len(unseen) > 1 else ""),
        )
    dropped = [c for c in columns if _REASON_COLUMN.match(c) and c not in SEEN_COLUMNS]
    if dropped:
        log.info(
            "%s: new reason-code columns not read (not a figure perf reports): %s",
            file,
            ", ".join(dropped),
        )
    if weekly and any(m in columns for m in WEEKLY_SKIPPED):
        log.info(
            "%s: persistent absence in a weekly file is not read (defined over the year so far)",
            file,
        )
    return phase[0], [m for m in wanted if m in columns]


# --- periods ---------------------------------------------------------------------------------


def _file_cutoffs(raw: pd.DataFrame, rownum: pd.Series, file: str) -> pd.Series | None:
    """Each row's cut-off from the file's own date column, or None if it has none."""
    present = [c for c in CUTOFF_COLUMNS if c in raw.columns]
    if not present:
        return None
    column = present[0]
    cells = raw[column].str.strip()
    out = {}
    for text in cells.unique():
        try:
            day = _as_date(text, column)
        except PeriodError:
            pos = int(np.flatnonzero((cells == text).to_numpy())[0])
            raise BadValueError(
                "must be a date",
                file=file,
                row=int(rownum.iloc[pos]),
                column=column,
                value=text,
                hint="Write the date as 2024-12-20 or 20 December 2024.",
            ) from None
        out[text] = day + timedelta(days=4) if CUTOFF_COLUMNS[column] == "week" else day
    return cells.map(out)


def _ytd_periods(
    raw: pd.DataFrame, rownum: pd.Series, file: str, published: date | None, cutoff: date | None
) -> tuple[pd.DataFrame, pd.Series]:
    """The period columns and each row's source text."""
    years = raw["time_period"].str.strip()
    bad = ~years.str.fullmatch(r"\d{6}")
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise BadValueError(
            "must be an academic-year code such as 202425",
            file=file,
            row=int(rownum.iloc[pos]),
            column="time_period",
            value=years.iloc[pos],
        )
    from_file = _file_cutoffs(raw, rownum, file)
    if from_file is not None:
        if cutoff is not None and (from_file != cutoff).any():
            pos = int(np.flatnonzero((from_file != cutoff).to_numpy())[0])
            raise BadValueError(
                f"the file's date differs from the stated cut-off {snapshot(cutoff).label}",
                file=file,
                row=int(rownum.iloc[pos]),
                column=from_file.name,
                value=raw[from_file.name].iloc[pos],
                hint="Leave out cutoff= (the file says its own date), or correct it.",
            )
        cutoffs, basis = from_file, ""
    elif cutoff is not None:
        cutoffs, basis = pd.Series(cutoff, index=raw.index), ", cut-off as stated"
    elif published is not None:
        cutoffs = pd.Series(estimated_cutoff(published), index=raw.index)
        basis = ", cut-off estimated from the publication date"
    else:
        raise FileFormatError(
            "cannot tell the date the year-to-date figures run to",
            file=file,
            row=1,
            column="time_period",
            hint="Keep the release's name (e.g. "
            "EES_ytd_data_published_2025-01-09.csv: the cut-off is estimated from the "
            "publication date) or state the cut-off: perf.load(path, cutoff='2024-12-20').",
        )
    labels = pd.Series(index=raw.index, dtype=object)
    sources = pd.Series(index=raw.index, dtype=object)
    release = release_label(published)
    pairs = pd.DataFrame({"year": years, "cutoff": cutoffs})
    for (year, day), group in pairs.groupby(["year", "cutoff"], sort=False):
        try:
            period = academic_year_to_date(int(year[:4]), day)
        except PeriodError as exc:
            how = basis.lstrip(", ") or f"from the file's {cutoffs.name} column"
            raise PeriodError(
                exc.message,
                file=file,
                row=int(rownum[group.index].min()),
                column="time_period",
                value=year,
                hint=f"The cut-off was {how}. State the right one: "
                "perf.load(path, cutoff='YYYY-MM-DD').",
            ) from None
        labels[group.index] = period.label
        sources[group.index] = (
            f"{file} ({PUBLISHER}, {release}, year to {snapshot(day).label}{basis})"
        )
    periods = period_frame(
        labels, "academic_year_to_date", file=file, column="time_period", rows=rownum
    )
    return periods, sources


def _weekly_periods(
    raw: pd.DataFrame, rownum: pd.Series, file: str, published: date | None
) -> tuple[pd.DataFrame, pd.Series]:
    ident = raw["time_identifier"].str.strip()
    labels = ident + " " + raw["time_period"].str.strip()
    periods = period_frame(labels, "week", file=file, column="time_identifier", rows=rownum)
    wrong = periods["period_kind"] != "week"
    if wrong.any():
        pos = int(np.flatnonzero(wrong.to_numpy())[0])
        raise BadValueError(
            "must be a week such as 'Week 37' (with time_period the year)",
            file=file,
            row=int(rownum.iloc[pos]),
            column="time_identifier",
            value=ident.iloc[pos],
        )
    stated = [c for c, meaning in CUTOFF_COLUMNS.items() if meaning == "week" and c in raw]
    cutoffs = _file_cutoffs(raw[stated], rownum, file)  # None when the file states none
    if cutoffs is not None:
        starts = cutoffs - timedelta(days=4)
        differs = pd.to_datetime(starts).to_numpy() != periods["period_start"].to_numpy()
        if differs.any():
            pos = int(np.flatnonzero(differs)[0])
            raise BadValueError(
                f"the date is not the Monday of {labels.iloc[pos]}",
                file=file,
                row=int(rownum.iloc[pos]),
                column=stated[0],
                value=raw[stated[0]].iloc[pos],
                hint="DfE numbers weeks as ISO weeks: check the week number and the date.",
            )
    source = f"{file} ({PUBLISHER}, {release_label(published)}, weekly)"
    return periods, pd.Series(source, index=raw.index)


# --- reading ---------------------------------------------------------------------------------


def _check_identifier(raw: pd.DataFrame, rownum: pd.Series, file: str, weekly: bool) -> None:
    ident = raw["time_identifier"].str.strip().str.lower()
    ok = ident.str.fullmatch(r"week\s*\d{1,2}") if weekly else ident == "academic year"
    if not ok.all():
        pos = int(np.flatnonzero((~ok).to_numpy())[0])
        raise BadValueError(
            f"a {'weekly' if weekly else 'year-to-date'} file must have time_identifier "
            f"{'Week N' if weekly else 'Academic year'} on every row",
            file=file,
            row=int(rownum.iloc[pos]),
            column="time_identifier",
            value=raw["time_identifier"].iloc[pos],
            hint="Keep the year-to-date and weekly files apart, as DfE publishes them.",
        )


def _check_figures(
    value: pd.Series,
    numerator: pd.Series | None,
    denominator: pd.Series | None,
    rownum: pd.Series,
    file: str,
    column: str,
    num: str | None,
) -> None:
    outside = (value < 0) | (value > 100)
    if outside.any():
        pos = int(np.flatnonzero(outside.to_numpy())[0])
        raise BadValueError(
            "a percentage must be between 0 and 100",
            file=file,
            row=int(rownum.iloc[pos]),
            column=column,
            value=value.iloc[pos],
        )
    if numerator is None or denominator is None:
        return
    usable = value.notna() & numerator.notna() & (denominator > 0)
    implied = 100 * numerator / denominator.where(denominator > 0)
    off = usable & ((value - implied).abs() > CONSISTENCY_TOLERANCE)
    if off.any():
        pos = int(np.flatnonzero(off.to_numpy())[0])
        raise BadValueError(
            f"disagrees with 100 x {num} / possible_sessions ({implied.iloc[pos]:.2f})",
            file=file,
            row=int(rownum.iloc[pos]),
            column=column,
            value=value.iloc[pos],
            hint="perf will not guess which column is wrong (a renamed or rescaled column?): "
            "check the release.",
        )


def read(
    path: str | Path,
    *,
    kind: str | None = None,
    cutoff: date | str | None = None,
    validate: bool = True,
    decimal: str | None = None,
) -> pd.DataFrame:
    """Read a DfE attendance release (year-to-date or weekly) into the observations model.

    Args:
        path: the release's CSV.
        kind: ``attendance_ytd`` or ``attendance_weekly``; default from the file
            (:func:`kind_of`).
        cutoff: the date the year-to-date figures run to, when the user knows it (a date or
            text such as ``"2024-12-20"``). Default: the file's own date column, else
            estimated from the publication date in the file name (:func:`estimated_cutoff`).
        validate: run pandera's contract check (``load_all`` runs it once, on everything).
        decimal: the file's decimal mark (``"."`` or ``","``); default from its separator
            (:func:`perf.loaders.common.file_decimal`).

    Returns:
        Observations; ``attrs`` holds ``format``, ``published`` (date or None) and, for a
        year-to-date file, ``cutoffs`` (sorted dates).

    Raises:
        MissingColumnError, UnexpectedColumnError: a column set perf cannot read right.
        BadValueError: a figure that is not a number or symbol, outside 0-100, or at odds with
            its session counts; a row of the wrong kind; a duplicated area and phase.
        PeriodError, FileFormatError: no cut-off can be known, or it is outside the year.
    """
    path = Path(path)
    file = path.name
    kind = kind or kind_of(path)
    if kind not in FORMATS:
        raise FileFormatError(
            f"unknown attendance format {kind!r}",
            file=file,
            hint=f"Use one of: {', '.join(FORMATS)}.",
        )
    weekly = kind == "attendance_weekly"
    cutoff = _as_date(cutoff, "cutoff")
    if weekly and cutoff is not None:
        raise FileFormatError(
            "cutoff= applies to year-to-date files, not weekly ones",
            file=file,
            hint="A weekly figure's dates are its week's.",
        )
    raw = read_csv_strings(path)
    mark = file_decimal(raw, decimal)
    raw.columns = [c.lower() for c in raw.columns]
    phase_column, measures = _check_columns(raw, file, weekly)
    places = _areas(raw, file)
    rownum = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    keyed = keyed_rows(places, file)
    raw, places, rownum = raw[keyed], places[keyed], rownum[keyed]
    _check_identifier(raw, rownum, file, weekly)

    phase_text = raw[phase_column].str.strip()
    phase = phase_text.str.lower().map(PHASES)
    if phase.isna().any():
        pos = int(np.flatnonzero(phase.isna().to_numpy())[0])
        raise BadValueError(
            "not a phase perf knows",
            file=file,
            row=int(rownum.iloc[pos]),
            column=phase_column,
            value=phase_text.iloc[pos],
            hint=f"Phases: {', '.join(p.title() for p in PHASES)}. A new phase "
            "needs an entry in perf.loaders.attendance.PHASES and the catalogue.",
        )
    published = publication_date(path)
    if weekly:
        periods, sources = _weekly_periods(raw, rownum, file, published)
    else:
        periods, sources = _ytd_periods(raw, rownum, file, published, cutoff)

    def numbers(column: str) -> tuple[pd.Series, pd.Series]:
        values, flags = parse_numbers(raw[column], file=file, column=column, decimal=mark)
        return values.set_axis(raw.index), flags.set_axis(raw.index)

    counts = {c: numbers(c)[0] for c in {n for m in measures for n in MEASURES[m][1:] if n}}
    base = places.join(periods).assign(source=sources, row=rownum)
    pieces = []
    for column in measures:
        stem, num, den = MEASURES[column]
        values, flags = numbers(column)
        numerator = counts[num] if num is not None else None
        denominator = counts[den] if den is not None else None
        _check_figures(values, numerator, denominator, rownum, file, column, num)
        pieces.append(
            base.assign(
                indicator=f"{stem}_{'week' if weekly else 'ytd'}_" + phase,
                value=values,
                flag=flags,
                numerator=numerator if numerator is not None else np.nan,
                denominator=denominator if denominator is not None else np.nan,
            )
        )
    long = pd.concat(pieces, ignore_index=True).sort_values("row", kind="stable")
    _check_unique(long, file, phase_column)
    out = finish(long, file=file, row_numbers=long["row"], validate=validate)
    out.attrs = {"format": kind, "published": published}
    if not weekly:
        out.attrs["cutoffs"] = sorted({d.date() for d in out["period_end"]})
    return out


def _check_unique(long: pd.DataFrame, file: str, phase_column: str) -> None:
    """Two rows for one area, phase and period: a breakdown perf does not know about."""
    dup = long.duplicated(KEY, keep=False)
    if dup.any():
        rows = long.loc[dup, "row"]
        first = long.loc[dup].iloc[0]
        same = long.loc[
            dup
            & (long["indicator"] == first["indicator"])
            & (long["area_code"] == first["area_code"])
            & (long["period"] == first["period"]),
            "row",
        ].tolist()
        raise DuplicateKeyError(
            f"two rows for {first['area_name']} ({first['area_code']}), the same phase and "
            f"{first['period']} (rows {same[0]} and {same[1]})",
            file=file,
            row=int(rows.iloc[1]),
            column=phase_column,
            hint="A release has one row per area and phase (and week): "
            "a second row means a breakdown perf does not read. Check the release.",
        )


def read_ytd(
    path: str | Path,
    *,
    validate: bool = True,
    cutoff: date | str | None = None,
    decimal: str | None = None,
) -> pd.DataFrame:
    """:func:`read` for a year-to-date release."""
    return read(path, kind="attendance_ytd", cutoff=cutoff, validate=validate, decimal=decimal)


def read_weekly(
    path: str | Path, *, validate: bool = True, decimal: str | None = None
) -> pd.DataFrame:
    """:func:`read` for a weekly release."""
    return read(path, kind="attendance_weekly", validate=validate, decimal=decimal)


def combine_weekly(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Several weekly files in one frame: each release repeats the weeks before it, so for
    a week held by more than one release the latest release's figure stands (DfE revises
    recent weeks as late registers arrive). Logs how many earlier figures were replaced.

    >>> a = pd.DataFrame({"indicator": "x", "area_code": "A", "period": ["Week 37 2022"],
    ...                   "value": [90.0]})
    >>> a.attrs["published"] = date(2022, 11, 17)
    >>> b = a.assign(value=[91.0])
    >>> b.attrs["published"] = date(2023, 1, 12)
    >>> combine_weekly([b, a])["value"].tolist()
    [91.0]
    """
    if not frames:
        raise ValueError("no weekly frames to combine")
    ordered = sorted(frames, key=lambda f: f.attrs.get("published") or date.min)
    combined = concat_observations(ordered)  # categorical columns stay categorical
    later = combined.duplicated(KEY, keep="last")
    if later.any():
        log.info("weekly attendance: %d figures replaced by a later release's", int(later.sum()))
    return combined[~later].reset_index(drop=True)
