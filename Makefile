# Two entry points do all the set-up on a fresh clone (see README.md):
#   make preview   installs, then previews stacks/ offline for stack prod with its compliance report
#   make check     installs, then runs everything CI runs: lint and the whole test suite (the tests
#                  marked slow too: `make preview` itself, the plugin's virtualenv, the sweeps)
# While working, `make test` runs the fast suite: every test not marked slow.
# Everything is installed into .venv from this project's own pyproject.toml.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install preview test check lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,monitoring-job]'
	touch $(STAMP)

preview: $(STAMP)
	$(BIN)/mlrails preview stacks --stack prod --policy-config stacks/policy/prod.json

# Two workers (pytest-xdist), one test file each at a time: module fixtures are built once.
test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow" -n 2 --dist loadfile

# CI: lint and the type check, then the whole suite (the slow tests too) on the same two workers.
check: lint
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/zizmor --offline --persona pedantic .github/workflows
	if [ -x $(BIN)/actionlint ]; then $(BIN)/actionlint .github/workflows/*.yml; \
	else echo "actionlint not installed: skipped (pip install -e '.[actionlint]')"; fi

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build
