"""The briefing's context: everything a section needs, prepared once and then frozen.

:func:`prepare` resolves the area and period, finds the indicator set (the council's plans
in force, else the children's services core set), reads the (cached) data, scores the
council's own figures against its targets, reads each indicator's national table (rank,
quartile, funnel limits: :func:`perf.report.data.national_tables`, built once per indicator
and period for every council), computes each indicator's one verdict
(:func:`perf.matrix.verdicts`: every section reads it) and compares with the last
briefing's frozen record. Sections
are functions of the :class:`Context` it returns: each renders alone, in any order, with the
same result. Absent things are None.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from perf import config
from perf._numbers import is_missing, ordinal
from perf.alignment import check_reporting_period, refers_to, when
from perf.areas import NEIGHBOUR_MODELS, find_area, neighbour_set_name
from perf.areas import neighbours as neighbours_of
from perf.assessment import off_target, place_and_compare, plan_of_activities
from perf.catalogue import IndicatorInfo, cell_at, first_rows, indicator_info, indicator_info_at
from perf.childlevel.common import SYNTHETIC_SOURCE
from perf.compare import direction_words, match_period
from perf.config import ENGLAND
from perf.disclosure import TEXT_MODES, is_suppressed, protect_text
from perf.errors import ParameterError, PerfError, UnknownAreaError
from perf.loaders.plans import plans_for
from perf.matrix import COMPANIONS, verdicts
from perf.periods import Period, parse_period
from perf.report.data import (
    catalogue_frame,
    core_set,
    failure_for,
    inspections,
    local_table,
    national_tables,
    observations,
    own_sources,
    plausibility_findings,
)
from perf.report.display import off_target_words
from perf.revisions import load_frozen, mark_revisions, revision_footnotes
from perf.schema import rows_of
from perf.scoring import score_activities, score_against_target
from perf.series import is_month, latest_month, month_name, ytd_from_months
from perf.tables import format_value

__all__ = ["SET_COLUMNS", "UNTARGETED_GROUP", "Context", "prepare", "with_verdicts"]

log = config.get_logger()

#: How the briefing groups the council's figures that came without a target and that no
#: plan in force places, as (plan, priority) (scored figures carry their own).
UNTARGETED_GROUP = ("Council scorecard", "Local figures without a target")

#: The columns of ``Context.indicator_set`` (and of ``Context.covered()``): each indicator
#: the briefing covers, where its plan puts it and its role.
SET_COLUMNS = [
    "indicator",
    "plan",
    "scheme",
    "priority",
    "ref",
    "role",
    "tolerance",
    "tolerance_type",
]


@dataclass(frozen=True)
class Context:
    """One area's briefing for one period, prepared (see :func:`prepare`). Read-only."""

    area_code: str
    area_name: str
    region_code: str | None
    region_name: str | None
    neighbour_codes: tuple[str, ...]
    period: str
    period_obj: Period
    committee: str
    meeting_date: str
    author: str
    public: bool
    catalogue: pd.DataFrame = field(repr=False)
    obs: pd.DataFrame = field(repr=False)
    area_obs: pd.DataFrame = field(repr=False)
    #: the observation of each indicator that best fits the period (index: indicator)
    latest: pd.DataFrame = field(repr=False)
    #: the council's own figures for the period (files in data/local), possibly empty
    local_obs: pd.DataFrame = field(repr=False)
    #: local figures scored against their targets, with title/unit/decimals/flag/priority
    scored: pd.DataFrame | None = field(repr=False)
    #: local figures without a target (shown, never given a status)
    untargeted: pd.DataFrame | None = field(repr=False)
    activities: pd.DataFrame | None = field(repr=False)
    commentary: pd.DataFrame | None = field(repr=False)
    benchmarks: dict[str, pd.DataFrame] = field(repr=False)
    #: (indicator, period, model) -> the council's (position, how many ranked) among itself
    #: and its statistical neighbours in each model (perf.matrix.neighbour_positions), for
    #: each headline indicator's figure of the period; None when the model has no set for
    #: it. The briefing's own model uses ``neighbour_codes``.
    neighbour_positions: dict[tuple[str, str, str], tuple[int | None, int] | None] = field(
        repr=False
    )
    #: (indicator, area_code, period) -> the revised row, against the last briefing
    revised: dict[tuple[str, str, str], pd.Series] = field(repr=False)
    revision_notes: tuple[str, ...] = ()
    #: how the last briefing names itself; None when there was none to compare with
    previous_briefing: str | None = None
    #: the statistical-neighbour model ("2025" or "2021") behind ``neighbour_codes``
    neighbour_model: str = "2025"
    #: headline rates and percentages with a denominator: perf.significance.funnel frames
    funnels: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    #: the area's plans (data/local plan files): where each indicator and activity sits
    plans: pd.DataFrame | None = field(default=None, repr=False)
    #: the council's own assessments of its plans, priorities and measures this period
    assessments: pd.DataFrame | None = field(default=None, repr=False)
    #: the council's own indicator statuses, every period (status movement)
    council_statuses: pd.DataFrame | None = field(default=None, repr=False)
    #: warnings about the council's return, listed in the data notes
    data_notes: tuple[str, ...] = ()
    #: the indicators this briefing covers, in order (:data:`SET_COLUMNS`): the council's
    #: plans in force for the period, else the children's services core set
    indicator_set: pd.DataFrame | None = field(default=None, repr=False)
    #: True when ``indicator_set`` is the default core set (no plan of the council's in force)
    core_set: bool = False
    #: the council's last Ofsted inspection of children's services published by the end of
    #: the period (a row of perf.schema.Inspections as a dict), None when there is none
    inspection: dict[str, Any] | None = field(default=None, repr=False)
    #: one answer per indicator covered (perf.matrix.verdicts, indexed by indicator):
    #: figure and period in words, target, status, direction, SPC, position; every section
    #: reads it
    verdicts: pd.DataFrame | None = field(default=None, repr=False)
    #: the council's own words for this report (perf.loaders.narrative: purpose,
    #: recommendations, main issues, inspection update), in its order; None when none
    narrative: pd.DataFrame | None = field(default=None, repr=False)
    #: :meth:`info` for each indicator asked about, read from the catalogue once (sections
    #: ask hundreds of times; a copy made by ``replace`` starts its own)
    _infos: dict[str, IndicatorInfo] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    # -- look-ups (pure) --------------------------------------------------------------

    def narrative_of(self, part: str) -> pd.DataFrame | None:
        """The council's paragraphs of one part of its report (``purpose``,
        ``recommendation``, ``introduction``, ``issue``, ``inspection``), in its order;
        None when it gave none."""
        if self.narrative is None:
            return None
        found = self.narrative[self.narrative["part"] == part]
        return found if len(found) else None

    def info(self, indicator: str) -> IndicatorInfo:
        """Title, unit, decimals and polarity from the catalogue (one default)."""
        found = self._infos.get(indicator)
        if found is None:
            found = self._infos[indicator] = indicator_info_at(
                indicator, self.catalogue, self._catalogue_rows.get(indicator)
            )
        return found

    def catalogue_cell(self, indicator: str, column: str) -> Any:
        """The catalogue's ``column`` for ``indicator`` (its first row), None when there is
        no such indicator or column (:func:`perf.catalogue.catalogue_cell`)."""
        return cell_at(self.catalogue, self._catalogue_rows.get(indicator), column)

    @cached_property
    def _catalogue_rows(self) -> dict[Any, int]:
        """Each indicator's first catalogue row, found once: a briefing reads the catalogue
        some 200 times, and each comparison of its 500-odd ids cost 0.15 ms."""
        return first_rows(self.catalogue)

    def neighbour_set(self) -> str:
        """The neighbour set's name, for every table and chart that uses it."""
        return neighbour_set_name(self.neighbour_model)

    def definition(self, indicator: str) -> str | None:
        """The plain one-sentence definition a committee reads (``definition_plain``), else
        the catalogue's technical definition."""
        for column in ("definition_plain", "definition"):
            text = self.catalogue_cell(indicator, column)
            if isinstance(text, str) and text.strip():
                return text
        return None

    def refers_to(self, row: pd.Series) -> str:
        """The dates a figure refers to, shown beside it ("December 2024 to February 2025",
        "31 March 2025", "2024/25 school year"): :func:`perf.alignment.refers_to`."""
        start, end = row.get("period_start"), row.get("period_end")
        if row.get("period_kind") is None or is_missing(start) or is_missing(end):
            return str(row["period"])
        return refers_to(
            str(row["period_kind"]),
            str(row["period"]),
            pd.Timestamp(start).date(),
            pd.Timestamp(end).date(),
        )

    def when(self, row: pd.Series) -> str:
        """:meth:`refers_to` as a sentence says it ("at 31 March 2025", "in the 2024/25
        school year")."""
        start, end = row.get("period_start"), row.get("period_end")
        if row.get("period_kind") is None or is_missing(start) or is_missing(end):
            return f"in {row['period']}"
        return when(
            str(row["period_kind"]),
            str(row["period"]),
            pd.Timestamp(start).date(),
            pd.Timestamp(end).date(),
        )

    def window(self, indicator: str) -> pd.DataFrame:
        """This indicator's observations (every area) up to the briefing's period."""
        if indicator not in self.latest.index:
            return self.obs.iloc[0:0]
        end = self.latest.loc[indicator, "period_end"]
        rows = rows_of(self.obs, indicator)
        return rows[rows["period_end"] <= end]

    def flag(self, indicator: str, area_code: str, period: object, flag: object) -> object:
        """The flag a table shows: ``r`` for a figure revised since the last briefing
        (unless no number is shown, when the symbol stays), else the figure's own flag."""
        row = self.revised.get((str(indicator), str(area_code), str(period)))
        return row["flag"] if row is not None else flag

    def verdict(self, indicator: str) -> Any:
        """The indicator's one answer (:attr:`verdicts`), None when it is not covered."""
        if self.verdicts is None or indicator not in self.verdicts.index:
            return None
        rows = self._verdict_rows
        return rows[indicator] if indicator in rows else self.verdicts.loc[indicator]

    @cached_property
    def _verdict_rows(self) -> dict[Any, pd.Series]:
        """Each indicator's row of :attr:`verdicts`, taken once: a briefing asks for them
        about 190 times, and each ``.loc`` row of the 100-column frame cost 0.2 ms (callers
        read the rows, never change them). Empty when an indicator has more than one row."""
        verdicts = self.verdicts
        if verdicts is None or not verdicts.index.is_unique:
            return {}
        return {indicator: verdicts.loc[indicator] for indicator in verdicts.index}

    def companion_note(self, indicator: str) -> str:
        """The measure never shown without ``indicator``'s figure beside it
        (:data:`perf.matrix.COMPANIONS`: NEET with the young people whose activity is not
        known), as a sentence: its figure, period, national rank and England's; "" for an
        indicator with no companion or a companion with no figure."""
        companion = COMPANIONS.get(indicator)
        if companion is None:
            return ""
        info = self.info(companion)
        verdict = self.verdict(companion)
        if verdict is None:
            if companion not in self.latest.index:
                return ""
            row = self.latest.loc[companion]
            value, words, rank, ranked, england = (
                row["value"],
                self.refers_to(row),
                None,
                None,
                None,
            )
        else:
            value, words = verdict["value"], verdict["period_words"]
            rank, ranked, england = verdict["rank"], verdict["n_ranked"], verdict["england_value"]
        if is_missing(value):
            return ""
        text = (
            "Read with the young people whose activity is not known: "
            f"{format_value(value, info.unit, info.decimals)} ({words}"
        )
        if (
            rank is not None
            and ranked is not None
            and not is_missing(rank)
            and not is_missing(ranked)
        ):
            worst = ", the worst" if int(rank) == int(ranked) else ""
            text += f"; {ordinal(int(rank))} of {int(ranked)} councils{worst}"
        if not is_missing(england):
            text += f"; England {format_value(england, info.unit, info.decimals)}"
        return text + ")."

    def previous_of(self, indicator: str) -> pd.Series | None:
        """The area's figure for ``indicator`` just before its latest one, if any."""
        here = self.area_obs[self.area_obs["indicator"] == indicator]
        now = self.latest.loc[indicator]
        before = here[here["period_end"] < now["period_end"]].sort_values("period_end")
        return before.iloc[-1] if len(before) else None

    def tolerance(self, indicator: str) -> float:
        """The no-change band in the indicator's units: the council's own where its plan
        gives one, else the catalogue's (0 when none is declared or when it is relative)."""
        verdict = self.verdict(indicator)
        if verdict is not None:
            value, kind = verdict["tolerance"], verdict["tolerance_type"]
        else:
            if indicator not in self._catalogue_rows:
                return 0.0
            value = self.catalogue_cell(indicator, "tolerance")
            kind = self.catalogue_cell(indicator, "tolerance_type")
        return 0.0 if kind != "absolute" or is_missing(value) else float(value)

    def direction(self, indicator: str) -> str:
        """The verdict's direction of travel (``improving``, ``worsening``, ``no change``
        within tolerance or the shown decimals, ``no polarity``, ``not comparable``), like
        for like against the comparison it names."""
        verdict = self.verdict(indicator)
        return "not comparable" if verdict is None else str(verdict["direction"])

    def direction_text(self, indicator: str) -> str:
        """The direction of travel in words (:func:`perf.compare.direction_words`)."""
        verdict = self.verdict(indicator)
        if verdict is None:
            return direction_words("not comparable")
        return direction_words(str(verdict["direction"]), str(verdict["direction_movement"]))

    def below_target(self) -> set[str]:
        """The indicators off target by the status the briefing shows (below target
        tolerance, or red): Exceptions prints their comments."""
        if self.scored is None:
            return set()
        return set(self.scored.loc[off_target(self.scored), "indicator"].astype(str))

    def covered(self) -> pd.DataFrame:
        """Every indicator this briefing covers, in order, where it sits and its role
        (:data:`SET_COLUMNS`): the indicator set (the council's plans in force, else the
        core set), then the council's scored figures no plan in force places (under the plan
        their scorecard names, else "Council scorecard"), then its figures without a
        target."""
        frames = []
        if self.indicator_set is not None:
            frames.append(self.indicator_set.reindex(columns=SET_COLUMNS))
        if self.scored is not None:
            plans = (
                self.scored["plan"]
                if "plan" in self.scored
                else pd.Series(UNTARGETED_GROUP[0], index=self.scored.index)
            )
            frames.append(
                pd.DataFrame(
                    {
                        "indicator": self.scored["indicator"].astype(str).to_numpy(),
                        "plan": [
                            p if isinstance(p, str) and p else UNTARGETED_GROUP[0] for p in plans
                        ],
                        "scheme": self.scored["scheme"].to_numpy()
                        if "scheme" in self.scored
                        else None,
                        "priority": self.scored["priority"].astype(str).to_numpy(),
                        "ref": self.scored["ref"].to_numpy() if "ref" in self.scored else None,
                        "role": "kpi",
                    }
                ).reindex(columns=SET_COLUMNS)
            )
        if self.untargeted is not None:
            frames.append(
                pd.DataFrame(
                    [(str(i), *UNTARGETED_GROUP) for i in self.untargeted["indicator"].unique()],
                    columns=["indicator", "plan", "priority"],
                )
                .assign(role="kpi")
                .reindex(columns=SET_COLUMNS)
            )
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame(columns=SET_COLUMNS)
        frame = pd.concat(frames, ignore_index=True)
        return frame.drop_duplicates("indicator", keep="first").reset_index(drop=True)

    def published(self) -> list[str]:
        """The indicators covered whose figure is published for every council (not a local
        measure), in order: what trends, benchmarking and significance are about."""
        if self.verdicts is None:
            return []
        v = self.verdicts
        local = v["measure"].eq("local") | (
            v["measure"].isna() & ~v["benchmarked"] & v["england_value"].isna()
        )
        return [str(i) for i in self.verdicts.index[~local.to_numpy()]]

    def has_local_figures(self) -> bool:
        return any(f is not None for f in (self.scored, self.activities, self.untargeted))

    def _example_sources(self) -> list[str]:
        """The sources of the illustrative figures (flag ``ex``) this briefing shows."""
        # the council's own figures are local_obs's; the rest of the set, its latest figures
        own = set(self.local_obs["indicator"]) if "indicator" in self.local_obs else set()
        others = [i for i in self.covered()["indicator"] if i not in own]
        headline = self.latest[self.latest.index.isin(others)].reset_index()
        found: list[str] = []
        for frame in (self.local_obs, headline):
            if len(frame) and "flag" in frame:
                ex = frame["flag"].eq("ex").fillna(False).to_numpy(dtype=bool)
                sources = frame["source"] if "source" in frame else pd.Series("", index=frame.index)
                found += [str(s) for s in sources[ex]]
        return found

    def shown_example_data(self) -> bool:
        """True when any figure this briefing shows is illustrative (flag ``ex``)."""
        if self.verdicts is not None and self.verdicts["example"].any():
            return True
        return bool(self._example_sources())

    def shown_synthetic_data(self) -> bool:
        """True when a figure this briefing shows was computed from a synthetic worked
        example's returns (:mod:`perf.childlevel.synthetic`: flag ``ex``, its source saying
        so): the council's own figures come from made-up children."""
        return any(SYNTHETIC_SOURCE in s for s in self._example_sources())

    def shown_made_up_figures(self) -> bool:
        """True when a figure this briefing shows is an illustrative value typed in (flag
        ``ex``, not computed from a synthetic return)."""
        return any(SYNTHETIC_SOURCE not in s for s in self._example_sources())

    def shown_figures(self) -> pd.DataFrame:
        """The published figures this briefing shows, one row per indicator, area and
        period: the published indicators covered for the area and England up to the
        briefing's period (tables, trends and SPC), and the council's local figures with
        their status against target. ``status`` is the status against target, or for a
        published indicator's latest figure its direction of travel. This is what
        :func:`perf.revisions.freeze` records beside the HTML.
        """
        columns = ["indicator", "area_code", "area_name", "period", "value", "flag", "status"]
        frames = []
        for indicator in self.published():
            window = self.window(indicator)
            rows = window[window["area_code"].isin([self.area_code, ENGLAND])]
            if rows.empty:
                continue
            rows = rows.reindex(columns=columns).copy()
            latest = (rows["area_code"] == self.area_code) & (
                rows["period"] == self.verdict(indicator)["period"]
            )
            rows["status"] = pd.Series(pd.NA, index=rows.index, dtype="object").mask(
                latest, self.direction(indicator)
            )
            frames.append(rows)
        if self.scored is not None:
            local = self.scored.assign(area_code=self.area_code, area_name=self.area_name)
            local["period"] = self.local_period_of().reindex(local["indicator"]).to_numpy()
            frames.append(local.reindex(columns=columns))
        if self.untargeted is not None:
            frames.append(self.untargeted.reindex(columns=columns))
        if not frames:
            return pd.DataFrame(columns=columns)
        shown = pd.concat(frames, ignore_index=True)
        shown = shown.drop_duplicates(["indicator", "area_code", "period"], keep="last")
        shown["value"] = pd.to_numeric(shown["value"], errors="coerce").astype(float)
        return shown.sort_values(
            ["indicator", "area_code", "period"], kind="mergesort"
        ).reset_index(drop=True)

    def local_period_of(self) -> pd.Series:
        """indicator -> the period of its local figure (the last one given)."""
        return self.local_obs.drop_duplicates("indicator", keep="last").set_index("indicator")[
            "period"
        ]


