"""The values that flow through the pipeline: blocks in, removals and results out.

All of them are frozen dataclasses, so a result can be handed to other threads or processes
without copying and compared in tests by value.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """One non-empty line of the repaired text, with where it came from.

    ``para`` numbers the paragraph (a run of lines without a blank line between them);
    ``line`` is the 1-based line number in the repaired input, which has the same line
    breaks as the raw input (CR LF and lone CR count as one break each).
    """

    index: int
    text: str
    para: int
    line: int
    words: int = 0  # number of whitespace-separated words, set by split_blocks


@dataclass(frozen=True)
class Finding:
    """What a rule says about one block: remove it whole, or only ``span`` (start, end) of it."""

    index: int
    rule: str
    code: str  # the kind of finding (pipeline.reasons)
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Removal:
    """A piece of the input that is not in the body, and why.

    ``lines`` is (first, last) line of the input it came from (1-based, inclusive). For HTML
    input the lines are those of the extracted text, except for rules named ``html-…``, whose
    lines are the HTML source lines of the pruned element.
    """

    rule: str
    reason: str
    text: str
    lines: tuple[int, int]
    code: str = ""  # the kind of finding (pipeline.reasons); the rule's name for a rule of one kind

    def as_dict(self) -> dict:
        return {"rule": self.rule, "code": self.code or self.rule, "reason": self.reason, "text": self.text,
                "lines": list(self.lines)}


@dataclass(frozen=True)
class CleanResult:
    """Everything the pipeline knows about one cleaned document."""

    text: str
    title: str
    kind: str  # "text" or "html"
    encoding: str  # the codec the bytes were decoded with, or "str" when given text
    removals: tuple[Removal, ...] = ()
    repairs: tuple[tuple[str, int], ...] = ()  # (fixer, how many lines it changed)
    restored: tuple[tuple[str, str], ...] = ()  # HTML: (kind, text) put back that the extractor left out
    metadata: tuple[tuple[str, str], ...] = ()  # HTML: ("url" | "author" | "date", value) the page states
    warnings: tuple[str, ...] = ()
    language: str = "und"  # the language the text was read as (ISO 639-1; "und": none of the packs')
    language_confidence: float = 0.0
    stats: dict = field(default_factory=dict, compare=False, hash=False)
