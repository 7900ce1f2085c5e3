"""What a rendered page says about how it was made: the time of the run and the code version.

Examples:
    >>> import os
    >>> os.environ["SOURCE_DATE_EPOCH"] = "0"
    >>> run_time().isoformat()
    '1970-01-01T00:00:00+00:00'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    >>> code_version().startswith("perf ")
    True
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone

from perf import __version__, config
from perf.errors import RenderError

__all__ = ["code_version", "run_time"]


def run_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds), in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except ValueError as exc:
            raise RenderError(
                "SOURCE_DATE_EPOCH must be whole seconds since 1970", value=epoch
            ) from exc
    return datetime.now(tz=timezone.utc).replace(microsecond=0)


_CODE_VERSION: str | None = None


def code_version() -> str:
    """``git describe --always --dirty`` of the project, else the package version."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        try:
            done = subprocess.run(
                ["git", "describe", "--tags", "--always", "--dirty"],
                cwd=config.PROJ_ROOT,
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
            described = done.stdout.strip() if done.returncode == 0 else ""
        except (OSError, subprocess.SubprocessError):
            described = ""
        _CODE_VERSION = f"perf {__version__}" + (f" (git {described})" if described else "")
    return _CODE_VERSION
