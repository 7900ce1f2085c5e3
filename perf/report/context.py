"""The briefing's context: everything a section needs, prepared once and then frozen.

:func:`prepare` resolves the area and period, reads the (cached) data, scores the council's
own figures against its targets, benchmarks the headline indicators and compares with the
last briefing's frozen record. Sections are functions of the :class:`Context` it returns:
each renders alone, in any order, with the same result. Absent things are None.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from perf import config
from perf._numbers import is_missing
from perf.alignment import check_reporting_period, refers_to, when
from perf.areas import areas, find_area, neighbour_set_name
from perf.areas import neighbours as neighbours_of
from perf.benchmarking import benchmark
from perf.catalogue import IndicatorInfo, indicator_info
from perf.compare import direction_of, direction_words, match_period
from perf.config import ENGLAND
from perf.disclosure import TEXT_MODES, is_suppressed, protect_text
from perf.errors import ParameterError, PerfError, UnknownAreaError
from perf.periods import Period
from perf.report.data import catalogue_frame, failure_for, local_table, observations
from perf.revisions import load_frozen, mark_revisions, revision_footnotes
from perf.scoring import score_activities, score_against_target
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
    #: (indicator, area_code, period) -> the revised row, against the last briefing
    revised: dict[tuple[str, str, str], pd.Series] = field(repr=False)
    revision_notes: tuple[str, ...] = ()
    #: how the last briefing names itself; None when there was none to compare with
    previous_briefing: str | None = None
    #: the statistical-neighbour model ("2025" or "2021") behind ``neighbour_codes``
    neighbour_model: str = "2025"
    #: headline rates and percentages with a denominator: perf.significance.funnel frames
    funnels: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

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
        return refers_to(str(row["period_kind"]), str(row["period"]),
                         pd.Timestamp(start).date(), pd.Timestamp(end).date())

    def when(self, row: pd.Series) -> str:
        """:meth:`refers_to` as a sentence says it ("at 31 March 2025", "in the 2024/25
        school year")."""
        start, end = row.get("period_start"), row.get("period_end")
        if row.get("period_kind") is None or is_missing(start) or is_missing(end):
            return f"in {row['period']}"
        return when(str(row["period_kind"]), str(row["period"]), pd.Timestamp(start).date(),
                    pd.Timestamp(end).date())

    def window(self, indicator: str) -> pd.DataFrame:
        """This indicator's observations (every area) up to the briefing's period."""
        if indicator not in self.latest.index:
            return self.obs.iloc[0:0]
        end = self.latest.loc[indicator, "period_end"]
        return self.obs[(self.obs["indicator"] == indicator) & (self.obs["period_end"] <= end)]

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
        if prev is None or pd.isna(now["value"]) or pd.isna(prev["value"]) or bool(
                is_suppressed(pd.DataFrame([now, prev])).any()):
            return "not comparable", "not comparable"
        return direction_of(float(now["value"]) - float(prev["value"]),
                            info.polarity if info.polarity in ("high", "low") else "neither",
                            threshold=self.tolerance(indicator), decimals=info.decimals)

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
        """The indicators below target tolerance: Exceptions prints their comments."""
        if self.scored is None:
            return set()
        return set(self.scored.loc[self.scored["status"].eq("below"), "indicator"].astype(str))

    def covered(self) -> pd.DataFrame:
        """Every indicator this briefing covers, in order, with its plan and priority: the
        council's scored figures by priority (under the plan their scorecard names, else
        "Council scorecard"), its figures without a target, then the headline indicators
        with a figure for the period. Columns ``indicator, plan, priority``."""
        rows = []
        if self.scored is not None:
            plans = self.scored["plan"] if "plan" in self.scored else pd.Series(
                UNTARGETED_GROUP[0], index=self.scored.index)
            for indicator, plan, priority in zip(self.scored["indicator"], plans,
                                                 self.scored["priority"]):
                rows.append((str(indicator), plan if isinstance(plan, str) and plan
                             else UNTARGETED_GROUP[0], str(priority)))
        if self.untargeted is not None:
            rows += [(str(i), *UNTARGETED_GROUP) for i in self.untargeted["indicator"].unique()]
        rows += [(i, *HEADLINE_GROUP) for i in KEY_INDICATORS if i in self.latest.index]
        frame = pd.DataFrame(rows, columns=["indicator", "plan", "priority"])
        return frame.drop_duplicates("indicator", keep="first").reset_index(drop=True)

    def has_local_figures(self) -> bool:
        return any(f is not None for f in (self.scored, self.activities, self.untargeted))

    def shown_example_data(self) -> bool:
        """True when any figure this briefing shows is illustrative (flag ``ex``)."""
        headline = self.latest[self.latest.index.isin(list(KEY_INDICATORS))].reset_index()
        frames = [self.local_obs, headline]
        return any(len(f) and f["flag"].eq("ex").any() for f in frames if "flag" in f)

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
                rows["period"] == self.latest.loc[indicator, "period"])
            rows["status"] = pd.Series(pd.NA, index=rows.index, dtype="object").mask(
                latest, self.direction(indicator))
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
        return shown.sort_values(["indicator", "area_code", "period"], kind="mergesort") \
            .reset_index(drop=True)

    def local_period_of(self) -> pd.Series:
        """indicator -> the period of its local figure (the last one given)."""
        return self.local_obs.drop_duplicates("indicator", keep="last").set_index(
            "indicator")["period"]


