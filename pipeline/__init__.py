"""newsclean's cleaning library: raw news articles in, clean body text and a record of removals out.

    >>> from pipeline import clean_text
    >>> result = clean_text("Advertisement\\n\\nThe minister spoke on Tuesday.")
    >>> result.text
    'The minister spoke on Tuesday.\\n'
    >>> [(r.rule, r.text) for r in result.removals]
    [('ad-marker', 'Advertisement')]

Pure: no luigi, no config files, no environment, no file writes.
"""
from .clean import clean_bytes, clean_html, clean_text, detect_kind
from .config import PIPELINE_VERSION, CleanConfig
from .text.decode import InputError
from .model import CleanResult, Removal
from .records import record
from .rules import RULE_NAMES

__all__ = [
    "clean_bytes", "clean_html", "clean_text", "detect_kind", "CleanConfig", "CleanResult", "Removal",
    "InputError", "record", "RULE_NAMES", "PIPELINE_VERSION",
]
