"""The rule engine: rules find, the engine removes and records.

Rules run in order over a ``Page``; each sees which blocks the rules before it removed. A rule
never edits text: it returns ``Finding`` objects, and the engine applies them, keeps the title
aside, and records every removal in input line numbers.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Collection, Iterable, Protocol

from .model import Block, Finding, Removal
from .reasons import REASONS

TITLE_RULE = "title"


class Rule(Protocol):
    name: str

    def find(self, page: "Page") -> Iterable[Finding]: ...


class Page:
    """The blocks of one document and, while rules run, which of them are still kept."""

    def __init__(self, blocks: tuple[Block, ...], kind: str, meta_title: str = "") -> None:
        self.blocks = blocks
        self.kind = kind
        self.meta_title = meta_title
        self.kept = [True] * len(blocks)  # changed through drop() only
        self.texts = [b.text for b in blocks]  # current text (sign-off trims change it)
        self.counts = Counter(b.text for b in blocks)
        self._kept_indexes: tuple[int, ...] | None = None

    def kept_indexes(self) -> tuple[int, ...]:
        """The indexes of the blocks still kept (every rule asks, most rules remove nothing)."""
        if self._kept_indexes is None:
            self._kept_indexes = tuple(i for i, keep in enumerate(self.kept) if keep)
        return self._kept_indexes

    def drop(self, index: int) -> None:
        self.kept[index] = False
        self._kept_indexes = None

    def repeated(self, index: int) -> bool:
        """Whether this block's text occurs more than once on the page."""
        return self.counts[self.blocks[index].text] > 1


@dataclass(frozen=True)
class Classified:
    texts: list[str]  # per block: kept text, or "" when removed
    removals: tuple[Removal, ...]
    title: str


def classify(page: Page, rules: Iterable[Rule], enabled: Collection[str]) -> Classified:
    """Run ``rules`` in order and apply their findings that are under an ``enabled`` rule's name,
    whichever rule made them (body-region also finds the headline, as ``title``)."""
    pieces: list[tuple[int, Finding, str]] = []  # (block index, finding, removed text)
    title = ""
    for rule in rules:
        for finding in rule.find(page):
            i = finding.index
            if not page.kept[i] or finding.rule not in enabled:
                continue
            if finding.span is None:
                pieces.append((i, finding, page.texts[i]))
                page.drop(i)
                if finding.rule == TITLE_RULE and not title:
                    title = page.texts[i]
                continue
            start, end = finding.span
            removed = page.texts[i][start:end]
            remaining = (page.texts[i][:start] + page.texts[i][end:]).strip()
            pieces.append((i, finding, removed.strip()))
            page.texts[i] = remaining
            if not remaining:
                page.drop(i)
    texts = [page.texts[i] if page.kept[i] else "" for i in range(len(page.blocks))]
    return Classified(texts, _merge(page.blocks, pieces), title)


def _merge(blocks: tuple[Block, ...], pieces: list[tuple[int, Finding, str]]) -> tuple[Removal, ...]:
    """One Removal per run of adjacent whole blocks removed by the same rule for the same reason."""
    pieces = sorted(pieces, key=lambda piece: piece[0])
    removals: list[Removal] = []
    last: tuple[int, Finding] | None = None
    for i, finding, text in pieces:  # pieces of one block, if several, stay separate
        block = blocks[i]
        whole = finding.span is None
        if (
            removals and whole and last is not None and last[1].span is None and last[0] == i - 1
            and last[1].rule == finding.rule and last[1].code == finding.code
        ):
            prev = removals[-1]
            joint = "\n" if blocks[i - 1].para == block.para else "\n\n"
            removals[-1] = Removal(prev.rule, prev.reason, prev.text + joint + text, (prev.lines[0], block.line), prev.code)
        else:
            removals.append(Removal(finding.rule, REASONS[finding.code], text, (block.line, block.line), finding.code))
        last = (i, finding)
    return tuple(removals)
