"""The headline: a heading-shaped first line before the body goes to the title, not the body."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..engine import TITLE_RULE, Page
from ..model import Finding
from ..text.shape import is_headline, is_prose


@dataclass(frozen=True)
class TitleRule:
    name: str = TITLE_RULE
    min_words: int = 3
    max_words: int = 25
    min_body_words: int = 15

    def find(self, page: Page) -> Iterator[Finding]:
        kept = page.kept_indexes()
        if not kept:
            return
        first = page.blocks[kept[0]]
        if page.meta_title and _same(first.text, page.meta_title):
            yield Finding(first.index, self.name, "title.page-title")
            return
        if len(kept) < 2 or not is_headline(first.text, self.min_words, self.max_words):
            return
        following = page.blocks[kept[1]]
        if following.para != first.para and is_prose(following.text, self.min_body_words):
            yield Finding(first.index, self.name, "title.before-body")


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


TITLE = TitleRule()
