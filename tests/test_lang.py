"""Language packs: every pack covers every concept (or says why not), and the seeds' boilerplate
written in each pack's language around a short story in it comes out as its expected body."""
from pathlib import Path

import pytest

from conftest import CASES
from pipeline import clean_text
from pipeline.lang import CONCEPTS, PACKS

LANG_CASES = sorted(p for p in (CASES / "lang").iterdir() if p.is_dir())


@pytest.mark.parametrize("pack", PACKS, ids=[p.code for p in PACKS])
def test_pack_covers_every_concept_or_opts_out(pack):
    missing = [c for c in CONCEPTS if not pack.phrases.get(c) and not pack.opt_out.get(c, "").strip()]
    assert not missing, f"{pack.code}.toml has neither phrases nor an opt-out reason for {missing}"
    assert not set(pack.opt_out) - set(CONCEPTS), "opt-out of an unknown concept"


@pytest.mark.parametrize("pack", PACKS, ids=[p.code for p in PACKS])
def test_every_pack_has_a_case(pack):
    assert (CASES / "lang" / pack.code / "raw.txt").is_file()


@pytest.mark.parametrize("case", LANG_CASES, ids=[p.name for p in LANG_CASES])
def test_seed_layout_in_each_language(case: Path):
    result = clean_text((case / "raw.txt").read_text(encoding="utf-8"))
    assert result.text == (case / "expected.txt").read_text(encoding="utf-8")
    assert result.title == (case / "title.txt").read_text(encoding="utf-8").strip()
