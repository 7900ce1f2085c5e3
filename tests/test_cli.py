"""perf.cli: the ``perf`` command line. ``perf render``, ``perf batch``, ``perf params`` and
``perf runner`` run as a user runs them (a process each); the argument handling, ``perf tidy``
and the exit codes in this process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import perf as perf_module
import perf.render.batch as batch
from perf import config
from perf.cli import _parse_assignments, build_parser, main
from perf.errors import ParameterError
from perf.render import server

TINY = Path(__file__).parent / "fixtures" / "notebooks" / "tiny.ipynb"


def perf(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "perf", *args],
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_params_lists_names_types_defaults_and_help():
    done = perf("params", "briefing")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.split()[:2] == ["area", "str"] and "'Dudley'" in line for line in lines)
    assert any("local authority name" in line for line in lines)
    assert any(line.split()[:2] == ["public", "bool"] for line in lines)


def test_params_json_is_machine_readable():
    done = perf("params", str(TINY), "--json")
    specs = {p["name"]: p for p in json.loads(done.stdout)}
    assert specs["repeats"] == {
        "name": "repeats",
        "type": "int",
        "default": 2,
        "help": "how many list items to show",
    }


def test_render_misspelt_parameter_exits_2_and_renders_nothing(tmp_path):
    done = perf("render", "briefing", "-p", "comittee=Cabinet", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "unknown parameter 'comittee'" in done.stderr and "committee" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_unknown_area_exits_2_with_suggestion(tmp_path):
    done = perf("render", "briefing", "--area", "Dudly", "--out", str(tmp_path))
    assert done.returncode == 2 and "Did you mean: Dudley" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_writes_html_and_index(tmp_path):
    done = perf(
        "render",
        str(TINY),
        "--area",
        "E08000035",
        "--period",
        "2012/13 Q2",
        "-p",
        "repeats=4",
        "--out",
        str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    html = tmp_path / "2012-13_Q2" / "Leeds" / "tiny.html"
    assert done.stdout.startswith(str(html))
    assert html.read_text().count("<li>item ") == 4
    assert "2012-13_Q2/Leeds/tiny.html" in (tmp_path / "index.html").read_text()


def test_render_failure_exits_non_zero_and_points_at_the_marked_notebook(tmp_path):
    done = perf("render", str(TINY), "-p", "fail_area=Dudley", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "deliberate failure for Dudley" in done.stderr and "tiny.failed.ipynb" in done.stderr


def test_batch_with_a_failing_area_exits_1_and_marks_it_in_the_manifest(tmp_path):
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text(
        f"notebooks: ['{TINY}']\nperiods: ['2024-25']\nareas: [Dudley, Leeds, Wigan]\n"
        "parameters: {fail_area: Wigan}\n"
    )
    out = tmp_path / "out"
    done = perf("batch", str(schedule), "--workers", "2", "--out", str(out), "--no-progress")
    assert done.returncode == 1, done.stderr
    assert "3 runs: 2 ok, 1 failed" in done.stdout
    rows = json.loads((out / "manifest.json").read_text())
    assert {r["area"]: r["status"] for r in rows} == {
        "Dudley": "ok",
        "Leeds": "ok",
        "Wigan": "failed",
    }
    assert "deliberate failure for Wigan" in next(r for r in rows if r["area"] == "Wigan")["error"]


def test_batch_rejects_a_bad_schedule_before_running(tmp_path):
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text("periods: ['2024-25']\nareas: [Dudley]\nparameters: {publc: false}\n")
    done = perf("batch", str(schedule), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "unknown parameter 'publc'" in done.stderr
    assert not (tmp_path / "out").exists()


def test_runner_serves_renders_with_a_warm_kernel_and_stops(tmp_path):
    """`perf runner start`: later renders use its kernel, each in a clean namespace (the tiny
    notebook asserts it), parameters are still validated first, and `stop` ends it."""
    env = {**os.environ, "PERF_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "perf", *args],
            cwd=config.PROJ_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    out = tmp_path / "out"
    assert run("runner", "start").returncode == 0
    try:
        for area in ("Dudley", "Leeds"):
            done = run("render", str(TINY), "--area", area, "--out", str(out))
            assert done.returncode == 0, done.stderr
        assert "2 runs" in run("runner", "status").stdout  # both went through the runner
        bad = run("render", str(TINY), "--area", "Dudly", "--out", str(out))
        assert bad.returncode == 2 and "Did you mean: Dudley?" in bad.stderr
        assert "2 runs" in run("runner", "status").stdout  # nothing executed for it
        assert (out / "2024-25" / "Leeds" / "tiny.html").exists()
        assert "2024-25/Leeds/tiny.html" in (out / "index.html").read_text()
    finally:
        assert run("runner", "stop").stdout.strip() == "runner stopped"
    assert run("runner", "status").returncode == 1


def test_output_piped_into_a_reader_that_stops_early_is_not_an_error():
    # `perf params briefing | head -1` used to end in a BrokenPipeError traceback.
    done = subprocess.run(
        f"'{sys.executable}' -m perf params briefing | head -c 1 >/dev/null",
        shell=True,
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
        check=False,
        executable="/bin/bash",
    )
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr


# --- in this process --------------------------------------------------------------------


def test_help_lists_every_command_and_loads_no_data_library():
    assert set(build_parser()._subparsers._group_actions[0].choices) == {
        "tidy",
        "check",
        "render",
        "batch",
        "params",
        "runner",
        "template",
        "synth",
    }
    code = (
        "import sys\nfrom perf.cli import main\ntry:\n    main(['--help'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'papermill') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "{tidy,check,render,batch,params,runner,template,synth}" in done.stdout
    assert done.stdout.rstrip().endswith("[]")


def test_tidy_writes_the_tidy_csv_to_stdout(capsys):
    assert main(["tidy", str(config.LOCAL_DIR / "targets.csv")]) == 0
    out = capsys.readouterr().out.splitlines()
    # flag: ex for an example; set_by and set_on: who set the target and when
    assert out[0] == "indicator,area_code,period,target,flag,set_by,set_on"
    assert any(line.startswith("dudley_lac_rate,E08000027,2012-13 Q1,98.8,,") for line in out)


def test_tidy_to_a_file_says_how_many_rows(tmp_path, capsys):
    out = tmp_path / "sub" / "targets.csv"
    assert main(["tidy", str(config.LOCAL_DIR / "targets.csv"), "-o", str(out)]) == 0
    frame = pd.read_csv(out)
    assert f"wrote {len(frame)} rows to {out}" in capsys.readouterr().err
    assert sorted(p.name for p in out.parent.iterdir()) == ["targets.csv"]


def test_tidy_of_one_row_says_row(tmp_path, capsys):
    source = tmp_path / "targets.csv"
    source.write_text(
        "\n".join((config.LOCAL_DIR / "targets.csv").read_text().splitlines()[:2]) + "\n"
    )
    out = tmp_path / "tidy.csv"
    assert main(["tidy", str(source), "-o", str(out)]) == 0
    assert f"wrote 1 row to {out}" in capsys.readouterr().err


def test_batch_of_one_run_says_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(batch, "load_schedule", lambda path: ["one job"])
    monkeypatch.setattr(batch, "schedule_cluster", lambda path: None)
    monkeypatch.setattr(batch, "run_batch", lambda jobs, **kw: [{"status": "ok"}])
    assert main(["batch", str(tmp_path / "schedule.yaml"), "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("1 run: 1 ok, 0 failed; ")


def test_render_says_plainly_which_earlier_files_it_kept(monkeypatch, capsys):
    import perf.render.api as api
    from perf.render.runner import RunResult

    result = RunResult(
        "briefing",
        {"area": "Dudley", "period": "2024-25"},
        "ok",
        1.0,
        "out/2024-25/Dudley/briefing.html",
        "out/2024-25/Dudley/briefing.ipynb",
        "out/2024-25/Dudley/briefing.log",
        outputs={"docx": "out/2024-25/Dudley/D.docx"},
        earlier={"pdf": "out/2024-25/Dudley/D.pdf"},
    )
    monkeypatch.setattr(api, "render", lambda *a, **k: result)
    assert main(["render", "briefing", "--to", "html,docx"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ("out/2024-25/Dudley/briefing.html (1.0 s)\nout/2024-25/Dudley/D.docx\n")
    assert captured.err == (
        "kept out/2024-25/Dudley/D.pdf from an earlier run: it may not match this HTML, so "
        "the index does not list it (add pdf to --to to write it again, or delete it)\n"
    )


def test_runner_status_of_one_run_says_run(monkeypatch, capsys):
    monkeypatch.setattr(server, "status", lambda: {"pid": 123, "runs": 1})
    assert main(["runner", "status"]) == 0
    assert capsys.readouterr().out == "runner running (pid 123, 1 run)\n"


def test_tidy_to_a_file_that_fails_leaves_nothing_behind(tmp_path, monkeypatch):
    def failing_to_csv(frame, path=None, *args, **kwargs):
        if path is not None:
            Path(path).write_text("indicator,area_code\n")  # part of the file, then the disk fills
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing_to_csv)
    with pytest.raises(OSError, match="disk full"):
        main(["tidy", str(config.LOCAL_DIR / "targets.csv"), "-o", str(tmp_path / "t.csv")])
    assert list(tmp_path.iterdir()) == []


def test_a_perf_error_exits_2_with_one_line_naming_the_command(capsys):
    assert main(["tidy", "/no/such/file.csv"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("perf tidy: /no/such/file.csv") and err.count("\n") == 1
    assert "Traceback" not in err


def test_params_in_this_process(capsys):
    assert main(["params", "briefing"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Parameters of briefing.ipynb (set with --area, --period or -p NAME=VALUE):"
    )
    assert "  area" in out and "default 'Dudley'" in out


def test_parameters_files_then_pairs_later_ones_win(tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("area: Leeds\nyears: 5\n")
    second.write_text("years: 7\n")
    assert _parse_assignments(["area=Wigan", "committee=A = B"], [str(first), str(second)]) == {
        "area": "Wigan",
        "years": 7,
        "committee": "A = B",
    }
    assert _parse_assignments(None, None) == {}


@pytest.mark.parametrize("pair", ["area", "=Leeds", " =x"])
def test_a_pair_without_a_name_and_value_is_a_parameter_error(pair):
    with pytest.raises(ParameterError, match="-p expects name=value"):
        _parse_assignments([pair], None)


@pytest.mark.parametrize(
    ("text", "message"),
    [("- a\n- b\n", "must be a mapping"), ("a: [1\n", "cannot read parameters file")],
)
def test_a_bad_parameters_file_is_a_parameter_error(tmp_path, text, message):
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(ParameterError, match=message):
        _parse_assignments(None, [str(path)])


def test_a_missing_parameters_file_exits_2(tmp_path, capsys):
    assert main(["render", str(TINY), "-f", str(tmp_path / "none.yaml")]) == 2
    assert "cannot read parameters file" in capsys.readouterr().err


def test_runner_status_without_a_runner_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PERF_CACHE_DIR", str(tmp_path))
    assert main(["runner", "status"]) == 1
    assert capsys.readouterr().out == "no runner running\n"
    assert main(["runner", "stop"]) == 0
    assert capsys.readouterr().out == "no runner was running\n"


def test_an_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["publish"])
    assert raised.value.code == 2 and "invalid choice: 'publish'" in capsys.readouterr().err


def test_version_names_the_package():
    done = perf("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"perf {perf_module.__version__}"


def test_tidy_and_check_write_formula_like_text_as_text(tmp_path, capsys):
    # issue 27 item 6: every CSV perf writes keeps a cell starting with = as text
    title = '=HYPERLINK("http://evil.example/","Improve outcomes")'
    source = tmp_path / "key_activities.csv"
    rows = (config.LOCAL_DIR / "key_activities.csv").read_text(encoding="utf-8").splitlines()
    first = next(csv.reader([rows[1]]))
    first[5] = title
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([next(csv.reader([rows[0]])), first])
    source.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp_path / "tidy.csv"
    assert main(["tidy", str(source), "-o", str(out)]) == 0
    tidy = list(csv.DictReader(out.open(encoding="utf-8")))
    assert tidy[0]["activity"] == "'" + title
    bad = tmp_path / "=cmd.csv"
    bad.write_text("not,a,known,header\n1,2,3,4\n", encoding="utf-8")
    findings = tmp_path / "findings.csv"
    assert main(["check", str(bad), "-o", str(findings)]) == 1
    assert [r["file"] for r in csv.DictReader(findings.open(encoding="utf-8"))] == ["'=cmd.csv"]
