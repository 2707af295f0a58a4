"""Language packs: every pack covers every concept (or says why not), and the seeds' boilerplate
written in each pack's language around a short story in it comes out as its expected body."""
from pathlib import Path

import pytest

from conftest import CASES
import pipeline
from pipeline import clean_text
from pipeline.lang.detect import guess_language
from pipeline.lang import CONCEPTS, PACKS

# Cases that show a gap still open: they must fail until it is closed (then strict xfail fails).
KNOWN_GAPS = {
    "zh-2": "the Chinese photo credit '…。中新社记者 王刚 摄' (reporter NAME took it) is no caption yet",
}
LANG_CASES = [
    pytest.param(p, id=p.name, marks=pytest.mark.xfail(reason=KNOWN_GAPS[p.name], strict=True) if p.name in KNOWN_GAPS else ())
    for p in sorted(p for p in (CASES / "lang").iterdir() if p.is_dir())
]


@pytest.mark.parametrize("pack", PACKS, ids=[p.code for p in PACKS])
def test_pack_covers_every_concept_or_opts_out(pack):
    missing = [c for c in CONCEPTS if not pack.phrases.get(c) and not pack.opt_out.get(c, "").strip()]
    assert not missing, f"{pack.code}.toml has neither phrases nor an opt-out reason for {missing}"
    assert not set(pack.opt_out) - set(CONCEPTS), "opt-out of an unknown concept"


@pytest.mark.parametrize("pack", PACKS, ids=[p.code for p in PACKS])
def test_every_pack_has_a_case(pack):
    assert (CASES / "lang" / pack.code / "raw.txt").is_file()


@pytest.mark.parametrize("case", LANG_CASES)
def test_seed_layout_in_each_language(case: Path):
    result = clean_text((case / "raw.txt").read_text(encoding="utf-8"))
    assert result.text == (case / "expected.txt").read_text(encoding="utf-8")
    assert result.title == (case / "title.txt").read_text(encoding="utf-8").strip()
    assert result.language == case.name.split("-")[0]  # the language the text was read as ("es-2": es)


@pytest.mark.parametrize("text", ["", "12 345", "Lorem ipsum dolor sit amet, consectetur adipiscing elit."])
def test_a_text_no_pack_fits_is_undetermined(text):
    assert guess_language(text) == ("und", 0.0)


def test_the_record_names_the_language():
    record = pipeline.record(clean_text("Advertisement\n\nThe minister said that the talks were over and that it was time to go."))
    assert record["language"] == "en" and 0.5 <= record["language_confidence"] <= 1


def test_a_prefix_phrase_in_a_script_without_spaces_may_go_on_into_the_next_word():
    from pipeline.lang import page_phrases, phrases

    assert page_phrases.PAGE_CHROME_PREFIX.match("* 印は必須項目です")  # "…は必須項目" then "です"
    assert not phrases.NEWSLETTER_PROMPT.match("Subscribers only get the weekly edition")  # a Latin word must end
