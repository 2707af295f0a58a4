"""Command line: clean one article from a file or stdin; print the body, or the JSON record.

    python -m pipeline article.txt
    curl -s URL | python -m pipeline --html --json

Exit status: 0 on success, 2 on bad usage, 3 when the input cannot be cleaned (the reason goes
to stderr).
"""
from __future__ import annotations

import argparse
import json
import sys

from .clean import clean_bytes
from .config import CleanConfig
from .text.decode import InputError
from .records import record
from .rules import RULE_NAMES

EXIT_BAD_INPUT = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description="Clean one raw news article.")
    parser.add_argument("file", nargs="?", help="the raw article (default: standard input)")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--html", action="store_const", const="html", dest="kind", help="the input is HTML")
    kind.add_argument("--text", action="store_const", const="text", dest="kind", help="the input is plain text")
    parser.add_argument("--json", action="store_true", help="print the JSON record instead of the body")
    parser.add_argument("--disable", action="append", default=[], metavar="RULE", choices=RULE_NAMES,
                        help="skip a rule (repeatable); rules: " + ", ".join(RULE_NAMES))
    parser.add_argument("--no-prune-html", action="store_true", help="do not prune boilerplate from the HTML tree")
    parser.add_argument("--html-recall-check", action="store_true",
                        help="also try trafilatura's recall mode on every page, not only where little text was found; "
                             "keep it when it finds half as much text again (slower)")
    args = parser.parse_args(argv)
    try:
        data = _read(args.file)
        config = CleanConfig(prune_html=not args.no_prune_html, html_recall_check=args.html_recall_check,
                             disabled_rules=tuple(args.disable))
        result = clean_bytes(data, kind=args.kind or "auto", config=config)
    except (InputError, OSError) as error:
        print(f"newsclean: {args.file or '<stdin>'}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = sys.stdout
    if args.json:
        out.write(json.dumps(record(result, source=args.file or "-"), ensure_ascii=False) + "\n")
    else:
        out.write(result.text)
    return 0


def _read(path: str | None) -> bytes:
    if path is None or path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as handle:
        return handle.read()


if __name__ == "__main__":
    sys.exit(main())
