"""Areas: England, regions and local authorities, with ONS codes, DfE 3-digit numbers
and statistical neighbours.

Built from the published files in data/raw: the EES files' ``old_la_code``/``new_la_code``
pairs (DfE number <-> ONS code), LAIT's ``la_code_list.xlsx`` (numbers LAIT uses for
England, regions and former authorities), the statistical-neighbour models (2025:
``dfe/sn_model_2025_wide.csv``, with ``lait/sn_may_2025.xlsx`` filling any gap; 2021:
``lait/sn_april_2021.xlsx``) and the ONS LTLA-UTLA lookup (districts and their county).

Former authorities (Bournemouth, Poole, the old Dorset county, Cumbria, Northamptonshire,
the pre-2023 North Yorkshire, Somerset and Buckinghamshire codes) are kept so that older
figures still have an area; where a former code shares a name with a current one its
name gets " (former)". *Current* authorities are those with any figure in the latest year
of DfE's children-looked-after release (:func:`current_local_authorities`): DfE still lists
Cumbria and Northamptonshire there, with no figures.

Names match as people write them: case, spacing, punctuation, "&", "St"/"St."/"Saint",
", City of", "County of", "Council", "MBC", "Metropolitan Borough Council" and the like
make no difference, and a few everyday short names are known ("Hull", "Southend"). A
district is refused with the name of its county council; a former council asked for by
name is refused with what replaced it (its ONS code still finds it, for older figures).

Examples:
    >>> find_area("dudley")["area_code"]
    'E08000027'
    >>> find_area(383)["area_name"], find_area("E92000001")["area_level"]
    ('Leeds', 'england')
    >>> find_area("Dudley MBC")["area_name"], find_area("Hull")["area_name"]
    ('Dudley', 'Kingston upon Hull, City of')
    >>> len(neighbours("E08000027")), neighbour_set_name("2021")
    (10, 'DfE statistical neighbours, 2021 model')
"""

from __future__ import annotations

import difflib
import re
import sys
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from perf import config, schema
from perf.cache import cached_pickle
from perf.config import ENGLAND
from perf.errors import (
    BadValueError,
    FileFormatError,
    MissingColumnError,
    ParameterError,
    PerfError,
    UnknownAreaError,
)
from perf.loaders.common import read_csv_strings, require_columns
from perf.loaders.workbook import check_zip
from perf.schema import rows_of

__all__ = [
    "NEIGHBOUR_MODELS",
    "NeighbourMean",
    "abolition_note",
    "areas",
    "current_local_authorities",
    "find_area",
    "la_number_to_code",
    "neighbour_mean",
    "neighbour_mean_of",
    "neighbour_set_name",
    "neighbours",
    "read_la_code_list",
    "read_ltla_utla",
    "read_sn_csv",
    "read_sn_xlsx",
    "resolve_area_codes",
]

DFE_DIR = config.RAW_DIR / "dfe"
LAIT_DIR = config.RAW_DIR / "lait"

#: LAIT's numbers for England and the regions (la_code_list.xlsx), to ONS codes.
_LAIT_AGGREGATES = {
    970: (ENGLAND, "England", "england"),
    980: ("E12000001", "North East", "region"),
    981: ("E12000002", "North West", "region"),
    982: ("E12000003", "Yorkshire and The Humber", "region"),
    983: ("E12000004", "East Midlands", "region"),
    984: ("E12000005", "West Midlands", "region"),
    985: ("E12000006", "East of England", "region"),
    986: ("E12000007", "London", "region"),
    987: ("E13000001", "Inner London", "region"),
    988: ("E13000002", "Outer London", "region"),
    989: ("E12000008", "South East", "region"),
    990: ("E12000009", "South West", "region"),
}
#: Former county councils that no EES file in data/raw carries (abolished 2021 and 2023).
_FORMER = [
    ("E10000021", 928, "Northamptonshire", "E12000004", "East Midlands"),
    ("E10000006", 909, "Cumbria", "E12000002", "North West"),
]


