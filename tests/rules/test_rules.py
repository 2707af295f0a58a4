"""Per-rule cases kept as data (tests/cases/rules.json): what each rule must and must not remove."""
import json

import pytest

from conftest import CASES
from pipeline import RULE_NAMES, clean_text

CASE_LIST = json.loads((CASES / "rules.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASE_LIST, ids=[f"{c['rule']}: {c['label']}" for c in CASE_LIST])
def test_rule_case(case):
    result = clean_text(case["input"])
    removed = [r.text for r in result.removals if r.rule == case["rule"]]
    assert removed == case["removed"]


def test_every_rule_has_positive_and_negative_cases():
    for name in RULE_NAMES:
        cases = [c for c in CASE_LIST if c["rule"] == name]
        assert any(c["removed"] for c in cases), f"{name} has no positive case"
        assert any(not c["removed"] or c["label"].startswith("negative") for c in cases), f"{name} has no negative case"
