"""The committee briefing's sections, assembled from frames so the notebook stays thin.

Each ``Briefing`` method returns (and, in a notebook, displays) one section as HTML built
from perf's analysis and presentation modules. The notebook ``notebooks/briefing`` calls
them in the order the seed reports use: cover, performance summary, priorities, exceptions,
trends, benchmarking, SPC, appendix.

Data are loaded once per process (:func:`observations` is cached), so a warm kernel that
renders briefing after briefing reads the files once.
"""

from __future__ import annotations

import html as html_lib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from perf import config
from perf.cache import cached_pickle
from perf.errors import PerfError

__all__ = [
    "Briefing",
    "HTMLSection",
    "catalogue_frame",
    "observations",
    "preload",
    "record_sources",
    "spc_finding",
]

log = config.get_logger()
esc = html_lib.escape


class HTMLSection(str):
    """A string of HTML that Jupyter displays as HTML (what every section returns)."""

    def _repr_html_(self) -> str:
        return str(self)


@lru_cache(maxsize=2)
def observations(public: bool = False) -> pd.DataFrame:
    """Every observation under ``config.DATA_DIR`` (cached for the life of the process and
    on disk); with ``public=True``, after disclosure control of the council's own figures
    (:func:`perf.disclosure.for_publication`: published DfE/ONS figures stay as released)."""
    if public:
        from perf.disclosure import for_publication

        return cached_pickle("observations-public", lambda: for_publication(
            observations(False), catalogue=catalogue_frame()), extra=pd.__version__)
    from perf.loaders import load_all

    return cached_pickle("observations", load_all, extra=pd.__version__)


@lru_cache(maxsize=1)
def catalogue_frame() -> pd.DataFrame:
    """The indicator catalogue (cached for the life of the process and on disk)."""
    from perf.catalogue import catalogue

    return cached_pickle("catalogue", catalogue, extra=pd.__version__)


@lru_cache(maxsize=4)
def _local(name: str) -> pd.DataFrame:
    """Council-local targets, key activities or commentary (cached; empty when none)."""
    from perf import loaders

    try:
        return getattr(loaders, name)()
    except FileNotFoundError:
        return pd.DataFrame()


def preload() -> None:
    """Load the data a briefing needs (a warm kernel calls this while it waits for work)."""
    catalogue_frame()
    observations(True)
    from perf.areas import areas

    areas()
    from perf.loaders import load_commentary, load_key_activities, load_targets

    for loader in (load_targets, load_key_activities, load_commentary):
        _local(loader.__name__)


def record_sources(sources: list[str]) -> None:
    """Tell the renderer which data files and releases a notebook used (for its footer)."""
    from IPython.display import display

    from perf.render_html import PROVENANCE_MIMETYPE

    display({PROVENANCE_MIMETYPE: {"sources": sorted(set(map(str, sources)))}}, raw=True)



#: The headline indicators every briefing shows: id -> how a sentence names it.
KEY_INDICATORS: dict[str, str] = {
    "cla_rate": "the rate of children looked after per 10,000 children",
    "neet_16_17": "the percentage of 16-17 year olds not in education, employment or training",
    "PriTotAbs": "overall absence in primary schools",
    "SecTotAbs": "overall absence in secondary schools",
}
ENGLAND = "E92000001"


