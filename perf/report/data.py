"""The data a report reads, loaded once per process and cached on disk between processes.

A warm kernel that renders briefing after briefing reads the files once: every function
here is cached for the life of the process, and the loaded frames are also pickled by
:mod:`perf.cache` (keyed on the data files and the code that builds them).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from perf import loaders
from perf.areas import areas
from perf.cache import cached_pickle
from perf.catalogue import catalogue
from perf.disclosure import for_publication

__all__ = ["catalogue_frame", "local_table", "observations", "preload"]

#: The council-local tables a briefing reads, by the loader that reads each.
LOCAL_TABLES = ("load_targets", "load_key_activities", "load_commentary", "load_plans",
                "load_statuses", "load_assessments")


@lru_cache(maxsize=2)
def observations(public: bool = False) -> pd.DataFrame:
    """Every observation under ``config.DATA_DIR``; with ``public=True``, after disclosure
    control of the council's own figures (:func:`perf.disclosure.for_publication`: published
    DfE/ONS figures stay as released)."""
    if public:
        return cached_pickle("observations-public", lambda: for_publication(
            observations(False), catalogue=catalogue_frame()), extra=pd.__version__)
    return cached_pickle("observations", loaders.load_all, extra=pd.__version__)


@lru_cache(maxsize=1)
def catalogue_frame() -> pd.DataFrame:
    """The indicator catalogue."""
    return cached_pickle("catalogue", catalogue, extra=pd.__version__)


@lru_cache(maxsize=4)
def local_table(name: str) -> pd.DataFrame | None:
    """Council-local targets, key activities, commentary, plans, statuses or assessments (a
    name in :data:`LOCAL_TABLES`); None when the council supplied none."""
    try:
        frame = getattr(loaders, name)()
    except FileNotFoundError:
        return None
    return frame if len(frame) else None


def preload() -> None:
    """Load everything a briefing needs (a warm kernel calls this while it waits for work)."""
    catalogue_frame()
    observations(True)
    areas()
    for name in LOCAL_TABLES:
        local_table(name)
