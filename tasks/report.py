"""``OUT/_newsclean/report.html``: one static page about the last run, for a person to read. What
was cleaned, up to date and failed; removals per rule as bars, each rule with a few texts it
removed and why; documents per language; the failures with their messages. No script and no
outside resource: it opens from a mail attachment or a file share as it is."""
from __future__ import annotations

import html
import json
from pathlib import Path

from .manifest import STATE_DIR
from .storage import write_atomic

SAMPLES_PER_RULE = 3
_SAMPLE_CHARS = 160
_MAX_BYTES_READ = 16_000_000  # samples come from the run's first records: the page stays cheap on any run
_MAX_FAILURES = 200

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222;padding:0 1em}
h1{font-size:1.5em} h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}
.totals span{display:inline-block;margin-right:2em;font-size:1.2em}
table{border-collapse:collapse;width:100%} td{padding:.2em .5em;vertical-align:top}
.bar{background:#3b7dd8;height:1em;display:inline-block}
.sample{color:#555;font-size:.9em} code{background:#f3f3f3;padding:0 .2em}
.failed{color:#a00}
"""


def write_report(output_dir: Path, summary: dict, batches: list[str], token: str) -> Path:
    """Write the page for ``summary`` (Clean.summarise) and the run's ``batches``; return its path."""
    samples = _samples(output_dir, batches, set(summary["removals_by_rule"]))
    page = _page(summary, samples)
    path = output_dir / STATE_DIR / "report.html"
    write_atomic(path, page.encode("utf-8"), token, durable=False)
    return path


def _samples(output_dir: Path, batches: list[str], rules: set[str]) -> dict[str, list[tuple[str, str]]]:
    """rule -> a few (removed text, reason) from the run's records, until every rule of ``rules``
    has its samples or enough has been read."""
    found: dict[str, list[tuple[str, str]]] = {}
    read = 0
    for batch_id in batches:
        path = output_dir / STATE_DIR / "records" / f"{batch_id}.jsonl"
        try:
            handle = open(path, "rb")
        except FileNotFoundError:
            continue
        with handle:
            for line in handle:
                read += len(line)
                for removal in json.loads(line).get("removals", ()):
                    kept = found.setdefault(removal["rule"], [])
                    if len(kept) < SAMPLES_PER_RULE:
                        kept.append((removal["text"][:_SAMPLE_CHARS], removal["reason"]))
                if read >= _MAX_BYTES_READ or all(len(found.get(rule, ())) >= SAMPLES_PER_RULE for rule in rules):
                    return found
    return found


def _page(summary: dict, samples: dict[str, list[tuple[str, str]]]) -> str:
    e = html.escape
    by_rule = summary["removals_by_rule"]
    most = max(by_rule.values(), default=1)
    rows = []
    for rule, count in sorted(by_rule.items(), key=lambda item: -item[1]):
        width = max(1, round(300 * count / most))
        examples = "".join(f'<div class="sample">“{e(text)}” — {e(reason)}</div>' for text, reason in samples.get(rule, ()))
        rows.append(f'<tr><td><code>{e(rule)}</code></td><td>{count:,}</td>'
                    f'<td><span class="bar" style="width:{width}px"></span>{examples}</td></tr>')
    languages = "".join(f"<tr><td><code>{e(code)}</code></td><td>{count:,}</td></tr>"
                        for code, count in summary.get("documents_by_language", {}).items())
    failures = "".join(f'<tr><td>{e(f["source"])}</td><td class="failed">{e(f["error"])}</td></tr>'
                       for f in summary["failures"][:_MAX_FAILURES])
    more = len(summary["failures"]) - _MAX_FAILURES
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsclean run report</title><style>{_STYLE}</style></head>
<body>
<h1>newsclean run report</h1>
<p>{e(summary["input_dir"])} → {e(summary["output_dir"])} · run <code>{e(summary["run_id"])}</code></p>
<div class="totals"><span id="cleaned">{summary["cleaned"]:,} cleaned</span><span id="up-to-date">{summary["up_to_date"]:,} up to date</span><span id="failed">{summary["failed"]:,} failed</span></div>
<h2>Removals per rule</h2>
<table id="rules">{"".join(rows) or "<tr><td>none</td></tr>"}</table>
<h2>Documents per language</h2>
<table id="languages">{languages or "<tr><td>none</td></tr>"}</table>
<h2>Failures</h2>
<table id="failures">{failures or "<tr><td>none</td></tr>"}</table>
{f"<p>… and {more:,} more (last-run.json)</p>" if more > 0 else ""}
</body></html>
"""
