"""Where the article body starts and ends in a full page written out as plain text.

Every kept line gets a score from its shape: prose (many words, sentence punctuation) scores
its word count; menu-like lines (short with no punctuation, or long runs of capitalised words
with no sentence in them), lines repeated on the page and page chrome (consent, legal, account
lines) score below zero. The body is the contiguous run of lines with the highest total (maximum
subarray), cut at the first page-end marker (a comment form, "Related posts", tags) once enough
body precedes it; a standfirst above the date or byline joins it. The headline is the
headline-shaped line just before the body that best matches the page's first line (its <title>).
"""
from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass
from typing import Iterator, Sequence

import regex

from ..lang import page_phrases, phrases
from ..engine import TITLE_RULE, Page
from ..model import Block, Finding
from ..text.shape import ends_sentence, is_headline, is_word_salad
from .structure import STORY_END_LINES

_WORDS = regex.compile(r"\w+")


# A line of 15+ words with no sentence in it, over half of them capitalised: a menu, a list of
# topics or countries. Without this it would score like prose by its length.
_SALAD_WORDS = 15
_SALAD_CAPITALISED = 0.55
# A long line that does not end a sentence (a list item, a table row, a caption, text run into a
# menu) counts for a tenth of its words: it may join a body but does not make one.
_UNFINISHED_SHARE = 0.1

class Kind(enum.Enum):
    """Lines that are never body, removed wherever they stand; each with its reason code."""

    CHROME = "body-region.chrome"  # navigation, legal, account and consent lines
    META = "body-region.metadata"  # a date, byline or reading time
    BIO = "body-region.biography"  # an author's biography
    # A site's notice about itself (editorial policy, an appeal to donate, a form's terms): no
    # barrier in the body region, since it also stands between a guide's method and its sources.
    NOTICE = "body-region.site-notice"


CHROME, META, BIO, NOTICE = Kind.CHROME, Kind.META, Kind.BIO, Kind.NOTICE


def line_score(page: Page, block: Block, wrapped: dict[int, bool] | None = None) -> float | Kind:
    """Prose (10+ words ending a sentence or introducing a list with a colon) scores its word
    count up to 60, a long line that ends no sentence a tenth of that; short and unfinished
    lines, and long lines of capitalised words with no sentence in them (menus on one line),
    score below zero."""
    special = special_score(block)
    if special is not None:
        return special
    words, text = block.words, block.text
    # a line of a hard-wrapped paragraph ends a sentence when its paragraph does
    ends = wrapped[block.para] if wrapped and block.para in wrapped else ends_sentence(text)
    if not ends and words >= 10 and text[-1:].isupper() and block.index >= len(page.blocks) - STORY_END_LINES:
        # the story's last sentence, then an agency's code that no list has ("… wartawan. ANTARA")
        ends = phrases.AGENCY_CODE.search(text, max(0, len(text) - 40)) is not None
    score: float
    if words >= _SALAD_WORDS and not ends and is_word_salad(text, _SALAD_WORDS, _SALAD_CAPITALISED):
        score = -2.0  # a menu flattened onto one line is long, but it is not prose
    elif words >= 10 and (ends or text.endswith(":")):
        score = min(words, 60)
    elif words >= 25:
        score = min(words, 60) * _UNFINISHED_SHARE
    elif words >= 5 and ends:
        score = 1.0
    elif words <= 4 and not ends:
        score = -2.0
    else:
        score = -1.0
    if page.repeated(block.index):
        score -= 4.0
    return score


_LOWER_START = regex.compile(r"^[\"'“‘«(]*\p{Ll}")


