"""Recording key results from inside a notebook.

:func:`record` is the one way a number or small table reaches the report
JSON.  It emits a display output with the MIME type :data:`RESULT_MIME`
(the mechanism scrapbook used; scrapbook itself is unmaintained); the
runner reads these outputs back from the executed notebook with
:func:`read_results`.  Inside JupyterLab the reader sees a one-line text.

``record(name, value, headline=True)`` marks a headline result — a number, or a
flat table of numbers keyed by label (a Series or dict) — that the history page
(:mod:`crmlab.report.history`) charts over the runs; the payload then carries
``"headline": true`` and :func:`read_headlines` lists the marked names.
"""
from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from ..validation import CrmlabValueError

RESULT_MIME = "application/vnd.crmlab.result+json"


def _label(key: Any) -> str:
    """A table label as JSON key text: tuples (MultiIndex rows) joined by " / "."""
    if isinstance(key, tuple):
        return " / ".join(_label(k) for k in key)
    if isinstance(key, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(key).isoformat()
    return str(key.item() if isinstance(key, np.generic) else key)


def _keyed(labels, what: str) -> list[str]:
    keys = [_label(k) for k in labels]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise CrmlabValueError(f"cannot record a table with duplicated {what} labels {dup}: results are keyed by label")
    return keys


def to_jsonable(value: Any) -> Any:
    """Convert numbers, arrays, Series and DataFrames into plain JSON values (NaN -> None).

    Tables are keyed by their labels, rows then columns — ``grid["r = 80%"]["d = 12%"]`` —
    and a Series by its index; duplicated labels cannot be keyed and raise.
    """
    if isinstance(value, pd.DataFrame):
        rows, cols = _keyed(value.index, "row"), _keyed(value.columns, "column")
        data = value.to_numpy(dtype=object)
        return {r: {c: to_jsonable(data[i, j]) for j, c in enumerate(cols)} for i, r in enumerate(rows)}
    if isinstance(value, pd.Series):
        return dict(zip(_keyed(value.index, "index"), (to_jsonable(v) for v in value.to_numpy(dtype=object))))
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    raise CrmlabValueError(f"cannot record a value of type {type(value).__name__}; record numbers, strings, lists, dicts, Series or DataFrames")


_RECORDED: dict[str, Any] = {}


def recorded() -> dict[str, Any]:
    """The results recorded so far in this kernel, as they reach the report JSON (for the summary cell)."""
    return dict(_RECORDED)


def is_number(value: Any) -> bool:
    """A JSON number (not a bool): what the history page can chart."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_headline(name: str, value: Any) -> None:
    """A headline is a number (None: missing) or a non-empty flat dict of numbers (None: missing)."""
    numbers = list(value.values()) if isinstance(value, dict) and value else [value]
    if not all(v is None or is_number(v) for v in numbers):
        raise CrmlabValueError(f"headline result {name!r} must be a number or a flat table of numbers keyed by label "
                               f"(a Series or dict), got {json.dumps(value, ensure_ascii=False)[:80]}")


def record(name: str, value: Any, *, display: bool = True, headline: bool = False) -> None:
    """Record a key result ``name`` for the report JSON (shown as a one-line note in the notebook).

    ``headline=True`` marks it for the history page's charts over the runs; it must
    then be a number or a flat table of numbers keyed by label (a Series or dict).
    """
    if not isinstance(name, str) or not name:
        raise CrmlabValueError(f"result name must be a non-empty string, got {name!r}")
    if not isinstance(headline, bool):
        raise CrmlabValueError(f"headline must be True or False, got {headline!r}")
    value = to_jsonable(value)
    if headline:
        _check_headline(name, value)
    # the value travels as JSON text: nbformat saves notebooks with sorted keys, which would reorder tables' rows
    payload = {"name": name, "json": json.dumps(value, ensure_ascii=False)}
    if headline:
        payload["headline"] = True
    _RECORDED[name] = value
    if display:
        from IPython.display import display as ipy_display

        text = payload["json"]
        if len(text) > 120:
            text = text[:117] + "..."
        ipy_display({RESULT_MIME: payload, "text/plain": f"recorded {name} = {text}"}, raw=True)


def _payloads(nb) -> dict[str, dict]:
    """The last recorded payload of each name in an executed notebook, in the order names were first recorded."""
    payloads: dict[str, dict] = {}
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if RESULT_MIME in data:
                payloads[data[RESULT_MIME]["name"]] = data[RESULT_MIME]
    return payloads


def read_results(nb) -> dict[str, Any]:
    """Collect every recorded result from an executed notebook (later records of a name win)."""
    return {name: json.loads(payload["json"]) for name, payload in _payloads(nb).items()}


def read_headlines(nb) -> list[str]:
    """Names of the results whose last record was marked ``headline=True``, in recording order."""
    return [name for name, payload in _payloads(nb).items() if payload.get("headline") is True]