#: Statistical-neighbour models: the parameter value -> the set's name in tables and charts.
NEIGHBOUR_MODELS: dict[str, str] = {
    "2025": "DfE statistical neighbours, 2025 model",
    "2021": "DfE statistical neighbours, 2021 model",
}
_SN_2021 = LAIT_DIR / "sn_april_2021.xlsx"
#: The release whose latest year says which authorities are current.
_CURRENT_FROM = DFE_DIR / "cla_number_and_rate_per_10k_children.csv"
#: Councils abolished in the reorganisations since 2019: date and successors (ONS codes).
_REPLACED: dict[str, tuple[str, tuple[str, ...]]] = {
    "E10000006": ("1 April 2023", ("E06000063", "E06000064")),  # Cumbria
    "E10000021": ("1 April 2021", ("E06000061", "E06000062")),  # Northamptonshire
    "E10000023": ("1 April 2023", ("E06000065",)),  # North Yorkshire county -> unitary
    "E10000027": ("1 April 2023", ("E06000066",)),  # Somerset county -> unitary
    "E10000002": ("1 April 2020", ("E06000060",)),  # Buckinghamshire county -> unitary
    "E06000028": ("1 April 2019", ("E06000058",)),  # Bournemouth -> BCP
    "E06000029": ("1 April 2019", ("E06000058",)),  # Poole -> BCP
    "E10000009": ("1 April 2019", ("E06000059", "E06000058")),  # Dorset (Christchurch to BCP)
}


def _read_ees_codes() -> pd.DataFrame:

    frames = []
    # Newest first: the CLA file holds current codes; the population file adds former ones.
    for name in (
        "cla_number_and_rate_per_10k_children.csv",
        "ons_mid-year_population_estimates_2012_to_2024.csv",
    ):
        f = read_csv_strings(DFE_DIR / name)
        f = f[f["geographic_level"] == "Local authority"]
        f = f.assign(year=pd.to_numeric(f["time_period"].str[:4]))
        frames.append(
            f[["new_la_code", "old_la_code", "la_name", "region_code", "region_name", "year"]]
        )
    codes = pd.concat(frames, ignore_index=True)
    codes = codes.sort_values("year", ascending=False, kind="stable")
    return codes.drop_duplicates("new_la_code").reset_index(drop=True)


def _read_excel(path: Path, **kwargs) -> pd.DataFrame:
    check_zip(path)  # sizes before anything is parsed (a zip bomb is refused, named)
    try:
        return pd.read_excel(path, **kwargs)
    except Exception as exc:  # noqa: BLE001 - openpyxl/zipfile raise many types for a damaged workbook
        raise FileFormatError(
            f"the workbook could not be read ({type(exc).__name__}: {exc})",
            file=Path(path).name,
            row=1,
            column="(all)",
            hint="Open it in Excel and save it again as .xlsx.",
        ) from None


def read_la_code_list(path: str | Path | None = None) -> pd.DataFrame:
    """LAIT's list of LA numbers, names, regions and types (``lait/la_code_list.xlsx``).

    >>> read_la_code_list().query("la_number == 332")["la_name"].item()
    'Dudley'
    """
    path = Path(path) if path is not None else LAIT_DIR / "la_code_list.xlsx"
    frame = _read_excel(path, dtype=str)
    if frame.shape[1] != 4:
        raise MissingColumnError(
            "expected 4 columns (LA number, name, region, type)",
            file=path.name,
            row=1,
            column="(all)",
            hint="Use LAIT's la_code_list.xlsx layout.",
        )
    frame.columns = ["la_number", "la_name", "region", "type"]
    frame["la_number"] = _whole_numbers(frame["la_number"], path.name, "la_number", required=True)
    return frame


def _whole_numbers(
    raw: pd.Series, file: str, column: str, *, required: bool, row_offset: int = 2
) -> pd.Series:
    """DfE 3-digit numbers from text: Int64 (int64 when none is blank); a cell that is not a
    whole number raises :class:`BadValueError` naming file, row and column."""
    text = raw.astype(object).where(raw.notna(), "").astype(str).str.strip()
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = (text != "") & (numbers.isna() | (numbers % 1 != 0) | numbers.abs().gt(1e9))
    if required:
        bad |= text == ""
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise BadValueError(
            "must be a DfE local-authority number (e.g. 332)",
            file=file,
            row=pos + row_offset,
            column=column,
            value=text.iloc[pos],
            hint="Correct the cell; leave it blank only for a missing neighbour.",
        )
    out = numbers.astype("Int64")
    return out.astype("int64") if not out.isna().any() else out


def read_sn_csv(path: str | Path | None = None) -> pd.DataFrame:
    """The 2025 statistical-neighbour model: ``la_number`` and ``sn_1``..``sn_10`` (DfE numbers).

    Reads ``path`` (default: the shipped ``dfe/sn_model_2025_wide.csv``).

    >>> read_sn_csv().set_index("la_number").loc[332, "sn_1"]
    np.int64(384)
    """

    path = Path(path) if path is not None else DFE_DIR / "sn_model_2025_wide.csv"
    raw = read_csv_strings(path)
    columns = ["old_la_code"] + [f"SN_{i}" for i in range(1, 11)]
    require_columns(raw, columns, path.name)
    out = pd.DataFrame(
        {"la_number": _whole_numbers(raw["old_la_code"], path.name, "old_la_code", required=True)}
    )
    for i in range(1, 11):
        out[f"sn_{i}"] = _whole_numbers(raw[f"SN_{i}"], path.name, f"SN_{i}", required=False)
    return out