def wrapped_paragraphs(blocks: Sequence[Block]) -> dict[int, bool]:
    """The paragraphs of prose wrapped onto several lines (a hard-wrapped text, as wire services
    and mail send it: most lines after the first go on with a lower-case word), each with
    whether it ends a sentence."""
    found: dict[int, bool] = {}
    if not blocks or blocks[-1].para == len(blocks) - 1:
        return found  # every paragraph a line of its own (paragraphs are numbered from 0)
    start = 0
    for end in range(1, len(blocks) + 1):
        if end < len(blocks) and blocks[end].para == blocks[start].para:
            continue
        lines = blocks[start:end]
        continued = sum(1 for b in lines[1:] if _LOWER_START.match(b.text))
        if continued and continued * 2 >= len(lines) - 1:
            found[lines[0].para] = ends_sentence(lines[-1].text)
        start = end
    return found


def special_score(block: Block) -> Kind | None:
    """The kind of a line that is never body wherever it stands, else None."""
    words, text = block.words, block.text
    # Length caps as well as word caps: a line of 40,000 dashes has no words, and these patterns
    # would spend quadratic time on it. Metadata, chrome and consent lines are short.
    if words <= 12 and len(text) <= 300 and page_phrases.may_be_meta(text) and page_phrases.META_LINE.match(text):
        return META
    folded = page_phrases.fold(text) if words <= 120 and len(text) <= 3000 else ""  # for the consent and notice tests
    if is_chrome(text, words, folded):
        return CHROME
    if 4 <= words <= 80 and len(text) <= 800 and page_phrases.is_site_notice(folded):
        return NOTICE
    if words <= 150 and len(text) <= 1200 and _may_be_bio(text) and page_phrases.AUTHOR_BIO.match(text):
        return BIO
    return None


def _may_be_bio(text: str) -> bool:
    """A cheap necessary condition for AUTHOR_BIO: "About the author"/"Über den Autor" (case
    folded in full, as the pattern does), or a name of two words, the first of two characters
    or more and neither in lower case (the second may be a particle: "Jan van Dyk"); and then
    its verb ("is", "was", "has been", "ist", "war") among the first nine words: the name has
    five words at most, the lead three, unless a bracket stands after the name ("Ana Costa
    (Lisbon) is …"). Much cheaper than the pattern on a line of prose."""
    words = text.split(maxsplit=9)  # not lower case: a capital, or a character Python does not know
    if not (text[:20].casefold().startswith(_BIO_LEADS)
            or (len(words) >= 2 and len(words[0]) >= 2 and not words[0][:1].islower()
                and (not words[1][:1].islower() or words[1].startswith(_NAME_PARTICLES)))):
        return False
    head = words[1:9]
    if "(" in text or not _BIO_VERBS.isdisjoint(head):
        return True
    return not text.isascii() and any(len(word) <= 3 and not word.isascii() for word in head)


_BIO_LEADS = ("about the author", "über den autor", "über die autorin")
# The verbs ("has" of "has been") in every ASCII case: an ASCII word is one of them, as the
# pattern's case folding sees it, exactly when it is in this set. A word with other characters
# and three at most is left to the pattern ("İs" is "is" to it; none of its matches is longer).
_BIO_VERBS = frozenset("".join(letters) for verb in ("is", "was", "has", "ist", "war")
                       for letters in itertools.product(*((c, c.upper()) for c in verb)))


_NAME_PARTICLES = ("von", "van", "de", "der", "da", "and", "und", "&")


def is_author_box(name: Block, bio: Block) -> bool:
    """A name line, then a biography that starts with that name: "Jane Doe" / "Jane has written …"."""
    if name.words > 6 or not 8 <= bio.words <= 150 or len(bio.text) > 1200:
        return False
    found = page_phrases.AUTHOR_NAME.match(name.text)
    if not found or not bio.text.startswith(found["name"].split()[0]):
        return False
    return bool(page_phrases.BIO_AFTER_NAME.match(bio.text))


def is_chrome(text: str, words: int, folded: str) -> bool:
    """Navigation, legal, account and consent lines (``folded``: the line as ``page_phrases.fold``
    makes it)."""
    if words <= 30 and len(text) <= 600 and (page_phrases.PAGE_CHROME_LINE.match(text) or page_phrases.PAGE_CHROME_PREFIX.match(text)):
        return True
    return words <= 120 and len(text) <= 3000 and _may_be_consent(folded) and bool(page_phrases.CONSENT.match(text))


