"""Where the article body starts and ends in a full page written out as plain text.

Every kept line gets a score from its shape: prose (many words, sentence punctuation) scores
its word count, menu-like lines (short, no punctuation), lines repeated on the page and page
chrome (consent, legal, account lines) score below zero. The body is the contiguous run of
lines with the highest total (maximum subarray), cut at the first page-end marker (a comment
form, "Related posts", tags) once enough body precedes it. The headline is the headline-shaped
line just before the body that best matches the page's first line (its <title>).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .. import phrases
from ..engine import TITLE_RULE, Page
from ..model import Block, Finding
from ..shape import ends_sentence, is_headline

_WORDS = phrases.regex.compile(r"\w+")


CHROME = -8.0  # the score of a page-chrome line: never body, removed wherever it stands
META = -8.5  # a metadata line (date, byline, reading time): never body, removed wherever it stands


def line_score(page: Page, block: Block) -> float:
    words, text = block.words, block.text
    if words <= 12 and phrases.META_LINE.match(text):
        return META
    if is_chrome(text, words):
        return CHROME
    score: float
    if (words >= 10 and ends_sentence(text)) or words >= 25:
        score = min(words, 60)
    elif words >= 5 and ends_sentence(text):
        score = 1.0
    elif words <= 4 and not ends_sentence(text):
        score = -2.0
    else:
        score = -1.0
    if page.repeated(block.index):
        score -= 4.0
    return score


def is_chrome(text: str, words: int) -> bool:
    """Navigation, legal, account and consent lines."""
    if words <= 30 and (phrases.PAGE_CHROME_LINE.match(text) or phrases.PAGE_CHROME_PREFIX.match(text)):
        return True
    return words <= 120 and bool(phrases.CONSENT.search(text))


def best_run(scores: list[float]) -> tuple[int, int]:
    """Maximum-sum contiguous run (Kadane); (0, -1) when nothing scores above zero."""
    best, best_span = 0.0, (0, -1)
    total, start = 0.0, 0
    for position, value in enumerate(scores):
        if total <= 0:
            total, start = value, position
        else:
            total += value
        if total > best:
            best, best_span = total, (start, position)
    return best_span


@dataclass(frozen=True)
class BodyRegionRule:
    name: str = "body-region"
    min_blocks: int = 8  # shorter texts are taken to be all body
    min_body_words: int = 150  # body words before a page-end marker may cut the region
    title_window: int = 8  # how far before the body the headline may stand
    junk_weight: float = 1.0  # how much a junk line counts against joining body parts across it
    chrome_weight: float = 40.0  # how much a chrome line counts against it (chrome is removed anyway)
    meta_weight: float = 40.0  # how much a metadata line counts against it
    chrome_inside: bool = True  # remove page-chrome lines inside the body too
    stray_short: int = 0  # experiment: 1 = short line not followed by prose, 2 = and preceded by prose
    stray_words: int = 6

    def find(self, page: Page) -> Iterator[Finding]:
        if page.kind != "text":
            return
        kept = page.kept_indexes()
        if len(kept) < self.min_blocks:
            return
        scores = [line_score(page, page.blocks[i]) for i in kept]
        start, end = best_run([self._weight(s) for s in scores])
        if end < start:
            return
        end = self._cut_at_page_end(page, kept, scores, start, end)
        title = self._title(page, kept, scores, start)
        if title is not None:
            yield Finding(kept[title], TITLE_RULE, "the headline, just before the article body")
        for position, i in enumerate(kept):
            if position < start and position != title:
                yield Finding(i, self.name, "before the article body (page header, menus)")
            elif position > end:
                yield Finding(i, self.name, "after the article body (page footer, comments, links)")
            elif self.chrome_inside and scores[position] == CHROME:
                yield Finding(i, self.name, "page chrome (navigation, legal, account, consent) inside the body")
            elif self.chrome_inside and scores[position] == META:
                yield Finding(i, self.name, "a date, byline or reading time inside the body")
            elif self.stray_short and self._stray(page, kept, scores, position, start, end):
                yield Finding(i, self.name, "a short line inside the body that heads no paragraph")

    def _stray(self, page: Page, kept: list[int], scores: list[float], position: int, start: int, end: int) -> bool:
        block = page.blocks[kept[position]]
        if block.words > self.stray_words or ends_sentence(block.text):
            return False
        next_prose = position < end and scores[position + 1] > 1
        if next_prose:
            return False
        if self.stray_short == 2:
            return position > start and scores[position - 1] > 1
        return True

    def _weight(self, score: float) -> float:
        if score == META:
            return -self.meta_weight
        if score == CHROME:
            return -self.chrome_weight
        return score if score > 0 else score * self.junk_weight

    def _cut_at_page_end(self, page: Page, kept: list[int], scores: list[float], start: int, end: int) -> int:
        """Cut before the first page-end marker that follows enough body."""
        prose = [page.blocks[kept[p]].words if scores[p] > 1 else 0 for p in range(len(kept))]
        before = 0
        for position in range(start, end + 1):
            block = page.blocks[kept[position]]
            if before >= self.min_body_words and block.words <= 15 and phrases.PAGE_END.match(block.text):
                return position - 1
            before += prose[position]
        return end

    def _title(self, page: Page, kept: list[int], scores: list[float], start: int) -> int | None:
        first_line = set(_WORDS.findall(page.blocks[kept[0]].text.lower())) if kept else set()
        best, best_overlap = None, -1.0
        for position in range(start - 1, max(-1, start - 1 - self.title_window), -1):
            text = page.blocks[kept[position]].text
            if scores[position] < -3 or not is_headline(text, min_words=3, max_words=30):
                continue  # page chrome and repeated lines are no headline
            words = set(_WORDS.findall(text.lower()))
            overlap = len(words & first_line) / len(words) if words else 0.0
            if overlap > best_overlap + 0.2 or best is None:
                best, best_overlap = position, overlap
        return best


BODY_REGION = BodyRegionRule()
