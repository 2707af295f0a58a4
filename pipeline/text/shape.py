"""Line shape: the cheap signals rules share (words, end punctuation, headline look), in any script.

Two characters of a script written without spaces (Chinese, Japanese) weigh about a word;
sentences also end in 。！？ (CJK), ؟ ۔ (Arabic script), । ॥ (Devanagari) and, after Greek, ";"
(the Greek question mark, which NFC turns into a semicolon); scripts without case are never
judged by capitals: any letter of theirs starts a line as a capital does.
"""
from __future__ import annotations

import functools
import re

import regex

from ..lang.phrases import SIGNOFF_AFTER_BRACKET, SIGNOFF_AFTER_SENTENCE, SIGNOFF_TAIL

_SENTENCE_MARKS = ".!?…。！？｡．؟۔।॥။។"
_CLAUSE_MARKS = _SENTENCE_MARKS + ",;:，、；：،؛"
_CLOSERS = "\"'”’»)]」』）】》〕〉"
# A capital, a digit, or a letter of a script without case (CJK, Arabic, Hebrew, Thai: \p{Lo}).
_STARTS_UPPER = regex.compile(r"^[\"'“‘«(\[「『（【《]*[\p{Lu}\p{Lt}\p{N}\p{Lo}]")
# Han, kana and CJK compatibility ideographs: a Chinese word has one to three characters.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
# Thai, Lao, Khmer, Burmese: no spaces between words either; a word is a few letters.
_SEA = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_UNSPACED = re.compile(f"[{_CJK}]+|[{_SEA}]+")
_UNSPACED_CHAR = re.compile(f"[{_CJK}{_SEA}]")  # one class, no alternation: a fast scan
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SEA_LETTERS_PER_WORD = 4
_CJK_CHARS_PER_WORD = 2
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")
_MARKLESS_SENTENCE_WORDS = 15  # a Thai line this long is prose, not a headline


def unspaced_words(line: str) -> int:
    """The words of a line that may hold a script written without spaces (see word_count)."""
    runs = _UNSPACED.findall(line)
    if not runs:
        return len(line.split())
    count = sum(-(-len(run) // (_CJK_CHARS_PER_WORD if run[0] >= "\u3000" else _SEA_LETTERS_PER_WORD)) for run in runs)
    return count + len(_UNSPACED.sub(" ", line).split())


@functools.lru_cache(maxsize=4096)  # the rules ask it of the same lines, one after the other
def words_of(text: str) -> int:
    """Words in any script (blocks.word_count without its fast path for repaired lines)."""
    return unspaced_words(text) if is_unspaced(text) else len(text.split())


def is_unspaced(text: str) -> bool:
    """Whether the text holds a script written without spaces."""
    return not text.isascii() and _UNSPACED_CHAR.search(text) is not None


def _ends_with(text: str, marks: str) -> bool:
    """One of ``marks`` at the end, behind any closing quotes and brackets (a final line break
    is ignored, as ``$`` does), or a Greek question mark. String methods: a regex search for
    this scans the whole line."""
    if text.endswith("\n"):
        text = text[:-1]
    text = text.rstrip(_CLOSERS)
    if not text:
        return False
    if text[-1] == ";" and ";" not in marks:
        return _GREEK.search(text, max(0, len(text) - 40)) is not None
    return text[-1] in marks


def ends_sentence(text: str) -> bool:
    """Sentence punctuation at the end, or a sentence followed by an agency sign-off ("... EFE");
    or, in Thai or Lao, which end sentences with no mark, a long line that ends in a word."""
    if _ends_with(text, _SENTENCE_MARKS):
        return True
    if "\u0e00" <= text[-1:] <= "\u0eff" and words_of(text) >= _MARKLESS_SENTENCE_WORDS:
        return True
    if not (text[-1:].isalpha() or text.endswith(")")):
        return False
    tail = text[-40:]
    return not _SIGNOFF_LEAD.isdisjoint(tail) and bool(SIGNOFF_TAIL.search(tail))


# SIGNOFF_TAIL begins with a lookbehind for one of these characters, and a search of the tail
# alone cannot look before it: a tail without any of them has no sign-off (a headline, a menu
# item, a caption), and the search, which tries every position of the tail, is skipped.
_SIGNOFF_LEAD = frozenset(SIGNOFF_AFTER_SENTENCE + SIGNOFF_AFTER_BRACKET)


def is_headline(text: str, min_words: int = 1, max_words: int = 20) -> bool:
    """Short, starts with a capital or digit, no end punctuation except ? or ! on short lines."""
    words = words_of(text)
    if not min_words <= words <= max_words or not _STARTS_UPPER.search(text):
        return False
    if _ends_with(text, _CLAUSE_MARKS) or ends_sentence(text):
        return text.rstrip(_CLOSERS).endswith(("?", "!", "？", "！", "؟")) and words <= 15
    return True


_SENTENCE_BREAK = regex.compile(r"\p{Ll}{2,}[.!?][\"'”’»)]* [\"'“‘«(]*\p{Lu}")


def is_word_salad(text: str, min_words: int = 15, min_capitalised: float = 0.75) -> bool:
    """A long line of capitalised words with no sentence in it: a menu, a list of topics or
    countries, a row of links flattened onto one line ("Select Country United States Canada …")."""
    tokens = text.split()
    if not text.isascii() and _CJK_CHAR.search(text):  # menu items side by side: many short runs
        runs = [t for t in tokens if t.strip("|/·•-–—>»")]  # (Thai spaces phrases of prose apart)
        return len(runs) >= 6 and words_of(text) <= 4 * len(runs) and not ends_sentence(text)
    if len(tokens) < min_words or ends_sentence(text):
        return False
    alpha = [t for t in tokens if t[:1].isalpha()]
    if len(alpha) < min_words // 2:
        return False
    capitalised = sum(1 for t in alpha if t[0].isupper())
    return capitalised >= min_capitalised * len(alpha) and not _SENTENCE_BREAK.search(text)


def is_prose(text: str, min_words: int = 8) -> bool:
    """A sentence or more: enough words and sentence punctuation at the end."""
    return words_of(text) >= min_words and ends_sentence(text)
