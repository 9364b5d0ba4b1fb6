"""Report runner (papermill) and the one way notebooks record key results."""
from .results import record

__all__ = ["record"]
