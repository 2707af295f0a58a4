"""Every kind of finding the text rules make: a stable code, and the message beside it.

A code is ``<rule>.<kind>``, or the rule's name alone for a rule with one kind of finding
(``signoff``; the HTML pruning families, ``html-ad`` …, are of this sort). Records carry both;
counts per code are in each record and in the run summary, so they can be summed across a corpus.
Codes never change meaning; a new kind of finding gets a new code.
"""
from __future__ import annotations

REASONS = {
    "stray-url": "a URL or image link on a line of its own",
    "ad-marker.phrase": "an advertisement marker",
    "ad-marker.repeated-line": "a short line repeated between paragraphs (an ad marker)",
    "caption.labelled": "a photo credit or caption line (labelled)",
    "caption.agency-credit": "a photo caption ending in an agency or photographer credit",
    "caption.slash-or-bracket-credit": "a descriptive line ending in a credit after slashes or in brackets",
    "caption.labelled-credit": "a descriptive line ending in a labelled credit",
    "comment-widget.phrase": "part of a comment widget",
    "comment-widget.counter": "a comment counter (a label with a count in brackets) or the prompt after it",
    "correction-prompt.phrase": "a prompt to report a correction",
    "correction-prompt.keys": "a prompt to press Ctrl + Enter to report an error, and its first line",
    "share-prompt": "a share or follow prompt",
    "newsletter-prompt": "a newsletter or subscription prompt",
    "call-to-action": "a call-to-action button (a trial, a quote, an appointment, shop or buy now)",
    "body-region.before": "before the article body (page header, menus)",
    "body-region.after": "after the article body (page footer, comments, links)",
    "body-region.between": "between parts of the article body (menus, widgets)",
    "body-region.author-box": "after the article body (an author box and what follows it)",
    "body-region.chrome": "page chrome (navigation, legal, account, consent, a form notice or affiliate disclosure) inside the body",
    "body-region.metadata": "a date, byline or reading time inside the body",
    "body-region.biography": "an author's biography",
    "body-region.site-notice": ("the site's notice about itself (editorial policy, independent picks, ads or readers paying "
                                "for it, an appeal to donate, the terms its forms make their senders agree to, a prompt to "
                                "fill out its contact form)"),
    "related-block.block": "a related-articles header and the block it opens",
    "related-block.link-label": "a link label under each entry of a list (the entries stay)",
    "related-link": "a link to another article (read-more prefix and a headline)",
    "repeat.copy": "a second copy of text above it (several lines repeated in the same order)",
    "repeat.paragraph": "a copy of the paragraph just before it",
    "title.page-title": "the headline, the same as the page title",
    "title.before-body": "a headline before the body; moved to the title",
    "title.above-body": "the headline, just before the article body",
    "signoff": "a news agency sign-off after the last sentence",
}


def rule_of(code: str) -> str:
    """The rule a code belongs to."""
    return code.partition(".")[0]
