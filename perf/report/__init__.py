"""What notebooks call: the committee briefing's sections and the exploring views.

Layout (each module imports only those above it in this list, and lower layers of perf):

``display``      :class:`Section` (HTML + its sources), small HTML helpers
``data``         the cached data a report reads (observations, catalogue, local tables)
``context``      :func:`prepare` -> the frozen :class:`Context` every section reads
``common``       pieces several sections share (chart or note, revisions note, ...)
``cover``, ``performance``, ``priorities``, ``exceptions``, ``trends``, ``benchmarking``,
``spc``, ``appendix``   one module per briefing section: ``section(ctx) -> Section``
``briefing``     :class:`Briefing`, the thin facade the briefing notebook calls
``explore``      :class:`Trends` and :class:`Comparison`, the other notebooks' views
``analyst``      what ``perf.changes``, ``perf.trend_chart``, ``perf.benchmark_chart`` and
                 ``perf.indicators`` are: one call each, on the cached data
``explorer``     ``perf.explorer()``, ipywidgets in JupyterLab (imported only when used:
                 ipywidgets comes with the ``lab`` extra)

Examples:
    >>> from perf.report import Briefing
    >>> b = Briefing("Dudley", "2012-13 Q1")
    >>> "Dudley, 2012-13 Q1" in b.masthead()
    True
"""

from perf.report.briefing import Briefing
from perf.report.context import Context, prepare
from perf.report.data import preload
from perf.report.display import Section
from perf.report.explore import Comparison, Trends

__all__ = ["Briefing", "Comparison", "Context", "Section", "Trends", "prepare", "preload"]
