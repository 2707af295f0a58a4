"""Photo captions and credits: a descriptive line that ends in a credit, or a labelled credit."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..lang import phrases
from ..engine import Page
from ..model import Finding
from .structure import STORY_END_LINES, alone_in_paragraph, ends_in_any_credit

_NO_CREDIT_END = (".", "!", "?", ",", ";", ":")
_TAIL_CHARS = 120  # a credit ends its line: only the tail is searched (the longest seen is ~70)


@dataclass(frozen=True)
class CaptionRule:
    name: str = "caption"
    max_words: int = 120  # a caption is a sentence or two, never a long paragraph
    max_label_words: int = 40

    def find(self, page: Page) -> Iterator[Finding]:
        for i in page.kept_indexes():
            code = self.code_for(page.blocks[i].text, page.blocks[i].words, page, i)
            if code:
                yield Finding(i, self.name, code)

    def code_for(self, text: str, words: int, page: Page | None = None, index: int = 0) -> str | None:
        """Why the line (block ``index`` of ``page``, if given) is a caption, or None. A caption of
        unknown credit must be a paragraph of its own (a list's lines share their paragraph)."""
        if words <= self.max_label_words and len(text) <= 600 and (phrases.CAPTION_LABEL.match(text) or phrases.CAPTION_BY.match(text)):
            return "caption.labelled"
        # A credit never ends in sentence punctuation; "... the AP/NORC poll." is body text.
        if words > self.max_words or text.rstrip(" )]").endswith(_NO_CREDIT_END):
            return None
        tail = text[-_TAIL_CHARS:]
        if phrases.CREDIT_HINT.search(tail) and phrases.ends_in_credit(tail):
            return "caption.agency-credit"
        near_end = page is None or index >= len(page.blocks) - STORY_END_LINES
        if ends_in_any_credit(text, words, near_end) and (page is None or alone_in_paragraph(page, index)):
            return "caption.slash-or-bracket-credit"
        if _ends_in_labelled_credit(tail) and (page is None or alone_in_paragraph(page, index)):
            return "caption.labelled-credit"
        return None


_SENTENCE_ENDS = (". ", "! ", "? ", "。", "！", "？")
_MAX_CREDIT_CHARS = 80


def _ends_in_labelled_credit(tail: str) -> bool:
    """After the caption's last sentence, a credit label of any pack and a name: "… in Moscow.
    Фото: РИА Новости", "… ΦΩΤΟ: EUROKINISSI"."""
    if ":" not in tail and "：" not in tail and "©" not in tail and "|" not in tail:
        return False  # a credit label stands before one of these (phrases.CAPTION_LABEL)
    end = max(tail.rfind(mark) + len(mark) for mark in _SENTENCE_ENDS)
    if end < 2 or len(tail) - end > _MAX_CREDIT_CHARS:
        return False  # (rfind gives -1: no sentence end at all)
    rest = tail[end:].lstrip()
    return bool(rest) and phrases.CAPTION_LABEL.match(rest) is not None


CAPTION = CaptionRule()