def read_sn_xlsx(path: str | Path | None = None) -> pd.DataFrame:
    """The same model in LAIT's layout (``lait/sn_may_2025.xlsx``, header on the third row).

    >>> read_sn_xlsx().set_index("la_number").loc[332, "sn_1"]
    np.int64(384)
    """
    path = Path(path) if path is not None else LAIT_DIR / "sn_may_2025.xlsx"
    raw = _read_excel(path, header=None, skiprows=3, dtype=str)
    if raw.shape[1] < 24:
        raise MissingColumnError(
            "expected an LA number and 10 neighbour columns",
            file=path.name,
            row=4,
            column="(all)",
            hint="Use LAIT's sn_*.xlsx layout.",
        )
    raw = raw[pd.to_numeric(raw[0], errors="coerce").notna()]
    out = pd.DataFrame({"la_number": pd.to_numeric(raw[0]).astype("int64")})
    for i in range(1, 11):
        out[f"sn_{i}"] = pd.to_numeric(raw[3 + 2 * i], errors="coerce").astype("Int64")
    return out.reset_index(drop=True)


def read_ltla_utla(path: str | Path | None = None) -> pd.DataFrame:
    """ONS lower-tier to upper-tier lookup (April 2023): ltla_code, ltla_name, utla_code, utla_name."""

    path = Path(path) if path is not None else DFE_DIR / "LTLA-UTLA_Apr23_Lookup_England-Wales.csv"
    raw = read_csv_strings(path)
    require_columns(raw, ["LTLA23CD", "LTLA23NM", "UTLA23CD", "UTLA23NM"], path.name)
    return pd.DataFrame(
        {
            "ltla_code": raw["LTLA23CD"],
            "ltla_name": raw["LTLA23NM"],
            "utla_code": raw["UTLA23CD"],
            "utla_name": raw["UTLA23NM"],
        }
    )


@lru_cache(maxsize=1)
def areas() -> pd.DataFrame:
    """Every area, validated against :class:`perf.schema.Areas` (cached).

    >>> a = areas()
    >>> row = a.set_index("area_code").loc["E08000027"]
    >>> int(row["la_number"]), row["region_code"]
    (332, 'E12000005')
    """

    # Built from four files (two of them workbooks): kept on disk between processes, so
    # a render's kernel gets it in milliseconds; any change to data/ or perf/ rebuilds it.
    return cached_pickle("areas", _build_areas, extra=pd.__version__)


def _build_areas() -> pd.DataFrame:
    codes = _read_ees_codes()
    la = pd.DataFrame(
        {
            "area_code": codes["new_la_code"],
            "la_number": pd.to_numeric(codes["old_la_code"]).astype("Int64"),
            "area_name": codes["la_name"],
            "area_level": "la",
            "region_code": codes["region_code"],
            "region_name": codes["region_name"],
        }
    )
    former = pd.DataFrame(
        _FORMER, columns=["area_code", "la_number", "area_name", "region_code", "region_name"]
    ).assign(area_level="la")
    la = pd.concat([la, former[~former["area_code"].isin(la["area_code"])]], ignore_index=True)
    current, _ = _current_codes()
    clash = la["area_name"].duplicated(keep="first") & ~la["area_code"].isin(current)
    la.loc[clash, "area_name"] = la.loc[clash, "area_name"] + " (former)"

    aggregates = pd.DataFrame(
        [(code, number, name, level) for number, (code, name, level) in _LAIT_AGGREGATES.items()],
        columns=["area_code", "la_number", "area_name", "area_level"],
    )
    aggregates["region_code"] = pd.NA
    aggregates["region_name"] = pd.NA

    # Neighbours: the CSV model, the xlsx filling any authority the CSV lacks.
    sn = read_sn_csv()
    sn_x = read_sn_xlsx()
    sn = pd.concat([sn, sn_x[~sn_x["la_number"].isin(sn["la_number"])]], ignore_index=True)
    number_to_code = dict(
        zip(
            la["la_number"].dropna().astype(int)[::-1],
            la["area_code"][la["la_number"].notna()][::-1],
        )
    )
    sn_codes = sn[[f"sn_{i}" for i in range(1, 11)]].apply(
        lambda col: col.map(lambda n: number_to_code.get(int(n)) if pd.notna(n) else None)
    )
    joined = sn_codes.apply(lambda r: ";".join(c for c in r if c), axis=1)
    by_number = dict(zip(sn["la_number"].astype(int), joined))
    la["neighbours"] = la["la_number"].map(lambda n: by_number.get(int(n)) if pd.notna(n) else None)
    la.loc[~la["area_code"].isin(current), "neighbours"] = None
    aggregates["neighbours"] = None

    frame = pd.concat([aggregates, la], ignore_index=True)
    frame["la_number"] = frame["la_number"].astype("Int64")
    return schema.Areas.validate(frame)


