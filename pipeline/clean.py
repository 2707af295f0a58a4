"""The cleaning path shared by every entry point: decode, extract, repair, classify, assemble."""
from __future__ import annotations

import regex

from .text.blocks import join_blocks, split_blocks
from .config import CleanConfig
from .text.decode import InputError, decode
from .engine import Page, classify
from .lang.detect import guess_language
from .model import CleanResult, Removal
from .text.repair import repair
from .rules import active_rules

DEFAULT_CONFIG = CleanConfig()
_HTML_START = regex.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", regex.I | regex.S)
_TAG = regex.compile(r"</?(?:p|div|span|a|br|meta|script|table|li|h[1-6])\b[^>]*>", regex.I)


def detect_kind(text: str) -> str:
    """'html' when the text starts like an HTML document or is dense with tags, else 'text'."""
    head = text[:4096]
    if _HTML_START.match(head):
        return "html"
    return "html" if len(_TAG.findall(head)) >= 5 else "text"


def clean_bytes(data: bytes, kind: str = "auto", config: CleanConfig = DEFAULT_CONFIG) -> CleanResult:
    """Clean raw bytes; ``kind`` is 'text', 'html' or 'auto' (guess from the content)."""
    if len(data) > config.max_input_bytes:
        raise InputError(f"input is {len(data):,} bytes, over the limit of {config.max_input_bytes:,}")
    if not data:
        raise InputError("empty file (0 bytes)")
    decoded = decode(data, is_html=kind != "text")
    if not decoded.text.strip():
        raise InputError("no text: the file holds only whitespace")
    if kind == "auto":
        kind = detect_kind(decoded.text)
    return _clean(decoded.text, kind, config, decoded.encoding, len(data))


def clean_text(text: str, config: CleanConfig = DEFAULT_CONFIG) -> CleanResult:
    """Clean an article given as plain text."""
    return _clean(text, "text", config, "str", len(text.encode("utf-8", "surrogatepass")))


def clean_html(html: str, config: CleanConfig = DEFAULT_CONFIG) -> CleanResult:
    """Clean an article given as an HTML page."""
    return _clean(html, "html", config, "str", len(html.encode("utf-8", "surrogatepass")))


def _clean(text: str, kind: str, config: CleanConfig, encoding: str, input_bytes: int) -> CleanResult:
    if kind not in ("text", "html"):
        raise ValueError(f"kind must be 'text', 'html' or 'auto', not {kind!r}")
    pruned: tuple[Removal, ...] = ()
    meta_title = ""
    recovered = lists_restored = 0
    restored: tuple[tuple[str, str], ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    if kind == "html":
        from .html.extract import extract_html  # here: text-only runs never load trafilatura

        extracted = extract_html(text, prune=config.prune_html, recall_check=config.html_recall_check)
        text, meta_title, pruned, recovered = extracted.text, extracted.title, extracted.removals, extracted.recovered
        lists_restored, restored, metadata = extracted.lists_restored, extracted.restored, extracted.metadata
    repaired = repair(text, html_extracted=kind == "html")
    blocks = split_blocks(repaired.text)
    page = Page(blocks, kind, meta_title=repair(meta_title).text if meta_title else "")
    names = config.rule_names()
    classified = classify(page, active_rules(names), enabled=names)
    body = join_blocks(list(blocks), classified.texts)
    title = classified.title or page.meta_title
    block_chars = sum(len(b.text) for b in blocks)
    kept_chars = sum(len(t) for t in classified.texts)
    warnings = []
    if block_chars >= 200 and block_chars - kept_chars > config.over_removal_ratio * block_chars:
        warnings.append(f"over-removal: {1 - kept_chars / block_chars:.0%} of the text was removed")
    if not body:
        warnings.append("empty: no body text left")
    removals = pruned + classified.removals
    stats = {
        "input_bytes": input_bytes,
        "blocks": len(blocks),
        "blocks_kept": sum(1 for t in classified.texts if t),
        "removals": len(removals),
        "chars_in": block_chars,
        "chars_out": len(body),
        "paragraphs_out": body.count("\n\n") + 1 if body else 0,
    }
    if kind == "html":
        stats["paragraphs_recovered"] = recovered  # prose trafilatura left out, put back (pipeline.html.recover)
        stats["lists_restored"] = lists_restored  # and lists between kept paragraphs
    language, confidence = guess_language(body or repaired.text)
    return CleanResult(
        text=body, title=title, kind=kind, encoding=encoding, removals=removals,
        repairs=repaired.repairs, restored=restored, metadata=metadata, warnings=tuple(warnings), language=language,
        language_confidence=confidence, stats=stats,
    )
