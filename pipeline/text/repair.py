"""Encoding repair: ftfy with options chosen on purpose, then NFC and whitespace.

The output has ``\\n`` line breaks only, no control characters, no zero-width junk, single spaces
inside lines and no spaces at line ends. Line count is kept, so block line numbers point into the
raw input.
"""
from __future__ import annotations

import re
import unicodedata
from re import _constants as sre, _parser  # to read ftfy's pattern (_lone_triggers)
from collections import Counter
from dataclasses import dataclass

import ftfy
from ftfy.badness import BADNESS_RE
import regex

# ftfy's defaults straighten curly quotes and fold full-width letters and ligatures: we keep
# the text as written and only undo damage. HTML entities are decoded in plain text (a scraper
# that wrote "&amp;" meant "&"); extracted HTML text is already unescaped, so it is left alone.
_FTFY_COMMON = dict(
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=True,
    fix_surrogates=True,
    remove_control_chars=True,
    normalization="NFC",
    explain=True,
)
FTFY_TEXT = ftfy.TextFixerConfig(unescape_html=True, **_FTFY_COMMON)
FTFY_HTML = ftfy.TextFixerConfig(unescape_html=False, **_FTFY_COMMON)

# Invisible characters with no job in clean text. ZWJ/ZWNJ (U+200C/D) are kept: they shape
# Persian, Indic scripts and emoji sequences.
_ZERO_WIDTH = regex.compile("[\u200b\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Tabs and the space separators (Unicode category Zs; a test checks the list against \p{Zs}),
# as a plain character class: ``re`` runs it several times faster than ``regex``'s \p{Zs}.
ZS_SPACES = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_SPACES = re.compile(f"[{ZS_SPACES}\t]+")
_LINE_BREAKS = regex.compile(r"\r\n?|[\u2028\u2029\x85]")
# What is left of a UTF-8 non-breaking space read as cp1252 ("Â\xa0") once the space itself has
# gone (trimmed at the end of an HTML paragraph, or before a symbol, where ftfy does not restore
# it): an "Â" that ends a word not in capitals, or stands alone ("cats.Â", "Price:Â $5", "mind. Â";
# not "ÂNGELO" or "CÂ").
_LOST_NBSP = regex.compile(r"(?<!\p{Lu})Â(?=\s|$)")


# Characters that make ftfy or _strip_invisible change a line: C0 and C1 controls, ftfy's
# control list, surrogates, invisible and bidi characters; "&" too in plain text (entities).
_INVISIBLE_CLASS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060\u2066-\u2069\u206a-\u206f\ufeff\ufff9-\ufffc\ud800-\udfff"
)
_TRIGGER_HTML = re.compile(f"[{_INVISIBLE_CLASS}]")
_TRIGGER_TEXT = re.compile(f"[&{_INVISIBLE_CLASS}]")
# The only trigger characters that str.isprintable() passes (a test checks this against every code
# point): a printable line without them has no trigger, found at C speed, much faster than the
# character class search.
PRINTABLE_TRIGGERS = {_TRIGGER_HTML: ("\ufffc",), _TRIGGER_TEXT: ("&", "\ufffc")}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_BAD_SPAN = 6  # the longest match of ftfy's mojibake pattern; each match holds a non-ASCII character


def _has_trigger(line: str, trigger: re.Pattern) -> bool:
    if line.isprintable():
        for char in PRINTABLE_TRIGGERS[trigger]:  # (a loop: any() over a generator costs twice as much)
            if char in line:
                break
        else:
            return False
    return trigger.search(line) is not None


def _lone_triggers(pattern) -> frozenset[str] | None:
    """The characters that can make a match of ftfy's badness pattern with only ASCII around
    them; None unless every other branch needs two adjacent non-ASCII characters.

    Each branch of the pattern is a row of character items. An item none of whose characters is
    ASCII needs a non-ASCII character. A branch with one such item can match one non-ASCII
    character among ASCII ones: that item's characters are the triggers (the C1 controls, "Â",
    "Ã", "Œ", "œ"). In every other branch those items stand side by side, so a match needs a
    run of two non-ASCII characters. A lone non-ASCII character that is no trigger (a curly
    quote, a dash, "é" between ASCII letters) is then in no match. Read from ftfy's own pattern
    (pinned), so a new ftfy version that breaks this gives None, and every run is searched."""
    try:
        (top,) = _parser.parse(pattern.pattern, pattern.flags)
        if top[0] is not sre.BRANCH:
            return None
        triggers: set[int] = set()
        for branch in top[1][1]:
            needs = [i for i, item in enumerate(branch) if _non_ascii_codes(item, sre)]
            if len(needs) == 1:
                triggers |= _non_ascii_codes(branch[needs[0]], sre)
            elif not needs or needs != list(range(needs[0], needs[-1] + 1)):
                return None
        return frozenset(map(chr, triggers))
    except Exception:  # the parser's internals moved: no shortcut
        return None


