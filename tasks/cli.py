"""The ``newsclean`` command:

    newsclean ARTICLE.txt PAGE.html …       the clean bodies to stdout (--json: a record a line)
    cat page.html | newsclean --html        standard input
    newsclean run --input-dir IN --output-dir OUT [--workers N] [any parameter of Clean]
    newsclean export OUT [--format jsonl|parquet] [--shard-size N] [--to DIR]
    newsclean --version

``run`` is ``luigi --module tasks Clean`` with Luigi's exit codes, from any folder (tasks/defaults.py).
"""
from __future__ import annotations

import sys
from importlib import metadata
from typing import Sequence

from luigi.retcodes import run_with_retcodes

from pipeline.__main__ import main as clean_files

from .export import main as export_main


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--version"]:
        print(f"newsclean {metadata.version('newsclean')}")
        return 0
    if args[:1] == ["run"]:
        return run(args[1:])
    if args[:1] == ["export"]:
        return export_main(args[1:])
    return clean_files(args, prog="newsclean")


def run(args: Sequence[str]) -> int:
    """The Luigi pipeline over a folder; its exit code (README, Exit status)."""
    try:
        run_with_retcodes(["--module", "tasks", "Clean", *args])
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
