"""The indicator catalogue: what each indicator id means and how to judge it.

Two sources, one frame (:class:`perf.schema.Indicators`):

* every LAIT measure in data/raw/lait (the whole parquet data set), described by
  ``lait_data_dictionary.csv``
  (latin-1): title = ``Chart_title``, polarity ``High``/``Low``/``-`` -> high/low/neither,
  decimals = ``dps`` (1 when not given), quartiles unless ``No_Quartile`` is ``N``;
* ``data/catalogue.csv`` for the EES, NCCIS and council-local indicators;
* ``data/catalogue_lait.csv`` for what perf declares about LAIT measures beyond the
  dictionary: ``counts`` (what the figures count, default :data:`LAIT_DEFAULT_COUNTS`),
  ``definition_plain`` (one sentence for a committee), ``same_as`` (the id of the same
  measure from its primary source), ``break_at``/``break_note`` (declared breaks) and
  ``period_type`` (the period a figure covers, in words; by default from the dictionary's
  ``Year_Type``: :data:`PERIOD_TYPES`); and, where the dictionary is wrong or silent, the
  measure's ``unit``, ``polarity``, ``decimals``, ``collection`` or ``comparator``
  (:data:`OVERRIDE_COLUMNS`: a blank cell keeps the dictionary's).

Examples:
    >>> cat = catalogue()
    >>> indicator("PriTotAbs")["polarity"], indicator("LAC")["polarity"]
    ('low', 'neither')
    >>> indicator("cla_rate")["unit"]
    'rate per 10,000'
    >>> indicator("nonsense")
    Traceback (most recent call last):
    ...
    perf.errors.UnknownIndicatorError: catalogue.csv: indicator 'nonsense' is not in the catalogue. ...
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from perf import config, schema
from perf._numbers import is_missing
from perf.config import get_logger
from perf.errors import BadValueError, UnknownIndicatorError
from perf.loaders.common import LAIT_HEADER, file_header, read_csv_strings, require_columns
from perf.loaders.lait import measures, read_dictionary
from perf.schema import CARD_COLUMNS

__all__ = [
    "DEFAULT_DECIMALS",
    "LAIT_DEFAULT_COUNTS",
    "IndicatorInfo",
    "catalogue",
    "catalogue_cell",
    "catalogue_position",
    "cell_at",
    "first_rows",
    "indicator",
    "indicator_info",
    "indicator_info_at",
    "lait_catalogue",
    "lait_measures",
    "lait_notes",
    "local_catalogue",
]

log = get_logger()

#: Where the LAIT files are: every LAIT measure in them is in the catalogue.
LAIT_DIR = config.RAW_DIR / "lait"
_POLARITY = {"high": "high", "low": "low", "-": "neither"}
#: The statutory collection behind each LAIT topic (the dictionary names only the table).
_LAIT_COLLECTIONS = {
    "Children Looked After": "SSDA903, the children looked after return every council makes to DfE",
    "Adoption": "SSDA903, the children looked after return every council makes to DfE",
    "Children in Need": "the children in need census every council makes to DfE",
    "Child Protection": "the children in need census every council makes to DfE",
    "All Pupil Absence & Exclusions": "the school census (pupil absence), which schools make "
    "to DfE",
    "Economic Factors": "NCCIS, the National Client Caseload Information System: councils' "
    "statutory tracking of 16 and 17 year olds",
    "Further & Higher Education": "NCCIS, the National Client Caseload Information System: "
    "councils' statutory tracking of 16 and 17 year olds",
}

#: Plain sentences for the LAIT measures whose dictionary description is the statistical
#: release's boilerplate ("This Statistical First Release (SFR) reports on ..."), not a
#: definition. Every other LAIT measure's card uses the description's first sentence.
_LAIT_SUMMARIES = {
    "PriTotAbs": "The percentage of possible half-day sessions that pupils of compulsory school "
    "age in state-funded primary schools missed through absence of any kind, over "
    "the school year.",
    "SecTotAbs": "The percentage of possible half-day sessions that pupils of compulsory school "
    "age in state-funded secondary schools missed through absence of any kind, "
    "over the school year.",
    "TotAbs": "The percentage of possible half-day sessions that pupils of compulsory school age "
    "in state-funded schools missed through absence of any kind, over the school year.",
    "PriAuth": "The percentage of possible half-day sessions missed through authorised absence "
    "in state-funded primary schools, over the school year.",
    "PriUnauth": "The percentage of possible half-day sessions missed through unauthorised "
    "absence in state-funded primary schools, over the school year.",
    "SecAuth": "The percentage of possible half-day sessions missed through authorised absence "
    "in state-funded secondary schools, over the school year.",
    "SecUnauth": "The percentage of possible half-day sessions missed through unauthorised "
    "absence in state-funded secondary schools, over the school year.",
}
_BOILERPLATE = ("this statistical first release", "this release", "this statistical release")


def _first_sentence(text: object) -> str | None:
    """The first sentence of a dictionary description (None for a blank or "-", or for a
    release's boilerplate, which defines nothing).

    >>> _first_sentence("Rate of section 47 enquiries per 10,000 of population\\n\\nIf a ...")
    'Rate of section 47 enquiries per 10,000 of population.'
    >>> _first_sentence("Percentage of referrals. Within 12 months."), _first_sentence("-")
    ('Percentage of referrals.', None)
    """
    if (
        not isinstance(text, str)
        or text.strip() in ("", "-")
        or text.strip().lower().startswith(_BOILERPLATE)
    ):
        return None
    first = text.strip().split("\n")[0].strip()
    head, dot, _ = first.partition(". ")
    sentence = head if dot else first
    return sentence.rstrip(".") + "."


def _excel_month(serial: object) -> str | None:
    """LAIT's ``Next Update`` (an Excel day number) as "May 2026"; None for its words ("TBC",
    "No longer published ...").

    >>> _excel_month(46143), _excel_month("TBC")
    ('May 2026', None)
    """
    number = pd.to_numeric(pd.Series([serial]), errors="coerce").iloc[0]
    if pd.isna(number):
        return None
    day = pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(number))
    return f"{day:%B %Y}"


def _excel_date(serial: object) -> str | None:
    """LAIT's ``Last Update`` (an Excel day number) as "1 November 2025"."""
    number = pd.to_numeric(pd.Series([serial]), errors="coerce").iloc[0]
    if pd.isna(number):
        return None
    day = pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(number))
    return f"{day.day} {day:%B %Y}"


