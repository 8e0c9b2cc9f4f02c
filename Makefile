# Two commands: `make demo` runs hotline on embedded defaults, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/hotline demo

# Test speech comes from espeak-ng, the console tests drive Debian's chromium: installed here with
# apt-get when missing (and usable).
SYSTEM_TOOLS := espeak-ng chromium chromedriver
$(VENV)/.system:
	for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then (apt-get update -q && apt-get install -y -q espeak-ng chromium chromium-driver) \
		|| echo "install espeak-ng chromium chromium-driver: the speech and console tests need them"; fi
	if command -v espeak-ng >/dev/null && command -v chromedriver >/dev/null; then mkdir -p $(VENV) && touch $@; fi

test: $(BIN)/.installed $(VENV)/.system
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The gates: ruff (style, imports, likely bugs) and mypy (types), configured in pyproject.toml.
lint: $(BIN)/.installed
	$(BIN)/ruff check hotline tests bench
	$(BIN)/mypy

bench: $(BIN)/.installed
	$(BIN)/python bench/bench_work_orders.py
	$(BIN)/python bench/bench_sweep.py
	$(BIN)/python bench/bench_api.py
	$(BIN)/python bench/bench_stats.py --orders 1000000
	$(BIN)/python bench/bench_ami.py
	$(BIN)/python bench/bench_notices.py
	$(BIN)/python bench/bench_satisfaction.py

clean:
	rm -rf $(VENV) var .pytest_cache
