"""Revisions: freeze what a briefing published, and mark what has changed since.

Publishers revise past figures (DfE's 2025 release puts England's children looked
after at 31 March 2023 at 83,750; the first-published figure was 83,840). A
briefing must never silently change a figure a committee has already seen. So:

1. After rendering, :func:`freeze` writes the figures and statuses the briefing
   *showed* (the suppressed public frame) to a small CSV beside the HTML
   (:func:`frozen_path`): sorted by indicator, area and period, floats written in
   their shortest exact form, ``\\n`` line endings, no timestamp: the same frame gives
   the same bytes. The write is atomic (temporary file + rename), so two renders at
   once never leave a half-written record.
2. The next briefing calls :func:`mark_revisions` with the current (suppressed)
   frame and :func:`load_frozen` of the previous record: a figure whose shown value
   differs from the one published gets ``revised = True``, ``previous_value`` and
   ``previous_flag`` (the old figure), ``revised_since`` (which briefing), and flag
   ``r`` - unless no number is shown now, when the symbol stays (a suppressed value
   keeps ``c``, so :func:`perf.disclosure.is_suppressed` still sees it).
3. :func:`revision_footnotes` writes one sentence per revised figure, old and new.

A public briefing compares only with a public record: :func:`mark_revisions`
refuses a record frozen from an internal (unsuppressed) view, whose old figures
were never published and could disclose a small count.

Examples:
    >>> import pandas as pd, tempfile, pathlib
    >>> published = pd.DataFrame({"indicator": ["cla_count"], "area_code": ["E92000001"],
    ...     "area_name": ["England"], "period": ["31 March 2023"], "value": [83840.0],
    ...     "flag": [None]})
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> record = freeze(published, folder / "england_2023.frozen.csv",
    ...                 briefing="2022-23 Q4 (September 2023)")
    >>> current = published.assign(value=[83750.0])
    >>> marked = mark_revisions(current, load_frozen(record))
    >>> marked[["value", "previous_value", "revised", "flag"]]
         value  previous_value  revised flag
    0  83750.0         83840.0     True    r
    >>> print(revision_footnotes(marked)[0])
    England 31 March 2023 cla_count revised from 83,840 to 83,750 since the briefing of 2022-23 Q4 (September 2023).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from perf._numbers import round_half_up_each
from perf.errors import EmptyFileError, FileFormatError, MissingColumnError, ParameterError
from perf.fileio import atomic_write, csv_text, uncsv_cell

__all__ = [
    "FROZEN_COLUMNS",
    "REVISED",
    "freeze",
    "frozen_path",
    "load_frozen",
    "mark_revisions",
    "revision_footnotes",
]

REVISED = "r"
KEY = ["indicator", "area_code", "period"]
#: Columns of a frozen record, in order (``status`` empty when the briefing judged nothing).
FROZEN_COLUMNS = [
    "indicator",
    "area_code",
    "area_name",
    "period",
    "value",
    "flag",
    "status",
    "briefing",
    "mode",
]
_STR = pd.StringDtype(na_value=np.nan)


def frozen_path(html_path: str | Path) -> Path:
    """Where the frozen record of a briefing lives: beside its HTML.

    >>> frozen_path("outputs/dudley_2024-25.html").as_posix()
    'outputs/dudley_2024-25.frozen.csv'
    """
    html_path = Path(html_path)
    return html_path.with_name(html_path.stem + ".frozen.csv")


def freeze(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    briefing: str | None = None,
    public: bool = True,
    status_column: str = "status",
) -> Path:
    """Write the figures (and statuses) a briefing showed to ``path``; return the path.

    Args:
        frame: what the briefing showed: for a public briefing, the output of
            :func:`perf.disclosure.suppress`. Needs indicator, area_code, period, value;
            area_name, flag and ``status_column`` are kept when present.
        path: the record to write (see :func:`frozen_path`).
        briefing: how footnotes will name this briefing, e.g. ``"2024-25 Q2 (November
            2024)"``; default the file name without ``.frozen.csv``.
        public: whether the frame was the public (suppressed) view.

    The bytes depend only on the frame's content, not its row order or the clock.
    """
    path = Path(path)
    missing = [c for c in (*KEY, "value") if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"cannot freeze a frame without the columns {missing}",
            file=path,
            hint="Freeze the tidy observations frame.",
        )
    if frame.duplicated(KEY).any():
        dup = frame.loc[frame.duplicated(KEY), KEY].iloc[0].tolist()
        raise ParameterError(
            f"two rows describe the same indicator, area and period {dup}",
            hint="Freeze one figure per indicator, area and period.",
        )
    if briefing is None:
        briefing = path.name.removesuffix(".frozen.csv").removesuffix(".csv")
    record = pd.DataFrame(
        {
            "indicator": frame["indicator"].astype(str),
            "area_code": frame["area_code"].astype(str),
            "area_name": _text(frame, "area_name"),
            "period": frame["period"].astype(str),
            "value": pd.to_numeric(frame["value"], errors="coerce").astype(float),
            "flag": _text(frame, "flag"),
            "status": _text(frame, status_column),
            "briefing": briefing,
            "mode": "public" if public else "internal",
        }
    )[FROZEN_COLUMNS]
    record = record.sort_values(KEY, kind="mergesort").reset_index(drop=True)
    text = csv_text(record, index=False, lineterminator="\n", float_format=_float_text)
    atomic_write(path, text)
    return path


def load_frozen(path: str | Path) -> pd.DataFrame:
    """Read a record written by :func:`freeze`.

    Raises:
        FileFormatError: the file is missing or is not a frozen record.
        MissingColumnError: a column of :data:`FROZEN_COLUMNS` is absent.
        EmptyFileError: the file is empty.
    """
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(
            "no frozen record here",
            file=path,
            hint="Freeze the previous briefing with perf.revisions.freeze.",
        )
    try:
        record = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise EmptyFileError("the frozen record is empty", file=path) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise FileFormatError(f"not a frozen record ({exc})", file=path) from None
    missing = [c for c in FROZEN_COLUMNS if c not in record.columns]
    if missing:
        raise MissingColumnError(
            f"a frozen record needs the columns {missing}",
            file=path,
            column=missing[0],
            hint="Re-create it with freeze().",
        )
    record = record[FROZEN_COLUMNS].map(uncsv_cell).replace("", np.nan)
    values = pd.to_numeric(record["value"], errors="coerce")
    bad = record["value"].notna() & values.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise FileFormatError(
            "a frozen value is not a number",
            file=path,
            row=row,
            column="value",
            value=record["value"][bad].iloc[0],
        )
    record["value"] = values.astype(float)
    for column in FROZEN_COLUMNS:
        if column != "value":
            record[column] = record[column].astype(_STR)
    return record


def mark_revisions(
    current: pd.DataFrame,
    frozen: pd.DataFrame,
    *,
    public: bool = True,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mark the figures of ``current`` that differ from what ``frozen`` published.

    A figure is revised when what a reader sees changed: the value (compared at the
    catalogue's ``decimals`` when a catalogue is given, else to within float noise),
    or a symbol appearing or going (``[c]`` -> 7, 7 -> ``[x]``). Figures new since
    the record, and figures unchanged, are not revised.

    Returns a copy of ``current`` with ``previous_value`` (float), ``previous_flag``,
    ``revised`` (bool) and ``revised_since`` (the record's ``briefing``) columns; flag
    ``r`` on revised rows that show a number (a suppressed row keeps ``c``).

    Raises:
        ParameterError: ``public`` and the record was frozen from an internal view.
    """
    for column in (*KEY, "value"):
        if column not in current.columns:
            raise MissingColumnError(f"the current frame has no {column!r} column", column=column)
    if public and frozen["mode"].astype(str).eq("internal").any():
        raise ParameterError(
            "a public briefing cannot be compared with a record frozen from the internal view",
            hint="Compare with the record of the published (public) briefing.",
        )
    old = frozen.drop_duplicates(KEY).set_index(KEY)
    keys = pd.MultiIndex.from_frame(current[KEY].astype(str))
    previous_value = old["value"].reindex(keys).to_numpy(dtype=float)
    previous_flag = old["flag"].reindex(keys).astype(_STR)
    briefing = old["briefing"].reindex(keys).astype(_STR)
    known = keys.isin(old.index)

    value = pd.to_numeric(current["value"], errors="coerce").to_numpy(dtype=float)
    flags = _text(current, "flag").str.strip().str.lower()
    decimals = _decimals(current["indicator"], catalogue)
    changed_value = _differs(value, previous_value, decimals)
    old_symbol = previous_flag.str.strip().str.lower().to_numpy()
    # A symbol only matters to a reader where it stands in for the value.
    new_shown = np.where(np.isnan(value), flags.fillna("").to_numpy(), "")
    old_shown = np.where(np.isnan(previous_value), pd.Series(old_symbol).fillna("").to_numpy(), "")
    revised = known & (changed_value | (new_shown != old_shown))

    out = current.copy()
    out["previous_value"] = np.where(revised, previous_value, np.nan)
    out["previous_flag"] = previous_flag.where(revised).to_numpy()
    out["previous_flag"] = out["previous_flag"].astype(_STR)
    out["revised"] = revised
    out["revised_since"] = pd.Series(briefing.to_numpy(), index=out.index).where(revised)
    out["revised_since"] = out["revised_since"].astype(_STR)
    # 'r' only where a number is shown: a withheld or missing figure keeps its symbol.
    shown_number = ~np.isnan(value)
    out["flag"] = _text(current, "flag").mask(
        pd.Series(revised & shown_number, index=out.index), REVISED
    )
    return out


