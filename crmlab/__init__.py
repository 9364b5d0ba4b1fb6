"""crmlab: formulas and models for customer-relationship analytics, one module per concept.

See README.md for the module map; every formula's docstring cites its source.
"""
from .report.results import record
from .validation import CrmlabValueError

__version__ = "0.1.0"
__all__ = ["record", "CrmlabValueError", "__version__"]
