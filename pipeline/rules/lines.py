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
    reason: str
    pattern: "regex.Pattern | re.Pattern"
    max_words: int
    max_chars: int = 400
    shape: Callable[[Page, int], bool] | None = None
    shape_reason: str = ""
    shape_max_words: int = 0  # the shape is asked of shorter lines only

    def find(self, page: Page) -> Iterator[Finding]:
        blocks, match, max_words, max_chars = page.blocks, self.pattern.match, self.max_words, self.max_chars
        shape, shape_words = self.shape, self.shape_max_words
        for i in page.kept_indexes():  # (locals: this loop runs for every line, rule after rule)
            block = blocks[i]
            if block.words <= max_words and len(block.text) <= max_chars and match(block.text):
                yield Finding(i, self.name, self.reason)
            elif block.words <= shape_words and shape(page, i):
                yield Finding(i, self.name, self.shape_reason)


@dataclass(frozen=True)
class RelatedLinkRule:
    """"READ MORE: Headline of another story": a link prefix followed by a headline."""

    name: str = "related-link"
    reason: str = "a link to another article (read-more prefix and a headline)"
    max_words: int = 30

    def find(self, page: Page) -> Iterator[Finding]:
        for i in page.kept_indexes():
            block = page.blocks[i]
            if block.words > self.max_words or len(block.text) > 600:
                continue
            match = phrases.RELATED_LINK.match(block.text)
            if match and is_headline(match.group("headline"), max_words=self.max_words):
                yield Finding(i, self.name, self.reason)


STRAY_URL = LineRule("stray-url", "a URL or image link on a line of its own", phrases.STRAY_URL, 3, max_chars=4000)
AD_MARKER = LineRule(
    "ad-marker", "an advertisement marker", phrases.AD_MARKER, 12,
    shape=is_interstitial, shape_reason="a short line repeated between paragraphs (an ad marker)", shape_max_words=3,
)
COMMENT_WIDGET = LineRule(
    "comment-widget", "part of a comment widget", phrases.COMMENT_WIDGET, 15,
    shape=is_comment_shape, shape_reason="a comment counter (a label with a count in brackets) or the prompt after it",
    shape_max_words=12,
)
SHARE_PROMPT = LineRule("share-prompt", "a share or follow prompt", phrases.SHARE_PROMPT, 12)
NEWSLETTER_PROMPT = LineRule(
    "newsletter-prompt", "a newsletter or subscription prompt", phrases.NEWSLETTER_PROMPT, 40, max_chars=800
)
CALL_TO_ACTION = LineRule(
    "call-to-action", "a call-to-action button (a trial, a quote, an appointment, shop or buy now)", phrases.CALL_TO_ACTION, 12
)
CORRECTION_PROMPT = LineRule(
    "correction-prompt", "a prompt to report a correction", phrases.CORRECTION_PROMPT, 30, max_chars=800,
    shape=is_key_prompt, shape_reason="a prompt to press Ctrl + Enter to report an error, and its first line",
    shape_max_words=40,
)
RELATED_LINK = RelatedLinkRule()
