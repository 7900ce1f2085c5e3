"""perf.charts.draw: the house style as a context, value-axis labels, the label stack, and
no pyplot."""

from __future__ import annotations

import matplotlib
import numpy as np

from perf.charts.draw import AF_STYLE, PERF_STYLE, StepFormatter, house_style, stack


def test_style_does_not_leak() -> None:
    before = dict(matplotlib.rcParams)
    with house_style():
        assert matplotlib.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    assert dict(matplotlib.rcParams) == before


def test_house_style_is_the_two_style_files() -> None:
    """The settings read once and cached are what style.use of the two files gives."""
    import matplotlib.style

    with matplotlib.style.context([str(AF_STYLE), str(PERF_STYLE)]):
        expected = dict(matplotlib.rcParams)
    with house_style():
        assert dict(matplotlib.rcParams) == expected


def test_charts_do_not_import_pyplot() -> None:
    """pyplot costs a render ~0.3 s and is never needed to draw a chart."""
    import subprocess
    import sys

    code = (
        "import sys, importlib, pkgutil, perf.charts; "
        "[importlib.import_module('perf.charts.' + m.name) "
        "for m in pkgutil.iter_modules(perf.charts.__path__)]; "
        "print('matplotlib.pyplot' in sys.modules, 'perf.charts.spine' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False True"


def test_step_formatter_decimals() -> None:
    fmt = StepFormatter("%")
    fmt.set_locs([0, 0.5, 1.0, 1.5])
    assert [fmt(x) for x in (0, 0.5, 1.0, 1.5)] == ["0.0%", "0.5%", "1.0%", "1.5%"]
    fmt.set_locs([0, 25, 50])
    assert [fmt(x) for x in (0, 25, 50)] == ["0%", "25%", "50%"]
    fmt = StepFormatter()
    fmt.set_locs([1000, 1250, 1500])
    assert fmt(1250) == "1,250"


def test_direct_label_stack() -> None:
    placed = stack([10, 10.5, 11, 50], [10, 10, 20, 10], 2)
    assert placed[3] == 50  # a label clear of the crowd stays on its point
    centres = sorted(zip(placed[:3], [10, 10, 20]))
    for (ya, ha), (yb, hb) in zip(centres, centres[1:]):
        assert yb - ya >= (ha + hb) / 2 + 2 - 1e-9
    assert abs(np.mean(placed[:3]) - np.mean([10, 10.5, 11])) < 1e-3  # centred on the points
