# pmo-kit: every target bootstraps .venv first, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider

.DEFAULT_GOAL := help
.PHONY: help venv report test lint typecheck unit notebooks reports-test browser lab \
        learner-copies data bench clean system-deps dashboard

help:  ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask,dashboard,selection,postgres,excel,bi]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" > /dev/null
	@touch $(STAMP)

venv: $(STAMP)  ## Create .venv and install the kit with its dev tools

report: $(STAMP)  ## Run the main job: the portfolio overview of the bundled organisation
	$(BIN)/pmo-kit report run portfolio-overview -o build/reports/portfolio-overview

test: $(STAMP) system-deps lint typecheck unit notebooks reports-test browser  ## Lint, types, unit, notebook, report and browser tests

system-deps:  ## Install Debian's chromium, tj3, postgresql and LibreOffice Calc when missing (root + apt)
	@bash scripts/ensure-system-deps.sh

lint: $(STAMP)  ## ruff format --check and ruff check
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)  ## mypy --strict on pmo_kit and tests
	$(BIN)/python -m mypy

unit: $(STAMP)  ## Unit tests and doctests
	$(PYTEST) -q

notebooks: $(STAMP)  ## Lessons and exercise solutions top to bottom (nbval, lax)
	$(PYTEST) -q -o addopts="" -n 2 --dist loadfile --nbval-lax notebooks/*.ipynb exercises/*/solution.ipynb

reports-test: $(STAMP)  ## Report notebooks through papermill, learner copies, exercise checks
	$(PYTEST) -q -n 2 --dist loadfile -m notebook

browser: $(STAMP) system-deps  ## The welcome notebook in a real JupyterLab in headless chromium
	$(PYTEST) -q -m browser

dashboard: $(STAMP)  ## Serve the live portfolio dashboard (Voila, offline) on 127.0.0.1:8866
	$(BIN)/pmo-kit dashboard

lab: $(STAMP)  ## Open JupyterLab on your own workspace (made once, never overwritten)
	$(BIN)/pmo-kit learner workspace workspace
	$(BIN)/jupyter lab --notebook-dir=workspace $$( [ $$(id -u) = 0 ] && echo --allow-root )

learner-copies: $(STAMP)  ## Make exercises/*/exercise.ipynb (no solutions) from solution.ipynb
	$(BIN)/pmo-kit exercise learner-copy

data: $(STAMP)  ## Regenerate the bundled sample organisation (datasets/meridian)
	$(BIN)/python scripts/generate_sample_data.py

bench: $(STAMP)  ## Run the benchmarks (see bench/README.md)
	$(BIN)/python bench/bench_cli.py
	$(BIN)/python bench/bench_report_run.py
	$(BIN)/python bench/bench_batch.py --projects 50
	$(BIN)/python bench/bench_generate.py --projects 2000
	$(BIN)/python bench/bench_kb.py
	$(BIN)/python bench/bench_msproject.py

clean:  ## Remove build outputs (keeps .venv)
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
