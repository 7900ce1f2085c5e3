"""perf: quarterly performance reporting for children's services.

The functions analysts reach for are importable from the top level; they are loaded
lazily so that ``import perf`` stays fast (the render path imports only what it needs).

Examples:
    >>> import perf
    >>> callable(perf.load) and callable(perf.load_all)
    True
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load": "perf.loaders",
    "load_all": "perf.loaders",
    "find_area": "perf.areas",
    "parse_period": "perf.periods",
    "score_against_target": "perf.scoring",
    "compare_periods": "perf.compare",
    "benchmark": "perf.benchmarking",
    "xmr": "perf.spc",
    "PerfError": "perf.errors",
}
# No exported name may equal a submodule's name: importing ``perf.x`` rebinds ``perf.x``
# to the module, so an export called ``x`` would silently stop being callable.

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'perf' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
