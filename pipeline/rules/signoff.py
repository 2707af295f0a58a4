"""Trailing agency sign-offs: "... in 2019. EFE", "(AFP)", "— Reuters" after the last sentence."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..lang import phrases
from ..engine import Page
from ..model import Finding
from ..text.shape import ends_sentence


# A line that ends with one of these has no sign-off (and "": an empty line).
_SENTENCE_END = frozenset(phrases.SIGNOFF_AFTER_SENTENCE) | {""}


@dataclass(frozen=True)
class SignoffRule:
    name: str = "signoff"
    code: str = "signoff"

    def find(self, page: Page) -> Iterator[Finding]:
        kept = page.kept_indexes()
        if not kept:
            return
        last = kept[-1]
        if page.repeated(last):
            return  # the story's last sentence is written once; a line the page repeats is not it
        text = page.texts[last]
        if len(text) <= 200 and phrases.SIGNOFF_LINE.match(text):
            # On a line of its own it signs off only a sentence: "(AFP)" alone is not a story.
            if len(kept) > 1 and ends_sentence(page.texts[kept[-2]]):
                yield Finding(last, self.name, self.code)
            return
        # A sign-off ends its line with an agency, initials or a bracket, never with the sentence
        # punctuation it follows: a line that ends like a sentence has none (most last lines, spared
        # the search). It is short: search only the end of a long line (linear time).
        if text.rstrip()[-1:] in _SENTENCE_END:
            return
        start = max(0, len(text) - 300)
        match = phrases.SIGNOFF_TAIL.search(text, start) or phrases.AGENCY_CODE.search(text, start)
        if match:
            yield Finding(last, self.name, self.code, span=(match.start("signoff"), len(text)))


SIGNOFF = SignoffRule()