@lru_cache(maxsize=1)
def _current_codes() -> tuple[frozenset[str], str]:
    """ONS codes of the local authorities with any figure (population, count or rate) in
    the latest year of DfE's children-looked-after release, and that year."""

    raw = read_csv_strings(_CURRENT_FROM)
    raw = raw[raw["geographic_level"] == "Local authority"]
    latest = raw["time_period"].max()
    rows = raw[raw["time_period"] == latest]
    figures = [
        c for c in ("population_estimate", "children_count", "rate_per_10000") if c in rows.columns
    ]
    has_figure = rows[figures].apply(lambda col: pd.to_numeric(col, errors="coerce")).notna()
    return frozenset(rows.loc[has_figure.any(axis=1), "new_la_code"]), str(latest)


def current_local_authorities() -> pd.DataFrame:
    """The local authorities that exist now: :func:`areas` rows with any figure in the
    latest year of DfE's children-looked-after release, by name. Abolished councils
    (Cumbria, Northamptonshire, Bournemouth, ...) are left out, whatever files list them.

    >>> current = current_local_authorities()
    >>> len(current), "Cumbria" in set(current["area_name"]), "Cumberland" in set(current["area_name"])
    (153, False, True)
    """
    codes, _ = _current_codes()
    a = areas()
    out = a[(a["area_level"] == "la") & a["area_code"].isin(codes)]
    return out.sort_values("area_name", kind="stable").reset_index(drop=True)


def abolition_note(area_code: str) -> str | None:
    """Why a local authority's code is not current, in words; None for a current one (and
    for England and the regions).

    >>> abolition_note("E10000006")
    'Cumbria was replaced by Cumberland and Westmorland and Furness on 1 April 2023'
    >>> abolition_note("E08000027") is None
    True
    """
    return _abolition_notes().get(str(area_code).strip().upper())


@lru_cache(maxsize=1)
def _abolition_notes() -> dict[str, str]:
    a = areas().set_index("area_code")
    current, _ = _current_codes()
    return {
        code: _abolition_text(a, code)
        for code in a.index[a["area_level"] == "la"]
        if code not in current
    }


def _abolition_text(a: pd.DataFrame, code: str) -> str:
    _, latest = _current_codes()
    name = str(a.loc[code, "area_name"]).removesuffix(" (former)")
    if code in _REPLACED:
        date, successors = _REPLACED[code]
        names = [str(a.loc[c, "area_name"]) for c in successors]
        if names == [name]:
            return (
                f"{name} ({code}) became a unitary council with a new code, "
                f"{successors[0]}, on {date}"
            )
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if name in names:
            return f"The former {name} council ({code}) was replaced by {joined} on {date}"
        return f"{name} was replaced by {joined} on {date}"
    return f"{name} ({code}) has no figures in the latest period ({latest})"


@lru_cache(maxsize=1)
def _number_lookup() -> dict[int, int]:
    """DfE number -> row position in :func:`areas` (the current authority where a number has
    had more than one ONS code)."""
    a = areas()
    out: dict[int, int] = {}
    for pos, number in enumerate(a["la_number"]):
        if pd.notna(number) and int(number) not in out:
            out[int(number)] = pos
    return out


def la_number_to_code(numbers: pd.Series) -> pd.DataFrame:
    """Map a column of DfE 3-digit numbers to area_code, area_name, area_level (vectorised).

    Unknown numbers give missing values; the caller decides what that means.

    >>> la_number_to_code(pd.Series([332, 970]))["area_code"].tolist()
    ['E08000027', 'E92000001']
    """
    a = areas()
    lookup = {n: p for n, p in _number_lookup().items()}
    table = a.iloc[list(lookup.values())][["area_code", "area_name", "area_level"]]
    table.index = pd.Index(list(lookup.keys()), dtype="int64")
    keys = pd.to_numeric(numbers, errors="coerce").astype("Int64")
    out = table.reindex(keys.astype("float64").to_numpy()).reset_index(drop=True)
    out.index = numbers.index
    return out


