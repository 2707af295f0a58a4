"""Phrase families of full pages written out as plain text: navigation, legal, consent and
account lines, metadata (dates, bylines, reading times) and the markers after which only the
page's tail follows. Used by the body-region rule; built like ``phrases``, with ``matchers``.
"""
from __future__ import annotations

import re

import regex

from . import families
from .matchers import EDGE_OPEN, alternation, fold, fold_key, gated, leads_of, line_prefix, verbose, whole_line

# Lines that belong to the page around an article (navigation, consent, legal, account), and lines
# after which, once the body has been long enough, only the page's tail follows (openings that can
# also introduce a link inside the body, "You might also like: <headline>", stand alone on their line).
PAGE_CHROME_LINES = families("chrome_lines")
PAGE_CHROME_PREFIXES = families("chrome_prefixes")
PAGE_END_PREFIXES = families("page_end_prefixes")
PAGE_CHROME_LINE = whole_line(PAGE_CHROME_LINES)
PAGE_CHROME_PREFIX = line_prefix(PAGE_CHROME_PREFIXES)
PAGE_END = gated(EDGE_OPEN, PAGE_END_PREFIXES, "")

# Metadata lines: dates, reading times, bylines, comment timestamps (whole lines, <= 12 words).
# Month names of every pack, spelled out (``_MONTH``: as the pattern reads them), or as the one
# token ``META_LINE`` replaces them with (a character of the private use area).
_MONTH = rf"(?:{verbose(alternation(families('months')))})\.?"
_MONTH_TOKEN = "\ue000"
# the forms of a date: "12 March 2024", "March 12, 2024", "12 de marzo de 2024", "12.03.2024", YYYY-MM-DD, "2024年3月12日"
_DATE = (rf"(?:(?:\d{{1,2}}\.?\s+(?:de\s+)?{_MONTH},?|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?)(?:\s+(?:de\s+)?\d{{4}})?"
         rf"|{_MONTH}\s+\d{{4}}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
         r"|(?:\d{4}\s*[年년]\s*)?\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일])")
_TIME = r"(?:\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\.?)?(?:\s*(?:uhr|[A-Z]{2,4}))?)"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:mon|tue|wed|thu|fri|sat|sun)\.?|(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)"
# A person's name, case-sensitive inside the case-insensitive patterns: "Ana Costa", "Jan van Dyk".
_PERSON = r"(?-i:\p{Lu}[\p{L}.'’\-]+(?:\s+(?:\p{Lu}[\p{L}.'’\-]+|von|van|de|der|da|and|und|&)){1,4})"
_BYLINE = verbose(alternation(families("byline_words")))  # "by", "von", "author:"
_DATE_WORDS = verbose(alternation(families("date_words")))  # "published on", "aktualisiert am"
_AT = verbose(alternation(families("time_words")))  # "at", "um", "à": between a date and its time

def meta_pattern(month: str = _MONTH) -> regex.Pattern:
    """The metadata line pattern, with ``month`` for the month names of its dates."""
    return regex.compile(meta_source(month), regex.IGNORECASE | regex.VERBOSE | regex.V1)


