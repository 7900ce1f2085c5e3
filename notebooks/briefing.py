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
# # Children's services performance briefing

# %% tags=["parameters"]
area: str = "Dudley"  # local authority name, ONS code or DfE number
period: str = "2024-25"  # reporting period, e.g. "2024-25" or "2012-13 Q1"
committee: str = "Children's Services Scrutiny Committee"  # committee receiving the report
meeting_date: str = ""  # date of the meeting, e.g. "17 July 2025" (blank: to be confirmed)
author: str = "Performance and Intelligence Team"  # report author named on the cover
public: bool = True  # suppress small counts for publication (False: internal analyst view)
previous: str = ""  # frozen record of the last briefing, to mark revised figures [r] (perf render finds it; blank: none)
small_counts_in_text: str = "redact"  # public: a count of 1 to 5 people in comments, progress, definitions or source notes is shown as [c] ("redact") or stops the render naming the field ("stop")
neighbours: str = "2025"  # statistical-neighbour set: "2025" (DfE's current model) or "2021"

# %%
from perf.report import briefing

b = briefing.Briefing(area, period, committee=committee, meeting_date=meeting_date,
                      author=author, public=public, previous=previous,
                      small_counts_in_text=small_counts_in_text, neighbours=neighbours)
b.masthead()

# %%
b.glance()

# %%
b.cover()

# %%
b.main_issues()

# %%
b.performance_summary()

# %%
b.exceptions()

# %%
b.themes()

# %%
b.priorities()

# %% [markdown]
# ## Trends

# %%
b.trends()

# %% [markdown]
# ## In-year school attendance

# %%
b.attendance()

# %%
b.matrix()

# %% [markdown]
# ## Annex B: benchmarking against every council

# %%
b.benchmarking()

# %% [markdown]
# ## Annex C: statistical significance

# %%
b.funnels()

# %% [markdown]
# ## Annex D: statistical process control

# %%
b.spc()

# %% [markdown]
# ## Annex E: definitions, symbols and data sources

# %%
b.appendix()
