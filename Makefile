# The two commands: `make demo` and `make test`. Both build the virtualenv they need first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: demo test lint clean

$(BIN)/claimtrack: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/claimtrack
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/python -m claimtrack.sample $(DEMO_DB)
	$(BIN)/claimtrack --db $(DEMO_DB) claim list

test: $(BIN)/claimtrack
	$(BIN)/python -m pytest

lint: $(BIN)/claimtrack
	$(BIN)/ruff check claimtrack tests migrations cli.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm build dist *.egg-info
