"""The one configuration object of the cleaning library, and its fingerprint."""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from .rules import RULE_NAMES

# The release of the cleaning library. What decides whether an output is current is finer: the
# fingerprint also hashes the library's own source (``code_digest``), so that any change to a
# rule, a phrase or a weight re-cleans outputs made before it, version bump or not.
PIPELINE_VERSION = "0.2.0"

_NOT_CLEANING = frozenset({"__main__.py"})  # the command line shapes no output

# The libraries whose behaviour is part of the output (pinned in pyproject.toml).
_VERSIONED = ("trafilatura", "ftfy", "lxml", "regex", "charset-normalizer")


@dataclass(frozen=True)
class CleanConfig:
    """How to clean. Every field has a default that reproduces the golden files.

    - ``prune_html``: drop structural boilerplate (figure captions, ad slots, related boxes,
      comment and newsletter sections) from the HTML tree before extraction.
    - ``html_recall_check``: also run trafilatura in recall mode on every page and keep its text
      when it is half as long again (more of the article on pages whose body is split up; about
      1.5 times the time per HTML page). Without it this runs only where the balanced run found
      less than 1,000 characters.
    - ``rules``: names of the text rules to run (``pipeline.rules.RULE_NAMES``); None: all of them.
    - ``disabled_rules``: names of text rules to skip. Nothing is removed under the name of a rule
      that does not run, whichever rule found it (body-region also finds the headline, as ``title``).
    - ``over_removal_ratio``: warn when more than this share of the input text is removed.
    - ``max_input_bytes``: larger inputs are refused with an error instead of being cleaned.
    """

    prune_html: bool = True
    html_recall_check: bool = False
    disabled_rules: tuple[str, ...] = ()
    rules: tuple[str, ...] | None = None
    over_removal_ratio: float = 0.9
    max_input_bytes: int = 50_000_000

    def __post_init__(self) -> None:
        unknown = sorted((set(self.disabled_rules) | set(self.rules or ())) - set(RULE_NAMES))
        if unknown:
            raise ValueError(f"unknown rule name(s) {unknown}; known rules: {', '.join(RULE_NAMES)}")
        if self.rules is not None:
            object.__setattr__(self, "rules", tuple(sorted(set(self.rules))))
        if not 0.0 < self.over_removal_ratio <= 1.0:
            raise ValueError("over_removal_ratio must be in (0, 1]")
        if self.max_input_bytes <= 0:
            raise ValueError("max_input_bytes must be positive")
        object.__setattr__(self, "disabled_rules", tuple(sorted(set(self.disabled_rules))))

    def rule_names(self) -> tuple[str, ...]:
        """The text rules that run, in their order: ``rules`` (all when None) less ``disabled_rules``."""
        return tuple(name for name in RULE_NAMES
                     if (self.rules is None or name in self.rules) and name not in self.disabled_rules)

    def fingerprint(self) -> str:
        """A short hash of the values, the library's own code and the versions of the libraries it
        uses: everything that shapes the output."""
        values = asdict(self)
        del values["max_input_bytes"]  # a limit, not a way of cleaning: raising it re-cleans nothing
        payload = {"config": values, "pipeline": PIPELINE_VERSION, "code": code_digest(), "libs": library_versions()}
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        return digest[:16]


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of the cleaning library's source files, read once per process."""
    return source_digest(Path(__file__).resolve().parent)


def source_digest(package: Path) -> str:
    """A hash of the paths and bytes of the files under ``package`` that shape the output: its
    ``.py`` files and the language packs."""
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.toml")]):
        relative = path.relative_to(package).as_posix()
        if relative in _NOT_CLEANING:
            continue
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def library_versions() -> dict[str, str]:
    return dict(_library_versions())


@functools.lru_cache(maxsize=1)
def _library_versions() -> tuple[tuple[str, str], ...]:
    versions = {}
    for name in _VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # pragma: no cover - a broken install
            versions[name] = "missing"
    return tuple(sorted(versions.items()))
