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
# # Children's services trends

# %% tags=["parameters"]
area: str = "Dudley"  # local authority name, ONS code or DfE number
period: str = "2024-25"  # latest period to show (later figures are left out)
indicator: str = "cla_rate"  # indicator id, e.g. cla_rate, neet_16_17, PriTotAbs (list below)
years: int = 10  # how many of the latest periods to show
neighbours: str = "2025"  # statistical-neighbour set for the neighbours' average: "2025" (DfE's current model), "2021", or "" for none

# %% [markdown]
# Change the parameters above and run all cells to explore another indicator or area
# (in JupyterLab: `make lab`). Every figure's period is the one the source publishes.

# %%
from perf.report import explore

view = explore.Trends(area, period, indicator, years=years, neighbours=neighbours)
view.heading()

# %% [markdown]
# ## Trend

# %%
view.chart()

# %% [markdown]
# ## Figures

# %%
view.table()

# %% [markdown]
# ## Indicators available for this area

# %%
view.indicators()

# %% [markdown]
# ## Data sources

# %%
view.sources()