#: The free text a briefing prints, by table: (columns, the key that names a row).
FREE_TEXT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "commentary": (("text",), ("indicator", "area_code", "period")),
    "key activities": (("activity", "objective", "progress", "priority"), ("ref", "period")),
    "catalogue": (("title", "definition_plain", "definition"), ("indicator",)),
    "source notes": (("source",), ("indicator", "area_code", "period")),
}


def prepare(area: str, period: str, *, committee: str = "Children's Services Scrutiny Committee",
            meeting_date: str = "", author: str = "Performance and Intelligence Team",
            public: bool = True, previous: str = "", neighbours: str = "2025",
            small_counts_in_text: str = "redact") -> Context:
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
        raise ParameterError(f"small_counts_in_text must be one of {', '.join(TEXT_MODES)}, "
                             f"not {small_counts_in_text!r}")
    row = find_area(area)
    area_code, area_name = str(row["area_code"]), str(row["area_name"])
    failed = failure_for(area_code)
    if failed is not None:
        error = failed.error
        raise type(error)(
            f"{area_name}'s own figures could not be read ({error.message})", file=error.file,
            row=error.row, column=error.column, value=error.value,
            hint=(error.hint + " " if error.hint else "") + "Other councils' briefings are not "
            "affected; fix the file and render this one again.")
    neighbour_set_name(neighbours)  # an unknown model is refused before anything is read
    nbrs = _neighbour_codes(area_code, neighbours)
    region = row.get("region_code")
    region_name = row.get("region_name")
    catalogue = catalogue_frame()
    obs = observations(public)
    area_obs = obs[obs["area_code"] == area_code]
    period_obj = check_reporting_period(
        zip(area_obs["period_kind"], area_obs["period_start"].dt.date,
            area_obs["period_end"].dt.date), period, area_name)
    if public:
        catalogue, obs = _protect_text(catalogue, obs, small_counts_in_text)
        area_obs = obs[obs["area_code"] == area_code]
    latest = match_period(area_obs, period_obj.label).set_index("indicator")
    local = _local_figures(area_code, period_obj, area_obs, catalogue)
    if public:
        local["commentary"] = _protected(local["commentary"], "commentary", small_counts_in_text)
        local["activities"] = _protected(local["activities"], "key activities",
                                         small_counts_in_text)
    base = Context(
        area_code=area_code, area_name=area_name,
        region_code=str(region) if isinstance(region, str) and region else None,
        region_name=str(region_name) if isinstance(region_name, str) and region_name else None,
        neighbour_codes=nbrs, neighbour_model=str(neighbours),
        period=period_obj.label, period_obj=period_obj, committee=committee,
        meeting_date=meeting_date, author=author, public=public, catalogue=catalogue, obs=obs,
        area_obs=area_obs, latest=latest,
        benchmarks=_benchmarks(obs, latest, catalogue, area_code, nbrs),
        funnels=_funnels(obs, latest, catalogue), revised={}, **local,
    )
    return _with_revisions(base, previous)


def _protected(frame: pd.DataFrame | None, field: str, mode: str) -> pd.DataFrame | None:
    columns, key = FREE_TEXT[field]
    return protect_text(frame, columns, field=field, key=key, mode=mode)


