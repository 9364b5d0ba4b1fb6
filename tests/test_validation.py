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
    assert to_jsonable(df) == {"columns": ["x"], "index": ["r1", "r2"], "data": [[1], [2]]}
    assert to_jsonable(np.float64(2.0)) == 2.0 and isinstance(to_jsonable(np.int64(3)), int)
