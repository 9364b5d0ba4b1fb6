"""Relationship-strategy frameworks as small calculators and tables (SPEC §5, §3.4).

- Kotler's five relationship levels (seed 002 "客户关系选型"; seed 003 §2.1.2(4)): basic,
  reactive, accountable, proactive, partnership, chosen from a 3 × 3 table of the number
  of customers × the margin level.  The cells are Kotler's (Kotler, *Marketing
  Management*, "levels of relationship marketing" figure): many customers — accountable /
  reactive / basic-or-reactive for high / medium / low margin; a medium number —
  proactive / accountable / reactive; few — partnership / proactive / accountable.
- Berry & Parasuraman's three levels of relationship marketing (seed 002): financial,
  social and structural bonds.
- Customer-relationship lifecycle (seed 003 §2.5): exploration (考察期), formation (形成期),
  stability (稳定期), decline (退化期).  The seed describes each stage qualitatively; the
  rules in :func:`lifecycle_stage` are an explicit operationalisation on a customer's
  profit per period (decision recorded here and returned as a table).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .validation import CrmlabValueError, _preview, check_finite_vector, check_numeric, check_scalar

CUSTOMER_LEVELS = ("many", "medium", "few")
MARGIN_LEVELS = ("high", "medium", "low")

KOTLER_RELATIONSHIP_TABLE = pd.DataFrame(
    [["accountable", "reactive", "basic_or_reactive"],
     ["proactive", "accountable", "reactive"],
     ["partnership", "proactive", "accountable"]],
    index=pd.Index(CUSTOMER_LEVELS, name="number_of_customers"),
    columns=pd.Index(MARGIN_LEVELS, name="margin"),
)
"""Kotler's 3 × 3 choice table: rows number of customers, columns margin level."""

RELATIONSHIP_LEVELS = pd.DataFrame(
    {"level": ["basic", "reactive", "accountable", "proactive", "partnership"],
     "zh": ["基本型", "被动型", "负责型", "能动型", "伙伴型"],
     "description": ["Sells the product and does not contact the customer again.",
                     "Sells and encourages the customer to call with questions or complaints.",
                     "Calls the customer after the sale to check the product met expectations and collects suggestions.",
                     "Keeps contacting the customer with suggestions for improved use and new products.",
                     "Works continuously with the customer to solve problems and support their success."]}
)
"""Kotler's five levels with seed 002's descriptions."""

BERRY_PARASURAMAN_LEVELS = pd.DataFrame(
    {"level": [1, 2, 3], "bond": ["financial_bonds", "social_bonds", "structural_bonds"],
     "description": ["Financial benefits to the customer (frequency programmes, compensation promises).",
                     "Financial plus social benefits: personalised service, customer clubs.",
                     "Financial, social and structural ties: services the customer cannot get elsewhere (partnership)."]}
)
"""Berry & Parasuraman's three levels of relationship marketing (seed 002)."""


def _level(values, cutoffs, labels_low_to_high, name, cutoff_name, *, rate: bool = False):
    """Map categories (passed through after checking) or numbers (via two ascending cut-offs) to levels.

    ``rate=True``: values and cut-offs are rates in [0, 1] (a margin of 45 % is 0.45); a
    number above 1 is taken for a percentage and refused rather than classed "high".
    """
    arr = np.atleast_1d(np.asarray(values, dtype=object))
    if all(isinstance(v, str) for v in arr):
        bad = [v for v in arr if v not in labels_low_to_high]
        if bad:
            raise CrmlabValueError(f"{name} must be one of {list(labels_low_to_high)} or a number with cut-offs; got {_preview(bad)}")
        return arr
    if cutoffs is None:
        raise CrmlabValueError(f"{name} is numeric, so {cutoff_name}=(lower boundary, upper boundary) is needed")
    cut = check_finite_vector(cutoffs, cutoff_name)
    if cut.shape != (2,) or cut[0] > cut[1]:
        raise CrmlabValueError(f"{cutoff_name} must be two ascending numbers, got {list(cutoffs)}")
    try:
        x = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise CrmlabValueError(f"{name} must be all level names {list(labels_low_to_high)} or all numbers, got {_preview(arr)}") from None
    if not np.all(np.isfinite(x)) or np.any(x < 0):
        raise CrmlabValueError(f"{name} must be finite and non-negative, got {_preview(x)}")
    if rate and (np.any(x > 1) or np.any(cut > 1) or np.any(cut < 0)):
        raise CrmlabValueError(f"{name} and {cutoff_name} are rates between 0 and 1 (a 45 % margin is 0.45); got {name} "
                               f"{_preview(x)} and {cutoff_name} {list(cut)} — divide percentages by 100")
    return np.asarray(labels_low_to_high, dtype=object)[np.searchsorted(cut, x, side="right")]


