"""Every path and default the project uses, anchored at the project root.

Nothing else in ``perf`` builds a path from a string: import it from here, so a
council that keeps its data elsewhere changes one environment variable
(``PERF_DATA_DIR`` / ``PERF_OUTPUTS_DIR``) and nothing else.

Examples:
    >>> from perf import config
    >>> config.PROJ_ROOT.joinpath("perf").is_dir()
    True
    >>> config.LOGGER_NAME
    'perf'
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

PROJ_ROOT: Path = Path(__file__).resolve().parents[1]

DATA_DIR: Path = Path(os.environ.get("PERF_DATA_DIR", PROJ_ROOT / "data"))
#: Published files exactly as released (read-only; see data/raw/SOURCE.md).
RAW_DIR: Path = DATA_DIR / "raw"
#: The council's own quarterly figures, targets, activities and commentary.
LOCAL_DIR: Path = DATA_DIR / "local"
#: The indicator catalogue's local part (indicators not described by LAIT's dictionary).
CATALOGUE_FILE: Path = DATA_DIR / "catalogue.csv"
#: What perf adds to LAIT's data dictionary for its measures (what each counts, a plain
#: definition, the id it duplicates, declared breaks).
CATALOGUE_LAIT_FILE: Path = DATA_DIR / "catalogue_lait.csv"
#: The default indicator set: the children's services core set, in the plans layout, for a
#: council with no plan of its own in force (perf.loaders.plans).
CORE_SET_FILE: Path = DATA_DIR / "core_set.csv"

NOTEBOOKS_DIR: Path = PROJ_ROOT / "notebooks"
OUTPUTS_DIR: Path = Path(os.environ.get("PERF_OUTPUTS_DIR", PROJ_ROOT / "outputs"))
TESTS_DIR: Path = PROJ_ROOT / "tests"

#: The area and period ``make briefing`` renders.
DEFAULT_AREA: str = "Dudley"
DEFAULT_PERIOD: str = "2024-25"

#: The ONS code of England, the national comparator in every table and chart.
ENGLAND: str = "E92000001"

#: Public outputs suppress counts from 1 up to this threshold (disclosure control).
SUPPRESSION_THRESHOLD: int = 5

LOGGER_NAME: str = "perf"

#: What a notebook and the renderer agree on. A notebook reports the data it used by
#: displaying PROVENANCE_MIMETYPE (the page footer lists them), and a briefing the figures it
#: showed by displaying SHOWN_MIMETYPE (frozen beside the HTML after a successful render),
#: and its performance matrix by displaying MATRIX_MIMETYPE (written beside the HTML as
#: ``<notebook>.matrix.csv`` and ``.xlsx``); none is shown on the page.
PROVENANCE_MIMETYPE: str = "application/vnd.perf.provenance+json"
SHOWN_MIMETYPE: str = "application/vnd.perf.shown-figures+json"
MATRIX_MIMETYPE: str = "application/vnd.perf.matrix+json"


def get_logger() -> logging.Logger:
    """Return the project's one named logger (``logging.getLogger("perf")``)."""
    return logging.getLogger(LOGGER_NAME)