def _non_ascii_codes(item, sre) -> set[int]:
    """The characters of one item of a parsed pattern if it matches exactly one character, none
    of them ASCII; else an empty set."""
    op, arg = item
    if op is sre.LITERAL:
        return {arg} if arg >= 128 else set()
    if op is not sre.IN:
        return set()  # \s, \w, ".", "^", a repeat: may match ASCII or nothing
    codes: set[int] = set()
    for kind, value in arg:
        if kind is sre.LITERAL and value >= 128:
            codes.add(value)
        elif kind is sre.RANGE and value[0] >= 128:
            codes.update(range(value[0], value[1] + 1))
        else:
            return set()  # an ASCII member, a category or a negation
    return codes


_LONE_TRIGGERS = _lone_triggers(BADNESS_RE)


def _looks_bad(line: str) -> bool:
    """``ftfy.badness.is_bad(line)``, searched only near non-ASCII characters (same answer, much
    faster on mostly-ASCII lines: every match of ftfy's pattern is at most _BAD_SPAN characters
    long and holds a non-ASCII character; ``search(line, pos)`` keeps ``^`` at the real start).
    A lone non-ASCII character that is no trigger (``_lone_triggers``) opens no window: a news
    line's curly quotes would each cost a pattern search."""
    start = end = -1
    triggers = _LONE_TRIGGERS
    for run in _NON_ASCII.finditer(line):
        if triggers is not None and run.end() - run.start() == 1 and run.group() not in triggers:
            continue
        lo, hi = max(0, run.start() - _BAD_SPAN + 1), run.end() + _BAD_SPAN - 1
        if lo > end:
            if end >= 0 and BADNESS_RE.search(line, start, end):
                return True
            start = lo
        end = hi
    return end >= 0 and BADNESS_RE.search(line, start, end) is not None


@dataclass(frozen=True)
class Repaired:
    text: str
    repairs: tuple[tuple[str, int], ...]  # (fixer, lines it changed): ("mojibake sloppy-windows-1252 -> utf-8", 3)


def _ascii_lines_clean(text: str, html_extracted: bool) -> bool:
    """Whether every ASCII line of ``text`` is left as it is, tested on the whole text instead
    of line by line: no "&" (plain text only: entities), no ASCII control character but the line
    break (an ASCII line is then printable), no doubled space and no space at a line's ends (at
    the text's ends or beside a line break). False may still leave them alone. On its UTF-8
    bytes: a scan of a str that is not ASCII costs several times more, and in UTF-8 every byte
    below 0x80 is an ASCII character."""
    data = text.encode("utf-8", "surrogatepass")
    if not html_extracted and b"&" in data:
        return False
    if b"  " in data or b" \n" in data or b"\n " in data or data[:1] == b" " or data[-1:] == b" ":
        return False
    return len(data.translate(None, _ASCII_CONTROLS)) == len(data)


_ASCII_CONTROLS = bytes(range(32)).replace(b"\n", b"") + b"\x7f"


