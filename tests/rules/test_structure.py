"""The seeds' boilerplate in a language no pack covers: its shapes alone take it out."""
from pathlib import Path

import pytest

from conftest import CASES
from pipeline import clean_text
from pipeline.lang import PACKS

STRUCTURE_CASES = sorted(p for p in (CASES / "structure").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", STRUCTURE_CASES, ids=[p.name for p in STRUCTURE_CASES])
def test_seed_layout_in_a_language_no_pack_has(case: Path):
    assert case.name not in {pack.code for pack in PACKS}
    result = clean_text((case / "raw.txt").read_text(encoding="utf-8"))
    assert result.text == (case / "expected.txt").read_text(encoding="utf-8")
    assert result.title == (case / "title.txt").read_text(encoding="utf-8").strip()
    assert result.language == "und"
