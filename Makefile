# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A CPU build of PyTorch; an unpinned torch (pulled in by sentence-transformers) would fetch a
# multi-GB CUDA build. Override on other platforms, e.g. TORCH="torch==2.13.0+cpu".
TORCH ?= torch==2.13.0
STAMP := $(VENV)/.installed

.PHONY: run test install init demo serve worker bench clean-venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## make run: install, start the embedded database, migrate, create the first admin, load the demo, serve.
run: install
	$(BIN)/tfdb init
	$(BIN)/tfdb demo --if-empty
	$(BIN)/tfdb serve

## make test: the whole test suite against a real embedded PostgreSQL, real files and a real browser.
test: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q

init: install
	$(BIN)/tfdb init

demo: install
	$(BIN)/tfdb demo

serve: install
	$(BIN)/tfdb serve

worker: install
	$(BIN)/tfdb worker

## make bench: the benchmarks at full size (minutes to hours); see README for the figures.
bench: install
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_video.py
	$(BIN)/python bench/bench_search.py --size 100000
	$(BIN)/python bench/bench_library_page.py

clean-venv:
	rm -rf $(VENV)