def _may_be_consent(folded: str) -> bool:
    """A cheap necessary condition for CONSENT (it needs "cookie" or "technical storage")."""
    return "cookie" in folded or "technical storage" in folded


def best_run(scores: list[float]) -> tuple[int, int]:
    """Maximum-sum contiguous run (Kadane); (0, -1) when nothing scores above zero."""
    best, best_span = 0.0, (0, -1)
    total, start = 0.0, 0
    for position, value in enumerate(scores):
        if total <= 0:
            total, start = value, position
        else:
            total += value
        if total > best:
            best, best_span = total, (start, position)
    return best_span


@dataclass(frozen=True)
class BodyRegionRule:
    name: str = "body-region"
    min_blocks: int = 8  # shorter texts are taken to be all body
    min_body_words: int = 150  # body words before a page-end marker may cut the region
    title_window: int = 8  # how far before the body the headline may stand
    chrome_weight: float = 40.0  # how much a chrome line counts against it (chrome is removed anyway)
    meta_weight: float = 40.0  # how much a metadata line counts against it
    extra_share: float = 0.35  # a further run joins the body if it scores this share of the main run
    rounds: int = 3  # how many times the body is looked for again in what the last round kept
    standfirst_window: int = 8  # how far above the body a standfirst may stand

    def find(self, page: Page) -> Iterator[Finding]:
        """Find the body, then look again at what was kept: once chrome and widgets are gone,
        junk that clung to the body stands apart (a few rounds, until nothing changes)."""
        if page.kind != "text":
            yield from self._chrome_only(page)  # extracted HTML: the body is found already
            return
        kept = page.kept_indexes()
        wrapped = wrapped_paragraphs(page.blocks)
        score_of = {i: line_score(page, page.blocks[i], wrapped) for i in kept}  # the same in every round
        for name, bio in zip(kept, kept[1:]):  # an author box: the biography is known by the line above it
            if is_author_box(page.blocks[name], page.blocks[bio]):
                score_of[bio] = BIO
        for round_number in range(self.rounds):
            if len(kept) < self.min_blocks:
                return
            findings = list(self._round(page, kept, [score_of[i] for i in kept], with_title=round_number == 0))
            if not findings:
                return
            yield from findings
            removed = {finding.index for finding in findings}
            kept = [i for i in kept if i not in removed]

    def _chrome_only(self, page: Page) -> Iterator[Finding]:
        """Extracted HTML is body already: only its chrome, metadata and author biographies go,
        and an author box that came with the article: from an "About the author" heading after
        enough body to the end. (Not from the other page-end markers: in a page's markup a
        "Related articles" box also stands inside the article, with the story going on below.)"""
        before, ended = 0, False
        for i in page.kept_indexes():
            block = page.blocks[i]
            ended = ended or (before >= self.min_body_words and block.words <= 4
                              and block.text.rstrip(" :").casefold() in _BIO_LEADS)
            if ended:
                yield Finding(i, self.name, "body-region.author-box")
                continue
            before += block.words
            kind = special_score(block)
            if kind is not None:
                yield Finding(i, self.name, kind.value)

    def _round(self, page: Page, kept: Sequence[int], scores: list[float | Kind], with_title: bool) -> Iterator[Finding]:
        weights = [self._weight(s) for s in scores]
        start, end = best_run(weights)
        if end < start:
            return
        cut = self._cut_at_page_end(page, kept, scores, start, end)
        body = self._body_positions(page, kept, weights, start, end, cut)
        body |= self._standfirst(scores, min(body))
        first, last = min(body), max(body)
        title = self._title(page, kept, scores, first) if with_title else None
        if title is not None:
            yield Finding(kept[title], TITLE_RULE, "title.above-body")
        for position, i in enumerate(kept):
            if position != title:
                code = self._code(position, body, first, last, scores[position])
                if code:
                    yield Finding(i, self.name, code)

    @staticmethod
    def _code(position: int, body: set[int], first: int, last: int, score: float | Kind) -> str | None:
        if position < first:
            return "body-region.before"
        if position > last:
            return "body-region.after"
        if position not in body:
            return "body-region.between"
        return score.value if isinstance(score, Kind) else None

    def _body_positions(self, page: Page, kept: Sequence[int], weights: list[float], start: int, end: int, cut: int) -> set[int]:
        """The main run, plus further runs on either side that score enough on their own."""
        body = set(range(start, cut + 1))
        if not self.extra_share:
            return body
        floor = self.extra_share * sum(weights[start : end + 1])
        low = start
        while low > 0:  # runs before the main one
            s, e = best_run(weights[:low])
            if e < s or sum(weights[s : e + 1]) < floor:
                break
            body.update(range(s, e + 1))
            low = s
        high = cut + 1 if cut == end else len(kept)  # nothing after a page-end marker
        limit = next((p for p in range(high, len(kept)) if self._is_end(page, kept, p)), len(kept))
        while high < limit:  # runs after it, up to the next page-end marker
            s, e = best_run(weights[high:limit])
            if e < s or sum(weights[high + s : high + e + 1]) < floor:
                break
            body.update(range(high + s, high + e + 1))
            high += e + 1
        return body

    @staticmethod
    def _is_end(page: Page, kept: Sequence[int], position: int) -> bool:
        """A page-end marker ("Related posts"), unless it stands between two copies of a headline:
        then it heads a related block inside the story (the seed layout), and the story goes on."""
        block = page.blocks[kept[position]]
        if block.words > 15 or len(block.text) > 300 or not page_phrases.PAGE_END.match(block.text):
            return False
        return not (0 < position < len(kept) - 1 and page.texts[kept[position - 1]] == page.texts[kept[position + 1]])

    def _weight(self, score: float | Kind) -> float:
        if score is META:
            return -self.meta_weight
        if score is CHROME or score is BIO:
            return -self.chrome_weight
        if score is NOTICE:
            return -1.0  # as a short line that is not body
        return score

    def _standfirst(self, scores: list[float | Kind], first: int) -> set[int]:
        """The standfirst of a news article: prose just above the body with a date or byline
        between them, and perhaps small lines around it (share buttons, a photo credit):
        headline / standfirst / "12.03.2024, by Ana Costa" / body."""
        found: set[int] = set()
        seen_meta = False
        for position in range(first - 1, max(-1, first - 1 - self.standfirst_window), -1):
            score = scores[position]
            if score is META:
                seen_meta = True
            elif score is CHROME or score is BIO:
                break
            elif not isinstance(score, Kind) and score >= 10:  # prose: 10+ words ending a sentence
                if not seen_meta:
                    break
                found.add(position)
            elif found:
                break
        return found

    def _cut_at_page_end(self, page: Page, kept: Sequence[int], scores: list[float | Kind], start: int, end: int) -> int:
        """Cut before the first page-end marker that follows enough body."""
        prose = [page.blocks[kept[p]].words if not isinstance(scores[p], Kind) and scores[p] > 1 else 0
                 for p in range(len(kept))]
        before = 0
        for position in range(start, end + 1):
            if before >= self.min_body_words and self._is_end(page, kept, position):
                return position - 1
            before += prose[position]
        return end

    def _title(self, page: Page, kept: Sequence[int], scores: list[float | Kind], start: int) -> int | None:
        first_line = set(_WORDS.findall(page.blocks[kept[0]].text.lower())) if kept else set()
        best, best_overlap = None, -1.0
        for position in range(start - 1, max(-1, start - 1 - self.title_window), -1):
            text = page.blocks[kept[position]].text
            if isinstance(scores[position], Kind) or not is_headline(text, min_words=3, max_words=30):
                continue  # page chrome and metadata are no headline (a repeated line may be)
            words = set(_WORDS.findall(text.lower()))
            overlap = len(words & first_line) / len(words) if words else 0.0
            if overlap > best_overlap + 0.2 or best is None:
                best, best_overlap = position, overlap
        return best


BODY_REGION = BodyRegionRule()
