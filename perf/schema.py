"""The tidy data model, as pandera DataFrameModels validated at the loading boundary.

The models (:data:`MODELS`) are built the first time one is used: pandera takes about a
third of a second and 13 MB to import, and a render that reads the disk cache validates
nothing. The vocabularies and column lists are plain lists, importable without it.

Every loader ends in :class:`Observations`: one row per indicator, area and period.
The other models describe the council-local tables (targets, key activities,
commentary), the indicator catalogue, the area lookup and Ofsted's inspection judgements
(:class:`Inspections`: not observations, one council's inspection a row).

Examples:
    >>> import pandas as pd
    >>> from perf.schema import Observations, OBSERVATION_COLUMNS, empty_observations
    >>> list(empty_observations().columns) == OBSERVATION_COLUMNS
    True
    >>> len(Observations.validate(empty_observations()))
    0
"""

import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Optional

import pandas as pd

from perf.periods import KINDS

if TYPE_CHECKING:  # pandera is imported on first use (see _models), never at import
    from pandera.pandas import DataFrameModel

AREA_LEVELS = ["england", "region", "la"]
#: One list of period kinds, owned by perf.periods (the parser) and checked here.
PERIOD_KINDS = list(KINDS)
POLARITIES = ["high", "low", "neither"]
#: A national measure comes from a statutory return every council makes; a local one is the
#: council's own.
MEASURES = ["national", "local"]
#: What an indicator's figures count (its value, or a rate's or percentage's numerator):
#: ``people`` children, young people, families and other people the service works with
#: (disclosive when small: suppressed in public output); ``staff`` the council's workforce;
#: ``settings`` homes, schools and other providers; ``events`` complaints, inspections and
#: other occurrences. Only ``people`` is suppressed (perf.disclosure).
COUNTS = ["people", "staff", "settings", "events"]
#: Units a catalogue row may declare; "percentage points" is a difference of percentages.
UNITS = ["rate per 10,000", "%", "percentage points", "days", "count", "number", "score"]
#: Flags in the GSS style. c: confidential/suppressed, x: not available, z: not applicable,
#: k: rounds to zero, u: low reliability, low: fewer than 0.5, p: provisional, r: revised,
#: e: estimate, ot: outturn, ex: an illustrative example figure (not published).
FLAGS = ["c", "x", "z", "k", "u", "low", "p", "r", "e", "ot", "ex", ":", ".."]

KEY = ["indicator", "area_code", "period"]


#: The observation columns, in order (the model's; tests/test_schema.py checks they agree).
OBSERVATION_COLUMNS: list[str] = [
    "indicator",
    "area_code",
    "area_name",
    "area_level",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "value",
    "numerator",
    "denominator",
    "flag",
    "source",
]
#: The observation columns held as categoricals of str, and those held as str.
CATEGORY_COLUMNS: list[str] = [
    "indicator",
    "area_code",
    "area_name",
    "area_level",
    "period_kind",
    "source",
]
STR_COLUMNS: list[str] = ["period", "flag"]


#: The catalogue's indicator-card columns (the last ones, after ``break_note``), in order.
CARD_COLUMNS: list[str] = [
    "summary",
    "release",
    "measure",
    "collection",
    "target_set_by",
    "comparator",
]


#: Ofsted's judgements, best first (its words: what a briefing prints).
JUDGEMENTS: list[str] = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]
#: The judgement columns of :class:`Inspections` -> Ofsted's full name for each.
JUDGEMENT_NAMES: dict[str, str] = {
    "overall_effectiveness": "Overall effectiveness",
    "impact_of_leaders": "The impact of leaders on social work practice with children and families",
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "children_in_care": "The experiences and progress of children in care",
    "care_leavers": "The experiences and progress of care leavers",
}
JUDGEMENT_COLUMNS: list[str] = list(JUDGEMENT_NAMES)
#: The inspections frame's columns, in order (the model's).
INSPECTION_COLUMNS: list[str] = [
    "area_code",
    "area_name",
    "ofsted_region",
    "inspection_type",
    "inspection_date",
    "publication_date",
    *JUDGEMENT_COLUMNS,
    "source",
]


