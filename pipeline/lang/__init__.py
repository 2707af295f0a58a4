"""Language packs: what news pages say around an article, one data file per language.

Each ``<code>.toml`` holds, concept by concept, the phrases of one language as regular
expression fragments in lower case (matched ignoring case). The matchers in ``pipeline.lang.phrases``
and ``pipeline.lang.page_phrases`` are built from the union of all packs, so adding a language is
adding a file (docs/adding-a-language.md). ``intl.toml`` holds the names that are the same in
every language (news and photo agencies).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

# concept -> how its phrases are matched (the rule that uses them is named in pipeline/lang/README.md)
CONCEPTS = {
    "ad_markers": "a whole line: an advertisement marker",
    "comment_widgets": "a whole line: a comment counter, prompt or control; a reader-feedback prompt",
    "share_prompts": "a whole line: a share or follow prompt, a bare network name",
    "related_headers": "a whole line that ends no sentence: the header of a related-articles block",
    "related_headers_weak": "a whole line that ends no sentence: a header that may also stand in a body",
    "read_more_prefixes": "the start of a line, before ':' and another story's headline",
    "correction_prompts": "the start of a line: a prompt to report an error",
    "calls_to_action": "a whole line: a button (a trial, a quote, buy now)",
    "newsletter_prompts": "the start of a line: a newsletter or subscription prompt",
    "caption_labels": "the start of a line, before ':': a photo credit label",
    "chrome_lines": "a whole line: navigation, legal and account links of a full page",
    "chrome_prefixes": "the start of a line: copyright, cookie, comment-form and affiliate notices",
    "page_end_prefixes": "the start of a line after which only the page's tail follows",
    "months": "month names and abbreviations, in every form a date writes them (a date line is metadata)",
    "byline_words": "what stands before the author's name in a byline ('by', 'written by', 'author:')",
    "date_words": "what stands before a date in a metadata line ('published on', 'updated')",
    "time_words": "what stands between a date and its time in a metadata line ('at', 'um', 'à')",
    "function_words": "the language's most frequent words, space-separated plain words (which language a text is in)",
}
# The order of the packs in every matcher (an alternation tries its phrases in order, so the
# order can change a match): these first, then the rest by code.
FIRST = ("en", "de", "fr", "es", "pt", "it", "pl")


@dataclass(frozen=True)
class Pack:
    code: str
    name: str
    phrases: dict  # concept -> tuple of pattern fragments
    opt_out: dict  # concept -> why the language has none

    @classmethod
    def load(cls, path: Path) -> "Pack":
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        phrases = {concept: _entries(data[concept]) for concept in CONCEPTS if concept in data}
        return cls(data["code"], data["name"], phrases, dict(data.get("opt_out", {})))


def _entries(value) -> tuple[str, ...]:
    """A concept's list, or a string of space-separated words (``function_words``)."""
    return tuple(value.split()) if isinstance(value, str) else tuple(value)


def _load_all() -> tuple[Pack, ...]:
    packs = {path.stem: Pack.load(path) for path in HERE.glob("*.toml") if path.stem != "intl"}
    order = [code for code in FIRST if code in packs] + sorted(set(packs) - set(FIRST))
    return tuple(packs[code] for code in order)


PACKS = _load_all()
INTL = tomllib.loads((HERE / "intl.toml").read_text(encoding="utf-8"))


def families(concept: str) -> dict[str, list[str]]:
    """The phrases of one concept, language by language (packs without it are left out)."""
    if concept not in CONCEPTS:
        raise KeyError(f"unknown concept {concept!r}")
    return {pack.code: list(pack.phrases[concept]) for pack in PACKS if pack.phrases.get(concept)}
