# The two commands: `make demo` and `make test`. Both build the virtualenv they need first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: demo test lint bench clean

$(BIN)/claimtrack: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

demo: $(BIN)/claimtrack
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/python -m claimtrack.sample $(DEMO_DB)
	$(BIN)/claimtrack --db $(DEMO_DB) claim list

test: $(BIN)/claimtrack
	$(BIN)/python -m pytest

# Every benchmark in bench/, with its figures and ratios. The first run generates the investigations, writes
# the import's input and copies a million claims into PostgreSQL (an hour or more on two cores); later runs
# reuse the generated files (bench/postgres.py copies into PostgreSQL again, unless run by hand with --keep and
# then --reuse). See README, Performance.
bench: $(BIN)/claimtrack
	$(BIN)/python bench/run_all.py

lint: $(BIN)/claimtrack
	$(BIN)/ruff check claimtrack tests migrations bench cli.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm build dist *.egg-info
