"""The briefing's context: everything a section needs, prepared once and then frozen.

:func:`prepare` resolves the area and period, reads the (cached) data, scores the council's
own figures against its targets, benchmarks the headline indicators (rank, quartile, funnel
limits, the council's place among its statistical neighbours: each computed here once for
every section that shows it) and compares with the last briefing's frozen record. Sections
are functions of the :class:`Context` it returns: each renders alone, in any order, with the
same result. Absent things are None.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from perf import config
from perf._numbers import is_missing
from perf.alignment import check_reporting_period, refers_to, when
from perf.areas import find_area, neighbour_set_name
from perf.areas import neighbours as neighbours_of
from perf.assessment import off_target, place_and_compare, plan_of_activities
from perf.benchmarking import benchmark
from perf.catalogue import IndicatorInfo, indicator_info
from perf.childlevel.common import SYNTHETIC_SOURCE
from perf.compare import direction_of, direction_words, match_period
from perf.config import ENGLAND
from perf.disclosure import TEXT_MODES, is_suppressed, protect_text
from perf.errors import ParameterError, PerfError, UnknownAreaError
from perf.matrix import neighbour_positions
from perf.periods import Period, parse_period
from perf.report.data import (
    catalogue_frame,
    failure_for,
    local_table,
    observations,
    own_sources,
    plausibility_findings,
)
from perf.report.display import off_target_words
from perf.revisions import load_frozen, mark_revisions, revision_footnotes
from perf.schema import rows_of
from perf.scoring import score_activities, score_against_target
from perf.series import is_month, latest_month, month_name, ytd_from_months
from perf.significance import funnel

__all__ = ["HEADLINE_GROUP", "KEY_INDICATORS", "UNTARGETED_GROUP", "Context", "prepare"]

log = config.get_logger()

#: The headline indicators every briefing shows: id -> how a sentence names it.
KEY_INDICATORS: dict[str, str] = {
    "cla_rate": "the rate of children looked after per 10,000 children",
    "neet_16_17": "the percentage of 16-17 year olds not in education, employment or training",
    "PriTotAbs": "overall absence in primary schools",
    "SecTotAbs": "overall absence in secondary schools",
}

#: How the briefing groups what it covers, as (plan, priority): the headline indicators,
#: and the council's figures that came without a target (scored figures carry their own).
HEADLINE_GROUP = ("Published national figures", "Headline indicators")
UNTARGETED_GROUP = ("Council scorecard", "Local figures without a target")


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

    # -- look-ups (pure) --------------------------------------------------------------

    def info(self, indicator: str) -> IndicatorInfo:
        """Title, unit, decimals and polarity from the catalogue (one default)."""
        return indicator_info(indicator, self.catalogue)

    def neighbour_set(self) -> str:
        """The neighbour set's name, for every table and chart that uses it."""
        return neighbour_set_name(self.neighbour_model)

    def definition(self, indicator: str) -> str | None:
        """The plain one-sentence definition a committee reads (``definition_plain``), else
        the catalogue's technical definition."""
        rows = self.catalogue[self.catalogue["indicator"] == indicator]
        for column in ("definition_plain", "definition"):
            text = rows[column].iloc[0] if len(rows) and column in rows else None
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

    def previous_of(self, indicator: str) -> pd.Series | None:
        """The area's figure for ``indicator`` just before its latest one, if any."""
        here = self.area_obs[self.area_obs["indicator"] == indicator]
        now = self.latest.loc[indicator]
        before = here[here["period_end"] < now["period_end"]].sort_values("period_end")
        return before.iloc[-1] if len(before) else None

    def _movement(self, indicator: str) -> tuple[str, str]:
        now = self.latest.loc[indicator]
        prev = self.previous_of(indicator)
        info = self.info(indicator)
        if (
            prev is None
            or pd.isna(now["value"])
            or pd.isna(prev["value"])
            or bool(is_suppressed(pd.DataFrame([now, prev])).any())
        ):
            return "not comparable", "not comparable"
        return direction_of(
            float(now["value"]) - float(prev["value"]),
            info.polarity if info.polarity in ("high", "low") else "neither",
            threshold=self.tolerance(indicator),
            decimals=info.decimals,
        )

    def tolerance(self, indicator: str) -> float:
        """The catalogue's no-change band in the indicator's units (0 when none is declared
        or when it is relative to a target)."""
        rows = self.catalogue[self.catalogue["indicator"] == indicator]
        if not len(rows) or rows["tolerance_type"].iloc[0] != "absolute":
            return 0.0
        value = rows["tolerance"].iloc[0]
        return 0.0 if is_missing(value) else float(value)

    def direction(self, indicator: str) -> str:
        """Direction of travel of a headline indicator since its previous published figure
        (``improving``, ``worsening``, ``no change`` within tolerance or the shown decimals,
        ``no polarity``, ``not comparable``)."""
        return self._movement(indicator)[1]

    def direction_text(self, indicator: str) -> str:
        """The direction of travel in words (:func:`perf.compare.direction_words`)."""
        movement, direction = self._movement(indicator)
        return direction_words(direction, movement)

    def below_target(self) -> set[str]:
        """The indicators off target by the status the briefing shows (below target
        tolerance, or red): Exceptions prints their comments."""
        if self.scored is None:
            return set()
        return set(self.scored.loc[off_target(self.scored), "indicator"].astype(str))

    def covered(self) -> pd.DataFrame:
        """Every indicator this briefing covers, in order, with its plan and priority: the
        council's scored figures by priority (under the plan their scorecard names, else
        "Council scorecard"), its figures without a target, then the headline indicators
        with a figure for the period. Columns ``indicator, plan, priority``."""
        rows = []
        if self.scored is not None:
            plans = (
                self.scored["plan"]
                if "plan" in self.scored
                else pd.Series(UNTARGETED_GROUP[0], index=self.scored.index)
            )
            for indicator, plan, priority in zip(
                self.scored["indicator"], plans, self.scored["priority"]
            ):
                rows.append(
                    (
                        str(indicator),
                        plan if isinstance(plan, str) and plan else UNTARGETED_GROUP[0],
                        str(priority),
                    )
                )
        if self.untargeted is not None:
            rows += [(str(i), *UNTARGETED_GROUP) for i in self.untargeted["indicator"].unique()]
        rows += [(i, *HEADLINE_GROUP) for i in KEY_INDICATORS if i in self.latest.index]
        frame = pd.DataFrame(rows, columns=["indicator", "plan", "priority"])
        return frame.drop_duplicates("indicator", keep="first").reset_index(drop=True)

    def has_local_figures(self) -> bool:
        return any(f is not None for f in (self.scored, self.activities, self.untargeted))

    def _example_sources(self) -> list[str]:
        """The sources of the illustrative figures (flag ``ex``) this briefing shows."""
        headline = self.latest[self.latest.index.isin(list(KEY_INDICATORS))].reset_index()
        found: list[str] = []
        for frame in (self.local_obs, headline):
            if len(frame) and "flag" in frame:
                ex = frame["flag"].eq("ex").fillna(False).to_numpy(dtype=bool)
                sources = frame["source"] if "source" in frame else pd.Series("", index=frame.index)
                found += [str(s) for s in sources[ex]]
        return found

    def shown_example_data(self) -> bool:
        """True when any figure this briefing shows is illustrative (flag ``ex``)."""
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
        period: the headline indicators for the area and England up to the briefing's period
        (tables, trends and SPC), and the council's local figures with their status against
        target. ``status`` is the status against target, or for a headline indicator's
        latest figure its direction of travel. This is what :func:`perf.revisions.freeze`
        records beside the HTML.
        """
        columns = ["indicator", "area_code", "area_name", "period", "value", "flag", "status"]
        frames = []
        for indicator in KEY_INDICATORS:
            window = self.window(indicator)
            rows = window[window["area_code"].isin([self.area_code, ENGLAND])]
            if rows.empty:
                continue
            rows = rows.reindex(columns=columns).copy()
            latest = (rows["area_code"] == self.area_code) & (
                rows["period"] == self.latest.loc[indicator, "period"]
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
    progress, definitions, source notes) for counts of 1 to 5 people:
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
    latest = match_period(area_obs, period_obj.label).set_index("indicator")
    local = _local_figures(area_code, period_obj, area_obs, own.to_numpy(), catalogue)
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
        benchmarks=_benchmarks(obs, latest, catalogue, area_code, nbrs),
        neighbour_positions=neighbour_positions(
            obs,
            area_code,
            _headline_periods(latest, obs),
            catalogue=catalogue,
            model=neighbours,
            neighbour_codes=nbrs,
        ),
        funnels=_funnels(obs, latest, catalogue),
        revised={},
        **local,
    )
    checks = tuple(_plausibility_notes(plausibility_findings(), base))
    if checks:
        base = replace(base, data_notes=base.data_notes + checks)
    return _with_revisions(base, previous)


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


def _local_figures(
    area_code: str,
    period: Period,
    area_obs: pd.DataFrame,
    own: np.ndarray,
    catalogue: pd.DataFrame,
) -> dict:
    """Scorecards, commentary, key activities, plans and the council's own statuses and
    assessments for this period. ``own``: which rows of ``area_obs`` are the council's own
    figures (:func:`perf.report.data.own_sources`)."""
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

    plans = of_area(local_table("load_plans"))
    statuses_all = of_area(local_table("load_statuses"))
    shown_period = dict(zip(here["indicator"], here["period"]))
    statuses = _of_shown(inside(statuses_all), shown_period, period)
    assessments = _latest(inside(local_table("load_assessments")), ["plan", "level", "name"])
    targets = _of_shown(inside(local_table("load_targets")), shown_period, period)
    supplied = len(here) or targets is not None or statuses is not None
    rows = here.assign(target=np.nan) if targets is None else here
    placed = (
        set(plans.loc[plans["kind"] == "indicator", "item"])
        if plans is not None and supplied
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
        scored["target_flag"] = scored["indicator"].map(
            targets.drop_duplicates("indicator", keep="last").set_index("indicator")["flag"]
            if targets is not None and "flag" in targets
            else {}
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
        "plans": plans,
        "assessments": assessments,
        "council_statuses": statuses_all,
        "data_notes": tuple(_data_notes(scored, commentary, catalogue)),
    }


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


def _headline_periods(latest: pd.DataFrame, obs: pd.DataFrame) -> dict[str, str]:
    """Headline indicator -> the period it is compared with other councils in: its figure's
    for the briefing, or the last published before it (:func:`_compared_period`)."""
    return {
        i: _compared_period(obs, i, str(latest.loc[i, "period"]))
        for i in KEY_INDICATORS
        if i in latest.index
    }


def _compared_period(obs: pd.DataFrame, indicator: str, period: str) -> str:
    """The period to compare the council with others in: the headline figure's own, when
    other councils have a figure for it; else the latest earlier one that they do (a
    quarter the council computed from its own returns has no other council's figure
    beside it, and is compared at the last published date)."""
    rows = obs[(obs["indicator"] == indicator) & obs["value"].notna()]
    councils = rows[rows["area_code"].astype(str).str.match(r"E0[6-9]|E10")]
    counts = councils.groupby("period", observed=True)["area_code"].nunique()
    if counts.get(period, 0) > 1 or counts.empty:
        return period
    end = rows.loc[rows["period"] == period, "period_end"].max()
    compared = councils[councils["period"].isin(counts[counts > 1].index)]
    compared = compared[compared["period_end"] <= end] if pd.notna(end) else compared
    if compared.empty:
        return period
    return str(compared.sort_values("period_end", kind="stable")["period"].iloc[-1])


def _benchmarks(
    obs: pd.DataFrame,
    latest: pd.DataFrame,
    catalogue: pd.DataFrame,
    area_code: str,
    neighbour_codes: tuple[str, ...],
) -> dict[str, pd.DataFrame]:
    found: dict[str, pd.DataFrame] = {}
    for indicator, period in _headline_periods(latest, obs).items():
        try:
            # the area's own neighbour mean (sn_mean) from the chosen model's set
            found[indicator] = benchmark(
                obs, indicator, period, catalogue=catalogue, neighbours={area_code: neighbour_codes}
            )
        except PerfError as exc:
            log.warning("no benchmark for %s %s: %s", indicator, period, exc)
    return found


def _funnels(
    obs: pd.DataFrame, latest: pd.DataFrame, catalogue: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Funnel frames of the headline rates and percentages whose figures have a
    denominator (the ONS population for a rate per 10,000, the cohort for NEET)."""
    found: dict[str, pd.DataFrame] = {}
    for indicator, period in _headline_periods(latest, obs).items():
        if indicator_info(indicator, catalogue).unit not in ("%", "rate per 10,000"):
            continue
        try:
            frame = funnel(obs, indicator, period, catalogue=catalogue)
        except PerfError as exc:
            log.info("no funnel plot for %s %s: %s", indicator, period, exc)
            continue
        if frame.attrs["n_assessed"]:
            found[indicator] = frame
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
