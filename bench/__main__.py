"""Run every bench/bench_*.py module's ``run()`` and print what it measured.

``BENCH_ONLY=NAME`` runs only ``bench_NAME`` when there is such a module (``render``, ``dask``,
``load``, ``packs``, ``baseline``); other values are read by the modules themselves
(``single``: bench_render's one-briefing part; ``batch``: its batch parts). Every goal's
verdict is listed again at the end.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

from bench.goals import summary


def main() -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    only = f"bench_{os.environ.get('BENCH_ONLY', '').strip().lower()}"
    if only in names:
        names = [only]
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}")
        module.run()
    summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
