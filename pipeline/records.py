"""A CleanResult as a JSON-ready record: the shape of every line in the records files."""
from __future__ import annotations

import hashlib
from collections import Counter

from .model import CleanResult


def record(result: CleanResult, doc_id: str = "", source: str = "", output: str = "") -> dict:
    stated = dict(result.metadata)
    by_rule = Counter(r.rule for r in result.removals)
    by_code = Counter(r.code or r.rule for r in result.removals)
    return {
        "id": doc_id,
        "source": source,
        "output": output,
        "status": "ok",
        "kind": result.kind,
        "encoding": result.encoding,
        "language": result.language,
        "language_confidence": result.language_confidence,
        "title": result.title,
        "url": stated.get("url"),
        "author": stated.get("author"),
        "date": stated.get("date"),
        "text": result.text,
        "text_sha256": hashlib.sha256(result.text.encode("utf-8", "surrogatepass")).hexdigest(),  # for deduplication
        "removals": [{**r.as_dict(), "lines_of": _lines_of(r.rule, result.kind)} for r in result.removals],
        "restored": [{"kind": kind, "text": text} for kind, text in result.restored],
        "repairs": [{"fixer": fixer, "count": count} for fixer, count in result.repairs],
        "warnings": list(result.warnings),
        "counts": {**result.stats, "removals_by_rule": dict(sorted(by_rule.items())),
                   "removals_by_code": dict(sorted(by_code.items()))},
    }


def _lines_of(rule: str, kind: str) -> str:
    """What a removal's ``lines`` count: the input's lines, or for HTML the lines of the text
    extracted from it, or (pruned elements) the lines of the HTML source."""
    if kind != "html":
        return "input"
    return "html-source" if rule.startswith("html-") else "extracted-text"


def error_record(error: str, doc_id: str = "", source: str = "") -> dict:
    """The record of a document that could not be cleaned: no output file stands for it."""
    return {"id": doc_id, "source": source, "output": None, "status": "error", "error": error}
