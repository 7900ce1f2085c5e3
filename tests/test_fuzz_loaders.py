"""Fuzzing every loader with the mess real council and DfE exports contain.

Each test starts from a small valid file of one format (cut from the real files in
data/), lets hypothesis damage it the way spreadsheets do (thousands separators,
percent signs, trailing spaces, Excel serial dates, dd/mm/yyyy dates, merged-header
title rows, blank columns, Windows line endings, cp1252 characters, BOMs, empty lines,
NaN-ish strings, truncation, dropped or duplicated columns) and loads it. The rule:
the loader returns a valid observations frame, or raises a PerfError subclass whose
message names the file, and the row or column. Anything else escaping is a bug.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perf
from perf import config
from perf.errors import PerfError
from perf.schema import OBSERVATION_COLUMNS, Observations

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _head(path: Path, n: int, encoding: str = "utf-8-sig") -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[:n]


RAW = config.RAW_DIR
LOCAL_ROWS = [
    [
        "indicator",
        "area_code",
        "period",
        "value",
        "numerator",
        "denominator",
        "flag",
        "target",
        "source",
    ],
    *[r + [""] * (9 - len(r)) for r in _head(config.LOCAL_DIR / "observations.csv", 7)[1:]],
]
SCORECARD_ROWS = _head(config.LOCAL_DIR / "dudley_scorecard_2012-13_q1.csv", 20)
EES_ROWS = _head(RAW / "dfe" / "cla_number_and_rate_per_10k_children.csv", 400)
EES_ROWS = [
    EES_ROWS[0],
    *EES_ROWS[1:7],
    *[r for r in EES_ROWS if "Dudley" in r or "City of London" in r],
]
LAIT_ROWS = _head(config.TESTS_DIR / "fixtures" / "lait" / "lait_key_indicators_long.csv", 9)
NCCIS_ROWS = _head(RAW / "nccis" / "UD_NEETNK_LA_dashboard_2025_final.csv", 6, "latin-1")
NEIGHBOUR_ROWS = _head(RAW / "dfe" / "sn_model_2025_wide.csv", 6)

TEMPLATES = {
    "local": LOCAL_ROWS,
    "scorecard": SCORECARD_ROWS,
    "ees": EES_ROWS,
    "lait": LAIT_ROWS,
    "nccis": NCCIS_ROWS,
}

# --- what spreadsheets do to cells -----------------------------------------------------

MESSY_CELLS = [
    "",
    " ",
    "1,234",
    "12,345.6",
    "62.9%",
    " 62.9 % ",
    "41090",
    "41090.0",
    "30/06/2012",
    "2012-06-30 00:00:00",
    "£1,234",
    "\u2013",
    "\u2014",
    "\u2019",
    "don\u2019t",
    "N/A",
    "n/a",
    "#N/A",
    "#VALUE!",
    "#DIV/0!",
    "NULL",
    "null",
    "None",
    "nan",
    "NaN",
    "-",
    "..",
    ":",
    "c",
    "x",
    "z",
    "[c]",
    "*",
    "~",
    "low",
    "1e400",
    "-1e-300",
    "inf",
    "-inf",
    "0",
    "-0",
    "(5)",
    "5 ",
    " 5",
    "\u00a05",
    "5\u00a0",
    "1 234",
    "1.2.3",
    "TRUE",
    "=SUM(A1:A3)",
    "'0123",
    "2016 (prov)",
    "2018 (Rev)",
    "2016-17 (OT)",
    "2014-16",
    "Q5 2012/13",
    "31/02/2023",
    "9999-00",
    "0000",
    "E08000027",
    "332",
    "332.0",
    "Dudley ",
    "\ufeff",
    "\t",
    "\x00",
]
cell_text = st.one_of(st.sampled_from(MESSY_CELLS), st.text(max_size=8))


@st.composite
def damaged(draw, rows: list[list[str]]):
    """A CSV's bytes after a round of spreadsheet damage."""
    rows = [list(r) for r in rows]
    width = max(len(r) for r in rows)
    for _ in range(draw(st.integers(0, 4))):
        r = draw(st.integers(0, len(rows) - 1))
        if not rows[r]:
            continue
        c = draw(st.integers(0, len(rows[r]) - 1))
        how = draw(st.sampled_from(["replace", "pad", "thousands", "percent"]))
        cell = rows[r][c]
        if how == "replace":
            rows[r][c] = draw(cell_text)
        elif how == "pad":
            rows[r][c] = draw(st.sampled_from([" ", "  ", "\t", "\u00a0"])) + cell + " "
        elif how == "thousands" and cell.replace(".", "", 1).isdigit():
            whole, _, frac = cell.partition(".")
            rows[r][c] = f"{int(whole):,}" + (f".{frac}" if frac else "")
        elif how == "percent":
            rows[r][c] = cell + "%"
    if draw(st.booleans()):  # merged-header export: a title row (and blank row) above the header
        rows.insert(
            0,
            [
                draw(
                    st.sampled_from(
                        [
                            "Children\u2019s services \u2013 Q1",
                            "Table 1",
                            "Dudley MBC \u00a3 report",
                        ]
                    )
                )
            ]
            + [""] * (width - 1),
        )
        if draw(st.booleans()):
            rows.insert(1, [""] * width)
    if draw(st.booleans()):  # blank columns Excel leaves at the right
        extra = draw(st.integers(1, 3))
        rows = [r + [""] * extra for r in rows]
    if draw(st.booleans()):  # a dropped column
        c = draw(st.integers(0, width - 1))
        rows = [r[:c] + r[c + 1 :] for r in rows]
    if draw(st.booleans()):  # a duplicated data row
        r = draw(st.integers(1, len(rows) - 1)) if len(rows) > 1 else 0
        rows.insert(r, list(rows[r]))
    if draw(st.booleans()):  # empty lines
        r = draw(st.integers(0, len(rows)))
        rows.insert(r, [])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"]))).writerows(rows)
    text = buffer.getvalue()
    if draw(st.booleans()):  # truncated mid-file (a failed download)
        text = text[: draw(st.integers(0, len(text)))]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]))
    return text.encode(encoding, errors="replace")


