"""Checks that hold for every cleaned document; shared by several test modules."""
from collections import Counter

import regex

from pipeline import clean_text
from pipeline.text.blocks import split_blocks
from pipeline.text.repair import repair

_BAD = regex.compile(r"[\r\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")


def check_invariants(result, source_text: str | None = None) -> None:
    text = result.text
    assert not _BAD.search(text), "control, CR or zero-width characters in the output"
    assert text == "" or (text.endswith("\n") and not text.endswith("\n\n")), "one final newline"
    assert "\n\n\n" not in text, "paragraphs are separated by exactly one blank line"
    assert all(line == line.strip() for line in text.split("\n")), "no spaces at line ends"
    if source_text is not None:
        # Every input block is either kept or listed as removed (word multisets add up).
        repaired = repair(source_text).text
        words_in = Counter(w for b in split_blocks(repaired) for w in b.text.split())
        text_removals = [r for r in result.removals if not r.rule.startswith("html-")]
        words_out = Counter(text.split()) + Counter(w for r in text_removals for w in r.text.split())
        assert words_in == words_out, f"lost or invented words: {(words_in - words_out) + (words_out - words_in)}"
    # Cleaning the output again removes nothing.
    again = clean_text(text)
    assert again.text == text and not again.removals, f"second pass removed {again.removals}"
