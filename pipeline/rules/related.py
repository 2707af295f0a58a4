"""Related-article blocks: a header, the promoted headlines around it, and their teasers.

The teaser under a promoted headline is ordinary prose, so only the block's structure gives it
away: it follows a headline inside a block that a related-header opened. Weak headers ("Read
more", "Related") take teasers only under a headline that is repeated on the page. In text
extracted from HTML (the article already) a weak header that stands three times or more on the
page opens no block: it is the label of a link under each entry of the article's own list (a
resource list, each entry with its "Read More" button); the label goes, the entries stay. In a
full page's text the same labels stand under the teasers of a related-posts grid, and the
block goes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import regex

from ..lang import phrases
from ..engine import Page
from ..model import Finding
from ..text.shape import is_headline, is_prose
from .structure import is_framed_header


_HASHTAG = regex.compile(r"#\w+")  # a teaser's topic label ("#globility"), in place of its headline
_MAX_HEADER_CHARS = 300  # a header is short; longer lines never reach the (backtracking) header patterns
_LABEL_REPEATS = 3  # a weak header this often on a page of extracted HTML is a link label


@dataclass(frozen=True)
class RelatedBlockRule:
    name: str = "related-block"
    max_headline_words: int = 20
    max_teaser_words: int = 80
    max_items: int = 30  # a block never swallows a whole article

    def find(self, page: Page) -> Iterator[Finding]:
        kept = page.kept_indexes()
        taken: set[int] = set()
        for position, i in enumerate(kept):
            if i in taken:
                continue
            text = page.blocks[i].text
            if len(text) > _MAX_HEADER_CHARS:
                continue
            strong = bool(phrases.RELATED_HEADER_STRONG.match(text))
            framed = (not strong and 0 < position < len(kept) - 1
                      and page.texts[kept[position - 1]] == page.texts[kept[position + 1]]
                      and is_framed_header(page, kept[position - 1], i, kept[position + 1]))
            if not strong and not framed and not phrases.RELATED_HEADER_WEAK.match(text):
                continue
            if framed:
                strong = True  # the same block as under a header of the phrase families
            if not strong and page.kind == "html" and page.counts[text] >= _LABEL_REPEATS:
                yield Finding(i, self.name, "related-block.link-label")
                continue
            block = [i] + self._before(page, kept, position) + self._after(page, kept, position, strong)
            for j in sorted(block):
                if j not in taken:
                    taken.add(j)
                    yield Finding(j, self.name, "related-block.block")

    def _before(self, page: Page, kept: Sequence[int], position: int) -> list[int]:
        """Promoted headlines right above the header, in the same paragraph (at most max_items:
        a page of header-like lines must not cost quadratic time)."""
        found = []
        header = page.blocks[kept[position]]
        for back in range(position - 1, max(-1, position - 1 - self.max_items), -1):
            j = kept[back]
            block = page.blocks[j]
            if block.para != header.para or not is_headline(block.text, max_words=self.max_headline_words):
                break
            found.append(j)
        return found

    def _after(self, page: Page, kept: Sequence[int], position: int, strong: bool) -> list[int]:
        found: list[int] = []
        headline_before: int | None = None
        for j in kept[position + 1 : position + 1 + self.max_items]:
            text = page.blocks[j].text
            if len(text) <= _MAX_HEADER_CHARS and (
                phrases.RELATED_HEADER_STRONG.match(text) or phrases.RELATED_HEADER_WEAK.match(text)
            ):
                break  # the next block starts there
            if is_headline(text, max_words=self.max_headline_words) or _HASHTAG.fullmatch(text):
                found.append(j)
                headline_before = j
                continue
            teaser_allowed = headline_before is not None and (strong or page.repeated(headline_before))
            if teaser_allowed and is_prose(text, min_words=1) and page.blocks[j].words <= self.max_teaser_words:
                found.append(j)
                headline_before = None
                continue
            break
        return found


RELATED_BLOCK = RelatedBlockRule()
