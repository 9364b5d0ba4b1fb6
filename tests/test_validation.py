"""The shared input checks name the column, the value and the rule."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab.report.results import to_jsonable
from crmlab.validation import (
    CrmlabValueError, check_in_range, check_no_missing, check_not_constant, check_numeric,
    check_probability_matrix, check_scalar, check_weights,
)


def test_out_of_range_names_column_value_rows_and_scale():
    df = pd.DataFrame({"sat1": [1, 5, 11], "sat2": [1, 2, 3]})
    with pytest.raises(CrmlabValueError, match=r"'sat1' has values \[11\] outside the declared scale \[1, 10\] \(rows \[2\]\)"):
        check_in_range(df, ["sat1", "sat2"], low=1, high=10)


def test_non_numeric_missing_constant():
    df = pd.DataFrame({"a": ["1", "x", "3"], "b": [1.0, np.nan, 2.0], "c": [4, 4, 4]})
    with pytest.raises(CrmlabValueError, match=r"column 'a' must be numeric; non-numeric values \['x'\] in rows \[1\]"):
        check_numeric(df, ["a"])
    with pytest.raises(CrmlabValueError, match=r"missing values in column\(s\) \['b'\] at rows \[1\]"):
        check_no_missing(df, ["b", "c"])
    with pytest.raises(CrmlabValueError, match=r"'c' is constant \(every value is 4\)"):
        check_not_constant(df, ["c"])


def test_scalars_weights_and_transition_matrices():
    with pytest.raises(CrmlabValueError, match=r"rate must be < 1, got 1.2"):
        check_scalar(1.2, "rate", low=0, high=1, high_inclusive=False)
    with pytest.raises(CrmlabValueError, match="sum to 1 .* they sum to 0.9"):
        check_weights([0.5, 0.4])
    with pytest.raises(CrmlabValueError, match=r"row\(s\) \[1\] sum to \[0.9\]"):
        check_probability_matrix([[0.5, 0.5], [0.4, 0.5]])
    with pytest.raises(CrmlabValueError, match="must be square"):
        check_probability_matrix([[0.5, 0.5]])


def test_to_jsonable_handles_pandas_numpy_and_nan():
    s = pd.Series([1.5, np.nan], index=["a", "b"])
    assert to_jsonable(s) == {"a": 1.5, "b": None}
    df = pd.DataFrame({"x": [1, 2]}, index=["r1", "r2"])
    assert to_jsonable(df) == {"r1": {"x": 1}, "r2": {"x": 2}}  # keyed by labels: table["r2"]["x"]
    grid = pd.DataFrame({"d = 12%": {"r = 80%": 250.0}})
    assert to_jsonable(grid)["r = 80%"]["d = 12%"] == 250.0
    with pytest.raises(CrmlabValueError, match="duplicated row labels"):
        to_jsonable(pd.DataFrame({"x": [1, 2]}, index=["a", "a"]))
    assert to_jsonable(np.float64(2.0)) == 2.0 and isinstance(to_jsonable(np.int64(3)), int)


# --------------------------------------------------------------------------- shared conventions
from crmlab.validation import (  # noqa: E402
    ConvergenceError, ConvergenceWarning, NotFittedError, aligned_square, aligned_vector, check_convergence,
    check_is_fitted, check_labels, check_on_scale, check_scale,
)


def test_not_fitted_error_is_value_and_attribute_error():
    class Model:
        params_ = None

    with pytest.raises(NotFittedError, match=r"this Model is not fitted yet; call \.fit"):
        check_is_fitted(Model())
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)


def test_convergence_policy_raises_or_warns():
    check_convergence(True, what="X", detail="ok")
    with pytest.raises(ConvergenceError, match=r"X did not converge: 300 iterations"):
        check_convergence(False, what="X", detail="300 iterations")
    with pytest.warns(ConvergenceWarning):
        check_convergence(False, what="X", detail="300 iterations", policy="warn")
    with pytest.raises(CrmlabValueError, match="on_nonconvergence must be one of"):
        check_convergence(False, what="X", detail="", policy="ignore")


def test_scales():
    assert check_scale((1, 7)) == (1.0, 7.0)
    for bad in [(7, 1), (1,), "17", (1, float("nan"))]:
        with pytest.raises(CrmlabValueError, match="scale"):
            check_scale(bad)
    with pytest.raises(CrmlabValueError, match=r"crosshair has value\(s\) \[9\.0\] outside the scale \[1, 7\]"):
        check_on_scale([3, 9], (1, 7), "crosshair")


def test_labelled_inputs_align_by_label_or_raise():
    m = pd.DataFrame([[0.9, 0.1], [0.3, 0.7]], index=["A", "B"], columns=["A", "B"])
    shuffled = m.loc[["B", "A"], ["A", "B"]]
    a1, order1 = aligned_square(m, "P")
    a2, _ = aligned_square(shuffled, "P", labels=order1)
    np.testing.assert_array_equal(a1, a2)
    with pytest.raises(CrmlabValueError, match=r"P columns labels .* do not match: unexpected \['C'\], missing \['B'\]"):
        aligned_square(m.rename(columns={"B": "C"}), "P")
    assert list(aligned_vector(pd.Series({"B": 2.0, "A": 1.0}), "s", labels=["A", "B"])) == [1.0, 2.0]
    with pytest.raises(CrmlabValueError, match=r"s has duplicated labels \['A'\]"):
        check_labels(["A", "A"], ["A", "B"], name="s")
