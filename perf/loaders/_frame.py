"""Finishing a loader's long frame into the validated observations model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from perf.errors import DuplicateKeyError
from perf.schema import KEY, OBSERVATION_COLUMNS, Observations


def finish(frame: pd.DataFrame, *, file: str | Path, row_numbers: pd.Series | None = None,
           validate: bool = True) -> pd.DataFrame:
    """Order the columns, let a period qualifier become the flag when no symbol was given,
    check the key is unique (naming both rows) and validate.

    ``row_numbers``: spreadsheet row of each frame row, for duplicate-key messages.
    """
    frame = frame.copy()
    if "qualifier" in frame.columns:
        frame["flag"] = frame["flag"].where(frame["flag"].notna(), frame["qualifier"])
    for column in ("numerator", "denominator", "value"):
        if column not in frame.columns:
            frame[column] = np.nan
    if "flag" not in frame.columns:
        frame["flag"] = np.nan
    frame = frame[OBSERVATION_COLUMNS].reset_index(drop=True)
    dup = frame.duplicated(KEY, keep=False)
    if dup.any():
        rows = np.flatnonzero(dup.to_numpy())
        first = frame.iloc[rows[0]]
        if row_numbers is not None:
            numbers = pd.Series(row_numbers).reset_index(drop=True).iloc[rows].tolist()
        else:
            numbers = [int(r) + 2 for r in rows]
        raise DuplicateKeyError(
            f"two rows give {first['indicator']} for {first['area_code']} in {first['period']}"
            f" (rows {numbers[0]} and {numbers[1]})",
            file=Path(file).name, row=int(numbers[1]), column="indicator, area_code, period",
            hint="Keep one row per indicator, area and period; delete or correct the other.",
        )
    frame["flag"] = frame["flag"].astype(object).where(frame["flag"].notna(), None)
    return Observations.validate(frame) if validate else frame
