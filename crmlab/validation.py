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
    if isinstance(columns, str):
        columns = [columns]
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


def check_finite(df: pd.DataFrame, columns: Sequence[str], *, name: str = "data") -> None:
    """Raise unless ``columns`` are numeric and hold no missing or infinite values (names column and rows)."""
    check_numeric(df, columns, name=name)
    check_no_missing(df, columns, name=name)
    for col in columns:
        inf = np.isinf(df[col].to_numpy(dtype=float))
        if inf.any():
            raise CrmlabValueError(f"{name} column {col!r} has infinite values at rows {_preview(df.index[inf])}")


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


def as_float_array(values, name: str) -> np.ndarray:
    """``values`` as a float array; text or other non-numbers raise naming ``name`` and a sample value."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        flat = np.asarray(values, dtype=object).ravel()
        bad = [v for v in flat if not isinstance(v, (int, float, np.number)) or isinstance(v, bool)]
        raise CrmlabValueError(f"{name} must hold numbers only; got {_preview(bad)}") from None


def check_weights(weights, name: str = "weights", *, atol: float = 1e-6, sum_to_one: bool = True) -> np.ndarray:
    """Check a weight vector: finite, non-negative and (by default) summing to 1 within ``atol``."""
    w = as_float_array(weights, name)
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


# --------------------------------------------------------------------------- fitted models
class NotFittedError(CrmlabValueError, AttributeError):
    """A model was used before ``fit`` (a ``ValueError`` and ``AttributeError``, as in scikit-learn)."""


def check_is_fitted(model, attribute: str = "params_") -> None:
    """Raise :class:`NotFittedError` unless ``model`` has the learned ``attribute`` (set by ``fit``)."""
    if getattr(model, attribute, None) is None:
        raise NotFittedError(f"this {type(model).__name__} is not fitted yet; call .fit(...) first")


# --------------------------------------------------------------------------- iterative fits
CONVERGENCE_POLICIES = ("raise", "warn")


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped before its convergence criterion held (``on_nonconvergence="warn"``)."""


class ConvergenceError(CrmlabValueError, RuntimeError):
    """An iterative fit stopped before its convergence criterion held (``on_nonconvergence="raise"``, the default)."""


def check_convergence(converged: bool, *, what: str, detail: str, policy: str = "raise") -> None:
    """The one non-convergence policy of every iterative fit.

    ``policy="raise"`` (default) raises :class:`ConvergenceError`; ``"warn"`` issues a
    :class:`ConvergenceWarning` and lets the caller keep the last iterate, which the
    model then marks with ``converged_ = False``.  ``what`` names the model, ``detail``
    says how it stopped (iterations, tolerance, optimiser message).
    """
    check_choice(policy, "on_nonconvergence", CONVERGENCE_POLICIES)
    if converged:
        return
    message = (f"{what} did not converge: {detail}. Its estimates are not a solution; "
               "check the data (constant or collinear columns, too few rows) or pass on_nonconvergence='warn' "
               "to keep the last iterate")
    if policy == "raise":
        raise ConvergenceError(message)
    import warnings

    warnings.warn(message, ConvergenceWarning, stacklevel=3)


# --------------------------------------------------------------------------- scales
def check_scale(scale, name: str = "scale") -> tuple[float, float]:
    """Check a survey-item scale ``(low, high)``: two finite numbers with low < high; return them as floats."""
    try:
        low, high = scale
    except (TypeError, ValueError):
        raise CrmlabValueError(f"{name} must be a pair (low, high), e.g. (1, 7); got {scale!r}") from None
    low = check_scalar(low, f"{name} low end")
    high = check_scalar(high, f"{name} high end")
    if not low < high:
        raise CrmlabValueError(f"{name} must have low < high, got ({low:g}, {high:g})")
    return low, high


def check_on_scale(values, scale, name: str) -> np.ndarray:
    """Check that every finite value of ``values`` lies on ``scale = (low, high)``; return a float array."""
    low, high = check_scale(scale)
    v = as_float_array(values, name)
    if not np.isfinite(v).all():
        raise CrmlabValueError(f"{name} must be finite numbers; got {_preview(np.atleast_1d(v)[~np.isfinite(np.atleast_1d(v))])}")
    bad = v[(v < low) | (v > high)]
    if bad.size:
        raise CrmlabValueError(f"{name} has value(s) {_preview(np.unique(bad))} outside the scale [{low:g}, {high:g}]")
    return v


