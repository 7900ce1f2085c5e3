"""Revisions across renders: find the last briefing's frozen record, freeze this one's.

Before a briefing runs, :func:`with_previous` points its ``previous`` parameter at the frozen
record of the last earlier briefing of the same area; after it succeeds, :func:`freeze_shown`
writes the figures it reported showing (:data:`perf.config.SHOWN_MIMETYPE`) beside its HTML.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from perf import config
from perf.config import SHOWN_MIMETYPE
from perf.errors import PerfError
from perf.fileio import slug
from perf.render.registry import INTERNAL_DIR, notebook_name

__all__ = ["freeze_after", "freeze_shown", "previous_record", "run_and_freeze", "with_previous"]

def _record_mode(path: Path) -> str | None:
    """The ``mode`` (public or internal) of a frozen record, read without pandas."""
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                return row.get("mode")
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def previous_record(out: str | Path, notebook: str | Path,
                    params: Mapping[str, Any]) -> Path | None:
    """The frozen record of the latest briefing for the same area and the same cycle under
    the outputs root ``out`` whose period ended before this one's
    (``<out>/<period>/<area>/<notebook>.frozen.csv``, periods ordered by :mod:`perf.periods`);
    None if there is none.

    The same cycle: a quarter is compared with an earlier quarter, a year with an earlier
    year (a 2024-25 briefing never with 2012-13 Q1's). A public briefing only compares with
    a public record (an internal one was never published, and its old figures could
    disclose a small count).
    """
    # Lazy: perf.periods and perf.revisions need pandas; this runs before the kernel starts.
    from perf.periods import parse_period
    from perf.revisions import frozen_path

    area, period = params.get("area"), params.get("period")
    if not isinstance(area, str) or not area or not isinstance(period, str) or not period:
        return None
    current = parse_period(period)
    public = params.get("public", True) is not False
    name = frozen_path(f"{notebook_name(notebook)}.html").name
    best: tuple[tuple, Path] | None = None
    roots = [Path(out)] + ([] if public else [Path(out) / INTERNAL_DIR])
    for path in (p for root in roots for p in root.glob(f"*/{slug(area)}/{name}")):
        try:
            earlier = parse_period(path.parent.parent.name.replace("_", " "))
        except PerfError:
            continue
        if earlier.kind != current.kind or earlier.end >= current.end or (
                public and _record_mode(path) != "public"):
            continue
        key = (earlier.end, earlier.start, path.parent.parent.name)
        if best is None or key > best[0]:
            best = (key, path)
    return best[1] if best else None


def with_previous(notebook: str | Path, params: Mapping[str, Any],
                  out: str | Path | None) -> dict[str, Any]:
    """``params`` with ``previous`` set to the last briefing's frozen record, for a notebook
    that declares a ``previous`` parameter the caller left blank (validated ``params``)."""
    params = dict(params)
    if "previous" not in params or str(params.get("previous") or "").strip():
        return params
    found = previous_record(out or config.OUTPUTS_DIR, notebook, params)
    if found is not None:
        found = found.resolve()
        params["previous"] = (found.relative_to(config.PROJ_ROOT).as_posix()
                              if found.is_relative_to(config.PROJ_ROOT) else str(found))
    return params


def freeze_shown(result) -> Path | None:
    """After a successful run, freeze the figures the notebook reported showing
    (:data:`perf.config.SHOWN_MIMETYPE`) beside its HTML; returns the record's path.

    Nothing is written for a failed run, or a notebook that reported no figures.
    """
    if result.status != "ok" or not result.html or not result.executed_notebook:
        return None
    nb = json.loads(Path(result.executed_notebook).read_text(encoding="utf-8"))
    shown = None
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(SHOWN_MIMETYPE)
            if data is not None:
                shown = json.loads(data) if isinstance(data, str) else data
    if shown is None:
        return None
    # Lazy: pandas only once there is something to freeze (the kernel has finished).
    import pandas as pd

    from perf.revisions import freeze, frozen_path

    frame = pd.DataFrame(shown["rows"], columns=shown["columns"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return freeze(frame, frozen_path(result.html), briefing=shown.get("briefing"),
                  public=bool(shown.get("public", True)))


def run_and_freeze(renderer, notebook: str | Path, params: Mapping[str, Any],
                   out: str | Path | None = None, formats=("html",)):
    """:meth:`perf.render.runner.Renderer.run` for validated ``params`` (and the output
    ``formats``), comparing with the last briefing's frozen record (:func:`with_previous`)
    and freezing this one's figures after success (:func:`freeze_shown`)."""
    result = renderer.run(notebook, with_previous(notebook, params, out), out=out,
                          formats=formats)
    freeze_after(result)
    return result


def freeze_after(result) -> None:
    try:
        freeze_shown(result)
    except (PerfError, OSError, ValueError, KeyError) as exc:
        # The HTML is out; without its record the next briefing cannot mark revisions.
        config.get_logger().warning("could not freeze the figures of %s: %s", result.html, exc)

