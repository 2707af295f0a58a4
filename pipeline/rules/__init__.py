"""The default rules, in the order they run. Later rules see what earlier ones removed."""
from __future__ import annotations

from .caption import CAPTION
from .lines import (
    AD_MARKER,
    CALL_TO_ACTION,
    COMMENT_WIDGET,
    CORRECTION_PROMPT,
    NEWSLETTER_PROMPT,
    RELATED_LINK,
    SHARE_PROMPT,
    STRAY_URL,
)
from .region import BODY_REGION
from .related import RELATED_BLOCK
from .repeat import REPEAT
from .signoff import SIGNOFF
from .title import TITLE

DEFAULT_RULES = (
    STRAY_URL,
    AD_MARKER,
    CAPTION,
    COMMENT_WIDGET,
    CORRECTION_PROMPT,
    SHARE_PROMPT,
    NEWSLETTER_PROMPT,
    CALL_TO_ACTION,
    BODY_REGION,
    RELATED_BLOCK,
    RELATED_LINK,
    REPEAT,
    TITLE,
    SIGNOFF,
)
RULE_NAMES = tuple(rule.name for rule in DEFAULT_RULES)


def active_rules(names: tuple[str, ...] = RULE_NAMES) -> tuple:
    """The rules of ``names``, in the order they run."""
    return tuple(rule for rule in DEFAULT_RULES if rule.name in names)