def repair(text: str, html_extracted: bool = False) -> Repaired:
    """Repair ``text`` line by line; say what was done, with counts."""
    config = FTFY_HTML if html_extracted else FTFY_TEXT
    counts: Counter[str] = Counter()
    if "\r" in text or (not text.isascii() and ("\x85" in text or "\u2028" in text or "\u2029" in text)):
        text, breaks = _LINE_BREAKS.subn("\n", text)  # (str.isascii is O(1); the scans are at C speed)
        if breaks:
            counts["line breaks normalised to LF"] += breaks
    ascii_clean = _ascii_lines_clean(text, html_extracted)
    if ascii_clean and text.isascii() and not counts:
        return Repaired(text, ())
    trigger = _TRIGGER_HTML if html_extracted else _TRIGGER_TEXT
    lines = text.split("\n")
    for number, line in enumerate(lines):
        # Most lines need nothing from ftfy; it would return them unchanged, so skip it (it is
        # most of the cost of cleaning): ASCII without "&" or controls, or non-ASCII without
        # controls, invisible characters or mojibake, already in NFC.
        if line.isascii():
            if ascii_clean:
                continue
            if "&" not in line and line.isprintable():
                if "  " in line or line[:1] == " " or line[-1:] == " ":
                    line = _tidy_spaces(line, counts)
                lines[number] = line
                continue
        elif not _has_trigger(line, trigger) and not _looks_bad(line) and unicodedata.is_normalized("NFC", line):
            if not is_tidy(line):
                line = _tidy_spaces(line, counts)
            lines[number] = line
            continue
        lines[number] = _tidy_spaces(_fix(line, config, counts), counts)
    text = "\n".join(lines)
    if "Â" in text:  # rare: only then a second look, line by line (repairs are counted per line)
        for number, line in enumerate(lines):
            if "Â" in line:
                line, lost = _LOST_NBSP.subn("", line)
                if lost:
                    counts["lost non-breaking space removed (a stray Â)"] += 1
                    lines[number] = _tidy_spaces(line, counts)
        text = "\n".join(lines)
    return Repaired(text, tuple(sorted(counts.items())))


_ROUNDS = 4  # ftfy rounds on one line at most; real text needs one, a hidden sequence two


def _fix(line: str, config: ftfy.TextFixerConfig, counts: Counter) -> str:
    """ftfy, then the invisible characters out; again while that changes the line. A soft hyphen
    can sit inside mojibake and hide it from ftfy ("\xadÂ\x80" -> "Â€", which is "€" once the
    hyphen is gone); it cannot go first, as it is also part of some mojibake ("Ã\xad" is "í").
    Repair must give text that a second repair leaves alone."""
    for _ in range(_ROUNDS):
        fixed, steps = ftfy.fix_and_explain(line, config)
        if steps:
            counts[_describe(steps)] += 1
        stripped = _strip_invisible(fixed, counts)
        if stripped == fixed or stripped == line:
            return stripped
        line = stripped
    return line


_FIX_NAMES = {
    "unescape_html": "html entities decoded",
    "remove_control_chars": "control characters removed",
    "fix_c1_controls": "C1 controls fixed",
    "remove_terminal_escapes": "terminal escapes removed",
    "fix_surrogates": "surrogates fixed",
    "restore_byte_a0": "lost non-breaking space restored",
    "replace_lossy_sequences": "lossy sequences replaced",
    "decode_inconsistent_utf8": "inconsistent utf-8 decoded",
    "fix_line_breaks": "line breaks fixed",
}


def _describe(steps) -> str:
    """ftfy's explanation as words: ``mojibake sloppy-windows-1252 -> utf-8; html entities decoded``."""
    names: list[str] = []
    for step, name in steps:
        if step == "encode":
            names.append(f"mojibake {name}")
        elif step == "decode" and names and names[-1].startswith("mojibake"):
            names[-1] += f" -> {name}"
        elif step == "normalize":
            names.append(f"unicode {name}")
        else:
            names.append(_FIX_NAMES.get(name, name))
    return "; ".join(names)


def _strip_invisible(line: str, counts: Counter) -> str:
    line, zero_width = _ZERO_WIDTH.subn("", line)
    if zero_width:
        counts["zero-width and bidi controls removed"] += 1
    line, controls = _CONTROL.subn("", line)
    if controls:
        counts["control characters removed"] += 1
    if not unicodedata.is_normalized("NFC", line):
        line = unicodedata.normalize("NFC", line)
        counts["unicode NFC"] += 1
    return line


def is_tidy(line: str) -> bool:
    """Whether ``_tidy_spaces`` would leave the line as it is, without a regex scan: a printable
    line has no tab and no space but " " (the other spaces are category Zs, not printable), so
    only doubled spaces and spaces at its ends would change."""
    return line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " "


def _tidy_spaces(line: str, counts: Counter) -> str:
    tidy = _SPACES.sub(" ", line).strip()
    if tidy != line and tidy != line.strip():
        counts["whitespace collapsed"] += 1
    return tidy
