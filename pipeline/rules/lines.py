"""Rules that judge one line by itself against a phrase family."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

import regex

from ..lang import phrases
from ..engine import Page
from ..model import Finding
from ..text.shape import is_headline
from .structure import is_comment_shape, is_interstitial, is_key_prompt


@dataclass(frozen=True)
class LineRule:
    """Remove every kept line that ``pattern`` matches and that has at most ``max_words`` words
    and ``max_chars`` characters (a line of punctuation has no words but may be huge); and, with
    ``shape``, every line of the same thing's language-free shape (``structure``)."""

    name: str
    code: str
    pattern: "regex.Pattern | re.Pattern"
    max_words: int
    max_chars: int = 400
    shape: Callable[[Page, int], bool] | None = None
    shape_code: str = ""
    shape_max_words: int = 0  # the shape is asked of shorter lines only

    def find(self, page: Page) -> Iterator[Finding]:
        blocks, match, max_words, max_chars = page.blocks, self.pattern.match, self.max_words, self.max_chars
        shape, shape_words = self.shape, self.shape_max_words
        for i in page.kept_indexes():  # (locals: this loop runs for every line, rule after rule)
            block = blocks[i]
            if block.words <= max_words and len(block.text) <= max_chars and match(block.text):
                yield Finding(i, self.name, self.code)
            elif block.words <= shape_words and shape(page, i):
                yield Finding(i, self.name, self.shape_code)


@dataclass(frozen=True)
class RelatedLinkRule:
    """"READ MORE: Headline of another story": a link prefix followed by a headline."""

    name: str = "related-link"
    code: str = "related-link"
    max_words: int = 30

    def find(self, page: Page) -> Iterator[Finding]:
        for i in page.kept_indexes():
            block = page.blocks[i]
            if block.words > self.max_words or len(block.text) > 600:
                continue
            match = phrases.RELATED_LINK.match(block.text)
            if match and is_headline(match.group("headline"), max_words=self.max_words):
                yield Finding(i, self.name, self.code)


STRAY_URL = LineRule("stray-url", "stray-url", phrases.STRAY_URL, 3, max_chars=4000)
AD_MARKER = LineRule(
    "ad-marker", "ad-marker.phrase", phrases.AD_MARKER, 12,
    shape=is_interstitial, shape_code="ad-marker.repeated-line", shape_max_words=3,
)
COMMENT_WIDGET = LineRule(
    "comment-widget", "comment-widget.phrase", phrases.COMMENT_WIDGET, 15,
    shape=is_comment_shape, shape_code="comment-widget.counter",
    shape_max_words=12,
)
SHARE_PROMPT = LineRule("share-prompt", "share-prompt", phrases.SHARE_PROMPT, 12)
NEWSLETTER_PROMPT = LineRule(
    "newsletter-prompt", "newsletter-prompt", phrases.NEWSLETTER_PROMPT, 40, max_chars=800
)
CALL_TO_ACTION = LineRule(
    "call-to-action", "call-to-action", phrases.CALL_TO_ACTION, 12
)
CORRECTION_PROMPT = LineRule(
    "correction-prompt", "correction-prompt.phrase", phrases.CORRECTION_PROMPT, 30, max_chars=800,
    shape=is_key_prompt, shape_code="correction-prompt.keys",
    shape_max_words=40,
)
RELATED_LINK = RelatedLinkRule()
