"""Run every bench/bench_*.py module's ``run()`` and print what it measured."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}")
        module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
