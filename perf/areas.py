"""Areas: England, regions and local authorities, with ONS codes, DfE 3-digit numbers
and statistical neighbours.

Built from the published files in data/raw: the EES files' ``old_la_code``/``new_la_code``
pairs (DfE number <-> ONS code), LAIT's ``la_code_list.xlsx`` (numbers LAIT uses for
England, regions and former authorities), the 2025 statistical-neighbour model
(``dfe/sn_model_2025_wide.csv``, with ``lait/sn_may_2025.xlsx`` filling any gap) and the
ONS LTLA-UTLA lookup (a district name or code finds its upper-tier authority).

Former authorities (Bournemouth, Poole, the old Dorset county, Cumbria, Northamptonshire,
the pre-2023 North Yorkshire, Somerset and Buckinghamshire codes) are kept so that older
figures still have an area; where a former code shares a name with a current one its
name gets " (former)".

Examples:
    >>> find_area("dudley")["area_code"]
    'E08000027'
    >>> find_area(383)["area_name"], find_area("E92000001")["area_level"]
    ('Leeds', 'england')
    >>> len(neighbours("E08000027"))
    10
"""

from __future__ import annotations

import difflib
import sys
import types
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from perf import config
from perf.cache import cached_pickle
from perf.config import ENGLAND
from perf.errors import (
    BadValueError,
    FileFormatError,
    MissingColumnError,
    PerfError,
    UnknownAreaError,
)
from perf.loaders.common import read_csv_strings, require_columns
from perf.schema import Areas

__all__ = ["areas", "find_area", "neighbours", "read_sn_csv", "read_sn_xlsx",
           "read_la_code_list", "read_ltla_utla", "la_number_to_code"]

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


def _read_ees_codes() -> pd.DataFrame:

    frames = []
    # Newest first: the CLA file holds current codes; the population file adds former ones.
    for name in ("cla_number_and_rate_per_10k_children.csv",
                 "ons_mid-year_population_estimates_2012_to_2024.csv"):
        f = read_csv_strings(DFE_DIR / name)
        f = f[f["geographic_level"] == "Local authority"]
        f = f.assign(year=pd.to_numeric(f["time_period"].str[:4]))
        frames.append(f[["new_la_code", "old_la_code", "la_name", "region_code", "region_name",
                         "year"]])
    codes = pd.concat(frames, ignore_index=True)
    codes = codes.sort_values("year", ascending=False, kind="stable")
    return codes.drop_duplicates("new_la_code").reset_index(drop=True)


def _read_excel(path: Path, **kwargs) -> pd.DataFrame:
    try:
        return pd.read_excel(path, **kwargs)
    except Exception as exc:  # noqa: BLE001 - openpyxl/zipfile raise many types for a damaged workbook
        raise FileFormatError(f"the workbook could not be read ({type(exc).__name__}: {exc})",
                              file=Path(path).name, row=1, column="(all)",
                              hint="Open it in Excel and save it again as .xlsx.") from None


def read_la_code_list(path: str | Path | None = None) -> pd.DataFrame:
    """LAIT's list of LA numbers, names, regions and types (``lait/la_code_list.xlsx``).

    >>> read_la_code_list().query("la_number == 332")["la_name"].item()
    'Dudley'
    """
    path = Path(path) if path is not None else LAIT_DIR / "la_code_list.xlsx"
    frame = _read_excel(path, dtype=str)
    if frame.shape[1] != 4:
        raise MissingColumnError("expected 4 columns (LA number, name, region, type)",
                                 file=path.name, row=1, column="(all)",
                                 hint="Use LAIT's la_code_list.xlsx layout.")
    frame.columns = ["la_number", "la_name", "region", "type"]
    frame["la_number"] = _whole_numbers(frame["la_number"], path.name, "la_number",
                                        required=True)
    return frame


