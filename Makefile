# crmlab: `make reports` renders every notebook on the bundled data; `make test` runs every test.
# Both create .venv on first use and reinstall whenever pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.crmlab-installed
EXTRAS := notebooks,test,spark
ARGS   ?=

.PHONY: reports test lab bench clean-venv strip notebooks fonts

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "crmlab needs Python >= 3.11; set PYTHON=python3.11 (or newer)")'
	@test -x $(BIN)/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "python -m venv failed: install your distribution's venv package (e.g. python3-venv)"; exit 1; }; }
	-$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	@touch $(STAMP)

reports: $(STAMP)
	$(BIN)/crmlab report $(ARGS)

test: $(STAMP)
	tools/install-browser
	$(BIN)/python -m pytest $(ARGS)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS),bench]'
	$(BIN)/python benchmarks/run_all.py $(ARGS)

strip: $(STAMP)
	$(BIN)/python -m crmlab strip notebooks notebooks/zh notebooks/source

notebooks: $(STAMP)
	$(BIN)/python -m crmlab strip notebooks/source
	$(BIN)/python -m crmlab notebooks

# Maintainers: rebuild crmlab/fonts/ from pinned sources (needs `apt-get install fonts-noto-cjk`; see tools/make_fonts.py)
fonts: $(STAMP)
	$(BIN)/python tools/make_fonts.py

clean-venv:
	rm -rf $(VENV)
