"""A digest of everything newsclean writes for the bench pages: to show that a change moved nothing.

    python benchmarks/snapshot.py --bench ../shared/bench > before.txt
    ... change ...
    python benchmarks/snapshot.py --bench ../shared/bench > after.txt; diff before.txt after.txt

One line per data file and input field: the field, the pages, and a hash over every page's text,
title and removals; ``--pages`` adds a line per page whose hash differs from ``--against``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import clean_bytes  # noqa: E402
from benchmarks.evaluate import read_records  # noqa: E402

FIELDS = {"text": "text", "article": "article_text", "html": "html"}


def page_digest(args: tuple[str, str]) -> str:
    source, kind = args
    try:
        result = clean_bytes(source.encode("utf-8"), kind=kind)
        payload = [result.text, result.title, [r.as_dict() for r in result.removals]]
    except Exception as error:  # the same error twice is the same output
        payload = [type(error).__name__, str(error)]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:12]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", default="../shared/bench")
    parser.add_argument("--modes", default="text,article", help="comma-separated: text, article, html")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pages", action="store_true", help="print one digest per page")
    args = parser.parse_args()
    with ProcessPoolExecutor(args.jobs) as pool:
        for path in sorted(Path(args.bench).glob("*.jsonl.gz")):
            records = list(read_records(str(path)))
            for mode in args.modes.split(","):
                field = FIELDS[mode]
                work = [(r[field], "html" if mode == "html" else "text") for r in records if r.get(field)]
                if not work:
                    continue
                digests = list(pool.map(page_digest, work, chunksize=8))
                total = hashlib.sha256("".join(digests).encode()).hexdigest()[:16]
                print(f"{path.name} {mode} {len(digests)} {total}", flush=True)
                if args.pages:
                    ids = [r.get("id") for r in records if r.get(field)]
                    for page_id, digest in zip(ids, digests):
                        print(f"  {page_id} {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
