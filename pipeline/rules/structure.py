"""The shapes of the seeds' boilerplate, known without knowing the language.

Each function answers for one kept block; the rules that remove the same things (ad-marker,
comment-widget, correction-prompt, related-block, caption; signoff and body-region use
``phrases.AGENCY_CODE``) call them beside their phrase families, so a page in a language no pack
covers loses the same blocks, under the same rule name and switch.
"""
from __future__ import annotations

import regex

from ..engine import Page
from ..lang.phrases import AGENCY_CODE, CAPTION_LABEL, PHOTO_AGENCIES, alternation
from ..text.shape import ends_sentence, is_headline, words_of

_INTERSTITIAL_WORDS = 3  # "Advertisement", "Publicidad", "Реклама", "広告"
_INTERSTITIAL_CHARS = 40
_PROSE_WORDS = 8
_LETTER = regex.compile(r"\p{L}")


def is_interstitial(page: Page, index: int) -> bool:
    """A short line that stands twice or more on the page, each time as a paragraph of its own
    between two paragraphs of prose, and names nothing the page says elsewhere: an ad marker in
    any language ("Advertisement", "Publicidad", "Реклама")."""
    block = page.blocks[index]
    if block.words > _INTERSTITIAL_WORDS or len(block.text) > _INTERSTITIAL_CHARS or page.counts[block.text] < 2:
        return False
    if ends_sentence(block.text) or block.text.endswith((":", "：")) or not _LETTER.search(block.text):
        return False
    if not _between_prose(page, index):
        return False
    copies = [b.index for b in page.blocks if b.text == block.text]
    return all(_between_prose(page, i) for i in copies) and not _mentioned_elsewhere(page, block.text)


def _between_prose(page: Page, index: int) -> bool:
    blocks = page.blocks
    if index == 0 or index + 1 >= len(blocks):
        return False
    block, before, after = blocks[index], blocks[index - 1], blocks[index + 1]
    if before.para == block.para or after.para == block.para:
        return False  # a line of a list or a table, not a paragraph of its own
    return all(b.words >= _PROSE_WORDS and _ends_prose(b.text) for b in (before, after))


def _ends_prose(text: str) -> bool:
    """A sentence ends the line, perhaps before an agency's code no list has ("… wartawan. ANTARA")."""
    return ends_sentence(text) or AGENCY_CODE.search(text, max(0, len(text) - 40)) is not None


_WORD = regex.compile(r"\w+")


def _mentioned_elsewhere(page: Page, line: str) -> bool:
    """Whether most words of the line stand in other lines of the page: a subheading repeated for
    each item of a comparison ("TurboTax") names what its paragraphs speak of; an ad marker
    names nothing the story says ("Quảng cáo": one syllable of it may stand in a place name)."""
    words = {w.casefold() for w in _WORD.findall(line) if len(w) > 2 or not w.isascii()}
    if not words:
        return True
    found: set[str] = set()
    for text in page.counts:
        if text != line:
            found.update(words.intersection(w.casefold() for w in _WORD.findall(text)))
            if 2 * len(found) > len(words):
                return True
    return False


_CLOSING = frozenset(")）]")
# "Comments (0)", "Комментарии (12)", "评论（3）": a word or two and a count in brackets.
_COUNTER = regex.compile(r"^\W{0,2}\p{L}[\p{L}\p{M}'’ ]{0,30}?\s*[(（\[]\s*\d{1,6}\s*[)）\]]\W{0,2}$")


def is_counter(page: Page, index: int) -> bool:
    """A paragraph of its own that is a short label with a count in brackets: a comment counter
    (in a list, "Eggs (2)" stands with the other items in one paragraph and stays)."""
    block = page.blocks[index]
    if block.words > 4 or len(block.text) > 48 or not _CLOSING.intersection(block.text[-3:]):
        return False
    if not _COUNTER.match(block.text):
        return False
    return alone_in_paragraph(page, index)


def alone_in_paragraph(page: Page, index: int) -> bool:
    """The block is a paragraph of its own (a list's lines share their paragraph)."""
    blocks, para = page.blocks, page.blocks[index].para
    return (index == 0 or blocks[index - 1].para != para) and (index + 1 == len(blocks) or blocks[index + 1].para != para)


# How near the end of a text its last paragraph stands, signed off "… said. (AFP)" or "… ANTARA".
STORY_END_LINES = 6


def is_comment_shape(page: Page, index: int) -> bool:
    """A comment counter, or the prompt right after one at the end of the text ("Comentarios
    (0)" / an image link / "¡Escribe el primer comentario!")."""
    return is_counter(page, index) or (index >= len(page.blocks) - _PROMPT_LINES and is_comment_prompt(page, index))


_PROMPT_WORDS = 12
_PROMPT_LINES = 3  # a comment prompt stands among the text's last lines


def is_comment_prompt(page: Page, index: int) -> bool:
    """A short line among the last lines of the text, one or two lines after a comment counter."""
    blocks = page.blocks
    if index < len(blocks) - _PROMPT_LINES or blocks[index].words > _PROMPT_WORDS:
        return False
    return any(is_counter(page, i) for i in range(max(0, index - 2), index))


