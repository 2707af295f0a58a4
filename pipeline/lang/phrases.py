"""Matchers for boilerplate phrases, built from the language packs (``pipeline.lang``) with
``pipeline.lang.matchers``: one named pattern per concept, every language in it.

Whole-line families match a block only when the entire line, less surrounding punctuation and
bullets, is one of the phrases; so a sentence in the body that merely mentions an advertisement,
a photo or comments never matches. Prefix families match the start of a short line. Rules apply
them only to lines under a length cap, so that no pattern meets a 40,000-character line
(tests/test_complexity.py).
"""
from __future__ import annotations

import re

import regex

from . import INTL, families
from .matchers import EDGE_OPEN, alternation, gated, header_line, line_prefix, verbose, whole_line
from .matchers import AnyOf, Gated, Needs, _needle, needles_of  # noqa: F401 (tests/test_properties.py reads them here)

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

AD_MARKER = whole_line(AD_MARKERS)
COMMENT_WIDGET = whole_line(COMMENT_WIDGETS)
SHARE_PROMPT = whole_line(SHARE_PROMPTS)
NEWSLETTER_PROMPT = line_prefix(NEWSLETTER_PROMPTS)
CALL_TO_ACTION = whole_line(CALLS_TO_ACTION)
CORRECTION_PROMPT = line_prefix(CORRECTION_PROMPTS)
RELATED_HEADER_STRONG = header_line(RELATED_HEADERS_STRONG)
RELATED_HEADER_WEAK = header_line(RELATED_HEADERS_WEAK)
RELATED_LINK = gated(EDGE_OPEN, RELATED_LINK_PREFIX, r"\s*(?::|：|»|›|>|\||–|—|-|】)\s*(?P<headline>\S.*)$")

_PHOTO = alternation(PHOTO_AGENCIES)
_NAME = r"[\p{Lu}][\p{L}\p{M}.'’\-]*(?: [\p{L}\p{M}.'’\-]+){0,5}"
# The credit forms, each a pattern of its own that must end the line: joined into one alternation
# the same search takes many times longer.
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
# case-sensitive: several times cheaper than a case-insensitive ``regex``.
CREDIT_HINT = re.compile(r"/|Photo|Getty|Shutterstock|iStock|Alamy|IMAGO|picture|Foto|Bild|Image|Credit|Quelle")
CAPTION_LABEL = gated(r"^[\s(\[]*", CAPTION_LABELS, r"\s*(?::|：|©|\|)\s*\S")
CAPTION_BY = gated(r"^[\s(\[]*", ["photo", "image", "picture", "foto", "bild"], r"s?\s+(?:by|von|:)\s+\p{Lu}")

_SIGNOFF = alternation(SIGNOFF_AGENCIES)
# What stands right before a sign-off: the end of the last sentence, or a closing bracket. A
# sign-off may itself end with the bracket ("(AFP)"), never with the sentence's punctuation.
SIGNOFF_AFTER_SENTENCE = ".!?…\"”’»。！？।"
SIGNOFF_AFTER_BRACKET = ")]）"
# After the last sentence: "EFE", "(AFP)", "— Reuters", "dpa/lnw", "EFE ja/lb", "AFP/dpa".
SIGNOFF_TAIL = regex.compile(
    rf"""(?<=[{regex.escape(SIGNOFF_AFTER_SENTENCE + SIGNOFF_AFTER_BRACKET)}])\s*(?P<signoff>
        [(\[（]?\s*[-–—]?\s*(?:{verbose(_SIGNOFF)})(?:\s*/\s*(?:{verbose(_SIGNOFF)}|[a-z]{{1,5}}))*\s*[)\]）]?
        (?:\s+[a-z]{{1,4}}(?:\s*/\s*[a-z]{{1,4}})+)?
    )\s*$""",
    regex.VERBOSE | regex.V1,
)
# An agency's code in capitals after the story's last sentence, for agencies no list has: "… war.
# ANTARA", "… году. ТАСС".
AGENCY_CODE = regex.compile(  # (or after a Thai or Lao word and a space: those scripts end no sentence with a mark)
    rf"(?:(?<=[{regex.escape(SIGNOFF_AFTER_SENTENCE)}])\s*|(?<=[\u0e00-\u0eff])\s+)"
    rf"(?P<signoff>[(\[]?\s*[-–—]?\s*\p{{Lu}}{{2,8}}(?:[-/]\p{{Lu}}{{2,8}})?\s*[)\]]?)\s*$"
)
SIGNOFF_LINE = regex.compile(
    rf"^\s*[(\[（]?\s*[-–—]?\s*(?:{_SIGNOFF})(?:\s*/\s*(?:{_SIGNOFF}|[a-z]{{1,5}}))*\s*[)\]）]?(?:\s+[a-z]{{1,4}}(?:\s*/\s*[a-z]{{1,4}})+)?\s*$",
    regex.V1,
)

# With ``re``, not ``regex``: regex backtracks quadratically on a long "x.x.x.…" token here.
STRAY_URL = re.compile(
    r"^[\s(<\[]*(?:(?:https?|ftp)://|www\.)\S+[\s)>\]]*$|^\S+\.(?:png|jpe?g|gif|webp|svg|avif|bmp)(?:\?\S*)?$"
    r"|^\s*\[email\s+protected\]\s*$",  # an address hidden by the site's e-mail obfuscation
    re.IGNORECASE,
)
