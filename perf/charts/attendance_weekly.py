"""Weekly attendance as a statistical process control (XmR) chart: the SPC chart
(:mod:`perf.charts.spc`) on :func:`perf.attendance.weekly_spc` output, the weeks named on
the time axis, a title that states the finding and the release in the caption.
"""

from __future__ import annotations

import pandas as pd

from perf.charts.draw import TimeTicks, fit_time_ticks, house_style
from perf.charts.output import Chart
from perf.charts.spc import spc_chart
from perf.charts.text import attendance_label, fmt
from perf.errors import NoDataToChart

__all__ = ["attendance_weekly_chart", "weekly_finding"]


def attendance_weekly_chart(
    spc: pd.DataFrame,
    *,
    label: str | None = None,
    area_name: str | None = None,
    decimals: int = 1,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Weekly attendance as a statistical process control (XmR) chart: :func:`spc_chart` on
    :func:`perf.attendance.weekly_spc` output, with the weeks named on the time axis, a title
    that states the finding and the release in the caption.

    Args:
        spc: ``perf.attendance.weekly_spc`` rows (``period``, ``period_start``,
            ``period_end``, ``value``, the XmR columns, ``source``); its ``attrs`` name the
            indicator and area.

    Raises:
        NoDataToChart: fewer than 2 weeks with a figure.
    """
    data = spc.dropna(subset=["value"]).reset_index(drop=True)
    if len(data) < 2:
        raise NoDataToChart("an XmR chart needs at least 2 weeks with a figure")
    indicator = str(spc.attrs.get("indicator", ""))
    area_name = area_name or str(spc.attrs.get("area_name", ""))
    label = label or (
        f"Weekly {attendance_label(indicator).lower()}" if indicator else "Weekly attendance"
    )
    finding, variation = weekly_finding(data, label=label, area_name=area_name, decimals=decimals)
    releases = sorted(
        {
            s.split(", weekly)")[0].split(", ")[-1]
            for s in data["source"].dropna()
            if ", release of " in s
        }
    )
    files = sorted({s.split(" (", 1)[0] for s in data["source"].dropna()})
    src = source or (
        "Source: DfE Pupil attendance in schools, weekly figures, "
        + "; ".join(releases or ["release not stated"])
        + f" ({', '.join(files)}). Weeks without a figure (a half term) are left out"
    )
    chart = spc_chart(
        data,
        label=label[:1].lower() + label[1:],
        area_name=area_name,
        unit="%",
        decimals=decimals,
        variation=variation,
        title=title or finding,
        source=src,
    )
    with house_style():
        ax = chart.figure.axes[0]
        positions = list(data["period_end"])
        ticks = [
            p.replace(" ", "\n", 1) if p.startswith("Week ") else p
            for p in (str(p).rsplit(" ", 1)[0] for p in data["period"])
        ]
        ax.set_xticks(positions)
        ax.set_xticklabels(ticks)
        ax.set_xticks([], minor=True)
        fit_time_ticks(ax, TimeTicks(positions, ticks))
    alt = chart.alt_text.replace("SPC chart of", "Statistical process control (XmR) chart of", 1)
    alt += f" {src.removeprefix('Source: ')}."
    return Chart(chart.figure, alt, chart.title, src)


def weekly_finding(
    data: pd.DataFrame, *, label: str, area_name: str, decimals: int
) -> tuple[str, str]:
    """The weekly chart's finding and its variation verdict, from the latest week's special
    cause (or how many weeks had one).

    Examples:
        >>> data = pd.DataFrame({"period": ["Week 1 2025", "Week 2 2025"], "value": [93.0, 90.0],
        ...     "mean": 91.5, "special_cause": [False, True], "direction": [None, "concern"]})
        >>> weekly_finding(data, label="Weekly attendance", area_name="Here", decimals=1)
        ('Weekly attendance in Here: the latest week (Week 2 2025, 90.0%) shows special-cause variation (concern)', 'special cause concerning')
    """
    unit = "%"
    last = data.iloc[-1]
    special = data["special_cause"].fillna(False).astype(bool)
    n_special = int(special.sum())
    span = f"{data['period'].iloc[0]} to {last['period']}"
    if bool(special.iloc[-1]):
        kind = {"improvement": "improvement", "concern": "concern"}.get(
            str(last["direction"]), "special cause"
        )
        finding = (
            f"{label} in {area_name}: the latest week ({last['period']}, "
            f"{fmt(last['value'], unit, decimals)}) shows special-cause variation "
            f"({kind})"
        )
        variation = (
            f"special cause {'improving' if kind == 'improvement' else 'concerning'}"
            if kind in ("improvement", "concern")
            else "special cause"
        )
    elif n_special:
        finding = (
            f"{label} in {area_name}, {span}: {n_special} of {len(data)} weeks show "
            f"special-cause variation; the latest ({fmt(last['value'], unit, decimals)})"
            " is common-cause"
        )
        variation = "common cause"
    else:
        finding = (
            f"{label} in {area_name}, {span}: only common-cause variation (mean "
            f"{fmt(last['mean'], unit, decimals)})"
        )
        variation = "common cause"
    return finding, variation
