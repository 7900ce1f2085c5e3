"""Every path and default the project uses, anchored at the project root.

Nothing else in ``perf`` builds a path from a string: import it from here, so a
council that keeps its data elsewhere changes one environment variable
(``PERF_DATA_DIR`` / ``PERF_OUTPUTS_DIR``) and nothing else.

perf runs from a checkout of its repository (``make setup``) or installed with pip. In a
checkout the notebooks are its ``notebooks/``, the data its ``data/`` and the outputs go to
its ``outputs/``. Installed, the notebooks are the copies the package ships
(``perf/notebooks/``), the data must be named by ``PERF_DATA_DIR`` (:func:`data_dir_error`
says so) and the outputs go to ``PERF_OUTPUTS_DIR``, else ``outputs/`` in the working folder.

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

#: The installed package (its notebooks/ and style/ are package data).
PACKAGE_DIR: Path = Path(__file__).resolve().parent
#: The folder holding the package: the checkout's root, or site-packages when installed.
PROJ_ROOT: Path = PACKAGE_DIR.parent
#: perf runs from a checkout of its repository (an editable install included), not a wheel.
IN_CHECKOUT: bool = (PROJ_ROOT / "pyproject.toml").is_file() and (PROJ_ROOT / "notebooks").is_dir()

DATA_DIR: Path = Path(os.environ.get("PERF_DATA_DIR") or PROJ_ROOT / "data")
#: Published files exactly as released (read-only; see data/raw/SOURCE.md).
RAW_DIR: Path = DATA_DIR / "raw"
#: The council's own quarterly figures, targets, activities and commentary.
LOCAL_DIR: Path = DATA_DIR / "local"
#: The key of the check a collection workbook carries (perf.loaders.returns): a digest of
#: its council, period and pre-filled cells that cannot be made again by hand. A council
#: that wants it unforgeable by someone who has read perf's source sets PERF_RETURN_KEY,
#: the same wherever returns are made and read (a change makes every earlier workbook's
#: check fail).
RETURN_KEY: bytes = os.environ.get("PERF_RETURN_KEY", "perf collection workbook").encode()
#: The indicator catalogue's local part (indicators not described by LAIT's dictionary).
CATALOGUE_FILE: Path = DATA_DIR / "catalogue.csv"
#: What perf adds to LAIT's data dictionary for its measures (what each counts, a plain
#: definition, the id it duplicates, declared breaks).
CATALOGUE_LAIT_FILE: Path = DATA_DIR / "catalogue_lait.csv"
#: The default indicator set: the children's services core set, in the plans layout, for a
#: council with no plan of its own in force (perf.loaders.plans).
CORE_SET_FILE: Path = DATA_DIR / "core_set.csv"
#: One-line names for the indicators charts list row by row (the spine chart).
SHORT_TITLES_FILE: Path = DATA_DIR / "short_titles.csv"

#: The analysts' notebooks in a checkout; the copies shipped in the package otherwise.
NOTEBOOKS_DIR: Path = PROJ_ROOT / "notebooks" if IN_CHECKOUT else PACKAGE_DIR / "notebooks"
OUTPUTS_DIR: Path = Path(
    os.environ.get("PERF_OUTPUTS_DIR")
    or (PROJ_ROOT / "outputs" if IN_CHECKOUT else Path.cwd() / "outputs")
)
TESTS_DIR: Path = PROJ_ROOT / "tests"

#: The area and period ``make briefing`` renders.
DEFAULT_AREA: str = "Dudley"
DEFAULT_PERIOD: str = "2024-25"

#: The ONS code of England, the national comparator in every table and chart.
ENGLAND: str = "E92000001"

#: Public outputs suppress counts from 1 up to this threshold (disclosure control).
SUPPRESSION_THRESHOLD: int = 5

LOGGER_NAME: str = "perf"

#: The Jupyter kernel perf renders in, registered by ``make setup`` in .venv (not as
#: ``python3``, which would shadow the user's own default kernel); the notebooks' metadata
#: names it, and papermill, the warm runner and Dask workers start it.
KERNEL_NAME: str = "perf"
KERNEL_DISPLAY_NAME: str = "Python 3 (perf)"

#: What a notebook and the renderer agree on. A notebook reports the data it used by
#: displaying PROVENANCE_MIMETYPE (the page footer lists them), and a briefing the figures it
#: showed by displaying SHOWN_MIMETYPE (frozen beside the HTML after a successful render),
#: and its performance matrix by displaying MATRIX_MIMETYPE (written beside the HTML as
#: ``<notebook>.matrix.csv`` and ``.xlsx``); none is shown on the page.
PROVENANCE_MIMETYPE: str = "application/vnd.perf.provenance+json"
SHOWN_MIMETYPE: str = "application/vnd.perf.shown-figures+json"
MATRIX_MIMETYPE: str = "application/vnd.perf.matrix+json"
#: Where a rendered page puts its contents list (perf.render.html): a section ends with it
#: when the contents belong after it (the briefing's cover, after At a glance); without it
#: the list goes before the first section heading.
CONTENTS_MARK: str = '<div class="perf-contents-here"></div>'


def get_logger() -> logging.Logger:
    """Return the project's one named logger (``logging.getLogger("perf")``)."""
    return logging.getLogger(LOGGER_NAME)