def kotler_relationship_level(number_of_customers, margin, *, customer_cutoffs: Sequence[float] | None = None,
                              margin_cutoffs: Sequence[float] | None = None) -> pd.DataFrame:
    """Kotler's recommended relationship level for each (number of customers, margin) pair.

    Give levels ("many"/"medium"/"few"; "high"/"medium"/"low") or numbers with
    cut-offs: ``customer_cutoffs=(a, b)`` — below a few, a ≤ n < b medium, ≥ b many;
    ``margin_cutoffs=(a, b)`` — below a low, a ≤ m < b medium, ≥ b high (margins and their
    cut-offs are rates in [0, 1]).  Returns the
    levels used and the relationship level (a key of ``RELATIONSHIP_LEVELS`` or
    "basic_or_reactive", Kotler's own cell).
    """
    nc = _level(number_of_customers, customer_cutoffs, ("few", "medium", "many"), "number_of_customers", "customer_cutoffs")
    mg = _level(margin, margin_cutoffs, ("low", "medium", "high"), "margin", "margin_cutoffs", rate=True)
    if len(nc) != len(mg):
        raise CrmlabValueError(f"number_of_customers and margin must have the same length, got {len(nc)} and {len(mg)}")
    tab = KOTLER_RELATIONSHIP_TABLE
    level = tab.to_numpy()[[tab.index.get_loc(v) for v in nc], [tab.columns.get_loc(v) for v in mg]]
    return pd.DataFrame({"number_of_customers_level": nc, "margin_level": mg, "relationship_level": level})


LIFECYCLE_RULES = pd.DataFrame(
    {"order": [1, 2, 3, 4],
     "stage": ["exploration", "decline", "formation", "stability"],
     "rule": ["first purchase in the last period (new customer), or cumulative profit ≤ 0",
              "last-period profit < (1 − trend_tol) × previous-period profit",
              "last-period profit > (1 + trend_tol) × previous-period profit",
              "otherwise (profit positive and within ±trend_tol of the previous period)"],
     "seed_profile": ["small contribution, enterprise earns only basic benefit",
                      "volume falls, profit drops quickly",
                      "revenue exceeds investment and grows, profit rising",
                      "high price accepted, large and steady profit"]}
)
"""Lifecycle rules, checked in ``order`` (first match wins); profiles from seed 003 §2.5.2–2.5.3."""


def lifecycle_stage(profit_by_period: pd.DataFrame, *, trend_tol: float = 0.10) -> pd.DataFrame:
    """Lifecycle stage per customer from profit per period (rows customers, columns periods in time order).

    Periods without purchases hold 0.  Rules in ``LIFECYCLE_RULES`` (first match wins);
    ``trend_tol`` is the relative change treated as flat.  Returns the stage, the
    inputs of the rules (active periods, cumulative, last and previous profit, change)
    so each assignment can be checked.
    """
    if not isinstance(profit_by_period, pd.DataFrame) or profit_by_period.shape[1] < 2:
        raise CrmlabValueError("profit_by_period must be a DataFrame with at least 2 period columns (in time order)")
    cols = list(profit_by_period.columns)
    check_numeric(profit_by_period, cols, name="profit_by_period")
    x = profit_by_period.to_numpy(dtype=float)
    if np.isinf(x).any():
        raise CrmlabValueError(f"profit_by_period has infinite values at rows {_preview(profit_by_period.index[np.isinf(x).any(axis=1)])}")
    if np.isnan(x).any():
        rows = profit_by_period.index[np.isnan(x).any(axis=1)]
        raise CrmlabValueError(f"profit_by_period has missing values at rows {_preview(rows)}; enter 0 for periods without purchases")
    tol = check_scalar(trend_tol, "trend_tol", low=0, high=1)
    active = (x != 0).sum(axis=1)
    cum = x.sum(axis=1)
    last, prev = x[:, -1], x[:, -2]
    change = np.where(prev != 0, (last - prev) / np.abs(np.where(prev != 0, prev, 1)), np.where(last > 0, np.inf, 0.0))
    new = (x[:, :-1] == 0).all(axis=1)
    stage = np.select([new | (cum <= 0), change < -tol, change > tol], ["exploration", "decline", "formation"], "stability")
    return pd.DataFrame({"active_periods": active, "cumulative_profit": cum, "previous_profit": prev, "last_profit": last,
                         "relative_change": change, "stage": stage}, index=profit_by_period.index)
