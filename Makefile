# Two commands on a fresh machine with Python 3.11 and make:
#   make run    clean the seeds into data/clean with the Luigi Clean task
#   make test   run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test install clean-data

run: $(VENV)/.installed
	$(BIN)/luigi --module tasks Clean

test: $(VENV)/.installed
	$(BIN)/python -m pytest

install: $(VENV)/.installed

# The stock pip 23.2 cannot resolve trafilatura's lxml[html_clean] extra: upgrade pip first.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

clean-data:
	rm -rf data/clean
