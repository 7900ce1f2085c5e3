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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from perf import config

__all__ = ["Briefing", "observations", "catalogue_frame", "preload", "record_sources",
           "HTMLSection"]

log = config.get_logger()
esc = html_lib.escape


class HTMLSection(str):
    """A string of HTML that Jupyter displays as HTML (what every section returns)."""

    def _repr_html_(self) -> str:
        return str(self)


@lru_cache(maxsize=1)
def observations() -> pd.DataFrame:
    """Every observation under ``config.DATA_DIR`` (cached for the life of the process)."""
    from perf.loaders import load_all

    return load_all()


@lru_cache(maxsize=1)
def catalogue_frame() -> pd.DataFrame:
    """The indicator catalogue (cached for the life of the process)."""
    from perf.catalogue import catalogue

    return catalogue()


def preload() -> None:
    """Load the data a briefing needs (a warm kernel calls this while it waits for work)."""
    observations()
    catalogue_frame()


def record_sources(sources: list[str]) -> None:
    """Tell the renderer which data files and releases a notebook used (for its footer)."""
    from IPython.display import display

    from perf.render_html import PROVENANCE_MIMETYPE

    display({PROVENANCE_MIMETYPE: {"sources": sorted(set(map(str, sources)))}}, raw=True)


@dataclass
class Briefing:
    """One area's briefing for one period.

    Args:
        area: name, ONS code or DfE number (resolved with :func:`perf.areas.find_area`).
        period: the reporting period label (any form :func:`perf.periods.parse_period` reads).
        committee, meeting_date, author: shown on the cover.
        public: disclosure control on (the committee's published HTML) or off (analysts).
    """

    area: str
    period: str
    committee: str = "Children's Services Scrutiny Committee"
    meeting_date: str = ""
    author: str = "Performance and Intelligence Team"
    public: bool = True
    _used_sources: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        from perf.areas import find_area
        from perf.periods import parse_period

        row = find_area(self.area)
        self.area_code: str = str(row["area_code"])
        self.area_name: str = str(row["area_name"])
        self.region_code = row.get("region_code")
        self.period_obj = parse_period(self.period)
        self.period = self.period_obj.label
        obs = observations()
        self.obs = obs
        self.area_obs = obs[obs["area_code"] == self.area_code]

    # -- helpers -------------------------------------------------------------------------

    def _use(self, frame: pd.DataFrame) -> None:
        if "source" in frame:
            self._used_sources.update(frame["source"].dropna().astype(str))

    def shown_example_data(self) -> bool:
        """True when any figure this briefing shows is illustrative (flag ``ex``)."""
        return bool(self.area_obs["flag"].eq("ex").any()) if "flag" in self.area_obs else False

    # -- sections --------------------------------------------------------------------------

    def cover(self) -> HTMLSection:
        """Committee, meeting, author, period and the publication notice."""
        meeting = self.meeting_date.strip() or "to be confirmed"
        rows = [
            ("Report to", self.committee),
            ("Date of meeting", meeting),
            ("Report author", self.author),
            ("Area", self.area_name),
            ("Reporting period", f"{self.period} ({self.period_obj.start:%-d %B %Y} to "
                                 f"{self.period_obj.end:%-d %B %Y})"),
        ]
        body = "".join(f"<tr><th scope=\"row\">{esc(k)}</th><td>{esc(v)}</td></tr>"
                       for k, v in rows)
        parts = [
            f'<p class="subtitle"><strong>{esc(self.area_name)}, {esc(self.period)}</strong></p>',
            f"<table class=\"cover\"><caption>About this report</caption><tbody>{body}</tbody>"
            "</table>",
            '<p class="notice">This report will be published: it will be made available to the '
            "public on the council's website after the meeting.</p>",
        ]
        if self.shown_example_data():
            parts.append(
                '<p class="notice warning"><strong>Illustrative example data.</strong> Some '
                "figures in this briefing are example values marked [ex], not published "
                "statistics. Do not quote them as real.</p>")
        return HTMLSection("\n".join(parts))

    def sources(self) -> HTMLSection:
        """Appendix: the data files and releases behind the figures shown (and records them
        for the provenance footer)."""
        used = sorted(self._used_sources or set(self.area_obs["source"].dropna().astype(str)))
        record_sources(used)
        items = "".join(f"<li>{esc(s)}</li>" for s in used)
        return HTMLSection(f"<ul>{items}</ul>" if items else "<p>No data were used.</p>")
