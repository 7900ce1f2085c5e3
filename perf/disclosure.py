"""Disclosure control for public outputs: small counts become ``[c]``, and stay hidden.

Briefings about children are published. A public briefing must never let a reader
work out a count of 1 to ``threshold`` children (default
:data:`perf.config.SUPPRESSION_THRESHOLD`, 5), either from the cell itself, from a
rate or percentage computed from it, from a published total minus the published
parts, or from a published change between two periods. :func:`suppress` applies
four rules, in this order and then again until nothing changes:

1. **Primary suppression.** Only figures about people are protected: the
   catalogue's ``counts`` column says what an indicator counts (``people``: children,
   young people, families; ``staff``, ``settings`` such as children's homes and
   schools, ``events`` such as complaints are never suppressed: 4 of 11 homes
   discloses no child). A count of people (unit ``count`` or ``number``) whose value is
   1 to ``threshold``, and any row about people whose ``numerator`` or
   ``denominator`` is 1 to ``threshold`` (a rate or percentage of a handful of
   children), becomes ``NaN`` with flag ``c``. A row the source already flagged ``c``
   is treated as suppressed too. A catalogue without a ``counts`` column is read as
   counting people (the default that protects).

   **Complements and implied counts.** A percentage is a share of a whole: the whole minus
   the part is a count of people too ("95%" of 60 care leavers in work is 57, so 3 are
   not), and its confidence interval gives it back even when the numerator is not printed
   (only 57 of 60 fits "86% to 98%"). A percentage about people whose complement
   (denominator minus numerator) is 1 to ``threshold`` is suppressed. Where the numerator
   is not given, the value and the denominator imply it (value x denominator / 100, or /
   10,000 for a rate, rounded to a whole person as a reader would): an implied numerator
   or complement of 1 to ``threshold`` is suppressed the same way.

   For a **rate per 10,000** only the implied numerator is checked, not the complement.
   Its denominator is the area's estimated population of children (ONS's mid-year
   estimate), not a counted group the numerator was taken from: population minus children
   looked after is an estimate of everyone else, no small group anyone could be picked
   out of, and it is small only for a rate above 9,995 per 10,000, which no rate of
   children's services reaches. A rate whose denominator is itself small is suppressed by
   the denominator rule above.
2. **Linked indicators.** A rate and the count it is computed from (``cla_rate``
   and ``cla_count``, LAIT's ``LAC`` and ``LACnum``, ...; see :data:`DERIVED_FROM`)
   are suppressed together for the same area and period: the published population
   would turn one into the other.
3. **Secondary suppression across areas.** For each indicator and period, the
   areas that add up to a published parent (LAs to their region, regions to
   England: ``groups``) are a table with a total. If a part is suppressed, the
   next smallest non-zero part is suppressed as well, and so on until at least two
   parts are hidden *and* the hidden parts together exceed ``threshold`` (the
   total minus the published parts gives their sum, which must not itself be a
   small count). When no part is left to hide, the parent total is suppressed, and
   protected in turn at the level above.
4. **Time series.** A change column (``change``, ``change_pct``, ... see
   :data:`CHANGE_COLUMNS`) is blanked on a suppressed row and on the row of the
   next period of the same indicator and area: "up 3 on last quarter" next to a
   published figure would give back the hidden one. Judgement columns
   (:data:`JUDGEMENT_COLUMNS`: status, rank, narrative...) are blanked on
   suppressed rows: a suppressed value never gets a status, rank or sentence.

**Free text** (commentary, progress narratives, source notes, definitions) is checked as
well: :func:`small_counts_in_text` finds counts of 1 to ``threshold`` people written in
words or digits ("3 out of the 6 care leavers", "five children", "2 young people");
:func:`protect_text` either redacts them with a visible ``[c]`` or stops, naming the
field. Numbers that count no one are left alone ("5 priorities", "Q1", "2012-13", "36%",
"4 children's homes", "Key Stage 4", "1 in 5 children").

What counts as a number, and as people (decided for issue 27; tests/test_disclosure.py holds
the corpus both ways):

* digits, whole-number decimals ("3.0 children": a decimal that is a whole number is that
  number; "1.5 children per household" is an average, not a count), number words (one to
  twenty: "four of the twelve families" withholds both), and the two phrases that name an
  exact number, "a single" (1) and "a couple of" (2). Vague words ("a few", "several", "a
  handful") name no count and are left alone. "5 (five) children" withholds both forms;
* people: nouns for children, young people, families and the like, the abbreviations
  reports use (YP, CYP, LAC, CLA, CIN, UASC, NEET), "entrants", hyphenated forms
  ("care-leavers"); and, straight after a number, a state only people are in ("2 adopted",
  "3 NEET", "2 fostered", "3 excluded", "4 looked after", "5 in care", "three of whom");
* forms: "N people", "N of M people", "N out of the M people", "people: N", "people - N",
  "people (N)", "people = N". A noun followed by a bare number with no mark between
  ("Troubled Families 2") is read as a name, not a count;
* never counts: a number after a label ("aged 3", "Year 6", "Key Stage 2", "Quarter 3",
  "Objective 2", "PI 1176", "ranked 3"), ages and times ("3-year-olds", "children - 5
  years"), ranges and proportions ("1 to 5", "1 in 5"), thresholds in definitions ("at
  least one exclusion"), dates and years, percentages and per cents, money ("£5 per
  child"), ordinals ("3rd"), and "one of the" anything that is not people.

Zero is not suppressed. A count of 0 describes no child, so it discloses nothing
about anyone; this follows the Government Statistical Service guidance on
disclosure control for tables produced from administrative sources (threshold
rules protect small *non-zero* cells) and DfE's practice for these very tables
("Where any number is shown as zero, the original figure submitted was zero";
``c`` "to protect confidentiality. Secondary suppression may be required":
DfE, Explore Education Statistics, children looked after methodology, "Rounding,
suppression and grossing"). Zeros are also never chosen as secondary cells, since
hiding a 0 protects nothing when readers know zeros are always shown.

The contract for everything downstream (tables, charts, scoring, narrative,
render): call :func:`suppress` once, on the whole frame a public briefing will
show, *before* scoring, ranking, comparing or writing sentences, then use
:func:`is_suppressed` to skip a row's status, rank and narrative. In internal mode
call nothing, and show :func:`mode_banner` (``public=False``) at the top.

Examples:
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"indicator": ["n"], "unit": ["count"]})
    >>> frame = pd.DataFrame({
    ...     "indicator": "n", "area_code": ["E1", "A", "B", "C"],
    ...     "period": "2024", "value": [30.0, 3.0, 9.0, 18.0],
    ...     "numerator": float("nan"), "denominator": float("nan"), "flag": None})
    >>> out = suppress(frame, catalogue=cat, groups={"A": "E1", "B": "E1", "C": "E1"})
    >>> out[["area_code", "value", "flag"]]
      area_code  value flag
    0        E1   30.0  NaN
    1         A    NaN    c
    2         B    NaN    c
    3         C   18.0  NaN
    >>> is_suppressed(out).tolist()
    [False, True, True, False]
    >>> frame["value"].tolist()  # the input is untouched
    [30.0, 3.0, 9.0, 18.0]
    >>> print(mode_banner(public=False))
    Internal analyst view: unsuppressed figures, not for publication
    >>> mode_banner(public=True) is None
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from perf import config
from perf.areas import areas
from perf.catalogue import catalogue as load_catalogue
from perf.config import ENGLAND
from perf.errors import ParameterError, PerfError, PeriodError, UnknownIndicatorError
from perf.fileio import source_file as schema_source_file
from perf.loaders import load_all_isolated
from perf.periods import parse_period

__all__ = [
    "CHANGE_COLUMNS",
    "COUNT_UNITS",
    "TEXT_MODES",
    "DisclosureError",
    "DERIVED_FROM",
    "ENGLAND",
    "INTERNAL_BANNER",
    "JUDGEMENT_COLUMNS",
    "SUPPRESSED",
    "WITHHELD_TEXT",
    "for_audience",
    "is_suppressed",
    "mode_banner",
    "protect_text",
    "redact_text",
    "small_counts_in_text",
    "suppress",
    "withhold",
]

#: The GSS symbol for a value withheld to protect confidentiality.
SUPPRESSED = "c"
#: Catalogue units whose values are counts (additive, disclosive when small and of people).
COUNT_UNITS = frozenset({"count", "number"})
#: Catalogue units of a share or a rate -> what its value is per (numerator / denominator x).
RATE_SCALES = {"%": 100.0, "rate per 10,000": 10_000.0}
#: The catalogue ``counts`` value whose small figures are withheld (schema.COUNTS).
PEOPLE = "people"
#: A rate or percentage indicator -> the count indicator it is computed from.
DERIVED_FROM: dict[str, str] = {
    "cla_rate": "cla_count",
    "cla_start_rate": "cla_start_count",
    "cla_cease_rate": "cla_cease_count",
    "LAC": "LACnum",
    "CPP_rate": "CPP_Num",
    "%_of LAC Adopted": "No_of LAC Adopted",
}
#: Columns holding a difference from another period's value (blanked on the row and
#: on the next period's row when a value is suppressed).
#: Any column whose name starts with ``change`` counts too (perf.compare: change, change_pct,
#: change_pp; comparison_value is the other period's figure itself).
CHANGE_COLUMNS = (
    "change",
    "change_pct",
    "change_pp",
    "change_abs",
    "difference",
    "diff",
    "pct_change",
    "comparison_value",
    "movement",
)
#: Columns that judge or describe a value (blanked on suppressed rows).
#: Any column whose name starts with ``gap_`` counts too (perf.benchmarking: gap_england,
#: gap_region, gap_sn give the value back from a published comparator).
JUDGEMENT_COLUMNS = (
    "status",
    "rag",
    "score",
    "rank",
    "quartile",
    "band",
    "direction",
    "trend",
    "narrative",
    "sentence",
    "target_status",
    "shown_status",
    "perf_status",
    "signal",
    "variation",
    "assurance",
    "ci_lower",
    "ci_upper",
    "significance",
    "significance_words",
)
#: What a table prints in place of a suppressed figure's status, interval, significance or
#: SPC verdict: they would describe, or give back, the figure withheld.
WITHHELD_TEXT = "Not shown: the figure is suppressed"
INTERNAL_BANNER = "Internal analyst view: unsuppressed figures, not for publication"
#: England's ONS code: the parent of every region.

_DEFAULT_GROUPS = "areas"


def mode_banner(public: bool) -> str | None:
    """The banner an output must show at its top: none for public outputs.

    >>> mode_banner(False)
    'Internal analyst view: unsuppressed figures, not for publication'
    >>> print(mode_banner(True))
    None
    """
    return None if public else INTERNAL_BANNER


def is_suppressed(frame: pd.DataFrame) -> pd.Series:
    """True where a row's value is withheld (flag ``c``): give it no status, rank or sentence.

    >>> import pandas as pd
    >>> is_suppressed(pd.DataFrame({"flag": ["c", None, "p", "C "]})).tolist()
    [True, False, False, True]
    """
    if "flag" not in frame.columns:
        return pd.Series(False, index=frame.index, dtype=bool)
    flags = frame["flag"].astype("string").str.strip().str.lower()
    return flags.eq(SUPPRESSED).fillna(False).astype(bool)


def for_audience(frame: pd.DataFrame, *, public: bool, **kwargs: Any) -> pd.DataFrame:
    """:func:`suppress` for a public output, the frame unchanged (a copy) for an internal one.

    >>> import pandas as pd
    >>> cat = pd.DataFrame({"indicator": ["n"], "unit": ["count"]})
    >>> f = pd.DataFrame({"indicator": ["n"], "area_code": ["A"], "period": ["2024"],
    ...                   "value": [2.0], "numerator": [None], "denominator": [None],
    ...                   "flag": [None]})
    >>> for_audience(f, public=False, catalogue=cat)["value"].tolist()
    [2.0]
    >>> for_audience(f, public=True, catalogue=cat, groups=None)["value"].tolist()
    [nan]
    """
    return suppress(frame, **kwargs) if public else frame.copy()


def source_file(frame: pd.DataFrame) -> pd.Series:
    """The file name each row came from (:func:`perf.schema.source_file` of its ``source``).

    >>> source_file(pd.DataFrame({"source": ["observations.csv (Leeds report)", "x (1).csv"]})).tolist()
    ['observations.csv', 'x (1).csv']
    """
    return frame["source"].map(schema_source_file)


def for_publication(
    frame: pd.DataFrame, *, own: Iterable[str] | None = None, **kwargs: Any
) -> pd.DataFrame:
    """Disclosure control for a public briefing: :func:`suppress` the council's own figures,
    keep published statistics exactly as their publisher released them.

    DfE and ONS releases have been through their publisher's disclosure control already
    (their small counts arrive as ``c``, kept as such). Suppressing more of them protects
    nothing (they are public) and would make ranks and quartiles disagree with the
    department's own tool. A council's quarterly figures are unpublished until the briefing
    publishes them: those are the figures perf must protect. Which they are is the loaders'
    to say, by the format of the file each came from, never by its name or folder
    (:attr:`perf.loaders.Loaded.own`: a return saved as ``return (1).xlsx`` in
    ``data/local/returns/`` is the council's own like any other).

    Args:
        frame: tidy observations with a ``source`` column.
        own: the ``source`` values of the council's own figures (default: those of
            ``perf.loaders.load_all_isolated()`` on the project's data).
        **kwargs: passed to :func:`suppress` (``catalogue``, ``threshold``, ...).

    Examples:
        >>> cat = pd.DataFrame({"indicator": ["n"], "unit": ["count"]})
        >>> f = pd.DataFrame({"indicator": ["n", "n"], "area_code": ["A", "B"],
        ...     "period": ["2024", "2024"], "value": [2.0, 3.0], "numerator": [None, None],
        ...     "denominator": [None, None], "flag": [None, None],
        ...     "source": ["q1 (1).xlsx (the council's return)", "cla.csv (DfE)"]})
        >>> own = ["q1 (1).xlsx (the council's return)"]
        >>> for_publication(f, own=own, catalogue=cat, groups=None)["value"].tolist()
        [nan, 3.0]
    """
    if own is None:
        own = load_all_isolated().own
    local = frame["source"].astype(str).isin(set(own)).to_numpy()
    if not local.any():
        return frame.copy()
    protected = suppress(frame[local], **kwargs)
    return pd.concat([frame[~local], protected]).loc[frame.index]


def suppress(
    frame: pd.DataFrame,
    *,
    threshold: int = config.SUPPRESSION_THRESHOLD,
    catalogue: pd.DataFrame | None = None,
    groups: Any = _DEFAULT_GROUPS,
    derived: Mapping[str, str] | None = None,
    change_columns: Iterable[str] = CHANGE_COLUMNS,
    judgement_columns: Iterable[str] = JUDGEMENT_COLUMNS,
) -> pd.DataFrame:
    """Return a copy of ``frame`` safe to publish: see the module docstring for the rules.

    Args:
        frame: tidy observations (at least indicator, area_code, period, value; numerator,
            denominator, flag and period_start are used when present). Extra columns
            (change, status, rank, narrative...) are kept and blanked where needed.
        threshold: counts from 1 to this are withheld (0 is never withheld).
        catalogue: frame with ``indicator`` and ``unit`` columns; default
            ``perf.catalogue.catalogue()``. An indicator it does not describe is an error:
            disclosure control cannot guess whether a figure counts children.
        groups: which areas add up to which: ``"areas"`` (default: LAs to their region,
            regions to England, from ``perf.areas.areas()``), a mapping child -> parent
            code, a frame with ``area_code`` and ``parent_code`` columns (a child may
            have several parents), or ``None`` for no secondary suppression across areas.
        derived: rate indicator -> count indicator pairs suppressed together
            (default :data:`DERIVED_FROM`).
        change_columns, judgement_columns: see :data:`CHANGE_COLUMNS`, :data:`JUDGEMENT_COLUMNS`.

    Raises:
        ParameterError: ``threshold`` is not a whole number >= 0, or ``groups`` is malformed.
        UnknownIndicatorError: an indicator is not in the catalogue.

    The suppressed rows keep their key and area columns; value and numerator become NaN
    (denominator too when it is itself a small count) and flag becomes ``c``.

    >>> import pandas as pd
    >>> cat = pd.DataFrame({"indicator": ["cla_rate", "cla_count"],
    ...                     "unit": ["rate per 10,000", "count"]})
    >>> f = pd.DataFrame({"indicator": ["cla_rate", "cla_count", "cla_rate", "cla_count"],
    ...                   "area_code": ["A", "A", "B", "B"], "period": "31 March 2024",
    ...                   "value": [76.0, 7.0, 20.0, 4.0], "numerator": [7.0, None, None, None],
    ...                   "denominator": [918.0, None, None, None], "flag": None})
    >>> suppress(f, catalogue=cat, groups=None)[["indicator", "area_code", "value", "flag"]]
        indicator area_code  value flag
    0   cla_rate         A   76.0  NaN
    1  cla_count         A    7.0  NaN
    2   cla_rate         B    NaN    c
    3  cla_count         B    NaN    c
    >>> suppress(f, catalogue=cat, groups=None, threshold=0)["value"].tolist()
    [76.0, 7.0, 20.0, 4.0]
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 0:
        raise ParameterError(
            f"the suppression threshold must be a whole number of 0 or more, not {threshold!r}",
            hint="Counts from 1 to the threshold are withheld; the usual threshold is 5.",
        )
    missing = [c for c in ("indicator", "area_code", "period", "value") if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"disclosure control needs the columns {missing} in the frame",
            hint="Pass the tidy observations frame from perf.load.",
        )
    out = frame.copy()
    if out.empty:
        return out
    derived = DERIVED_FROM if derived is None else dict(derived)
    count_ids, people_ids, scales = _count_indicators(out["indicator"], catalogue)

    indicator = out["indicator"].astype(str).to_numpy()
    area = out["area_code"].astype(str).to_numpy()
    period = out["period"].astype(str).to_numpy()
    value = _floats(out, "value")
    numerator = _floats(out, "numerator")
    denominator = _floats(out, "denominator")
    about_people = np.isin(indicator, list(people_ids))
    is_count = np.isin(indicator, list(count_ids)) & about_people
    # The count a row stands for: a count indicator's value, or a rate's numerator.
    cell = np.where(is_count, value, numerator)

    def small(a: np.ndarray) -> np.ndarray:
        return (a > 0) & (a <= threshold)

    small_denominator = small(denominator) & about_people
    hidden = (is_count & small(value)) | (small(numerator) & about_people) | small_denominator
    hidden |= about_people & _small_implied(
        indicator, value, numerator, denominator, scales, threshold
    )
    hidden |= is_suppressed(out).to_numpy()

    position = {key: i for i, key in enumerate(zip(indicator, area, period))}
    links = _link_pairs(indicator, area, period, position, derived)
    tables = _area_tables(indicator, area, period, position, _edges(groups))

    changed = True
    while changed:
        changed = False
        for a, b in links:
            if hidden[a] != hidden[b]:
                hidden[a] = hidden[b] = True
                changed = True
        for parent, children in tables:
            if _protect(parent, children, hidden, cell, threshold):
                changed = True

    rows = out.index[hidden]
    out["value"] = value
    out.loc[rows, "value"] = np.nan
    if "numerator" in out.columns:
        out["numerator"] = numerator
        out.loc[rows, "numerator"] = np.nan
    if "denominator" in out.columns:
        out["denominator"] = denominator
        out.loc[out.index[hidden & small_denominator], "denominator"] = np.nan
    if "flag" not in out.columns:
        out["flag"] = pd.Series(np.nan, index=out.index, dtype=pd.StringDtype(na_value=np.nan))
    flags = out["flag"].astype(pd.StringDtype(na_value=np.nan))
    out["flag"] = flags.mask(pd.Series(hidden, index=out.index), SUPPRESSED)

    out = _blank_judgements(out, hidden, judgement_columns)
    change_columns = set(change_columns)
    changes = [c for c in out.columns if c in change_columns or str(c).startswith("change")]
    if changes and hidden.any():
        after_hidden = _follows_hidden(out, hidden)
        for column in changes:
            out[column] = _blank(out[column], hidden | after_hidden)
    return out


def withhold(
    frame: pd.DataFrame, *, judgement_columns: Iterable[str] = JUDGEMENT_COLUMNS
) -> pd.DataFrame:
    """A copy of ``frame`` whose suppressed rows (:func:`is_suppressed`) carry no status,
    interval, significance, SPC verdict, rank or gap (:data:`JUDGEMENT_COLUMNS` and any
    ``gap_`` column): the one rule every table, chart and record of a figure follows, so
    nothing printed beside ``[c]`` describes or gives back the figure withheld.
    :func:`suppress` applies it to the rows it hides; a frame built from suppressed
    observations (a performance matrix, a scorecard) applies it again to its own columns.

    >>> f = pd.DataFrame({"flag": ["c", None], "status": ["green", "red"],
    ...                   "ci_lower": [86.0, 40.0], "variation": ["common_cause"] * 2})
    >>> withhold(f)[["status", "ci_lower", "variation"]].to_dict("list")
    {'status': [nan, 'red'], 'ci_lower': [nan, 40.0], 'variation': [nan, 'common_cause']}
    """
    return _blank_judgements(frame.copy(), is_suppressed(frame).to_numpy(), judgement_columns)


# --- helpers ---------------------------------------------------------------------


def _blank_judgements(
    out: pd.DataFrame, hidden: np.ndarray, judgement_columns: Iterable[str]
) -> pd.DataFrame:
    judgement_columns = set(judgement_columns)
    for column in out.columns:
        if column in judgement_columns or str(column).startswith("gap_"):
            out[column] = _blank(out[column], hidden)
    return out


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").astype(float).to_numpy(copy=True)


def _small_implied(
    indicator: np.ndarray,
    value: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
    scales: Mapping[str, float],
    threshold: int,
) -> np.ndarray:
    """True where a percentage or rate, with its denominator, gives back a count of 1 to
    ``threshold``: the numerator the value implies (value x denominator / 100 or 10,000,
    where no numerator is given), or, for a percentage, the complement (denominator minus
    numerator, given or implied: "95% of 60" is 57 of 60, so 3 are not).

    A count read back from a rounded figure is rounded to the nearest whole person: the
    reader does the same.

    >>> scales = {"p": 100.0, "r": 10_000.0}
    >>> _small_implied(np.array(["p", "p", "p", "r", "r"]),
    ...     np.array([95.0, 50.0, 6.7, 9_950.0, 50.0]), np.array([np.nan, 30, np.nan, np.nan, 400]),
    ...     np.array([60.0, 60, 60, 1_000, 80_000]), scales, 5).tolist()
    [True, False, True, False, False]
    """
    per = np.array([scales.get(i, np.nan) for i in indicator], dtype=float)
    usable = np.isfinite(per) & np.isfinite(denominator) & (denominator > 0)
    with np.errstate(invalid="ignore"):
        implied = np.where(np.isfinite(numerator), numerator, value * denominator / per)
        whole = np.round(implied)
        small_part = np.isnan(numerator) & (whole > 0) & (whole <= threshold)
        rest = np.round(denominator - implied)
        small_rest = (per == 100.0) & (rest > 0) & (rest <= threshold)
    return usable & np.isfinite(implied) & (small_part | small_rest)


def _count_indicators(
    indicators: pd.Series, catalogue: pd.DataFrame | None
) -> tuple[set[str], set[str], dict[str, float]]:
    """(indicators whose values are counts, indicators about people, indicator -> 100 for a
    percentage or 10,000 for a rate per 10,000)."""
    if catalogue is None:
        catalogue = load_catalogue()
    if not {"indicator", "unit"} <= set(catalogue.columns):
        raise ParameterError(
            "the catalogue needs 'indicator' and 'unit' columns",
            hint="Pass perf.catalogue.catalogue() or leave catalogue unset.",
        )
    units = dict(zip(catalogue["indicator"].astype(str), catalogue["unit"].astype(str)))
    unknown = sorted(set(indicators.astype(str)) - set(units))
    if unknown:
        raise UnknownIndicatorError(
            f"disclosure control cannot tell whether {unknown[:5]} count children: "
            "they are not in the indicator catalogue",
            column="indicator",
            hint="Add them to data/catalogue.csv with their unit.",
        )
    counts = (
        dict(zip(catalogue["indicator"].astype(str), catalogue["counts"].astype(str)))
        if "counts" in catalogue.columns
        else {}
    )
    people = {ind for ind in units if counts.get(ind, PEOPLE).strip().lower() == PEOPLE}
    scales = {
        ind: RATE_SCALES[unit.strip().lower()]
        for ind, unit in units.items()
        if unit.strip().lower() in RATE_SCALES
    }
    counted = {ind for ind, unit in units.items() if unit.strip().lower() in COUNT_UNITS}
    return counted, people, scales


def _edges(groups: Any) -> list[tuple[str, str]]:
    """Normalise ``groups`` to a sorted list of (child, parent) area codes."""
    if groups is None:
        return []
    if isinstance(groups, str):
        if groups != _DEFAULT_GROUPS:
            raise ParameterError(
                f"unknown groups {groups!r}",
                hint="Use 'areas', a mapping child -> parent, a frame or None.",
            )
        lookup = areas()
        pairs = []
        for code, level, region in zip(
            lookup["area_code"], lookup["area_level"], lookup["region_code"]
        ):
            if level == "la" and isinstance(region, str) and region:
                pairs.append((str(code), region))
            elif level == "region":
                pairs.append((str(code), ENGLAND))
        return sorted(set(pairs))
    if isinstance(groups, pd.DataFrame):
        if not {"area_code", "parent_code"} <= set(groups.columns):
            raise ParameterError("a groups frame needs 'area_code' and 'parent_code' columns")
        return sorted(
            {
                (str(c), str(p))
                for c, p in zip(groups["area_code"], groups["parent_code"])
                if pd.notna(c) and pd.notna(p)
            }
        )
    if isinstance(groups, Mapping):
        return sorted((str(c), str(p)) for c, p in groups.items() if p is not None)
    raise ParameterError(f"groups must be 'areas', a mapping, a frame or None, not {type(groups)}")


def _link_pairs(indicator, area, period, position, derived) -> list[tuple[int, int]]:
    pairs = []
    for i, (ind, code, per) in enumerate(zip(indicator, area, period)):
        partner = derived.get(ind)
        if partner is not None:
            j = position.get((partner, code, per))
            if j is not None:
                pairs.append((i, j))
    return pairs


def _area_tables(indicator, area, period, position, edges) -> list[tuple[int, list[int]]]:
    """(parent row, child rows) for each indicator x period x parent present in the frame."""
    if not edges:
        return []
    children_of: dict[str, list[str]] = {}
    for child, parent in edges:
        children_of.setdefault(parent, []).append(child)
    tables = []
    for (ind, code, per), i in sorted(position.items()):
        kids = children_of.get(code)
        if not kids:
            continue
        rows = [position[(ind, k, per)] for k in kids if (ind, k, per) in position]
        if rows:
            tables.append((i, rows))
    return tables


def _protect(
    parent: int, children: list[int], hidden: np.ndarray, cell: np.ndarray, threshold: int
) -> bool:
    """Hide more parts (or the total) until the hidden parts cannot be recovered."""
    if hidden[parent] or np.isnan(cell[parent]):
        return False  # no published total to subtract from
    hidden_kids = [c for c in children if hidden[c]]
    if not hidden_kids:
        return False
    changed = False

    def exposed() -> bool:
        # The total minus the published parts gives the hidden parts' sum. A source-
        # suppressed part of unknown size counts as 1, the smallest it could be.
        total = sum(cell[c] if not np.isnan(cell[c]) else 1.0 for c in hidden_kids)
        return len(hidden_kids) < 2 or total <= threshold

    while exposed():
        candidates = [c for c in children if not hidden[c] and cell[c] > 0]
        if not candidates:
            hidden[parent] = True
            return True
        smallest = min(candidates, key=lambda c: (cell[c], c))
        hidden[smallest] = True
        hidden_kids.append(smallest)
        changed = True
    return changed


def _blank(column: pd.Series, mask: np.ndarray) -> pd.Series:
    if not mask.any():
        return column
    if pd.api.types.is_bool_dtype(column.dtype):
        column = column.astype("boolean")
    elif pd.api.types.is_integer_dtype(column.dtype):
        column = column.astype(float)
    return column.mask(pd.Series(mask, index=column.index))


def _follows_hidden(frame: pd.DataFrame, hidden: np.ndarray) -> np.ndarray:
    """True on each row whose previous period (same indicator and area) is hidden."""
    order_key = "period_start" if "period_start" in frame.columns else None
    if order_key is None:

        def start(label: str):
            try:
                return parse_period(label).start
            except PeriodError:  # an unparsable label just sorts last
                return pd.Timestamp.max.date()

        starts = pd.to_datetime([start(str(p)) for p in frame["period"]])
    else:
        starts = pd.to_datetime(frame[order_key])
    kind = frame["period_kind"].astype(str) if "period_kind" in frame.columns else ""
    work = pd.DataFrame(
        {
            "indicator": frame["indicator"].astype(str).to_numpy(),
            "area_code": frame["area_code"].astype(str).to_numpy(),
            "kind": np.asarray(kind) if not isinstance(kind, str) else kind,
            "start": np.asarray(starts),
            "hidden": hidden,
            "row": np.arange(len(frame)),
        }
    ).sort_values(["indicator", "area_code", "kind", "start", "row"])
    previous = work.groupby(["indicator", "area_code", "kind"], sort=False)["hidden"].shift(1)
    result = np.zeros(len(frame), dtype=bool)
    result[work["row"].to_numpy()] = previous.fillna(False).astype(bool).to_numpy()
    return result


# --- free text -------------------------------------------------------------------

#: What a public render does with a count of 1 to 5 people found in free text.
TEXT_MODES = ("redact", "stop")


class DisclosureError(PerfError):
    """Free text in a public output names a count of 1 to 5 people."""


_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
#: Phrases that name an exact number ("a single child", "a couple of families"): the
#: phrase's words, and the number. Vague words ("a few", "several", "a handful") name no
#: count and are left alone.
_NUMBER_PHRASES = {("a", "single"): 1, ("one", "single"): 1, ("a", "couple"): 2}
#: Nouns for people (and for events that each name one child or family: an admission to
#: care, a referral, a placement), with the abbreviations reports use for them (YP, CYP,
#: LAC, CLA, CIN, UASC, NEET). Staff are not here: "four additional social workers"
#: discloses no child.
_PEOPLE_NOUNS = frozenset(
    """
    child children kid kids baby babies infant infants toddler toddlers teenager teenagers
    adolescent adolescents youngster youngsters youth youths boy boys girl girls son sons
    daughter daughters sibling siblings twin twins person persons people individual
    individuals pupil pupils student students learner learners leaver leavers family
    families household households parent parents mother mothers father fathers carer carers
    adopter adopters adult adults resident residents client clients user users victim
    victims offender offenders man men woman women case cases lac cla cin uasc yp cyp
    entrant entrants newborn newborns adoptee adoptees care-leaver care-leavers
    admission admissions referral referrals placement placements adoption adoptions
    discharge discharges exclusion exclusions
""".split()
)
#: Words that, straight after a number, say it counts people in a state ("2 adopted",
#: "3 NEET", "4 looked-after"); two-word states are in :data:`_PEOPLE_STATE_PHRASES`.
_PEOPLE_STATES = frozenset("adopted fostered excluded neet looked-after".split())
_PEOPLE_STATE_PHRASES = frozenset({("looked", "after"), ("in", "care"), ("of", "whom")})
#: Words that end the short run of describing words between a number and its noun.
_STOP_WORDS = frozenset(
    """
    of for to in on at by with from and or the a an per than who which that were was are is
    have has had be been into about over under since during against within between out as
    it its this these those all day days week weeks month months year years hour hours
    minute minutes time times percent per cent point points
""".split()
)
#: A number right after one of these is a label, not a count ("Key Stage 4", "Year 6").
_LABEL_WORDS = frozenset(
    """
    aged age ages stage year years quarter qtr q pi ks level grade phase objective priority
    page para paragraph section table figure chapter number no ward zone ref item step
    band tier round week month day version rank ranked position
""".split()
)
#: Words that may be (part of) a number; a text with none of them and no digit has no count.
_PHRASE_ENDS = frozenset(last for _, last in _NUMBER_PHRASES)
_NUMBER_CUES = _PHRASE_ENDS | frozenset(_NUMBER_WORDS)
_DIGIT = re.compile(r"\d")
#: What may stand between a noun for people and its count ("children: 3", "NEET - 2").
_AFTER_NOUN = frozenset({":", "=", "(", "-", "–", "—"})
#: After "people noun, N": a unit that makes N an age or a time, not a count
#: ("children 5 years and under").
_AGE_UNITS = frozenset("year years yr yrs month months week weeks day days y/o yo".split())
_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[A-Za-z][A-Za-z'’-]*|[^\sA-Za-z\d]")


def _number(token: str, text: str, start: int, end: int) -> int | None:
    """The count a token stands for, or None when it is no count (part of a date, a range,
    a fraction, a percentage, a code such as Q1 or 5A*). A decimal that is a whole number
    ("3.0 children") is that number."""
    lowered = token.lower()
    if lowered in _NUMBER_WORDS:
        return _NUMBER_WORDS[lowered]
    if not token[0].isdigit():
        return None
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    following = text[end + 1] if end + 1 < len(text) else " "
    if (
        before.isalnum()
        or before in "-/£$#€"
        or after.isalnum()
        or after in "%/-–"
        or (after in ".," and following.isdigit())
    ):
        return None
    number = float(token.replace(",", ""))
    return int(number) if number.is_integer() else None


def small_counts_in_text(
    text: str, threshold: int = config.SUPPRESSION_THRESHOLD
) -> list[tuple[int, int]]:
    """Where ``text`` writes a count of 1 to ``threshold`` people: the (start, end) of each
    number to withhold. "N of M people" withholds both when either is small (with a
    published percentage, the other would give it back).

    >>> text = "PI 1180 3 out of the 6 care leavers turning 19 in Qtr 1 2012-13 were in work"
    >>> [text[a:b] for a, b in small_counts_in_text(text)]
    ['3', '6']
    >>> small_counts_in_text("5 priorities, Q1 2012-13, 36% of 4 children's homes, Year 6 pupils")
    []
    >>> small_counts_in_text("children with at least one fixed term exclusion (%)")
    []
    >>> small_counts_in_text("Working parent: 3 and 4-year olds; care leavers: 3")
    [(49, 50)]
    """
    if not isinstance(text, str) or not text:
        return []
    return list(_small_count_spans(text, threshold))


@lru_cache(maxsize=8192)
def _small_count_spans(text: str, threshold: int) -> tuple[tuple[int, int], ...]:
    """:func:`small_counts_in_text`, remembered: every public briefing scans the same source
    notes and catalogue text (a warm kernel renders briefing after briefing)."""
    tokens = _TOKEN.findall(text)
    words = [t.lower() for t in tokens]
    if _NUMBER_CUES.isdisjoint(words) and not _DIGIT.search(text):
        return ()  # most definitions and source notes: no number to read
    spans = [m.span() for m in _TOKEN.finditer(text)]
    numbers: list[int | None] = [None] * len(tokens)
    for k, (t, w) in enumerate(zip(tokens, words)):
        if t[0].isdigit() or w in _NUMBER_WORDS:
            numbers[k] = _number(t, text, *spans[k])
    at = [k for k, n in enumerate(numbers) if n is not None]
    n_words = len(words)
    ends = () if _PHRASE_ENDS.isdisjoint(words) else range(1, n_words)
    for i in (k - 1 for k in ends if words[k] in _PHRASE_ENDS):  # "a single", "a couple of"
        phrase = _NUMBER_PHRASES.get((words[i], words[i + 1]))
        if phrase is not None and numbers[i + 1] is None:
            numbers[i + 1], spans[i + 1] = phrase, (spans[i][0], spans[i + 1][1])
            if numbers[i] is not None:  # "one single child": one number, not two
                numbers[i] = None
            at = [k for k, n in enumerate(numbers) if n is not None]

    def word(k: int) -> str:
        return words[k] if 0 <= k < n_words else ""

    def small(n: int | None) -> bool:
        return n is not None and 0 < n <= threshold

    def noun_at(k: int) -> bool:
        """A noun for people at token k ("children", "YP", "care-leavers")."""
        w = word(k)
        return w in _PEOPLE_NOUNS or w.rsplit("-", 1)[-1] in _PEOPLE_NOUNS

    def state_at(k: int) -> bool:
        """A state only people are in, right after a number ("2 adopted", "3 NEET",
        "4 looked after", "3 in care", "three of whom")."""
        return word(k) in _PEOPLE_STATES or (word(k), word(k + 1)) in _PEOPLE_STATE_PHRASES

    found: set[int] = set()
    for i in at:
        previous = word(i - 1)
        if previous in _LABEL_WORDS:
            continue
        if previous == "in" and i >= 2 and numbers[i - 2] is not None:
            continue  # "1 in 5 children": a proportion, not a count
        if previous in ("to", "and", "-", "–") and i >= 2 and numbers[i - 2] is not None:
            continue  # "1 to 5 children", "between 1 and 5": a range, not a count
        if previous in ("least", "most") and word(i - 2) == "at":
            continue  # "at least one exclusion": a definition's threshold, not a count
        if word(i - 1) == "(" and word(i + 1) == ")" and numbers[i - 2] is not None:
            continue  # the "(five)" of "5 (five) children": read with the 5
        pair = [i]
        j = i + 1
        if word(j) == "(" and word(j + 2) == ")" and numbers[j + 1] is not None:
            pair.append(j + 1)  # "5 (five) children", "three (3) young people"
            j += 3
        if state_at(j):
            if any(small(numbers[k]) for k in pair):
                found.update(pair)
            continue
        second = None
        start = j
        if word(j) == "out" and word(j + 1) == "of":
            j += 2
        elif word(j) == "of":
            j += 1
        if j > start:
            if word(j) in ("the", "these", "those", "all"):
                j += 1
            if j < n_words and numbers[j] is not None:
                second, j = j, j + 1
        for _ in range(4):  # a few describing words ("care", "new", "young")
            if j >= n_words or noun_at(j) or numbers[j] is not None:
                break
            if words[j] in _STOP_WORDS or not words[j][0].isalpha():
                j = n_words
                break
            j += 1
        if j < n_words and noun_at(j):
            pair += [second] if second is not None else []
            if any(small(numbers[k]) for k in pair):
                found.update(pair)
    # "care leavers: 3", "children (4)", "children = 2", "children - 3"
    for k in at:
        if k < 2 or word(k - 1) not in _AFTER_NOUN:
            continue
        if not (noun_at(k - 2) or words[k - 2] in _PEOPLE_STATES):
            continue
        if not small(numbers[k]) or word(k + 1) in _AGE_UNITS:
            continue  # "children - 5 years and under": an age
        if word(k + 1) in ("and", "to", "-", "–") and word(k + 2)[:1].isdigit():
            continue  # "parent: 3 and 4-year olds": an age range, not a count
        found.add(k)
    return tuple(sorted(spans[k] for k in found))


def redact_text(text: str, threshold: int = config.SUPPRESSION_THRESHOLD) -> str:
    """``text`` with every count of 1 to ``threshold`` people replaced by a visible ``[c]``.

    >>> redact_text("3 out of the 6 care leavers were in work; five children; 2 young people")
    '[c] out of the [c] care leavers were in work; [c] children; [c] young people'
    """
    out = text
    for start, end in reversed(small_counts_in_text(text, threshold)):
        out = out[:start] + f"[{SUPPRESSED}]" + out[end:]
    return out


def protect_text(
    frame: pd.DataFrame | None,
    columns: Iterable[str],
    *,
    field: str,
    mode: str = "redact",
    key: Iterable[str] = (),
    threshold: int = config.SUPPRESSION_THRESHOLD,
) -> pd.DataFrame | None:
    """A copy of ``frame`` whose free-text ``columns`` name no count of 1 to ``threshold``
    people: ``mode="redact"`` writes ``[c]`` in their place; ``mode="stop"`` raises
    :class:`DisclosureError` naming ``field``, the column and the row (its ``key`` columns).

    >>> notes = pd.DataFrame({"indicator": ["x"], "text": ["2 young people moved"]})
    >>> protect_text(notes, ["text"], field="commentary")["text"].tolist()
    ['[c] young people moved']
    >>> protect_text(notes, ["text"], field="commentary", mode="stop", key=["indicator"])
    Traceback (most recent call last):
    ...
    perf.disclosure.DisclosureError: column 'text': commentary (indicator x) names a count of 1 to 5 people (the text is not repeated here). ...
    """
    if mode not in TEXT_MODES:
        raise ParameterError(
            f"unknown mode for counts in free text {mode!r}",
            hint=f"Use one of {', '.join(TEXT_MODES)}.",
        )
    if frame is None:
        return None
    # Copy-on-write (pandas 3): a shallow copy is a copy; the data are copied only where a
    # column is replaced (a public briefing passes the whole observations frame, 55 MB).
    out = frame.copy(deep=False)
    for column in columns:
        if column not in out.columns:
            continue
        texts = out[column]
        fixed: dict[str, str] = {}
        for value in pd.unique(texts.dropna()):
            if isinstance(value, str) and small_counts_in_text(value, threshold):
                fixed[value] = redact_text(value, threshold)
        if not fixed:
            continue
        if mode == "stop":
            first = texts[texts.isin(list(fixed))].index[0]
            where = ", ".join(f"{k} {out.at[first, k]}" for k in key if k in out.columns)
            # The row and column, never the text: the message is kept beside a public
            # render (its log, status record and failed notebook), which the index links.
            raise DisclosureError(
                f"{field}{f' ({where})' if where else ''} names a count of 1 to {threshold} "
                "people (the text is not repeated here)",
                column=column,
                hint="Reword it, or render with small_counts_in_text='redact' to show [c].",
            )
        out[column] = texts.map(lambda v: fixed.get(v, v) if isinstance(v, str) else v)
    return out
