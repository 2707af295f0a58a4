"""Luigi layer of newsclean: ``luigi --module tasks Clean`` (or ``newsclean run``)."""
from . import defaults  # noqa: F401  (Luigi's settings for newsclean, before Luigi reads them)
from .clean import Clean, CleanBatch

__all__ = ["Clean", "CleanBatch"]
