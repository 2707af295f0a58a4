"""A second copy of text above it: lines that repeat earlier lines, several in the same order.

Pages hold an article twice more often than one would think (a print and a screen version, an
AMP copy, a slider that repeats its slides), and a body never needs it twice. A single repeated
line is no sign of that: workout plans, recipes and schedules repeat a step word for word, and
a pull quote repeats a sentence. So ``min_lines`` kept lines in a row that repeat, in the same
order, ``min_lines`` lines higher up, with ``min_words`` words among them, go; the first copy
stays. It runs after the body region and the related blocks, so the copy that stays is the one
they kept. (Chosen on the fit halves of the bench: runs of 2, 3 and 4 lines with 20 or 40 words
scored within 0.0003 of each other; 4 lines and 40 words made no page of the fit halves worse.)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..engine import Page
from ..model import Finding


@dataclass(frozen=True)
class RepeatRule:
    name: str = "repeat"
    reason: str = "a second copy of text above it (several lines repeated in the same order)"
    min_lines: int = 4
    min_words: int = 40

    def find(self, page: Page) -> Iterator[Finding]:
        kept = page.kept_indexes()
        texts = [page.texts[i] for i in kept]
        run = self.min_lines
        first: dict[tuple[str, ...], int] = {}  # a run of lines -> where it first stands
        copies: set[int] = set()
        for position in range(len(texts) - run + 1):
            lines = tuple(texts[position:position + run])
            earlier = first.get(lines)
            if earlier is not None and earlier + run <= position and (
                    sum(page.blocks[i].words for i in kept[position:position + run]) >= self.min_words):
                copies.update(range(position, position + run))
            else:
                first.setdefault(lines, position)
        for position in sorted(copies):
            yield Finding(kept[position], self.name, self.reason)


REPEAT = RepeatRule()