def meta_source(month: str) -> str:
    date = _DATE.replace(_MONTH, month)
    # One item of metadata; a line of metadata holds one or several, one after the other
    # ("Jun 08, 2023 • 11 min read", "Posted on May 3, 2024 by Ana Costa").
    item = rf"""(?:
            (?:(?:{_DATE_WORDS})(?::?\s+|：\s*))?
                (?:(?:{_WEEKDAY}),?\s+)?{date}\.?(?:,?\s*(?:{_AT}|-|–|\|)?\s*{_TIME})?
          | (?:\d+|a|an|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago
          | vor\s+\d+\s+(?:sekunden|minuten|stunden|tagen|wochen|monaten|jahren)
          | \d+\s*(?:-\s*)?(?:min(?:ute)?s?\.?|minuten)\s+(?:read|reading\ time|lesezeit|lesedauer)
          | (?:estimated\ )?(?:lesezeit|lesedauer|reading\ time):?\s*\d+\s*(?:min(?:uten|utes?)?\.?)
          | (?:{_BYLINE}):?\s+{_PERSON}
          | [\d.,]+\s*[km]?\s+(?:shares?|views?|likes?|reads?|aufrufe|kommentare)
        )"""
    # ... and a name alone is a byline when a date or a time stands after it ("Ana Costa • Oct 20, 2025").
    when = rf"""(?:
            (?:(?:{_WEEKDAY}),?\s+)?{date}\.?(?:,?\s*(?:{_AT}|-|–|\|)?\s*{_TIME})?
          | (?:\d+|a|an|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago
          | vor\s+\d+\s+(?:sekunden|minuten|stunden|tagen|wochen|monaten|jahren)
        )"""
    return (
        rf"""^[\s|•·\-–—]*(?:
            {item}(?:[\s|•·\-–—,]+{item}){{0,3}}
          | {_PERSON}\s*[|•·\-–—,]\s*{when}(?:[\s|•·\-–—,]+{item}){{0,2}}
          | (?:{_BYLINE}):?\s+{_PERSON}(?:\s*[,|•·\-–]\s*.{{0,60}})?
          | .{{1,60}}\s+(?:{date})\s+(?:{_AT})\s+{_TIME}
          | (?:reply|antworten|report|melden|like|gefällt\ mir)
          | \S+(?:\s\S+){{0,3}}\s+(?:says|said|sagt|schreibt|wrote):
        )[\s|•·\-–—.]*$"""
    )


class _MetaLine:
    """Metadata lines (dates, bylines, reading times, comment timestamps; whole lines). The month
    names of all packs, spelled out in the pattern, would make it slow to compile and to run: a
    line that may hold one (a word that starts like a month, ``leads_of``) has its month names
    replaced by one token first, and the pattern knows only the token. ``match`` answers as the
    spelled-out pattern does (tests/test_properties.py); its match object is of the line with the
    token in it, or of the line as it is when only that matches."""

    def __init__(self) -> None:
        months = families("months")
        self._months = re.compile(rf"(?<!\w)(?:{alternation(months)})\.?(?!\w)", re.IGNORECASE)
        # Words the pattern reads otherwise too ("ago": August in Spanish, and "an hour ago") stay
        # as they are, spelled out as months beside the token.
        words = set(_LETTERS.findall(meta_source("(?!)").casefold()))
        self._kept = frozenset(w for w in words if self._months.fullmatch(w))
        kept = "".join(f"|{regex.escape(w)}" for w in sorted(self._kept))
        self.pattern = meta_pattern(rf"(?:{_MONTH_TOKEN}{kept})\.?")
        leads = set().union(*(leads_of(p) for lang in months.values() for p in lang))
        self._leads = None if "" in leads else frozenset(leads)
        self._lengths = sorted({len(lead) for lead in leads})

    def match(self, text: str):
        if self.may_hold_month(text):
            tokened = self._months.sub(self._token, text)
            if tokened != text:  # a month's name may also be a person's ("By Jan Novak")
                return self.pattern.match(tokened) or self.pattern.match(text)
        return self.pattern.match(text)

    def _token(self, found: re.Match) -> str:
        month = found.group()
        return month if month.rstrip(".").casefold() in self._kept else _MONTH_TOKEN

    def may_hold_month(self, text: str) -> bool:
        if self._leads is None:
            return True
        leads, lengths = self._leads, self._lengths
        return any(word[:n] in leads for word in _LETTERS.findall(fold_key(text)) for n in lengths)


