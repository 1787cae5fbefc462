# Developer and CI entry points. `make test` is what CI runs (through .ci/run, which also
# provides a throwaway PostgreSQL server).

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: venv demo test lint deps-system soak

venv: $(STAMP)

# pip runs only when pyproject.toml is newer than the stamp (or there is no stamp yet).
$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -e '.[dev]'
	@touch $(STAMP)

# The main job: the bundled C-SQL examples, then the Kubernetes scheduler replaying a small
# bundled trace with csql and with the kube-scheduler-like baseline, all on embedded DuckDB.
demo: venv
	$(VENV)/bin/python -m csql.demo
	$(VENV)/bin/python -m csql.k8s.demo

# MiniZinc comes from the system package manager; without root we carry on and the MiniZinc
# backend reports itself unavailable.
deps-system:
	@if command -v minizinc >/dev/null 2>&1; then \
		echo "minizinc: $$(command -v minizinc)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y minizinc; \
	else \
		echo "note: minizinc is not installed and installing it needs root (apt-get install" \
		     "minizinc); the MiniZinc backend tests will report it unavailable"; \
	fi

test: venv deps-system
	$(VENV)/bin/pytest -q
	$(VENV)/bin/ruff check csql tests

lint: venv
	$(VENV)/bin/ruff check csql tests

# A long generated-program campaign (conformance issue): N programs on every available backend,
# each with its metamorphic variants; a failure is shrunk and saved under
# conformance/cases/regressions/. `make soak N=10000 SEED=7 JOBS=4`.
N ?= 10000
SEED ?= 20240611
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
soak: venv
	$(VENV)/bin/python -m csql.conformance_meta --count $(N) --seed $(SEED) --jobs $(JOBS)
