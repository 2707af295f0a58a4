"""Command line: clean articles from files or stdin; print the bodies, or the JSON records.

    python -m pipeline article.txt other.html
    curl -s URL | python -m pipeline --html --json

Exit status: 0 on success, 2 on bad usage, 3 when an input cannot be cleaned (the reason goes
to stderr, or with --json an error record to stdout; the other files are still cleaned).
"""
from __future__ import annotations

import argparse
import json
import sys

from .clean import clean_bytes
from .config import CleanConfig
from .records import error_record, record
from .rules import RULE_NAMES
from .text.decode import InputError

EXIT_BAD_INPUT = 3


def main(argv: list[str] | None = None, prog: str = "python -m pipeline") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="Clean raw news articles.")
    parser.add_argument("files", nargs="*", metavar="FILE", help="raw articles (default, or '-': standard input)")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--html", action="store_const", const="html", dest="kind", help="the input is HTML")
    kind.add_argument("--text", action="store_const", const="text", dest="kind", help="the input is plain text")
    parser.add_argument("--json", action="store_true", help="print a JSON record a line instead of the bodies")
    parser.add_argument("--disable", action="append", default=[], metavar="RULE", choices=RULE_NAMES,
                        help="skip a rule (repeatable); rules: " + ", ".join(RULE_NAMES))
    parser.add_argument("--no-prune-html", action="store_true", help="do not prune boilerplate from the HTML tree")
    parser.add_argument("--html-recall-check", action="store_true",
                        help="also try trafilatura's recall mode on every page, not only where little text was found; "
                             "keep it when it finds half as much text again (slower)")
    args = parser.parse_args(argv)
    config = CleanConfig(prune_html=not args.no_prune_html, html_recall_check=args.html_recall_check,
                         disabled_rules=tuple(args.disable))
    status = 0
    for number, path in enumerate(args.files or ["-"]):
        name = "-" if path == "-" else path
        try:
            result = clean_bytes(_read(path), kind=args.kind or "auto", config=config)
        except (InputError, OSError) as error:
            status = EXIT_BAD_INPUT
            if args.json:
                print(json.dumps(error_record(f"{type(error).__name__}: {error}", source=name), ensure_ascii=False))
            else:
                print(f"{prog.split()[-1]}: {name}: {error}", file=sys.stderr)
            continue
        if args.json:
            sys.stdout.write(json.dumps(record(result, source=name), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(("\n" if number else "") + result.text)  # documents apart by a blank line
    return status


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as handle:
        return handle.read()


if __name__ == "__main__":
    sys.exit(main())
