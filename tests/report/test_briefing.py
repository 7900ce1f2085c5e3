"""perf.report.briefing: the thin facade over the section functions. Any order of sections
gives the same HTML as the notebook's order, the appendix built first lists the same sources
as after every section, and nothing is collected by side effect."""

from __future__ import annotations

import re

import pytest

import perf.report.briefing as briefing_module
from perf import config
from perf.config import PROVENANCE_MIMETYPE
from perf.report.briefing import SECTIONS, Briefing

#: The order the briefing notebook calls the sections in (read from notebooks/briefing.py).
NOTEBOOK_ORDER = re.findall(
    r"^b\.(\w+)\(\)$",
    (config.NOTEBOOKS_DIR / "briefing.py").read_text(encoding="utf-8"),
    flags=re.M,
)


def _briefing(context) -> Briefing:
    """A Briefing over ``context`` (prepare() replaced while it is made: no file is read)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(briefing_module, "prepare", lambda area, period, **options: context)
        return Briefing("Dudley", "2012-13 Q4")


def _built(b: Briefing, order: list[str]) -> dict[str, object]:
    return {name: getattr(b, name)() for name in order}


@pytest.fixture(scope="module")
def context(make_context):
    return make_context()


@pytest.fixture(scope="module")
def in_notebook_order(context):
    return _built(_briefing(context), NOTEBOOK_ORDER)


@pytest.fixture(scope="module")
def appendix_first_then_reversed(context):
    b = _briefing(context)
    return b, _built(b, ["appendix", *reversed(NOTEBOOK_ORDER)])


def test_the_facade_offers_the_notebooks_sections_in_the_notebooks_order():
    assert NOTEBOOK_ORDER == [*SECTIONS, "appendix"]
    assert all(callable(getattr(Briefing, name)) for name in NOTEBOOK_ORDER)


def test_options_go_to_prepare(monkeypatch, context):
    seen = {}

    def prepare(area, period, **options):
        seen.update(area=area, period=period, **options)
        return context

    monkeypatch.setattr(briefing_module, "prepare", prepare)
    b = Briefing("Dudley", "2012-13 Q4", committee="Cabinet", public=False, previous="x.csv")
    assert b.context is context
    assert seen == {
        "area": "Dudley",
        "period": "2012-13 Q4",
        "committee": "Cabinet",
        "public": False,
        "previous": "x.csv",
    }


def test_any_order_gives_the_same_sections_as_the_notebooks(
    in_notebook_order, appendix_first_then_reversed
):
    _, other = appendix_first_then_reversed
    for name in NOTEBOOK_ORDER:
        assert other[name].html == in_notebook_order[name].html, name
        assert other[name].sources == in_notebook_order[name].sources, name
        assert dict(other[name].extra) == dict(in_notebook_order[name].extra), name


def test_the_appendix_first_lists_every_sections_sources(
    in_notebook_order, appendix_first_then_reversed
):
    b, other = appendix_first_then_reversed
    every = frozenset().union(*(in_notebook_order[n].sources for n in SECTIONS))
    assert other["appendix"].sources == every == b.sources()
    assert other["appendix"].extra[PROVENANCE_MIMETYPE] == {"sources": sorted(every)}
    assert len(every) == 4  # three published files and the council's scorecard


def test_sections_are_the_section_functions_of_the_context(context, in_notebook_order):
    """What the facade returns is what each module's function returns for the context: no
    state of the facade (or an earlier section) goes into it."""
    for name, function in SECTIONS.items():
        if name in ("trends", "benchmarking", "spc"):
            continue  # charts: compared across orders above, not drawn a third time
        direct = function(context)
        assert (direct.html, direct.sources) == (
            in_notebook_order[name].html,
            in_notebook_order[name].sources,
        ), name


def test_building_sections_changes_neither_the_context_nor_earlier_sections(
    make_context, context, in_notebook_order
):
    fresh = make_context()
    assert fresh.shown_figures().equals(context.shown_figures())
    assert fresh.revised == context.revised == {}
    b = _briefing(context)
    first = b.cover()
    assert b.cover() is first  # built once, kept
    b.priorities()
    assert b.cover() is first and first.html == in_notebook_order["cover"].html


def test_the_appendix_without_local_figures(make_context):
    b = _briefing(make_context(local=None))
    appendix = b.appendix()
    assert "dudley_fixture_scorecard.csv" not in " ".join(appendix.sources)
    assert appendix.sources == b.sources()
    # said once, in the performance summary; the priorities section is then empty
    assert "No local figures were supplied" in b.performance_summary()
    assert b.priorities().html == ""


def test_revisions_section_is_empty_without_an_earlier_briefing(context, revised_context):
    assert _briefing(context).revisions().html == ""
    note = _briefing(revised_context).revisions()
    assert "2 figures were published differently" in note and note.sources == frozenset()
