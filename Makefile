# The front door: `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo ui screenshot test lint format bench emulator clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m sf_assets.demo demo 20

ui: $(STAMP)
	$(PY) -m sf_assets.demo ui 20

# docs/lineage.png: the demo's asset lineage rendered by Debian's chromium (installing it needs root).
screenshot: $(STAMP)
	@command -v chromium >/dev/null || apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }
	@$(PY) -c "import playwright" 2>/dev/null || $(PY) -m pip install --quiet -e '.[screenshot]'
	$(PY) scripts/screenshot.py

emulator: $(STAMP)
	$(PY) -m sf_emulator serve --port 8443 --scale 20 --seed 1 --no-proxy --data-dir .sf_emulator/demo

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -q -n 2

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(STAMP)
	$(PY) benchmarks/emulator_throughput.py
	$(PY) benchmarks/extract.py
	$(PY) benchmarks/groups.py

clean:
	rm -rf $(VENV) .sf_emulator .amplitude_emulator .pytest_cache .dagster_home data .env