#: The columns perf declares beyond LAIT's dictionary (data/catalogue_lait.csv).
NOTE_COLUMNS = ["counts", "definition_plain", "same_as", "break_at", "break_note", "period_type"]
#: Columns of data/catalogue_lait.csv that replace the dictionary's value where given.
OVERRIDE_COLUMNS = ["unit", "polarity", "decimals", "collection", "comparator"]
_OPTIONAL_TEXT = [
    "definition",
    "definition_plain",
    "same_as",
    "break_at",
    "break_note",
    "period_type",
    "next_release",
]
#: LAIT's ``Year_Type`` -> the period its figures cover, in words (``period_type``), unless
#: data/catalogue_lait.csv declares it (a "Financial Year" measure counted on 31 March, such
#: as the children on a plan, is "at 31 March" there).
PERIOD_TYPES = {
    "academic year": "academic year",
    "financial year": "year to 31 March",
    "annual": "at 31 March",
    "calendar year": "calendar year",
    "annual (end of sept)": "at 30 September",
    "annual - january": "in January (the school census)",
}

#: What a LAIT measure counts when data/catalogue_lait.csv does not say. ``people``: LAIT's
#: measures are about children and young people (rates per 10,000 children, shares of pupils
#: and of 16-17 year olds, numbers of children), so the default is the one that protects.
#: It costs nothing: LAIT figures are DfE's own releases, already through DfE's disclosure
#: control, and perf never suppresses them again (perf.disclosure.for_publication).
LAIT_DEFAULT_COUNTS = "people"


