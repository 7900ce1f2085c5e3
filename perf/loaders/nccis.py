"""NCCIS NEET and not-known dashboards (one latin-1 CSV per year; columns drift).

The EES-style identifier columns are required; each measure is looked up by a list of
names seen across years (case-insensitive), and a measure absent from a year's file is
simply not produced for that year (the file did not publish it).

**Which dates a file's figures refer to.** A dashboard's ``time_period`` is the year its
figures end in, and each measure is dated by what it measures (:data:`MEASURE_KINDS`):

* NEET, not known, and NEET or not known: the average of the December, January and
  February counts (``Cohort_DJFavg``), so the "2025" file's NEET figure is December 2024
  to February 2025 (period kind ``dec_feb_average``, label ``2025``): inside the 2024-25
  reporting year (:mod:`perf.alignment`);
* participation: the March count (``cohort_March``), a snapshot at 31 March of the year;
* September Guarantee: offers recorded for the September before the file's year (the
  "2025" file cannot hold September 2025), a snapshot at 30 September.

Examples:
    >>> from perf import config
    >>> obs = read(config.RAW_DIR / "nccis" / "UD_NEETNK_LA_dashboard_2025_final.csv")
    >>> neet = obs.query("indicator == 'neet_16_17' and area_code == 'E92000001'").iloc[0]
    >>> float(neet["value"]), neet["period"], neet["period_kind"]
    (3.4, '2025', 'dec_feb_average')
    >>> str(neet["period_start"].date()), str(neet["period_end"].date())
    ('2024-12-01', '2025-02-28')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from perf.config import get_logger
from perf.errors import MissingColumnError
from perf.loaders._frame import finish
from perf.loaders.common import (
    file_decimal,
    keyed_rows,
    parse_numbers,
    period_frame,
    read_csv_strings,
    require_columns,
)
from perf.loaders.ees import _areas

log = get_logger()

REQUIRED = ["time_period", "geographic_level", "country_code"]
#: indicator -> names the value column has had.
MEASURES = {
    "neet_16_17": ["NEET_percent", "neet_percent", "NEET_pct"],
    "not_known_16_17": ["Notknown_percent", "not_known_percent", "NK_percent"],
    "neet_nk_16_17": ["NEET_not_known_percent", "NEET_NK_percent", "neet_not_known_percent"],
    "participation_16_17": [
        "TOTAL_participating_in_education_and_training_percent",
        "participation_percent",
    ],
    "sept_guarantee": [
        "September_guarantee_Offer_made_percent",
        "September_guarantee_offer_made_percent",
    ],
}
COHORT = ["Cohort_DJFavg", "cohort_DJF_avg", "Cohort_DJF_avg"]
#: indicator -> (how its period label is built from the file's year, the kind it is read as).
MEASURE_KINDS: dict[str, tuple[str, str | None]] = {
    "neet_16_17": ("{year}", "dec_feb_average"),
    "not_known_16_17": ("{year}", "dec_feb_average"),
    "neet_nk_16_17": ("{year}", "dec_feb_average"),
    "participation_16_17": ("31 March {year}", None),
    "sept_guarantee": ("30 September {previous}", None),
}


def _find(columns: list[str], names: list[str]) -> str | None:
    lowered = {c.lower(): c for c in columns}
    return next((lowered[n.lower()] for n in names if n.lower() in lowered), None)


def read(path: str | Path, *, validate: bool = True, decimal: str | None = None) -> pd.DataFrame:
    """Read one NCCIS dashboard file into the observations model (each measure dated as
    :data:`MEASURE_KINDS` says).

    ``decimal``: the decimal mark, when not the one the file's separator implies."""
    path = Path(path)
    file = path.name
    raw = read_csv_strings(path)
    mark = file_decimal(raw, decimal)
    require_columns(raw, REQUIRED, file)
    places = _areas(raw, file)
    row = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    keyed = keyed_rows(places, file)
    raw, places, row = raw[keyed], places[keyed], row[keyed]

    cohort_col = _find(list(raw.columns), COHORT)
    cohort = (
        parse_numbers(raw[cohort_col], file=file, column=cohort_col, rows=row, decimal=mark)[
            0
        ].set_axis(raw.index)
        if cohort_col
        else pd.Series(np.nan, index=raw.index)
    )
    years = raw["time_period"].str.strip()
    calendar = period_frame(years, "calendar_year", file=file, column="time_period", rows=row)
    year = calendar["period_end"].dt.year
    pieces = []
    for indicator, names in MEASURES.items():
        column = _find(list(raw.columns), names)
        if column is None:
            if indicator == "neet_16_17":
                raise MissingColumnError(
                    "no NEET percentage column",
                    file=file,
                    row=1,
                    column="NEET_percent",
                    hint="An NCCIS dashboard file must have NEET_percent.",
                )
            log.info("%s: no %s column; %s not read for this year", file, names[0], indicator)
            continue
        values, flags = parse_numbers(raw[column], file=file, column=column, rows=row, decimal=mark)
        template, kind = MEASURE_KINDS[indicator]
        labels = pd.Series([template.format(year=y, previous=y - 1) for y in year], index=raw.index)
        periods = period_frame(labels, kind, file=file, column="time_period", rows=row)
        pieces.append(
            places.join(periods).assign(
                indicator=indicator,
                value=values.set_axis(raw.index),
                flag=flags.set_axis(raw.index),
                denominator=cohort,
                row=row,
            )
        )
    long = pd.concat(pieces, ignore_index=True)
    long["source"] = f"{file} (DfE NCCIS NEET and not known dashboard)"
    return finish(long, file=file, row_numbers=long["row"], validate=validate)
