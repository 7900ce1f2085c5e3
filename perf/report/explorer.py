"""``perf.explorer()``: choose an area, an indicator, comparators and a period range in
JupyterLab; the chart, the figures beside it and the sentence saying what they show
update together, and "Copy as code" prints the ``perf`` call that draws the same chart.

Everything shown comes from :func:`perf.report.analyst.trend_view`, so the explorer and
``perf.trend_chart`` can never disagree. The widgets are ipywidgets (the ``lab`` extra);
the tests drive them from Python by setting their values.

Examples:
    >>> ex = Explorer("Dudley", "cla_rate", comparators=("England",), end="31 March 2025")
    >>> ex.code()
    'perf.trend_chart("Dudley", "cla_rate", comparators=("England",), start="31 March 2021", end="31 March 2025")'
    >>> ex.area.value = "E08000035"  # Leeds
    >>> "in Leeds" in ex.sentence.value and ex.code().startswith('perf.trend_chart("Leeds"')
    True
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from perf.areas import areas as area_lookup
from perf.areas import find_area
from perf.catalogue import indicator_info
from perf.charts import figure_to_html
from perf.errors import PerfError
from perf.report.analyst import COMPARATORS, TrendView, trend_view, trend_window
from perf.report.data import catalogue_frame, observations
from perf.report.display import esc

try:
    import ipywidgets as widgets
except ImportError as exc:  # the lab extra is optional; say how to get it
    raise PerfError(
        "perf.explorer needs ipywidgets",
        hint="Install the lab extra: make setup, or pip install 'perf[lab]'.",
    ) from exc

__all__ = ["Explorer", "explorer"]

#: The comparator check boxes: the name :func:`perf.trend_chart` takes and the label shown.
_COMPARATOR_LABELS = {
    "England": "England",
    "region": "Region",
    "neighbours": "Statistical neighbours' average",
}


class Explorer(widgets.VBox):
    """The explorer's widgets (each an attribute a test or a notebook can set):
    ``area``, ``indicator``, ``comparator`` (one check box per name in
    :data:`~perf.report.analyst.COMPARATORS`) and ``periods`` (a range slider over the
    area's periods); what they show: ``sentence``, ``chart``, ``table``; and
    ``copy_button``, which prints :meth:`code` into ``code_output``."""

    def __init__(
        self,
        area: str | int = "Dudley",
        indicator: str = "cla_rate",
        comparators: Sequence[str] = COMPARATORS,
        *,
        start: str | None = None,
        end: str | None = None,
        public: bool = True,
    ) -> None:
        self.public = public
        self.obs = observations(public)
        self.catalogue = catalogue_frame()
        self._quiet = False
        self.view: TrendView | None = None
        self.error: str | None = None
        first = find_area(area)
        wanted = {str(c).lower() for c in comparators}

        self.area = widgets.Dropdown(
            options=self._area_options(), value=str(first["area_code"]), description="Area"
        )
        self.indicator = widgets.Dropdown(
            description="Indicator", layout=widgets.Layout(width="44em")
        )
        self.comparator = {
            name: widgets.Checkbox(
                value=name.lower() in wanted,
                description=label,
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for name, label in _COMPARATOR_LABELS.items()
        }
        # the slider's own readout cuts long labels ("31 March 2021-31 Mar"): a label instead
        self.periods = widgets.SelectionRangeSlider(
            options=["-"],
            description="Periods",
            continuous_update=False,
            readout=False,
            layout=widgets.Layout(width="30em"),
        )
        self.period_range = widgets.Label()
        self.sentence = widgets.HTML()
        self.chart = widgets.HTML(layout=widgets.Layout(width="60%"))
        self.table = widgets.HTML(layout=widgets.Layout(width="40%", overflow="auto"))
        self.copy_button = widgets.Button(
            description="Copy as code",
            icon="clipboard",
            tooltip="Print the perf call that draws this chart",
        )
        self.code_output = widgets.Output()

        with self._held():
            self._fill_indicators(prefer=indicator)
            self._fill_periods(start=start, end=end)
        self.area.observe(self._on_area, names="value")
        self.indicator.observe(self._on_indicator, names="value")
        self.periods.observe(self._on_change, names="value")
        for box in self.comparator.values():
            box.observe(self._on_change, names="value")
        self.copy_button.on_click(self._on_copy)
        super().__init__(
            [
                widgets.HBox([self.area, self.indicator]),
                widgets.HBox([widgets.Label("Compare with:"), *self.comparator.values()]),
                widgets.HBox([self.periods, self.period_range]),
                self.sentence,
                widgets.HBox([self.chart, self.table]),
                self.copy_button,
                self.code_output,
            ]
        )
        self.refresh()

    # --- choices ------------------------------------------------------------------

    def _area_options(self) -> list[tuple[str, str]]:
        lookup = area_lookup()
        with_data = set(self.obs.loc[self.obs["area_level"] == "la", "area_code"])
        las = lookup[lookup["area_code"].isin(with_data)].sort_values("area_name")
        return list(zip(las["area_name"], las["area_code"]))

    def _fill_indicators(self, prefer: str | None = None) -> None:
        here = self.obs[self.obs["area_code"] == self.area.value]
        ids = sorted(set(here["indicator"]))
        titles = {i: indicator_info(i, self.catalogue).title for i in ids}
        options = sorted(((f"{titles[i]} ({i})", i) for i in ids), key=lambda o: o[0].lower())
        keep = prefer if prefer in ids else self.indicator.value
        self.indicator.options = options
        if options:
            self.indicator.value = keep if keep in ids else options[0][1]

    def _area_periods(self) -> list[str]:
        rows = self.obs[
            (self.obs["area_code"] == self.area.value)
            & (self.obs["indicator"] == self.indicator.value)
        ]
        return list(rows.sort_values("period_end")["period"].drop_duplicates())

    def _fill_periods(self, start: str | None = None, end: str | None = None) -> None:
        """The area's periods for the indicator, the range from ``start`` to ``end`` (any
        labels: the indicator's own periods that best fit them) chosen, all by default."""
        labels = self._area_periods() or ["-"]
        self.periods.options = labels
        chosen = (
            trend_window(
                self.obs,
                self.indicator.value,
                self.area.value,
                comparators=(),
                start=start,
                end=end,
            )["period"].tolist()
            if labels != ["-"]
            else []
        )
        if chosen:
            self.periods.index = (labels.index(chosen[0]), labels.index(chosen[-1]))
        else:
            self.periods.index = (0, len(labels) - 1)

    @contextmanager
    def _held(self) -> Iterator[None]:
        """Change several widgets and refresh once, afterwards."""
        before, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = before

    # --- events -------------------------------------------------------------------

    def _on_area(self, change: dict) -> None:
        with self._held():
            start, end = self.periods.value
            self._fill_indicators()
            self._fill_periods(start, end)
        self.refresh()

    def _on_indicator(self, change: dict) -> None:
        if self._quiet:
            return
        with self._held():
            self._fill_periods()
        self.refresh()

    def _on_change(self, change: dict) -> None:
        if not self._quiet:
            self.refresh()

    def _on_copy(self, button: widgets.Button | None = None) -> None:
        self.code_output.clear_output()
        with self.code_output:
            print(self.code())

    # --- what is shown ------------------------------------------------------------

    @property
    def comparators(self) -> tuple[str, ...]:
        """The comparators ticked, in :data:`COMPARATORS` order."""
        return tuple(name for name in COMPARATORS if self.comparator[name].value)

    def refresh(self) -> None:
        """Redraw the chart, table and sentence from the widgets' values."""
        start, end = self.periods.value
        self.period_range.value = start if start == end else f"{start} to {end}"
        try:
            self.view = trend_view(
                self.area.value,
                self.indicator.value,
                self.comparators,
                start=start,
                end=end,
                public=self.public,
            )
        except PerfError as exc:
            self.view, self.error = None, str(exc)
            self.sentence.value = f'<p role="alert">{esc(self.error)}</p>'
            self.chart.value = self.table.value = ""
            return
        self.error = None
        self.sentence.value = f"<p>{esc(self.view.sentence)}</p>"
        self.chart.value = figure_to_html(self.view.chart)
        self.table.value = self.view.table

    def code(self) -> str:
        """The ``perf`` call that draws the chart shown (empty when nothing is shown)."""
        return self.view.code() if self.view is not None else ""


def explorer(
    area: str | int = "Dudley",
    indicator: str = "cla_rate",
    comparators: Sequence[str] = COMPARATORS,
    *,
    start: str | None = None,
    end: str | None = None,
    public: bool = True,
) -> Explorer:
    """An explorer in JupyterLab: choose the area, indicator, comparators and periods; the
    chart, the table beside it and the sentence update together; "Copy as code" prints
    the ``perf.trend_chart`` call that draws the same chart.

    Args:
        area, indicator: where to start (a name, ONS code or DfE number; an indicator id).
        comparators: which of ``"England"``, ``"region"``, ``"neighbours"`` start ticked.
        start, end: the period range shown first (any labels: the indicator's own periods
            that best fit them); all of the area's periods by default.
        public: the published figures (True) or the unsuppressed internal view (False).

    Examples:
        >>> ex = explorer("Leeds", "neet_16_17")
        >>> ex.indicator.value, ex.periods.value[1]
        ('neet_16_17', '2025')
        >>> explorer("Leeds", "neet_16_17", start="2022-23", end="2024-25").periods.value
        ('2023', '2025')
    """
    return Explorer(area, indicator, comparators, start=start, end=end, public=public)
