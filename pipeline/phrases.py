"""Phrase families for boilerplate, as data: one named pattern per concept, per language.

Whole-line families (``LINE_FAMILIES``) match a block only when the entire line, less
surrounding punctuation and bullets, is one of the phrases; so a sentence in the body that
merely mentions an advertisement, a photo or comments never matches. Prefix families match the
start of a short line. Everything is compiled once, at import: the phrase line patterns with
``re`` where they can be (``line_pattern``), the rest with ``regex`` (but STRAY_URL with ``re``:
``regex`` backtracks badly on it). Phrases spell out what ``regex``'s full case folding gave them
("schlie(?:ß|ss)en"). Rules apply them only to lines under a length cap, so that no pattern meets
a 40,000-character line (tests/test_complexity.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from .lang import INTL, families

# -- phrase families, from the language packs (pipeline/lang/*.toml) ---------------------------

AD_MARKERS = families("ad_markers")
COMMENT_WIDGETS = families("comment_widgets")
SHARE_PROMPTS = families("share_prompts")
RELATED_HEADERS_STRONG = families("related_headers")  # headers that introduce promoted headlines with teasers
RELATED_HEADERS_WEAK = families("related_headers_weak")  # headers that may also stand alone in a body
RELATED_LINK_PREFIX = families("read_more_prefixes")  # "READ MORE: Headline of another article"
CORRECTION_PROMPTS = families("correction_prompts")
# A call to action's button on a line of its own ("Start your free trial", "Get a quote"). Whole
# lines only: "Apply now to the council before March" is a sentence.
CALLS_TO_ACTION = families("calls_to_action")
NEWSLETTER_PROMPTS = families("newsletter_prompts")
CAPTION_LABELS = families("caption_labels")  # "Photo: …", "Foto: …" at the start of a short line
PHOTO_AGENCIES = INTL["photo_agencies"]  # seen in caption credits ("EFE-EPA/NAME/AGENCY", "Name/AFP")
SIGNOFF_AGENCIES = INTL["signoff_agencies"]  # sign off a story after its last sentence ("... EFE")


def alternation(families: dict[str, list[str]] | list[str]) -> str:
    phrases = [p for lang in families.values() for p in lang] if isinstance(families, dict) else list(families)
    return "|".join(f"(?:{p})" for p in phrases)


def verbose(pattern: str) -> str:
    """A pattern fragment as a ``regex.VERBOSE`` pattern reads it the same: its spaces and '#' escaped."""
    return pattern.replace(" ", r"\ ").replace("#", r"\#")


def lead_words(families: dict[str, list[str]]) -> tuple[str, ...]:
    """The plain letters each phrase starts with, for a ``startswith`` gate: "autor" of
    "autor(?:in)?"; "" (every line passes) for a phrase that starts with anything else."""
    return tuple(sorted({_LEAD.match(p).group() for lang in families.values() for p in lang}))


_LEAD = re.compile(r"[^\W\d_]*")


# A whole line: optional bullets/arrows/brackets around the phrase, optional closing colon.
EDGE_OPEN = r"^[\s\-–—•·*>»›|#\[(]*"
_EDGE_CLOSE = r"[\s:.!?…\-–—»›>|)\]]*$"


class Gated:
    """A line pattern that starts with edge characters and a phrase alternation, with a memo of
    the line starts that can begin a match at all. A seed-sized document asks these patterns
    about 140 times, at 1 to 3 microseconds each in the regex engine; most lines start with a
    word that no phrase of the family starts with, and skip the engine after two dictionary
    lookups.

    A line's start is its text up to and including the character after its first word (the
    word may follow up to four other characters: "» Read", "(Photo"). Whether a match can begin
    there is asked once per start, with ``head`` (the edge and the alternation, nothing after
    them, in ``regex``: only it has partial matches) as a partial match: "can some text that
    starts like this match?". A yes runs the whole pattern as before, so answers never change
    (tests/test_properties.py checks that gated and plain patterns agree). Only ASCII starts are
    gated: on them ``re`` and ``regex`` read case and character classes alike (``re`` also folds
    "ı" to "i", ``regex`` does not); any other start runs the whole pattern."""

    __slots__ = ("pattern", "head", "_starts")
    _MAX_STARTS = 10_000  # memo entries per pattern; the memo starts afresh when full

    def __init__(self, pattern: regex.Pattern, head: regex.Pattern) -> None:
        self.pattern, self.head = pattern, head
        self._starts: dict[str, bool] = {}

    def match(self, text: str):
        start = _START_OF.get(text)
        if start is None:
            start = _line_start(text)
        if not start:
            return self.pattern.match(text)  # no word near the start: no memo
        can = self._starts.get(start)
        if can is None:
            if len(self._starts) >= self._MAX_STARTS:
                self._starts.clear()
            can = self._starts[start] = self.head.match(start, partial=True) is not None
        return self.pattern.match(text) if can else None


_START = re.compile(r"\W{0,4}\w{1,30}.?", re.S)
# line -> its start: the patterns asked about one line share it. Lines reach these patterns under
# length caps (800 characters at most), so the memo stays under a few MB whatever the input.
_START_OF: dict[str, str] = {}


def _line_start(text: str) -> str:
    found = _START.match(text)
    start = found.group() if found else ""
    if not start.isascii():
        start = ""  # not gated (see Gated)
    if len(_START_OF) >= 1_024:
        _START_OF.clear()
    _START_OF[text] = start
    return start


def line_pattern(source: str):
    """A case-insensitive line pattern: compiled with ``re`` where it can be, which compiles these
    long alternations about five times faster than ``regex`` (every run pays it at start-up) and
    runs them about a third faster; with ``regex`` where the pattern needs it (``\\p{Lu}``)."""
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error:
        return regex.compile(source, regex.IGNORECASE | regex.V1)


def gated(edge: str, families, rest: str, lead: str = "") -> Gated:
    """``edge``, then one phrase of the families, then ``rest``; gated on the line's start.
    ``lead`` (a lookahead over the whole line) goes first in the pattern and is not in the head."""
    phrases = alternation(families)
    pattern = line_pattern(f"{lead}{edge}(?:{phrases}){rest}")
    # The head folds case as the pattern does: simply (as ``re``), or fully ("ss" = "ß", regex.V1).
    version = regex.V1 if isinstance(pattern, regex.Pattern) else regex.V0
    return Gated(pattern, regex.compile(f"{edge}(?:{phrases})", regex.IGNORECASE | version))


def whole_line(families) -> Gated:
    return gated(EDGE_OPEN, families, _EDGE_CLOSE)


def header_line(families) -> Gated:
    """A whole line that does not end like a sentence: a header, not prose."""
    return gated(EDGE_OPEN, families, r"[\s:\-–—»›>|)\]]*$", lead=r"(?!.*[.!?…][\"'”’)]*\s*$)")


def line_prefix(families) -> "Gated | AnyOf":
    """The start of a line, up to a word boundary (so "subscribe" does not match "Subscribers")."""
    phrases = [p for lang in families.values() for p in lang] if isinstance(families, dict) else list(families)
    # A phrase that starts with a wildcard (".{0,120} press ctrl+enter") is tried at every length
    # before the others get their turn: in one alternation with them it made every line cost
    # seven times more. Such phrases get a pattern of their own.
    led = [p for p in phrases if not p.startswith(".")]
    patterns = [gated(EDGE_OPEN, led, r"(?=\W|$)")] if led else []
    for p in phrases:
        if p.startswith("."):  # no start to gate on; a word it cannot match without, instead
            pattern = regex.compile(f"{EDGE_OPEN}(?:{p})(?=\\W|$)", regex.IGNORECASE | regex.V1)
            needle = _needle(p)
            patterns.append(Needs(pattern, needle) if needle else pattern)
    return patterns[0] if len(patterns) == 1 else AnyOf(tuple(patterns))


def _needle(phrase: str) -> str:
    r"""The longest run of three or more plain letters that every match of a phrase contains:
    outside any group, class, repeat count or escape, not made optional by a repeat, in a phrase
    with no top-level alternatives (r".{0,120}\b(?:press|hit|use) ctrl\s*\+\s*enter\b" gives
    "enter"); "" when there is none."""
    runs, run, depth, escaped = [], "", 0, False
    for char in phrase:
        if not escaped and depth == 0 and "a" <= char <= "z":
            run += char
            continue
        if not escaped and depth == 0 and char in "?*{":
            run = run[:-1]  # "colou?r": the letter before a repeat that may be zero is not needed
        if not escaped and depth == 0 and char == "|":
            return ""  # alternatives at the top: no word is needed by all of them
        runs.append(run)
        run = ""
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
    runs.append(run)
    return max((r for r in runs if len(r) >= 3), key=len, default="")


@dataclass(frozen=True)
class Needs:
    """A pattern that cannot match a line without ``needle`` (lower case, ASCII letters; checked
    on the case-folded line, as the pattern's case folding sees it)."""

    pattern: regex.Pattern
    needle: str

    def match(self, text: str):
        return self.pattern.match(text) if self.needle in fold(text) else None


# line -> its fold: the phrase gates and the body region's tests ask about the same lines, rule
# after rule. Bounded like _START_OF; a race between threads only folds a line twice.
_FOLD_OF: dict[str, str] = {}


def fold(text: str) -> str:
    """Text case folded in full, for tests that need a word in any case: "ſ" is "s", and "İ" is
    "i" (str.casefold adds a combining dot, which goes), as the case-blind patterns read them.
    (A word of ASCII letters that the case folded text holds, this holds too.)"""
    folded = _FOLD_OF.get(text)
    if folded is None:
        folded = text.casefold()
        if not folded.isascii():
            folded = folded.replace("\u0307", "")
        if len(_FOLD_OF) >= 1_024:
            _FOLD_OF.clear()
        _FOLD_OF[text] = folded
    return folded


@dataclass(frozen=True)
class AnyOf:
    """Several patterns that act as one: ``match`` gives the first pattern's match, or None."""

    patterns: tuple

    def match(self, text: str):
        for pattern in self.patterns:
            found = pattern.match(text)
            if found:
                return found
        return None


AD_MARKER = whole_line(AD_MARKERS)
COMMENT_WIDGET = whole_line(COMMENT_WIDGETS)
SHARE_PROMPT = whole_line(SHARE_PROMPTS)
NEWSLETTER_PROMPT = line_prefix(NEWSLETTER_PROMPTS)
CALL_TO_ACTION = whole_line(CALLS_TO_ACTION)
CORRECTION_PROMPT = line_prefix(CORRECTION_PROMPTS)
RELATED_HEADER_STRONG = header_line(RELATED_HEADERS_STRONG)
RELATED_HEADER_WEAK = header_line(RELATED_HEADERS_WEAK)
RELATED_LINK = gated(EDGE_OPEN, RELATED_LINK_PREFIX, r"\s*(?::|»|›|>|\||–|—|-)\s*(?P<headline>\S.*)$")

_PHOTO = alternation(PHOTO_AGENCIES)
_NAME = r"[\p{Lu}][\p{L}\p{M}.'’\-]*(?: [\p{L}\p{M}.'’\-]+){0,5}"
# The credit forms, each a pattern of its own that must end the line. The engine runs one of
# them in a few microseconds; joined into one alternation the same search took 20 times longer.
# Searched forward only, over the last 120 characters of a line (caption.py). A reverse search
# (regex.REVERSE) is faster on typical lines but takes exponential time on "aaaa…aaa /AP": found
# by tests/test_complexity.py, so not used.
_CREDIT_FORMS = (
    rf"(?:^|[\s.;,(\[])(?:{_PHOTO})(?:\s*-\s*(?:{_PHOTO}))*\s*/\s*[^/\n]{{1,60}}(?:/[^/\n]{{0,60}}){{0,6}}",  # EFE-EPA/NAME/AGENCY
    rf"(?:^|[\s(\[:])(?:{_NAME})\s*/\s*(?:{_PHOTO})\b[^.!?\n]{{0,60}}",  # Evan Vucci/AP
    rf"\(\s*(?:(?:{_PHOTO})\s+)?Photos?(?:\s*/\s*[^)\n]{{1,80}})?\s*\)",  # (AP Photo/Evan Vucci)
    rf"(?:^|\s)(?:{_NAME}\s+)?(?:via|for|/|\||:|©)\s*(?:Getty\s+Images|Shutterstock|iStock|Alamy|IMAGO|picture[ -]alliance)\b[^.!?\n]{{0,40}}",
    rf"\(\s*(?:Foto|Fotos|Bild|Photo|Image|Credit|Quelle)s?\s*:\s*[^)\n]{{1,80}}\)",
)
CAPTION_CREDIT_TAILS = tuple(regex.compile(rf"(?:{form})\s*[)\]]?\s*$", regex.V1) for form in _CREDIT_FORMS)


def ends_in_credit(text: str) -> bool:
    """The line ends in a photo credit (any of the credit forms)."""
    return any(pattern.search(text) for pattern in CAPTION_CREDIT_TAILS)


# Cheap test before the credit patterns: each credit form needs a slash or one of these words as
# written (the forms are case-sensitive), so a tail without them cannot end in a credit. ``re``,
# case-sensitive: a microsecond on a 120-character tail, a fifth of a case-insensitive ``regex``.
CREDIT_HINT = re.compile(r"/|Photo|Getty|Shutterstock|iStock|Alamy|IMAGO|picture|Foto|Bild|Image|Credit|Quelle")
CAPTION_LABEL = gated(r"^[\s(\[]*", CAPTION_LABELS, r"\s*(?::|©|\|)\s*\S")
CAPTION_BY = gated(r"^[\s(\[]*", ["photo", "image", "picture", "foto", "bild"], r"s?\s+(?:by|von|:)\s+\p{Lu}")

_SIGNOFF = alternation(SIGNOFF_AGENCIES)
# What stands right before a sign-off: the end of the last sentence, or a closing bracket. A
# sign-off may itself end with the bracket ("(AFP)"), never with the sentence's punctuation.
SIGNOFF_AFTER_SENTENCE = ".!?…\"”’»。！？"
SIGNOFF_AFTER_BRACKET = ")]"
# After the last sentence: "EFE", "(AFP)", "— Reuters", "dpa/lnw", "EFE ja/lb", "AFP/dpa".
SIGNOFF_TAIL = regex.compile(
    rf"""(?<=[{regex.escape(SIGNOFF_AFTER_SENTENCE + SIGNOFF_AFTER_BRACKET)}])\s*(?P<signoff>
        [(\[]?\s*[-–—]?\s*(?:{_SIGNOFF})(?:\s*/\s*(?:{_SIGNOFF}|[a-z]{{1,5}}))*\s*[)\]]?
        (?:\s+[a-z]{{1,4}}(?:\s*/\s*[a-z]{{1,4}})+)?
    )\s*$""",
    regex.VERBOSE | regex.V1,
)
SIGNOFF_LINE = regex.compile(
    rf"^\s*[(\[]?\s*[-–—]?\s*(?:{_SIGNOFF})(?:\s*/\s*(?:{_SIGNOFF}|[a-z]{{1,5}}))*\s*[)\]]?(?:\s+[a-z]{{1,4}}(?:\s*/\s*[a-z]{{1,4}})+)?\s*$",
    regex.V1,
)

# With ``re``, not ``regex``: regex backtracks quadratically on a long "x.x.x.…" token here.
STRAY_URL = re.compile(
    r"^[\s(<\[]*(?:(?:https?|ftp)://|www\.)\S+[\s)>\]]*$|^\S+\.(?:png|jpe?g|gif|webp|svg|avif|bmp)(?:\?\S*)?$"
    r"|^\s*\[email\s+protected\]\s*$",  # an address hidden by the site's e-mail obfuscation
    re.IGNORECASE,
)
