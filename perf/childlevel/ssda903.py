"""Read a council's SSDA903 return (children looked after) into checked child-level frames.

The return comes as a folder of CSV tables or as one XML file (DfE accepts both; the
tables and their columns are DfE's, as summarised in ``SSDA903_COLUMNS.md``: "Children
looked after by local authorities in England: guide to the SSDA903 collection" and its
technical specification). A CSV is recognised by its header alone: the exact set of a
table's columns, in any order and case, optionally with the ``LA`` and ``YEAR`` columns of
the stacked layout several councils' and years' returns share (Social Finance's
cs-demand-model samples). Dates are day first (``dd/mm/yyyy``; ISO dates are read too);
sex is ``1``/``2`` (the rules up to 2023-24) or ``M``/``F``/``U`` (from 2024-25).

Several years' returns may sit together: each table's files are told apart by the year in
their name or their ``YEAR`` column. An episode in more than one year's return counts once
(child and start date), as the latest return records it. Two files for the same table,
council and year must hold the same records, or the reader stops (two returns that
disagree). An episode the latest year's return no longer holds, though an earlier return
had it open at that year's end, is taken to have ended at the end of that year, and is not
counted as a child leaving care (a warning says how many).

Only counts leave this package (:mod:`perf.childlevel.observations`). The frames here
replace each child's identifier by a number (``child``), and no error or log line quotes
an identifier or a date (:mod:`perf.childlevel.common`).

Examples:
    >>> from perf import config
    >>> r = read_ssda903(config.TESTS_DIR / "fixtures" / "returns" / "ssda903_sample")
    >>> sorted(r.spans)
    ['E09000006', 'E09000017', 'E09000028']
    >>> r.spans["E09000006"]  # YEAR 2017 to 2021, each the year starting 1 April YEAR
    [Span(start=datetime.date(2017, 4, 1), end=datetime.date(2022, 3, 31))]
    >>> sorted(r.episodes.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['area_code', 'child', 'cin', 'dec', 'decom', 'file', 'ls', 'place', 'rec', 'rne', 'row',
     'year']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from perf.areas import find_area
from perf.childlevel.common import (
    AnotherCouncilError,
    DisagreeingReturnsError,
    Span,
    area_in_names,
    check_codes,
    collection_year,
    covered_by_name,
    is_synthetic,
    located,
    merge_spans,
    parse_dates,
    warn,
    year_span,
)
from perf.childlevel.safexml import parse_safely, records, root_tag
from perf.config import get_logger
from perf.errors import BadValueError, EmptyFileError, FileFormatError, PerfError
from perf.loaders.common import file_header, read_csv_strings

__all__ = [
    "CODES",
    "SHORT_BREAKS",
    "TABLES",
    "SSDA903",
    "is_table",
    "read_ssda903",
    "table_of",
]

log = get_logger()

#: Each table's columns (DfE's names), as the return's CSV files carry them.
TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "PlacedAdoption": (
        "CHILD",
        "DOB",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    ),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}
#: The columns of the stacked layout (several councils' and years' returns in one file).
STACKED = ("LA", "YEAR")
#: Tables every return has: without them no figure can be computed.
REQUIRED = ("Episodes", "Header")

_PLACES = (
    [f"A{i}" for i in range(3, 7)]
    + ["H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1"]
    + [f"T{i}" for i in range(5)]
    + [f"U{i}" for i in range(1, 7)]
    + ["Z1", "Z11", "Z12", "Z13", "Z14"]
)
#: The codes each column accepts (every year's rules from 2022-23 to 2026-27 together).
CODES: dict[str, frozenset[str]] = {
    "RNE": frozenset("S L P T B U".split()),
    "LS": frozenset("C1 C2 D1 E1 V2 V3 V4 J1 J2 J3 L1 L2 L3".split()),
    "PLACE": frozenset(_PLACES),
    "REC": frozenset(
        "X1 E2 E3 E4A E4B E5 E6 E7 E8 E9 E11 E12 E13 E14 E15 E16 E17 E41 E45 E46 E47 E48".split()
    ),
    "CIN": frozenset(f"N{i}" for i in range(1, 9)),
    "SEX": frozenset({"1", "2", "M", "F", "U"}),
    "MISSING": frozenset({"M", "A"}),
    "IN_TOUCH": frozenset("YES NO DIED REFU NREQ RHOM".split()),
    "ACTIV": frozenset("F1 P1 F2 P2 F4 P4 F5 P5 G4 G5 G6 0".split()),
    "ACCOM": frozenset([f"{c}{d}" for c in "BCDEGHKRTUVWYZ" for d in "12"] + ["S2", "X2", "0"]),
}
#: Legal statuses of a child looked after under an agreed series of short-term breaks:
#: DfE's figures leave these children out "unless otherwise stated" (DfE, Children looked
#: after in England including adoptions, data guidance).
SHORT_BREAKS = frozenset({"V3", "V4"})
_WHAT = {
    "RNE": "reason for new episode",
    "LS": "legal status",
    "PLACE": "placement type",
    "REC": "reason episode ceased",
    "CIN": "category of need",
    "SEX": "sex",
    "MISSING": "missing or away",
    "IN_TOUCH": "in touch",
    "ACTIV": "activity",
    "ACCOM": "accommodation",
}
_TABLE_OF = {frozenset(cols): name for name, cols in TABLES.items()}  # exact column sets -> table


def table_of(columns) -> str | None:
    """The SSDA903 table a CSV header is (its columns in any order and case, with or without
    the stacked layout's ``LA`` and ``YEAR``, and Header with or without a ``UASC`` flag).

    >>> table_of(["child", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC",
    ...           "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN", "LA", "YEAR"])
    'Episodes'
    >>> table_of(["CHILD", "DOB"]) is None
    True
    """
    names = frozenset(str(c).strip().upper() for c in columns) - set(STACKED)
    found = _TABLE_OF.get(names)
    if found is None and "UASC" in names:
        found = "Header" if _TABLE_OF.get(names - {"UASC"}) == "Header" else None
    return found


def is_table(columns) -> bool:
    """Whether a CSV header is one of the SSDA903 tables."""
    return table_of(columns) is not None


@dataclass(frozen=True)
class SSDA903:
    """One folder's (or XML file's) SSDA903 records, checked; children as numbers.

    ``episodes``: area_code, child, decom, dec, rne, ls, cin, place, rec, year, file, row
    (one row per episode, the latest return's record). ``header``: area_code, child, sex,
    dob. ``missing``: area_code, child, missing, start, end. ``oc3``: area_code, child, dob,
    in_touch, activ, accom, year. ``ad1``: area_code, child, date_int, date_match.
    ``spans``: for each council, the days its returns cover. ``files``: the files read.
    """

    episodes: pd.DataFrame = field(repr=False)
    header: pd.DataFrame = field(repr=False)
    missing: pd.DataFrame | None = field(repr=False)
    oc3: pd.DataFrame | None = field(repr=False)
    ad1: pd.DataFrame | None = field(repr=False)
    spans: dict[str, list[Span]]
    files: tuple[str, ...]
    name: str
    synthetic: bool = False
    warnings: tuple[str, ...] = ()

    def tables(self) -> tuple[str, ...]:
        """The tables this return holds among those the definitions read."""
        optional = (("Missing", self.missing), ("OC3", self.oc3), ("AD1", self.ad1))
        return ("Episodes", "Header", *(name for name, frame in optional if frame is not None))


# -- raw tables --------------------------------------------------------------------------


@dataclass
class _Raw:
    """One table as read: every cell text, upper-case column names, ``_row`` its location."""

    table: str
    frame: pd.DataFrame
    file: str
    names: tuple[str, ...]  # the file's name, then its folder's and the folder above's
    xml: bool = False


def _read_csv(path: Path, table: str, names: tuple[str, ...]) -> _Raw:
    try:
        frame = read_csv_strings(path)
    except EmptyFileError:  # a table with no records this year (no child went missing)
        frame = pd.DataFrame(columns=file_header(path), dtype=str)
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    frame["_row"] = np.arange(2, len(frame) + 2)
    return _Raw(table, frame, path.name, names)


def _csv_tables(folder: Path) -> list[_Raw]:
    up = (folder.name, folder.parent.name)
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".csv", ".tsv", ".txt") or not path.is_file():
            continue
        try:
            header = file_header(path)
        except PerfError:
            continue
        table = table_of(header)
        if table is not None:
            found.append(_read_csv(path, table, (path.name, *up)))
    return found


#: XML element -> table column where DfE's XML tag differs from the CSV column.
_XML_RENAME = {"CHILDID": "CHILD", "PL": "PLACE"}


def _xml_tables(path: Path) -> list[_Raw]:
    root = parse_safely(path, expect="EXPSSDA903", what="an SSDA903 return")
    rows: dict[str, list[dict]] = {t: [] for t in ("Header", "Episodes", "Missing", "OC3", "AD1")}
    for child in root.iter("CHILD"):
        head = child.find("HEADER")
        if head is None:
            raise located(
                FileFormatError,
                "a CHILD element has no HEADER",
                file=path.name,
                row=child.sourceline,
                column="CHILD",
                xml=True,
                hint="Each CHILD holds one HEADER, then its EPISODE elements.",
            )
        item = records(head, _XML_RENAME)
        ident = item.get("CHILD", "")
        rows["Header"].append(item)
        if any(k in item for k in ("IN_TOUCH", "ACTIV", "ACCOM")):
            rows["OC3"].append({k: item.get(k, "") for k in TABLES["OC3"]} | {"_row": item["_row"]})
        if any(k in item for k in ("DATE_INT", "DATE_MATCH")):
            rows["AD1"].append({k: item.get(k, "") for k in TABLES["AD1"]} | {"_row": item["_row"]})
        for missing in head.iter("AMISSING"):
            rows["Missing"].append(records(missing, _XML_RENAME) | {"CHILD": ident})
        for episode in child.iter("EPISODE"):
            rows["Episodes"].append(records(episode, _XML_RENAME) | {"CHILD": ident})
    up = (path.name, path.parent.name, path.parent.parent.name)
    out = []
    for table, found in rows.items():
        if table != "Header" and not found and table != "Episodes":
            continue
        frame = pd.DataFrame(found, columns=[*TABLES[table], "_row"])
        frame["_row"] = pd.to_numeric(frame["_row"]).fillna(0).astype(int)
        frame[list(TABLES[table])] = frame[list(TABLES[table])].astype(object).fillna("")
        out.append(_Raw(table, frame, path.name, up, xml=True))
    return out


# -- councils and years ------------------------------------------------------------------


def _codes_of_councils(raw: _Raw) -> np.ndarray:
    """Each row's council (ONS code): the LA column where the table has one, else the
    council the file or its folders are named for. Also checks the two agree."""
    named = area_in_names(raw.names)
    file_named = area_in_names(raw.names[:1])
    if file_named is not None and named is not None:
        folder_named = area_in_names(raw.names[1:])
        if folder_named is not None and folder_named["area_code"] != file_named["area_code"]:
            raise AnotherCouncilError(
                f"this file is named for {file_named['area_name']} but sits in a folder named "
                f"for {folder_named['area_name']}",
                file=raw.file,
                hint="Keep each council's returns in a folder named for that council.",
            )
    if "LA" not in raw.frame.columns:
        if named is None:
            raise FileFormatError(
                "which council this return is for cannot be told: neither the file nor its "
                "folder is named for a council, and it has no LA column",
                file=raw.file,
                hint="Name the folder after the council, e.g. dudley_ssda903_2025-26.",
            )
        return np.full(len(raw.frame), str(named["area_code"]), dtype=object)
    cells = raw.frame["LA"].str.strip()
    codes, uniques = pd.factorize(cells)
    resolved = []
    for i, text in enumerate(uniques):
        try:
            row = find_area(text)
        except PerfError:
            at = int(np.argmax(codes == i))
            raise located(
                BadValueError,
                "not a council perf knows",
                file=raw.file,
                row=int(raw.frame["_row"].iloc[at]),
                column="LA",
                hint="Give the council's name, ONS code or DfE number.",
            ) from None
        resolved.append(str(row["area_code"]))
        if named is not None and resolved[-1] != str(named["area_code"]):
            at = int(np.argmax(codes == i))
            raise located(
                AnotherCouncilError,
                f"this is {row['area_name']}'s return, but the file or its folder is named for "
                f"{named['area_name']}",
                file=raw.file,
                row=int(raw.frame["_row"].iloc[at]),
                column="LA",
                xml=raw.xml,
                hint=f"Move it to a folder for {row['area_name']}, or name the folder for "
                "neither council.",
            )
    return np.array(resolved, dtype=object)[codes]


def _years(raw: _Raw) -> tuple[np.ndarray, date | None]:
    """Each row's collection year (the year it ends in; 0 when not yet known) and the
    extract date the names give."""
    year, extract = covered_by_name(raw.names)
    if "YEAR" in raw.frame.columns:
        cells = raw.frame["YEAR"].str.strip()
        ok = cells.str.fullmatch(r"(19|20)\d{2}")
        if not ok.all():
            at = int(np.argmax(~ok.to_numpy()))
            raise located(
                BadValueError,
                "not a year",
                file=raw.file,
                row=int(raw.frame["_row"].iloc[at]),
                column="YEAR",
                hint="Write the collection year as four digits, e.g. 2021.",
            )
        return cells.astype(int).to_numpy(), extract
    return np.full(len(raw.frame), year or 0, dtype=int), extract


def _year_convention(raws: list[_Raw], decom: dict, dec: dict) -> int:
    """How the stacked layout's YEAR names a collection year: 0 when YEAR is the year it
    ends in (DfE's naming), 1 when it is the year it starts in. Decided on the episodes:
    every episode of a return must fall (at least in part) in its year."""
    fits = {0: True, 1: True}
    for raw in raws:
        if raw.table != "Episodes" or "YEAR" not in raw.frame.columns:
            continue
        year = raw.frame["YEAR"].astype(int).to_numpy()
        start, end = decom[id(raw)], dec[id(raw)]
        for shift in (0, 1):
            first = pd.to_datetime([f"{y - 1 + shift}-04-01" for y in year]).to_numpy()
            last = pd.to_datetime([f"{y + shift}-03-31" for y in year]).to_numpy()
            inside = (start <= last) & (np.isnat(end) | (end >= first))
            fits[shift] = fits[shift] and bool(inside.all())
    if fits[0] or not fits[1]:
        return 0
    log.info("the YEAR column names the year each return starts in (1 April YEAR)")
    return 1


# -- assembling --------------------------------------------------------------------------


def _dedupe_files(raws: list[_Raw], councils: dict, years: dict) -> dict[str, pd.DataFrame]:
    """Each table's rows from every file, with a file's rows for a council and year given
    once: a second file for the same table, council and year must hold the same records."""
    tables: dict[str, list[pd.DataFrame]] = {}
    seen: dict[tuple[str, str, int], tuple[str, pd.DataFrame]] = {}
    for raw in raws:
        frame = raw.frame.assign(
            _area=councils[id(raw)], _year=years[id(raw)], _file=raw.file, _xml=raw.xml
        )
        content = [c for c in TABLES[raw.table] if c in frame.columns]
        keep = []
        for (area, year), part in frame.groupby(["_area", "_year"], sort=False):
            key = (raw.table, area, int(year))
            if key in seen and seen[key][0] != raw.file:
                other_file, other = seen[key]
                _same_records(other_file, other[content], raw.file, part, content, raw)
                continue
            seen[key] = (raw.file, part)
            keep.append(part)
        tables.setdefault(raw.table, []).extend(keep or [frame.iloc[0:0]])
    return {t: pd.concat(parts, ignore_index=True) for t, parts in tables.items()}


def _same_records(first: str, other: pd.DataFrame, file: str, part, content, raw) -> None:
    mine = part[content].astype(str).apply(lambda c: c.str.strip())
    theirs = other.astype(str).apply(lambda c: c.str.strip())
    known = set(map(tuple, theirs.to_numpy()))
    for pos, record in enumerate(map(tuple, mine.to_numpy())):
        if record not in known:
            year = int(part["_year"].iloc[0])
            raise located(
                DisagreeingReturnsError,
                f"two {raw.table} tables for the {year - 1}-{year % 100:02d} return disagree: "
                f"this row is not in {first}",
                file=file,
                row=int(part["_row"].iloc[pos]),
                xml=raw.xml,
                hint="Keep one return for each year (the later, corrected one).",
            )
    if len(set(map(tuple, mine.to_numpy()))) != len(known):
        raise DisagreeingReturnsError(
            f"two {raw.table} tables for the same year disagree: {first} holds records "
            "this file does not",
            file=file,
            hint="Keep one return for each year (the later, corrected one).",
        )


def _dates(table: pd.DataFrame, column: str, *, required: bool = False) -> np.ndarray:
    out = np.empty(len(table), dtype="datetime64[ns]")
    for file, part in table.groupby("_file", sort=False):
        idx = part.index.to_numpy()
        xml = bool(part["_xml"].iloc[0])
        values = parse_dates(
            part[column], file=file, column=column, rows=part["_row"].to_numpy(), xml=xml
        )
        if required and np.isnat(values).any():
            at = int(np.argmax(np.isnat(values)))
            raise located(
                BadValueError,
                "this date is blank",
                file=file,
                row=int(part["_row"].iloc[at]),
                column=column,
                xml=xml,
                hint="Every record needs this date (dd/mm/yyyy).",
            )
        out[idx] = values
    return out


def _codes(table: pd.DataFrame, column: str, *, blank: bool = False) -> np.ndarray:
    out = np.empty(len(table), dtype=object)
    for file, part in table.groupby("_file", sort=False):
        out[part.index.to_numpy()] = check_codes(
            part[column],
            CODES[column],
            file=file,
            column=column,
            rows=part["_row"].to_numpy(),
            what=_WHAT[column],
            blank=blank,
            xml=bool(part["_xml"].iloc[0]),
        ).to_numpy()
    return out


def _fail_at(table: pd.DataFrame, at: int, cls, message: str, column: str, hint: str):
    return located(
        cls,
        message,
        file=str(table["_file"].iloc[at]),
        row=int(table["_row"].iloc[at]),
        column=column,
        xml=bool(table["_xml"].iloc[at]),
        hint=hint,
    )


def _children(*frames: pd.DataFrame) -> dict[tuple[str, str], int]:
    """A number for each (council, child identifier) over every table."""
    keys = pd.concat(
        [f[["_area", "CHILD"]].astype(str) for f in frames if f is not None], ignore_index=True
    )
    keys["CHILD"] = keys["CHILD"].str.strip()
    uniq = keys.drop_duplicates().reset_index(drop=True)
    return {k: i for i, k in enumerate(zip(uniq["_area"], uniq["CHILD"]))}


def _child_numbers(frame: pd.DataFrame, numbers: dict) -> np.ndarray:
    ids = frame["CHILD"].astype(str).str.strip()
    return np.array([numbers[k] for k in zip(frame["_area"], ids)], dtype=np.int64)


def _latest(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """One row per ``key``: the latest year's (the later file's on a tie)."""
    order = frame.sort_values("year", kind="mergesort")
    return order.drop_duplicates(key, keep="last").sort_index()


def _span(
    table: pd.DataFrame, start_column: str, end_column: str, what: str, hint: str
) -> tuple[np.ndarray, np.ndarray]:
    """A table's start dates (required) and end dates (optional), refusing the first row
    that ends before it starts, by its row and end column."""
    start = _dates(table, start_column, required=True)
    end = _dates(table, end_column)
    backwards = ~np.isnat(end) & (end < start)
    if backwards.any():
        raise _fail_at(
            table,
            int(np.argmax(backwards)),
            BadValueError,
            f"{what} ends before it starts ({end_column} is before {start_column})",
            end_column,
            hint,
        )
    return start, end


def _episodes(table: pd.DataFrame, numbers: dict) -> pd.DataFrame:
    table = table.reset_index(drop=True)
    decom, dec = _span(
        table,
        "DECOM",
        "DEC",
        "the episode",
        "Check both dates: DEC is the day the episode ended, DECOM the day it began.",
    )
    out = pd.DataFrame(
        {
            "area_code": table["_area"].astype(str),
            "child": _child_numbers(table, numbers),
            "decom": decom,
            "dec": dec,
            "rne": _codes(table, "RNE"),
            "ls": _codes(table, "LS"),
            "cin": _codes(table, "CIN", blank=True),
            "place": _codes(table, "PLACE"),
            "rec": _codes(table, "REC", blank=True),
            "year": table["_year"].astype(int).to_numpy(),
            "file": table["_file"].astype(str),
            "row": table["_row"].astype(int).to_numpy(),
            "xml": table["_xml"].astype(bool).to_numpy(),
        }
    )
    # A reason for ceasing belongs to an episode that has ended (some extracts fill it in
    # on open episodes too): without DEC it says nothing.
    out.loc[out["dec"].isna(), "rec"] = ""
    return out


def _censor(episodes: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """Episodes open at the end of a year whose council's later return no longer holds
    them: ended with that year (the day after its 31 March), not counted as leaving care."""
    last = episodes.groupby("area_code")["year"].transform("max")
    lost = episodes["dec"].isna() & (episodes["year"] < last)
    if lost.any():
        first = episodes[lost].iloc[0]
        warnings.append(
            warn(
                f"{int(lost.sum())} episode(s) open at the end of one year's return are not in "
                "the next year's return: each is taken to end with its year (first: this row)",
                file=str(first["file"]),
                row=int(first["row"]),
                xml=bool(first["xml"]),
            )
        )
        episodes = episodes.copy()
        ends = pd.to_datetime([f"{y}-04-01" for y in episodes.loc[lost, "year"]])
        episodes.loc[lost, "dec"] = ends.to_numpy()
        episodes.loc[lost, "rec"] = ""
    return episodes


def _overlaps(episodes: pd.DataFrame, warnings: list[str]) -> None:
    """Warn (file and row only) when a child's episodes overlap: a child is counted once on
    any day whichever episode is open, and for placements an episode is taken to end where
    the next begins."""
    order = episodes.sort_values(["area_code", "child", "decom"], kind="mergesort")
    end = order["dec"].fillna(pd.Timestamp.max).to_numpy()
    same = (order["child"].to_numpy()[1:] == order["child"].to_numpy()[:-1]) & (
        order["area_code"].to_numpy()[1:] == order["area_code"].to_numpy()[:-1]
    )
    overlap = same & (order["decom"].to_numpy()[1:] < end[:-1])
    if overlap.any():
        first = order.iloc[int(np.argmax(overlap)) + 1]
        warnings.append(
            warn(
                f"{int(overlap.sum())} episode(s) start before the same child's previous "
                "episode ends (first: this row): each child is counted once a day, and the "
                "earlier episode is taken to end where the later begins",
                file=str(first["file"]),
                row=int(first["row"]),
                xml=bool(first["xml"]),
            )
        )


def _header(table: pd.DataFrame, numbers: dict) -> pd.DataFrame:
    table = table.reset_index(drop=True)
    out = pd.DataFrame(
        {
            "area_code": table["_area"].astype(str),
            "child": _child_numbers(table, numbers),
            "sex": pd.Series(_codes(table, "SEX")).replace({"1": "M", "2": "F"}).to_numpy(),
            "dob": _dates(table, "DOB", required=True),
            "year": table["_year"].astype(int).to_numpy(),
        }
    )
    return _latest(out, ["area_code", "child"]).drop(columns="year").reset_index(drop=True)


def _missing(table: pd.DataFrame, numbers: dict) -> pd.DataFrame:
    table = table.reset_index(drop=True)
    start, end = _span(table, "MIS_START", "MIS_END", "the missing episode", "Check both dates.")
    out = pd.DataFrame(
        {
            "area_code": table["_area"].astype(str),
            "child": _child_numbers(table, numbers),
            "missing": _codes(table, "MISSING"),
            "start": start,
            "end": end,
            "year": table["_year"].astype(int).to_numpy(),
        }
    )
    return (
        _latest(out, ["area_code", "child", "start", "missing"])
        .drop(columns="year")
        .reset_index(drop=True)
    )


def _oc3(table: pd.DataFrame, numbers: dict) -> pd.DataFrame:
    table = table.reset_index(drop=True)
    if (table["_year"] == 0).any():
        at = int(np.argmax((table["_year"] == 0).to_numpy()))
        raise _fail_at(
            table,
            at,
            FileFormatError,
            "which year's care leavers this OC3 table records cannot be told",
            "DOB",
            "Name the file or its folder with the collection year, e.g. oc3_2025.csv.",
        )
    out = pd.DataFrame(
        {
            "area_code": table["_area"].astype(str),
            "child": _child_numbers(table, numbers),
            "dob": _dates(table, "DOB", required=True),
            "in_touch": _codes(table, "IN_TOUCH"),
            "activ": _codes(table, "ACTIV"),
            "accom": _codes(table, "ACCOM"),
            "year": table["_year"].astype(int).to_numpy(),
        }
    )
    return _latest(out, ["area_code", "child", "year"]).reset_index(drop=True)


def _ad1(table: pd.DataFrame, numbers: dict) -> pd.DataFrame:
    table = table.reset_index(drop=True)
    out = pd.DataFrame(
        {
            "area_code": table["_area"].astype(str),
            "child": _child_numbers(table, numbers),
            "date_int": _dates(table, "DATE_INT"),
            "date_match": _dates(table, "DATE_MATCH"),
            "year": table["_year"].astype(int).to_numpy(),
        }
    )
    return _latest(out, ["area_code", "child"]).drop(columns="year").reset_index(drop=True)


def _assemble(raws: list[_Raw], path: Path) -> SSDA903:
    present = {r.table for r in raws}
    for table in REQUIRED:
        if table not in present:
            raise FileFormatError(
                f"the SSDA903 return has no {table} table",
                file=path.name,
                hint=f"Add the {table} CSV (columns {', '.join(TABLES[table])}) to the folder: "
                "every return has it.",
            )
    councils = {id(r): _codes_of_councils(r) for r in raws}
    years, extract = {}, None
    for raw in raws:
        years[id(raw)], named_extract = _years(raw)
        extract = extract or named_extract
    # The stacked layout's YEAR: decided on the episodes' own dates.
    decom, dec = {}, {}
    for raw in raws:
        if raw.table == "Episodes" and "YEAR" in raw.frame.columns:
            decom[id(raw)] = parse_dates(
                raw.frame["DECOM"], file=raw.file, column="DECOM", rows=raw.frame["_row"].to_numpy()
            )
            dec[id(raw)] = parse_dates(
                raw.frame["DEC"], file=raw.file, column="DEC", rows=raw.frame["_row"].to_numpy()
            )
    shift = _year_convention(raws, decom, dec)
    for raw in raws:
        if "YEAR" in raw.frame.columns:
            years[id(raw)] = years[id(raw)] + shift
    # A return whose name gives no year: the collection year of its latest date.
    for raw in raws:
        if raw.table == "Episodes" and (years[id(raw)] == 0).any():
            found = _latest_day(raw)
            years[id(raw)] = np.where(years[id(raw)] == 0, collection_year(found), years[id(raw)])
    episode_years = {int(y) for r in raws if r.table == "Episodes" for y in years[id(r)]}
    for raw in raws:
        if raw.table != "Episodes" and (years[id(raw)] == 0).any() and len(episode_years) == 1:
            years[id(raw)] = np.where(years[id(raw)] == 0, min(episode_years), years[id(raw)])
    tables = _dedupe_files(raws, councils, years)
    numbers = _children(*tables.values())
    warnings: list[str] = []
    episodes = _episodes(tables["Episodes"], numbers)
    # An episode in more than one year's return counts once (child and start date).
    episodes = _latest(episodes, ["area_code", "child", "decom"]).reset_index(drop=True)
    episodes = _censor(episodes, warnings)
    _overlaps(episodes, warnings)
    # The years each council's returns cover: every year's return read, before the
    # episodes they repeat were counted once.
    spans = {}
    for area, part in tables["Episodes"].groupby("_area"):
        covered = sorted({int(y) for y in part["_year"]})
        spans[str(area)] = merge_spans(
            year_span(y, extract if y == covered[-1] else None) for y in covered
        )
    return SSDA903(
        episodes=episodes.drop(columns="xml"),
        header=_header(tables["Header"], numbers),
        missing=_missing(tables["Missing"], numbers) if "Missing" in tables else None,
        oc3=_oc3(tables["OC3"], numbers) if "OC3" in tables else None,
        ad1=_ad1(tables["AD1"], numbers) if "AD1" in tables else None,
        spans=spans,
        files=tuple(sorted({r.file for r in raws})),
        name=path.name,
        synthetic=is_synthetic(path),
        warnings=tuple(warnings),
    )


def _latest_day(raw: _Raw) -> date:
    rows = raw.frame["_row"].to_numpy()
    found = [
        parse_dates(raw.frame[c], file=raw.file, column=c, rows=rows, xml=raw.xml)
        for c in ("DECOM", "DEC")
    ]
    days = np.concatenate(found)
    days = days[~np.isnat(days)]
    if not len(days):
        raise FileFormatError(
            "which year this return is for cannot be told: it has no episodes and its name "
            "gives no year",
            file=raw.file,
            hint="Name the file or its folder with the collection year, e.g. episodes_2025.csv.",
        )
    return pd.Timestamp(days.max()).date()


def read_ssda903(path: str | Path) -> SSDA903:
    """An SSDA903 return read and checked (see the module docstring): a folder of its CSV
    tables (and any of its XML files), the return's XML file, or one of its CSV tables (then
    its whole folder is read: the tables of a return belong together). Raises a
    :class:`perf.errors.PerfError` naming file, row and column for anything it cannot
    read."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".xml":
        raws = _xml_tables(path)
    else:
        path = path if path.is_dir() else path.parent
        raws = _csv_tables(path)
        for xml in sorted(path.glob("*.xml")) + sorted(path.glob("*.XML")):
            if root_tag(xml) == "EXPSSDA903":
                raws += _xml_tables(xml)
    if not raws:
        raise FileFormatError(
            "no SSDA903 table found",
            file=path.name,
            hint="A table is a CSV whose header is exactly one SSDA903 table's columns.",
        )
    return _assemble(raws, path)