def _whole_numbers(raw: pd.Series, file: str, column: str, *, required: bool,
                   row_offset: int = 2) -> pd.Series:
    """DfE 3-digit numbers from text: Int64 (int64 when none is blank); a cell that is not a
    whole number raises :class:`BadValueError` naming file, row and column."""
    text = raw.astype(object).where(raw.notna(), "").astype(str).str.strip()
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = (text != "") & (numbers.isna() | (numbers % 1 != 0) | numbers.abs().gt(1e9))
    if required:
        bad |= text == ""
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise BadValueError("must be a DfE local-authority number (e.g. 332)", file=file,
                            row=pos + row_offset, column=column, value=text.iloc[pos],
                            hint="Correct the cell; leave it blank only for a missing neighbour.")
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
    out = pd.DataFrame({"la_number": _whole_numbers(raw["old_la_code"], path.name,
                                                    "old_la_code", required=True)})
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
        raise MissingColumnError("expected an LA number and 10 neighbour columns", file=path.name,
                                 row=4, column="(all)", hint="Use LAIT's sn_*.xlsx layout.")
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
    return pd.DataFrame({"ltla_code": raw["LTLA23CD"], "ltla_name": raw["LTLA23NM"],
                         "utla_code": raw["UTLA23CD"], "utla_name": raw["UTLA23NM"]})


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
    la = pd.DataFrame({
        "area_code": codes["new_la_code"],
        "la_number": pd.to_numeric(codes["old_la_code"]).astype("Int64"),
        "area_name": codes["la_name"],
        "area_level": "la",
        "region_code": codes["region_code"],
        "region_name": codes["region_name"],
    })
    former = pd.DataFrame(_FORMER, columns=["area_code", "la_number", "area_name", "region_code",
                                            "region_name"]).assign(area_level="la")
    la = pd.concat([la, former[~former["area_code"].isin(la["area_code"])]], ignore_index=True)
    current = set(la["area_code"].iloc[: codes["year"].eq(codes["year"].max()).sum()])
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
    number_to_code = dict(zip(la["la_number"].dropna().astype(int)[::-1],
                              la["area_code"][la["la_number"].notna()][::-1]))
    sn_codes = sn[[f"sn_{i}" for i in range(1, 11)]].apply(
        lambda col: col.map(lambda n: number_to_code.get(int(n)) if pd.notna(n) else None))
    joined = sn_codes.apply(lambda r: ";".join(c for c in r if c), axis=1)
    by_number = dict(zip(sn["la_number"].astype(int), joined))
    la["neighbours"] = la["la_number"].map(lambda n: by_number.get(int(n)) if pd.notna(n) else None)
    la.loc[~la["area_code"].isin(current), "neighbours"] = None
    aggregates["neighbours"] = None

    frame = pd.concat([aggregates, la], ignore_index=True)
    frame["la_number"] = frame["la_number"].astype("Int64")
    return Areas.validate(frame)


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


def _norm(text: str) -> str:
    return " ".join(str(text).lower().replace("&", "and").replace(",", " ").split())


def find_area(query: str | int) -> pd.Series:
    """One area by name (any case), ONS code, or DfE 3-digit number.

    A district (lower-tier) name or code finds its upper-tier authority.

    Raises:
        UnknownAreaError: nothing matches; the message suggests close names.

    >>> find_area("E08000035")["area_name"]
    'Leeds'
    >>> find_area("Bolsover")["area_name"]
    'Derbyshire'
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
        names = a["area_name"].map(_norm)
        hit = a.index[names == _norm(text)]
        if len(hit):
            return a.loc[hit[0]]
        ltla = read_ltla_utla()
        match = ltla[(ltla["ltla_code"] == upper) | (ltla["ltla_name"].map(_norm) == _norm(text))]
        if len(match):
            hit = a.index[a["area_code"] == match["utla_code"].iloc[0]]
            if len(hit):
                return a.loc[hit[0]]
    close = difflib.get_close_matches(text, a["area_name"].tolist(), n=3, cutoff=0.6)
    hint = f"Did you mean: {', '.join(close)}?" if close else (
        "Give an authority's name, ONS code (e.g. E08000027) or DfE number (e.g. 332).")
    raise UnknownAreaError(f"no area called {text!r}", hint=hint)


def neighbours(area_code: str) -> list[str]:
    """ONS codes of an authority's 10 statistical neighbours, closest first (2025 model).

    >>> neighbours("E08000027")[0] == find_area("Wakefield")["area_code"]
    True
    """
    row = find_area(area_code)
    value = row["neighbours"]
    if pd.isna(value) or not value:
        raise UnknownAreaError(f"{row['area_name']} has no statistical neighbours in the 2025 model",
                               hint="Neighbours exist for current local authorities only.")
    return str(value).split(";")


def area_index(key) -> dict[str, str]:
    """Every name, ONS code, DfE number and district :func:`find_area` accepts, as
    ``key(query)`` -> the name of the area it finds. The command line caches this (with the
    ``key`` it matches by) so that a known area is checked without pandas.

    >>> index = area_index(str.lower)
    >>> index["leeds"], index["e08000027"], index["332"]
    ('Leeds', 'Dudley', 'Dudley')
    """
    frame = areas()
    queries = [*frame["area_code"], *frame["area_name"],
               *(str(int(n)) for n in frame["la_number"].dropna())]
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
                raise BadValueError(f"unknown area level {level!r}",
                                    hint=f"Use {', '.join(known)}.")
            frame = frame[frame["area_level"] == level]
        return frame.reset_index(drop=True).copy()


sys.modules[__name__].__class__ = _CallableModule
