# Two commands on a fresh machine with Python 3.11 and make:
#   make run    clean the seeds into data/clean with the Luigi Clean task
#   make test   run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

BENCH  ?= ../shared/bench

.PHONY: run test install eval speed stress clean-data

run: $(VENV)/.installed
	$(BIN)/luigi --module tasks Clean

test: $(VENV)/.installed
	$(BIN)/python -m pytest

install: $(VENV)/.installed

# Accuracy on the benchmark pages beside the baselines (not part of the tests; about 15 minutes
# on 2 cores): full-page text and HTML, the article's own text, and daniel-dev language by language.
eval: $(VENV)/.installed
	for data in wcxb-dev-articles trafilatura-eval; do for mode in text html; do \
		$(BIN)/python -m benchmarks.evaluate --data $(BENCH)/$$data.jsonl.gz --mode $$mode --worst 5 || exit 1; \
	done; done
	for data in wcxb-dev-articles.article-text trafilatura-eval.article-text; do \
		$(BIN)/python -m benchmarks.evaluate --data $(BENCH)/$$data.jsonl.gz --mode article --worst 5 || exit 1; \
	done
	$(BIN)/python -m benchmarks.evaluate --data $(BENCH)/daniel-dev.jsonl.gz --mode all --worst 5

# Speed end to end through Luigi: text and HTML corpora, 1 and 2 workers, 1,000 to 100,000
# documents, in three interleaved rounds (12 to 25 minutes; figures go into BENCHMARKS.md). Not part of the tests.
speed: $(VENV)/.installed
	$(BIN)/python benchmarks/speed.py --bench $(BENCH)

# The slow reliability cases (kill loops, overlapping runs, luigid, pathological pages; about 10
# minutes): each prints a STRESS line of figures for RELIABILITY.md. Not part of the tests.
stress: $(VENV)/.installed
	$(BIN)/python -m pytest -m stress -s tests/tasks/test_stress.py

# The stock pip 23.2 cannot resolve trafilatura's lxml[html_clean] extra: upgrade pip first.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

clean-data:
	rm -rf data/clean
