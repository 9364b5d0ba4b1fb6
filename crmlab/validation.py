"""Input checks shared by every public entry point.

Modelled on scikit-learn's ``utils/validation.py``: each public function checks
its inputs once, at the boundary, and raises :class:`CrmlabValueError` (a
``ValueError``) whose message names the argument or column, the offending
value and the rule it broke.  Nothing here clips, drops or reorders data.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd


class CrmlabValueError(ValueError):
    """A user-supplied value broke a documented rule."""


def _preview(values: Iterable, limit: int = 5) -> str:
    values = list(values)
    shown = ", ".join(repr(v.item() if isinstance(v, np.generic) else v) for v in values[:limit])
    more = f" … (+{len(values) - limit} more)" if len(values) > limit else ""
    return f"[{shown}{more}]"


def check_columns(df: pd.DataFrame, columns: Sequence[str], *, name: str = "data") -> None:
    """Raise if any of ``columns`` is missing from ``df``."""
    if not isinstance(df, pd.DataFrame):
        raise CrmlabValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise CrmlabValueError(
            f"{name} has no column(s) {_preview(missing)}; available columns: {_preview(df.columns, 12)}"
        )


def check_numeric(df: pd.DataFrame, columns: Sequence[str], *, name: str = "data") -> None:
    """Raise if a column is not numeric (names the column and a sample bad value)."""
    check_columns(df, columns, name=name)
    for col in columns:
        if not pd.api.types.is_numeric_dtype(df[col]) or pd.api.types.is_bool_dtype(df[col]):
            coerced = pd.to_numeric(df[col], errors="coerce")
            bad = df.loc[coerced.isna() & df[col].notna(), col]
            raise CrmlabValueError(
                f"{name} column {col!r} must be numeric; non-numeric values {_preview(bad.unique())} "
                f"in rows {_preview(bad.index)}"
            )


def check_no_missing(df: pd.DataFrame, columns: Sequence[str], *, name: str = "data") -> None:
    """Raise if any of ``columns`` holds a missing value, naming rows and columns."""
    check_columns(df, columns, name=name)
    na = df[list(columns)].isna()
    if na.to_numpy().any():
        cols = [c for c in columns if na[c].any()]
        rows = df.index[na.any(axis=1)]
        raise CrmlabValueError(
            f"{name} has missing values in column(s) {_preview(cols)} at rows {_preview(rows)}; "
            "fill or drop them explicitly before calling (nothing is dropped silently)"
        )


def check_in_range(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    low: float,
    high: float,
    name: str = "data",
    what: str = "declared scale",
) -> None:
    """Raise if a value in ``columns`` lies outside ``[low, high]`` (missing values are ignored here)."""
    check_numeric(df, columns, name=name)
    for col in columns:
        s = df[col]
        bad = s[(s < low) | (s > high)]
        if len(bad):
            raise CrmlabValueError(
                f"{name} column {col!r} has values {_preview(bad.unique())} outside the {what} "
                f"[{low:g}, {high:g}] (rows {_preview(bad.index)})"
            )


def check_not_constant(df: pd.DataFrame, columns: Sequence[str], *, name: str = "data") -> None:
    """Raise if a column has zero variance (a constant item cannot be standardised)."""
    for col in columns:
        if df[col].nunique(dropna=True) <= 1:
            values = df[col].dropna().unique()
            raise CrmlabValueError(
                f"{name} column {col!r} is constant (every value is {_preview(values)[1:-1] or 'missing'}); "
                "a zero-variance column carries no information and cannot be standardised"
            )


def check_scalar(
    value,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
) -> float:
    """Check a scalar parameter against an interval and return it as float (or int)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise CrmlabValueError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    if not np.isfinite(value):
        raise CrmlabValueError(f"{name} must be finite, got {value!r}")
    if integer and float(value) != int(value):
        raise CrmlabValueError(f"{name} must be a whole number, got {value!r}")
    if low is not None and (value < low or (value == low and not low_inclusive)):
        op = ">=" if low_inclusive else ">"
        raise CrmlabValueError(f"{name} must be {op} {low:g}, got {value!r}")
    if high is not None and (value > high or (value == high and not high_inclusive)):
        op = "<=" if high_inclusive else "<"
        raise CrmlabValueError(f"{name} must be {op} {high:g}, got {value!r}")
    return int(value) if integer else float(value)


def check_choice(value, name: str, choices: Iterable) -> None:
    """Raise if ``value`` is not one of ``choices``."""
    choices = list(choices)
    if value not in choices:
        raise CrmlabValueError(f"{name} must be one of {choices}, got {value!r}")


def check_weights(weights, name: str = "weights", *, atol: float = 1e-6, sum_to_one: bool = True) -> np.ndarray:
    """Check a weight vector: finite, non-negative and (by default) summing to 1 within ``atol``."""
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.size == 0:
        raise CrmlabValueError(f"{name} must be a non-empty 1-D vector, got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise CrmlabValueError(f"{name} must be finite, got {_preview(w)}")
    if np.any(w < 0):
        raise CrmlabValueError(f"{name} must be non-negative; negative entries {_preview(w[w < 0])}")
    if sum_to_one and abs(w.sum() - 1.0) > atol:
        raise CrmlabValueError(f"{name} must sum to 1 (tolerance {atol:g}); they sum to {w.sum():.6g}")
    return w


def check_probability_matrix(matrix, name: str = "transition matrix", *, atol: float = 1e-8) -> np.ndarray:
    """Check a row-stochastic matrix: square, entries in [0, 1], rows summing to 1 within ``atol``."""
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise CrmlabValueError(f"{name} must be square, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise CrmlabValueError(f"{name} must be finite")
    if np.any((m < 0) | (m > 1)):
        i, j = np.argwhere((m < 0) | (m > 1))[0]
        raise CrmlabValueError(f"{name} entry [{i}, {j}] = {m[i, j]:g} is not a probability in [0, 1]")
    sums = m.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1) > atol)
    if bad.size:
        raise CrmlabValueError(
            f"{name} rows must sum to 1 (tolerance {atol:g}); row(s) {bad.tolist()} sum to "
            f"{_preview(np.round(sums[bad], 10))}"
        )
    return m
