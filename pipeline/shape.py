"""Line shape: the cheap signals rules share (words, end punctuation, headline look)."""
from __future__ import annotations

import regex

from .phrases import SIGNOFF_AFTER_BRACKET, SIGNOFF_AFTER_SENTENCE, SIGNOFF_TAIL

_SENTENCE_MARKS = ".!?…。！？"
_CLAUSE_MARKS = ".,;:!?…。！？"
_CLOSERS = "\"'”’»)]"
_STARTS_UPPER = regex.compile(r"^[\"'“‘«(\[]*[\p{Lu}\p{N}]")


def _ends_with(text: str, marks: str) -> bool:
    """One of ``marks`` at the end, behind any closing quotes and brackets (a final line break
    is ignored, as ``$`` does). String methods: a regex search for this scans the whole line."""
    if text.endswith("\n"):
        text = text[:-1]
    text = text.rstrip(_CLOSERS)
    return bool(text) and text[-1] in marks


def ends_sentence(text: str) -> bool:
    """Sentence punctuation at the end, or a sentence followed by an agency sign-off ("... EFE")."""
    if _ends_with(text, _SENTENCE_MARKS):
        return True
    if not (text[-1:].isalpha() or text.endswith(")")):
        return False
    tail = text[-40:]
    return not _SIGNOFF_LEAD.isdisjoint(tail) and bool(SIGNOFF_TAIL.search(tail))


# SIGNOFF_TAIL begins with a lookbehind for one of these characters, and a search of the tail
# alone cannot look before it: a tail without any of them has no sign-off (a headline, a menu
# item, a caption). The search tries every position of the tail, 5 to 10 us a line.
_SIGNOFF_LEAD = frozenset(SIGNOFF_AFTER_SENTENCE + SIGNOFF_AFTER_BRACKET)


def is_headline(text: str, min_words: int = 1, max_words: int = 20) -> bool:
    """Short, starts with a capital or digit, no end punctuation except ? or ! on short lines."""
    words = len(text.split())
    if not min_words <= words <= max_words or not _STARTS_UPPER.search(text):
        return False
    if _ends_with(text, _CLAUSE_MARKS) or ends_sentence(text):
        return text.rstrip("\"'”’»)]").endswith(("?", "!")) and words <= 15
    return True


_SENTENCE_BREAK = regex.compile(r"\p{Ll}{2,}[.!?][\"'”’»)]* [\"'“‘«(]*\p{Lu}")


def is_word_salad(text: str, min_words: int = 15, min_capitalised: float = 0.75) -> bool:
    """A long line of capitalised words with no sentence in it: a menu, a list of topics or
    countries, a row of links flattened onto one line ("Select Country United States Canada …")."""
    tokens = text.split()
    if len(tokens) < min_words or ends_sentence(text):
        return False
    alpha = [t for t in tokens if t[:1].isalpha()]
    if len(alpha) < min_words // 2:
        return False
    capitalised = sum(1 for t in alpha if t[0].isupper())
    return capitalised >= min_capitalised * len(alpha) and not _SENTENCE_BREAK.search(text)


def is_prose(text: str, min_words: int = 8) -> bool:
    """A sentence or more: enough words and sentence punctuation at the end."""
    return len(text.split()) >= min_words and ends_sentence(text)
