"""Photo captions and credits: a descriptive line that ends in a credit, or a labelled credit."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .. import phrases
from ..engine import Page
from ..model import Finding

_NO_CREDIT_END = (".", "!", "?", ",", ";", ":")
_TAIL_CHARS = 120  # a credit ends its line: only the tail is searched (the longest seen is ~70)


@dataclass(frozen=True)
class CaptionRule:
    name: str = "caption"
    max_words: int = 120  # a caption is a sentence or two, never a long paragraph
    max_label_words: int = 40

    def find(self, page: Page) -> Iterator[Finding]:
        for i in page.kept_indexes():
            reason = self.reason_for(page.blocks[i].text, page.blocks[i].words)
            if reason:
                yield Finding(i, self.name, reason)

    def reason_for(self, text: str, words: int) -> str | None:
        if words <= self.max_label_words and len(text) <= 600 and (phrases.CAPTION_LABEL.match(text) or phrases.CAPTION_BY.match(text)):
            return "a photo credit or caption line (labelled)"
        # A credit never ends in sentence punctuation; "... the AP/NORC poll." is body text.
        if words > self.max_words or text.rstrip(" )]").endswith(_NO_CREDIT_END):
            return None
        tail = text[-_TAIL_CHARS:]
        if phrases.CREDIT_HINT.search(tail) and phrases.ends_in_credit(tail):
            return "a photo caption ending in an agency or photographer credit"
        return None


CAPTION = CaptionRule()