def check_load(data: bytes, fmt: str, name: str | None = None):
    """Write ``data`` to a file and load it as ``fmt``; enforce the error contract."""
    folder = Path(tempfile.mkdtemp(prefix="perf-fuzz-"))
    path = folder / (name or f"fuzz_{fmt}.csv")
    path.write_bytes(data)
    try:
        try:
            out = perf.load(path, format=fmt)
        except PerfError as err:
            assert path.name in str(err), f"{type(err).__name__} does not name the file: {err}"
            assert err.row is not None or err.column is not None, (
                f"{type(err).__name__} names neither row nor column: {err}"
            )
            return err
        assert list(out.columns) == OBSERVATION_COLUMNS
        Observations.validate(out)
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def template_bytes(fmt: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(TEMPLATES[fmt])
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize("fmt", sorted(TEMPLATES))
def test_templates_load(fmt):
    out = check_load(template_bytes(fmt), fmt)
    assert isinstance(out, pd.DataFrame) and len(out) > 0


# --- one fuzz test per format -------------------------------------------------------------


@FUZZ
@given(damaged(LOCAL_ROWS))
def test_fuzz_local_long(data):
    check_load(data, "local")


@FUZZ
@given(damaged(SCORECARD_ROWS))
def test_fuzz_scorecard(data):
    check_load(data, "scorecard")


@FUZZ
@given(damaged(EES_ROWS))
def test_fuzz_ees(data):
    check_load(data, "ees")


@FUZZ
@given(damaged(LAIT_ROWS))
def test_fuzz_lait(data):
    check_load(data, "lait")


@FUZZ
@given(damaged(NCCIS_ROWS))
def test_fuzz_nccis(data):
    check_load(data, "nccis")


@FUZZ
@given(st.sampled_from(sorted(TEMPLATES)), st.binary(max_size=200))
def test_fuzz_arbitrary_bytes_and_detection(fmt, data):
    check_load(data, fmt)
    check_load(data, None)  # format detection on garbage


# --- the statistical-neighbour CSV --------------------------------------------------------


def test_neighbours_reader_reads_the_file_it_is_given(tmp_path):
    # Found by fuzzing: perf.loaders.read(path, "neighbours") ignores `path` and always
    # returns the shipped sn_model_2025_wide.csv, so a council's own (or a damaged) file
    # is never read and never rejected.
    from perf.loaders import read

    path = tmp_path / "my_neighbours.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(NEIGHBOUR_ROWS[:3])  # header + 2 LAs
    path.write_text(buffer.getvalue())
    assert len(read(path, "neighbours")) == 2


@FUZZ
@given(damaged(NEIGHBOUR_ROWS))
def test_fuzz_neighbours(data):
    from perf.loaders import read

    folder = Path(tempfile.mkdtemp(prefix="perf-fuzz-"))
    path = folder / "fuzz_neighbours.csv"
    path.write_bytes(data)
    try:
        read(path, "neighbours")
    except PerfError as err:
        assert path.name in str(err), err
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- targeted real-world cases (each a known export quirk) ------------------------------------


def local_file(*rows: str, header="indicator,area_code,period,value") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1,234", 1234.0),
        ("62.9%", 62.9),
        (" 55 ", 55.0),
        ("4.0599999999999996", 4.06),
    ],
)
def test_local_numbers_as_exported(value, expected):
    out = check_load(local_file(f'leeds_complaints_20d,E08000035,2012-13 Q1,"{value}"'), "local")
    assert out["value"].tolist() == [expected]


