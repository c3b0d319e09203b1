# Two commands matter: `make run` and `make test`. Both set up what is missing first.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run test check lint format preview clean

setup:
	@scripts/bootstrap

run: setup
	$(VENV)/bin/kiosk run --windowed --with-hub

test: setup
	scripts/run-tests

lint: setup
	$(VENV)/bin/ruff check kiosk tests
	$(VENV)/bin/ruff format --check kiosk tests

format: setup
	$(VENV)/bin/ruff format kiosk tests
	$(VENV)/bin/ruff check --fix kiosk tests

# The whole matrices: every screen on every tested shape and in every language, and
# real-X double taps at every gap, and 60 fuzzed examples per API operation and role
# (make test checks a representative sample of each).
check: lint setup
	KOMEK_FORM_FACTORS=all KOMEK_TAP_GAPS=all KOMEK_FUZZ=all scripts/run-tests

preview: setup
	$(VENV)/bin/kiosk preview --out build/preview --lang az,ru,en

clean:
	rm -rf build .pytest_cache
