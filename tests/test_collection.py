"""The collection workbook: what `perf template` writes, and what `perf check` says about a
returned workbook, good and bad (every message names the sheet, row and column)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from perf import config, loaders
from perf.cli import main
from perf.collection import (
    build_template,
    check_local,
    check_paths,
    check_return,
    earlier_periods,
    write_template,
)
from perf.loaders.returns import COMMENTARY_LIMIT, ENTRY_HEADER, INDICATOR_HEADER, read_return
from perf.periods import parse_period

PERIOD = "2012-13 Q2"  # Dudley: the seed's Q1 figures are the earlier period


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template("Dudley", PERIOD, tmp_path_factory.mktemp("t") / "return.xlsx")


def _columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1]}


def _row_of(ws, indicator: str) -> int:
    col = _columns(ws)["Indicator id"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == indicator)


def fill(path: Path, out: Path, **changes) -> Path:
    """A filled-in copy of the template: every figure, status and commentary; ``changes``
    are (sheet, indicator-or-ref, column) -> value overrides via a callback."""
    book = openpyxl.load_workbook(path)
    ws = book["Indicators"]
    col = _columns(ws)
    figures = {
        "dudley_lac_rate": 101.2,
        "dudley_care_leavers_eet": 70,
        "dudley_cp_plan_rate": 31.0,
        "dudley_adoption_match_days": 190,
        "dudley_initial_assessments_10d": 75.1,
    }
    for indicator, value in figures.items():
        r = _row_of(ws, indicator)
        ws.cell(r, col["Value"], value)
        ws.cell(r, col["Target"], ws.cell(r, col["Target"]).value or 70)
        ws.cell(r, col["Commentary"], f"Commentary for {indicator}.")
    wa = book["Key activities"]
    for r in range(2, wa.max_row + 1):
        wa.cell(r, 7, "✓")
        wa.cell(r, 8, "On schedule.")
    for edit in changes.get("edits", []):
        edit(book)
    book.save(out)
    return out


@pytest.fixture
def filled(template, tmp_path) -> Path:
    return fill(template, tmp_path / "filled.xlsx")


def test_template_has_the_plan_indicators_earlier_periods_and_entry_cells(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == ["Indicators", "Key activities", "Notes", "Check"]
    assert book["Check"].sheet_state == "veryHidden" and book["Check"].protection.sheet
    ws = book["Indicators"]
    header = [c.value for c in ws[1]]
    before = earlier_periods(parse_period(PERIOD))
    assert header == INDICATOR_HEADER + before + ENTRY_HEADER
    ids = [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)]
    # the plan's order, which is the seed's
    assert ids == [
        "dudley_lac_rate",
        "dudley_care_leavers_eet",
        "dudley_cp_plan_rate",
        "dudley_adoption_match_days",
        "dudley_initial_assessments_10d",
    ]
    col = _columns(ws)
    lac = _row_of(ws, "dudley_lac_rate")
    assert ws.cell(lac, col["Ref"]).value == "PI 1178"
    assert ws.cell(lac, col["2012-13 Q1"]).value == 104.9  # pre-filled from the seed
    assert ws.cell(lac, col["Period"]).value == PERIOD
    assert ws.cell(lac, col["Value"]).value is None
    ia = _row_of(ws, "dudley_initial_assessments_10d")
    assert ws.cell(ia, col["Cumulative or in-period"]).value == "cumulative (year to date)"
    assert ws.freeze_panes == "D2" and ws.protection.sheet
    assert ws.cell(1, 1).protection.locked and not ws.cell(lac, col["Value"]).protection.locked
    assert ws.cell(lac, col["Indicator id"]).protection.locked
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"decimal", "list", "textLength"} <= kinds
    status = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert "★" in status.formula1 and "▲" in status.formula1
    value_cell = ws.cell(lac, col["Value"]).coordinate
    assert any(
        value_cell in dv.sqref for dv in ws.data_validations.dataValidation if dv.type == "decimal"
    )
    wa = book["Key activities"]
    assert [c.value for c in wa[1]][:3] == ["Ref", "Plan", "Priority"]
    assert wa.cell(2, 1).value == "YP1a" and wa.cell(2, 9).value == "Dave Perrett DCS"
    notes = book["Notes"]
    assert notes["B2"].value == "Dudley" and notes["B4"].value == PERIOD


def test_a_filled_return_reads_back_with_nothing_lost(filled):
    result = check_return(filled)
    assert result.errors == [], [p.describe(result.file) for p in result.errors]
    obs = result.observations.set_index("indicator")
    assert obs.loc["dudley_lac_rate", "value"] == 101.2
    assert len(obs) == 5 and set(obs["period"]) == {PERIOD}
    assert len(result.commentary) == 5 and len(result.activities) == 8
    assert set(result.activities["status"]) == {"good"}
    tidy = loaders.read(filled)
    assert tidy["period_kind"].eq("financial_quarter").all() and len(tidy) == 5


def _messages(path: Path) -> list[str]:
    result = check_return(path)
    return [p.describe(result.file) for p in result.problems]


def _set(sheet: str, key: str, column: str, value):
    def edit(book):
        ws = book[sheet]
        col = _columns(ws)[column]
        r = (
            _row_of(ws, key)
            if sheet == "Indicators"
            else next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == key)
        )
        ws.cell(r, col).value = value  # ws.cell(r, c, None) would leave the cell as it was

    return edit


@pytest.mark.parametrize(
    "edit, expected",
    [
        (
            _set("Indicators", "dudley_lac_rate", "Value", "about 100"),
            "sheet 'Indicators', row 2, column 'Value': text in a number cell (found 'about 100')",
        ),
        (
            _set("Indicators", "dudley_lac_rate", "Value", "=B2*2"),
            "sheet 'Indicators', row 2, column 'Value': a formula in the cell (found '=B2*2')",
        ),
        (
            _set("Indicators", "dudley_cp_plan_rate", "Indicator id", "dudley_cp_rate"),
            "sheet 'Indicators', row 4, column 'Indicator id': unknown indicator",
        ),
        (
            _set("Indicators", "dudley_lac_rate", "Council status", "star"),
            "sheet 'Indicators', row 2, column 'Council status': the status is not in the council's "
            "tolerance scheme (found 'star')",
        ),
        (
            _set("Indicators", "dudley_lac_rate", "Council status", "Red"),
            "row 2, column 'Council status': the status is not in the council's tolerance scheme",
        ),
        (
            _set("Indicators", "dudley_lac_rate", "Period", "2012-13 Q3"),
            "sheet 'Indicators', row 2, column 'Period': the period does not match the workbook's "
            "(2012-13 Q2)",
        ),
        (
            _set("Indicators", "dudley_lac_rate", "2012-13 Q1", 105.3),
            "sheet 'Indicators', row 2, column '2012-13 Q1': revision: the figure for 2012-13 Q1 was "
            "104.9 in dudley_scorecard_2012-13_q1.csv; the return gives 105.3",
        ),
        (
            _set("Indicators", "dudley_lac_rate", "2011-12 Q4", 99.0),
            "row 2, column '2011-12 Q4': a figure for 2011-12 Q4, a period perf holds no figure for",
        ),
        (
            _set("Indicators", "dudley_lac_rate", "Commentary", "x" * 5000),
            "sheet 'Indicators', row 2, column 'Commentary': the commentary is 5,000 characters; "
            f"the limit is {COMMENTARY_LIMIT:,}",
        ),
        (
            _set("Key activities", "YP1b", "Lead officer", None),
            "sheet 'Key activities', row 3, column 'Lead officer': the lead officer is blank",
        ),
        (
            _set("Key activities", "YP1b", "Status", "star"),
            "sheet 'Key activities', row 3, column 'Status': the status is not in the key-activity "
            "scheme (found 'star')",
        ),
        (
            lambda book: book["Indicators"].merge_cells("C3:D3"),
            "sheet 'Indicators', row 3: cells C3:D3 are merged",
        ),
        (
            lambda book: book.create_sheet("Sheet1"),
            "sheet 'Sheet1': the workbook has a sheet perf does not read",
        ),
        (
            lambda book: book["Indicators"].cell(1, 8, "Units"),
            "sheet 'Indicators', row 1, column 'H (Unit)': the column should be headed 'Unit' "
            "(found 'Units')",
        ),
    ],
)
def test_each_bad_input_gives_one_clear_error(template, tmp_path, edit, expected):
    messages = _messages(fill(template, tmp_path / "bad.xlsx", edits=[edit]))
    hits = [m for m in messages if expected in m]
    assert len(hits) == 1, messages
    result = check_return(tmp_path / "bad.xlsx")
    assert result.errors and result.observations is None  # nothing half-loaded


def test_every_problem_is_listed_not_only_the_first(template, tmp_path):
    path = fill(
        template,
        tmp_path / "bad.xlsx",
        edits=[
            _set("Indicators", "dudley_lac_rate", "Value", "n/k"),
            _set("Indicators", "dudley_cp_plan_rate", "Numerator", "lots"),
            _set("Key activities", "YP1a", "Status", "done"),
        ],
    )
    result = check_return(path)
    assert [(p.sheet, p.row, p.column) for p in result.errors] == [
        ("Indicators", 2, "Value"),
        ("Indicators", 4, "Numerator"),
        ("Key activities", 2, "Status"),
    ]
    with pytest.raises(loaders.PerfError, match="3 problems in the return"):
        loaders.load(path)


def test_off_target_without_commentary_is_a_warning_not_an_error(template, tmp_path):
    path = fill(
        template,
        tmp_path / "warn.xlsx",
        edits=[
            _set("Indicators", "dudley_care_leavers_eet", "Value", 40),
            _set("Indicators", "dudley_care_leavers_eet", "Commentary", None),
        ],
    )
    result = check_return(path)
    assert result.errors == []
    assert [(p.kind, p.row, p.column) for p in result.warnings] == [("warning", 3, "Commentary")]
    assert "off target but has no commentary" in result.warnings[0].describe(result.file)
    assert result.observations is not None


def test_the_council_status_in_its_scheme_is_accepted_by_symbol_or_word(template, tmp_path):
    path = fill(
        template,
        tmp_path / "ok.xlsx",
        edits=[
            _set("Indicators", "dudley_lac_rate", "Council status", "▲"),
            _set("Indicators", "dudley_cp_plan_rate", "Council status", "exceeds"),
        ],
    )
    result = check_return(path)
    assert result.errors == []
    assert dict(zip(result.statuses["indicator"], result.statuses["status"])) == {
        "dudley_lac_rate": "below",
        "dudley_cp_plan_rate": "exceeds",
    }


def test_a_csv_of_the_indicators_sheet_is_checked_but_never_taken_for_a_return(filled, tmp_path):
    # issue 27 item 9: on main it gave "0 errors ... in 0 observations ... ready to copy"
    # (no Notes sheet: no council, so nothing was read, and nothing said so)
    book = openpyxl.load_workbook(filled)
    ws = book["Indicators"]
    ws.cell(2, _columns(ws)["Value"], "12,5x")
    path = tmp_path / "return.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        import csv

        writer = csv.writer(handle)
        for row in ws.iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])
    assert loaders.detect_format(path) == "return"
    result = read_return(path)
    assert [(p.row, p.column, p.message[:40]) for p in result.errors] == [
        (None, None, "a CSV copy of the Indicators sheet is no"),
        (2, "Value", "text in a number cell"),
    ]
    findings, lines = check_paths([path])
    assert "ready to copy" not in lines[0] and lines[0].startswith("2 errors")
    assert (
        findings["message"].str.contains("Send the workbook itself (.xlsx)", regex=False).sum() == 1
    )


def test_a_workbook_without_a_plan_cannot_be_made():
    with pytest.raises(loaders.PerfError, match="no plan for E08000028"):
        build_template("Sandwell", PERIOD)


def _libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def _resave(path: Path, out_dir: Path) -> Path:
    """The workbook as LibreOffice saves it (headless convert), or, when LibreOffice is not
    installed or cannot open spreadsheets (Writer alone: soffice then exits 0 having written
    nothing, "source file could not be loaded"), with its quirks imitated: inline strings,
    no data-validation prompts kept, numbers typed as text in some cells and the sheet
    protection dropped."""
    soffice = _libreoffice()
    if soffice:
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(out_dir / 'profile').as_uri()}",  # its own profile
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(out_dir),
                str(path),
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if (out_dir / path.name).is_file():
            return out_dir / path.name
        assert "could not be loaded" in done.stderr, done.stderr  # no Calc: imitate it
    book = openpyxl.load_workbook(path)
    ws = book["Indicators"]
    col = _columns(ws)
    for r in range(2, ws.max_row + 1):
        v = ws.cell(r, col["Value"]).value
        if isinstance(v, (int, float)):
            ws.cell(r, col["Value"]).value = str(v)  # LibreOffice keeps text-typed cells text
    ws.protection.sheet = False
    out = out_dir / path.name
    book.save(out)
    return out


def test_a_workbook_saved_by_libreoffice_reads_the_same(filled, tmp_path):
    out_dir = tmp_path / "lo"
    out_dir.mkdir()
    saved = _resave(filled, out_dir)
    before, after = check_return(filled), check_return(saved)
    assert after.errors == [], [p.describe(after.file) for p in after.errors]
    assert (
        after.observations[["indicator", "value"]].values.tolist()
        == before.observations[["indicator", "value"]].values.tolist()
    )
    assert len(after.activities) == len(before.activities)


def _perf(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    import sys

    return subprocess.run(
        [sys.executable, "-m", "perf", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_commands_exit_codes_and_messages(template, tmp_path):
    bad = fill(
        template,
        tmp_path / "bad.xlsx",
        edits=[_set("Indicators", "dudley_lac_rate", "Value", "n/k")],
    )
    done = _perf("check", str(bad), cwd=tmp_path)
    assert done.returncode == 1
    assert (
        "ERROR   bad.xlsx, sheet 'Indicators', row 2, column 'Value': text in a number "
        "cell (found 'n/k')" in done.stdout
    )
    assert "1 error, 0 warnings in 0 observations from" in done.stderr
    missing = _perf("check", str(tmp_path / "nope.xlsx"), cwd=tmp_path)
    assert missing.returncode == 2 and "nope.xlsx" in missing.stderr
    none = _perf(
        "template",
        "--area",
        "Sandwell",
        "--period",
        "2025-26 Q3",
        "-o",
        str(tmp_path / "s.xlsx"),
        cwd=tmp_path,
    )
    assert none.returncode == 2 and "no plan for E08000028" in none.stderr
    assert not (tmp_path / "s.xlsx").exists()


# --- one `perf check`: the returns checks and the plausibility rules, one format ------------


def _set_value(indicator: str, column: str, value):
    return _set("Indicators", indicator, column, value)


def test_check_gives_a_return_the_plausibility_rules_on_its_figures(template, tmp_path, capsys):
    # a negative percentage reads as a number (no returns problem) but cannot be true
    odd = fill(
        template, tmp_path / "odd.xlsx", edits=[_set_value("dudley_care_leavers_eet", "Value", -5)]
    )
    out = tmp_path / "findings.csv"
    assert main(["check", str(odd), "-o", str(out)]) == 1
    printed = capsys.readouterr()
    row = _row_of(openpyxl.load_workbook(odd)["Indicators"], "dudley_care_leavers_eet")
    assert (
        f"ERROR   odd.xlsx, sheet 'Indicators', row {row}, column 'value': "
        "dudley_care_leavers_eet E08000027 2012-13 Q2: negative value (-5)"
    ) in printed.out
    written = pd.read_csv(out)
    assert written.columns.tolist()[:5] == ["severity", "file", "sheet", "row", "column"]
    assert written[["severity", "sheet", "row"]].values.tolist()[0] == ["error", "Indicators", row]


def test_check_exits_1_on_a_revision_and_0_with_warnings_only(template, tmp_path, capsys):
    revised = fill(
        template,
        tmp_path / "revised.xlsx",
        edits=[_set_value("dudley_lac_rate", "2012-13 Q1", 99.0)],
    )
    assert main(["check", str(revised)]) == 1
    out = capsys.readouterr()
    assert "REVISION revised.xlsx, sheet 'Indicators'" in out.out
    assert "1 revision" in out.err
    quiet = fill(
        template,
        tmp_path / "quiet.xlsx",
        edits=[
            _set_value("dudley_care_leavers_eet", "Value", 20),
            _set_value("dudley_care_leavers_eet", "Commentary", None),
        ],
    )
    assert main(["check", str(quiet)]) == 0
    out = capsys.readouterr()
    assert "WARNING quiet.xlsx, sheet 'Indicators'" in out.out and "Commentary" in out.out
    assert main(["check", str(quiet), "--errors-only"]) == 0
    assert "WARNING" not in capsys.readouterr().out


def test_check_of_a_data_folder_runs_the_returns_checks_of_its_local_folder(
    template, tmp_path, capsys
):
    data = tmp_path / "data"
    (data / "local").mkdir(parents=True)
    fill(
        template, data / "local" / "bad.xlsx", edits=[_set_value("dudley_lac_rate", "Value", "n/k")]
    )
    (data / "obs.csv").write_text(
        "indicator,area_code,period,value\nleeds_complaints_20d,E08000035,2012-13 Q1,105\n"
    )
    assert main(["check", str(data)]) == 1
    out = capsys.readouterr().out
    assert "ERROR   bad.xlsx, sheet 'Indicators', row 2, column 'Value'" in out
    assert "WARNING obs.csv, row 2, column 'value'" in out  # plausibility of the folder


@pytest.mark.parametrize("with_error", [False, True])
def test_the_mixed_period_warning_across_files_stands_beside_a_returns_errors(
    template, tmp_path, capsys, with_error
):
    # the return's quarter for dudley_lac_rate beside another file's years of it: a trend of
    # them compares unlike periods, whether or not another row of the return has an error
    data = tmp_path / "data"
    (data / "local").mkdir(parents=True)
    edits = [_set_value("dudley_care_leavers_eet", "Value", "n/k")] if with_error else []
    fill(template, data / "local" / "ret.xlsx", edits=edits)
    (data / "years.csv").write_text(
        "indicator,area_code,period,value\n"
        "dudley_lac_rate,E08000027,2010-11,100.0\n"
        "dudley_lac_rate,E08000027,2011-12,101.0\n"
    )
    assert main(["check", str(data)]) == (1 if with_error else 0)
    out = capsys.readouterr().out
    row = _row_of(openpyxl.load_workbook(template)["Indicators"], "dudley_lac_rate")
    assert (
        f"WARNING ret.xlsx, row {row}, column 'period': dudley_lac_rate 2012-13 Q2: "
        "dudley_lac_rate mixes period kinds: financial_year (2), financial_quarter (1); "
        "the first financial_quarter is here"
    ) in out
    assert ("ERROR   ret.xlsx, sheet 'Indicators'" in out) is with_error
    assert out.count("mixes period kinds") == 1


_PLANS = "area_code,plan,scheme,priority,objective,kind,item,ref,lead_officer\n"
_STATUSES = "indicator,area_code,period,status\n"


def test_a_bad_plan_file_is_listed_once_and_statuses_are_checked_against_good_plans(tmp_path):
    local = tmp_path / "data" / "local"
    local.mkdir(parents=True)
    (local / "plans.csv").write_text(
        _PLANS + "E08000027,Council Plan,traffic lights,Young people,,indicator,dudley_lac_rate,,\n"
    )
    (local / "statuses.csv").write_text(_STATUSES + "dudley_lac_rate,E08000027,2012-13 Q1,green\n")
    found = check_local(local, data_dir=tmp_path / "data")
    assert found["file"].tolist() == ["plans.csv"]
    assert "unknown status scheme" in found["message"].iloc[0]
    (local / "plans.csv").write_text(
        _PLANS + "E08000027,Council Plan,tolerance,Young people,,indicator,dudley_lac_rate,,\n"
    )
    found = check_local(local, data_dir=tmp_path / "data")  # the plans read: schemes checked
    assert found["file"].tolist() == ["statuses.csv"]
    assert (found["row"].iloc[0], found["column"].iloc[0]) == (2, "status")


def test_check_paths_counts_one_observation_in_the_singular(tmp_path):
    lines = (config.LOCAL_DIR / "observations.csv").read_text().splitlines()
    one = tmp_path / "one.csv"
    one.write_text("\n".join(lines[:2]) + "\n")
    _, said = check_paths([one])
    assert said == [f"0 errors, 0 warnings in 1 observation from {one}"]


def test_the_template_prefills_what_the_council_s_returns_computed(tmp_path):
    # the council's own returns (a small synthetic pair) in data/local, and a plan holding
    # two of their measures and one they cannot give
    from perf.childlevel.synthetic import generate, write

    data = tmp_path / "data"
    write(generate(children=60, referrals=200, seed=4), data / "local" / "dudley_returns")
    (data / "local" / "plans.csv").write_text(
        "area_code,plan,scheme,priority,objective,kind,item,ref,lead_officer\n"
        "E08000027,Plan,rag,Safety,,indicator,cla_count,1,\n"
        "E08000027,Plan,rag,Safety,,indicator,ReReferral,2,\n"
        "E08000027,Plan,rag,Safety,,indicator,dudley_lac_rate,3,\n"
    )
    computed = loaders.load_all(data)
    book = build_template("Dudley", "2025-26 Q2", data_dir=data)
    ws = book["Indicators"]
    col = _columns(ws)

    def cell(indicator: str, column: str):
        return ws.cell(_row_of(ws, indicator), col[column])

    looked_after = computed[
        (computed["indicator"] == "cla_count") & (computed["period"] == "30 September 2025")
    ]["value"].iloc[0]
    assert cell("cla_count", "Value").value == looked_after  # the count on the quarter's end
    again = computed[
        (computed["indicator"] == "ReReferral") & (computed["period"] == "2025-26 Q2")
    ].iloc[0]
    assert cell("ReReferral", "Numerator").value == again["numerator"]
    assert cell("ReReferral", "Denominator").value == again["denominator"]
    assert cell("ReReferral", "Value").value == round(again["value"], 1)
    for indicator in ("cla_count", "ReReferral"):
        assert cell(indicator, "Value").protection.locked  # nothing to type
        assert "Computed by perf from the council's" in cell(indicator, "Value").comment.text
        assert not cell(indicator, "Commentary").protection.locked  # still theirs to write
        assert not cell(indicator, "Council status").protection.locked
    assert "children in need census" in cell("ReReferral", "Value").comment.text
    assert "Synthetic worked example [ex]" in cell("cla_count", "Value").comment.text
    # what the returns cannot give is left to the service lead
    assert cell("dudley_lac_rate", "Value").value is None
    assert not cell("dudley_lac_rate", "Value").protection.locked


# --- issue 27: input that never misleads ------------------------------------------------


def test_a_note_in_data_is_a_finding_and_everything_else_is_still_checked(tmp_path, capsys):
    # on main: one notes.txt made `perf check` check nothing ("in 0 observations")
    data = tmp_path / "data"
    shutil.copytree(config.LOCAL_DIR, data / "local")
    (data / "notes.txt").write_text("Ask Sam about the Q3 figures\n")
    assert main(["check", str(data)]) == 1
    out = capsys.readouterr()
    assert "ERROR   notes.txt, row 1: the file's header matches no supported format" in out.out
    held = len(loaders.load_all(config.LOCAL_DIR))
    assert f" in {held:,} observations from {data}" in out.err


def test_two_returns_for_one_council_and_period_are_both_named_and_nothing_else(template, tmp_path):
    # on main a draft in data/local/archive/ stopped every Dudley briefing, while perf check
    # listed 20 false errors ("a period perf holds no figure for") on the good return
    data = tmp_path / "data"
    shutil.copytree(config.LOCAL_DIR, data / "local")
    fill(template, data / "local" / "dudley_q2.xlsx")
    (data / "local" / "archive").mkdir()
    fill(template, data / "local" / "archive" / "dudley_q2_draft.xlsx")
    findings, _ = check_paths([data], data_dir=data)
    errors = findings[findings["severity"] != "warning"]
    assert sorted(errors["file"]) == ["dudley_q2.xlsx", "dudley_q2_draft.xlsx"]
    assert set(errors["message"].str[:80]) == {
        "2 returns for E08000027 in 2012-13 Q2 (archive/dudley_q2_draft.xlsx, dudley_q2.xlsx): "[
            :80
        ]
    }
    loaded = loaders.load_all_isolated(data)
    assert sorted((f.file, tuple(f.areas)) for f in loaded.failures) == [
        ("dudley_q2.xlsx", ("E08000027",)),
        ("dudley_q2_draft.xlsx", ("E08000027",)),
    ]
    # the good return on its own, before it is copied in: no false errors, one warning
    alone = check_return(fill(template, tmp_path / "dudley_q2.xlsx"), data_dir=data)
    assert alone.errors == []
    assert any("data/local already holds a return" in p.message for p in alone.warnings)


def test_a_key_activity_typed_as_a_formula_is_text_in_the_next_template(tmp_path):
    # on main a service lead's =HYPERLINK(...) title became a live formula in the next
    # quarter's template, sent to every lead
    data = tmp_path / "data"
    shutil.copytree(config.LOCAL_DIR, data / "local")
    title = '=HYPERLINK("http://evil.example/","Improve outcomes")'
    acts = data / "local" / "key_activities.csv"
    frame = pd.read_csv(acts, dtype=str, keep_default_na=False)
    frame.loc[frame["ref"] == "YP1a", "activity"] = title  # as a return brought it in
    frame.to_csv(acts, index=False)
    held = loaders.load_key_activities(data)
    assert set(held.loc[held["ref"] == "YP1a", "activity"]) == {title}
    path = write_template("Dudley", "2012-13 Q2", tmp_path / "next.xlsx", data_dir=data)
    cell = openpyxl.load_workbook(path)["Key activities"]["E2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (title, "s", True)
    assert "<f>" not in zipfile.ZipFile(path).read("xl/worksheets/sheet2.xml").decode()