@pytest.mark.parametrize("period", ["41090", "30/06/2012 00:00", "Q5 2012/13", "9999-00"])
def test_local_bad_period_names_row_and_column(period):
    err = check_load(local_file(f"leeds_complaints_20d,E08000035,{period},55"), "local")
    assert isinstance(err, PerfError) and err.row == 2 and err.column == "period"


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400", "Infinity"])
def test_infinite_values_are_refused(value):
    # "inf" and "1e400" parse as float infinity; no published figure is infinite.
    err = check_load(local_file(f"leeds_complaints_20d,E08000035,2012-13 Q1,{value}"), "local")
    assert isinstance(err, PerfError) and err.row == 2 and err.column == "value"


def test_cp1252_crlf_bom_local_file():
    text = (
        "\ufeffindicator,area_code,period,value,source\r\n"
        "leeds_complaints_20d,E08000035,2012-13 Q1,55,Leeds \u2013 \u00a3 report\u2019s\r\n"
    )
    out = check_load(text.encode("utf-8"), "local")
    assert out["value"].tolist() == [55.0]
    out = check_load(text.replace("\ufeff", "").encode("cp1252"), "local")
    assert "\u2013 \u00a3 report\u2019s" in out["source"].iloc[0]


@pytest.mark.parametrize("fmt", sorted(TEMPLATES))
def test_title_row_above_header_is_an_error_naming_the_file(fmt):
    rows = [["Table 1: Children\u2019s services"] + [""] * 3, *TEMPLATES[fmt]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    result = check_load(buffer.getvalue().encode("cp1252", errors="replace"), fmt)
    if fmt != "scorecard":  # a scorecard's metadata rows may be preceded by a title
        assert isinstance(result, PerfError)


@pytest.mark.parametrize("fmt", ["ees", "lait", "nccis"])
def test_bad_period_in_published_formats_names_file_row_column(fmt):
    rows = [list(r) for r in TEMPLATES[fmt]]
    column = {"ees": "time_period", "lait": "Years", "nccis": "time_period"}[fmt]
    rows[1][rows[0].index(column)] = "20x5"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    err = check_load(buffer.getvalue().encode("utf-8"), fmt)
    assert isinstance(err, PerfError)
    assert err.row == 2 and err.column == column, str(err)


@pytest.mark.parametrize(
    "data",
    [
        b"indicator,area_code,period,value\nleeds_complaints_20d,E08000035,2012-13 Q1,55,extra\n",
        b"indicator,area_code,period,value\nleeds_complaints_20d,E08000035\n",
        b"indicator,area_code,period,value,value\nleeds_complaints_20d,E08000035,2012-13 Q1,5,6\n",
        b'indicator,area_code,period,value\n"leeds_complaints_20d,E08000035,2012-13 Q1,55\n',
    ],
)
def test_ragged_rows_and_stray_quotes(data):
    check_load(data, "local")


@pytest.mark.parametrize("fmt", [None, "scorecard"])
def test_classic_mac_line_endings(fmt):
    # Excel's "CSV (Macintosh)" ends lines with a bare CR. Found by fuzzing: detect_format
    # (_first_line) and the scorecard reader pass the text to csv.reader through
    # io.StringIO(text) without newline="", and csv raises _csv.Error.
    text = (
        "Area,Dudley\rPeriods -->,01/04/2012 to 30/06/2012\rPI,Actual,Target,Score\r"
        "Number of LAC per 10k of the child population,104.9,98.8,\r"
    )
    out = check_load(text.encode("utf-8"), fmt, name="mac.csv")
    assert isinstance(out, pd.DataFrame) and out["value"].tolist() == [104.9]


def test_classic_mac_line_endings_local_detected():
    text = "indicator,area_code,period,value\rleeds_complaints_20d,E08000035,2012-13 Q1,55\r"
    out = check_load(text.encode("utf-8"), None, name="mac_local.csv")
    assert isinstance(out, pd.DataFrame) and out["value"].tolist() == [55.0]


# --- issue 14: LAIT's parquet data set -----------------------------------------------------------

LAIT_PARQUET_COLUMNS = LAIT_ROWS[0]


@st.composite
def damaged_parquet_rows(draw):
    """LAIT's first rows as the parquet file holds them (strings, LA Number a float), with
    cells replaced by what exports contain, or missing (null)."""
    rows = [list(r) for r in LAIT_ROWS[1:]]
    for _ in range(draw(st.integers(0, 4))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.sampled_from(["Short Desc", "Years", "Values", "LA Number"]))
        rows[r][LAIT_PARQUET_COLUMNS.index(c)] = draw(st.one_of(cell_text, st.none()))
    if draw(st.booleans()):  # a duplicated row
        rows.append(list(rows[draw(st.integers(0, len(rows) - 1))]))
    return rows


def _write_parquet(rows, path: Path) -> None:
    frame = pd.DataFrame(rows, columns=LAIT_PARQUET_COLUMNS)
    numbers = pd.to_numeric(frame["LA Number"], errors="coerce")
    if numbers.notna().sum() == frame["LA Number"].notna().sum():
        frame["LA Number"] = numbers.astype(float)  # as DfE stores it
    else:
        frame["LA Number"] = frame["LA Number"].astype(object)
        frame["LA Number"] = frame["LA Number"].map(lambda v: None if v is None else str(v))
    frame.to_parquet(path, index=False)


@FUZZ
@given(damaged_parquet_rows())
def test_fuzz_lait_parquet(rows):
    folder = Path(tempfile.mkdtemp(prefix="perf-fuzz-"))
    path = folder / "fuzz_bds_long.parquet"
    try:
        _write_parquet(rows, path)
        try:
            out = perf.load(path)
        except PerfError as err:
            assert path.name in str(err), f"{type(err).__name__} does not name the file: {err}"
            assert err.row is not None and err.column is not None, str(err)
            return
        assert list(out.columns) == OBSERVATION_COLUMNS
        Observations.validate(out)
        # loaded completely: every row but LAIT's "0"-year placeholders and exact repeats of
        # an earlier row (issue 27 item 10: left out with a warning)
        kept = [r for r in rows if not (isinstance(r[2], str) and r[2].strip() == "0")]
        assert len(out) == len({tuple(r) for r in kept})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_parquet_template_loads_like_the_csv(tmp_path):
    path = tmp_path / "template.parquet"
    _write_parquet([list(r) for r in LAIT_ROWS[1:]], path)
    csv_path = tmp_path / "template.csv"
    csv_path.write_bytes(template_bytes("lait"))
    from_parquet, from_csv = perf.load(path), perf.load(csv_path)
    columns = [c for c in OBSERVATION_COLUMNS if c != "source"]
    pd.testing.assert_frame_equal(from_parquet[columns], from_csv[columns])


@pytest.mark.parametrize("number", ["-1e-300", "1e400", "332.5", "inf", None])
def test_lait_la_number_that_is_no_whole_number_is_a_located_error(tmp_path, number):
    # Found by fuzzing the parquet: a float LA Number that is not a whole number crashed
    # perf.areas.la_number_to_code with a TypeError/OverflowError.
    rows = [list(r) for r in LAIT_ROWS[1:]]
    rows[0][LAIT_PARQUET_COLUMNS.index("LA Number")] = number
    path = tmp_path / "odd_numbers.parquet"
    _write_parquet(rows, path)
    with pytest.raises(PerfError) as info:
        perf.load(path)
    assert (info.value.file, info.value.row, info.value.column) == (path.name, 1, "LA Number")
