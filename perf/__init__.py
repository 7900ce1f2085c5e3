"""perf: quarterly performance reporting for children's services.

Exploring (areas: a name, ONS code or DfE number; periods: any label, e.g. ``2024-25``,
``2024-25 Q2``, ``31 March 2025``, ``2024/25``; published figures unless ``public=False``):

  changes(area, period)              every indicator's latest figure for the area, its
                                     change since the comparable period a year earlier
                                     and direction, England, region, neighbours, rank
  trend_chart(area, indicator, comparators=("England", "region", "neighbours"))
                                     a chart over time; shows itself in JupyterLab,
                                     ``.save("chart.png")`` writes it
  benchmark_chart(area, indicator, period=None)
                                     every council ranked, the area highlighted
  explorer(area, indicator)          JupyterLab widgets: choose, see, copy as code
  indicators(area=None)              indicator ids, titles, units, periods covered
  areas()                            every area: ONS code, DfE number, name, region
  find_area(query)                   one area (close matches suggested when unknown)

Data and analysis on frames:

  load_all() / load(path)            every file under data/ / one file, as tidy rows
  parse_period(label)                a label -> Period (kind, start, end, label)
  compare_periods(frame, period, catalogue)
                                     three comparisons per indicator, long format
  benchmark(frame, indicator, period)
                                     LAIT rank, quartile and comparators per council
  score_against_target(frame, targets, catalogue)
                                     status against target per indicator and period
  xmr(values)                        statistical process control (XmR) limits
  PerfError                          the root of every error perf raises

Each name loads on first use, so ``import perf`` stays fast.

Examples:
    >>> import perf
    >>> perf.changes("Leeds", "2024-25").set_index("indicator").loc["cla_rate", "direction"]
    'improving'
"""

from __future__ import annotations

import importlib as _importlib

__version__ = "0.1.0"

_EXPORTS = {
    "changes": "perf.report.analyst",
    "trend_chart": "perf.report.analyst",
    "benchmark_chart": "perf.report.analyst",
    "indicators": "perf.report.analyst",
    "explorer": "perf.report.explorer",
    "areas": "perf.areas",
    "find_area": "perf.areas",
    "load": "perf.loaders",
    "load_all": "perf.loaders",
    "parse_period": "perf.periods",
    "score_against_target": "perf.scoring",
    "compare_periods": "perf.compare",
    "benchmark": "perf.benchmarking",
    "xmr": "perf.spc",
    "PerfError": "perf.errors",
}
# No exported name may be a submodule's name, except ``areas``, which *is* the submodule:
# importing ``perf.x`` rebinds ``perf.x`` to the module, so a function called ``x`` would
# silently stop being callable; the ``perf.areas`` module is callable itself
# (``perf.areas()`` lists the areas), so it stays the one object whatever was imported.

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'perf' has no attribute {name!r}")
    loaded = _importlib.import_module(module)
    value = loaded if module == f"perf.{name}" else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
