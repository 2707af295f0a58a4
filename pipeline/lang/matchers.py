"""Fast line matchers built from phrase lists (regular-expression fragments in lower case, matched
ignoring case): a whole line (``whole_line``, ``header_line``), the start of a line
(``line_prefix``), or an edge, one phrase and a rest given by the caller (``gated``).

A line meets only the phrases that can begin it (``Gated``), so the cost of a line does not grow
with the number of phrase lists; phrases that no line start can gate wait for a word they need
(``Needs``). Line patterns are compiled with ``re`` where they can be (``line_pattern``), the rest
with ``regex``. Phrases spell out what ``regex``'s full case folding gave them ("schlie(?:ß|ss)en").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import regex


def alternation(families: dict[str, list[str]] | list[str]) -> str:
    phrases = [p for lang in families.values() for p in lang] if isinstance(families, dict) else list(families)
    return "|".join(f"(?:{p})" for p in phrases)


def verbose(pattern: str) -> str:
    """A pattern fragment as a ``regex.VERBOSE`` pattern reads it the same: its spaces and '#' escaped."""
    return pattern.replace(" ", r"\ ").replace("#", r"\#")


# A whole line: optional bullets/arrows/brackets around the phrase, optional closing colon.
EDGE_OPEN = r"^[\s\-–—•·*>»›|#\[(¡¿【]*"
_EDGE_CLOSE = r"[\s:.!?…\-–—»›>|)\]：。！？】]*$"


class Gated:
    """A line pattern that starts with edge characters and a phrase alternation, behind a gate
    built from the phrases themselves: the plain characters one of which each match starts with
    (``leads_of``: "spon" of "sponsored(?: content)?", "kom" and "comm" of "(?:kom|comm)ents").
    A line whose start, past the edge characters and case folded, begins with none of them
    cannot match, and skips the engine after a dictionary lookup and a ``startswith``: most
    lines of a page, in every script, whatever the number of packs. Leads are bucketed by their
    first character, and each bucket has a pattern of its own with the phrases that have a lead
    in it, in their order: a line is tried against the few phrases that can begin it, not all
    of them. The gate only ever says "cannot match" where the pattern cannot, and a bucket's
    pattern answers as the whole pattern does (tests/test_properties.py compares them)."""

    __slots__ = ("source", "_leads", "_patterns", "_starts")
    _MAX_STARTS = 10_000  # memo entries per pattern; the memo starts afresh when full

    def __init__(self, edge: str, phrases: list[str], rest: str, lead: str = "") -> None:
        self.source = (lead, edge, tuple(phrases), rest)
        leads_by_phrase = [leads_of(p) for p in phrases]
        self._leads = _buckets(set().union(*leads_by_phrase))
        members: dict[str, list[str]] = {}
        for phrase, leads in zip(phrases, leads_by_phrase):
            for first in {x[0] for x in leads}:
                members.setdefault(first, []).append(phrase)
        # compiled when a line first reaches a bucket: most runs meet a few of the packs' scripts
        self._patterns: dict = {first: f"{lead}{edge}(?:{alternation(group)}){rest}" for first, group in members.items()}
        self._starts: dict[str, bool] = {}  # a line's start -> whether a lead begins it

    @property
    def pattern(self):
        """The whole pattern, every phrase in one alternation (what the gate stands for)."""
        lead, edge, phrases, rest = self.source
        return line_pattern(f"{lead}{edge}(?:{alternation(list(phrases))}){rest}")

    def match(self, text: str):
        start = _START_OF.get(text)
        if start is None:
            start = _line_start(text)
        can = self._starts.get(start)
        if can is None:
            if len(self._starts) >= self._MAX_STARTS:
                self._starts.clear()
            leads = self._leads.get(start[:1])
            can = self._starts[start] = leads is not None and start.startswith(leads)
        if not can:
            return None
        pattern = self._patterns[start[0]]
        if isinstance(pattern, str):  # a race between threads only compiles it twice
            pattern = self._patterns[start[0]] = line_pattern(pattern)
        return pattern.match(text)


# Every character an edge of these patterns may skip (EDGE_OPEN's, a superset of the others').
_EDGE = re.compile(r"[\s\-–—•·*>»›|#\[(¡¿【]*")
_EDGE_CHARS = frozenset("-–—•·*>»›|#[(¡¿【")
# ``re`` also matches "ı" to "i" when it ignores case (and "İ" to "i": ``fold`` drops its dot)
_RE_FOLDS = str.maketrans({"ı": "i"})
_DIGITS = re.compile(r"\d+")
# line -> its folded start: the patterns asked about one line share it. Bounded; a race between
# threads only computes a start twice.
_START_OF: dict[str, str] = {}


def _line_start(text: str) -> str:
    head = text[: _LEAD_GOAL + 4]
    if head.isascii() and head[:1].isalpha():  # most lines: no edge, no digits, lower() folds them
        start = head.lower()[:_LEAD_GOAL]
    else:
        edge = _EDGE.match(text).end()
        digits = _DIGITS.match(text, edge)
        if digits:  # a run of digits reads as one "0", as a phrase's leading \d+ does (leads_of), and
            rest = text[digits.end() : digits.end() + _LEAD_GOAL + 8]  # the spaces after it as one
            start = ("0" + (" " if rest[:1].isspace() else "") + fold_key(rest.lstrip()))[:_LEAD_GOAL]
        else:
            start = fold_key(text[edge : edge + _LEAD_GOAL + 4])[:_LEAD_GOAL]
    if len(_START_OF) >= 1_024:
        _START_OF.clear()
    _START_OF[text] = start
    return start


def fold_key(text: str) -> str:
    """Text folded as ``re`` ignores case: case folded, "İ" without its dot, "ı" as "i"."""
    folded = text.casefold()
    if not folded.isascii():
        folded = folded.replace("\u0307", "").translate(_RE_FOLDS)
    return folded


_META = frozenset("\\[](){}|.*+?^$")
_LEAD_GOAL = 8  # expanding groups and classes stops once a lead is this long
_MAX_LEADS = 256  # a phrase that expands to more leads is not gated
_MAX_CLASS = 64  # a class of more characters is not expanded


@functools.lru_cache(maxsize=None)
def leads_of(phrase: str) -> frozenset[str]:
    r"""The starts, in plain characters folded as line starts are, one of which every match of a
    phrase begins with: {"sponsored"} of "sponsored(?: content)?", {"colo"} of "colou?r",
    {"kommentar", "kommentare"} of "(?:kommentar|kommentare)", {"pub"} of "publicit[ée]"; a
    leading group's alternatives and a small class's characters are expanded; {""} where a match
    can start with anything (a wildcard, an escape class, a longer class)."""
    for goal in (_LEAD_GOAL, 4, 2, 1):  # shorter leads where a phrase expands to too many
        leads = set().union(*(_expand(alt, "", goal) for alt in _split_top(phrase)))
        if len(leads) <= _MAX_LEADS:
            break
    else:
        return frozenset({""})
    stripped = {lead.lstrip("".join(_EDGE_CHARS)).lstrip() for lead in leads}  # the gate skips edges
    return frozenset(fold_key(lead)[:_LEAD_GOAL] for lead in stripped)


def _expand(rest: str, prefix: str, goal: int) -> set[str]:
    """The leads of ``prefix`` and then ``rest``, one alternative (no "|" at its top level)."""
    position = 0
    while position < len(rest) and len(prefix) < goal:
        char = rest[position]
        if char == "\\":
            if rest.startswith("\\d", position) and not prefix:  # "\d+ comments": digits, read as "0"
                after = rest[position + 2 :]
                if after[:1] in ("?", "*") or after.startswith("{0"):
                    return {prefix}
                after = after[1:] if after[:1] == "+" else after[after.find("}") + 1 :] if after[:1] == "{" else after
                if after.startswith("\\s?"):  # a line's start has one space at most after its digits
                    return _expand(after[3:], "0 ", goal) | _expand(after[3:], "0", goal)
                if after.startswith("\\") or after[:1] in ("+", "*", "?", "{"):
                    return {"0"}
                return _expand(after, "0", goal)
            if position + 1 >= len(rest) or rest[position + 1].isalnum():
                return {prefix}  # \d, \w, \b: no plain character
            char, position = rest[position + 1], position + 1  # an escaped mark: "\*", "\."
            if rest[position + 1 : position + 2] == "?":
                after = rest[position + 2 :]
                return _expand(after, prefix + char, goal) | _expand(after, prefix, goal)
        elif char == "(":
            close = _closing(rest, position)
            body = rest[position + 1 : close]
            if body.startswith(("?=", "?!", "?<")) and not body.startswith("?P<"):
                return {prefix}
            body = body.split(":", 1)[1] if body.startswith("?") else body
            after = rest[close + 1 :]
            optional = after[:1] in ("?", "*") or after.startswith("{0")
            after = after[1:] if after[:1] in "?*+" else after
            if after.startswith("{"):
                if optional:
                    return {prefix}
                # at least once: every match starts with one of the group's alternatives
                return set().union(*(_expand(alt, prefix, goal) for alt in _split_top(body)))
            found = set().union(*(_expand(alt + after, prefix, goal) for alt in _split_top(body)))
            return found | _expand(after, prefix, goal) if optional else found
        elif char == "[":
            close = rest.find("]", position + 2)
            chars = rest[position + 1 : close]
            after = rest[close + 1 :]
            if close < 0 or len(chars) > _MAX_CLASS or "\\" in chars or "^" in chars or "-" in chars[1:-1] or after[:1] in ("*", "{"):
                return {prefix}
            found = set().union(*(_expand(c + after.lstrip("+?"), prefix, goal) for c in chars))
            return found | _expand(after[1:], prefix, goal) if after[:1] == "?" else found
        elif char in _META:
            if char in "?*{":
                prefix = prefix[:-1]  # the character before an optional repeat is not needed
            return {prefix}
        elif rest[position + 1 : position + 2] == "?":  # with the character and without it
            after = rest[position + 2 :]
            return _expand(after, prefix + char, goal) | _expand(after, prefix, goal)
        elif position + 1 < len(rest) and rest[position + 1] in "*{":
            return {prefix}  # this character may be missing
        prefix += char
        position += 1
    return {prefix}


def _scan(pattern: str):
    """(position, character, depth) of each character of a pattern outside escapes and classes;
    depth counts the groups open around it (a group's brackets stand at the depth outside it)."""
    depth, escaped, in_class = 0, False, False
    for position, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        else:
            in_class = char == "["
            if char == ")":
                depth -= 1
            yield position, char, depth
            if char == "(":
                depth += 1


def _split_top(pattern: str) -> list[str]:
    """A pattern's alternatives at its top level."""
    cuts = [position for position, char, depth in _scan(pattern) if char == "|" and depth == 0]
    return [pattern[start + 1 : end] for start, end in zip([-1, *cuts], [*cuts, len(pattern)])]


def _closing(pattern: str, open_at: int) -> int:
    """Where the group opened at ``open_at`` closes."""
    opened = None
    for position, char, depth in _scan(pattern):
        if position == open_at:
            opened = depth
        elif opened is not None and char == ")" and depth == opened:
            return position
    return len(pattern)


def _buckets(leads: set[str]) -> dict[str, tuple[str, ...]]:
    buckets: dict[str, list[str]] = {}
    for lead in sorted(leads):
        buckets.setdefault(lead[0], []).append(lead)
    return {first: tuple(group) for first, group in buckets.items()}


def line_pattern(source: str):
    """A case-insensitive line pattern: compiled with ``re`` where it can be, which compiles these
    long alternations several times faster than ``regex`` (every run pays it at start-up) and
    runs them faster; with ``regex`` where the pattern needs it (``\\p{Lu}``)."""
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error:
        return regex.compile(source, regex.IGNORECASE | regex.V1)


def gated(edge: str, families, rest: str, lead: str = "") -> "Gated | AnyOf":
    """``edge``, then one phrase of the families, then ``rest``, gated on the line's start; the
    phrases without a lead (``leads_of``) in a pattern of their own, tried after the gated one.
    ``lead`` (a lookahead over the whole line) goes first in the pattern."""
    phrases = [p for lang in families.values() for p in lang] if isinstance(families, dict) else list(families)
    leads = [leads_of(p) for p in phrases]
    with_lead = [p for p, found in zip(phrases, leads) if "" not in found]
    without = [p for p, found in zip(phrases, leads) if "" in found]
    patterns: list = []
    if with_lead:
        patterns.append(Gated(edge, with_lead, rest, lead))
    for group, needles in _by_needles(without):
        pattern = line_pattern(f"{lead}{edge}(?:{alternation(group)}){rest}")
        patterns.append(Needs(pattern, needles) if needles else pattern)
    return patterns[0] if len(patterns) == 1 else AnyOf(tuple(patterns))


def whole_line(families) -> Gated:
    return gated(EDGE_OPEN, families, _EDGE_CLOSE)


def header_line(families) -> Gated:
    """A whole line that does not end like a sentence: a header, not prose."""
    return gated(EDGE_OPEN, families, r"[\s:\-–—»›>|)\]]*$", lead=r"(?!.*[.!?…][\"'”’)]*\s*$)")


# The end of a word: a non-word character or the line's end, or any place after a character of a
# script written without spaces (a Chinese phrase goes on into the next word with no space).
_WORD_END = r"(?:(?=\W|$)|(?<=[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]))"


def line_prefix(families) -> "Gated | AnyOf":
    """The start of a line, up to a word boundary (so "subscribe" does not match "Subscribers")."""
    phrases = [p for lang in families.values() for p in lang] if isinstance(families, dict) else list(families)
    # A phrase that starts with a wildcard (".{0,120} press ctrl+enter") is tried at every length
    # before the others get their turn: in one alternation with them it made every line cost
    # several times more. Such phrases get a pattern of their own.
    led = [p for p in phrases if not p.startswith(".")]
    patterns = []
    if led:
        found = gated(EDGE_OPEN, led, _WORD_END)
        patterns.extend(found.patterns if isinstance(found, AnyOf) else (found,))
    for group, needles in _by_needles([p for p in phrases if p.startswith(".")]):  # no start to gate on
        pattern = regex.compile(f"{EDGE_OPEN}(?:{alternation(group)}){_WORD_END}", regex.IGNORECASE | regex.V1)
        patterns.append(Needs(pattern, needles) if needles else pattern)
    return patterns[0] if len(patterns) == 1 else AnyOf(tuple(patterns))


def _by_needles(phrases: list[str]) -> list[tuple[list[str], tuple[str, ...]]]:
    """Phrases with words they need (``needles_of``) as one group behind all those words, and
    the phrases without any as another: each group is one pattern."""
    needing = {p: needles_of(p) for p in phrases}
    groups = [([p for p in phrases if needing[p]], tuple(sorted({n for p in phrases for n in needing[p]}))),
              ([p for p in phrases if not needing[p]], ())]
    return [(group, needles) for group, needles in groups if group]


def needles_of(phrase: str) -> tuple[str, ...]:
    """Strings one of which every match of a phrase holds, folded as ``Needs`` folds lines: its
    longest plain word (``_needle``), else the leads of a group it cannot match without
    ("直送", "送达", … of "….{0,20}(?:直送|送达|…)…"); () when there is none."""
    needle = _needle(phrase)
    if needle:
        return (needle,)
    best: frozenset[str] = frozenset()
    opened = 0
    for position, char, depth in _scan(phrase):
        if depth:
            continue
        if char == "|":
            return ()  # alternatives at the top: no group is needed by all of them
        if char == "(":
            opened = position
        elif char == ")":
            after = phrase[position + 1 : position + 3]
            if after[:1] not in ("?", "*") and not after.startswith("{0"):
                body = phrase[opened + 1 : position]
                body = body.split(":", 1)[1] if body.startswith("?:") else body
                leads = leads_of(body) if not body.startswith("?") else frozenset({""})
                if "" not in leads and (not best or min(map(len, leads)) > min(map(len, best))):
                    best = leads
    return tuple(sorted(best))


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
    """A pattern that cannot match a line without one of ``needles`` (checked on the case-folded
    line, as the pattern's case folding sees it)."""

    pattern: regex.Pattern
    needles: tuple[str, ...]

    def match(self, text: str):
        folded = fold(text)
        if "ı" in folded:  # "i" to ``re`` (fold_key)
            folded = folded.replace("ı", "i")
        for needle in self.needles:
            if needle in folded:
                return self.pattern.match(text)
        return None


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