#: The free text a briefing prints, by table: (columns, the key that names a row).
FREE_TEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "commentary": (("text",), ("indicator", "area_code", "period")),
    "key activities": (("activity", "objective", "progress", "priority"), ("ref", "period")),
    "catalogue": (("title", "definition_plain", "definition"), ("indicator",)),
    "source notes": (("source",), ("indicator", "area_code", "period")),
    "narrative": (("text",), ("area_code", "period", "part", "ref")),
}


def prepare(
    area: str,
    period: str,
    *,
    committee: str = "Children's Services Scrutiny Committee",
    meeting_date: str = "",
    author: str = "Performance and Intelligence Team",
    public: bool = True,
    previous: str = "",
    neighbours: str = "2025",
    small_counts_in_text: str = "redact",
) -> Context:
    """Everything a briefing shows, for ``area`` (name, ONS code or DfE number) and
    ``period`` (a financial year or quarter that has figures for the area:
    :func:`perf.alignment.check_reporting_period`).

    ``neighbours`` is the statistical-neighbour model: ``"2025"`` (DfE's current one) or
    ``"2021"`` (the one it replaced); every neighbour comparison uses that set.

    ``previous`` is the frozen record (:func:`perf.revisions.frozen_path`) of the last
    briefing published for this area: figures it showed that have changed since are marked
    [r]. Relative paths are from the project root; blank: no comparison.

    A public briefing checks its free text (:data:`FREE_TEXT`: commentary, key activities'
    progress, definitions, source notes, the council's narrative) for counts of 1 to 5 people:
    ``small_counts_in_text="redact"`` shows them as [c], ``"stop"`` raises
    :class:`perf.disclosure.DisclosureError` naming the field.
    """
    if small_counts_in_text not in TEXT_MODES:
        raise ParameterError(
            f"small_counts_in_text must be one of {', '.join(TEXT_MODES)}, "
            f"not {small_counts_in_text!r}"
        )
    row = find_area(area)
    area_code, area_name = str(row["area_code"]), str(row["area_name"])
    failed = failure_for(area_code)
    if failed is not None:
        error = failed.error
        raise type(error)(
            f"{area_name}'s own figures could not be read ({error.message})",
            file=error.file,
            row=error.row,
            column=error.column,
            value=error.value,
            hint=(error.hint + " " if error.hint else "") + "Other councils' briefings are not "
            "affected; fix the file and render this one again.",
        )
    neighbour_set_name(neighbours)  # an unknown model is refused before anything is read
    nbrs = _neighbour_codes(area_code, neighbours)
    region = row.get("region_code")
    region_name = row.get("region_name")
    catalogue = catalogue_frame()
    obs = observations(public)
    area_obs = obs[obs["area_code"] == area_code]
    period_obj = check_reporting_period(
        zip(
            area_obs["period_kind"],
            area_obs["period_start"].dt.date,
            area_obs["period_end"].dt.date,
        ),
        period,
        area_name,
    )
    # the council's own figures, told by the loaders from the format of each file (before
    # the text checks, which may redact a source note)
    own = area_obs["source"].astype(str).isin(own_sources())
    if public:
        catalogue, obs = _protect_text(catalogue, obs, small_counts_in_text)
        area_obs = obs[obs["area_code"] == area_code]
    indicator_set, plans, is_core = _plans_in_force(area_code, period_obj)
    latest = _latest_figures(area_obs, period_obj.label, indicator_set)
    local = _local_figures(
        area_code,
        period_obj,
        area_obs,
        own.to_numpy(),
        _with_plan_tolerances(catalogue, indicator_set),
        plans=plans,
        latest=latest,
    )
    if public:
        local["commentary"] = _protected(local["commentary"], "commentary", small_counts_in_text)
        local["activities"] = _protected(
            local["activities"], "key activities", small_counts_in_text
        )
    base = Context(
        area_code=area_code,
        area_name=area_name,
        region_code=str(region) if isinstance(region, str) and region else None,
        region_name=str(region_name) if isinstance(region_name, str) and region_name else None,
        neighbour_codes=nbrs,
        neighbour_model=str(neighbours),
        period=period_obj.label,
        period_obj=period_obj,
        committee=committee,
        meeting_date=meeting_date,
        author=author,
        public=public,
        catalogue=catalogue,
        obs=obs,
        area_obs=area_obs,
        latest=latest,
        benchmarks={},
        neighbour_positions={},
        revised={},
        indicator_set=indicator_set,
        core_set=is_core,
        narrative=(
            _protected(_narrative(area_code, period_obj.label), "narrative", small_counts_in_text)
            if public
            else _narrative(area_code, period_obj.label)
        ),
        inspection=_last_inspection(area_code, period_obj),
        **local,
    )
    tables = national_tables(tuple(_figure_periods(base).items()), public)
    base = with_verdicts(
        replace(
            base,
            benchmarks={i: b for (i, _), (b, _) in tables.items() if b is not None},
            funnels={i: f for (i, _), (_, f) in tables.items() if f is not None},
        )
    )
    checks = tuple(_plausibility_notes(plausibility_findings(), base))
    if checks:
        base = replace(base, data_notes=base.data_notes + checks)
    return _with_revisions(base, previous)


