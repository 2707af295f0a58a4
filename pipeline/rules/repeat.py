"""A second copy of text above it: lines that repeat earlier lines, several in the same order.

Pages hold an article twice more often than one would think (a print and a screen version, an
AMP copy, a slider that repeats its slides), and a body never needs it twice. A single repeated
line is no sign of that: workout plans, recipes and schedules repeat a step word for word, and
a pull quote repeats a sentence. So ``min_lines`` kept lines in a row that repeat, in the same
order, ``min_lines`` lines higher up, with ``min_words`` words among them, go; the first copy
stays. It runs after the body region and the related blocks, so the copy that stays is the one
they kept.

A paragraph that is word for word the one just before it goes too, whatever its length in lines,
if it has ``min_copy_words`` words and is there twice, not three times or more (a refrain): no
article says the same paragraph twice in a row, but pages print a summary box and then the
story that starts with it, or a slide twice. Shorter duplicates are headings and labels, which
an article may well print twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from ..engine import Page
from ..model import Finding


@dataclass(frozen=True)
class RepeatRule:
    name: str = "repeat"
    code: str = "repeat.copy"
    min_lines: int = 4
    min_words: int = 40
    copy_code: str = "repeat.paragraph"
    min_copy_words: int = 8

    def find(self, page: Page) -> Iterator[Finding]:
        kept = page.kept_indexes()
        texts = [page.texts[i] for i in kept]
        if len(set(texts)) == len(texts):
            return  # no line repeats: no copy of any kind (most pages)
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
            yield Finding(kept[position], self.name, self.code)
        yield from self._copied_paragraphs(page, kept, texts, copies)

    def _copied_paragraphs(self, page: Page, kept: Sequence[int], texts: list[str], copies: set[int]) -> Iterator[Finding]:
        blocks = page.blocks
        paras = [blocks[i].para for i in kept]
        starts = [p for p in range(len(paras)) if p == 0 or paras[p] != paras[p - 1]]  # where each paragraph starts
        bounds = list(zip(starts, starts[1:] + [len(paras)]))
        # same[n]: paragraph n is word for word paragraph n - 1 (its first line is compared first: cheap)
        same = [False] + [a1 - a0 == b1 - b0 and texts[a0] == texts[b0] and texts[a0:a1] == texts[b0:b1]
                          for (b0, b1), (a0, a1) in zip(bounds, bounds[1:])]
        for n, (a0, a1) in enumerate(bounds):
            # a copy, but no refrain: the same paragraph three times or more in a row is a poem's or a song's
            if same[n] and not same[n - 1] and not (n + 1 < len(same) and same[n + 1]) and (
                    sum(blocks[kept[p]].words for p in range(a0, a1)) >= self.min_copy_words):
                for position in range(a0, a1):
                    if position not in copies:
                        yield Finding(kept[position], self.name, self.copy_code)

REPEAT = RepeatRule()
