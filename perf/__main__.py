"""``python -m perf`` is the ``perf`` command."""

from perf.cli import main

raise SystemExit(main())
