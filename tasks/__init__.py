"""Luigi layer of newsclean: ``luigi --module tasks Clean``."""
from .clean import Clean, CleanBatch

__all__ = ["Clean", "CleanBatch"]