def _protect_text(catalogue: pd.DataFrame, obs: pd.DataFrame,
                  mode: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The catalogue's text and the source notes with no count of 1 to 5 people."""
    return _protected(catalogue, "catalogue", mode), _protected(obs, "source notes", mode)


def _local_figures(area_code: str, period: Period, area_obs: pd.DataFrame,
                   catalogue: pd.DataFrame) -> dict:
    """Scorecards, commentary and key activities the council supplied for this period."""
    # the council's own figures (files in data/local), for the period or a date inside it
    local_files = {f.name for f in config.LOCAL_DIR.glob("*")} if config.LOCAL_DIR.is_dir() \
        else set()
    from_file = area_obs["source"].astype("string").str.split(" (", n=1, regex=False).str[0]
    here = match_period(area_obs[from_file.isin(local_files).fillna(False).to_numpy()],
                        period.label)
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    here = here[(here["period_start"] >= start) & (here["period_end"] <= end)]

    def of_period(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        found = frame[(frame["area_code"] == area_code) & (frame["period"] == period.label)]
        return found if len(found) else None

    targets = of_period(local_table("load_targets"))
    has_targets = targets is not None or ("target" in here and here["target"].notna().any())
    scored = score_against_target(here, targets, catalogue) if has_targets else None
    if scored is not None and not len(scored):
        scored = None
    untargeted = here[~here["indicator"].isin(scored["indicator"] if scored is not None else [])]
    acts = of_period(local_table("load_key_activities"))
    activities = score_activities(acts) if acts is not None else None
    if scored is not None:
        scored = scored.merge(catalogue[["indicator", "title", "unit", "decimals"]],
                              on="indicator", how="left")
        flags = here.set_index("indicator")["flag"] if "flag" in here else pd.Series()
        scored["flag"] = scored["indicator"].map(flags)
        scored["priority"] = scored["indicator"].map(lambda i: _priority_of(i, here))
    return {"local_obs": here, "scored": scored,
            "untargeted": untargeted if len(untargeted) else None,
            "activities": activities, "commentary": of_period(local_table("load_commentary"))}


def _priority_of(indicator: str, local_obs: pd.DataFrame) -> str:
    """A scorecard's priority: the priority of the council's key activities that its
    source names (``... Young people scorecard``), else "Other indicators"."""
    source = " ".join(local_obs.loc[local_obs["indicator"] == indicator, "source"]
                      .dropna().astype(str)).lower()
    every = local_table("load_key_activities")
    for priority in every["priority"].unique() if every is not None else ():
        if f"{priority} scorecard".lower() in source:
            return str(priority)
    return "Other indicators"


def _neighbour_codes(area_code: str, model: str) -> tuple[str, ...]:
    """The area's statistical neighbours in ``model`` (none when the model predates it)."""
    try:
        return tuple(neighbours_of(area_code, model))
    except UnknownAreaError as exc:
        log.warning("no statistical neighbours: %s", exc)
        return ()


def _benchmarks(obs: pd.DataFrame, latest: pd.DataFrame, catalogue: pd.DataFrame,
                area_code: str, neighbour_codes: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    # the area's own neighbour mean (sn_mean) from the chosen model's set
    lookup = areas().copy()
    lookup.loc[lookup["area_code"] == area_code, "neighbours"] = ";".join(neighbour_codes) or None
    found: dict[str, pd.DataFrame] = {}
    for indicator in KEY_INDICATORS:
        if indicator not in latest.index:
            continue
        period = str(latest.loc[indicator, "period"])
        try:
            found[indicator] = benchmark(obs, indicator, period, catalogue=catalogue,
                                         areas=lookup)
        except PerfError as exc:
            log.warning("no benchmark for %s %s: %s", indicator, period, exc)
    return found


def _funnels(obs: pd.DataFrame, latest: pd.DataFrame,
             catalogue: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Funnel frames of the headline rates and percentages whose figures have a
    denominator (the ONS population for a rate per 10,000, the cohort for NEET)."""
    found: dict[str, pd.DataFrame] = {}
    for indicator in KEY_INDICATORS:
        if indicator not in latest.index or indicator_info(indicator, catalogue).unit not in (
                "%", "rate per 10,000"):
            continue
        period = str(latest.loc[indicator, "period"])
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
    marked = mark_revisions(ctx.shown_figures(), record, public=ctx.public,
                            catalogue=ctx.catalogue)
    revised = {(str(r["indicator"]), str(r["area_code"]), str(r["period"])): r
               for _, r in marked[marked["revised"]].iterrows()}
    ctx = replace(ctx, revised=revised,
                  revision_notes=tuple(revision_footnotes(marked, catalogue=ctx.catalogue)),
                  previous_briefing=str(names[0]) if len(names) else path.name)
    if ctx.scored is not None and revised:
        periods = ctx.local_period_of()
        scored = ctx.scored.copy()
        scored["flag"] = [ctx.flag(i, ctx.area_code, periods.get(i), f)
                          for i, f in zip(scored["indicator"], scored["flag"])]
        ctx = replace(ctx, scored=scored)
    return ctx
