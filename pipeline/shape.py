"""Line shape: the cheap signals rules share (words, end punctuation, headline look)."""
from __future__ import annotations

import regex

from .phrases import SIGNOFF_TAIL

_SENTENCE_END = regex.compile(r"[.!?…。！？][\"'”’»)\]]*$")
_CLAUSE_END = regex.compile(r"[.,;:!?…。！？][\"'”’»)\]]*$")
_STARTS_UPPER = regex.compile(r"^[\"'“‘«(\[]*[\p{Lu}\p{N}]")


def ends_sentence(text: str) -> bool:
    """Sentence punctuation at the end, or a sentence followed by an agency sign-off ("... EFE")."""
    if _SENTENCE_END.search(text):
        return True
    return (text[-1:].isalpha() or text.endswith(")")) and bool(SIGNOFF_TAIL.search(text[-40:]))


def is_headline(text: str, min_words: int = 1, max_words: int = 20) -> bool:
    """Short, starts with a capital or digit, no end punctuation except ? or ! on short lines."""
    words = len(text.split())
    if not min_words <= words <= max_words or not _STARTS_UPPER.search(text):
        return False
    if _CLAUSE_END.search(text) or ends_sentence(text):
        return text.rstrip("\"'”’»)]").endswith(("?", "!")) and words <= 15
    return True


def is_prose(text: str, min_words: int = 8) -> bool:
    """A sentence or more: enough words and sentence punctuation at the end."""
    return len(text.split()) >= min_words and ends_sentence(text)
