"""perf.report.context: the frozen Context and its pure look-ups, on the small world from
tests/conftest.py; and prepare() once on the real data."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from perf import config
from perf.catalogue import DEFAULT_DECIMALS, IndicatorInfo
from perf.report.context import Context, _with_revisions, prepare

from .conftest import EARLIER

DUDLEY = "E08000027"


def test_the_context_is_frozen(small_context):
    with pytest.raises(dataclasses.FrozenInstanceError):
        small_context.period = "2012-13 Q3"


def test_info_comes_from_the_catalogue_with_one_default(small_context):
    assert small_context.info("PriTotAbs") == IndicatorInfo(
        "PriTotAbs", "Primary school overall absence", "%", 2, "low"
    )
    unknown = small_context.info("not_in_catalogue")
    assert (unknown.title, unknown.unit, unknown.decimals, unknown.polarity) == (
        "not_in_catalogue",
        "number",
        DEFAULT_DECIMALS,
        "neither",
    )


def test_definition_is_none_when_the_catalogue_has_none(small_context):
    assert small_context.definition("cla_rate").startswith("Children looked after per 10,000")
    assert small_context.definition("SecTotAbs") is None  # blank in the catalogue
    assert small_context.definition("not_in_catalogue") is None


def test_window_is_every_area_up_to_the_indicators_latest_period(make_context):
    ctx = make_context(period="2012-13 Q2")
    window = ctx.window("cla_rate")
    assert set(window["indicator"]) == {"cla_rate"}
    assert window["period_end"].max() == pd.Timestamp("2012-09-30")
    assert len(window) == 5 * 4  # five areas, 2011-12 Q3 to 2012-13 Q2
    assert ctx.window("no_such_indicator").empty
    assert list(ctx.window("no_such_indicator").columns) == list(ctx.obs.columns)


def test_verdict_is_the_indicators_row_taken_once_and_a_new_context_its_own(small_context):
    verdicts = pd.DataFrame(
        {"vs_england": ["better", "worse"], "value": [1.5, 2.0]}, index=["a", "b"]
    )
    ctx = dataclasses.replace(small_context, verdicts=verdicts)
    assert ctx.verdict("a").equals(verdicts.loc["a"]) and ctx.verdict("a") is ctx.verdict("a")
    assert ctx.verdict("not_covered") is None
    again = dataclasses.replace(ctx, verdicts=verdicts.assign(vs_england=["worse", "worse"]))
    assert again.verdict("a")["vs_england"] == "worse"  # not the first context's row
    assert ctx.verdict("a")["vs_england"] == "better"
    twice = dataclasses.replace(ctx, verdicts=pd.concat([verdicts, verdicts.iloc[:1]]))
    assert len(twice.verdict("a")) == 2  # an indicator with two rows: both, as .loc gives


def test_catalogue_cell_reads_the_contexts_own_catalogue_first_row(small_context):
    from perf.catalogue import catalogue_cell

    ctx = small_context
    assert ctx.catalogue_cell("cla_rate", "title") == catalogue_cell(
        ctx.catalogue, "cla_rate", "title"
    )
    assert ctx.catalogue_cell("cla_rate", "no_such_column") is None
    assert ctx.catalogue_cell("not_in_catalogue", "title") is None
    first = ctx.catalogue.iloc[[0]].assign(title="A second row")
    twice = dataclasses.replace(ctx, catalogue=pd.concat([ctx.catalogue, first]))
    ident = ctx.catalogue["indicator"].iloc[0]
    assert twice.catalogue_cell(ident, "title") == ctx.catalogue["title"].iloc[0]
    renamed = dataclasses.replace(ctx, catalogue=ctx.catalogue.assign(title="Renamed"))
    assert renamed.catalogue_cell(ident, "title") == "Renamed"  # not the first context's rows
    assert renamed.info(ident).title == "Renamed"
    assert ctx.catalogue_cell(ident, "title") != "Renamed"


def test_tolerance_without_a_verdict_is_the_catalogues_absolute_one(small_context):
    cat = small_context.catalogue.assign(tolerance=2.5, tolerance_type="absolute")
    ident = cat["indicator"].iloc[0]
    ctx = dataclasses.replace(small_context, catalogue=cat, verdicts=None)
    assert ctx.tolerance(ident) == 2.5
    relative = dataclasses.replace(ctx, catalogue=cat.assign(tolerance_type="relative"))
    assert relative.tolerance(ident) == 0.0
    assert ctx.tolerance("not_in_catalogue") == 0.0


def test_latest_is_the_figure_that_fits_the_period(small_context):
    assert small_context.latest.loc["cla_rate", "period"] == "2012-13 Q4"
    assert small_context.latest.loc["cla_rate", "value"] == 96.4


def test_previous_of_is_the_areas_figure_just_before_the_latest(small_context, make_context):
    prev = small_context.previous_of("cla_rate")
    assert (prev["period"], prev["value"]) == ("2012-13 Q3", 98.0)
    assert make_context(period="2012-13 Q1").previous_of("neet_16_17") is None


def test_direction_follows_polarity(small_context):
    # all four are "lower is better": cla 98 -> 96.4, absence 4.3 -> 4.137, 5.4 -> 5.551
    assert small_context.direction("cla_rate") == "improving"
    assert small_context.direction("PriTotAbs") == "improving"
    assert small_context.direction("SecTotAbs") == "worsening"


def test_direction_of_an_indicator_with_no_polarity_is_neither(make_context, catalogue_small):
    cat = catalogue_small.assign(
        polarity=catalogue_small["polarity"].where(
            catalogue_small["indicator"] != "cla_rate", "neither"
        )
    )
    assert make_context(catalogue=cat).direction("cla_rate") == "no polarity"


def test_direction_is_not_comparable_without_an_earlier_or_with_a_suppressed_figure(
    make_context, headline_small
):
    assert make_context(period="2012-13 Q1").direction("neet_16_17") == "not comparable"
    obs = headline_small.copy()
    hidden = (
        (obs["indicator"] == "PriTotAbs")
        & (obs["area_code"] == DUDLEY)
        & (obs["period"] == "2012-13 Q3")
    )
    obs.loc[hidden, ["value", "flag"]] = [float("nan"), "c"]
    assert make_context(obs=obs).direction("PriTotAbs") == "not comparable"


def test_flag_is_r_for_a_revised_figure_else_its_own(small_context, revised_context):
    assert small_context.flag("cla_rate", DUDLEY, "2012-13 Q3", "p") == "p"
    assert revised_context.flag("cla_rate", DUDLEY, "2012-13 Q3", "p") == "r"
    assert revised_context.flag("cla_rate", DUDLEY, "2012-13 Q2", None) is None
    assert revised_context.flag("cla_rate", "E08000028", "2012-13 Q3", None) is None


def test_has_local_figures_for_any_of_scored_activities_untargeted(make_context):
    assert make_context().has_local_figures()
    assert make_context(local="untargeted").has_local_figures()
    assert not make_context(local=None).has_local_figures()
    only_activities = make_context(scored=None)
    assert only_activities.activities is not None and only_activities.has_local_figures()


def test_absent_local_things_are_none_not_empty_frames(make_context):
    ctx = make_context(local=None)
    assert (ctx.scored, ctx.untargeted, ctx.activities, ctx.commentary) == (None,) * 4


def test_shown_example_data_only_for_illustrative_figures_shown(make_context, headline_small):
    assert not make_context().shown_example_data()
    assert make_context(local_flag="ex").shown_example_data()
    obs = headline_small.copy()
    latest = (
        (obs["indicator"] == "neet_16_17")
        & (obs["area_code"] == DUDLEY)
        & (obs["period"] == "2012-13 Q4")
    )
    obs.loc[latest, "flag"] = "ex"
    assert make_context(local=None, obs=obs).shown_example_data()
    # an illustrative figure for another area is not shown in Dudley's briefing
    elsewhere = obs.assign(flag=None)
    elsewhere.loc[(elsewhere["area_code"] == "E08000028"), "flag"] = "ex"
    assert not make_context(local=None, obs=elsewhere).shown_example_data()


def test_shown_figures_are_headline_series_for_area_and_england_and_local_statuses(small_context):
    shown = small_context.shown_figures()
    assert list(shown.columns) == [
        "indicator",
        "area_code",
        "area_name",
        "period",
        "value",
        "flag",
        "status",
    ]
    assert not shown.duplicated(["indicator", "area_code", "period"]).any()
    assert set(shown["area_code"]) == {DUDLEY, config.ENGLAND}  # not the region or others
    headline = shown[shown["indicator"].isin(["cla_rate", "neet_16_17", "PriTotAbs", "SecTotAbs"])]
    assert len(headline) == 2 * (6 + 4 + 4 + 4)  # cla has six quarters, the others four
    latest = headline[headline["status"].notna()]
    assert sorted(zip(latest["indicator"], latest["period"], latest["status"])) == [
        ("PriTotAbs", "2012-13 Q4", "improving"),
        ("SecTotAbs", "2012-13 Q4", "worsening"),
        ("cla_rate", "2012-13 Q4", "improving"),
        ("neet_16_17", "2012-13 Q4", "improving"),
    ]
    assert set(latest["area_code"]) == {DUDLEY}
    local = shown[shown["indicator"].str.startswith("dudley_")].set_index("indicator")
    assert local["status"].to_dict() == {
        "dudley_care_leavers_eet": "exceeds",
        "dudley_cp_plan_rate": "on_target_upper",
        "dudley_lac_rate": "below",
    }
    assert set(local["period"]) == {"2012-13 Q4"}
    assert local.loc["dudley_lac_rate", "value"] == 104.94
    assert shown["value"].dtype == float
    sorted_keys = shown[["indicator", "area_code", "period"]].apply(tuple, axis=1).tolist()
    assert sorted_keys == sorted(sorted_keys)


def test_shown_figures_with_nothing_shown_is_an_empty_frame_with_the_columns(
    make_context, headline_small
):
    ctx = make_context(local=None, obs=headline_small[headline_small["indicator"] == "x"])
    shown = ctx.shown_figures()
    assert shown.empty and "status" in shown.columns


def test_shown_figures_include_untargeted_local_figures_without_a_status(make_context):
    shown = make_context(local="untargeted").shown_figures()
    local = shown[shown["indicator"].str.startswith("dudley_")]
    assert len(local) == 3 and local["status"].isna().all()


def test_local_period_of_each_local_indicator(small_context):
    assert small_context.local_period_of().to_dict() == {
        "dudley_lac_rate": "2012-13 Q4",
        "dudley_care_leavers_eet": "2012-13 Q4",
        "dudley_cp_plan_rate": "2012-13 Q4",
    }


def test_revisions_mark_changed_figures_and_name_the_earlier_briefing(
    small_context, revised_context
):
    ctx = revised_context
    assert small_context.revised == {} and small_context.previous_briefing is None
    assert set(ctx.revised) == {(i, DUDLEY, p) for i, p in EARLIER}
    assert ctx.previous_briefing == "2012-13 Q3 (January 2013)"
    assert ctx.revision_notes == (
        "Dudley 2012-13 Q3 Children looked after per 10,000 children revised from 97 to 98 "
        "since the briefing of 2012-13 Q3 (January 2013).",
        "Dudley 2012-13 Q4 Number of LAC per 10k of the child population revised from 101.0 "
        "to 104.9 since the briefing of 2012-13 Q3 (January 2013).",
    )
    flags = ctx.scored.set_index("indicator")["flag"]
    assert flags["dudley_lac_rate"] == "r" and pd.isna(flags["dudley_cp_plan_rate"])
    assert small_context.scored["flag"].isna().all()  # the original is untouched


def test_no_previous_briefing_leaves_the_context_as_it_was(small_context):
    assert _with_revisions(small_context, "  ") is small_context


# --- prepare, on the real data (once) ----------------------------------------------------


@pytest.fixture(scope="module")
def dudley_q1() -> Context:
    return prepare("Dudley", "2012-13 Q1", meeting_date="17 July 2012")


def test_prepare_resolves_area_and_period_and_reads_the_councils_files(dudley_q1):
    ctx = dudley_q1
    assert (ctx.area_code, ctx.area_name, ctx.region_code) == (DUDLEY, "Dudley", "E12000005")
    assert len(ctx.neighbour_codes) == 10 and ctx.period == "2012-13 Q1"
    assert ctx.meeting_date == "17 July 2012" and ctx.public is True
    assert set(ctx.scored["indicator"]) == {
        "dudley_adoption_match_days",
        "dudley_care_leavers_eet",
        "dudley_cp_plan_rate",
        "dudley_initial_assessments_10d",
        "dudley_lac_rate",
    }
    assert set(ctx.scored["priority"]) == {"Young people"}  # from the scorecard's source
    assert ctx.untargeted is None and ctx.activities is not None
    assert (ctx.area_obs["area_code"] == DUDLEY).all()


def test_prepare_by_code_or_number_gives_the_same_context(dudley_q1):
    again = prepare("332", "Q1 2012/13", meeting_date="17 July 2012")
    assert (again.area_code, again.period) == (dudley_q1.area_code, dudley_q1.period)
    assert_frame_equal(again.scored, dudley_q1.scored)


def test_perf_checks_findings_about_the_councils_shown_figures_go_to_the_data_notes(small_context):
    # issue 14 item 4: a briefing's data notes list the findings that touch it
    from perf.check import FINDING_COLUMNS
    from perf.report.context import _plausibility_notes

    def finding(severity, indicator, area, message):
        return {c: None for c in FINDING_COLUMNS} | {
            "severity": severity,
            "file": "x.csv",
            "row": 4,
            "column": "value",
            "indicator": indicator,
            "area_code": area,
            "period": "2012-13 Q4",
            "message": message,
        }

    findings = pd.DataFrame(
        [
            finding("warning", "cla_rate", small_context.area_code, "120% is over 100%"),
            finding("error", "cla_rate", small_context.area_code, "negative value (-1)"),
            finding("warning", "cla_rate", "E09000001", "not this council's"),
            finding("warning", "not_shown", small_context.area_code, "an indicator not shown"),
        ]
    )
    notes = _plausibility_notes(findings, small_context)
    title = small_context.info("cla_rate").title
    assert notes == [
        f"Unlikely: {title}, 2012-13 Q4: 120% is over 100% (`perf check` names the file, row "
        "and column).",
        f"Impossible: {title}, 2012-13 Q4: negative value (-1) (`perf check` names the file, "
        "row and column).",
    ]
    assert not any("x.csv" in n for n in notes)  # committee text names no files


def test_an_unexplained_exception_is_a_data_note_in_its_schemes_words():
    from perf.catalogue import catalogue
    from perf.report.context import _data_notes

    scored = pd.DataFrame(
        {
            "indicator": ["cla_rate", "cpp_rate", "neet_nk"],
            "shown_status": ["red", "below", "green"],
            "scheme": ["rag", "tolerance", "rag"],
        }
    )
    commentary = pd.DataFrame({"indicator": ["nothing_here"]})
    notes = _data_notes(scored, commentary, catalogue())
    assert len(notes) == 2
    assert (
        " is rated red but the council's return gives no commentary for it: every "
        "indicator rated red needs one." in notes[0]
    )
    assert " is below target tolerance but " in notes[1]
    assert (
        _data_notes(scored, pd.DataFrame({"indicator": ["cla_rate", "cpp_rate"]}), catalogue())
        == []
    )


@pytest.fixture(scope="module")
def dudley_2021() -> Context:
    return prepare("Dudley", "2024-25", neighbours="2021")


def test_prepare_places_the_council_among_its_neighbours_once_for_every_model(dudley_2021):
    from perf.areas import NEIGHBOUR_MODELS, neighbours
    from perf.matrix import neighbour_position

    ctx = dudley_2021
    periods = {i: str(ctx.verdicts.loc[i, "period"]) for i in ctx.published()}
    assert len(periods) >= 20  # the core set's published indicators
    assert set(ctx.neighbour_positions) == {
        (i, p, m) for i, p in periods.items() for m in NEIGHBOUR_MODELS
    }
    assert ctx.neighbour_codes == tuple(neighbours(DUDLEY, "2021"))
    for (indicator, period, model), placed in ctx.neighbour_positions.items():
        assert placed == neighbour_position(
            ctx.obs, DUDLEY, indicator, period, polarity=ctx.info(indicator).polarity, model=model
        )
        assert placed is not None and placed[0] is not None and placed[1] > 1


def test_prepare_takes_the_neighbour_mean_on_the_chosen_model(dudley_2021):
    """The verdict's neighbours' mean is of the chosen model's set; the national table
    (shared by every council's briefing) keeps the lookup's."""
    from perf.areas import areas, neighbours

    bench = dudley_2021.benchmarks["cla_rate"]
    values = dict(zip(bench["area_code"], bench["value"]))
    verdict = dudley_2021.verdicts.loc["cla_rate"]
    own = [values[c] for c in neighbours(DUDLEY, "2021") if pd.notna(values.get(c))]
    assert set(neighbours(DUDLEY, "2021")) != set(neighbours(DUDLEY, "2025"))
    assert verdict["sn_n"] == len(own) and verdict["sn_mean"] == pytest.approx(sum(own) / len(own))
    lookup = [values[c] for c in neighbours(DUDLEY, "2025") if pd.notna(values.get(c))]
    assert bench.set_index("area_code").loc[DUDLEY, "sn_mean"] == pytest.approx(
        sum(lookup) / len(lookup)
    )
    assert areas().set_index("area_code").loc[DUDLEY, "neighbours"] == ";".join(
        neighbours(DUDLEY, "2025")
    )


@pytest.mark.parametrize("area", ["Dudley", "Rutland"])
def test_every_core_item_with_its_period_in_words_england_region_neighbours_rank_and_quartile(
    area,
):
    """Issue 24's 'done when': Dudley 2024-25 (its 2012 plan ended in 2012-13) and Rutland
    (no plan of its own) show every core item, each with England, the region and the
    neighbours, rank and quartile and its period in words; a suppressed figure says [c]."""
    from perf.report.data import core_set

    ctx = prepare(area, "2024-25")
    assert ctx.core_set
    wanted = list(core_set()["item"])
    assert list(ctx.verdicts.index) == wanted
    assert list(ctx.covered()["indicator"]) == wanted
    v = ctx.verdicts
    assert v["period_words"].str.match(r"^(at|year to|calendar year|academic year|December)").all()
    shown = v[v["value"].notna()]
    assert shown[["region_value", "sn_mean", "rank"]].notna().all().all()
    # England for every item but youth justice's first-time entrants, whose England figure
    # in LAIT cannot be right (perf.loaders.lait): not compared with England, never "better"
    assert set(shown.index[shown["england_value"].isna()]) <= {"FirstYJS"}
    assert v.loc["FirstYJS", "vs_england"] == "not compared"
    shown = shown.drop(index="FirstYJS", errors="ignore")
    judged = shown[shown["polarity"].isin(["high", "low"])]
    assert judged["quartile"].isin(list("ABCD")).all()
    assert set(v.loc[v["value"].isna(), "flag"]) <= {"c", "x", "z"}
    assert v["status"].isna().all()  # no target is invented
    assert (
        shown.loc[shown["role"] == "kpi", "vs_england"].isin(["better", "similar", "worse"]).all()
    )