def rows_of(frame: pd.DataFrame, indicator: str, period: str | None = None) -> pd.DataFrame:
    """The rows of ``frame`` for one indicator (and, given, one period), in frame order:
    what ``frame[(frame["indicator"] == indicator) & (frame["period"] == period)]`` gives.

    The indicator is matched first, then the period among its rows only: ``indicator`` is a
    categorical, compared through its few hundred categories, while ``period`` is text,
    compared row by row. On a render's observations (709,000 rows) the combined mask takes
    about 13 ms, and it is built about a hundred times a briefing.

    >>> frame = pd.DataFrame({"indicator": pd.Categorical(["a", "b", "a"]),
    ...                       "period": ["2024", "2024", "2025"], "value": [1.0, 2.0, 3.0]})
    >>> rows_of(frame, "a")["value"].tolist(), rows_of(frame, "a", "2025").index.tolist()
    ([1.0, 3.0], [2])
    """
    rows = frame[frame["indicator"] == indicator]
    return rows if period is None else rows[rows["period"] == period]


#: The pandera models, built on first use (``perf.schema.Observations`` and so on).
MODELS = (
    "Observations",
    "Indicators",
    "Targets",
    "KeyActivities",
    "Commentary",
    "Areas",
    "Inspections",
)


def __getattr__(name: str) -> "type[DataFrameModel]":
    if name in MODELS:
        return _models()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *MODELS])