_LETTERS = re.compile(r"[^\W\d_]+")
META_LINE = _MetaLine()
# A cheap necessary condition for META_LINE, several times faster than the full pattern (whose
# form ".{1,60} <date> at <time>" backtracks over the line). Dates, times, reading times and
# "vor 3 Minuten" need a digit and more (below). The other forms each have a need of their
# own in the case-folded line: "an hour ago" needs "ago"; a byline ("By …", "Author: …", "Text:
# …"), a lone "Reply" or "Like" and a count written without digits (". views") need their word
# or "."/"," first, behind the edge characters; "Ana says:" needs the verb and its colon. The edge
# is skipped with ``re``'s \s, which holds every character of ``regex``'s (and \x1c-\x1f too).
_DIGIT = re.compile(r"\d")
_META_EDGE = re.compile(r"[\s|•·\-–—]*")
_META_LEADS = (*sorted(set().union(*(leads_of(p) for lang in families("byline_words").values() for p in lang))), "reply", "antworten", "report", "melden", "like", "gefällt", ".", ",")
_META_SAYS = ("says:", "said:", "sagt:", "schreibt:", "wrote:")


# A digit makes a line metadata only in a date or a time ("12.03.", "10:30", "12月", or a month's
# name), a duration ("3 hours ago", "5 min read", "vor 3 Minuten") or a count ("1.2k views").
_NUMERIC = re.compile(r"\d\s*[./:\-年月日년월일]|[年月日년월일]\s*\d")
_DIGIT_WORDS = ("ago", "vor", "min", "read", "lese", "share", "view", "like", "aufruf", "kommentar")


def may_be_meta(text: str) -> bool:
    digit = _DIGIT.search(text) is not None
    if digit and _NUMERIC.search(text) is not None:
        return True
    folded = fold(text)
    if digit and (any(word in folded for word in _DIGIT_WORDS) or META_LINE.may_hold_month(text)):
        return True
    if "ago" in folded or folded.startswith(_META_LEADS, _META_EDGE.match(folded).end()):
        return True
    return ":" in folded and any(verb in folded for verb in _META_SAYS)


# Consent banners: cookies together with the words of a consent notice (anchored lookaheads:
# each scans the line once).
CONSENT = regex.compile(
    r"^(?=.*\bcookies?\b)(?=.*\b(?:website|webseite|browser|experience|nutzererlebnis|accept|akzeptieren|preferences|einstellungen|consent|zustimm\w*|einwillig\w*|tracking|analytics|advertising|partners|datenschutz|privacy)\b)"
    r"|^.*technical storage or access",
    regex.IGNORECASE | regex.V1,
)

# A site's notice about how it works, in or beside the article: its editorial policy, that its
# picks are independent, that ads or readers pay for it ("Products are chosen independently by
# our editors.", "Advertising on our site helps support our mission.", "See our editorial
# policy."), and its appeal to readers to pay ("Enjoyed this piece? We need your help to keep
# publishing.", "Donate via …"). Searched anywhere in a line, since the notice is often one
# sentence of a short paragraph; in the case-folded line (``fold``), and only after a test for
# its key words (``_has_notice_key``): the pattern has many alternatives and no common start.
_SITE_NOTICE = re.compile(
    r"\b(?:advertising|ads) (?:on (?:our|this) (?:site|website) )?(?:helps?|allows? us to) (?:support|fund|keep)"
    r"|\bis (?:a )?reader-supported\b|\breader-supported (?:site|publication|website|blog)\b"
    r"|\b(?:see|visit|read|explore|view|check out) our (?:full )?editorial (?:policy|guidelines|standards|process)"
    r"|\b(?:chosen|selected|picked) independently by\b|\bindependently (?:chosen|selected|picked)(?: and (?:reviewed|tested))? by (?:us|our)\b"
    r"|\b(?:von (?:unserer|der) redaktion )?unabhängig ausgewählt|\bunsere redaktionellen (?:richtlinien|standards|grundsätze)"
    # ... and its appeal to readers to pay for it
    r"|\b(?:support|donate to) (?:us|our (?:work|journalism|mission|newsroom|site|podcast|channel))\b|\bwe need your (?:help|support)\b"
    r"|\bkept alive by (?:reader |your )?donations|\bbecome a (?:patron|paying supporter)\b|\b(?:one-off|monthly|one-time) donations?\b"
    r"|\bdonate (?:today|now|via|here)\b|\bunterstützen sie (?:unsere arbeit|unabhängigen journalismus)\b|\bjetzt spenden\b"
)