def _last_inspection(area_code: str, period: Period) -> dict[str, Any] | None:
    """The council's last ILACS inspection whose report was published by the end of
    ``period`` (Ofsted's history since 2018), None when there is none."""
    found = inspections()
    if found is None:
        return None
    mine = found[
        (found["area_code"] == area_code) & (found["publication_date"] <= pd.Timestamp(period.end))
    ]
    if mine.empty:
        return None
    return mine.sort_values("inspection_date").iloc[-1].to_dict()


def _figure_periods(ctx: Context) -> dict[str, str]:
    """Each published indicator covered -> the period of the figure the briefing shows for
    it (the council's own figure's where it has one)."""
    covered = ctx.covered()["indicator"]
    local = set(ctx.catalogue.loc[ctx.catalogue["measure"].eq("local"), "indicator"])
    own = (
        dict(zip(ctx.scored["indicator"].astype(str), ctx.scored["period"].astype(str)))
        if ctx.scored is not None
        else {}
    )
    found = {}
    for indicator in covered:
        if indicator in local:
            continue
        if indicator in own:
            found[indicator] = own[indicator]
        elif indicator in ctx.latest.index:
            found[indicator] = str(ctx.latest.loc[indicator, "period"])
    return _compared_periods(ctx.obs, found)


def with_verdicts(ctx: Context) -> Context:
    """``ctx`` with each covered indicator's verdict (:func:`perf.matrix.verdicts`, from the
    benchmarks and funnels it holds) and its neighbour positions under every model (the
    verdicts' own): computed once, read by every section."""
    found = verdicts(
        ctx.obs,
        ctx.area_code,
        ctx.period,
        ctx.covered(),
        catalogue=ctx.catalogue,
        latest=ctx.latest,
        scored=ctx.scored,
        benchmarks=ctx.benchmarks,
        funnels=ctx.funnels,
        model=ctx.neighbour_model,
        next_release=_next_release(ctx.catalogue),
        neighbour_codes=ctx.neighbour_codes,
    )
    positions: dict[tuple[str, str, str], tuple[int | None, int] | None] = {}
    for indicator, v in found.iterrows():
        for m in NEIGHBOUR_MODELS:
            ranked = v[f"sn_ranked_{m}"]
            if is_missing(ranked):
                continue
            placed = v[f"sn_position_{m}"]
            positions[(str(indicator), str(v["period"]), m)] = (
                None
                if int(ranked) == 0
                else (None if is_missing(placed) else int(placed), int(ranked))
            )
    return replace(ctx, neighbour_positions=positions, verdicts=found)


