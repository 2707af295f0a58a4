"""Invariants over every text input the tests know: seeds and all per-rule cases."""
import json

import pytest

from conftest import CASES, SEEDS
from invariants import check_invariants
from pipeline import clean_text

INPUTS = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
INPUTS += [(f"{c['rule']}: {c['label']}", c["input"]) for c in json.loads((CASES / "rules.json").read_text(encoding="utf-8"))]


@pytest.mark.parametrize("name,text", INPUTS, ids=[n for n, _ in INPUTS])
def test_invariants_hold(name, text):
    check_invariants(clean_text(text), source_text=text)


def test_over_removal_is_flagged():
    text = "\n\n".join(["Advertisement", "Share this article", "Comments (0)"] * 30)
    result = clean_text(text)
    assert result.text == ""
    assert any(w.startswith("over-removal") for w in result.warnings)
    assert any(w.startswith("empty") for w in result.warnings)


def test_every_removal_names_its_rule_reason_and_lines():
    result = clean_text((SEEDS / "004_80a3f7a29bb85b9c.txt").read_text(encoding="utf-8"))
    lines = (SEEDS / "004_80a3f7a29bb85b9c.txt").read_text(encoding="utf-8").split("\n")
    for removal in result.removals:
        assert removal.rule and removal.reason and removal.text
        first, last = removal.lines
        assert removal.text.split("\n")[0] == lines[first - 1]
        assert removal.text.split("\n")[-1] == lines[last - 1]


def test_a_repeated_line_ending_in_a_signoff_keeps_it():
    # Found by a random run of tests/test_complexity.py: trimming "EFE" from the last of many equal
    # lines made it unique, and a second pass then took it for the body and cut the rest.
    line = "aABC/By " * 7 + ". EFE"
    text = "\n".join([line] * 12) + "\n"
    result = clean_text(text)
    check_invariants(result, source_text=text)
    assert result.text == text