#: Everyday short names people use for an authority (matched after the decorations go).
_ALIASES = {
    "hull": "kingston upon hull",
    "southend": "southend on sea",
    "stoke": "stoke on trent",
    "telford": "telford and wrekin",
    "brighton": "brighton and hove",
    "newcastle": "newcastle upon tyne",
    "blackburn": "blackburn with darwen",
    "east riding": "east riding of yorkshire",
    "bcp": "bournemouth christchurch and poole",
    "banes": "bath and north east somerset",
    "windsor": "windsor and maidenhead",
}
#: Words around a name that do not change which authority it is ("Dudley MBC", "Leeds City
#: Council", "London Borough of Camden", "Bristol, City of", "County Durham").
_PREFIXES = (
    "the ",
    "city of ",
    "county of ",
    "county ",
    "royal borough of ",
    "london borough of ",
    "metropolitan borough of ",
    "borough of ",
    "council of ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " metropolitan district council",
    " metropolitan borough",
    " borough council",
    " city council",
    " county council",
    " district council",
    " unitary authority",
    " council",
    " mbc",
    " mdc",
    " cc",
    " bc",
    " city of",
    " county of",
    " la",
)


def _norm(text: str) -> str:
    """Case, spacing and punctuation-blind key: "St. Helens" and "st helens" agree.

    >>> _norm("  Stoke-on-Trent "), _norm("St. Helens"), _norm("Windsor & Maidenhead")
    ('stoke on trent', 'st helens', 'windsor and maidenhead')
    """
    text = str(text).lower().replace("&", " and ").replace("\u2019", "'")
    text = re.sub(r"[.,'()\-\u2013/]", " ", text)
    words = ["st" if w == "saint" else w for w in text.split()]
    return " ".join(words)


def _bare(key: str) -> str:
    """A :func:`_norm` key without the words around a name, and with known short names.

    >>> _bare("dudley mbc"), _bare("bristol city of"), _bare("london borough of camden")
    ('dudley', 'bristol', 'camden')
    >>> _bare("county durham"), _bare("hull city council")
    ('durham', 'kingston upon hull')
    """
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, changed = key[len(prefix) :], True
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return _ALIASES.get(key, key)


@lru_cache(maxsize=1)
def _name_index() -> tuple[dict[str, int], dict[str, list[int]]]:
    """Positions in :func:`areas` by exact key and by bare key (a bare key may be shared:
    "London" the region and "City of London")."""
    exact: dict[str, int] = {}
    bare: dict[str, list[int]] = {}
    for pos, name in enumerate(areas()["area_name"]):
        key = _norm(name)
        exact.setdefault(key, pos)
        bare.setdefault(_bare(key), []).append(pos)
    return exact, bare


@lru_cache(maxsize=1)
def _ltla_index() -> dict[str, tuple[str, str, str, str]]:
    """ONS lower-tier code, exact key and bare key -> (ltla code, name, utla code, name)."""
    out: dict[str, tuple[str, str, str, str]] = {}
    for row in read_ltla_utla().itertuples(index=False):
        entry = (row.ltla_code, row.ltla_name, row.utla_code, row.utla_name)
        for key in (row.ltla_code, _norm(row.ltla_name), _bare(_norm(row.ltla_name))):
            out.setdefault(key, entry)
    return out


def _refuse_former(row: pd.Series, text: str) -> None:
    note = abolition_note(str(row["area_code"]))
    if note is not None:
        raise UnknownAreaError(
            f"{text!r} is not a current local authority: {note}",
            hint=f"Ask for its successor; for figures from before then use its ONS code "
            f"({row['area_code']}).",
        )