def _next_release(catalogue: pd.DataFrame) -> dict[str, str]:
    """indicator -> the month its next release is due (the catalogue's ``next_release``)."""
    if "next_release" not in catalogue:
        return {}
    given = catalogue.dropna(subset=["next_release"])
    return dict(zip(given["indicator"].astype(str), given["next_release"].astype(str)))


def _latest_figures(
    area_obs: pd.DataFrame, label: str, indicator_set: pd.DataFrame
) -> pd.DataFrame:
    """Each indicator's figure that best fits the period (:func:`perf.compare.match_period`);
    for an indicator of the set with none, its latest figure that ends by the period's end
    (an annual figure not yet published for the period: the latest there is, e.g. the
    academic year 2023/24 in a 2024-25 briefing)."""
    latest = match_period(area_obs, label)
    wanted = set(indicator_set["indicator"]) - set(latest["indicator"])
    if wanted:
        end = pd.Timestamp(parse_period(label).end)
        earlier = area_obs[area_obs["indicator"].isin(wanted) & (area_obs["period_end"] <= end)]
        earlier = earlier.dropna(subset=["value"]).sort_values(["period_end", "period_start"])
        earlier = earlier.groupby("indicator", observed=True).tail(1)
        if len(earlier):
            latest = pd.concat([latest, earlier], ignore_index=True)
    return latest.set_index("indicator")