def empty_observations() -> pd.DataFrame:
    """An empty frame with the observation columns and dtypes."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in OBSERVATION_COLUMNS})
    return _models()["Observations"].validate(frame)


@lru_cache(maxsize=1)
def _models() -> "dict[str, type[DataFrameModel]]":
    """The models, defined once (the class bodies' annotations are evaluated here, where
    ``pa`` and ``Series`` are: this module has no ``from __future__ import annotations``)."""
    # A DataFrameModel's annotations make pandera import pandera.typing.dask, which imports
    # dask.dataframe (0.4-1.3 s, more than the rest of pandera) whenever dask is installed
    # (it is: distributed runs `perf batch --cluster`), only to offer Dask annotations perf
    # never uses. dask.dataframe is hidden while pandera.typing.dask is first imported, so
    # pandera records Dask as absent; the entry is removed straight after, so a later
    # `import dask.dataframe` (a user's, in the same session) still works.
    hide_dask = "dask.dataframe" not in sys.modules and "pandera.typing.dask" not in sys.modules
    if hide_dask:
        sys.modules["dask.dataframe"] = None  # type: ignore[assignment]
    try:
        # lazy: pandera loads only when a frame is validated (a loader building the cache)
        import pandera.pandas as pa
        import pandera.typing.dask  # noqa: F401 - imported here, with dask.dataframe hidden
        from pandera.typing import Series
    finally:
        if hide_dask and sys.modules.get("dask.dataframe", ...) is None:
            del sys.modules["dask.dataframe"]

    class _Table(pa.DataFrameModel):
        """What every table perf reads shares: no column beyond those declared, and values
        coerced to the declared types (sources are text)."""

        class Config:
            strict = True
            coerce = True

    class Observations(_Table):
        """One published (or locally recorded) figure: indicator x area x period.

        The identifying text columns (indicator, area_code, area_name, area_level,
        period_kind, source) are categoricals of ``str`` with sorted categories: the whole
        LAIT data set repeats a few hundred ids and areas over 640,000 rows, and as
        categoricals the frame is a third of the memory and unpickles (the on-disk cache every
        render reads) several times faster. ``period`` and ``flag`` stay ``str``: they are the
        columns callers build text from ("2014-15 to 2015-16") and write to (disclosure sets
        flags), which a categorical refuses for a value not among its categories. Compare any
        of them with ``==``/``isin`` as text; to build text from a categorical column, or set
        a new value in it, use ``.astype(str)`` first.
        """

        indicator: Series[pd.CategoricalDtype] = pa.Field(str_length={"min_value": 1})
        area_code: Series[pd.CategoricalDtype] = pa.Field(str_length={"min_value": 1})
        area_name: Series[pd.CategoricalDtype]
        area_level: Series[pd.CategoricalDtype] = pa.Field(isin=AREA_LEVELS)
        period: Series[str] = pa.Field(str_length={"min_value": 1})
        period_kind: Series[pd.CategoricalDtype] = pa.Field(isin=PERIOD_KINDS)
        period_start: Series[pd.Timestamp]
        period_end: Series[pd.Timestamp]
        value: Series[float] = pa.Field(nullable=True)
        numerator: Series[float] = pa.Field(nullable=True)
        denominator: Series[float] = pa.Field(nullable=True)
        flag: Series[str] = pa.Field(nullable=True)
        source: Series[pd.CategoricalDtype]

        class Config:
            ordered = True
            unique = KEY

        @pa.dataframe_check(error="period_end is before period_start")
        def _period_in_order(cls, df: pd.DataFrame) -> Series[bool]:
            return df["period_end"] >= df["period_start"]

    class Indicators(_Table):
        """The indicator catalogue: what each indicator id means and how to judge it."""

        indicator: Series[str] = pa.Field(unique=True)
        title: Series[str]
        unit: Series[str] = pa.Field(isin=UNITS)
        polarity: Series[str] = pa.Field(isin=POLARITIES)
        decimals: Series[int] = pa.Field(ge=0, le=4)
        tolerance: Series[float] = pa.Field(nullable=True, ge=0)
        tolerance_type: Series[str] = pa.Field(isin=["absolute", "relative"])
        #: fortnightly/weekly: DfE's in-year pupil attendance (year-to-date and weekly files).
        frequency: Series[str] = pa.Field(
            isin=["quarterly", "monthly", "annual", "fortnightly", "weekly"]
        )
        cumulative: Series[bool]
        quartiles: Series[bool]
        definition: Series[str] = pa.Field(nullable=True)
        source: Series[str]
        #: what the figures count (one of :data:`COUNTS`): decides disclosure control
        counts: Series[str] = pa.Field(isin=COUNTS)
        #: one plain sentence for a committee (the definitions a briefing prints)
        definition_plain: Series[str] = pa.Field(nullable=True)
        #: the indicator this one publishes again under another id (LAIT ``LAC`` is ``cla_rate``):
        #: a comparison lists each measure once, under the id named here
        same_as: Series[str] = pa.Field(nullable=True)
        #: period labels (';'-separated) where a declared structural break starts a new phase
        #: of a control chart, and why
        break_at: Series[str] = pa.Field(nullable=True)
        break_note: Series[str] = pa.Field(nullable=True)
        #: the period a figure covers, in words, where the measure fixes it ("at 31 March",
        #: "year to 31 March", "at 30 September", "academic year", "calendar year")
        period_type: Series[str] = pa.Field(nullable=True)
        #: the month the next release is due ("November": DfE's release calendar each year;
        #: "May 2026": LAIT's dictionary's next update); a quarterly briefing says it beside
        #: an annual figure
        next_release: Series[str] = pa.Field(nullable=True)
        # The indicator card (the briefing's appendix); None where nobody has said.
        #: one plain sentence saying what is counted
        summary: Series[str] = pa.Field(nullable=True)
        #: the statistical release (or council report) the figures come from, with its date
        release: Series[str] = pa.Field(nullable=True)
        #: "national" (a statutory return every council makes) or "local" (the council's own)
        measure: Series[str] = pa.Field(nullable=True, isin=MEASURES)
        #: the collection behind it: the statutory return, or the council's own records
        collection: Series[str] = pa.Field(nullable=True)
        #: who set the target and when (or why there is none)
        target_set_by: Series[str] = pa.Field(nullable=True)
        #: the national comparator, or why there is none
        comparator: Series[str] = pa.Field(nullable=True)
        #: a one-line name for a chart that lists indicators row by row (the spine chart:
        #: data/short_titles.csv; optional: a council's own catalogue has none); None: the title
        short_title: Optional[Series[str]] = pa.Field(nullable=True)

    class Targets(_Table):
        indicator: Series[str]
        area_code: Series[str]
        period: Series[str]
        target: Series[float]
        #: ``ex`` for an illustrative example target (optional column)
        flag: Optional[Series[str]] = pa.Field(nullable=True)  # Optional: pandera may omit it
        #: who set the target (a committee, the cabinet, the service) and when (optional)
        set_by: Optional[Series[str]] = pa.Field(nullable=True)
        set_on: Optional[Series[str]] = pa.Field(nullable=True)

        class Config:
            unique = KEY

    class KeyActivities(_Table):
        ref: Series[str]
        area_code: Series[str]
        period: Series[str]
        priority: Series[str]
        objective: Series[str] = pa.Field(nullable=True)
        activity: Series[str]
        status: Series[str] = pa.Field(isin=["excellent", "good", "fair"])
        progress: Series[str] = pa.Field(nullable=True)
        lead_officer: Series[str] = pa.Field(nullable=True)

        class Config:
            unique = ["ref", "area_code", "period"]

    class Commentary(_Table):
        indicator: Series[str]
        area_code: Series[str]
        period: Series[str]
        text: Series[str]

    class Areas(_Table):
        """Area lookup: ONS code, DfE 3-digit number, name, level, region, neighbours in order."""

        area_code: Series[str] = pa.Field(unique=True)
        la_number: Series[pd.Int64Dtype] = pa.Field(nullable=True)
        area_name: Series[str]
        area_level: Series[str] = pa.Field(isin=AREA_LEVELS)
        region_code: Series[str] = pa.Field(nullable=True)
        region_name: Series[str] = pa.Field(nullable=True)
        #: ONS codes of the 10 statistical neighbours, closest first, joined by ';'.
        neighbours: Series[str] = pa.Field(nullable=True)

    class Inspections(_Table):
        """Ofsted's children's services (ILACS) judgements: one council's inspection a row
        (:mod:`perf.loaders.inspections`). Not observations: no value, no period. The
        judgements are Ofsted's words (:data:`JUDGEMENTS`); Ofsted gives no overall
        effectiveness for inspections from April 2026 (sub-judgements only), and judged
        care leavers apart only from 2023, so both may be missing."""

        area_code: Series[str] = pa.Field(str_length={"min_value": 1})
        area_name: Series[str]
        ofsted_region: Series[str] = pa.Field(nullable=True)
        #: "ILACS Standard Inspection" or "ILACS Short Inspection" where Ofsted's file says
        inspection_type: Series[str] = pa.Field(nullable=True)
        inspection_date: Series[pd.Timestamp]
        publication_date: Series[pd.Timestamp]
        overall_effectiveness: Series[str] = pa.Field(nullable=True, isin=JUDGEMENTS)
        impact_of_leaders: Series[str] = pa.Field(isin=JUDGEMENTS)
        help_and_protection: Series[str] = pa.Field(isin=JUDGEMENTS)
        children_in_care: Series[str] = pa.Field(isin=JUDGEMENTS)
        care_leavers: Series[str] = pa.Field(nullable=True, isin=JUDGEMENTS)
        source: Series[str]

        class Config:
            ordered = True
            unique = ["area_code", "inspection_date"]

    return {
        "Observations": Observations,
        "Indicators": Indicators,
        "Targets": Targets,
        "KeyActivities": KeyActivities,
        "Commentary": Commentary,
        "Areas": Areas,
        "Inspections": Inspections,
    }