# ... and the terms its forms make their senders agree to ("By submitting your email you agree to
# our Privacy Policy", "I have read the privacy policy and agree …", "Mit dem Absenden …
# akzeptieren Sie …"). A pattern of its own, behind tests of its own (``_may_be_form_terms``):
# searched anywhere, a pattern of many alternatives costs time at every character of the line,
# and "agree" alone is common in prose ("the agreements reached").
_FORM_BY = ("submitting", "entering", "providing", "clicking", "checking", "signing up", "subscribing", "registering",
            "continuing")
_FORM_MIT = ("dem absenden", "der anmeldung", "ihrer anmeldung", "klick auf", "der registrierung")
_FORM_TERMS = re.compile(
    rf"\bby (?:{'|'.join(_FORM_BY)})\b.{{0,200}}?"
    r"\b(?:you|i) (?:agree|accept|consent|acknowledge|are consenting|certify)\b"
    r"|^(?:and )?(?:you )?agree to (?:our|the) (?:terms|privacy policy)"
    r"|^i (?:have read|agree|accept|consent|would like to (?:subscribe|receive))\b.{0,150}?"
    r"\b(?:privacy|terms|conditions|e-?mails?|newsletters?|marketing|contacted|personal data)"
    r"|\bmit (?:dem absenden|der anmeldung|ihrer anmeldung|(?:dem|einem) klick auf|der registrierung)\b.{0,200}?"
    r"\b(?:akzeptier|stimm|willig|erklär|bestätig)\w*"
    r"|^ich (?:habe die datenschutz\w*|willige ein|stimme (?:zu|der|den|dem)|bin damit einverstanden|akzeptiere die)"
)


# ... and the prompt to fill out its contact form, with the promise to answer ("Please fill out the
# form below, and one of our producers will follow up within 48 hours", "Call us or fill out this
# quick form and we will contact you within 24 hours!", "Füllen Sie das Formular aus", "wir melden
# uns innerhalb von 24 Stunden"). The promise needs the site speaking ("we", "one of our …", "our
# team") and a time ("within", "shortly", "soon"): "a nurse will call you within two days" is a
# guide's prose.
_CONTACT_PROMPT = re.compile(
    r"^\W{0,4}(?:please )?fill (?:out|in) (?:the|this|our) (?:[\w-]+ ){0,2}form\b"
    r"|^\W{0,4}(?:bitte )?füllen sie (?:das|dieses|unser) (?:[\w-]+ )?formular\b"
)
_CONTACT_PROMISE = re.compile(
    r"\b(?:we|one of our [\w ]{1,30}?|a member of our [\w ]{1,30}?|our team)(?: will|’ll|'ll) "
    r"(?:contact you|follow up(?: with you)?|get back to you|reach out(?: to you)?|be in touch|call you(?: back)?)\b"
    r".{0,20}?\b(?:within|shortly|soon|as soon as|in the next)\b"
    r"|\bwir (?:melden uns|setzen uns)\b.{0,40}?\b(?:innerhalb|umgehend|schnellstmöglich|in kürze|zeitnah)\b"
)
_MAX_PROMISE_CHARS = 300  # the promise stands in a short line of its own or with the prompt


def is_site_notice(folded: str) -> bool:
    """Whether a line, case folded, holds a site's notice about itself (or its forms' terms, or
    the prompt to fill out its contact form)."""
    if _has_notice_key(folded) and _SITE_NOTICE.search(folded) is not None:
        return True
    if _may_be_form_terms(folded) and _FORM_TERMS.search(folded) is not None:
        return True
    head = folded[:16]  # the prompt's opening words stand in the line's first characters
    if ("fill" in head or "füll" in head) and _CONTACT_PROMPT.match(folded) is not None:
        return True
    return len(folded) <= _MAX_PROMISE_CHARS and _may_be_promise(folded) and _CONTACT_PROMISE.search(folded) is not None


