# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.format_version,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (perf)
#     language: python
#     name: perf
# ---

# %% [markdown]
# # Explore children's services figures

# %% tags=["parameters"]
area: str = "Dudley"  # local authority name, ONS code or DfE number
period: str = "2024-25"  # latest period (each indicator at its own period that best fits it)
indicator: str = "cla_rate"  # the indicator to start with (perf.indicators() lists them)

# %% [markdown]
# Choose an area, an indicator, what to compare it with and which periods: the chart, the
# figures beside it and the sentence change together. **Copy as code** prints the `perf`
# call that draws the chart, to paste into a cell of your own. Opened by `make lab`, this
# is your copy in `scratch/`: change and save it freely, the committed notebooks are
# untouched.

# %%
import perf

perf.explorer(area, indicator, end=period)

# %% [markdown]
# ## Where the area ranks
#
# Every council for the indicator, at its own period that best fits `period`.

# %%
perf.benchmark_chart(area, indicator, period)

# %% [markdown]
# ## Every indicator: latest figure, change and comparators
#
# One row per indicator with figures for the area: the change is against the same period
# a year earlier (percentage points for a percentage), with England, the region, the
# statistical neighbours' average, the rank (1 = best) and the quartile (A = best).

# %%
perf.changes(area, period)

# %% [markdown]
# ## In your own cells
#
# ```python
# perf.indicators(area)                       # what there is for the area
# chart = perf.trend_chart(area, "PriTotAbs", comparators=("England", "neighbours"))
# chart.save("absence.png")                   # or .html: the figure with its alt text
# perf.areas("la")                            # every council: code, number, region
# ```
