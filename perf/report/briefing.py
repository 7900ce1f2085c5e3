"""The committee briefing as one object a notebook calls, section by section.

:class:`Briefing` is a thin facade (great_tables' ``GT`` is the model): it prepares the
frozen :class:`~perf.report.context.Context` once and each method is a section function of
that context. A section built once is kept, so the appendix, which lists every section's
data sources, costs nothing extra after the sections above it, and gives the same result
when it is built alone or first.
"""

from __future__ import annotations

from perf.report.appendix import appendix
from perf.report.attendance import attendance
from perf.report.benchmarking import benchmarking
from perf.report.common import revisions_note
from perf.report.context import Context, prepare
from perf.report.cover import cover, masthead
from perf.report.display import Section
from perf.report.exceptions import exceptions
from perf.report.funnels import funnels
from perf.report.glance import glance
from perf.report.issues import main_issues
from perf.report.matrix import matrix
from perf.report.performance import performance_summary
from perf.report.priorities import priorities
from perf.report.spc import spc
from perf.report.themes import themes
from perf.report.trends import trends

__all__ = ["ANNEX", "SECTIONS", "Briefing"]

#: The sections in order: the masthead (area, period, notices) and At a glance (the first
#: page), the cover (with the council's purpose and recommendations, then the contents),
#: the council's main issues, the performance summary, exceptions, the themes (the printed
#: matrix) and the council's priorities, trends and attendance;
#: then the annex: the full matrix, benchmarking, significance and control charts (the
#: appendix last, as it lists them all). :data:`ANNEX` names where the annex starts.
SECTIONS = {
    "masthead": masthead,
    "glance": glance,
    "cover": cover,
    "main_issues": main_issues,
    "performance_summary": performance_summary,
    "exceptions": exceptions,
    "themes": themes,
    "priorities": priorities,
    "trends": trends,
    "attendance": attendance,
    "matrix": matrix,
    "benchmarking": benchmarking,
    "funnels": funnels,
    "spc": spc,
}
#: The first section of the annex: methods, definitions, data and the full matrix follow it.
ANNEX = "matrix"


def _method(name: str):
    """A Briefing method for the section function ``SECTIONS[name]`` (built once)."""

    def method(self: Briefing) -> Section:
        return self._section(name)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = SECTIONS[name].__doc__
    return method


class Briefing:
    """One area's briefing for one period; see :func:`perf.report.context.prepare` for the
    arguments. Every method returns a :class:`~perf.report.display.Section`."""

    def __init__(self, area: str, period: str, **options) -> None:
        self.context: Context = prepare(area, period, **options)
        self._built: dict[str, Section] = {}

    def _section(self, name: str) -> Section:
        if name not in self._built:
            self._built[name] = SECTIONS[name](self.context)
        return self._built[name]

    masthead = _method("masthead")
    glance = _method("glance")
    cover = _method("cover")
    main_issues = _method("main_issues")
    matrix = _method("matrix")
    performance_summary = _method("performance_summary")
    priorities = _method("priorities")
    exceptions = _method("exceptions")
    themes = _method("themes")
    trends = _method("trends")
    attendance = _method("attendance")
    benchmarking = _method("benchmarking")
    funnels = _method("funnels")
    spc = _method("spc")

    def revisions(self) -> Section:
        """The note of figures revised since the last briefing ("" when none was compared)."""
        return Section(revisions_note(self.context))

    def sources(self) -> frozenset[str]:
        """The data files and releases behind every section."""
        return frozenset().union(*(self._section(name).sources for name in SECTIONS))

    def appendix(self) -> Section:
        """Definitions, symbols, revisions and every section's data sources."""
        return appendix(self.context, self.sources())