def find_area(query: str | int) -> pd.Series:
    """One area by name (as people write it), ONS code (any case), or DfE 3-digit number.

    A former council's code or number finds it (older figures are keyed by it); its name
    is refused with what replaced it. A district, or a council outside England, is refused
    with its upper-tier council: children's services are run by the county.

    Raises:
        UnknownAreaError: nothing matches, a district, a Welsh council or a former council
            by name; the message says why and suggests close names.

    >>> find_area("E08000035")["area_name"], find_area("e08000035")["area_name"]
    ('Leeds', 'Leeds')
    >>> find_area("Herefordshire")["area_name"], find_area("bristol")["area_name"]
    ('Herefordshire, County of', 'Bristol, City of')
    >>> find_area("Cheltenham")
    Traceback (most recent call last):
    ...
    perf.errors.UnknownAreaError: 'Cheltenham' is a district council, not a children's services authority: its upper-tier council is Gloucestershire (E10000013). Use 'Gloucestershire'.
    >>> find_area("Cumbria")
    Traceback (most recent call last):
    ...
    perf.errors.UnknownAreaError: 'Cumbria' is not a current local authority: Cumbria was replaced by Cumberland and Westmorland and Furness on 1 April 2023. ...
    >>> find_area("Dudly")
    Traceback (most recent call last):
    ...
    perf.errors.UnknownAreaError: no area called 'Dudly'. Did you mean: Dudley?
    """
    a = areas()
    text = str(query).strip()
    if text.isdigit() and len(text) <= 4:
        pos = _number_lookup().get(int(text))
        if pos is not None:
            return a.iloc[pos]
    else:
        upper = text.upper()
        hit = a.index[a["area_code"] == upper]
        if len(hit):
            return a.loc[hit[0]]
        exact, bare = _name_index()
        key = _norm(text)
        if key in exact:
            row = a.iloc[exact[key]]
            _refuse_former(row, text)
            return row
        candidates = bare.get(_bare(key), [])
        if len(candidates) > 1:
            current = [p for p in candidates if abolition_note(a.iloc[p]["area_code"]) is None]
            candidates = current if len(current) == 1 else candidates
        if len(candidates) == 1:
            row = a.iloc[candidates[0]]
            _refuse_former(row, text)
            return row
        if len(candidates) > 1:
            names = [str(a.iloc[p]["area_name"]) for p in candidates]
            raise UnknownAreaError(
                f"{text!r} could be any of: {', '.join(names)}",
                hint="Give the full name or the ONS code.",
            )
        ltla = _ltla_index()
        match = ltla.get(upper) or ltla.get(key) or ltla.get(_bare(key))
        if match is not None:
            ltla_code, ltla_name, utla_code, utla_name = match
            if not ltla_code.startswith("E"):
                raise UnknownAreaError(
                    f"{text!r} ({ltla_name}, {ltla_code}) is not an English council",
                    hint="perf covers English children's services authorities.",
                )
            if ltla_code != utla_code:
                raise UnknownAreaError(
                    f"{text!r} is a district council, not a children's services authority: "
                    f"its upper-tier council is {utla_name} ({utla_code})",
                    hint=f"Use {utla_name!r}.",
                )
    close = _suggestions(text)
    # names can hold commas ("Bristol, City of"), so the list is joined with semicolons
    hint = (
        f"Did you mean: {'; '.join(close)}?"
        if close
        else ("Give an authority's name, ONS code (e.g. E08000027) or DfE number (e.g. 332).")
    )
    raise UnknownAreaError(f"no area called {text!r}", hint=hint)


def _suggestions(text: str, n: int = 3) -> list[str]:
    """Close names, current authorities first: names the query begins ("Kingston"), then
    near spellings compared without the words around names ("Herefordshre")."""
    a = areas()
    names = [str(x) for x in a["area_name"]]
    current = [x for x, code in zip(names, a["area_code"]) if abolition_note(code) is None]
    ordered = list(dict.fromkeys(current + names))
    by_bare: dict[str, str] = {}
    for name in ordered:
        by_bare.setdefault(_bare(_norm(name)), name)
    key = _bare(_norm(text))
    if not key:
        return []
    starts = [name for bare, name in by_bare.items() if bare.startswith(key + " ")]
    close = difflib.get_close_matches(key, list(by_bare), n=n, cutoff=0.6)
    return list(dict.fromkeys(starts + [by_bare[c] for c in close]))[:n]


def resolve_area_codes(
    values: pd.Series, *, file: str, rows: pd.Series | None = None, column: str = "area_code"
) -> pd.DataFrame:
    """A local file's area column -> ``area_code``, ``area_name``, ``area_level`` of known
    areas: an ONS code in any case, a DfE number or a name as people write it. Anything
    else is refused, never made a new area (a new area's rows would reach no briefing).

    Args:
        values: the column's cells (blank cells are the caller's to refuse first).
        file, rows, column: for the error: the file name, each cell's spreadsheet row.

    Raises:
        UnknownAreaError: naming file, the first row with the value, the column and why
            (no such area, a district and its county, a former council and its successor).

    >>> resolve_area_codes(pd.Series(["e08000035", "Leeds City Council", "332"]),
    ...                    file="obs.csv")["area_code"].tolist()
    ['E08000035', 'E08000035', 'E08000027']
    >>> resolve_area_codes(pd.Series(["E08000035", "Cheltenham"]), file="obs.csv",
    ...                    rows=pd.Series([2, 3]))
    Traceback (most recent call last):
    ...
    perf.errors.UnknownAreaError: obs.csv, row 3, column 'area_code': 'Cheltenham' is a district council, ...
    """
    text = values.astype(str).str.strip()
    rows = rows if rows is not None else pd.Series(range(2, len(text) + 2), index=text.index)
    found: dict[str, tuple[str, str, str]] = {}
    for value in pd.unique(text):
        try:
            row = find_area(value)
        except UnknownAreaError as exc:
            first = int(rows[text == value].iloc[0])
            raise UnknownAreaError(
                exc.message, file=file, row=first, column=column, hint=exc.hint
            ) from None
        found[value] = (str(row["area_code"]), str(row["area_name"]), str(row["area_level"]))
    table = pd.DataFrame(
        [found[v] for v in text], index=text.index, columns=["area_code", "area_name", "area_level"]
    )
    return table