def _unit(axis: str, title: str) -> str:
    text = f"{axis} {title}".lower()
    if "10,000" in text or "10000" in text:
        return "rate per 10,000"
    if "%" in text or "percent" in text:
        return "%"
    if "day" in text:
        return "days"
    if "number" in text or "(num" in text:
        return "count"
    return "number"


def _table_name(table: str) -> str:
    """``"1_absence_3term_nat_reg_la.csv"`` -> ``"table 1_absence_3term_nat_reg_la"``.

    >>> _table_name(" 1_absence_3term_nat_reg_la.csv "), _table_name("table not named")
    ('table 1_absence_3term_nat_reg_la', 'table not named')
    """
    name = re.sub(r"\.(?:csv|xlsx?|ods|txt)\b", "", str(table).strip(), flags=re.I)
    return name if name.lower().startswith("table") else f"table {name}"


def lait_measures(directory=None) -> list[str]:
    """Every measure id in the LAIT files (the parquet data set, CSV extracts) of
    ``directory`` (default ``data/raw/lait``), sorted."""
    directory = LAIT_DIR if directory is None else directory
    found: set[str] = set()
    for path in sorted(directory.glob("*")):
        if path.suffix.lower() in (".csv", ".parquet") and LAIT_HEADER <= {
            c.lower() for c in file_header(path)
        }:
            found.update(measures(path))
    return sorted(found)


def lait_catalogue(directory=None) -> pd.DataFrame:
    """Catalogue rows for every LAIT measure in ``directory``'s LAIT files, from the data
    dictionary. A measure the dictionary does not list is kept: its id as title, unit
    ``number``, unknown polarity (``neither``), and a source saying so (logged once).

    >>> cat = lait_catalogue()
    >>> len(cat), cat.set_index("indicator").loc["PriTotAbs", "polarity"]
    (434, 'low')
    """

    present = lait_measures(directory)
    d = read_dictionary().assign(Measure_short=lambda f: f["Measure_short"].str.strip())
    d = d[d["Measure_short"].isin(present)]
    frame = pd.DataFrame(
        {
            "indicator": d["Measure_short"],
            "title": d["Chart_title"].str.strip(),
            "unit": [_unit(a, t) for a, t in zip(d["y_axis_name"], d["Chart_title"])],
            "polarity": d["Polarity"].str.strip().str.lower().map(_POLARITY).fillna("neither"),
            "decimals": pd.to_numeric(d["dps"], errors="coerce").fillna(1).astype(int),
            "tolerance": np.nan,
            "tolerance_type": "absolute",
            "frequency": "annual",
            "cumulative": False,
            "quartiles": d["No_Quartile"].str.strip().str.upper() != "N",
            "definition": d["Description"].str.strip().replace("", None),
            "source": "lait_data_dictionary.csv (DfE Local Authority Interactive Tool); year type: "
            + d["Year_Type"],
            # The indicator card: what LAIT's dictionary says, and no more.
            "summary": d["Measure_short"]
            .map(_LAIT_SUMMARIES)
            .fillna(d["Description"].map(_first_sentence))
            .fillna(d["Chart_title"].str.strip() + "."),
            # DfE's table name without its file extension: committee text names no files.
            "release": [
                f"DfE, {_table_name(table)}, as the Local Authority Interactive Tool "
                "publishes it" + (f" (updated {when})" if when else "")
                for table, when in zip(
                    d["Table_status"].fillna("table not named"), d["Last Update"].map(_excel_date)
                )
            ],
            "measure": "national",
            "collection": d["Topic"]
            .str.strip()
            .map(_LAIT_COLLECTIONS)
            .fillna("a DfE collection (LAIT's data dictionary does not name the return)"),
            "target_set_by": "No target: a published national measure.",
            "comparator": "Yes: England, the regions and every local authority, as LAIT publishes "
            "them.",
        }
    )
    missing = sorted(set(present) - set(d["Measure_short"]))
    if missing:
        _log_undescribed(tuple(missing))
        undescribed = pd.DataFrame(
            {
                "indicator": missing,
                "title": missing,
                "unit": "number",
                "polarity": "neither",
                "decimals": DEFAULT_DECIMALS,
                "tolerance": np.nan,
                "tolerance_type": "absolute",
                "frequency": "annual",
                "cumulative": False,
                "quartiles": True,
                "definition": None,
                "source": "DfE Local Authority Interactive Tool; not in lait_data_dictionary.csv "
                "(polarity unknown)",
            }
        )
        frame = pd.concat([frame.reset_index(drop=True), undescribed], ignore_index=True)
    frame = frame.reset_index(drop=True)
    years = read_dictionary().assign(Measure_short=lambda f: f["Measure_short"].str.strip())
    years = years.set_index("Measure_short")["Year_Type"].str.strip().str.lower()
    notes = lait_notes().set_index("indicator")
    for column in NOTE_COLUMNS:
        declared = frame["indicator"].map(notes[column]) if len(notes) else None
        frame[column] = declared if declared is not None else None
    frame["counts"] = frame["counts"].fillna(LAIT_DEFAULT_COUNTS)
    frame["period_type"] = frame["period_type"].fillna(
        frame["indicator"].map(years).map(PERIOD_TYPES)
    )
    due = read_dictionary().assign(Measure_short=lambda f: f["Measure_short"].str.strip())
    due = due.drop_duplicates("Measure_short").set_index("Measure_short")["Next Update"]
    frame["next_release"] = frame["indicator"].map(due).map(_excel_month)
    for column in OVERRIDE_COLUMNS:
        if not len(notes) or column not in notes:
            continue
        declared = frame["indicator"].map(notes[column])
        if column == "decimals":
            declared = pd.to_numeric(declared)
        kept = frame[column].astype(object).where(declared.isna(), declared)
        frame[column] = kept.astype(frame[column].dtype)
    return frame


