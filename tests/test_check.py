"""perf.check and `perf check`: impossible figures are errors, implausible ones warnings,
each with file, row and column."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from perf import config
from perf.check import FINDING_COLUMNS, plausibility, summary
from perf.cli import main

CATALOGUE = pd.DataFrame(
    {
        "indicator": ["abs", "rate", "kids", "gap", "spend", "days"],
        "unit": ["%", "rate per 10,000", "count", "%", "number", "days"],
        "title": [
            "Absence (%)",
            "Children looked after per 10,000",
            "Children",
            "NEET gap (%)",
            "Gross expenditure",
            "Days to adoption",
        ],
    }
)


def frame(*rows) -> pd.DataFrame:
    """Observations from (indicator, value, numerator, denominator[, period_kind]) tuples,
    one file, rows 2, 3, ..."""
    out = []
    for i, row in enumerate(rows):
        indicator, value, numerator, denominator, *kind = row
        out.append(
            {
                "indicator": indicator,
                "area_code": f"E0800002{i % 10}",
                "period": f"{2010 + i}/{(11 + i) % 100:02d}",
                "period_kind": kind[0] if kind else "academic_year",
                "value": value,
                "numerator": numerator,
                "denominator": denominator,
                "source": "council.csv (Council export)",
                "source_row": i + 2,
            }
        )
    return pd.DataFrame(out)


NAN = math.nan


def findings_for(*rows) -> pd.DataFrame:
    return plausibility(frame(*rows), CATALOGUE)


@pytest.mark.parametrize(
    ("row", "severity", "column", "words"),
    [
        (
            ("abs", -4.0, NAN, NAN),
            "error",
            "value",
            "negative value (-4): impossible for a percentage",
        ),
        (("rate", -1.0, NAN, NAN), "error", "value", "impossible for a rate per 10,000"),
        (("kids", -3.0, NAN, NAN), "error", "value", "impossible for a count"),
        (("days", -10.0, NAN, NAN), "error", "value", "impossible for a number of days"),
        (("abs", 450.0, NAN, NAN), "warning", "value", "450% is over 100%"),
        (("abs", 60.0, 70.0, 50.0), "error", "numerator", "a share cannot exceed its whole"),
        (("rate", 60.0, -5.0, 100.0), "error", "numerator", "negative numerator"),
        (("rate", 60.0, 5.0, -100.0), "error", "denominator", "negative denominator"),
        (("rate", 90.0, 575.0, 71124.0), "error", "value", "numerator / denominator x 10,000"),
        (("abs", 10.0, 1.0, 4.0), "error", "value", "numerator / denominator x 100 = 25"),
        # DfE's regional attendance: a weighted 5.57% beside sessions giving 5.63% (week 37, 2022)
        (("abs", 5.56735, 5.6281, 100.0), "warning", "value", "numerator / denominator x 100"),
        (("abs", 5.0, 10.0, 2e11), "error", "denominator", "absurd magnitude for a count"),
        (("abs", 1e10, NAN, NAN), "error", "value", "absurd magnitude for a percentage"),
        (("kids", 2e9, NAN, NAN), "error", "value", "absurd magnitude for a count"),
        (("spend", 1e308, NAN, NAN), "warning", "value", "implausible magnitude"),
        (("abs", math.inf, NAN, NAN), "error", "value", "not a finite number"),
        (("rate", 12_000.0, 12.0, 10.0), "warning", "numerator", "more events than people"),
    ],
)
def test_each_rule_with_file_row_column(row, severity, column, words):
    found = findings_for(("abs", 50.0, NAN, NAN), row)  # the first row is plausible
    assert list(found.columns) == FINDING_COLUMNS
    hit = found[(found["column"] == column) & found["message"].str.contains(words, regex=False)]
    assert len(hit) == 1, found.to_dict("records")
    hit = hit.iloc[0]
    assert (hit["severity"], hit["file"], hit["row"], hit["indicator"]) == (
        severity,
        "council.csv",
        3,
        row[0],
    )


def test_plausible_figures_give_no_findings():
    found = findings_for(
        ("abs", 50.0, NAN, NAN),
        ("abs", 0.0, NAN, NAN),
        ("abs", 100.0, NAN, NAN),
        ("rate", 81.0, 575.0, 71124.0),
        ("rate", 80.84, 575.0, 71124.0),
        ("kids", 83750.0, NAN, NAN),
        ("abs", 7.0, 1.7e8, 2.44542e9),  # England's sessions in a year
        ("spend", 1.6e10, NAN, NAN),
        ("abs", 25.0, 1.0, 4.0),
        ("abs", NAN, NAN, NAN),
    )
    assert found.empty and list(found.columns) == FINDING_COLUMNS


def test_differences_may_be_negative_or_over_100():
    # an inequality gap in percentage points is a difference, not a share
    assert findings_for(("gap", -3.2, NAN, NAN), ("gap", 120.0, NAN, NAN)).empty


def test_rounded_rates_are_within_rounding():
    # DfE publishes whole rates: 575 / 71124 x 10,000 = 80.84, published 81
    assert findings_for(("rate", 81.0, 575.0, 71124.0)).empty
    assert len(findings_for(("rate", 83.0, 575.0, 71124.0))) == 1


def test_mixed_period_kinds_in_one_indicator_is_one_warning_whatever_the_area():
    found = findings_for(
        ("abs", 50.0, NAN, NAN, "academic_year"),
        ("abs", 51.0, NAN, NAN, "academic_year"),
        ("abs", 52.0, NAN, NAN, "financial_quarter"),
        ("kids", 5.0, NAN, NAN, "snapshot"),
    )
    assert len(found) == 1
    hit = found.iloc[0]
    assert (hit["severity"], hit["column"], hit["row"], hit["indicator"]) == (
        "warning",
        "period",
        4,
        "abs",
    )
    assert "academic_year (2)" in hit["message"] and "financial_quarter (1)" in hit["message"]
    assert hit["area_code"] is None


def test_errors_come_first_and_inputs_are_not_mutated():
    obs = frame(("abs", 450.0, NAN, NAN), ("abs", -1.0, NAN, NAN))
    before = obs.copy()
    found = plausibility(obs, CATALOGUE)
    pd.testing.assert_frame_equal(obs, before)
    assert found["severity"].tolist() == ["error", "warning"]
    assert summary(found) == "1 error, 1 warning"


def test_without_source_rows_or_catalogue_rows_are_missing_and_units_unknown():
    obs = frame(("abs", -4.0, NAN, NAN)).drop(columns="source_row")
    assert plausibility(obs, CATALOGUE)["row"].isna().all()
    # unknown units: nothing can be said about a negative "number"
    assert plausibility(obs, None).empty


def test_the_real_data_has_no_impossible_figure():
    import perf
    from perf.catalogue import catalogue

    found = plausibility(perf.load_all(source_rows=True), catalogue())
    assert (found["severity"] == "error").sum() == 0
    over = found[found["message"].str.contains("over 100%")]
    # real take-up against population estimates (2-year-olds' early education: 233.3%)
    assert "%_2yr_olds" in set(over["indicator"])
    newham = over[
        (over["indicator"] == "SpecFixedEx")
        & (over["area_code"] == "E09000025")
        & (over["period"] == "2015/16")
    ].iloc[0]
    assert (newham["file"], newham["row"], newham["column"]) == (
        "bds_long_0.parquet",
        56527,
        "value",
    )
    raw = pd.read_parquet(config.RAW_DIR / "lait" / "bds_long_0.parquet")
    assert raw.iloc[56527 - 1]["Short Desc"] == "SpecFixedEx"


# --- the command ---------------------------------------------------------------------------


def _local(tmp_path, rows: list[str]):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "obs.csv").write_text(
        "indicator,area_code,period,value,numerator,denominator\n" + "\n".join(rows) + "\n"
    )
    return folder


def test_cli_check_errors_exit_1_with_file_row_column(tmp_path, capsys):
    folder = _local(
        tmp_path,
        [
            "leeds_complaints_20d,E08000035,2012-13 Q1,55,,",
            "leeds_complaints_20d,E08000035,2012-13 Q2,-5,,",
            "leeds_homes_good,E08000035,2012-13 Q2,36.4,4,11",
        ],
    )
    out = tmp_path / "findings.csv"
    assert main(["check", str(folder), "-o", str(out)]) == 1
    printed = capsys.readouterr()
    assert (
        "ERROR   obs.csv, row 3, column 'value': leeds_complaints_20d E08000035 2012-13 Q2: "
        "negative value (-5)" in printed.out
    )
    assert "1 error, 0 warnings in 3 observations" in printed.err
    written = pd.read_csv(out)
    assert written[["severity", "file", "row", "column"]].values.tolist() == [
        ["error", "obs.csv", 3, "value"]
    ]


def test_cli_check_warnings_only_exit_0(tmp_path, capsys):
    folder = _local(tmp_path, ["leeds_complaints_20d,E08000035,2012-13 Q1,105,,"])
    assert main(["check", str(folder / "obs.csv")]) == 0
    printed = capsys.readouterr()
    assert "WARNING obs.csv, row 2, column 'value'" in printed.out
    assert main(["check", str(folder), "--errors-only"]) == 0
    assert "WARNING" not in capsys.readouterr().out


def test_cli_check_missing_path_is_a_perf_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_cli_check_bad_file_is_reported_not_a_traceback(bad_input_dir, capsys):
    # an unreadable file is an error finding in the one format (exit 1), not a stop: the
    # other paths given are still checked
    assert (
        main(
            [
                "check",
                str(bad_input_dir / "decimal_comma.csv"),
                str(bad_input_dir.parent / "fixtures"),
            ]
        )
        == 1
    )
    printed = capsys.readouterr()
    assert "ERROR   decimal_comma.csv, row 3, column 'value': a comma" in printed.out
    assert "in 0 observations from" in printed.err
    assert printed.err.count("perf check: ") == 2


def test_plausibility_is_vectorised_on_a_large_frame():
    # 200,000 rows, one impossible: found with its row
    n = 200_000
    obs = pd.DataFrame(
        {
            "indicator": "abs",
            "area_code": "E1",
            "period": "2015/16",
            "period_kind": "academic_year",
            "value": np.full(n, 10.0),
            "numerator": np.nan,
            "denominator": np.nan,
            "source": "big.csv",
            "source_row": np.arange(n) + 2,
        }
    )
    obs.loc[123_456, "value"] = -1.0
    found = plausibility(obs, CATALOGUE)
    assert found["row"].tolist() == [123_458]


MANY = (
    ("abs", 450.0, NAN, NAN, "academic_year"),
    ("abs", -1.0, NAN, NAN, "academic_year"),
    ("abs", 10.0, 1.0, 4.0, "financial_quarter"),
    ("rate", 12_000.0, 12.0, 10.0),
    ("abs", 5.56735, 5.6281, 100.0),
    ("kids", 2e9, NAN, NAN),
    ("unknown", -7.0, NAN, NAN),
)


def test_errors_only_gives_the_errors_and_no_warning():
    # what a load logs: the same errors as perf check, without finding the warnings
    found = plausibility(frame(*MANY), CATALOGUE)
    assert set(found["severity"]) == {"error", "warning"}
    errors = plausibility(frame(*MANY), CATALOGUE, errors_only=True)
    pd.testing.assert_frame_equal(
        errors, found[found["severity"] == "error"].reset_index(drop=True), check_dtype=False
    )
    assert list(plausibility(frame(*MANY[:1]), CATALOGUE, errors_only=True).columns) == (
        FINDING_COLUMNS
    )


def test_categorical_columns_give_the_same_findings_as_text():
    # LAIT's reader gives categoricals: the checks look units up per category, not per row
    text = frame(*MANY)
    coded = text.astype({c: "category" for c in ("indicator", "period_kind", "source")})
    pd.testing.assert_frame_equal(plausibility(coded, CATALOGUE), plausibility(text, CATALOGUE))
