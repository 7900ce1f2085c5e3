"""DfE's children's social care measures published as EES CSVs: the social work workforce
(CSWW), placement stability and care leavers' activity and accommodation. One table,
:data:`FILE_TYPES`, says for each file type how its header is recognised, the names its
columns have had, every value its filter columns may hold, and which rows and columns give
each indicator, with its numerator and denominator.

Each file is read with the care of :mod:`perf.loaders.ees`:

* recognised by its header, never its name (:func:`file_type`); a column is found under
  its current name or one it has had (:attr:`FileType.columns`; case, spaces and hyphens
  ignored), and a column the file type needs but cannot find is a
  :class:`~perf.errors.MissingColumnError` naming the file and column;
* a filter value the table does not know (a new ``breakdown`` category, a renamed cohort)
  is an error naming the file, row and column: a new category may change what a total
  means, so it is never passed over;
* GSS symbols (c, x, z, k, u, low) become missing values with the symbol in ``flag``, never
  zero, never a dropped row; any other text in a number is an error naming file, row and
  column;
* a key given twice (the same year, area and filter values on two rows) is an error
  naming both rows;
* DfE's joint rows (one workforce for two councils: Kingston upon Thames with Richmond upon
  Thames, North with West Northamptonshire, codes ``E09000021 / E09000027``) give each
  council the joint figure, as LAIT does, and their ``source`` says so.

**When each figure applies** (DfE's definitions, reporting year ``2025``):

* workforce: children and family social workers at **30 September 2025** (period kind
  ``snapshot``, label ``30 September 2025``); turnover counts the leavers and absence the
  days lost in the year to that date (the catalogue's ``period_type`` says so);
* placement stability: ``cla_placements_3plus``, children looked after at 31 March 2025 who
  had 3 or more placements during the year; ``cla_long_term_stability``, children under 16
  looked after for 2.5 years or more at 31 March 2025 who had lived with the same carer for
  2 years. Both are labelled with the financial year ``2024-25``, as LAIT labels the same
  figures (``LACStable_2016on``, ``LAC_LongStable%``), so the two sources' figures share
  their periods; the catalogue's ``period_type`` says "at 31 March" for the second;
* care leavers: young people whose 17th or 18th (19th, 20th or 21st) birthday fell in the
  year to 31 March 2025, their activity or accommodation around that birthday (financial
  year ``2024-25``).

Examples:
    >>> from perf import config
    >>> obs = read(config.RAW_DIR / "dfe" / "csww_indicators_2017_to_2025.csv")
    >>> row = obs.query("indicator == 'sw_agency_rate' and area_code == 'E08000027' "
    ...                 "and period == '30 September 2025'").iloc[0]
    >>> float(row["value"]), float(row["numerator"]), float(row["denominator"])
    (14.5, 24.5, 168.8)
    >>> row["period_kind"]
    'snapshot'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from perf.config import get_logger
from perf.errors import BadValueError, DuplicateKeyError, MissingColumnError
from perf.loaders._frame import finish
from perf.loaders.common import (
    file_decimal,
    keyed_rows,
    parse_numbers,
    period_frame,
    read_csv_strings,
    require_columns,
)
from perf.loaders.ees import _areas

__all__ = [
    "FILE_TYPES",
    "FORMATS",
    "FileType",
    "Measure",
    "file_type",
    "read",
    "recognises",
    "types_of_format",
]

log = get_logger()

#: EES identifier columns every file type needs (under these names: EES has kept them).
REQUIRED = ["time_period", "geographic_level", "country_code"]
#: Identifier columns an EES file may carry besides the required ones (never figures).
IDENTIFIERS = frozenset(
    {
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "old_la_code",
        "new_la_code",
        "la_name",
    }
)
#: The ``time_identifier`` these files use: ``time_period`` 2025 is then DfE's reporting
#: year 2025 (what it means is the file type's: :attr:`Measure.period`). Another value would
#: change the meaning of the year, so it is refused.
TIME_IDENTIFIERS = frozenset({"reporting year"})


@dataclass(frozen=True)
class Measure:
    """One indicator of a file type.

    ``value``: the column of its published figure, in the rows whose filters are ``where``
    (filter column -> canonical value). ``numerator``: a column of the same row.
    ``denominator``: columns of the same row, added up (``agency_fte + inpost_fte``); or,
    with ``denominator_where``, the ``denominator`` column of the row that has those filter
    values and the same year, area and other filters (the "Total" row of the cohort).
    ``period``: how the period label is built from the year (``{year}``), and ``kind`` the
    period kind it is read as (None: the label says).
    """

    indicator: str
    value: str
    period: str
    kind: str | None = None
    where: tuple[tuple[str, str], ...] = ()
    numerator: str | None = None
    denominator: tuple[str, ...] = ()
    denominator_where: tuple[tuple[str, str], ...] = ()
    #: the value is numerator / denominator times this (100 for a percentage)
    scale: float = 100.0


@dataclass(frozen=True)
class FileType:
    """One kind of EES file (see the module's docstring)."""

    name: str
    describe: str
    source: str
    #: canonical column -> other names it has had (compared lower case, spaces and hyphens
    #: as underscores). Every column a measure reads must be found.
    columns: dict[str, tuple[str, ...]]
    #: filter column -> {canonical value: other spellings}; a value not listed is an error
    filters: dict[str, dict[str, tuple[str, ...]]]
    measures: tuple[Measure, ...]
    #: canonical columns whose presence (with the EES identifiers), ``needs`` of them at
    #: least, makes a file this type
    signature: frozenset[str]
    needs: int = 2
    #: columns the file type is known to carry and perf does not read (no warning for them)
    unused: frozenset[str] = field(default=frozenset())


_SNAPSHOT_SEPTEMBER = "30 September {year}"
_FINANCIAL_YEAR = "{year}"

CSWW = FileType(
    name="csww",
    describe="DfE children's social work workforce (EES): agency_rate_fte, vacancy_rate_fte, "
    "caseload_fte ...",
    source="{file} (DfE Children's social work workforce, Explore Education Statistics)",
    columns={
        "inpost_fte": ("fte_in_post", "social_workers_fte", "in_post_fte"),
        "leavers_fte": ("fte_leavers", "leavers"),
        "turnover_rate_fte": ("turnover_rate", "fte_turnover_rate"),
        "agency_fte": ("fte_agency", "agency_workers_fte"),
        "agency_rate_fte": ("agency_rate", "fte_agency_rate", "agency_worker_rate_fte"),
        "agency_cover_fte": ("fte_agency_cover", "agency_covering_vacancies_fte"),
        "agency_cover_rate_fte": ("agency_cover_rate", "fte_agency_cover_rate"),
        "vacancy_fte": ("fte_vacancies", "vacancies_fte"),
        "vacancy_rate_fte": ("vacancy_rate", "fte_vacancy_rate"),
        "case_holders_fte": ("caseholders_fte", "fte_case_holders"),
        "cases": ("case_count", "number_of_cases"),
        "caseload_fte": ("caseload", "average_caseload_fte", "average_caseload"),
        "working_days_lost_fte": ("days_lost_fte", "working_days_lost"),
        "absence_rate_fte": ("absence_rate", "sickness_absence_rate_fte"),
    },
    filters={},
    measures=(
        Measure("sw_fte", "inpost_fte", _SNAPSHOT_SEPTEMBER),
        Measure(
            "sw_agency_rate",
            "agency_rate_fte",
            _SNAPSHOT_SEPTEMBER,
            numerator="agency_fte",
            denominator=("agency_fte", "inpost_fte"),
        ),
        Measure(
            "sw_vacancy_rate",
            "vacancy_rate_fte",
            _SNAPSHOT_SEPTEMBER,
            numerator="vacancy_fte",
            denominator=("vacancy_fte", "inpost_fte"),
        ),
        Measure(
            "sw_turnover_rate",
            "turnover_rate_fte",
            _SNAPSHOT_SEPTEMBER,
            numerator="leavers_fte",
            denominator=("inpost_fte",),
        ),
        Measure(
            "sw_caseload",
            "caseload_fte",
            _SNAPSHOT_SEPTEMBER,
            numerator="cases",
            denominator=("case_holders_fte",),
            scale=1.0,
        ),
        # DfE divides the days lost by the working days available, which it does not publish:
        # no numerator or denominator that would reproduce the rate.
        Measure("sw_absence_rate", "absence_rate_fte", _SNAPSHOT_SEPTEMBER),
        Measure(
            "sw_agency_cover_rate",
            "agency_cover_rate_fte",
            _SNAPSHOT_SEPTEMBER,
            numerator="agency_cover_fte",
            denominator=("agency_fte",),
        ),
    ),
    # two of them: a release that renames one is still recognised, and its reader names it
    signature=frozenset(
        {"inpost_fte", "agency_rate_fte", "vacancy_rate_fte", "caseload_fte", "turnover_rate_fte"}
    ),
    unused=frozenset(
        {
            "inpost_headcount",
            "starters_fte",
            "starters_headcount",
            "leavers_headcount",
            "turnover_rate_headcount",
            "agency_headcount",
            "agency_rate_headcount",
            "vacancy_agency_cover_rate_fte",
        }
    ),
)

_ON_31_MARCH = "CLA on 31 March"
_LONG_TERM = (
    "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years"
)
PLACEMENT_STABILITY = FileType(
    name="placements",
    describe="DfE placement stability of children looked after (EES): cla_group, "
    "placement_stability",
    source="{file} (DfE Children looked after in England, placement stability, Explore "
    "Education Statistics)",
    columns={
        "cla_group": ("cla_cohort", "cla_population"),
        "placement_stability": ("stability_measure", "placement_stability_measure"),
        "children_count": ("number", "count", "number_of_children"),
        "children_percent": ("percent", "percentage", "children_percentage"),
    },
    filters={
        "cla_group": {
            _ON_31_MARCH: (
                "Children looked after on 31 March",
                "Children looked after at 31 March",
            ),
            "CLA 2 years on 31 March": (
                "Children looked after for at least 2 years on 31 March",
                "Children looked after continuously for at least 2 years on 31 March",
            ),
            _LONG_TERM: (),
        },
        "placement_stability": {
            "With 3 or more placements during the year": (),
            "With 3 or more placements during the previous 2 years": (),
            "Living with the same carer for at least 2 years": (
                "Living in the same placement for at least 2 years",
            ),
            "Total children": ("Total", "All children"),
        },
    },
    measures=(
        Measure(
            "cla_placements_3plus",
            "children_percent",
            _FINANCIAL_YEAR,
            kind="financial_year",
            where=(
                ("cla_group", _ON_31_MARCH),
                ("placement_stability", "With 3 or more placements during the year"),
            ),
            numerator="children_count",
            denominator=("children_count",),
            denominator_where=(("placement_stability", "Total children"),),
        ),
        Measure(
            "cla_long_term_stability",
            "children_percent",
            _FINANCIAL_YEAR,
            kind="financial_year",
            where=(
                ("cla_group", _LONG_TERM),
                ("placement_stability", "Living with the same carer for at least 2 years"),
            ),
            numerator="children_count",
            denominator=("children_count",),
            denominator_where=(("placement_stability", "Total children"),),
        ),
    ),
    signature=frozenset({"cla_group", "placement_stability"}),
)

_CARE_LEAVER_COLUMNS = {
    "care_leaver_age": ("care_leaver_age_group", "care_leavers_age"),
    "breakdown": ("care_leaver_breakdown", "care_leaver_activity", "accommodation_suitability"),
    "care_leaver_count": ("number", "count", "care_leavers_count"),
    "care_leaver_percent": ("percent", "percentage", "care_leavers_percent"),
}
_AGES: dict[str, tuple[str, ...]] = {
    "17 to 18 years": ("17 to 18", "aged 17 to 18"),
    "19 to 21 years": ("19 to 21", "aged 19 to 21"),
}


def _care_leaver_measures(stem: str, selected: str, total: str) -> tuple[Measure, ...]:
    return tuple(
        Measure(
            f"{stem}_{age}",
            "care_leaver_percent",
            _FINANCIAL_YEAR,
            kind="financial_year",
            where=(("care_leaver_age", label), ("breakdown", selected)),
            numerator="care_leaver_count",
            denominator=("care_leaver_count",),
            denominator_where=(("breakdown", total),),
        )
        for age, label in (("17_18", "17 to 18 years"), ("19_21", "19 to 21 years"))
    )


CARE_LEAVERS_ACTIVITY = FileType(
    name="care_leavers_activity",
    describe="DfE care leavers' activity (EES): care_leaver_age, breakdown (education, "
    "employment or training ...)",
    source="{file} (DfE Children looked after in England, care leavers' activity, Explore "
    "Education Statistics)",
    columns=_CARE_LEAVER_COLUMNS,
    filters={
        "care_leaver_age": _AGES,
        "breakdown": {
            "Education other than higher education": (),
            "Higher education i.e. studies beyond A level": ("Higher education",),
            "In an apprenticeship": (),
            "In training or employment": (),
            "In training or employment (excl. apprenticeship)": (),
            "Not in education, training or employment, owing to illness or disability": (),
            "Not in education, training or employment, owing to other reasons": (),
            "Not in education, training or employment, owing to pregnancy or parenting": (),
            "Total": ("Total care leavers", "All care leavers"),
            "Total in education, employment or training": (
                "Total in education, training or employment",
            ),
            "Total information not known": ("Information not known", "Not known"),
            "Total not in education, employment or training": (
                "Total not in education, training or employment",
            ),
        },
    },
    measures=_care_leaver_measures(
        "care_leavers_eet", "Total in education, employment or training", "Total"
    ),
    signature=frozenset({"care_leaver_age", "breakdown"}),
)

CARE_LEAVERS_ACCOMMODATION = FileType(
    name="care_leavers_accommodation",
    describe="DfE suitability of care leavers' accommodation (EES): care_leaver_age, "
    "breakdown (suitable, unsuitable ...)",
    source="{file} (DfE Children looked after in England, care leavers' accommodation, "
    "Explore Education Statistics)",
    columns=_CARE_LEAVER_COLUMNS,
    filters={
        "care_leaver_age": _AGES,
        "breakdown": {
            "Accommodation considered suitable": ("Suitable accommodation", "Suitable"),
            "Accommodation considered unsuitable": ("Unsuitable accommodation", "Unsuitable"),
            "No information": ("Information not known", "Not known"),
            "Suitability total": ("Total",),
        },
    },
    measures=_care_leaver_measures(
        "care_leavers_suitable", "Accommodation considered suitable", "Suitability total"
    ),
    signature=frozenset({"care_leaver_age", "breakdown"}),
)

#: Every file type, in the order they are told apart (the two care-leaver files share a
#: header: their ``breakdown`` values tell them apart, :func:`file_type`).
FILE_TYPES: tuple[FileType, ...] = (
    CSWW,
    PLACEMENT_STABILITY,
    CARE_LEAVERS_ACTIVITY,
    CARE_LEAVERS_ACCOMMODATION,
)


#: The registry's format name of each file type (the two care-leaver files share a header,
#: so one format reads both).
FORMATS: dict[str, tuple[FileType, ...]] = {
    "csww": (CSWW,),
    "placements": (PLACEMENT_STABILITY,),
    "care_leavers": (CARE_LEAVERS_ACTIVITY, CARE_LEAVERS_ACCOMMODATION),
}


def types_of_format(name: str) -> tuple[FileType, ...]:
    """The file types the registry's format ``name`` reads."""
    return FORMATS[name]


def _key(name: object) -> str:
    """A column name or filter value as compared: lower case, spaces and hyphens as one
    underscore.

    >>> _key(" Agency-Rate FTE "), _key("Total  children")
    ('agency_rate_fte', 'total_children')
    """
    return "_".join(str(name).strip().lower().replace("-", " ").split())


def _columns_found(header, ftype: FileType) -> dict[str, str]:
    """Canonical column -> the file's column holding it, for the columns found."""
    present = {_key(c): c for c in header}
    found: dict[str, str] = {}
    for name, others in ftype.columns.items():
        for other in (name, *others):
            if _key(other) in present and present[_key(other)] not in found.values():
                found[name] = present[_key(other)]
                break
    return found


def recognises(ftype: FileType) -> Callable[[object], bool]:
    """The registry's test for ``ftype``: an EES header that has ``ftype.needs`` of its
    signature columns (under any of their names). The care-leaver files share a header, so the
    activity type recognises both and its reader tells them apart."""

    def recognise(sniff) -> bool:
        if not {"time_period", "geographic_level"} <= sniff.cols:
            return False
        return len(set(_columns_found(sniff.header, ftype)) & ftype.signature) >= ftype.needs

    return recognise


def file_type(raw: pd.DataFrame, file: str) -> FileType:
    """The file type of an EES frame, from its header and, for the two care-leaver files
    (one header), the ``breakdown`` values its rows hold."""
    candidates = [
        t for t in FILE_TYPES if len(set(_columns_found(raw.columns, t)) & t.signature) >= t.needs
    ]
    if not candidates:
        raise MissingColumnError(
            "not a DfE workforce, placement stability or care leavers file",
            file=file,
            row=1,
            column=", ".join(sorted(FILE_TYPES[0].signature)),
            hint="Read any other EES file with perf.loaders.ees.",
        )
    if len(candidates) == 1:
        return candidates[0]
    scores = []
    for ftype in candidates:
        column = _columns_found(raw.columns, ftype).get("breakdown")
        known = {_key(v) for c in ftype.filters["breakdown"].items() for v in (c[0], *c[1])}
        values = {_key(v) for v in raw[column].unique()} if column else set()
        scores.append(len(values & known))
    return candidates[int(np.argmax(scores))]


def _filter_codes(raw: pd.DataFrame, ftype: FileType, file: str, rows: pd.Series) -> None:
    """Replace each filter value by its canonical spelling (in place on ``raw``, a copy);
    a value the table does not know is an error naming file, row and column."""
    for column, vocabulary in ftype.filters.items():
        spellings = {
            _key(v): canonical
            for canonical, others in vocabulary.items()
            for v in (canonical, *others)
        }
        codes, uniques = pd.factorize(raw[column])
        mapped = [spellings.get(_key(u)) for u in uniques]
        unknown = [i for i, m in enumerate(mapped) if m is None]
        if unknown:
            pos = int(np.flatnonzero(np.isin(codes, unknown))[0])
            raise BadValueError(
                f"{column} value not known for a {ftype.name} file",
                file=file,
                row=int(rows.iloc[pos]),
                column=column,
                value=raw[column].iloc[pos],
                hint="Known values: "
                + "; ".join(vocabulary)
                + ". A new category may change what the totals mean: check DfE's release, "
                "then add it to perf.loaders.ees_measures.FILE_TYPES.",
            )
        raw[column] = np.asarray(mapped, dtype=object)[codes]


def _no_duplicates(keys: pd.DataFrame, file: str, rows: pd.Series, columns: list[str]) -> None:
    dup = keys.duplicated(keep=False).to_numpy()
    if dup.any():
        first = int(np.flatnonzero(dup)[0])
        same = (keys == keys.iloc[first]).all(axis=1).to_numpy()
        at = [int(r) for r in rows.to_numpy()[same][:2]]
        raise DuplicateKeyError(
            f"two rows give the same year, area and filters (rows {at[0]} and {at[1]})",
            file=file,
            row=at[1],
            column=", ".join(columns),
            hint="Keep one row per year, area and filter values: delete or correct the other.",
        )


def _split_joint(places: pd.DataFrame) -> pd.DataFrame:
    """One row per council for DfE's joint rows (``E09000021 / E09000027``), with a
    ``joint`` column naming the councils together (None for an ordinary row); indexed by
    the file row's index (repeated for a joint row)."""
    codes = places["area_code"].astype(str)
    joint = codes.str.contains("/", regex=False)
    if not joint.any():
        return places.assign(joint=None)
    parts = []
    for index, row in places[joint].iterrows():
        split_codes = [c.strip() for c in str(row["area_code"]).split("/")]
        names = [n.strip() for n in str(row["area_name"]).split("/")]
        if len(names) != len(split_codes):
            names = [str(row["area_name"])] * len(split_codes)
        together = " and ".join(names)
        parts.append(
            pd.DataFrame(
                {
                    "area_code": split_codes,
                    "area_name": names,
                    "area_level": row["area_level"],
                    "joint": together,
                },
                index=[index] * len(split_codes),
            )
        )
    return pd.concat([places[~joint].assign(joint=None), *parts]).sort_index(kind="stable")


def _lookup_codes(places: pd.DataFrame, raw: pd.DataFrame, file: str) -> pd.DataFrame:
    """A council's ONS code as perf's area lookup has it. ONS gave Barnsley and Sheffield
    new codes in 2025 (E08000038, E08000039, after a boundary change between them); DfE's
    2025 workforce rows use them while every other release here keeps E08000016 and
    E08000019. A council's code the lookup does not know is read through its DfE number
    (``old_la_code``, which did not change), with one line in the log; a code unknown under
    both is kept as it is."""
    if "old_la_code" not in raw.columns:
        return places
    # lazy: perf.areas imports perf.loaders.common, whose package imports this module
    from perf.areas import areas, la_number_to_code

    known = set(areas()["area_code"])
    council = places["area_level"] == "la"
    unknown = council & ~places["area_code"].isin(known) & ~places["area_code"].str.contains("/")
    if not unknown.any():
        return places
    numbers = pd.to_numeric(raw.loc[unknown, "old_la_code"].str.strip(), errors="coerce")
    found = la_number_to_code(numbers)["area_code"]
    found = found[found.notna()]
    if found.empty:
        return places
    pairs = sorted({(places.at[i, "area_code"], code) for i, code in found.items()})
    log.info(
        "%s: ONS codes perf's area lookup does not have, read through their DfE numbers: %s",
        file,
        ", ".join(f"{old} -> {new}" for old, new in pairs),
    )
    places = places.copy()
    places.loc[found.index, "area_code"] = found
    return places


def _time_identifiers(raw: pd.DataFrame, file: str, rows: pd.Series) -> None:
    if "time_identifier" not in raw.columns:
        return
    codes, uniques = pd.factorize(raw["time_identifier"])
    known = {_key(t) for t in TIME_IDENTIFIERS}
    bad = pd.Series(
        np.array([_key(u) not in known for u in uniques] + [True])[codes], index=raw.index
    )
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise BadValueError(
            "time_identifier is not 'Reporting year'",
            file=file,
            row=int(rows.iloc[pos]),
            column="time_identifier",
            value=raw["time_identifier"].iloc[pos],
            hint="These DfE files give reporting years; a file with another time identifier "
            "needs its periods declared in perf.loaders.ees_measures.",
        )


def read(path: str | Path, *, validate: bool = True, decimal: str | None = None) -> pd.DataFrame:
    """Read one workforce, placement stability or care leavers file into observations
    (the indicators of :data:`FILE_TYPES`)."""
    path = Path(path)
    file = path.name
    raw = read_csv_strings(path)
    mark = file_decimal(raw, decimal)
    require_columns(raw, REQUIRED, file)
    ftype = file_type(raw, file)
    found = _columns_found(raw.columns, ftype)
    renamed = {found[c]: c for c in found if found[c] != c}
    if renamed:
        log.info(
            "%s: EES column names read by their declared aliases: %s",
            file,
            ", ".join(f"{old} -> {new}" for old, new in renamed.items()),
        )
    needed = {c for m in ftype.measures for c in (m.value, m.numerator, *m.denominator) if c}
    needed |= set(ftype.filters)
    for column in sorted(needed - set(found)):
        raise MissingColumnError(
            f"a {ftype.name} file needs a {column} column",
            file=file,
            row=1,
            column=column,
            hint=f"Names read as {column}: {', '.join([column, *ftype.columns[column]])}. The "
            f"file's columns are: {', '.join(map(str, raw.columns))}. Rename the column, or "
            "add its new name to perf.loaders.ees_measures.FILE_TYPES.",
        )
    raw = raw.rename(columns=renamed)
    extra = [
        c
        for c in raw.columns
        if c not in IDENTIFIERS and c not in ftype.columns and c not in ftype.unused
    ]
    if extra:
        log.warning(
            "%s: %d column(s) a %s file is not known to have, not read: %s",
            file,
            len(extra),
            ftype.name,
            ", ".join(map(str, extra)),
        )

    rows = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    places = _lookup_codes(_areas(raw, file), raw, file)
    keyed = keyed_rows(places, file)
    raw, places, rows = raw[keyed].copy(), places[keyed], rows[keyed]
    _time_identifiers(raw, file, rows)
    _filter_codes(raw, ftype, file, rows)
    filters = list(ftype.filters)
    _no_duplicates(
        pd.concat([raw[["time_period"]], places[["area_code"]], raw[filters]], axis=1),
        file,
        rows,
        ["time_period", "area", *filters],
    )

    numbers, flags = {}, {}
    for column in sorted(needed - set(filters)):
        values, symbols = parse_numbers(
            raw[column], file=file, column=column, rows=rows, decimal=mark
        )
        numbers[column] = values.set_axis(raw.index)
        flags[column] = symbols.set_axis(raw.index)

    source = ftype.source.format(file=file)
    periods_of: dict[tuple[str, str | None], pd.DataFrame] = {}
    pieces = []
    for measure in ftype.measures:
        selected = pd.Series(True, index=raw.index)
        for column, value in measure.where:
            selected &= raw[column] == value
        if not selected.any():
            log.info("%s: no rows for %s", file, measure.indicator)
            continue
        index = raw.index[selected]
        numerator = numbers[measure.numerator][index] if measure.numerator else np.nan
        denominator = _denominator(measure, raw, places, numbers, index, filters)
        if measure.numerator:
            numerator, denominator = _reproducing(
                measure, numbers[measure.value][index], numerator, denominator, rows[index], file
            )
        periods = _periods(raw, rows, measure, file, periods_of)
        periods = periods.loc[index]
        pieces.append(
            periods.assign(
                indicator=measure.indicator,
                value=numbers[measure.value][index],
                flag=flags[measure.value][index],
                numerator=numerator,
                denominator=denominator,
                row=rows[index],
            )
        )
    if not pieces:
        raise BadValueError(
            f"no rows of any indicator a {ftype.name} file gives",
            file=file,
            row=2,
            column=", ".join(filters),
            hint="Check the file is DfE's release, not a filtered extract.",
        )
    long = pd.concat(pieces)
    areas = _split_joint(places)
    long = long.join(areas, how="inner")
    # A joint row's figure is the two councils' together: its source says so.
    long["source"] = np.where(
        long["joint"].isna(),
        source,
        source + "; " + long["joint"].fillna("") + " report together: the figure is theirs",
    )
    long = long.sort_values("row", kind="stable")
    return finish(long, file=file, row_numbers=long["row"], validate=validate)


def _reproducing(
    measure: Measure,
    value: pd.Series,
    numerator: pd.Series,
    denominator: pd.Series | float,
    rows: pd.Series,
    file: str,
) -> tuple[pd.Series, pd.Series]:
    """The numerator and denominator where they reproduce the published figure (within its
    rounding, and never a share above its whole); elsewhere both are left missing, with one
    line in the log naming the rows. They are perf's choice of DfE's columns, not DfE's
    statement of the rate's parts: DfE's 2024 rates for some regions are not their own
    counts' (North East turnover 14.0 against 271.5 leavers of 2,158.1), and where a figure
    is suppressed or unreliable (Birmingham's 2023 agency cover, ``u``) its counts may not
    add up. A figure that is missing keeps no counts: they would give it back."""
    denominator = pd.Series(denominator, index=value.index, dtype="float64")
    computed = numerator / denominator.where(denominator > 0) * measure.scale
    # DfE rounds percentages to a whole number or one decimal, caseloads to one decimal
    rounding = 0.5 if measure.scale == 100.0 else 0.05
    tolerance = rounding + 0.01 * computed.abs()
    agrees = (value - computed).abs() <= tolerance
    if measure.scale == 100.0:
        agrees &= numerator <= denominator
    keep = value.notna() & agrees
    dropped = numerator.notna() & denominator.notna() & ~keep & value.notna()
    if dropped.any():
        listed = ", ".join(str(int(r)) for r in rows[dropped].iloc[:5])
        log.info(
            "%s: %s: on %d row(s) (%s%s) the counts do not reproduce DfE's figure: "
            "numerator and denominator left out there",
            file,
            measure.indicator,
            int(dropped.sum()),
            listed,
            " ..." if dropped.sum() > 5 else "",
        )
    return numerator.where(keep), denominator.where(keep)


def _periods(
    raw: pd.DataFrame,
    rows: pd.Series,
    measure: Measure,
    file: str,
    done: dict[tuple[str, str | None], pd.DataFrame],
) -> pd.DataFrame:
    """Every row's period as ``measure`` dates it, parsed once for the measures that share
    a template and kind (the workforce's seven)."""
    key = (measure.period, measure.kind)
    if key not in done:
        years = raw["time_period"].str.strip()
        codes, uniques = pd.factorize(years)
        labels = pd.Series(
            np.array([measure.period.format(year=y) for y in uniques] + [""], dtype=object)[codes],
            index=raw.index,
        )
        done[key] = period_frame(labels, measure.kind, file=file, column="time_period", rows=rows)
    return done[key]


def _denominator(
    measure: Measure,
    raw: pd.DataFrame,
    places: pd.DataFrame,
    numbers: dict[str, pd.Series],
    index: pd.Index,
    filters: list[str],
) -> pd.Series | float:
    """The denominator of ``measure`` for the rows ``index``: columns of the same row
    added up, or the count of the cohort's total row (same year, area and other filters)."""
    if not measure.denominator:
        return np.nan
    if not measure.denominator_where:
        total = sum(numbers[c][index] for c in measure.denominator)
        return total.where(total > 0)
    overridden = dict(measure.denominator_where)
    total_rows = pd.Series(True, index=raw.index)
    for column, value in overridden.items():
        total_rows &= raw[column] == value
    same = ["time_period", "area_code", *[c for c in filters if c not in overridden]]
    keys = pd.concat([raw[["time_period"]], places[["area_code"]], raw[filters]], axis=1)
    totals = keys[total_rows][same].assign(_total=numbers[measure.denominator[0]][total_rows])
    matched = keys.loc[index, same].merge(totals, on=same, how="left")
    return pd.Series(matched["_total"].to_numpy(), index=index)
