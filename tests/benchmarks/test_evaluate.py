"""The evaluation command: the published metrics on hand-checked values, and a smoke run."""
import subprocess
import sys

import pytest

from conftest import CASES, ROOT
from benchmarks.evaluate import c4_lines, half, snippet_counts, word_prf


def test_word_metric_is_the_wcxb_definition():
    p, r, f = word_prf("the cat sat sat", "The cat sat on the mat")
    assert (p, r) == (pytest.approx(3 / 4), pytest.approx(3 / 6))  # multiset overlap: the, cat, sat
    assert f == pytest.approx(2 * (3 / 4) * (3 / 6) / (3 / 4 + 3 / 6))
    assert word_prf("", "") == (1.0, 1.0, 1.0)
    assert word_prf("", "gold words") == (0.0, 0.0, 0.0)


def test_snippet_metric_is_the_trafilatura_definition():
    output = "The  cat\nsat on the mat.\n\nShare this"
    assert snippet_counts(output, ["cat sat on", "dog"], ["Share this", "Cookie"]) == (1, 1, 1)
    assert snippet_counts(output, ["The cat"], []) == (1, 0, 0)  # whitespace collapsed
    assert snippet_counts(output, ["the cat"], []) == (0, 1, 0)  # case-sensitive


def test_c4_line_filter():
    text = "Home\nThe minister spoke on Tuesday.\nWe use cookies on this site.\nShort one."
    assert c4_lines(text) == "The minister spoke on Tuesday."


def test_halves_are_stable_and_split_the_data():
    ids = [{"id": f"page-{n}"} for n in range(200)]
    fit = [half(r) for r in ids]
    assert fit == [half(r) for r in ids] and 60 < fit.count("fit") < 140


@pytest.mark.parametrize("data", ["mini-bench.jsonl.gz", "mini-snippets.jsonl"])
def test_evaluation_command_smoke(data):
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.evaluate", "--data", str(CASES / data), "--jobs", "1", "--worst", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("newsclean", "do-nothing", "c4-lines", "justext-lines", "trafilatura", "justext"):
        assert f"  {name} " in proc.stdout
    assert "text mode" in proc.stdout and "html mode" in proc.stdout and "removals per rule" in proc.stdout
    newsclean_text = next(line for line in proc.stdout.splitlines() if line.strip().startswith("newsclean"))
    assert float(newsclean_text.split()[3]) > 0.9  # F1 on this easy page
