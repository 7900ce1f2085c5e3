"""The outputs index: every run under an outputs root, by period and area, with its status.

Built from the ``*.run.json`` records beside each output, so single renders and batches
(and batches with different schedules) all appear. Links are relative, so the folder can
be copied or shared as it is.
"""

from __future__ import annotations

import html as html_lib
import json
from pathlib import Path
from typing import Any

from perf.cache import steady_inputs
from perf.fileio import atomic_write
from perf.render.html import page_html, wrap_tables
from perf.render.registry import INTERNAL_DIR, period_span

__all__ = ["write_index"]


def _period_sort_key(label: str) -> tuple:
    span = period_span(label.replace("_", " "))
    if span is None:  # a folder that is not a period sorts after the periods
        return (1, 0, 0, label)
    start, end = span
    return (0, -end, -start, label)


#: The committee copies a run may record, as the index names them.
_COPIES = (("pdf", "PDF"), ("docx", "Word"))


def _copies(record: dict[str, Any], root: Path) -> str:
    """Links to the run's PDF and Word files beside its HTML, with their sizes: those its
    status record names and that exist."""
    esc = html_lib.escape
    links = []
    for key, label in _COPIES:
        name = record.get(key)  # a failed run names the last good run's copies it kept
        if not name:
            continue
        path = record["_dir"] / Path(str(name)).name
        if not path.is_file():
            continue
        size = max(1, round(path.stat().st_size / 1024))
        links.append(
            f'<a href="{esc(path.relative_to(root).as_posix(), quote=True)}">'
            f"{label}</a> ({size:,} KB)"
        )
    return (" · " + " · ".join(links)) if links else ""


def write_index(root: str | Path) -> Path:
    """Refresh ``<root>/index.html``: every run under ``root`` by period and area, with status."""
    root = Path(root)
    records: list[dict[str, Any]] = []
    runs = [*root.glob("*/*/*.run.json"), *(root / INTERNAL_DIR).glob("*/*/*.run.json")]
    for path in sorted(runs):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        record["_dir"] = path.parent
        record["_internal"] = path.parent.parent.parent == root / INTERNAL_DIR
        records.append(record)
    esc = html_lib.escape
    by_period: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_period.setdefault(str(record.get("period", "")), []).append(record)
    sections = []
    with steady_inputs():  # one look at data/ and perf/ for every period's cached span
        order = sorted(by_period, key=_period_sort_key)
    for n, period in enumerate(order, start=1):
        rows = []
        for record in sorted(
            by_period[period], key=lambda r: (r.get("area", ""), r.get("notebook", ""))
        ):
            directory: Path = record["_dir"]
            name = record.get("notebook", "")
            html_file = directory / f"{name}.html"
            rel = html_file.relative_to(root).as_posix()
            log_rel = (directory / f"{name}.log").relative_to(root).as_posix()
            ok = record.get("status") == "ok"
            label = name.replace("_", " ") + (
                " (internal: not for publication)" if record["_internal"] else ""
            )
            link = (
                f'<a href="{esc(rel, quote=True)}">{esc(label)}</a>'
                if html_file.exists()
                else esc(label)
            )
            link += _copies(record, root)
            if ok:
                status = '<span class="status ok" data-status="ok">✓ Up to date</span>'
            else:
                status = '<span class="status failed" data-status="failed">✗ Failed</span>' + (
                    " (the last good version is still shown)" if html_file.exists() else ""
                )
            log_link = (
                f'<a href="{esc(log_rel, quote=True)}">log</a>'
                if (directory / f"{name}.log").exists()
                else ""
            )
            when = str(record.get("finished", ""))[:16].replace("T", " ")
            rows.append(
                f'<tr><th scope="row">{esc(str(record.get("area", "")))}</th>'
                f"<td>{link}</td><td>{status}</td><td>{esc(when)}</td><td>{log_link}</td></tr>"
            )
        heading_id = f"period-{n}"
        sections.append(
            f'<section aria-labelledby="{heading_id}">\n<h2 id="{heading_id}">{esc(period)}</h2>\n'
            f"<table>\n<caption>Reports for {esc(period)}, by area</caption>\n<thead><tr>"
            '<th scope="col">Area</th><th scope="col">Report</th><th scope="col">Status</th>'
            '<th scope="col">Run (UTC)</th><th scope="col">Run log</th></tr></thead>\n<tbody>\n'
            + "\n".join(rows)
            + "\n</tbody>\n</table>\n</section>"
        )
    failed = sum(r.get("status") != "ok" for r in records)
    summary = (
        f"<p>{len(records)} report{'s' if len(records) != 1 else ''} in "
        f"{len(by_period)} period{'s' if len(by_period) != 1 else ''}"
        + (f"; {failed} failed at the last attempt." if failed else ".")
        + "</p>"
    )
    body = (
        "<h1>Children's services performance reports</h1>\n"
        + summary
        + "\n"
        + ("\n".join(sections) if sections else "<p>No reports have been rendered yet.</p>")
    )
    page = page_html("Children's services performance reports", wrap_tables(body))
    target = root / "index.html"
    atomic_write(target, page)
    return target