# --------------------------------------------------------------------------- labelled inputs
def check_labels(given, expected, *, name: str, what: str = "labels") -> None:
    """Raise unless ``given`` holds exactly the labels ``expected`` (any order), naming the extra and missing ones."""
    given, expected = list(given), list(expected)
    dup = sorted({g for g in given if given.count(g) > 1}, key=str)
    if dup:
        raise CrmlabValueError(f"{name} has duplicated {what} {_preview(dup)}")
    extra = [g for g in given if g not in expected]
    missing = [e for e in expected if e not in given]
    if extra or missing:
        raise CrmlabValueError(f"{name} {what} do not match: unexpected {_preview(extra)}, missing {_preview(missing)} "
                               f"(expected {_preview(expected, 12)})")


def aligned_square(matrix, name: str, *, labels=None) -> tuple[np.ndarray, list]:
    """A square matrix as a float array in a fixed label order, and that order.

    A labelled :class:`pandas.DataFrame` is aligned by label: its columns must be the
    same labels as its index (in any order) and, when ``labels`` is given, exactly
    those labels; the result follows ``labels`` (or the index order).  An unlabelled
    array is taken by position and labelled by ``labels`` (or 0, 1, …).
    """
    if isinstance(matrix, pd.DataFrame):
        index = list(matrix.index)
        check_labels(matrix.columns, index, name=f"{name} columns", what="labels (they must be the row labels)")
        order = index if labels is None else list(labels)
        if labels is not None:
            check_labels(index, order, name=f"{name} rows")
        m = as_float_array(matrix.loc[order, order].to_numpy(), name)
        return m, order
    try:
        m = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        raise CrmlabValueError(f"{name} must be numeric, got {type(matrix).__name__}") from None
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise CrmlabValueError(f"{name} must be square, got shape {m.shape}")
    order = list(range(m.shape[0])) if labels is None else list(labels)
    if len(order) != m.shape[0]:
        raise CrmlabValueError(f"{name} has {m.shape[0]} rows but {len(order)} labels were given")
    return m, order


def aligned_vector(values, name: str, *, labels) -> np.ndarray:
    """A vector in the order of ``labels``: a Series/Mapping is aligned by label (same labels required), a sequence by position."""
    labels = list(labels)
    if isinstance(values, (pd.Series, dict)):
        s = pd.Series(values)
        check_labels(s.index, labels, name=name)
        return as_float_array(s.loc[labels].to_numpy(), name)
    try:
        v = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise CrmlabValueError(f"{name} must be numeric, got {values!r}") from None
    if v.ndim != 1 or v.size != len(labels):
        raise CrmlabValueError(f"{name} must have one value per label ({len(labels)}: {_preview(labels)}), got shape {v.shape}")
    return v


# --------------------------------------------------------------------------- vectors and designs
def check_random_state(random_state, name: str = "random_state"):
    """A seed for numpy's ``default_rng``: None, a whole number ≥ 0, or a ``numpy.random.Generator``."""
    if random_state is None or isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)) or random_state < 0:
        raise CrmlabValueError(f"{name} must be None or a whole number >= 0, got {random_state!r}")
    return int(random_state)


def check_finite_vector(values, name: str, *, min_size: int = 1) -> np.ndarray:
    """A 1-D vector of at least ``min_size`` finite numbers as a float array (strings and NaN/inf raise)."""
    v = as_float_array(values, name)
    if v.ndim != 1:
        raise CrmlabValueError(f"{name} must be a 1-D sequence of numbers, got shape {v.shape}")
    if v.size < min_size:
        raise CrmlabValueError(f"{name} needs at least {min_size} value(s), got {v.size}")
    if not np.all(np.isfinite(v)):
        raise CrmlabValueError(f"{name} must be finite; got {_preview(v[~np.isfinite(v)])}")
    return v


def check_regression_design(design: pd.DataFrame, *, name: str = "data") -> None:
    """Raise unless a least-squares design (rows × terms, intercept included) identifies every coefficient.

    Rules: more rows than terms (at least one residual degree of freedom, so standard errors exist)
    and full column rank (no term is an exact linear combination of the others).
    """
    x = design.to_numpy(dtype=float)
    n, k = x.shape
    if n <= k:
        raise CrmlabValueError(f"{name} has {n} row(s) for {k} coefficients ({_preview(design.columns, 8)}); "
                               "least squares needs more rows than coefficients to estimate standard errors")
    rank = np.linalg.matrix_rank(x)
    if rank < k:
        _, _, vt = np.linalg.svd(x, full_matrices=False)
        null = vt[-1]
        involved = [c for c, v in zip(design.columns, null) if abs(v) > 1e-8 * np.abs(null).max()]
        raise CrmlabValueError(f"{name} columns {_preview(involved, 10)} are exactly collinear (design rank {rank} < {k} "
                               "terms): their coefficients are not identified — drop one of them")
