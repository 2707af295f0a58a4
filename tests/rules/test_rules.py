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


def test_every_finding_has_a_known_code_of_its_own_rule():
    """Each removal carries a stable code (pipeline.reasons) that names its rule and its kind."""
    from pipeline.reasons import REASONS, rule_of

    seen = set()
    for case in CASE_LIST:
        for removal in clean_text(case["input"]).removals:
            assert removal.code in REASONS and rule_of(removal.code) == removal.rule, removal
            assert removal.reason == REASONS[removal.code]
            seen.add(removal.code)
    assert {rule_of(code) for code in seen} == set(RULE_NAMES)  # the cases reach every rule


SEED = (CASES.parent.parent / "seeds" / "000_d0a6f78d1ae77ada.txt").read_text(encoding="utf-8")


def test_the_rules_to_run_can_be_listed_and_a_rule_not_run_removes_nothing():
    from pipeline import CleanConfig, record

    everything = clean_text(SEED)
    only_captions = clean_text(SEED, CleanConfig(rules=("caption",)))
    assert {r.rule for r in only_captions.removals} == {"caption"}
    assert only_captions.title == ""  # the headline stays: title does not run, whoever finds it
    assert [r for r in everything.removals if r.rule == "caption"] == list(only_captions.removals)
    counts = record(everything)["counts"]
    assert counts["removals_by_code"] == {"caption.agency-credit": 2, "signoff": 1, "title.above-body": 1}
    with pytest.raises(ValueError):
        CleanConfig(rules=("no-such-rule",))
