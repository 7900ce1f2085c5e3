"""The outputs indexes: every run under an outputs root, by period and area, with its status.

Built from the ``*.run.json`` records beside each output, so single renders and batches
(and batches with different schedules) all appear. Links are relative, so the folder can
be copied or shared as it is.

``<root>/index.html`` is the shareable one: it lists the published editions only, with
their committee copies (each format of :mod:`perf.render.formats` a run wrote) and run logs.
The internal editions (``public: false``, under ``<root>/internal/``) are listed apart, in
``<root>/internal/index.html``, which the shareable index never links.
"""

from __future__ import annotations

import html as html_lib
import json
from pathlib import Path
from typing import Any

from perf.cache import steady_inputs
from perf.fileio import atomic_write
from perf.render.formats import output_formats
from perf.render.html import page_html, wrap_tables
from perf.render.registry import INTERNAL_DIR, period_span

__all__ = ["write_index"]


def _period_sort_key(label: str) -> tuple:
    span = period_span(label.replace("_", " "))
    if span is None:  # a folder that is not a period sorts after the periods
        return (1, 0, 0, label)
    start, end = span
    return (0, -end, -start, label)


def _copies(record: dict[str, Any], root: Path) -> str:
    """Links to the run's files in the formats beyond its page (PDF, Word...), with their
    sizes: those its status record names and that exist. A file an earlier run left, which
    this run did not write, is not named by the record, so it is not listed."""
    esc = html_lib.escape
    links = []
    for fmt in output_formats():
        name = None if fmt.always else record.get(fmt.name)  # a failed run: the last good's
        if not name:
            continue
        path = record["_dir"] / Path(str(name)).name
        if not path.is_file():
            continue
        size = max(1, round(path.stat().st_size / 1024))
        links.append(
            f'<a href="{esc(path.relative_to(root).as_posix(), quote=True)}">'
            f"{esc(fmt.label)}</a> ({size:,} KB)"
        )
    return (" · " + " · ".join(links)) if links else ""


def _records(root: Path) -> list[dict[str, Any]]:
    """The run records of ``<root>/<period>/<area>/``, each with its folder as ``_dir``."""
    records = []
    for path in sorted(root.glob("*/*/*.run.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(record, dict):
            continue
        record["_dir"] = path.parent
        records.append(record)
    return records


def write_index(root: str | Path) -> Path:
    """Refresh ``<root>/index.html`` (the published editions) and, when there are internal
    editions, ``<root>/internal/index.html``; returns the first."""
    root = Path(root)
    internal = root / INTERNAL_DIR
    if internal.is_dir():
        _write(internal, _records(internal), internal=True)
    return _write(root, _records(root), internal=False)


def _write(root: Path, records: list[dict[str, Any]], *, internal: bool) -> Path:
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
                " (internal: not for publication)" if internal else ""
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
    title = "Children's services performance reports" + (
        ": internal editions, not for publication" if internal else ""
    )
    notice = (
        "<p>These editions are unsuppressed: small counts of children are shown. Keep them "
        "to the council's officers; the published editions are listed in the outputs "
        "folder's own index.</p>\n"
        if internal
        else ""
    )
    body = (
        f"<h1>{esc(title)}</h1>\n"
        + notice
        + summary
        + "\n"
        + ("\n".join(sections) if sections else "<p>No reports have been rendered yet.</p>")
    )
    page = page_html(title, wrap_tables(body))
    target = root / "index.html"
    atomic_write(target, page)
    return target