@lru_cache(maxsize=8)
def _log_undescribed(names: tuple[str, ...]) -> None:
    # Info, not a warning: the LAIT loader has warned about them once already.
    log.info(
        "catalogue: %d LAIT measure(s) not in lait_data_dictionary.csv, kept with unknown "
        "polarity: %s",
        len(names),
        ", ".join(names[:20]) + (" ..." if len(names) > 20 else ""),
    )


def lait_notes(path=None) -> pd.DataFrame:
    """Rows of ``data/catalogue_lait.csv`` (what perf declares about LAIT measures), blank
    cells as None; an empty frame when the file is absent."""
    path = path or config.CATALOGUE_LAIT_FILE
    if not path.is_file():
        return pd.DataFrame(columns=["indicator", *NOTE_COLUMNS])
    frame = read_csv_strings(path)
    for column in NOTE_COLUMNS[1:] + OVERRIDE_COLUMNS:
        # optional columns: an older file without them declares nothing there
        frame[column] = frame[column].replace("", None) if column in frame else None
    return frame


def local_catalogue(path=None) -> pd.DataFrame:
    """Rows of ``data/catalogue.csv`` (EES, NCCIS and council-local indicators)."""
    frame = read_csv_strings(path or config.CATALOGUE_FILE)
    for column in ("cumulative", "quartiles"):
        frame[column] = frame[column].str.strip().str.lower().isin(["true", "yes", "1"])
    frame["tolerance"] = pd.to_numeric(frame["tolerance"].replace("", None))
    for column in _OPTIONAL_TEXT:
        # period_type is newer than the others: a council's older catalogue.csv has none
        frame[column] = frame[column].replace("", None) if column in frame else None
    for column in CARD_COLUMNS:  # a council's older catalogue.csv: the card says "not recorded"
        frame[column] = frame[column].replace("", None) if column in frame else None
    return frame


