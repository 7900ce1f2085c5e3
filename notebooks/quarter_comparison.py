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
# # Children's services: two periods side by side

# %% tags=["parameters"]
area: str = "Dudley"  # local authority name, ONS code or DfE number
period: str = "2024-25"  # the later period, e.g. "2024-25" or "2012-13 Q2"
compare_period: str = ""  # the earlier period (blank: the same period a year before)

# %%
from perf.report import explore

view = explore.Comparison(area, period, compare_period)
view.heading()

# %% [markdown]
# ## Summary

# %%
view.summary()

# %% [markdown]
# ## Every indicator

# %%
view.table()

# %% [markdown]
# ## Data sources

# %%
view.sources()
