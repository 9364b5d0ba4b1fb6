"""The one results convention shared by every module.

Every result object has its main tidy table from ``summary()`` (or a ``table``
field), learned values in attributes ending in ``_`` (fitted models), and the
conventions that produced it in one ``settings`` mapping — never in
``DataFrame.attrs``, which ``pd.concat`` and most pandas operations drop.

Statistical tables use one column vocabulary (the names statsmodels and
pymc-marketing readers know): :data:`STAT_COLUMNS`.  Pairs of constructs are
indexed ``"A -> B"``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

STAT_COLUMNS = ("estimate", "std_error", "t_value", "p_value", "ci_lower", "ci_upper")


def pair_label(source, target) -> str:
    """The index label of a path or pair: ``"A -> B"``."""
    return f"{source} -> {target}"


def wald_table(estimate: pd.Series, std_error, *, level: float = 0.95, dof: float | None = None,
               index_name: str = "parameter") -> pd.DataFrame:
    """Estimates with standard errors, t values, two-sided p values and Wald intervals (normal, or t with ``dof``).

    The p value tests estimate = 0; for parameters that are positive by construction
    (e.g. gamma shapes) read the interval rather than the p value.
    """
    est = pd.Series(estimate, dtype=float)
    se = np.asarray(std_error, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = est.to_numpy() / se
    dist = stats.norm if dof is None else stats.t(dof)
    q = dist.ppf(0.5 + level / 2)
    out = pd.DataFrame({"estimate": est.to_numpy(), "std_error": se, "t_value": t,
                        "p_value": 2 * dist.sf(np.abs(t)),
                        "ci_lower": est.to_numpy() - q * se, "ci_upper": est.to_numpy() + q * se}, index=est.index)
    out.index.name = index_name
    return out


def table_and_settings(data, name: str = "data") -> tuple[pd.DataFrame, dict]:
    """``(table, settings)`` of a result object (``.table`` and ``.settings``) or of a plain DataFrame (no settings)."""
    from .validation import CrmlabValueError

    if isinstance(data, pd.DataFrame):
        return data, {}
    table, settings = getattr(data, "table", None), getattr(data, "settings", None)
    if isinstance(table, pd.DataFrame) and isinstance(settings, dict):
        return table, settings
    raise CrmlabValueError(f"{name} must be a pandas DataFrame or a crmlab result with .table and .settings, "
                           f"got {type(data).__name__}")