def _may_be_promise(folded: str) -> bool:
    """A cheap necessary condition for _CONTACT_PROMISE: its time word, then its verb. Few scans
    of the line, and none that prose passes often (a gate on " you" and "form", as in
    "information", would run the pattern on most lines)."""
    if "within" in folded or "soon" in folded or "shortly" in folded or "in the next" in folded:
        return ("contact you" in folded or "follow up" in folded or "get back to you" in folded
                or "reach out" in folded or "in touch" in folded or "call you" in folded)
    return "wir " in folded and ("wir melden uns" in folded or "wir setzen uns" in folded)


def _may_be_form_terms(folded: str) -> bool:
    """A cheap necessary condition for _FORM_TERMS: each of its forms needs its opening words."""
    if folded.startswith(("i ", "ich ", "agree ", "and agree ", "you agree ", "and you agree ")):
        return True
    if "by " in folded and any(verb in folded for verb in _FORM_BY):
        return True
    return "mit " in folded and any(words in folded for words in _FORM_MIT)


def _has_notice_key(folded: str) -> bool:
    # One of these words is in every match of _SITE_NOTICE, and they are rare in prose: the
    # pattern (many alternatives, no common start) seldom runs. The tests are spelled out (any()
    # over a tuple costs more) and made line by line: once on the whole page they cost more, as
    # casefold and search are slower on a long text that is not ASCII.
    return ("advertising " in folded or "ads " in folded or "reader-supported" in folded or "editorial " in folded
            or "independently " in folded or "unabhängig ausgewählt" in folded or "redaktionellen " in folded
            or "support us" in folded or "support our" in folded or "donat" in folded or "we need your" in folded
            or "become a p" in folded or "spenden" in folded or "unterstützen" in folded)


# An author's biography: a person's name (two or more capitalised words), "is/was/has been" and,
# within a few words, a job of someone who writes: "Jane Doe is a freelance writer …", "Max
# Muster ist Redakteur …". A sentence in a story may say the same of a person it is about; the
# job list keeps to the jobs of people who write pages, not those that stories are about.
_JOB = (r"(?:writer|editor|journalist|reporter|correspondent|columnist|contributor|blogger|copywriter|photographer|videographer|"
        r"content (?:specialist|strategist|creator|marketer|manager|lead)|"
        r"redakteur(?:in)?|journalist(?:in)?|autor(?:in)?|korrespondent(?:in)?|kolumnist(?:in)?)s?")
AUTHOR_BIO = regex.compile(
    rf"^(?:about the author:?\s*|über (?:den autor|die autorin):?\s*)?{_PERSON}(?:\s*\([^)]{{1,40}}\))?\s+(?:is|was|has\s+been|ist|war)\s+(?:\S+\s+){{0,5}}?{_JOB}\b",
    regex.IGNORECASE | regex.V1,
)
# An author box: a line with only a name ("Jane Doe", "By Jane Doe"), then a biography that starts
# with that name and says the person writes ("Jane has written for …", "Jane Doe is an editor …").
AUTHOR_NAME = regex.compile(
    r"^(?:(?:by|von|written by|author:?)\s+)?(?P<name>(?-i:\p{Lu}[\p{L}.'’\-]+(?:\s+\p{Lu}[\p{L}.'’\-]+){0,3}))$",
    regex.IGNORECASE | regex.V1,
)
BIO_AFTER_NAME = regex.compile(
    rf"^\S+(?:\s+\S+){{0,3}}?\s+(?:is|was|has|joined|ist|war|hat)\b.{{0,150}}?(?:\b{_JOB}\b|\bwrit(?:ten|es|ing)\b|\bschreibt\b)",
    regex.IGNORECASE | regex.V1,
)