# The keys a correction prompt asks the reader to press, in any language ("… press Ctrl + Enter").
# The keys end the prompt, or nearly: in a story's sentence more follows them.
_KEYS = regex.compile(  # (a particle may cling to "Enter": "Enter를")
    r"\b(?:ctrl|strg)\s*\+\s*(?:enter|eingabe|entrée|intro|invio)(?![a-z])\w*\W*(?:\w+\W*){0,4}$", regex.IGNORECASE
)
_KEY_PROMPT_WORDS = 40
_KEY_LEAD_WORDS = 25


def is_key_prompt(page: Page, index: int) -> bool:
    """A line that asks the reader to press Ctrl + Enter to report an error, and the line before
    it in its paragraph (the prompt's first line: "To suggest a correction, write to us here")."""
    blocks = page.blocks
    if "+" in blocks[index].text and _asks_for_keys(blocks[index]):
        return True
    after = index + 1
    return (after < len(blocks) and "+" in blocks[after].text and blocks[after].para == blocks[index].para
            and blocks[index].words <= _KEY_LEAD_WORDS and _asks_for_keys(blocks[after]))


def _asks_for_keys(block) -> bool:
    return block.words <= _KEY_PROMPT_WORDS and "+" in block.text and _KEYS.search(block.text) is not None


_HEADER_WORDS = 8


def is_framed_header(page: Page, before: int, header: int, after: int) -> bool:
    """A short header line between two copies of one headline ("Headline" / "Other Topics of
    Interest" / "Headline"): a related-articles block in any language."""
    text = page.texts[before]
    if text != page.texts[after] or not is_headline(text):
        return False
    block = page.blocks[header]
    return block.words <= _HEADER_WORDS and is_headline(block.text) and page.texts[header] != text


# A photo credit without a known agency: after the caption's last sentence, names or agencies
# joined by slashes, one of them an agency's code in capitals ("… 2023. EFE-EPA/ИВАН ПЕТРОВ/POOL");
# or a label and a name in brackets at the end ("(Foto: Juan Pérez)", "（图/新华社）").
_SLASH_CREDIT = regex.compile(  # (a name in a script without case starts with any of its letters)
    r"(?:[.!?。！？।]\s*|(?<=[\u0e00-\u0eff)])\s+)(?=[^/]{0,40}/|.*/[^/]{0,40}$)(?=.*\b\p{Lu}{2,}\b)"
    r"[\p{Lu}\p{Lo}][\p{L}\p{M}.\-'’ ]{0,40}(?:\s*/\s*[\p{Lu}\p{Lo}][\p{L}\p{M}.\-'’ ]{0,40}){1,6}$"
)
_BRACKET_CREDIT = regex.compile(  # the label: a word, or up to four characters of a script without case
    r"[(（]\s*(?:[\p{L}\p{M}--\p{Lo}]{1,12}|\p{Lo}{1,4})\s*[:：/]\s*[\p{Lu}\p{Lo}][\p{L}\p{M}.\-'’]*(?:\s[\p{L}\p{M}.\-'’]+){0,3}\s*[)）]$"
)
# "… este martes. - Rober Solsona - Europa Press": a name and an agency after dashes.
_DASH_CREDIT = regex.compile(r"[.!?。]\s*[-–—]\s*\p{Lu}[\p{L}\p{M}.'’ ]{1,40}?\s+[-–—]\s+\p{Lu}[\p{L}\p{M}.'’ ]{1,30}$")
# "… (كونا)", "… (EFE)": a known agency alone in brackets at the end
_AGENCY_IN_BRACKETS = regex.compile(rf"[(（]\s*(?:{alternation(PHOTO_AGENCIES)})\s*[)）]$")
_CAPTION_MIN_WORDS = 5
_AGENCY_CAPTION_WORDS = 30  # a caption is a sentence or two; a paragraph that cites its agency is longer


def ends_in_any_credit(text: str, words: int, near_end: bool = True) -> bool:
    """A descriptive line (four words or more before its credit) that ends in a credit of one of
    the shapes above. ``near_end``: the line is among the last of the text, where a story's last
    sentence and its agency in brackets stand ("… said. (AFP)")."""
    if words < _CAPTION_MIN_WORDS:
        return False
    start = max(0, len(text) - 120)
    found = _SLASH_CREDIT.search(text, start) if "/" in text[start:] else None
    if found is None and text.endswith((")", "）")):
        credit = _BRACKET_CREDIT.search(text, start)
        agency = None if credit else _AGENCY_IN_BRACKETS.search(text, start)
        found = credit or agency
        if found is not None and ends_sentence(text[: found.start()].rstrip()) and not (
                (credit and CAPTION_LABEL.match(text[found.start() + 1 : -1]))
                or (agency and not near_end and words <= _AGENCY_CAPTION_WORDS)):
            return False  # a sentence and a note in brackets: prose with its source, not a caption
    if found is None and ("-" in text[start:] or "–" in text[start:] or "—" in text[start:]):
        found = _DASH_CREDIT.search(text, start)
    return found is not None and words_of(text[: found.start() + 1]) >= _CAPTION_MIN_WORDS - 1
