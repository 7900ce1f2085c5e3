"""perf.loaders: real files, the bad-input corpus, and property-based fuzzing."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import perf
from perf import config, errors
from perf.loaders import (
    OBSERVATION_FORMATS,
    detect_format,
    load,
    load_all,
    load_commentary,
    load_key_activities,
    load_targets,
    read,
)
from perf.loaders.common import decode, parse_numbers
from perf.schema import Observations

RAW = config.RAW_DIR
LOCAL = config.LOCAL_DIR


def value(obs: pd.DataFrame, indicator: str, area: str, period: str) -> float:
    hit = obs[(obs["indicator"] == indicator) & (obs["area_code"] == area)
              & (obs["period"] == period)]
    assert len(hit) == 1, (indicator, area, period, len(hit))
    return float(hit["value"].iloc[0])


# --- real files ------------------------------------------------------------------


def test_ees_cla_spot_checks_match_published_statements():
    obs = load(RAW / "dfe" / "cla_number_and_rate_per_10k_children.csv")
    assert value(obs, "cla_count", "E92000001", "31 March 2023") == 83750
    assert value(obs, "cla_count", "E08000027", "31 March 2023") == 588
    rates = obs[(obs["indicator"] == "cla_rate") & (obs["period"] == "31 March 2024")
                & (obs["area_level"] == "la")].dropna(subset=["value"])
    lowest = rates.loc[rates["value"].idxmin()]
    assert (lowest["area_name"], lowest["value"]) == ("Richmond upon Thames", 25.0)
    dudley = obs[(obs["indicator"] == "cla_rate") & (obs["area_code"] == "E08000027")
                 & (obs["period"] == "31 March 2025")].iloc[0]
    assert (dudley["numerator"], dudley["denominator"]) == (575.0, 71124.0)


def test_ees_suppression_is_nan_with_flag_never_zero_never_dropped():
    path = RAW / "dfe" / "cla_number_and_rate_per_10k_children.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    obs = load(path)
    assert len(obs) == 2 * len(raw)  # a count and a rate per row: nothing dropped
    suppressed = obs[obs["flag"].isin(["c", "z"])]
    assert len(suppressed) == 2 * int(raw["children_count"].isin(["c", "z"]).sum())
    assert suppressed["value"].isna().all()


def test_ees_column_drift_population_count_number(tmp_path):
    old = tmp_path / "cla_old_release.csv"
    old.write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,"
        "population_count,number\n"
        "2019,Reporting year,National,E92000001,England,Children looked after at 31 March each year,78150\n",
        encoding="utf-8")
    obs = load(old)
    assert obs["indicator"].tolist() == ["cla_count"]
    assert obs["period"].tolist() == ["31 March 2019"]
    assert obs["value"].tolist() == [78150.0]


def test_population_file_calendar_years():
    obs = load(RAW / "dfe" / "ons_mid-year_population_estimates_2012_to_2024.csv")
    assert set(obs["indicator"]) == {"population_0_17"}
    assert value(obs, "population_0_17", "E92000001", "2024") == 12183016
    assert set(obs["period_kind"]) == {"calendar_year"}


def test_lait_artefacts_missing_and_year_types():
    obs = load(RAW / "lait" / "lait_key_indicators_long.csv")
    assert len(obs) == 44200
    assert value(obs, "PriTotAbs", "E09000003", "2015/16") == 4.06  # "4.0599999999999996"
    # "-" is missing, flagged x, never zero
    assert (obs["flag"] == "x").sum() == 4045
    assert obs.loc[obs["flag"] == "x", "value"].isna().all()
    kinds = obs.groupby("indicator")["period_kind"].first()
    assert kinds["LAC"] == "snapshot" and kinds["PriTotAbs"] == "academic_year"
    assert kinds["16-17 NEET"] == "financial_year"
    assert set(obs.loc[obs["area_level"] == "england", "area_code"]) == {"E92000001"}


def test_lait_scientific_notation(tmp_path):
    f = tmp_path / "lait.csv"
    f.write_text("Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"
                 "PriTotAbs,Total absence,2016,Dudley,7.0000000000000007E-2,332,West Midlands\n"
                 "PriTotAbs,,2017,Dudley,-,332,West Midlands\n")
    obs = load(f)
    assert obs["value"].iloc[0] == pytest.approx(0.07)
    assert math.isnan(obs["value"].iloc[1]) and obs["flag"].iloc[1] == "x"


def test_nccis_england_neet_series_matches_published():
    files = sorted((RAW / "nccis").glob("*.csv"))
    obs = pd.concat([load(f) for f in files])
    england = obs[(obs["indicator"] == "neet_16_17") & (obs["area_code"] == "E92000001")]
    assert england.sort_values("period")["value"].tolist() == [2.8, 2.6, 2.8, 3.2, 3.4]


def test_scorecard_reads_the_dudley_seed():
    obs = load(LOCAL / "dudley_scorecard_2012-13_q1.csv")
    got = obs.set_index("indicator")["value"].to_dict()
    assert got == {"dudley_lac_rate": 104.9, "dudley_care_leavers_eet": 50.0,
                   "dudley_cp_plan_rate": 29.6, "dudley_adoption_match_days": 174.0,
                   "dudley_initial_assessments_10d": 62.9}
    assert set(obs["period"]) == {"2012-13 Q1"} and set(obs["area_code"]) == {"E08000027"}


def test_targets_activities_commentary():
    targets = load_targets()
    assert targets.set_index("indicator").loc["dudley_adoption_match_days", "target"] == 213
    activities = load_key_activities()
    assert activities["ref"].tolist() == ["YP1a", "YP1b", "YP1c", "YP2a", "YP2b", "RE5c",
                                          "TA4b", "TA4c"]
    assert activities.set_index("ref").loc["TA4b", "status"] == "excellent"
    assert activities.set_index("ref").loc["YP2a", "progress"].startswith("<p>Action plans")
    assert activities.set_index("ref").loc["YP2a", "lead_officer"] == "Pauline Sharratt DCS"
    commentary = load_commentary()
    assert len(commentary) == 3
    assert commentary["text"].str.contains("PI \u2013 1178").any()


def test_leeds_illustrative_counts_are_flagged_ex():
    obs = load(LOCAL / "observations.csv")
    lac = obs[obs["indicator"] == "leeds_lac_count"]
    assert (lac["flag"] == "ex").all() and lac["source"].str.contains("ILLUSTRATIVE").all()
    assert (obs.loc[obs["indicator"] != "leeds_lac_count", "flag"].isna()).all()
    # the stated changes are reproduced
    v = lac.set_index("period")["value"]
    assert v["31 March 2012"] - v["30 September 2012"] == 44
    assert v["30 September 2011"] - v["30 September 2012"] == 21
    assert round(44 / v["31 March 2012"] * 100) == 3
    assert round(21 / v["30 September 2011"] * 100, 1) == 1.4


def test_load_all_covers_every_observation_file_in_one_valid_frame():
    obs = load_all(config.DATA_DIR)
    Observations.validate(obs)
    files = {s.split(" (")[0] for s in obs["source"]}
    expected = {p.name for p in config.DATA_DIR.rglob("*.csv")
                if detect_format(p) in OBSERVATION_FORMATS}
    assert files == expected
    assert len(expected) == 24  # 10, and 13 attendance year-to-date releases and a weekly file
    assert not obs.duplicated(["indicator", "area_code", "period"]).any()


def test_every_data_file_is_reachable_by_a_public_reader():
    for path in sorted(config.DATA_DIR.rglob("*")):
        if path.suffix.lower() in (".csv", ".xlsx"):
            frame = read(path)
            assert len(frame) > 0, path


def test_perf_top_level_load():
    assert len(perf.load(LOCAL / "observations.csv")) == 12


def test_load_refuses_non_observation_file():
    with pytest.raises(errors.FileFormatError, match="key_activities"):
        load(LOCAL / "key_activities.csv")


# --- encodings ----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_encodings(tmp_path, encoding):
    f = tmp_path / "obs.csv"
    f.write_bytes("indicator,area_code,period,value,source\n"
                  "leeds_complaints_20d,E08000035,2012-13 Q1,55,Café report\n".encode(encoding))
    obs = load(f)
    assert obs["source"].iloc[0] == "obs.csv (Café report)"


def test_parse_numbers_symbols():
    values, flags = parse_numbers(pd.Series(["1,234", "c", "[x]", "low", "", "12%"]),
                                  file="f.csv", column="value")
    assert values.iloc[0] == 1234 and values.iloc[5] == 12
    assert flags.tolist()[1:4] == ["c", "x", "low"]
    assert values.iloc[1:5].isna().all()


# --- the bad-input corpus -------------------------------------------------------------

BAD = [
    ("missing_column.csv", errors.MissingColumnError, 1, "period"),
    ("unknown_indicator.csv", errors.UnknownIndicatorError, 3, "indicator"),
    ("non_numeric.csv", errors.BadValueError, 3, "value"),
    ("duplicate_key.csv", errors.DuplicateKeyError, 4, "indicator, area_code, period"),
    ("impossible_period.csv", errors.PeriodError, 3, "period"),
    ("wrong_encoding_utf16.csv", errors.EncodingProblem, 1, "(all)"),
    ("binary.csv", errors.EncodingProblem, 1, "(all)"),
    ("empty.csv", errors.EmptyFileError, 1, "(all)"),
    ("header_only.csv", errors.EmptyFileError, 2, "indicator"),
    ("extra_columns.csv", errors.UnexpectedColumnError, 1, "rag_status"),
    ("target_without_actual.csv", errors.OrphanTargetError, 3, "value"),
    ("scorecard_target_without_actual.csv", errors.OrphanTargetError, 5, "Actual"),
    ("scorecard_unknown_pi.csv", errors.UnknownIndicatorError, 5, "PI"),
    ("scorecard_impossible_period.csv", errors.PeriodError, 2, "Periods -->"),
    ("ees_non_numeric.csv", errors.BadValueError, 3, "children_count"),
    ("lait_unknown_la.csv", errors.BadValueError, 3, "LA Number"),
]


def test_corpus_is_complete(bad_input_dir):
    assert {name for name, *_ in BAD} == {p.name for p in bad_input_dir.iterdir()}


@pytest.mark.parametrize(("name", "exc", "row", "column"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_file_row_column(bad_input_dir, name, exc, row, column):
    with pytest.raises(exc) as info:
        load(bad_input_dir / name)
    err = info.value
    assert type(err) is exc
    message = str(err)
    assert name in message
    assert f"row {row}," in message or f"row {row}:" in message
    assert f"column {column!r}" in message
    assert err.hint, "the message must say what to do"


def test_cli_tidy_reports_bad_input(bad_input_dir, capsys):
    from perf.cli import main

    assert main(["tidy", str(bad_input_dir / "non_numeric.csv")]) == 2
    err = capsys.readouterr().err
    assert "non_numeric.csv, row 3, column 'value'" in err


def test_cli_tidy_writes_csv(tmp_path):
    from perf.cli import main

    out = tmp_path / "tidy.csv"
    assert main(["tidy", str(LOCAL / "dudley_scorecard_2012-13_q1.csv"), "-o", str(out)]) == 0
    back = pd.read_csv(out)
    assert back["value"].tolist() == [104.9, 50.0, 29.6, 174.0, 62.9]
    assert back["period_start"].tolist() == ["2012-04-01"] * 5


# --- property-based: only PerfError escapes -----------------------------------------

cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
known_ids = st.sampled_from(["leeds_complaints_20d", "dudley_lac_rate", "nope", ""])
periods = st.one_of(st.sampled_from(["2012-13 Q1", "Q2 2012/13", "2015/16", "31 March 2025",
                                     "2012-13 Q5", "", "2016 (prov)"]), cell)
values = st.one_of(st.floats(allow_nan=False, allow_infinity=False).map(repr),
                   st.sampled_from(["c", "x", "-", "", "1,234", "12%"]), cell)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(known_ids, st.sampled_from(["E08000035", "E08000027", "X1", ""]),
                               periods, values), max_size=6),
       extra=st.sampled_from(["", ",flag", ",target"]))
def test_random_local_csv_only_perf_errors(tmp_path, rows, extra):
    f = tmp_path / "random.csv"
    lines = ["indicator,area_code,period,value" + extra]
    for r in rows:
        quoted = ['"' + c.replace('"', '""') + '"' for c in r]
        lines.append(",".join(quoted) + ("," if extra else ""))
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        obs = load(f)
    except errors.PerfError:
        return
    Observations.validate(obs)
    assert len(obs) == len(rows)  # loaded completely or not at all


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=200))
def test_random_bytes_only_perf_errors(data):
    try:
        decode(data, "random.csv")
    except errors.PerfError:
        pass


# --- real-world export mess (issue 7) -----------------------------------------------------

LOCAL_HEADER = "indicator,area_code,period,value,numerator"


def _local(tmp_path, body: str, encoding: str = "utf-8", newline: str = "\n",
           name: str = "mess.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(body.replace("\n", newline).encode(encoding))
    return path


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_thousands_percent_spaces_any_line_ending_and_encoding(tmp_path, newline, encoding):
    body = (f"{LOCAL_HEADER}\n"
            'leeds_complaints_20d ,E08000035 , 2012-13 Q1 ,"62.9%","1,234"\n'
            'leeds_complaints_20d,E08000035,2012-13 Q2,"1,234.5 ",  7 \n')
    obs = load(_local(tmp_path, body, encoding, newline))
    assert obs["value"].tolist() == [62.9, 1234.5]
    assert obs["numerator"].tolist() == [1234.0, 7.0]
    assert obs["period"].tolist() == ["2012-13 Q1", "2012-13 Q2"]


def test_cp1252_punctuation_is_kept(tmp_path):
    body = (f"{LOCAL_HEADER},source\n"
            "leeds_complaints_20d,E08000035,2012-13 Q1,55,,Leeds \u2013 \u00a3 report\u2019s\n")
    obs = load(_local(tmp_path, body, "cp1252"))
    assert obs["source"].iloc[0] == "mess.csv (Leeds \u2013 \u00a3 report\u2019s)"


def test_merged_header_export_says_where_the_header_is(tmp_path):
    body = (f"Children\u2019s services \u2013 Q1,,,,\n,,,,\n{LOCAL_HEADER}\n"
            "leeds_complaints_20d,E08000035,2012-13 Q1,55,\n")
    with pytest.raises(errors.MissingColumnError) as info:
        load(_local(tmp_path, body, "cp1252"), format="local")
    assert "header seems to be on row 3" in str(info.value)
    assert "mess.csv" in str(info.value)


@pytest.mark.parametrize("cell", ["inf", "-inf", "Infinity", "1e400"])
def test_infinite_values_are_bad_values(tmp_path, cell):
    body = f"{LOCAL_HEADER}\nleeds_complaints_20d,E08000035,2012-13 Q1,{cell},\n"
    with pytest.raises(errors.BadValueError) as info:
        load(_local(tmp_path, body))
    assert (info.value.row, info.value.column) == (2, "value")


def test_empty_excel_columns_at_the_right_are_ignored(tmp_path):
    body = f"{LOCAL_HEADER},,\nleeds_complaints_20d,E08000035,2012-13 Q1,55,,,\n"
    assert load(_local(tmp_path, body))["value"].tolist() == [55.0]


@pytest.mark.parametrize("fmt, column", [("lait", "Years"), ("ees", "time_period"),
                                         ("nccis", "time_period")])
def test_published_formats_locate_bad_periods(tmp_path, fmt, column):
    source = {"lait": RAW / "lait" / "lait_key_indicators_long.csv",
              "ees": RAW / "dfe" / "cla_number_and_rate_per_10k_children.csv",
              "nccis": RAW / "nccis" / "UD_NEETNK_LA_dashboard_2025_final.csv"}[fmt]
    lines = decode(source.read_bytes(), source.name).split("\n")[:6]
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index(column)] = "20x5"
    lines[3] = ",".join(cells)
    path = tmp_path / f"bad_{fmt}.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(errors.PeriodError) as info:
        load(path, format=fmt)
    assert (info.value.file, info.value.row, info.value.column) == (path.name, 4, column)


def test_neighbours_csv_reads_the_given_file(tmp_path):
    source = RAW / "dfe" / "sn_model_2025_wide.csv"
    lines = decode(source.read_bytes(), source.name).split("\n")
    path = tmp_path / "sn.csv"
    path.write_text("\n".join(lines[:4]) + "\n")
    assert len(read(path, "neighbours")) == 3
    path.write_text("\n".join([lines[0], "x" + lines[1]]) + "\n")
    with pytest.raises(errors.BadValueError):
        read(path, "neighbours")


def test_a_real_row_without_an_area_code_is_refused_not_dropped(tmp_path):
    # The 2021 NCCIS file's 'Region demo'/'LA demo' template rows are skipped; a damaged
    # row for a real council must not vanish.
    source = (RAW / "nccis" / "UD_NEETNK_LA_dashboard_2021_vg_removed.csv").read_bytes().decode("latin-1")
    lines = source.splitlines()
    dudley = next(i for i, line in enumerate(lines) if ",Dudley," in line)
    lines[dudley] = lines[dudley].replace("E08000027", "")
    damaged = tmp_path / "nccis_damaged.csv"
    damaged.write_bytes("\n".join(lines).encode("latin-1"))
    with pytest.raises(errors.BadValueError) as caught:
        load(damaged, format="nccis")
    assert f"row {dudley + 1}" in str(caught.value) and "new_la_code" in str(caught.value)
    assert "Dudley" in str(caught.value)
    kept = load(RAW / "nccis" / "UD_NEETNK_LA_dashboard_2021_vg_removed.csv")
    assert "Dudley" in set(kept["area_name"])


def test_two_columns_with_the_same_name_are_a_located_error(tmp_path):
    """Found by fuzzing the NCCIS reader: two blank header cells made a column ambiguous."""
    from perf.errors import BadValueError
    from perf.loaders.common import read_csv_strings

    path = tmp_path / "dup.csv"
    path.write_text("  , ,geographic_level\n2025,Calendar year,National\n", encoding="utf-8")
    with pytest.raises(BadValueError, match="two columns have no name") as caught:
        read_csv_strings(path)
    assert (caught.value.row, caught.value.column, caught.value.file) == (1, "(blank)", "dup.csv")
    path.write_text("a ,b, a\n1,2,3\n", encoding="utf-8")  # the same name once spaces go
    with pytest.raises(BadValueError, match="two columns are both called 'a'"):
        read_csv_strings(path)
