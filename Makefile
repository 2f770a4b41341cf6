# The project's commands. Each one creates the virtual environment .venv/
# on first use (and refreshes it when requirements.txt or pyproject.toml change).
#
#   make test       unit tests + nbval over every notebook in book/
#   make test-portable  nbval over every notebook under other BLAS kernels and thread counts
#   make book       build the static site into _build/html/ (executes every notebook)
#   make bundle-test  after make book: the site's download, unzipped in a fresh folder, installed
#                   with its README's command, every notebook executed in that environment
#   make lab        open the notebooks in JupyterLab, with bp importable
#   make notebooks  re-execute every notebook and save its outputs (deterministic)
#   make browser-test  after make book: every page of the site in headless Chromium, phone and laptop
#   make lab-test   the chapters in JupyterLab, driven by headless Chromium (MyST, saving, the live explorer)
#   make bench-widget  the live explorer's latency in JupyterLab, quiet and under load
#   make chromium   install Debian's chromium (as root, with apt-get) for the browser, print
#                   and lab tests and the book's PDF; CI runs it first
#   make bench      compare bp's speed with PyTorch, scikit-learn and numpy's matmul (installs torch)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard book/*.ipynb))

.PHONY: chromium setup test test-portable book bundle-test lab lab-test notebooks browser-test bench-widget bench clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "'$(PYTHON) -m venv' failed: install your Python's venv module (Debian/Ubuntu: apt install python3-venv)"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m tools.install_jupyter_config
	@touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile \
	  --nbval --nbval-current-env --nbval-sanitize-with tools/nbval_sanitize.cfg \
	  tests $(NOTEBOOKS)

# The saved outputs must not depend on this CPU's rounding: see tools/test_portable.py.
test-portable: $(STAMP)
	$(PY) -m tools.test_portable $(NOTEBOOKS)

# Playwright (and pypdf) drive Debian's chromium: the browser tests and the book's PDF.
BROWSER_STAMP := $(VENV)/.installed-browser
$(BROWSER_STAMP): $(STAMP) tools/requirements-browser.txt
	$(PY) -m pip install --quiet -r tools/requirements-browser.txt
	@touch $(BROWSER_STAMP)

# System packages, not Python ones: the tools only look for them (tools/chromium.py).
chromium:
	@if command -v chromium >/dev/null; then \
	  echo "chromium is installed: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "make chromium: install Debian's chromium package (sudo apt-get install chromium)"; exit 1; \
	fi

book: $(STAMP) $(BROWSER_STAMP)
	rm -rf _build
	BP_BOOK_SITE=1 $(VENV)/bin/jupyter-book build .   # the explorers' kernel-free form (bpbook/widgets.py)
	$(PY) -m tools.explorable_reference   # bp's numbers, which the browser test checks the explorables against
	$(PY) -m tools.book_pdf   # the whole book as a PDF, from the built site (skipped without chromium)
	@echo "The site is built: open $(CURDIR)/_build/html/index.html"

# What a reader of the download does: see tools/bundle_test.py. Needs the network (pip).
bundle-test: $(STAMP)
	$(PY) -m tools.bundle_test

# Jupyter refuses to run as root without --allow-root (containers often run as root).
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --config=tools/jupyter_lab_config.py $(if $(filter 0,$(shell id -u)),--allow-root) book/

notebooks: $(STAMP)
	$(PY) -m tools.chapter_terms   # each chapter's "Words used" cell, from book/glossary.md
	$(PY) -m tools.run_notebooks $(NOTEBOOKS)

browser-test: $(BROWSER_STAMP)
	$(PY) -m tools.browser_test
	$(PY) -m tools.print_test

lab-test: $(BROWSER_STAMP)
	$(PY) -m tools.lab_test

bench-widget: $(BROWSER_STAMP)
	$(PY) -m tools.benchmarks.bench_widget

BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP) tools/benchmarks/requirements.txt
	$(PY) -m pip install --quiet -r tools/benchmarks/requirements.txt
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(PY) -m tools.benchmarks.bench

clean:
	rm -rf _build .pytest_cache
