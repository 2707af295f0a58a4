"""The one configuration object of the cleaning library, and its fingerprint."""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass
from importlib import metadata

# Bumped whenever a change to the library can change its output for the same input and config.
PIPELINE_VERSION = "0.1.0"

# The libraries whose behaviour is part of the output (pinned in pyproject.toml).
_VERSIONED = ("trafilatura", "ftfy", "lxml", "regex", "charset-normalizer")


@dataclass(frozen=True)
class CleanConfig:
    """How to clean. Every field has a default that reproduces the golden files.

    - ``prune_html``: drop structural boilerplate (figure captions, ad slots, related boxes,
      comment and newsletter sections) from the HTML tree before extraction.
    - ``disabled_rules``: names of text rules to skip (see ``pipeline.rules.RULE_NAMES``).
    - ``over_removal_ratio``: warn when more than this share of the input text is removed.
    - ``max_input_bytes``: larger inputs are refused with an error instead of being cleaned.
    """

    prune_html: bool = True
    disabled_rules: tuple[str, ...] = ()
    over_removal_ratio: float = 0.9
    max_input_bytes: int = 50_000_000

    def __post_init__(self) -> None:
        from .rules import RULE_NAMES  # late import: rules import nothing from here

        unknown = sorted(set(self.disabled_rules) - set(RULE_NAMES))
        if unknown:
            raise ValueError(f"unknown rule name(s) {unknown}; known rules: {', '.join(RULE_NAMES)}")
        if not 0.0 < self.over_removal_ratio <= 1.0:
            raise ValueError("over_removal_ratio must be in (0, 1]")
        if self.max_input_bytes <= 0:
            raise ValueError("max_input_bytes must be positive")
        object.__setattr__(self, "disabled_rules", tuple(sorted(set(self.disabled_rules))))

    def fingerprint(self) -> str:
        """A short hash of the values and of the library versions that shape the output."""
        values = asdict(self)
        del values["max_input_bytes"]  # a limit, not a way of cleaning: raising it re-cleans nothing
        payload = {"config": values, "pipeline": PIPELINE_VERSION, "libs": library_versions()}
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        return digest[:16]


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