def short_titles(path=None) -> pd.DataFrame:
    """``data/short_titles.csv`` (indicator, short_title): one-line names for a chart that
    lists indicators row by row; an empty frame when the file is absent.

    Raises:
        MissingColumnError: a column is missing.
        BadValueError: a blank name, or one over :data:`SHORT_TITLE_LENGTH` characters
            (file, row and column).
    """
    path = path or config.SHORT_TITLES_FILE
    if not path.is_file():
        return pd.DataFrame(columns=["indicator", "short_title"])
    frame = read_csv_strings(path)
    require_columns(frame, ["indicator", "short_title"], path.name)
    frame = frame[["indicator", "short_title"]].apply(lambda c: c.str.strip())
    bad = frame["short_title"].eq("") | frame["short_title"].str.len().gt(SHORT_TITLE_LENGTH)
    if bad.any():
        at = int(bad.to_numpy().nonzero()[0][0])
        raise BadValueError(
            f"short_title is blank or longer than {SHORT_TITLE_LENGTH} characters",
            file=path.name,
            row=at + 2,
            column="short_title",
            value=frame["short_title"].iloc[at],
            hint=f"Give a name of 1 to {SHORT_TITLE_LENGTH} characters: one line of a chart.",
        )
    return frame


#: The longest short title: one line of the spine chart's label column.
SHORT_TITLE_LENGTH = 34


@lru_cache(maxsize=1)
def catalogue() -> pd.DataFrame:
    """Every indicator in data/, validated against :class:`perf.schema.Indicators` (cached)."""
    frame = pd.concat([lait_catalogue(), local_catalogue()], ignore_index=True)
    short = short_titles()
    unnamed = sorted(set(short["indicator"]) - set(frame["indicator"]))
    if unnamed:
        raise UnknownIndicatorError(
            f"short_titles names an indicator that is not in the catalogue: {unnamed[0]!r}",
            file=config.SHORT_TITLES_FILE.name,
            column="indicator",
            hint="Use the indicator's id, e.g. cla_rate.",
        )
    frame["short_title"] = frame["indicator"].map(
        dict(zip(short["indicator"], short["short_title"]))
    )
    frame = schema.Indicators.validate(frame)
    unknown = sorted(set(frame["same_as"].dropna()) - set(frame["indicator"]))
    if unknown:
        raise UnknownIndicatorError(
            f"same_as names an indicator that is not in the catalogue: {unknown[0]!r}",
            file=config.CATALOGUE_LAIT_FILE.name,
            column="same_as",
            hint="Name the id of the same measure from its primary source, e.g. cla_rate.",
        )
    return frame


def indicator(indicator_id: str) -> pd.Series:
    """One catalogue row by id; raises :class:`UnknownIndicatorError` with close ids."""
    cat = catalogue()
    hit = cat.index[cat["indicator"] == indicator_id]
    if len(hit):
        return cat.loc[hit[0]]
    close = difflib.get_close_matches(str(indicator_id), cat["indicator"].tolist(), n=3)
    raise UnknownIndicatorError(
        f"indicator {indicator_id!r} is not in the catalogue",
        file="catalogue.csv",
        hint=(f"Did you mean: {', '.join(close)}? " if close else "")
        + "Add it to data/catalogue.csv (or check the spelling).",
    )


#: Decimal places shown for an indicator the catalogue does not describe (every chart,
#: table and sentence uses this one default).
DEFAULT_DECIMALS = 1


@dataclass(frozen=True)
class IndicatorInfo:
    """How to name, format and judge one indicator."""

    indicator: str
    title: str
    unit: str
    decimals: int
    polarity: str


def first_rows(catalogue: pd.DataFrame) -> dict[Any, int]:
    """Each indicator id -> the position of its first row in ``catalogue``: built once, it
    answers every look-up of a render without comparing the whole id column again (an
    indicator listed twice answers with its first row, as :func:`catalogue_cell` does).

    >>> first_rows(pd.DataFrame({"indicator": ["a", "b", "a"]}))
    {'a': 0, 'b': 1}
    """
    if "indicator" not in catalogue.columns:
        return {}
    found: dict[Any, int] = {}
    for position, indicator in enumerate(catalogue["indicator"].tolist()):
        found.setdefault(indicator, position)
    return found


