"""The council's own words for its report: ``narrative.csv`` in data/local.

A committee report is more than its tables. The seed reports open with their purpose and
recommendations, give the service's account of its main issues as numbered paragraphs
(Leeds's 3.1 to 3.8) and an update on inspection; Dudley's opens with an introduction.
A narrative file carries that text, one paragraph (or list) a row, verbatim:

===========  ==========================================================================
column       meaning
===========  ==========================================================================
area_code    the council (ONS code, DfE number or name, as every local file)
period       the briefing's period the text is written for (``2012-13 Q2``)
part         where the briefing shows it (:data:`PARTS`): ``introduction``, ``purpose``,
             ``recommendation`` (at the front), ``issue`` (Main issues, in file order),
             ``inspection`` (beside Ofsted's judgements)
ref          optional: the paragraph's number in the council's report (``3.3.1``)
heading      optional: the heading the paragraph sits under (``Council Business Plan``)
text         the words, verbatim; a blank line starts a new paragraph, lines starting
             ``- `` are a list
source       optional: where the text was published (the report, its date, the paragraph)
===========  ==========================================================================

The rows keep the file's order (``order``): a council writes its paragraphs in the order it
wants them read.

Examples:
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "narrative.csv").write_text(
    ...     "area_code,period,part,ref,text\\n"
    ...     "Leeds,2012-13 Q2,purpose,1.1,This report presents a summary.\\n")
    >>> read_narrative(folder / "narrative.csv")[["area_code", "period", "part", "ref"]]
       area_code      period     part  ref
    0  E08000035  2012-13 Q2  purpose  1.1
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from perf.errors import BadValueError, EmptyFileError, UnexpectedColumnError
from perf.loaders.common import period_frame, read_csv_strings, require_columns

__all__ = ["NARRATIVE_COLUMNS", "PARTS", "REQUIRED", "read_narrative"]

#: Where each part is shown, in words (the briefing's order).
PARTS: dict[str, str] = {
    "introduction": "the introduction, at the front",
    "purpose": "the purpose of the report, at the front",
    "recommendation": "the recommendations, at the front",
    "issue": "the main issues, numbered paragraphs after At a glance",
    "inspection": "the inspection update, beside Ofsted's judgements",
}

REQUIRED = ["area_code", "period", "part", "text"]
NARRATIVE_COLUMNS = ["area_code", "period", "part", "ref", "heading", "text", "source"]


def read_narrative(path: str | Path) -> pd.DataFrame:
    """``narrative.csv`` -> one row per paragraph: :data:`NARRATIVE_COLUMNS` and ``order``
    (the file's row order), the area resolved to its ONS code and the period canonical.

    Raises:
        MissingColumnError: a required column (:data:`REQUIRED`) is absent.
        UnexpectedColumnError: a column the format does not define.
        EmptyFileError: a header and no rows.
        BadValueError: a blank text, or a part not in :data:`PARTS` (file, row, column).
        UnknownAreaError, PeriodError: an area or period that is not known.
    """
    # lazy: perf.areas imports perf.loaders.common, whose package imports this module's
    # registration
    from perf.areas import resolve_area_codes

    path = Path(path)
    file = path.name
    raw = read_csv_strings(path)
    require_columns(raw, REQUIRED, file)
    for column in raw.columns:
        if column not in NARRATIVE_COLUMNS:
            raise UnexpectedColumnError(
                "column is not part of the narrative format",
                file=file,
                row=1,
                column=column,
                hint=f"Allowed columns: {', '.join(NARRATIVE_COLUMNS)}. Remove or rename it.",
            )
    if raw.empty:
        raise EmptyFileError(
            "the narrative file has a header and no paragraphs",
            file=file,
            hint="Add a row per paragraph, or delete the file.",
        )
    raw = raw.reindex(columns=NARRATIVE_COLUMNS).fillna("")
    rows = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    for column in NARRATIVE_COLUMNS:
        if column != "text":  # the text keeps its line breaks (paragraphs, lists)
            raw[column] = raw[column].str.strip()
    raw["text"] = raw["text"].str.replace("\r\n", "\n").str.strip()
    raw["part"] = raw["part"].str.lower()
    for column, bad, hint in (
        ("text", raw["text"].eq(""), "Give the paragraph's words, or delete the row."),
        (
            "part",
            ~raw["part"].isin(list(PARTS)),
            "Use one of: " + "; ".join(f"{p} ({where})" for p, where in PARTS.items()) + ".",
        ),
    ):
        if bad.any():
            at = int(np.flatnonzero(bad.to_numpy())[0])
            raise BadValueError(
                f"{column} is {'blank' if column == 'text' else 'not a part of a report'}",
                file=file,
                row=int(rows.iloc[at]),
                column=column,
                value=raw[column].iloc[at] or None,
                hint=hint,
            )
    blank_area = raw["area_code"].eq("")
    if blank_area.any():
        raise BadValueError(
            "area_code is blank",
            file=file,
            row=int(rows[blank_area].iloc[0]),
            column="area_code",
            hint="Give the council's ONS code, e.g. E08000035.",
        )
    raw["area_code"] = resolve_area_codes(raw["area_code"], file=file, rows=rows)[
        "area_code"
    ].to_numpy()
    raw["period"] = period_frame(raw["period"], file=file, column="period", rows=rows)[
        "period"
    ].astype(str)
    for column in ("ref", "heading", "source"):
        raw[column] = raw[column].replace("", None)
    raw["order"] = np.arange(len(raw))
    return raw.reset_index(drop=True)
