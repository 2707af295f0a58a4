"""The two seed articles as golden files: the body byte for byte, the title and every removal.

The text goldens are the user's expected files (tests/golden/*.txt, copied from
shared/seeds/expected). The removals goldens (tests/golden/*.json) are regenerated only on
purpose: ``pytest --update-golden``.
"""
import json

import pytest

from conftest import GOLDEN, SEEDS
from pipeline import clean_bytes

SEED_NAMES = sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_there_are_two_seeds():
    assert SEED_NAMES == ["000_d0a6f78d1ae77ada", "004_80a3f7a29bb85b9c"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_text_is_byte_exact(name):
    result = clean_bytes((SEEDS / f"{name}.txt").read_bytes(), kind="text")
    assert result.text.encode("utf-8") == (GOLDEN / f"{name}.txt").read_bytes()


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_title_and_removals(name, update_golden):
    result = clean_bytes((SEEDS / f"{name}.txt").read_bytes(), kind="text")
    actual = {"title": result.title, "removals": [r.as_dict() for r in result.removals]}
    path = GOLDEN / f"{name}.json"
    if update_golden:
        path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert actual == json.loads(path.read_text(encoding="utf-8"))


def test_seed_000_fates_match_the_seed_readme():
    result = clean_bytes((SEEDS / "000_d0a6f78d1ae77ada.txt").read_bytes(), kind="text")
    assert result.title == "Russian delegation headed by natural resources minister visits North Korea"
    assert [r.rule for r in result.removals] == ["caption", "title", "caption", "signoff"]
    assert result.removals[-1].text == "EFE"


def test_seed_004_fates_match_the_seed_readme():
    result = clean_bytes((SEEDS / "004_80a3f7a29bb85b9c.txt").read_bytes(), kind="text")
    rules = [r.rule for r in result.removals]
    assert rules.count("ad-marker") == 2
    related = next(r for r in result.removals if r.rule == "related-block")
    assert related.text.count("Russian Government Changes: More Corruption and Nepotism") == 2
    assert "Other Topics of Interest" in related.text and related.text.endswith("profitable – war.")
    assert {"correction-prompt", "comment-widget", "stray-url"} <= set(rules)
    assert result.title == ""
