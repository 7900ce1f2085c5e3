"""``areas: all`` means the councils that exist now (issue 14, item 5)."""

import json
import os
import subprocess
import sys

from perf import config
from perf.render.batch import all_local_authorities, parse_schedule
from perf.render.index import write_index

from .conftest import TINY


def test_all_leaves_out_abolished_councils():
    names = all_local_authorities()
    assert len(names) == 153
    assert {"Cumbria", "Northamptonshire"}.isdisjoint(names)
    assert {"Cumberland", "Westmorland and Furness", "North Northamptonshire"} <= set(names)


def test_a_schedule_for_all_renders_each_current_council_once():
    jobs = parse_schedule(
        {"notebooks": ["briefing"], "periods": ["2024-25"], "areas": "all"}, validate=False
    )
    assert sorted(j.parameters["area"] for j in jobs) == sorted(all_local_authorities())


_PARENT = """
import json, sys
from perf.render.batch import parse_schedule, run_batch
every = parse_schedule({"notebooks": ["briefing"], "periods": ["2024-25"], "areas": "all",
                        "parameters": {"public": True}})
tiny = parse_schedule({"notebooks": [sys.argv[1]], "periods": ["2024-25"], "areas": ["Leeds"]})
results = run_batch(tiny, out=sys.argv[2], workers=1, progress=False)
heavy = sorted(m for m in ("pandas", "numpy", "perf.areas", "perf.periods") if m in sys.modules)
print(json.dumps([len(every), [r["status"] for r in results], heavy]))
"""


def test_a_batch_parent_expands_every_council_and_runs_without_pandas(tmp_path):
    # The parent only hands out runs and writes the manifest and index: its pandas and area
    # lookup (about 90 MB) would sit idle for the whole batch. Its look-ups are cached
    # (warmed here, as any earlier batch does): the council list, each area's check, the
    # index's period order.
    warm = tmp_path / "warm"
    (warm / "2024-25" / "Leeds").mkdir(parents=True)
    (warm / "2024-25" / "Leeds" / "tiny.run.json").write_text(
        json.dumps({"notebook": "tiny", "area": "Leeds", "period": "2024-25", "status": "ok"})
    )
    write_index(warm)
    parse_schedule(
        {
            "notebooks": ["briefing"],
            "periods": ["2024-25"],
            "areas": "all",
            "parameters": {"public": True},
        }
    )
    parse_schedule({"notebooks": [str(TINY)], "periods": ["2024-25"], "areas": ["Leeds"]})
    done = subprocess.run(
        [sys.executable, "-c", _PARENT, str(TINY), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=config.PROJ_ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    count, statuses, heavy = json.loads(done.stdout.strip().splitlines()[-1])
    assert (count, statuses, heavy) == (153, ["ok"], [])
    assert (tmp_path / "out" / "2024-25" / "Leeds" / "tiny.html").exists()
