"""Which language a text is in, from its script and the packs' most frequent words.

A script that one pack alone writes decides by itself (Greek, Arabic; kana for Japanese, Han
without kana for Chinese). Texts in a script that several packs share (Latin, Cyrillic) are
read word by word: the language whose ``function_words`` are the most of the text's words wins.
A text no pack fits is "und" (undetermined, as BCP 47 says). The answer says what the text was
read as; the cleaning itself tests every line against all packs at once.
"""
from __future__ import annotations

import re
from collections import Counter

from . import families

_SAMPLE_CHARS = 600  # a paragraph tells (about a hundred words); the rest costs time only
_LETTERS = re.compile(r"[^\W\d_]")
_SCRIPTS = (  # scripts one pack alone writes, by their letters
    ("kana", re.compile(r"[\u3040-\u30ff]")),
    ("han", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
    ("el", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
    ("ar", re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")),
)
# Marks that stand against a word ("the," "(and"): spaces, so that the word stands alone.
_MARKS_TO_SPACES = str.maketrans({mark: " " for mark in ".,;:!?…\"“”‘’«»()[]،؛؟。，、；：！？"})
# Neither Latin letters nor punctuation: a text with few of these is read word by word at once.
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]")
_NOT_ARABIC = re.compile(r"[پچژگکیٹڈڑںےہ]")  # letters of Persian and Urdu, not of Arabic
_MIN_SHARE = 0.07  # function words are at least this share of a text's words in its language
_MIN_LEAD = 1.25  # ... and the winner has this many times the runner-up's: a tie is no answer
_MIN_KANA = 0.05  # Japanese writes kana between its Han characters; Chinese none


def _index() -> dict[str, tuple[str, ...]]:
    """word -> the packs that list it among their most frequent words"""
    index: dict[str, list[str]] = {}
    for code, words in families("function_words").items():
        for word in {w.casefold() for w in words}:
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


_INDEX = _index()


def guess_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence between 0 and 1); ("und", 0.0) when no pack fits."""
    sample = text[:_SAMPLE_CHARS]
    if not sample.isascii() and len(_NOT_LATIN.findall(sample)) * 10 > len(sample):
        letters = len(_LETTERS.findall(sample))
        counts = {name: len(pattern.findall(sample)) for name, pattern in _SCRIPTS}
        cjk = counts["kana"] + counts["han"]
        if letters and cjk >= letters / 2:
            return ("ja" if counts["kana"] >= _MIN_KANA * cjk else "zh"), round(min(1.0, cjk / letters), 2)
        for code in ("el", "ar"):
            if letters and counts[code] >= letters / 2:
                if code == "ar" and len(_NOT_ARABIC.findall(sample)) * 50 > counts[code]:
                    return "und", 0.0  # Persian, Urdu, Pashto: letters Arabic does not write
                return code, round(min(1.0, counts[code] / letters), 2)
    words = sample.casefold().translate(_MARKS_TO_SPACES).split()
    hits: Counter[str] = Counter()
    for codes, count in Counter(filter(None, map(_INDEX.get, words))).items():  # looked up and counted in C
        for code in codes:
            hits[code] += count
    if not hits:
        return "und", 0.0
    ranked = sorted(hits.values(), reverse=True)
    most = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else 0
    if most < _MIN_SHARE * len(words) or most < _MIN_LEAD * runner_up:
        return "und", 0.0
    return max(hits, key=hits.get), round(1 - runner_up / most / 2, 2)
