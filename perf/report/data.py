"""The data a report reads, loaded once per process and cached on disk between processes.

A warm kernel that renders briefing after briefing reads the files once: every function
here is cached for the life of the process, and the loaded frames are also pickled by
:mod:`perf.cache` (keyed on the data files and the code that builds them).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import pandas as pd

from perf import config, loaders
from perf.areas import areas
from perf.benchmarking import benchmark
from perf.cache import cached_pickle
from perf.catalogue import catalogue, indicator_info
from perf.check import plausibility
from perf.disclosure import for_publication
from perf.errors import PerfError
from perf.loaders.plans import read_plans
from perf.significance import funnel

__all__ = [
    "catalogue_frame",
    "core_set",
    "inspections",
    "national_tables",
    "failure_for",
    "local_table",
    "observations",
    "own_sources",
    "plausibility_findings",
    "preload",
]

#: The council-local tables a briefing reads, by the loader that reads each.
LOCAL_TABLES = (
    "load_targets",
    "load_key_activities",
    "load_commentary",
    "load_plans",
    "load_statuses",
    "load_assessments",
    "load_narrative",
)


@lru_cache(maxsize=1)
def _loaded() -> loaders.Loaded:
    """Every observation under ``config.DATA_DIR``, with the council files set aside."""
    return cached_pickle("observations", loaders.load_all_isolated, extra=pd.__version__)


@lru_cache(maxsize=2)
def observations(public: bool = False) -> pd.DataFrame:
    """Every observation under ``config.DATA_DIR``; with ``public=True``, after disclosure
    control of the council's own figures (:func:`perf.disclosure.for_publication`: published
    DfE/ONS figures stay as released). A council's own file that cannot be read is left out
    (see :func:`failure_for`): it stops that council's briefings only."""
    if public:
        return cached_pickle(
            "observations-public",
            lambda: for_publication(
                observations(False), own=own_sources(), catalogue=catalogue_frame()
            ),
            extra=pd.__version__,
        )
    return _loaded().frame


@lru_cache(maxsize=1)
def own_sources() -> frozenset[str]:
    """The ``source`` of every figure that is a council's own (:attr:`loaders.Loaded.own`:
    by the format of its file, wherever it sits and whatever it is called), cached on its
    own like the failures: a public briefing never loads the unprotected frame to ask."""
    return cached_pickle("observation-own", lambda: _loaded().own, extra=pd.__version__)


@lru_cache(maxsize=1)
def plausibility_findings() -> pd.DataFrame:
    """``perf check``'s findings (:func:`perf.check.plausibility`) for every observation,
    cached like the observations."""

    def build() -> pd.DataFrame:
        loaded = loaders.load_all_isolated(source_rows=True)
        return plausibility(loaded.frame, catalogue_frame())

    return cached_pickle("plausibility", build, extra=pd.__version__)


@lru_cache(maxsize=1)
def catalogue_frame() -> pd.DataFrame:
    """The indicator catalogue."""
    return cached_pickle("catalogue", catalogue, extra=pd.__version__)


@lru_cache(maxsize=1)
def inspections() -> pd.DataFrame | None:
    """Ofsted's children's services (ILACS) inspections since 2018, every council
    (:func:`perf.loaders.load_inspections` with ``history=True``; None when data/ holds no
    Ofsted file), cached on disk: reading Ofsted's spreadsheet takes seconds."""
    return cached_pickle(
        "inspections", lambda: loaders.load_inspections(history=True), extra=pd.__version__
    )


@lru_cache(maxsize=1)
def core_set() -> pd.DataFrame:
    """The children's services core set (``data/core_set.csv``, the plans layout): the
    indicators of a briefing for a council with no plan of its own in force."""
    return cached_pickle("core-set", lambda: read_plans(config.CORE_SET_FILE), extra=pd.__version__)


#: (indicator, period, public) -> (benchmark, funnel) frames: the work common to every
#: council, done once per indicator and period in a process (a batch kernel renders many).
_NATIONAL: dict[tuple[str, str, bool], tuple[pd.DataFrame | None, pd.DataFrame | None]] = {}