def _p(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _paragraphs(text: str) -> str:
    """Plain commentary text as escaped paragraphs (blank lines separate them)."""
    parts = [t.strip() for t in str(text).replace("\r\n", "\n").split("\n\n") if t.strip()]
    return "".join(f"<p>{esc(t)}</p>" for t in parts)


def spc_finding(chart: pd.DataFrame, subject: str, variation: str) -> str:
    """An SPC chart's title: what the latest point shows, then the earlier special causes.

    >>> chart = pd.DataFrame({"value": [1.0, 9.0, 2.0], "special_cause": [False, True, False]})
    >>> spc_finding(chart, "Absence in Dudley", "common cause")
    'Absence in Dudley: the latest point shows common-cause variation (1 earlier point was special cause)'
    >>> chart["special_cause"] = [True, False, True]
    >>> spc_finding(chart, "Absence in Dudley", "special cause concerning")
    'Absence in Dudley: the latest point shows special-cause variation, a concern (2 of 3 points are special cause)'
    >>> spc_finding(chart.assign(special_cause=False), "Absence in Dudley", "common cause")
    'Absence in Dudley: only common-cause variation in all 3 points'
    """
    present = chart.dropna(subset=["value"])
    special = present["special_cause"].fillna(False).astype(bool).to_numpy()
    n, total = int(special.sum()), len(present)
    if n == 0:
        return f"{subject}: only common-cause variation in all {total} points"
    if not variation.startswith("special"):
        return (f"{subject}: the latest point shows common-cause variation ({n} earlier "
                f"point{' was' if n == 1 else 's were'} special cause)")
    kind = {"special cause improving": ", an improvement",
            "special cause concerning": ", a concern"}.get(variation, "")
    return (f"{subject}: the latest point shows special-cause variation{kind} ({n} of {total} "
            f"point{' is' if n == 1 else 's are'} special cause)")


@dataclass
class Briefing:
    """One area's briefing for one period: every frame is prepared on construction, so the
    cover can say whether any figure shown is an illustrative example.

    Args:
        area: name, ONS code or DfE number (resolved with :func:`perf.areas.find_area`).
        period: the reporting period label (any form :func:`perf.periods.parse_period` reads).
        committee, meeting_date, author: shown on the cover.
        public: disclosure control on (the committee's published HTML) or off (analysts).
        previous: the frozen record (:func:`perf.revisions.frozen_path`) of the last
            briefing published for this area; figures it showed that have changed since are
            marked [r], with old and new values under "Revisions since the last briefing".
            Relative paths are from the project root. Blank: no comparison.
    """

    area: str
    period: str
    committee: str = "Children's Services Scrutiny Committee"
    meeting_date: str = ""
    author: str = "Performance and Intelligence Team"
    public: bool = True
    previous: str = ""
    _used_sources: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        from perf.areas import find_area
        from perf.explore import match_period
        from perf.periods import parse_period

        row = find_area(self.area)
        self.area_code: str = str(row["area_code"])
        self.area_name: str = str(row["area_name"])
        region = row.get("region_code")
        self.region_code = str(region) if isinstance(region, str) and region else None
        self.neighbour_codes = [c for c in str(row.get("neighbours") or "").split(";") if c]
        self.period_obj = parse_period(self.period)
        self.period = self.period_obj.label
        self.catalogue = catalogue_frame()
        self.cat = self.catalogue.set_index("indicator")
        self.obs = observations(self.public)
        self.area_obs = self.obs[self.obs["area_code"] == self.area_code]
        self.latest = match_period(self.area_obs, self.period).set_index("indicator")
        self._prepare_local()
        self._prepare_benchmarks()
        self._prepare_revisions()

    # -- preparation ---------------------------------------------------------------------

    def _prepare_local(self) -> None:
        """Scorecards, commentary and key activities the council supplied for this period."""
        from perf.explore import match_period
        from perf.scoring import score_activities, score_against_target

        # the council's own figures (files in data/local), for the period or a date inside it
        local_files = {f.name for f in config.LOCAL_DIR.glob("*")} if config.LOCAL_DIR.is_dir() \
            else set()
        from_file = self.area_obs["source"].astype("string").str.split(" (", n=1, regex=False).str[0]
        here = match_period(self.area_obs[from_file.isin(local_files).fillna(False).to_numpy()],
                            self.period)
        start, end = pd.Timestamp(self.period_obj.start), pd.Timestamp(self.period_obj.end)
        here = here[(here["period_start"] >= start) & (here["period_end"] <= end)]
        targets = _local("load_targets")
        if len(targets):
            targets = targets[(targets["area_code"] == self.area_code)
                              & (targets["period"] == self.period)]
        self.local_obs = here
        has_targets = len(targets) > 0 or ("target" in here and here["target"].notna().any())
        self.scored = (score_against_target(here, targets if len(targets) else None,
                                            self.catalogue)
                       if has_targets else pd.DataFrame())
        # local figures with no target: shown as figures, never given a status
        self.untargeted = here[~here["indicator"].isin(
            self.scored["indicator"] if len(self.scored) else [])]
        if len(self.scored):
            self.scored = self.scored.merge(
                self.catalogue[["indicator", "title", "unit", "decimals"]], on="indicator",
                how="left")
            flags = here.set_index("indicator")["flag"] if "flag" in here else pd.Series()
            self.scored["flag"] = self.scored["indicator"].map(flags)
            self.scored["priority"] = self.scored["indicator"].map(self._priority_of)
        acts = _local("load_key_activities")
        if len(acts):
            acts = acts[(acts["area_code"] == self.area_code) & (acts["period"] == self.period)]
        self.activities = score_activities(acts) if len(acts) else pd.DataFrame()
        comments = _local("load_commentary")
        if len(comments):
            comments = comments[(comments["area_code"] == self.area_code)
                                & (comments["period"] == self.period)]
        self.commentary = comments
        self._use(here)

    def _priority_of(self, indicator: str) -> str:
        """A scorecard's priority: the priority of this period's key activities that its
        source names (``... Young people scorecard``), else "Other indicators"."""
        source = " ".join(self.local_obs.loc[self.local_obs["indicator"] == indicator, "source"]
                          .dropna().astype(str))
        priorities = (self.activities["priority"].unique()
                      if len(getattr(self, "activities", ())) else [])
        for priority in priorities:
            if f"{priority} scorecard".lower() in source.lower():
                return str(priority)
        if not len(priorities):
            acts = _local("load_key_activities")
            if len(acts):
                for priority in acts["priority"].unique():
                    if f"{priority} scorecard".lower() in source.lower():
                        return str(priority)
        return "Other indicators"

    def _prepare_benchmarks(self) -> None:
        from perf.benchmarking import benchmark

        self.benchmarks: dict[str, pd.DataFrame] = {}
        for indicator in KEY_INDICATORS:
            if indicator not in self.latest.index:
                continue
            period = str(self.latest.loc[indicator, "period"])
            try:
                self.benchmarks[indicator] = benchmark(self.obs, indicator, period,
                                                       catalogue=self.catalogue)
            except PerfError as exc:
                log.warning("no benchmark for %s %s: %s", indicator, period, exc)

    def _direction(self, indicator: str) -> str:
        """Direction of travel of a headline indicator since its previous published figure."""
        from perf.compare import direction_of
        from perf.disclosure import is_suppressed

        here = self.area_obs[self.area_obs["indicator"] == indicator]
        now = self.latest.loc[indicator]
        polarity = self._info(indicator)[3]
        before = here[here["period_end"] < now["period_end"]].sort_values("period_end")
        prev = before.iloc[-1] if len(before) else None
        if prev is None or pd.isna(now["value"]) or pd.isna(prev["value"]) or bool(
                is_suppressed(pd.DataFrame([now, prev])).any()):
            return "not comparable"
        return direction_of(float(now["value"]) - float(prev["value"]),
                            polarity if polarity in ("high", "low") else "neither")[1]

    def shown_figures(self) -> pd.DataFrame:
        """The published figures this briefing shows, one row per indicator, area and period:
        the headline indicators for the area and England up to the briefing's period (tables,
        trends and SPC), and the council's local figures with their status against target.

        ``status`` is the status against target, or for a headline indicator's latest figure
        its direction of travel. This is what :func:`perf.revisions.freeze` records.
        """
        columns = ["indicator", "area_code", "area_name", "period", "value", "flag", "status"]
        frames = []
        for indicator in KEY_INDICATORS:
            window = self._window(indicator)
            rows = window[window["area_code"].isin([self.area_code, ENGLAND])]
            if rows.empty:
                continue
            rows = rows.reindex(columns=columns).copy()
            latest = (rows["area_code"] == self.area_code) & (
                rows["period"] == self.latest.loc[indicator, "period"])
            rows["status"] = pd.Series(pd.NA, index=rows.index, dtype="object").mask(
                latest, self._direction(indicator))
            frames.append(rows)
        if len(self.scored):
            local = self.scored.assign(area_code=self.area_code, area_name=self.area_name)
            local["period"] = self.local_obs.drop_duplicates("indicator", keep="last").set_index("indicator")["period"].reindex(
                local["indicator"]).to_numpy()
            frames.append(local.reindex(columns=columns))
        if len(self.untargeted):
            frames.append(self.untargeted.reindex(columns=columns))
        if not frames:
            return pd.DataFrame(columns=columns)
        shown = pd.concat(frames, ignore_index=True)
        shown = shown.drop_duplicates(["indicator", "area_code", "period"], keep="last")
        shown["value"] = pd.to_numeric(shown["value"], errors="coerce").astype(float)
        return shown.sort_values(["indicator", "area_code", "period"], kind="mergesort") \
            .reset_index(drop=True)

    def _prepare_revisions(self) -> None:
        """Compare what this briefing shows with the last briefing's frozen record."""
        from perf.revisions import load_frozen, mark_revisions, revision_footnotes

        self.revised: dict[tuple[str, str, str], pd.Series] = {}
        self.revision_notes: list[str] = []
        self.previous_briefing: str | None = None
        if not self.previous.strip():
            return
        path = Path(self.previous)
        if not path.is_absolute():
            path = config.PROJ_ROOT / path
        record = load_frozen(path)
        names = record["briefing"].dropna().unique()
        self.previous_briefing = str(names[0]) if len(names) else path.name
        marked = mark_revisions(self.shown_figures(), record, public=self.public,
                                catalogue=self.catalogue)
        for _, row in marked[marked["revised"]].iterrows():
            self.revised[(str(row["indicator"]), str(row["area_code"]), str(row["period"]))] = row
        self.revision_notes = revision_footnotes(marked, catalogue=self.catalogue)
        if len(self.scored) and self.revised:
            periods = self.local_obs.drop_duplicates("indicator", keep="last").set_index("indicator")["period"]
            self.scored["flag"] = [
                self._flag(i, self.area_code, periods.get(i), f)
                for i, f in zip(self.scored["indicator"], self.scored["flag"])]

    def _flag(self, indicator: str, area_code: str, period: object, flag: object) -> object:
        """The flag a table shows: ``r`` for a figure revised since the last briefing
        (unless no number is shown, when the symbol stays), else the figure's own flag."""
        row = self.revised.get((str(indicator), str(area_code), str(period)))
        return row["flag"] if row is not None else flag

    def revisions(self, heading: bool = False) -> HTMLSection:
        """The "Revisions since the last briefing" note: one sentence per revised figure,
        old and new values (empty when there was no earlier briefing to compare with)."""
        if self.previous_briefing is None:
            return HTMLSection("")
        title = "Revisions since the last briefing"
        if self.revision_notes:
            intro = (f"{len(self.revision_notes)} figure"
                     f"{' was' if len(self.revision_notes) == 1 else 's were'} published "
                     f"differently in the briefing of {self.previous_briefing}; in the "
                     "tables a revised figure is marked [r].")
            body = _p(intro) + "<ul>" + "".join(f"<li>{esc(n)}</li>"
                                                for n in self.revision_notes) + "</ul>"
        else:
            body = _p(f"No figure shown in the briefing of {self.previous_briefing} has been "
                      "revised since.")
        if heading:
            return HTMLSection(f"<h3>{title}</h3>\n{body}")
        return HTMLSection(f'<div class="notice revisions"><p><strong>{title}.</strong></p>'
                           f"{body}</div>")

    def record_shown(self) -> None:
        """Report the figures shown (for the frozen record written beside the HTML)."""
        from IPython.display import display

        from perf.render_html import SHOWN_MIMETYPE

        shown = self.shown_figures()
        rows = [[None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is None else v
                 for v in row] for row in shown.astype(object).itertuples(index=False)]
        display({SHOWN_MIMETYPE: {"briefing": self.period, "public": bool(self.public),
                                  "columns": list(shown.columns), "rows": rows}}, raw=True)

    # -- helpers -------------------------------------------------------------------------

    def _source_line(self, frame: pd.DataFrame) -> str | None:
        """The data files and releases behind ``frame`` for a chart's source line (recorded
        for the footer too); None when the frame names none."""
        if "source" not in frame:
            return None
        self._use(frame)
        names = sorted(set(frame["source"].dropna().astype(str)) - {""})
        return "Source: " + "; ".join(names) if names else None

    def _use(self, frame: pd.DataFrame) -> None:
        if "source" in frame:
            self._used_sources.update(frame["source"].dropna().astype(str))

    def _info(self, indicator: str) -> tuple[str, str, int, str]:
        """(title, unit, decimals, polarity) from the catalogue."""
        if indicator in self.cat.index:
            row = self.cat.loc[indicator]
            decimals = int(row["decimals"]) if pd.notna(row["decimals"]) else 1
            return str(row["title"]), str(row["unit"]), decimals, str(row["polarity"])
        return indicator, "number", 1, "neither"

    def _window(self, indicator: str) -> pd.DataFrame:
        """This indicator's observations (every area) up to the briefing's period."""
        if indicator not in self.latest.index:
            return self.obs.iloc[0:0]
        end = self.latest.loc[indicator, "period_end"]
        return self.obs[(self.obs["indicator"] == indicator) & (self.obs["period_end"] <= end)]

    def shown_example_data(self) -> bool:
        """True when any figure this briefing shows is illustrative (flag ``ex``)."""
        headline = self.latest[self.latest.index.isin(list(KEY_INDICATORS))].reset_index()
        frames = [self.local_obs, headline]
        return any(len(f) and f["flag"].eq("ex").any() for f in frames if "flag" in f)

    def has_local_figures(self) -> bool:
        return bool(len(self.scored) or len(self.activities) or len(self.untargeted))

    def _untargeted_table(self) -> str:
        from perf.explore import html_table
        from perf.tables import format_value

        rows = []
        for _, r in self.untargeted.sort_values("indicator").iterrows():
            title, unit, decimals, _ = self._info(r["indicator"])
            rows.append({"Indicator": title,
                         "Figure": format_value(r["value"], unit, decimals, self._flag(
                             r["indicator"], self.area_code, r.get("period"), r.get("flag"))),
                         "Target": "none supplied"})
        return html_table(pd.DataFrame(rows), f"Local figures without a target, {self.period}",
                          numeric=["Figure"], table_id="local-untargeted")

    def _no_local(self, what: str) -> HTMLSection:
        return HTMLSection(
            f'<p class="notice">No local figures were supplied for {esc(self.area_name)} for '
            f"{esc(self.period)}, so this briefing has no {what}. Scorecards, targets, comments "
            "and key activities appear when the council's quarterly returns are added to "
            "<code>data/local</code> (published figures below are unaffected).</p>")

    # -- sections --------------------------------------------------------------------------

    def cover(self) -> HTMLSection:
        """Committee, meeting, author, period and the publication notice."""
        from perf.disclosure import mode_banner

        meeting = self.meeting_date.strip() or "to be confirmed"
        rows = [
            ("Report to", self.committee),
            ("Date of meeting", meeting),
            ("Report author", self.author),
            ("Area", self.area_name),
            ("Reporting period", (f"{self.period} ({self.period_obj.start:%-d %B %Y} to "
                                  f"{self.period_obj.end:%-d %B %Y})")),
        ]
        body = "".join(f"<tr><th scope=\"row\">{esc(k)}</th><td>{esc(v)}</td></tr>"
                       for k, v in rows)
        parts = [
            f'<p class="subtitle"><strong>{esc(self.area_name)}, {esc(self.period)}</strong></p>',
        ]
        if self.shown_example_data():
            parts.append(
                '<p class="notice warning"><strong>Illustrative example data.</strong> Some '
                "figures in this briefing are example values marked [ex], made up to show how "
                "the report works. They are not published statistics: do not quote them.</p>")
        banner = mode_banner(self.public)
        if banner:
            parts.append(f'<p class="notice warning"><strong>{esc(banner)}.</strong></p>')
        parts += [
            (f"<table class=\"cover\"><caption>About this report</caption><tbody>{body}</tbody>"
             "</table>"),
            '<p class="notice">This report will be published: it will be made available to the '
            "public on the council's website after the meeting."
            + (" Counts of 1 to 5 children, and figures that would reveal them, are shown "
               "as [c]." if self.public else "") + "</p>",
        ]
        return HTMLSection("\n".join(parts))

    def _headline(self, indicator: str) -> str | None:
        """One sentence for a key indicator: change on the previous period, and position."""
        from perf.summary import change_sentence

        here = self.area_obs[self.area_obs["indicator"] == indicator].dropna(subset=["value"])
        if indicator not in self.latest.index or here.empty:
            return None
        now = self.latest.loc[indicator]
        if pd.isna(now["value"]):
            return None
        _, unit, decimals, polarity = self._info(indicator)
        before = here[here["period_end"] < now["period_end"]].sort_values("period_end")
        self._use(here[here["period"] == now["period"]])
        if before.empty:
            text = f"{_capital(KEY_INDICATORS[indicator])} was {now['value']:.{decimals}f} in {now['period']}"
        else:
            prev = before.iloc[-1]
            self._use(before.tail(1))
            text = change_sentence(
                KEY_INDICATORS[indicator], float(prev["value"]), float(now["value"]),
                since=str(prev["period"]), unit=unit, decimals=decimals,
                polarity=polarity if polarity in ("high", "low") else None)
            text = f"{text} (to {now['value']:.{decimals}f}{'%' if unit == '%' else ''} in {now['period']})"
        bench = self.benchmarks.get(indicator)
        if bench is not None:
            from perf.benchmarking import quartile_sentence

            where = quartile_sentence(bench, self.area_code)
            if not where.startswith("not placed"):
                text += f"; {self.area_name} is in the {where}"
        return text + "."

    def _headline_table(self) -> str:
        """The headline indicators: latest and previous figure, direction of travel (symbol
        and word) and quartile among local authorities."""
        from perf.benchmarking import quartile_sentence
        from perf.explore import html_table
        from perf.tables import DIRECTION_LABELS, format_value

        rows = []
        for indicator in KEY_INDICATORS:
            here = self.area_obs[self.area_obs["indicator"] == indicator]
            if indicator not in self.latest.index:
                continue
            now = self.latest.loc[indicator]
            title, unit, decimals, _ = self._info(indicator)
            before = here[here["period_end"] < now["period_end"]].sort_values("period_end")
            prev = before.iloc[-1] if len(before) else None
            direction = self._direction(indicator)
            symbol, word = DIRECTION_LABELS.get(direction, ("◆", "Changed, neither better nor worse"))
            bench = self.benchmarks.get(indicator)
            rows.append({
                "Indicator": title,
                "Latest": f"{format_value(now['value'], unit, decimals, self._flag(indicator, self.area_code, now['period'], now.get('flag')))} "
                          f"({now['period']})",
                "Previous": (f"{format_value(prev['value'], unit, decimals, self._flag(indicator, self.area_code, prev['period'], prev.get('flag')))} "
                             f"({prev['period']})") if prev is not None else "none published",
                "Direction of travel": f'<span class="status" data-status="{esc(direction)}">'
                                       f"{esc(symbol)} {esc(word)}</span>",
                "Among local authorities": _capital(quartile_sentence(bench, self.area_code))
                if bench is not None else "not benchmarked",
            })
        if not rows:
            return ""
        return html_table(pd.DataFrame(rows), f"Headline indicators for {self.area_name}, "
                          f"latest published figures to {self.period}", table_id="headlines",
                          numeric=["Latest", "Previous"], html_columns=["Direction of travel"])

    def performance_summary(self) -> HTMLSection:
        """Counts by status (when the council supplied targets) and the headline narrative."""
        from perf.tables import summary_counts_table

        parts = [self.revisions()] if self.revision_notes else []
        if len(self.scored):
            parts.append(summary_counts_table(
                self.scored, caption=f"Indicators by status against target, {self.period}",
                by="priority", table_id="summary-status"))
            below = int(self.scored["status"].eq("below").sum())
            parts.append(_p(f"{len(self.scored)} indicators were scored against their targets; "
                            f"{below} {'is' if below == 1 else 'are'} below target tolerance "
                            "and explained under Exceptions."))
        if len(self.activities):
            parts.append(summary_counts_table(
                self.activities, caption=f"Key activities by progress, {self.period}",
                by="priority", table_id="summary-activities"))
        if len(self.untargeted) and not len(self.scored):
            parts.append(_p(f"The council supplied {len(self.untargeted)} local figures for "
                            f"{self.period} but no targets, so none has a status."))
        if len(parts) == bool(self.revision_notes):
            parts.append(self._no_local("scorecard or status counts"))
        sentences = [s for s in (self._headline(i) for i in KEY_INDICATORS) if s]
        table = self._headline_table()
        if sentences or table:
            parts.append("<h3>Headlines from published figures</h3>")
        if table:
            parts.append(table)
        if sentences:
            parts.append("<ul>" + "".join(f"<li>{esc(s)}</li>" for s in sentences) + "</ul>")
        return HTMLSection("\n".join(parts))

    def priorities(self) -> HTMLSection:
        """One part per priority: scorecard, comments and key activities."""
        from perf.tables import key_activities_table, scorecard_table

        if not self.has_local_figures():
            return self._no_local("priority scorecards, comments or key activities")
        names: list[str] = []
        for frame in (self.scored, self.activities):
            if len(frame):
                names += [p for p in frame["priority"].astype(str).unique() if p not in names]
        parts = []
        if len(self.untargeted):
            parts += ["<h3>Local figures</h3>", self._untargeted_table()]
        for n, priority in enumerate(names, start=1):
            parts.append(f'<h3 id="priority-{n}">{esc(priority)}</h3>')
            rows = self.scored[self.scored["priority"] == priority] if len(self.scored) else []
            if len(rows):
                parts.append(scorecard_table(rows, caption=f"{priority}: indicators, {self.period}",
                                             catalogue=self.catalogue,
                                             table_id=f"scorecard-{n}"))
                notes = self.commentary[self.commentary["indicator"].isin(rows["indicator"])] \
                    if len(self.commentary) else []
                if len(notes):
                    parts.append("<h4>Comments</h4>")
                    for _, note in notes.iterrows():
                        title = self._info(note["indicator"])[0]
                        parts.append(f"<p><strong>{esc(title)}</strong></p>"
                                     + _paragraphs(note["text"]))
            acts = self.activities[self.activities["priority"] == priority] \
                if len(self.activities) else []
            if len(acts):
                for m, (objective, group) in enumerate(acts.groupby("objective", sort=False), 1):
                    parts.append(key_activities_table(
                        group, caption=f"{objective}: key activities",
                        table_id=f"activities-{n}-{m}"))
        return HTMLSection("\n".join(parts))

    def exceptions(self) -> HTMLSection:
        """Indicators below target tolerance, each with the council's explanation."""
        from perf.summary import exception_list

        if not len(self.scored) and len(self.untargeted):
            return HTMLSection(_p(f"The council supplied no targets for {self.period}, so no "
                                  "indicator can be below target."))
        if not len(self.scored):
            return self._no_local("targets to measure exceptions against")
        found = exception_list(self.scored, self.commentary if len(self.commentary) else None)
        if found.empty:
            return HTMLSection(_p("No indicator is below its target tolerance this period."))
        parts = []
        for _, row in found.iterrows():
            title, _, decimals, _ = self._info(row["indicator"])
            value = f"{row['value']:.{decimals}f}" if pd.notna(row["value"]) else "no figure"
            target = f"{row['target']:.{decimals}f}" if pd.notna(row.get("target")) else "none"
            parts.append(f"<h3>{esc(title)}</h3>")
            parts.append(_p(f"▲ Below target: {value} against a target of {target}."))
            comment = row.get("commentary")
            parts.append(_paragraphs(comment) if isinstance(comment, str) and comment.strip()
                         else _p("No explanation was supplied for this exception."))
        return HTMLSection("\n".join(parts))

    def _chart(self, make, what: str) -> str:
        from perf.charts import figure_to_html

        try:
            return figure_to_html(make())
        except (ValueError, KeyError, PerfError) as exc:
            log.info("no chart for %s: %s", what, exc)
            return _p(f"There are not enough published figures to chart {what} for "
                      f"{self.area_name}.")
        except TypeError as exc:  # a presentation bug must not sink the whole briefing
            log.warning("chart of %s failed: %r", what, exc)
            return _p(f"The chart of {what} could not be drawn for {self.area_name} "
                      f"({type(exc).__name__}).")

    def _table(self, make, what: str) -> str:
        try:
            return make()
        except (ValueError, KeyError, TypeError, PerfError) as exc:
            log.warning("table of %s failed: %r", what, exc)
            return _p(f"The table of {what} could not be produced for {self.area_name} "
                      f"({type(exc).__name__}).")

    def trends(self) -> HTMLSection:
        """Children looked after, NEET and its gap to England, primary and secondary absence."""
        from perf.charts import attendance_chart, neet_gap_chart, trend_chart

        parts = ["<h3>Children looked after per 10,000 children</h3>"]
        cla = self._window("cla_rate")
        parts.append(self._chart(lambda: trend_chart(
            cla, "cla_rate", self.area_code, region_code=self.region_code,
            neighbours=self.neighbour_codes, catalogue=self.catalogue),
            "children looked after"))
        self._use(cla[cla["area_code"].isin([self.area_code, ENGLAND])])
        parts.append("<h3>Young people not in education, employment or training (NEET)</h3>")
        neet = self._window("neet_16_17")
        parts.append(self._chart(lambda: neet_gap_chart(neet, self.area_code), "NEET"))
        self._use(neet[neet["area_code"].isin([self.area_code, ENGLAND])])
        parts.append("<h3>Absence from primary and secondary schools</h3>")
        absence = pd.concat([self._window("PriTotAbs"), self._window("SecTotAbs")])
        parts.append(self._chart(lambda: attendance_chart(
            absence, self.area_code, neighbours=self.neighbour_codes), "school absence"))
        self._use(absence[absence["area_code"] == self.area_code])
        return HTMLSection("\n".join(parts))

    def benchmarking(self) -> HTMLSection:
        """Rank, quartile and statistical neighbours for each headline indicator."""
        from perf.benchmarking import quartile_sentence, rank_sentence
        from perf.charts import benchmark_chart
        from perf.explore import html_table
        from perf.tables import benchmark_table, format_value

        if not self.benchmarks:
            return HTMLSection(_p(f"No published figures to benchmark {self.area_name} on."))
        rows = []
        for indicator, bench in self.benchmarks.items():
            title, unit, decimals, _ = self._info(indicator)
            mine = bench[bench["area_code"] == self.area_code]
            if mine.empty:
                continue
            r = mine.iloc[0]
            rank = (rank_sentence(bench, self.area_code, noun="value")
                    if pd.notna(r["rank"]) else "not ranked")
            period = bench.attrs.get("period", "")
            rows.append({
                "Indicator": f"{title} ({period})",
                self.area_name: format_value(r["value"], unit, decimals, self._flag(
                    indicator, self.area_code, period, r["flag"])),
                "England": format_value(r["england_value"], unit, decimals, self._flag(
                    indicator, ENGLAND, period, None)),
                "Statistical neighbours' average": format_value(r["sn_mean"], unit, decimals),
                "Rank": _capital(rank),
                "Quartile": _capital(quartile_sentence(bench, self.area_code)),
            })
            self._use(self.obs[(self.obs["indicator"] == indicator)
                               & (self.obs["area_code"] == self.area_code)
                               & (self.obs["period"] == bench.attrs.get("period"))])
        parts = [html_table(pd.DataFrame(rows), f"{self.area_name} against every local "
                            "authority: headline indicators", table_id="benchmark-summary",
                            numeric=[self.area_name, "England",
                                     "Statistical neighbours' average"])]
        if "cla_rate" in self.benchmarks:
            bench = self.benchmarks["cla_rate"]
            title, unit, decimals, _ = self._info("cla_rate")
            period = str(bench.attrs.get("period", ""))
            parts.append(f"<h3>{esc(title)}: {esc(self.area_name)} and its statistical "
                         "neighbours</h3>")
            source = self._source_line(self.obs[(self.obs["indicator"] == "cla_rate")
                                                & (self.obs["period"] == period)])
            parts.append(self._chart(lambda: benchmark_chart(
                bench, area_code=self.area_code, label=title, unit=unit, decimals=decimals,
                period=period, neighbours=self.neighbour_codes, source=source), "the ranking"))
            parts.append(self._table(lambda: benchmark_table(
                bench, caption=f"{title}, {period}: {self.area_name} and its statistical "
                "neighbours", unit=unit, decimals=decimals, area_code=self.area_code,
                neighbours=self.neighbour_codes, table_id="benchmark-neighbours"),
                "statistical neighbours"))
        return HTMLSection("\n".join(parts))

    def spc(self) -> HTMLSection:
        """Statistical process control (XmR) for the headline indicators with enough points."""
        from perf.charts import spc_chart
        from perf.spc import assurance_icon, series_for, variation_icon, xmr

        parts, rows = [], []
        for indicator in ("cla_rate", "PriTotAbs", "SecTotAbs", "neet_16_17"):
            window = self._window(indicator)
            series = series_for(window, indicator, self.area_code).dropna() \
                if len(window) else pd.Series(dtype=float)
            if len(series) < 5:
                continue
            title, unit, decimals, polarity = self._info(indicator)
            try:
                chart = xmr(series, polarity=polarity)
                variation = variation_icon(chart)
                assurance = assurance_icon(chart)
            except PerfError as exc:
                log.info("no SPC for %s: %s", indicator, exc)
                continue
            chart = chart.assign(period=series.index)
            ends = window[window["area_code"] == self.area_code].set_index("period")["period_end"]
            chart["period_end"] = chart["period"].map(ends)
            rows.append((title, variation, assurance))
            mine = window[window["area_code"] == self.area_code]
            source = self._source_line(mine[mine["period"].isin(series.index)])
            finding = spc_finding(chart, f"{title} in {self.area_name}", variation)
            parts.append(f"<h3>{esc(title)}</h3>")
            parts.append(self._chart(
                lambda chart=chart, title=title, unit=unit, decimals=decimals, v=variation,
                a=assurance, f=finding, s=source: spc_chart(
                    chart, label=title, area_name=self.area_name, unit=unit, decimals=decimals,
                    variation=v, assurance=a, title=f, source=s), title))
        if not parts:
            return HTMLSection(_p("There are too few periods of published figures for "
                                  "statistical process control charts (at least 5 needed)."))
        intro = _p("Statistical process control separates the usual ups and downs of a figure "
                   "(common cause variation) from changes worth investigating (special cause "
                   "variation), using process limits computed from the figures themselves.")
        return HTMLSection(intro + "\n" + "\n".join(parts))

    def appendix(self) -> HTMLSection:
        """Definitions, symbols legend and data sources (and the footer's source record)."""
        from perf.explore import html_table
        from perf.tables import ACTIVITY_STATUS_LABELS, STATUS_LABELS, SYMBOL_MEANINGS

        shown = list(KEY_INDICATORS) + (list(self.scored["indicator"]) if len(self.scored) else [])
        defs = [(self._info(i)[0], str(self.cat.loc[i, "definition"]))
                for i in shown if i in self.cat.index and isinstance(self.cat.loc[i, "definition"], str)]
        parts = ["<h3>Definitions</h3>", html_table(
            pd.DataFrame(defs, columns=["Indicator", "Definition"]),
            "Definitions of the indicators in this briefing", table_id="definitions")]
        legend = [(f"{sym} {word}", "Indicator status against target")
                  for sym, word in STATUS_LABELS.values()]
        legend += [(f"{sym} {word}", "Key activity progress")
                   for sym, word in ACTIVITY_STATUS_LABELS.values()]
        legend += [(f"[{code}]", _capital(meaning)) for code, meaning in SYMBOL_MEANINGS.items()]
        parts += ["<h3>Symbols</h3>", html_table(
            pd.DataFrame(legend, columns=["Symbol", "Meaning"]), "Symbols used in this briefing",
            table_id="symbols")]
        revisions = self.revisions(heading=True)
        if revisions:
            parts.append(revisions)
        parts += ["<h3>Data sources and releases</h3>", self.sources()]
        self.record_shown()
        parts.append(_p("How this report was produced (parameters, data files with their "
                        "checksums, code version and time of run) is set out at the end."))
        return HTMLSection("\n".join(parts))

    def sources(self) -> HTMLSection:
        """The data files and releases behind the figures shown (recorded for the footer)."""
        used = sorted(self._used_sources)
        record_sources(used)
        items = "".join(f"<li>{esc(s)}</li>" for s in used)
        return HTMLSection(f"<ul>{items}</ul>" if items else "<p>No data were used.</p>")