def revision_footnotes(
    marked: pd.DataFrame,
    *,
    catalogue: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """One sentence per revised figure, in key order, old and new values.

    Args:
        marked: output of :func:`mark_revisions`.
        catalogue: optional frame with ``indicator`` and ``title`` (and ``decimals``)
            to name indicators and format values as the briefing shows them.
        names: optional indicator -> short name, overriding the catalogue title.

    >>> import pandas as pd
    >>> m = pd.DataFrame({"indicator": ["cla_rate"], "area_code": ["E08000027"],
    ...     "area_name": ["Dudley"], "period": ["31 March 2023"], "value": [float("nan")],
    ...     "flag": ["c"], "previous_value": [85.0], "previous_flag": [None], "revised": [True],
    ...     "revised_since": ["2022-23 Q4"]})
    >>> revision_footnotes(m, names={"cla_rate": "looked-after rate"})
    ['Dudley 31 March 2023 looked-after rate revised from 85 to [c] since the briefing of 2022-23 Q4.']
    """
    if "revised" not in marked.columns:
        raise ParameterError(
            "the frame has no 'revised' column", hint="Call perf.revisions.mark_revisions first."
        )
    titles: dict[str, str] = {}
    decimals: dict[str, int] = {}
    if catalogue is not None:
        if "title" in catalogue.columns:
            titles = dict(zip(catalogue["indicator"].astype(str), catalogue["title"].astype(str)))
        if "decimals" in catalogue.columns:
            decimals = {
                str(i): int(d)
                for i, d in zip(catalogue["indicator"], catalogue["decimals"])
                if pd.notna(d)
            }
    titles.update(names or {})
    rows = marked[marked["revised"].fillna(False).astype(bool)]
    rows = rows.sort_values(KEY, kind="mergesort")
    notes = []
    for row in rows.itertuples(index=False):
        indicator = str(row.indicator)
        places = decimals.get(indicator)
        area = getattr(row, "area_name", None)
        area = area if isinstance(area, str) and area else str(row.area_code)
        old = _shown(row.previous_value, getattr(row, "previous_flag", None), places)
        new = _shown(row.value, getattr(row, "flag", None), places)
        since = row.revised_since if isinstance(row.revised_since, str) else "the last briefing"
        notes.append(
            f"{area} {row.period} {titles.get(indicator, indicator)} revised from "
            f"{old} to {new} since the briefing of {since}."
        )
    return notes


# --- helpers ---------------------------------------------------------------------


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=_STR)
    return frame[column].astype(_STR)


def _float_text(value: float) -> str:
    # repr is the shortest string that reads back to the same float: deterministic, exact.
    return repr(float(value))


def _decimals(indicators: pd.Series, catalogue: pd.DataFrame | None) -> np.ndarray:
    if catalogue is None or "decimals" not in catalogue.columns:
        return np.full(len(indicators), -1)
    lookup = {
        str(i): int(d) for i, d in zip(catalogue["indicator"], catalogue["decimals"]) if pd.notna(d)
    }
    return np.array([lookup.get(str(i), -1) for i in indicators])


def _differs(new: np.ndarray, old: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    both = ~np.isnan(new) & ~np.isnan(old)
    new_r = np.array(round_half_up_each(new, decimals))
    old_r = np.array(round_half_up_each(old, decimals))
    noise = 1e-9 * np.maximum(1.0, np.abs(np.nan_to_num(old_r)))
    with np.errstate(invalid="ignore"):
        return both & (np.abs(new_r - old_r) > noise)


def _shown(value: float | None, flag: object, places: int | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        symbol = flag.strip() if isinstance(flag, str) and flag.strip() else "x"
        return f"[{symbol}]"
    number = float(value)
    if places is not None:
        return f"{number:,.{places}f}"
    if number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")
