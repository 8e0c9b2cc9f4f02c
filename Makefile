# Two commands: `make demo` runs hotline on embedded defaults, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean screenshots vendor mutate

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q hotline  # bytecode up front: the `hotline` commands start without compiling
	touch $@

demo: $(BIN)/.installed
	$(BIN)/hotline demo

# Test speech and the IVR's prompts come from espeak-ng and sox, the console tests drive Debian's chromium (with
# a CJK font, so screenshots show Chinese): installed here with apt-get when missing (and usable).
SYSTEM_TOOLS := espeak-ng sox chromium chromedriver
SYSTEM_PACKAGES := espeak-ng sox chromium chromium-driver fonts-wqy-microhei
$(VENV)/.system:
	for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null || missing=1; done; \
	fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || missing=1; \
	if [ -n "$$missing" ]; then (apt-get update -q && apt-get install -y -q $(SYSTEM_PACKAGES)) \
		|| echo "install $(SYSTEM_PACKAGES): the speech, prompt and console tests need them"; fi
	if command -v espeak-ng >/dev/null && command -v sox >/dev/null && command -v chromedriver >/dev/null; then \
		mkdir -p $(VENV) && touch $@; fi

# Several pytest workers (pytest-xdist): the suite waits on browsers, servers and sockets far more than on the
# CPU, so three workers on two cores finish it in about half the time. Each has its own PostgreSQL and Redis
# database (tests/conftest.py). `make test TEST_WORKERS=0` runs it in one process. Bytecode is written even where the
# environment says not to (PYTHONDONTWRITEBYTECODE): without it every test process and every server a test starts
# compiles the package again, and pytest rewrites every test module's asserts again on each run.
TEST_WORKERS ?= 3
test: $(BIN)/.installed $(VENV)/.system
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

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
	$(BIN)/python bench/bench_knowledge.py --articles 100000
	$(BIN)/python bench/bench_notices.py
	$(BIN)/python bench/bench_satisfaction.py

# Mutation testing (mutmut) of the code that decides who sees what and when: one module at a time, each with
# its focused tests, in a copy under var/mutate/. On demand, never in CI; `make mutate TARGETS="masking scope"`.
mutate: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[mutate]'
	$(BIN)/python bench/mutate.py $(TARGETS)

# Screenshots of every console at 1366×768 and 1920×1080 into docs/screenshots/ (SQLite run).
screenshots: $(BIN)/.installed $(VENV)/.system
	HOTLINE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest --db sqlite -q \
		tests/integration/test_desks.py tests/integration/test_consoles.py \
		tests/integration/test_hold_console.py tests/integration/test_player_console.py

# Third-party browser files are committed as taken from their npm packages (no build step):
# Swagger UI for /docs, axe-core for the accessibility tests. This refreshes them at these versions.
SWAGGER_UI := swagger-ui-dist@5.35.0
AXE_CORE := axe-core@4.14.1
vendor:
	rm -rf .vendor && mkdir -p .vendor && cd .vendor && npm pack --silent $(SWAGGER_UI) $(AXE_CORE) && \
		for f in *.tgz; do tar xzf $$f && mv package $${f%.tgz}; done
	cp .vendor/swagger-ui-dist-*/swagger-ui-bundle.js .vendor/swagger-ui-dist-*/swagger-ui.css \
		.vendor/swagger-ui-dist-*/LICENSE .vendor/swagger-ui-dist-*/NOTICE hotline/web/vendor/swagger-ui/
	cp .vendor/axe-core-*/axe.min.js .vendor/axe-core-*/LICENSE tests/integration/vendor/axe-core/
	rm -rf .vendor

clean:
	rm -rf $(VENV) var .pytest_cache