# --- statistical neighbours ----------------------------------------------------------------


def neighbour_set_name(model: str = "2025") -> str:
    """The name of a neighbour set, for every table and chart that uses it.

    >>> neighbour_set_name()
    'DfE statistical neighbours, 2025 model'
    """
    _check_model(model)
    return NEIGHBOUR_MODELS[str(model)]


def _check_model(model: str) -> None:
    if str(model) not in NEIGHBOUR_MODELS:
        raise ParameterError(
            f"unknown statistical-neighbour model {model!r}",
            hint=f"Use one of: {', '.join(NEIGHBOUR_MODELS)}.",
        )


@lru_cache(maxsize=1)
def _neighbours_2021() -> dict[int, tuple[str, ...]]:
    """DfE number -> ONS codes of its neighbours under the 2021 model (each number mapped to
    the authority that holds it now, as the 2025 set is). Read from a workbook, so kept on
    disk between processes like :func:`areas` (a render's matrix ranks under both models)."""
    return cached_pickle("neighbours-2021", _build_neighbours_2021, extra=pd.__version__)


def _build_neighbours_2021() -> dict[int, tuple[str, ...]]:
    a = areas()
    lookup = _number_lookup()
    out: dict[int, tuple[str, ...]] = {}
    for row in read_sn_xlsx(_SN_2021).itertuples(index=False):
        numbers = [getattr(row, f"sn_{i}") for i in range(1, 11)]
        codes = tuple(
            str(a.iloc[lookup[int(n)]]["area_code"])
            for n in numbers
            if pd.notna(n) and int(n) in lookup
        )
        if codes:
            out[int(row.la_number)] = codes
    return out


def neighbours(area_code: str, model: str = "2025") -> list[str]:
    """ONS codes of an authority's 10 statistical neighbours, closest first, under DfE's
    ``"2025"`` model (the current one) or the ``"2021"`` model it replaced.

    Raises:
        UnknownAreaError: the authority has no neighbours in that model (an authority created
            after it, such as Cumberland in the 2021 model, or a former one in the 2025 model).
        ParameterError: an unknown model.

    >>> neighbours("E08000027")[0] == find_area("Wakefield")["area_code"]
    True
    >>> neighbours("E08000027", model="2021")[0] == find_area("Rotherham")["area_code"]
    True
    """
    _check_model(model)
    row = find_area(area_code)
    if str(model) == "2025":
        value = row["neighbours"]
        if isinstance(value, str) and value:
            return value.split(";")
    else:
        number = row["la_number"]
        found = _neighbours_2021().get(int(number)) if pd.notna(number) else None
        if found:
            return list(found)
    raise UnknownAreaError(
        f"{row['area_name']} has no statistical neighbours in the {model} model",
        hint="The 2021 model predates the councils created in 2023; the 2025 model covers "
        "current local authorities only.",
    )


@dataclass(frozen=True)
class NeighbourMean:
    """The statistical-neighbour mean of one indicator and period, and who it covers."""

    area_code: str
    indicator: str
    period: str
    model: str
    set_name: str
    #: the plain mean of the neighbours that have a figure; None when none has.
    mean: float | None
    neighbours: tuple[str, ...]
    with_data: tuple[str, ...]
    lacking: tuple[str, ...]
    #: names of the neighbours without a figure, with the source's symbol where given.
    lacking_names: tuple[str, ...]

    @property
    def n(self) -> int:
        """How many neighbours the mean is of."""
        return len(self.with_data)

    @property
    def note(self) -> str:
        """What the mean covers, in words (for a table note or a chart caption)."""
        of = f"{self.n} of {len(self.neighbours)}"
        if self.mean is None:
            return (
                f"No statistical-neighbour mean: none of the {len(self.neighbours)} "
                f"neighbours ({self.set_name}) has a figure."
            )
        text = f"Mean of {of} statistical neighbours ({self.set_name})"
        if self.lacking_names:
            names = list(self.lacking_names)
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            text += f"; no figure for {joined}"
        return text + "."


def neighbour_mean(
    frame: pd.DataFrame, area_code: str, indicator: str, period: str, *, model: str = "2025"
) -> NeighbourMean:
    """The mean of the statistical neighbours' figures for one indicator and period, from
    the neighbours that have one, saying which lacked it (no row, or a suppressed value).
    Does not modify ``frame``.

    >>> import pandas as pd
    >>> nbs = neighbours("E08000027")
    >>> frame = pd.DataFrame({"indicator": "x", "period": "2025", "area_code": nbs[:3],
    ...                       "value": [10.0, 20.0, float("nan")], "flag": [None, None, "c"]})
    >>> result = neighbour_mean(frame, "E08000027", "x", "2025")
    >>> result.mean, result.n, len(result.lacking)
    (15.0, 2, 8)
    >>> result.note.split(";")[0]
    'Mean of 2 of 10 statistical neighbours (DfE statistical neighbours, 2025 model)'
    """
    rows = rows_of(frame, indicator, period)
    value = dict(zip(rows["area_code"], rows["value"].astype("float64")))
    flag = dict(zip(rows["area_code"], rows["flag"])) if "flag" in rows.columns else {}
    return neighbour_mean_of(value, flag, area_code, indicator, period, model=model)