def _national(indicator: str, period: str, public: bool) -> tuple:
    obs, catalogue = observations(public), catalogue_frame()
    try:
        bench = benchmark(obs, indicator, period, catalogue=catalogue)
    except PerfError:
        bench = None
    if bench is not None and int(bench.attrs.get("n_ranked", 0)) < 2:
        bench = None  # one council's own figure (its quarter of a published measure)
    fun = None
    if indicator_info(indicator, catalogue).unit in ("%", "rate per 10,000"):
        try:
            fun = funnel(obs, indicator, period, catalogue=catalogue)
        except PerfError:
            fun = None
        if fun is not None and not fun.attrs.get("n_assessed"):
            fun = None
    return bench, fun


def national_tables(
    pairs: tuple[tuple[str, str], ...], public: bool
) -> dict[tuple[str, str], tuple[pd.DataFrame | None, pd.DataFrame | None]]:
    """For each (indicator, period): every council's rank, quartile and comparators
    (:func:`perf.benchmarking.benchmark`, None when there are none) and, for a rate or
    percentage with denominators, the funnel (:func:`perf.significance.funnel`). Built once
    per indicator and period: kept for the life of the process and on disk for the next
    (the pairs a briefing asks for are one cache entry; every council with the core set
    asks for the same)."""
    missing = tuple(p for p in pairs if (p[0], p[1], public) not in _NATIONAL)
    if missing:
        digest = hashlib.sha256(repr((missing, public)).encode()).hexdigest()[:12]
        built = cached_pickle(
            f"national-{digest}",
            lambda: {p: _national(p[0], p[1], public) for p in missing},
            extra=pd.__version__,
        )
        for (indicator, period), tables in built.items():
            _NATIONAL[(indicator, period, public)] = tables
    return {p: _NATIONAL[(p[0], p[1], public)] for p in pairs}


@lru_cache(maxsize=8)
def _local(name: str) -> loaders.Loaded | None:
    """A local table, with a council's bad file set aside (the loaders' isolation), cached
    on disk like the observations: reading the council's files (returns are workbooks) and
    checking every indicator against the catalogue cost a render about a second."""

    def build() -> loaders.Loaded | None:
        # the statuses are checked against the plans already read (and cached), so a bad
        # plan file is read, and listed among the failures, once
        placed = _local("load_plans") if name == "load_statuses" else None
        try:
            if placed is not None:
                return loaders.load_local_isolated(name, plans=placed.frame)
            return loaders.load_local_isolated(name)
        except FileNotFoundError:
            return None

    return cached_pickle(f"local-{name}", build, extra=pd.__version__)


def local_table(name: str) -> pd.DataFrame | None:
    """Council-local targets, key activities, commentary, plans, statuses or assessments (a
    name in :data:`LOCAL_TABLES`); None when the council supplied none."""
    loaded = _local(name)
    return loaded.frame if loaded is not None and len(loaded.frame) else None


@lru_cache(maxsize=1)
def _observation_failures() -> tuple[loaders.FileFailure, ...]:
    """The council files :func:`observations` left out, cached on their own: a public
    briefing then never loads the unprotected frame (about 55 MB a kernel) just to ask."""
    return cached_pickle("observation-failures", lambda: _loaded().failures, extra=pd.__version__)


def failure_for(area_code: str) -> loaders.FileFailure | None:
    """The first of the council's own files that could not be read (its error names the
    file, row and column), or None: the briefings of ``area_code`` stop on it, every other
    council's render."""
    every = [
        *_observation_failures(),
        *(f for name in LOCAL_TABLES if (got := _local(name)) for f in got.failures),
    ]
    return next((f for f in every if area_code in f.areas), None)


def preload() -> None:
    """Load everything a briefing needs (a warm kernel calls this while it waits for work)."""
    catalogue_frame()
    observations(True)
    own_sources()
    plausibility_findings()
    inspections()
    areas()
    for name in LOCAL_TABLES:
        local_table(name)
