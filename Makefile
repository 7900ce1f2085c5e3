# perf: quarterly performance briefings for children's services.
# Every target sets itself up: a local virtual environment (.venv), created once and reused.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
CHROMIUM := /usr/bin/chromium
PDFTOPPM := /usr/bin/pdftoppm
AXE := node_modules/axe-core/axe.min.js
# The Jupyter kernel perf renders in (perf.config.KERNEL_NAME): its own name, so it never
# shadows the python3 kernel a user already has.
KERNEL := perf
AREA ?= Dudley
PERIOD ?= 2024-25
# Formats `make briefing` writes: html, or e.g. FORMATS=html,pdf,docx for the committee pack.
FORMATS ?= html
# Chromium prints the PDF: installed (once) when FORMATS asks for one.
NEEDS_CHROMIUM = $(if $(findstring pdf,$(FORMATS)),$(CHROMIUM))
# `make batch` follows the schedule's `formats:` unless FORMATS is given on the command line.
BATCH_FORMATS = $(if $(filter command line environment,$(origin FORMATS)),--to "$(FORMATS)")

SCRATCH ?= scratch
export PYTHONDONTWRITEBYTECODE := 1
export MPLBACKEND := Agg

.DEFAULT_GOAL := help
.PHONY: help setup briefing batch scratch lab test test-fast bench lint clean browser-deps

help: ## List every target with its description
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# The environment is locked (uv.lock): every machine installs the same versions, so a render
# is byte-identical across machines. After changing dependencies in pyproject.toml run
# `.venv/bin/uv lock` and commit uv.lock. (--inexact keeps the uv that bootstraps it.)
$(STAMP): pyproject.toml uv.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --quiet --frozen --all-extras --inexact --compile-bytecode --python $(PY)
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 (perf)" >/dev/null
	touch $@

# perf's own modules compiled as well: PYTHONDONTWRITEBYTECODE is set and uv compiles only what
# it installs, so without this every process (each render's kernel, each batch worker)
# compiled perf's 80 modules again, 0.2-0.3 s. Recompiled when a module changes.
BYTECODE := $(VENV)/.bytecode-stamp
$(BYTECODE): $(STAMP) $(shell find perf -name '*.py')
	$(PY) -m compileall -q perf
	touch $@

setup: $(STAMP) $(BYTECODE) ## Create .venv and install perf with everything it needs (once; reused)

briefing: $(STAMP) $(BYTECODE) $(NEEDS_CHROMIUM) ## Render the briefing for AREA (Dudley) and PERIOD (2024-25) into outputs/ (FORMATS=html,pdf,docx adds PDF and Word)
	$(PY) -m perf render briefing --area "$(AREA)" --period "$(PERIOD)" --to "$(FORMATS)"

batch: $(STAMP) $(BYTECODE) $(if $(BATCH_FORMATS),$(NEEDS_CHROMIUM)) ## Render every local authority's briefing for PERIOD, in parallel, with a manifest
	$(PY) -m perf batch schedules/latest.yaml $(BATCH_FORMATS)

# Exploring never touches the committed notebooks: Lab opens copies in scratch/ (git-ignored),
# unpaired from their .py. A copy already there is the analyst's work and is kept.
scratch: $(STAMP) $(BYTECODE) ## Copy each notebook into scratch/ (git-ignored) to explore in; copies already there are kept
	@mkdir -p $(SCRATCH)
	@new=(); for nb in notebooks/*.ipynb; do \
	  copy="$(SCRATCH)/$${nb##*/}"; \
	  if [ -e "$$copy" ]; then echo "kept $$copy (delete it for a fresh copy)"; \
	  else cp "$$nb" "$$copy" && new+=("$$copy") && echo "copied $$nb to $$copy"; fi; \
	done; \
	[ $${#new[@]} = 0 ] || $(VENV)/bin/jupytext --quiet --update-metadata '{"jupytext": {"formats": null}}' "$${new[@]}"

lab: scratch ## Start JupyterLab on 127.0.0.1 in scratch/ (copies of the notebooks), opening explore.ipynb
	$(VENV)/bin/jupyter lab --ip 127.0.0.1 --no-browser --notebook-dir $(SCRATCH) \
	  --LabApp.default_url=/lab/tree/explore.ipynb $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

browser-deps: $(CHROMIUM) $(PDFTOPPM) $(AXE) ## Install Debian's Chromium, poppler-utils and axe-core (for the browser and PDF tests) when missing

# Debian's Chromium: Playwright drives it through executable_path (Playwright's own browser
# download does not work here and is never attempted). sudo only when not already root.
$(CHROMIUM):
	$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq chromium >/dev/null
	@test -x $@ || { echo "browser-deps: $@ still missing after apt-get install chromium" >&2; exit 1; }

# Debian's poppler-utils: pdftoppm and pdftotext read the committee PDFs back in the tests.
$(PDFTOPPM):
	$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq poppler-utils >/dev/null
	@test -x $@ || { echo "browser-deps: $@ still missing after apt-get install poppler-utils" >&2; exit 1; }

# axe-core at the version package-lock.json pins; reinstalled when the lock file changes.
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

# Two processes (the machines have two cores): the tests that need no browser, then those
# that drive Chromium. Each prints its own count line; either failing fails the target.
test: lint $(STAMP) $(BYTECODE) browser-deps ## Check (make lint), then run the whole test suite (unit, doctests, notebooks, the installed wheel, browser)
	$(PY) -m pytest -q -n 2 -m "not browser"
	$(PY) -m pytest -q -n 2 -m browser

test-fast: $(STAMP) $(BYTECODE) ## Run the tests that need no browser
	$(PY) -m pytest -q -n 2 -m "not browser"

bench: $(STAMP) $(BYTECODE) ## Print speed and memory ratios measured in one run
	$(PY) -m bench

lint: $(STAMP) ## Check style (ruff check, ruff format --check), the layers (import-linter) and types (mypy)
	$(VENV)/bin/ruff check perf tests bench
	$(VENV)/bin/ruff format --check perf tests bench
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy perf

clean: ## Remove rendered outputs and caches (keeps .venv)
	find outputs -mindepth 1 -maxdepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
	rm -rf .pytest_cache .hypothesis
	find . -name __pycache__ -prune -exec rm -rf {} +
	rm -f $(BYTECODE)