def neighbour_mean_of(
    value: Mapping[str, float],
    flag: Mapping[str, object],
    area_code: str,
    indicator: str,
    period: str,
    *,
    model: str = "2025",
    codes: Sequence[str] | None = None,
) -> NeighbourMean:
    """:func:`neighbour_mean` from each area's figure and flag (area code -> value, -> flag)
    already looked up: the one computation, for callers that hold them. ``codes``: the
    council's neighbours in ``model`` when already known (``area_code`` is then taken to be
    an ONS code as given).

    >>> nbs = neighbours("E08000027")
    >>> neighbour_mean_of({nbs[0]: 10.0, nbs[1]: 30.0}, {}, "E08000027", "x", "2025").mean
    20.0
    """
    known = codes is not None
    codes = tuple(codes) if codes is not None else tuple(neighbours(area_code, model))
    with_data = tuple(c for c in codes if pd.notna(value.get(c, np.nan)))
    lacking = tuple(c for c in codes if c not in with_data)
    names = _area_names()

    def described(code: str) -> str:
        symbol = flag.get(code)
        name = str(names.get(code, code))
        return f"{name} ({symbol})" if isinstance(symbol, str) and symbol else name

    mean = float(np.mean([value[c] for c in with_data])) if with_data else None
    return NeighbourMean(
        area_code=str(area_code) if known else str(find_area(area_code)["area_code"]),
        indicator=indicator,
        period=period,
        model=str(model),
        set_name=neighbour_set_name(model),
        mean=mean,
        neighbours=codes,
        with_data=with_data,
        lacking=lacking,
        lacking_names=tuple(described(c) for c in lacking),
    )


@lru_cache(maxsize=1)
def _area_names() -> dict[str, str]:
    frame = areas()
    return dict(zip(frame["area_code"].astype(str), frame["area_name"].astype(str)))


def area_index(key) -> dict[str, str]:
    """Every name, ONS code, DfE number and district :func:`find_area` accepts, as
    ``key(query)`` -> the name of the area it finds. The command line caches this (with the
    ``key`` it matches by) so that a known area is checked without pandas.

    >>> index = area_index(str.lower)
    >>> index["leeds"], index["e08000027"], index["332"]
    ('Leeds', 'Dudley', 'Dudley')
    """
    frame = areas()
    queries = [
        *frame["area_code"],
        *frame["area_name"],
        *(str(int(n)) for n in frame["la_number"].dropna()),
    ]
    ltla = read_ltla_utla()
    queries += [*ltla["ltla_code"], *ltla["ltla_name"]]
    index: dict[str, str] = {}
    for query in dict.fromkeys(str(q) for q in queries):
        k = key(query)
        if k in index:
            continue
        try:
            index[k] = str(find_area(query)["area_name"])
        except PerfError:
            continue
    return index


class _CallableModule(types.ModuleType):
    """This module, callable: ``perf.areas()`` is how an analyst lists the areas, and
    ``perf.areas`` is this module whatever was imported first (a function exported under a
    submodule's name is silently replaced by the module when the submodule is imported)."""

    def __call__(self, level: str | None = None) -> pd.DataFrame:
        """Every area (a copy of :func:`areas`): ONS code, DfE number, name, level, region
        and statistical neighbours; ``level`` (``england``, ``region`` or ``la``) to choose.

        >>> import perf
        >>> las = perf.areas("la")
        >>> las.set_index("area_name").loc["Leeds", ["area_code", "region_name"]].tolist()
        ['E08000035', 'Yorkshire and The Humber']
        >>> perf.areas("county")
        Traceback (most recent call last):
        ...
        perf.errors.BadValueError: unknown area level 'county'. Use england, region, la.
        """
        frame = areas()
        if level is not None:
            known = sorted(frame["area_level"].unique(), key=["england", "region", "la"].index)
            if level not in known:
                raise BadValueError(
                    f"unknown area level {level!r}", hint=f"Use {', '.join(known)}."
                )
            frame = frame[frame["area_level"] == level]
        return frame.reset_index(drop=True).copy()


sys.modules[__name__].__class__ = _CallableModule