def _plausibility_notes(findings: pd.DataFrame, ctx: Context) -> list[str]:
    """``perf check``'s findings about the figures this briefing shows for its council (no
    file names: ``perf check`` gives the file, row and column)."""
    shown = set(ctx.covered()["indicator"])
    if ctx.local_obs is not None:
        shown |= set(ctx.local_obs["indicator"].astype(str))
    mine = findings[
        (findings["area_code"].astype(str) == ctx.area_code)
        & findings["indicator"].astype(str).isin(shown)
    ]
    notes = []
    for f in mine.itertuples(index=False):
        kind = "Impossible" if f.severity == "error" else "Unlikely"
        notes.append(
            f"{kind}: {ctx.info(str(f.indicator)).title}, {f.period}: {f.message} "
            "(`perf check` names the file, row and column)."
        )
    return notes


def _protected(frame: pd.DataFrame | None, field: str, mode: str) -> pd.DataFrame | None:
    columns, key = FREE_TEXT[field]
    return protect_text(frame, columns, field=field, key=key, mode=mode)


def _protect_text(
    catalogue: pd.DataFrame, obs: pd.DataFrame, mode: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The catalogue's text and the source notes with no count of 1 to 5 people."""
    return _protected(catalogue, "catalogue", mode), _protected(obs, "source notes", mode)


def _plans_in_force(area_code: str, period: Period) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """The council's plans in force for the period (:func:`perf.loaders.plans.in_force`):
    (the indicator set, every plan row that places something, whether the set is the
    default core set). A council with no plan in force that places an indicator gets the
    children's services core set (``data/core_set.csv``) as its indicator set."""
    plans, is_core = plans_for(local_table("load_plans"), core_set(), area_code, period.label)
    indicators = plans[plans["kind"] == "indicator"]
    indicator_set = indicators.rename(columns={"item": "indicator"}).reindex(columns=SET_COLUMNS)
    return indicator_set.reset_index(drop=True), plans, is_core


def _with_plan_tolerances(catalogue: pd.DataFrame, indicator_set: pd.DataFrame) -> pd.DataFrame:
    """The catalogue with the council's own tolerances where its plan gives them (what
    perf's status calculation allows), the catalogue's elsewhere."""
    own = indicator_set.dropna(subset=["tolerance"])
    if own.empty:
        return catalogue
    out = catalogue.copy()
    for indicator, tolerance, kind in zip(
        own["indicator"], own["tolerance"], own["tolerance_type"]
    ):
        at = out["indicator"] == indicator
        out.loc[at, "tolerance"] = float(tolerance)
        out.loc[at, "tolerance_type"] = str(kind or "absolute")
    return out


def _local_figures(
    area_code: str,
    period: Period,
    area_obs: pd.DataFrame,
    own: np.ndarray,
    catalogue: pd.DataFrame,
    *,
    plans: pd.DataFrame,
    latest: pd.DataFrame,
) -> dict:
    """Scorecards, commentary, key activities and the council's own statuses and
    assessments for this period. ``own``: which rows of ``area_obs`` are the council's own
    figures (:func:`perf.report.data.own_sources`); ``plans``: the plan rows in force (the
    core set's when the council has none); ``latest``: each indicator's published figure for
    the period, scored where the council set it a target or gave it a status."""
    # the council's own figures, for the period or a date inside it
    mine = area_obs[own]
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    here = _shown_local(
        mine[(mine["period_start"] >= start) & (mine["period_end"] <= end)], period.label
    )

    def of_area(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        found = frame[frame["area_code"] == area_code]
        return found if len(found) else None

    def inside(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        """Rows of ``frame`` for this area whose period is this one or lies inside it."""
        frame = of_area(frame)
        if frame is None:
            return None
        keep = [p == period.label or _within(p, start, end) for p in frame["period"]]
        found = frame[keep]
        return found if len(found) else None

    statuses_all = of_area(local_table("load_statuses"))
    shown_period = dict(zip(here["indicator"], here["period"]))
    statuses = _of_shown(inside(statuses_all), shown_period, period)
    assessments = _latest(inside(local_table("load_assessments")), ["plan", "level", "name"])
    targets = _of_shown(inside(local_table("load_targets")), shown_period, period)
    rows = here.assign(target=np.nan) if targets is None else here
    in_set = set(plans.loc[plans["kind"] == "indicator", "item"])
    # the council's own plan items with no figure are shown as missing ([x]); an item of the
    # set with a target or the council's status but no own figure is scored on its
    # published figure
    given = set(targets["indicator"] if targets is not None else []) | set(
        statuses["indicator"] if statuses is not None else []
    )
    published = sorted((in_set & given) - set(rows["indicator"]) - _local_ids(catalogue))
    published = [i for i in published if i in latest.index]
    if published:
        figures = latest.loc[published].reset_index()
        figures = figures.reindex(columns=[c for c in rows.columns if c in figures.columns])
        rows = pd.concat([rows, figures.assign(target=np.nan)], ignore_index=True)
    # the set's items the council reports on: its own measures, and any it gave a figure,
    # a target or a status for (a quarter of a published measure from its return)
    placed = (
        in_set & (_local_ids(catalogue) | given | set(here["indicator"].astype(str)))
        if len(here) or targets is not None or statuses is not None
        else set()
    )
    extra = sorted(
        (placed | set(statuses["indicator"] if statuses is not None else []))
        - set(rows["indicator"])
        - set(targets["indicator"] if targets is not None else [])
    )
    if extra:
        blank = pd.DataFrame(
            {
                "indicator": extra,
                "area_code": area_code,
                "period": period.label,
                "value": np.nan,
                "flag": "x",
                "target": np.nan,
            }
        )
        rows = pd.concat([rows, blank], ignore_index=True)
    rows = _cumulative_from_months(rows, area_obs, period, catalogue)
    scored = None
    if len(rows) or targets is not None:
        scored = score_against_target(
            rows,
            targets.assign(period=_period_in(targets, rows)) if targets is not None else None,
            catalogue,
        )
        scored = scored.merge(
            catalogue[["indicator", "title", "unit", "decimals", "cumulative"]],
            on="indicator",
            how="left",
        )
        flags = rows.drop_duplicates("indicator").set_index("indicator")["flag"]
        scored["flag"] = scored["indicator"].map(flags)
        last = (
            targets.drop_duplicates("indicator", keep="last").set_index("indicator")
            if targets is not None
            else pd.DataFrame()
        )
        for column, name in (("flag", "target_flag"), ("set_by", "set_by"), ("set_on", "set_on")):
            scored[name] = (
                scored["indicator"].map(last[column] if column in last else {}).astype(object)
            )
        scored = place_and_compare(scored, plans, statuses)
        scored = _with_months(scored, area_obs, period)
        # disclosure control: a suppressed figure gets no status, the council's included
        hidden = is_suppressed(scored).to_numpy()
        scored.loc[hidden, ["shown_status", "perf_status"]] = None
        scored.loc[hidden, "status_by"] = "suppressed"
        scored.loc[hidden, "disagrees"] = False
        kept = (
            scored["status"].ne("no_data")
            | scored["council_status"].notna()
            | scored["indicator"].isin(placed)
        )
        scored = scored[kept].reset_index(drop=True) if kept.any() else None
    untargeted = here[~here["indicator"].isin(scored["indicator"] if scored is not None else [])]
    acts = _latest(inside(local_table("load_key_activities")), ["ref"])
    activities = score_activities(plan_of_activities(acts, plans)) if acts is not None else None
    commentary = _of_shown(
        inside(local_table("load_commentary")), shown_period, period, keep_all=True
    )
    return {
        "local_obs": here,
        "scored": scored,
        "untargeted": untargeted if len(untargeted) else None,
        "activities": activities,
        "commentary": commentary,
        "plans": plans if len(plans) else None,
        "assessments": assessments,
        "council_statuses": statuses_all,
        "data_notes": tuple(_data_notes(scored, commentary, catalogue)),
    }


def _narrative(area_code: str, period: str) -> pd.DataFrame | None:
    """The council's own words written for this period's report (data/local narrative
    files), in its order; None when it gave none."""
    every = local_table("load_narrative")
    if every is None:
        return None
    found = every[(every["area_code"] == area_code) & (every["period"] == period)]
    return found.sort_values("order").reset_index(drop=True) if len(found) else None


def _local_ids(catalogue: pd.DataFrame) -> set[str]:
    """The council's own measures (catalogue ``measure`` local): no published figure."""
    return set(catalogue.loc[catalogue["measure"].eq("local"), "indicator"].astype(str))


def _cumulative_from_months(
    rows: pd.DataFrame, area_obs: pd.DataFrame, period: Period, catalogue: pd.DataFrame
) -> pd.DataFrame:
    """A cumulative indicator given only month by month is scored on its year to date,
    from the months' numerators and denominators (never on its latest month): its row
    becomes the period's, the value missing ([x]) when the months cannot give it."""
    cumulative = set(catalogue.loc[catalogue["cumulative"].astype(bool), "indicator"])
    months = is_month(rows) if len(rows) else pd.Series(dtype=bool)
    out = rows.copy()
    for i in rows.index[months.to_numpy()] if len(rows) else []:
        indicator = rows.at[i, "indicator"]
        if indicator not in cumulative:
            continue
        unit = indicator_info(indicator, catalogue).unit
        scale = {"%": 100.0, "rate per 10,000": 10_000.0}.get(unit, 1.0)
        value = ytd_from_months(
            area_obs, indicator, rows.at[i, "area_code"], period.label, scale=scale
        )
        out.at[i, "value"], out.at[i, "period"] = value, period.label
        out.at[i, "numerator"] = out.at[i, "denominator"] = np.nan  # the month's, not the year's
        out.at[i, "period_start"], out.at[i, "period_end"] = (
            pd.Timestamp(period.start),
            pd.Timestamp(period.end),
        )
        if pd.isna(value):
            out.at[i, "flag"] = "x"
    return out


def _shown_local(rows: pd.DataFrame, label: str) -> pd.DataFrame:
    """Each indicator's local figure for the briefing: the period itself when given, else
    the latest quarter or date inside it (a year's briefing shows the year-end quarter),
    a month only when there is nothing else."""
    if rows.empty:
        return rows
    rank = np.where(rows["period"] == label, 2, np.where(is_month(rows), 0, 1))
    ordered = rows.assign(_rank=rank).sort_values(
        ["indicator", "_rank", "period_end"], kind="mergesort"
    )
    return (
        ordered.groupby("indicator", sort=True).tail(1).drop(columns="_rank").reset_index(drop=True)
    )


def _of_shown(
    frame: pd.DataFrame | None, shown: dict[str, str], period: Period, keep_all: bool = False
) -> pd.DataFrame | None:
    """The rows of ``frame`` for the period of each indicator's shown figure (or the
    briefing's own period), so a year's briefing scores its Q4 figure against the Q4 target,
    not against Q1's too. ``keep_all``: every matching row (commentary), else the last."""
    if frame is None:
        return None
    keep = [
        p == shown.get(i, period.label) or p == period.label
        for i, p in zip(frame["indicator"], frame["period"])
    ]
    found = frame[keep]
    if not keep_all:
        found = found.drop_duplicates(["indicator", "area_code"], keep="last")
    return found if len(found) else None


def _latest(frame: pd.DataFrame | None, key: list[str]) -> pd.DataFrame | None:
    """Each ``key``'s row of the latest period (a year's briefing shows Q4's activities)."""
    if frame is None:
        return None
    ends = [parse_period(str(p)).end for p in frame["period"]]
    order = frame.assign(_end=ends).sort_values("_end", kind="mergesort")
    return order.drop_duplicates(key, keep="last").drop(columns="_end").sort_index()


def _within(label: str, start: pd.Timestamp, end: pd.Timestamp) -> bool:
    try:
        p = parse_period(str(label))
    except PerfError:
        return False
    return pd.Timestamp(p.start) >= start and pd.Timestamp(p.end) <= end


def _period_in(targets: pd.DataFrame, rows: pd.DataFrame) -> list[str]:
    """Each target's period, moved to the period of its indicator's figure when the target
    is for the briefing's period and the figure for a date inside it (a 30 September count
    against a Q2 target)."""
    figure = rows.drop_duplicates("indicator", keep="last").set_index("indicator")["period"]
    return [figure.get(i, p) for i, p in zip(targets["indicator"], targets["period"])]


def _with_months(scored: pd.DataFrame, area_obs: pd.DataFrame, period: Period) -> pd.DataFrame:
    """For cumulative indicators: the latest in-month figure inside the period beside the
    year-to-date one (columns month_value, month_label, month_flag)."""
    out = scored.copy()
    out["month_value"], out["month_label"], out["month_flag"] = np.nan, None, None
    for i, row in out.iterrows():
        if not bool(row.get("cumulative")):
            continue
        month = latest_month(area_obs, row["indicator"], row["area_code"], period.label)
        if month is not None:
            out.at[i, "month_value"] = float(month["value"])
            out.at[i, "month_label"] = month_name(month["period_end"])
            out.at[i, "month_flag"] = month.get("flag")
    return out


def _data_notes(
    scored: pd.DataFrame | None, commentary: pd.DataFrame | None, catalogue: pd.DataFrame
) -> list[str]:
    """Warnings for the data notes: an off-target indicator with no commentary, in the
    words of its status scheme ("below target tolerance", "rated red")."""
    if scored is None:
        return []
    notes = []
    explained = set(commentary["indicator"]) if commentary is not None else set()
    for _, row in scored[off_target(scored)].iterrows():
        if row["indicator"] not in explained:
            scheme = row.get("scheme")
            words = off_target_words([scheme] if isinstance(scheme, str) else [])
            notes.append(
                f"{indicator_info(row['indicator'], catalogue).title} is {words} "
                "but the council's return gives no commentary for it: every "
                f"indicator {words} needs one."
            )
    return notes


def _neighbour_codes(area_code: str, model: str) -> tuple[str, ...]:
    """The area's statistical neighbours in ``model`` (none when the model predates it)."""
    try:
        return tuple(neighbours_of(area_code, model))
    except UnknownAreaError as exc:
        log.warning("no statistical neighbours: %s", exc)
        return ()


def _compared_periods(obs: pd.DataFrame, periods: dict[str, str]) -> dict[str, str]:
    """Indicator -> the period to compare the council with others in: its figure's own,
    when other councils have a figure for it; else the latest earlier one that they do (a
    quarter the council computed from its own returns has no other council's figure beside
    it, and is compared at the last published date)."""
    rows = obs[obs["indicator"].isin(list(periods)) & obs["value"].notna()]
    councils = rows[rows["area_code"].astype(str).str.match(r"E0[6-9]|E10")]
    counts = councils.groupby(["indicator", "period"], observed=True)["area_code"].nunique()
    found = {}
    for indicator, period in periods.items():
        if counts.get((indicator, period), 0) > 1:
            found[indicator] = period
            continue
        mine = rows[(rows["indicator"] == indicator) & (rows["period"] == period)]
        end = mine["period_end"].max()
        theirs = councils[councils["indicator"] == indicator]
        published = counts.get(indicator)
        theirs = (
            theirs[theirs["period"].isin(published[published > 1].index)]
            if published is not None
            else theirs.iloc[:0]
        )
        theirs = theirs[theirs["period_end"] <= end] if pd.notna(end) else theirs
        found[indicator] = (
            period
            if theirs.empty
            else str(theirs.sort_values("period_end", kind="stable")["period"].iloc[-1])
        )
    return found


def _with_revisions(ctx: Context, previous: str) -> Context:
    """``ctx`` compared with the last briefing's frozen record (unchanged when none)."""
    if not previous.strip():
        return ctx
    path = Path(previous)
    if not path.is_absolute():
        path = config.PROJ_ROOT / path
    record = load_frozen(path)
    names = record["briefing"].dropna().unique()
    marked = mark_revisions(ctx.shown_figures(), record, public=ctx.public, catalogue=ctx.catalogue)
    revised = {
        (str(r["indicator"]), str(r["area_code"]), str(r["period"])): r
        for _, r in marked[marked["revised"]].iterrows()
    }
    ctx = replace(
        ctx,
        revised=revised,
        revision_notes=tuple(revision_footnotes(marked, catalogue=ctx.catalogue)),
        previous_briefing=str(names[0]) if len(names) else path.name,
    )
    if ctx.scored is not None and revised:
        periods = ctx.local_period_of()
        scored = ctx.scored.copy()
        scored["flag"] = [
            ctx.flag(i, ctx.area_code, periods.get(i), f)
            for i, f in zip(scored["indicator"], scored["flag"])
        ]
        ctx = replace(ctx, scored=scored)
    return ctx
