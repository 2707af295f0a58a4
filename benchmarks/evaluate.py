"""Accuracy evaluation on benchmark files: newsclean beside baselines, with the published metrics.

    python -m benchmarks.evaluate --data ../shared/bench/wcxb-dev-articles.jsonl.gz --mode text
    python -m benchmarks.evaluate --data ../shared/bench/trafilatura-eval.jsonl.gz --mode html --worst 5

Input: gzip or plain JSON Lines with ``html``, ``text`` (and ``article_text``) and either ``gold``
(WCXB: word-level P/R/F1, mean over pages) or ``with``/``without`` snippets (trafilatura set:
snippet counts summed over pages). Records with a ``lang`` (daniel-dev) are scored language by
language, each CJK character counting as a word. Every record is cleaned through the same code
path as ``Clean``: ``clean_bytes`` with kind "text" from ``text`` (mode text) or ``article_text``
(mode article; ``text`` where a file has no such field), kind "html" from ``html``. Run it from the repository
root; it reads the data file and prints to stdout; it writes nothing.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import html as html_lib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator

from pipeline.clean import DEFAULT_CONFIG, clean_bytes
from pipeline.config import CleanConfig

WORD = re.compile(r"\w+")
# daniel-dev's metric (../shared/bench/README.md): a Han, kana or Hangul character is a word.
_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
CJK_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
SPACES = re.compile(r"\s+")
TEXT_SYSTEMS = ("newsclean", "do-nothing", "c4-lines", "justext-lines")
MODES = ("text", "article", "html")
HTML_SYSTEMS = ("newsclean", "trafilatura", "justext")


# -- data -------------------------------------------------------------------------------------

def read_records(path: str, limit: int | None = None, split: str = "all") -> Iterator[dict]:
    opener = gzip.open if path.endswith(".gz") else open
    count = 0
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            if split != "all" and half(record) != split:
                continue
            yield record
            count += 1
            if limit and count >= limit:
                return


def half(record: dict) -> str:
    """A stable split of any dataset into two halves: 'fit' (tune on it) and 'holdout'."""
    digest = hashlib.sha1(str(record.get("id") or record.get("url")).encode()).digest()
    return "fit" if digest[0] % 2 == 0 else "holdout"


# -- metrics ----------------------------------------------------------------------------------

def word_prf(prediction: str, gold: str, word: re.Pattern = WORD) -> tuple[float, float, float]:
    """WCXB: multiset overlap of \\w+ tokens (lower case); empty gold and prediction score 1."""
    pred, ref = Counter(word.findall(prediction.lower())), Counter(word.findall(gold.lower()))
    if not ref and not pred:
        return 1.0, 1.0, 1.0
    if not pred or not ref:
        return 0.0, 0.0, 0.0
    overlap = sum((pred & ref).values())
    p, r = overlap / sum(pred.values()), overlap / sum(ref.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def snippet_counts(prediction: str, with_: list[str], without: list[str]) -> tuple[int, int, int]:
    """trafilatura set: (TP, FN, FP) with whitespace collapsed, case-sensitive substrings."""
    text = SPACES.sub(" ", prediction)
    found = [SPACES.sub(" ", s).strip() in text for s in with_]
    leaked = [SPACES.sub(" ", s).strip() in text for s in without]
    return sum(found), len(found) - sum(found), sum(leaked)


# -- baselines --------------------------------------------------------------------------------

_C4_END = ("." , "!", "?", '"', "”", "'", "’", "…", ":", ")")


def c4_lines(text: str) -> str:
    """C4-style line filter: keep lines with end punctuation and >= 3 words, no javascript/cookie."""
    kept = []
    for line in text.split("\n"):
        line = line.strip()
        low = line.lower()
        if len(line.split()) < 3 or not line.endswith(_C4_END) or "javascript" in low or "cookie" in low:
            continue
        kept.append(line)
    return "\n".join(kept)


_EN = {"the", "and", "of", "to", "is", "in", "that", "for", "with", "on", "was", "are"}
_DE = {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "sich", "auf", "für"}


def guess_language(text: str) -> str:
    words = Counter(w for w in WORD.findall(text[:20000].lower()))
    en, de = sum(words[w] for w in _EN), sum(words[w] for w in _DE)
    return "German" if de > en else "English"


def justext_html(page: str, language: str) -> str:
    import justext

    paragraphs = justext.justext(page.encode("utf-8", "replace"), justext.get_stoplist(language), encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def justext_lines(text: str) -> str:
    page = "<html><body>" + "".join(f"<p>{html_lib.escape(line)}</p>" for line in text.split("\n") if line.strip()) + "</body></html>"
    return justext_html(page, guess_language(text))


def trafilatura_alone(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, include_comments=False) or ""


# -- one record, in a worker process ----------------------------------------------------------

def run_record(args: tuple[dict, str, bool, CleanConfig]) -> dict:
    record, mode, baselines, config = args
    source = source_of(record, mode)
    started = time.perf_counter()
    error = None
    try:
        result = clean_bytes(source.encode("utf-8"), kind="html" if mode == "html" else "text", config=config)
        ours, removals = result.text, [(r.rule, r.text) for r in result.removals]
    except Exception as exc:  # an evaluation never stops on one page; the error is counted
        ours, removals, error = "", [], f"{type(exc).__name__}: {exc}"
    outputs = {"newsclean": ours}
    seconds = {"newsclean": time.perf_counter() - started}
    if baselines:
        for name, function in _baselines(mode, source, record.get("lang")):
            started = time.perf_counter()
            try:
                outputs[name] = function()
            except Exception:  # a baseline's crash counts as an empty output
                outputs[name] = ""
            seconds[name] = time.perf_counter() - started
    return {"id": record.get("id"), "url": record.get("url"), "outputs": outputs, "seconds": seconds,
            "removals": removals, "error": error}


def source_of(record: dict, mode: str) -> str:
    if mode == "article":
        return record.get("article_text") or record["text"]
    return record[mode]


def _baselines(mode: str, source: str, lang: str | None):
    if mode != "html":
        lines = [("do-nothing", lambda: source), ("c4-lines", lambda: c4_lines(source))]
        return lines if lang else lines + [("justext-lines", lambda: justext_lines(source))]
    if lang:  # jusText has no stop list for some of the languages (Chinese)
        return [("trafilatura", lambda: trafilatura_alone(source))]
    return [("trafilatura", lambda: trafilatura_alone(source)),
            ("justext", lambda: justext_html(source, guess_language(source)))]


# -- report -----------------------------------------------------------------------------------

def evaluate(records: list[dict], mode: str, jobs: int, baselines: bool,
             config: CleanConfig = DEFAULT_CONFIG) -> tuple[list[dict], float]:
    started = time.perf_counter()
    work = [(r, mode, baselines, config) for r in records]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(run_record, work, chunksize=4))
    else:
        results = [run_record(w) for w in work]
    return results, time.perf_counter() - started


def score(records: list[dict], results: list[dict], systems: tuple[str, ...]) -> dict[str, dict]:
    table = {}
    snippets = "gold" not in records[0]
    for system in systems:
        if system not in results[0]["outputs"]:
            continue
        if snippets:
            tp = fn = fp = 0
            for record, result in zip(records, results):
                a, b, c = snippet_counts(result["outputs"][system], record.get("with", []), record.get("without", []))
                tp, fn, fp = tp + a, fn + b, fp + c
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            table[system] = {"P": p, "R": r, "F1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0}
        else:
            word = CJK_WORD if "lang" in records[0] else WORD
            scores = [word_prf(res["outputs"][system], rec["gold"], word) for rec, res in zip(records, results)]
            n = len(scores)
            table[system] = {k: sum(s[i] for s in scores) / n for i, k in enumerate(("P", "R", "F1"))}
        seconds = sum(res["seconds"].get(system, 0.0) for res in results)
        table[system]["pages/s"] = len(results) / seconds if seconds else float("inf")
    return table


def by_language(records: list[dict]) -> dict[str, list[int]]:
    """Record indexes per language, in order of first appearance ({"": all} without languages)."""
    groups: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        groups.setdefault(record.get("lang", ""), []).append(index)
    return groups


def page_score(record: dict, output: str) -> float:
    if "gold" in record:
        return word_prf(output, record["gold"], CJK_WORD if "lang" in record else WORD)[2]
    tp, fn, fp = snippet_counts(output, record.get("with", []), record.get("without", []))
    return 2 * tp / (2 * tp + fn + fp) if tp else (1.0 if not (fn or fp) else 0.0)


def false_removals(records: list[dict], results: list[dict]) -> dict[str, list[int]]:
    """Per rule: [removals, removals that were gold, words of gold removed]."""
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for record, result in zip(records, results):
        gold_words = Counter(WORD.findall(record["gold"].lower())) if "gold" in record else None
        gold_snippets = [SPACES.sub(" ", s).strip() for s in record.get("with", [])]
        for rule, text in result["removals"]:
            entry = per_rule[rule]
            entry[0] += 1
            words = WORD.findall(text.lower())
            if gold_words is not None:
                hit = sum((Counter(words) & gold_words).values())
                wrong = words and hit >= 0.5 * len(words)
            else:
                flat = SPACES.sub(" ", text)
                wrong = any(s and (s in flat or flat in s and len(flat) > 20) for s in gold_snippets)
                hit = len(words) if wrong else 0
            if wrong:
                entry[1] += 1
                entry[2] += hit
    return dict(sorted(per_rule.items()))


def explain_page(record: dict, output: str, limit: int = 6) -> list[str]:
    """What was wrongly kept and wrongly removed on one page, as short lines."""
    lines = []
    if "gold" in record:
        gold = Counter(WORD.findall(record["gold"].lower()))
        kept_junk = [l for l in output.split("\n") if l and _share(l, gold) < 0.5]
        out_words = Counter(WORD.findall(output.lower()))
        missing = [p for p in record["gold"].split("\n") if p.strip() and _share(p, out_words) < 0.5]
    else:
        flat = SPACES.sub(" ", output)
        kept_junk = [s for s in record.get("without", []) if SPACES.sub(" ", s).strip() in flat]
        missing = [s for s in record.get("with", []) if SPACES.sub(" ", s).strip() not in flat]
    lines += [f"    kept, not gold:    {_short(l)}" for l in kept_junk[:limit]]
    lines += [f"    gold, not kept:    {_short(l)}" for l in missing[:limit]]
    return lines


def _share(text: str, bag: Counter) -> float:
    words = WORD.findall(text.lower())
    return sum(1 for w in words if bag[w]) / len(words) if words else 1.0


def _short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="JSON Lines (optionally .gz) with html/text and gold or with/without")
    parser.add_argument("--mode", choices=(*MODES, "both", "all"), default="both",
                        help="text: the full page as text; article: the article's own area as text (article_text); "
                             "html: the page; both: text and html; all: the three")
    parser.add_argument("--limit", type=int, default=None, help="only the first N records")
    parser.add_argument("--split", choices=("all", "fit", "holdout"), default="all", help="a stable half of the data")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2, the machine's cores)")
    parser.add_argument("--worst", type=int, default=8, help="list the N worst pages with what went wrong")
    parser.add_argument("--no-baselines", action="store_true", help="score newsclean only (faster)")
    parser.add_argument("--html-recall-check", action="store_true", help="clean with the html_recall_check option")
    args = parser.parse_args(argv)
    records = list(read_records(args.data, args.limit, args.split))
    if not records:
        print("no records", file=sys.stderr)
        return 2
    metric = "word P/R/F1, mean over pages" if "gold" in records[0] else "snippet P/R/F1, counts summed over pages"
    print(f"{args.data}: {len(records)} pages ({args.split}); metric: {metric}")
    modes = {"both": ("text", "html"), "all": MODES}.get(args.mode, (args.mode,))
    for mode in modes:
        config = CleanConfig(html_recall_check=args.html_recall_check)
        results, wall = evaluate(records, mode, args.jobs, not args.no_baselines, config)
        systems = HTML_SYSTEMS if mode == "html" else TEXT_SYSTEMS
        print(f"\n== {mode} mode ({wall:.0f}s wall, {args.jobs} processes)")
        for lang, indexes in by_language(records).items():
            if lang:
                print(f"  -- {lang}: {len(indexes)} pages")
            print(f"  {'system':<15} {'P':>6} {'R':>6} {'F1':>6} {'pages/s':>9}  (pages/s: one process, cleaning only)")
            table = score([records[i] for i in indexes], [results[i] for i in indexes], systems)
            for system, row in table.items():
                print(f"  {system:<15} {row['P']:6.4f} {row['R']:6.4f} {row['F1']:6.4f} {row['pages/s']:9.1f}")
        errors = [r for r in results if r["error"]]
        if errors:
            print(f"  errors: {len(errors)}, e.g. {errors[0]['id']}: {errors[0]['error']}")
        print("  removals per rule (all / of gold text / gold words removed):")
        for rule, (count, wrong, words) in false_removals(records, results).items():
            print(f"    {rule:<20} {count:6} {wrong:6} {words:8}")
        ranked = sorted(zip(records, results), key=lambda pair: page_score(pair[0], pair[1]["outputs"]["newsclean"]))
        if args.worst:
            print(f"  worst {args.worst} pages:")
        for record, result in ranked[: args.worst]:
            print(f"  {page_score(record, result['outputs']['newsclean']):.3f} {record.get('id')} {record.get('url', '')}")
            print("\n".join(explain_page(record, result["outputs"]["newsclean"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