def catalogue_position(catalogue: pd.DataFrame | None, indicator_id: str) -> int | None:
    """The position of ``indicator_id``'s first row in ``catalogue``, None when there is no
    catalogue, no ``indicator`` column or no such indicator.

    >>> cat = pd.DataFrame({"indicator": ["a", "b", "b"]})
    >>> catalogue_position(cat, "b"), catalogue_position(cat, "zz"), catalogue_position(None, "a")
    (1, None, None)
    """
    if catalogue is None or "indicator" not in catalogue.columns:
        return None
    found = np.flatnonzero(
        (catalogue["indicator"] == indicator_id).to_numpy(dtype=bool, na_value=False)
    )
    return int(found[0]) if len(found) else None


def cell_at(catalogue: pd.DataFrame | None, position: int | None, column: str) -> Any:
    """The catalogue's ``column`` at the row ``position`` (:func:`catalogue_position`,
    :func:`first_rows`), None when there is no such row or column. Only the one cell is
    read: no rows are copied.

    >>> cell_at(pd.DataFrame({"indicator": ["a"], "title": ["Rate"]}), 0, "title")
    'Rate'
    """
    if catalogue is None or position is None or column not in catalogue:
        return None
    return catalogue[column].iat[position]


def catalogue_cell(catalogue: pd.DataFrame | None, indicator_id: str, column: str) -> Any:
    """The catalogue's ``column`` for ``indicator_id`` (its first row), None when there is no
    catalogue, no such column or no such indicator. Only the one cell is read: no rows are
    copied.

    >>> cat = pd.DataFrame({"indicator": ["a", "b"], "title": ["Rate", "Count"]})
    >>> catalogue_cell(cat, "b", "title"), catalogue_cell(cat, "zz", "title")
    ('Count', None)
    >>> catalogue_cell(cat, "a", "short_title") is None
    True
    """
    if catalogue is None or column not in catalogue:
        return None
    return cell_at(catalogue, catalogue_position(catalogue, indicator_id), column)


def indicator_info(indicator_id: str, catalogue: pd.DataFrame | None) -> IndicatorInfo:
    """The catalogue's title, unit, decimals and polarity for ``indicator_id``; for an id
    the catalogue lacks (or no catalogue): the id as title, ``number``,
    :data:`DEFAULT_DECIMALS` and no polarity. Never raises.

    >>> cat = pd.DataFrame({"indicator": ["a"], "title": ["Rate"], "unit": ["%"],
    ...                     "decimals": [2], "polarity": ["high"]})
    >>> indicator_info("a", cat)
    IndicatorInfo(indicator='a', title='Rate', unit='%', decimals=2, polarity='high')
    >>> indicator_info("zz", cat)
    IndicatorInfo(indicator='zz', title='zz', unit='number', decimals=1, polarity='neither')
    """
    return indicator_info_at(indicator_id, catalogue, catalogue_position(catalogue, indicator_id))


def indicator_info_at(
    indicator_id: str, catalogue: pd.DataFrame | None, position: int | None
) -> IndicatorInfo:
    """:func:`indicator_info` from the catalogue's row at ``position``, for a caller that
    has found it already (:func:`first_rows`); None: the defaults.

    >>> cat = pd.DataFrame({"indicator": ["a"], "title": ["Rate"], "unit": ["%"],
    ...                     "decimals": [2], "polarity": ["high"]})
    >>> indicator_info_at("a", cat, 0) == indicator_info("a", cat)
    True
    """

    def text(column: str, default: str) -> str:
        value = cell_at(catalogue, position, column)
        return str(value) if isinstance(value, str) and value else default

    decimals = cell_at(catalogue, position, "decimals")
    return IndicatorInfo(
        indicator=str(indicator_id),
        title=text("title", str(indicator_id)),
        unit=text("unit", "number"),
        decimals=DEFAULT_DECIMALS if is_missing(decimals) else int(decimals),
        polarity=text("polarity", "neither"),
    )
