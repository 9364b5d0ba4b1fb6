"""Describe your data once: a study description, checked before any notebook runs.

A *study* is a small mapping — written in the report runner's parameter file — that
says where a user's data is, how to read it (:func:`crmlab.readers.read_table` options),
which columns mean what, and what the scale and missing-value codes are.  Notebooks take
one study per input (``survey``, ``transactions``, ``customers``, ``purchases``); the
runner checks every study before a kernel starts (:meth:`Study.check`: the file exists
and reads, mapped columns exist, ratings lie on the scale once missing codes are
removed — on a sample, so large files cost well under a second), and ``crmlab check``
prints a profile of the data (:meth:`Study.profile`).  Every error names the parameter
to fix, e.g. ``01_satisfaction: survey.constructs.COMP: column 'c4' is not in wave3.csv``.

Kinds and their keys (``path`` and the reader keys are common to all):

* ``survey`` — one row per respondent: ``scale`` [low, high] of the rating items,
  ``id``, ``constructs`` {construct: [items]} and ``paths`` [[from, to], …] (PLS),
  ``overall`` (overall-satisfaction item) and ``overall_scale``, ``attributes``
  {attribute: performance item} (IPA), ``stated_importance`` {attribute: item},
  ``importance_scale``, ``competitor`` {attribute: item}, ``group`` (column splitting
  respondents, e.g. market or wave), ``servqual`` {dimensions: {dimension: [items]},
  perception_prefix, expectation_prefix, importance: {dimension: points}},
  ``kano`` {attribute: [functional item, dysfunctional item]}.
* ``transactions`` — one row per purchase line: ``customer_id``, ``datetime``,
  ``monetary_value`` and optionally ``order_id``, ``cost`` (column names), ``date_format``.
* ``customers`` — one row per customer: ``id`` and ``indicators`` [{indicator,
  dimension, direction, levels}] (value matrix), optionally ``revenue``, ``profit``.
* ``purchases`` — one row per category purchase: ``customer_id``, ``brand``,
  ``monetary_value``, ``our_brand``, optionally ``market`` and ``satisfaction`` columns.
* ``judgments`` — AHP pairwise judgments, one row per compared pair: ``level`` (the node
  of the hierarchy, e.g. ``criteria``), ``row``, ``column``, ``judgment`` (how much more
  important row is than column: a number or a fraction such as ``1/3``; blank = missing)
  and optionally ``expert`` (column names; :func:`crmlab.ahp.matrices_from_table`).

Reader keys: ``format``, ``encoding``, ``sep`` (one character, or ``whitespace``), ``sheet``,
``header_row``, ``skip_after_header``, ``names`` (column names of a file without a header
row), ``missing_codes``.  Relative paths are relative to the notebooks
folder (the notebooks' working directory).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .readers import read_table
from .validation import CrmlabValueError, _preview

READER_KEYS = ("path", "format", "encoding", "sep", "sheet", "header_row", "skip_after_header", "names", "missing_codes")
KIND_KEYS = {
    "survey": ("id", "scale", "constructs", "paths", "overall", "overall_scale", "attributes", "stated_importance",
               "importance_scale", "competitor", "group", "servqual", "kano", "label"),
    "transactions": ("customer_id", "datetime", "monetary_value", "order_id", "cost", "date_format", "engine", "table", "spark",
                     "memory_limit", "threads", "label"),
    "customers": ("id", "indicators", "revenue", "profit", "label"),
    "purchases": ("customer_id", "brand", "monetary_value", "our_brand", "market", "satisfaction", "label"),
    "judgments": ("expert", "level", "row", "column", "judgment", "label"),
}
REQUIRED = {"survey": ("scale",), "transactions": ("customer_id", "datetime", "monetary_value"),
            "customers": ("id", "indicators"), "purchases": ("customer_id", "brand", "monetary_value", "our_brand"),
            "judgments": ("level", "row", "column", "judgment")}
SAMPLE_ROWS = 20_000


class StudyError(CrmlabValueError):
    """A study description is wrong; the message names the parameter to fix."""


def is_study(value) -> bool:
    """True for a parameter value that is a study description (a mapping with a ``kind``)."""
    return isinstance(value, Mapping) and "kind" in value


@dataclass
class Study:
    """A checked study description: kind, where the data is, and which columns mean what."""

    name: str
    kind: str
    spec: dict
    path: Path | None  # None: a Spark table (``table``)

    # ------------------------------------------------------------------ reading
    @property
    def scan_target(self) -> str | None:
        """What DuckDB can scan in place (a folder of Parquet files, a glob, a Parquet or CSV file), else None."""
        if self.kind != "transactions" or self.path is None:
            return None
        text = str(self.path)
        if self.path.is_dir() or any(ch in text for ch in "*?[") or self.path.suffix.lower() in (".parquet", ".pq"):
            return text
        if self.path.suffix.lower() == ".csv" and self.spec.get("encoding") in (None, "utf-8", "utf8"):
            with open(self.path, "rb") as fh:
                head = fh.read(1 << 16)
            try:
                head.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.start < len(head) - 4:
                    return None
            return None if head.startswith(b"\xef\xbb\xbf") else text
        return None

    @property
    def reader_options(self) -> dict:
        opts = {k: self.spec[k] for k in READER_KEYS[1:] if k in self.spec and k != "missing_codes"}
        opts["missing_codes"] = self.spec.get("missing_codes")
        return opts

    def id_columns(self) -> list[str]:
        if self.kind == "judgments":  # expert, level and item names as text (an item called 1 stays "1")
            return [self.spec[k] for k in ("expert", "level", "row", "column") if self.spec.get(k)]
        key = "customer_id" if self.kind in ("transactions", "purchases") else "id"
        return [self.spec[key]] if self.spec.get(key) else []

    def date_columns(self) -> dict:
        if self.kind == "transactions":
            return {self.spec["datetime"]: self.spec.get("date_format")}
        return {}

    def read(self, *, nrows: int | None = None) -> pd.DataFrame:
        """The study's table, read with its reader options (ids as text, dates parsed, missing codes applied).

        A transaction log in a folder, a glob or a Spark table is not read into memory here: use
        :meth:`crmlab.transactions.TransactionLog.from_study`.
        """
        if self.path is None or self.path.is_dir() or any(ch in str(self.path) for ch in "*?["):
            if nrows is None:
                raise StudyError(f"{self.name}: a log in a folder, glob or Spark table is summarised where it lies — "
                                 "use crmlab.transactions.TransactionLog.from_study")
            return self._sample_scan(nrows)
        try:
            got = read_table(self.path, **self.reader_options, id_columns=self.id_columns(), date_columns=self.date_columns(),
                             nrows=nrows)
        except CrmlabValueError as exc:
            raise StudyError(f"{self.name}: {exc}") from None
        return got.table

    # ------------------------------------------------------------------ columns the study maps
    def mapped_columns(self) -> dict[str, list[str]]:
        """Every column the description names, keyed by the parameter that names it (``survey.constructs.COMP``)."""
        s, out = self.spec, {}

        def add(key, cols):
            cols = [cols] if isinstance(cols, str) else list(cols)
            out[f"{self.name}.{key}"] = cols

        for key in ("id", "customer_id", "datetime", "monetary_value", "order_id", "cost", "overall", "group", "brand",
                    "market", "satisfaction", "revenue", "profit", "expert", "level", "row", "column", "judgment"):
            if s.get(key):
                add(key, s[key])
        for key in ("constructs",):
            for construct, items in (s.get(key) or {}).items():
                add(f"{key}.{construct}", items)
        for key in ("attributes", "stated_importance", "competitor"):
            value = s.get(key) or {}
            for attr, col in (value.items() if isinstance(value, Mapping) else ((c, c) for c in value)):
                add(f"{key}.{attr}", col)
        for attr, pair in (s.get("kano") or {}).items():
            add(f"kano.{attr}", pair)
        sq = s.get("servqual")
        if sq:
            for dim, items in sq["dimensions"].items():
                add(f"servqual.dimensions.{dim}", [sq.get("perception_prefix", "p_") + i for i in items]
                    + [sq.get("expectation_prefix", "e_") + i for i in items])
        for k, ind in enumerate(s.get("indicators") or []):
            add(f"indicators[{k}]", ind["indicator"])
        return out

    def rating_columns(self) -> dict[str, tuple[list[str], tuple[float, float]]]:
        """Rating items and the scale they must lie on, keyed by the parameter that declares the scale."""
        s = self.spec
        out: dict[str, tuple[list[str], tuple[float, float]]] = {}
        if self.kind != "survey" or "scale" not in s:
            return out
        items = [c for cols in (s.get("constructs") or {}).values() for c in cols]
        items += list((s.get("attributes") or {}).values()) if isinstance(s.get("attributes"), Mapping) else list(s.get("attributes") or [])
        items += list((s.get("competitor") or {}).values())
        sq = s.get("servqual")
        if sq:
            items += [sq.get(p, d) + i for items_ in sq["dimensions"].values() for i in items_
                      for p, d in (("perception_prefix", "p_"), ("expectation_prefix", "e_"))]
        overall = s.get("overall")
        out[f"{self.name}.scale"] = (list(dict.fromkeys(c for c in items if c != overall)), tuple(s["scale"]))
        if overall:
            out[f"{self.name}.overall_scale"] = ([overall], tuple(s.get("overall_scale", s["scale"])))
        if s.get("stated_importance"):
            out[f"{self.name}.importance_scale"] = (list(s["stated_importance"].values()),
                                                    tuple(s.get("importance_scale", s["scale"])))
        return out

    def _raw_sample(self) -> pd.DataFrame:
        """The first rows as the file holds them (reader options applied, no id or date conversion)."""
        try:
            return read_table(self.path, **self.reader_options, nrows=SAMPLE_ROWS).table
        except CrmlabValueError as exc:
            raise StudyError(f"{self.name}: {exc}") from None

    def _sample_scan(self, nrows: int) -> pd.DataFrame:
        """The first rows of a folder or glob of files, through DuckDB (for checks)."""
        import duckdb

        target = str(self.path / "**" / "*.parquet") if self.path.is_dir() else str(self.path)
        reader = "read_csv_auto" if target.endswith((".csv", ".txt")) else "read_parquet"
        try:
            return duckdb.sql(f"SELECT * FROM {reader}(?) LIMIT {int(nrows)}", params=[target]).df()
        except duckdb.Error as exc:
            raise StudyError(f"{self.name}: {self.path} could not be read: {str(exc).splitlines()[0]}") from None

    # ------------------------------------------------------------------ checks and profile
    def check(self) -> None:
        """Raise :class:`StudyError` unless the file reads and every mapped column exists and lies on its scale (sampled).

        A Spark table is checked when the notebook connects (the runner does not start Spark).
        """
        if self.path is None:
            return
        raw = self._sample_scan(SAMPLE_ROWS) if self.scan_target or self.path.is_dir() else self._raw_sample()
        problems = []
        for key, cols in self.mapped_columns().items():
            missing = [c for c in cols if c not in raw.columns]
            if missing:
                problems.append(f"{key}: column(s) {_preview(missing)} not in {self.path.name} "
                                f"(its columns: {_preview(raw.columns, 15)})")
        if problems:
            raise StudyError("; ".join(problems))
        sample = self.read(nrows=SAMPLE_ROWS) if not self.path.is_dir() and "*" not in str(self.path) else raw
        for key, (cols, (low, high)) in self.rating_columns().items():
            for col in cols:
                values = pd.to_numeric(sample[col], errors="coerce")
                text = sample[col][values.isna() & sample[col].notna()]
                if len(text):
                    problems.append(f"{key}: column {col!r} holds text {_preview(text.unique())}; declare it in "
                                    f"{self.name}.missing_codes or fix the data")
                    continue
                off = values[(values < low) | (values > high)]
                if len(off):
                    problems.append(f"{key}: column {col!r} has values {_preview(np.unique(off))} outside the scale "
                                    f"[{low:g}, {high:g}]; if they are missing-value codes, list them in {self.name}.missing_codes")
        if problems:
            raise StudyError("; ".join(problems))

    def profile(self) -> pd.DataFrame:
        """Per mapped column: non-missing and missing cells, distinct values, min and max, and off-scale values
        (a transaction log is profiled by :meth:`summary`: it may not fit in memory)."""
        if self.kind == "transactions":
            return pd.DataFrame()
        table = self.read()
        rows = []
        scales = {c: sc for cols, sc in self.rating_columns().values() for c in cols}
        for col in table.columns:
            s = table[col]
            numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
            dates = pd.api.types.is_datetime64_any_dtype(s)
            low, high = scales.get(col, (None, None))
            rows.append({"column": col, "cells": int(s.notna().sum()), "missing": int(s.isna().sum()),
                         "distinct": int(s.nunique()),
                         "min": s.min() if (numeric or dates) and s.notna().any() else None,
                         "max": s.max() if (numeric or dates) and s.notna().any() else None,
                         "off_scale": int(((s < low) | (s > high)).sum()) if numeric and low is not None else None})
        return pd.DataFrame(rows).set_index("column")

    def summary(self) -> dict:
        """Rows, ids (customers or respondents), duplicated ids and the date range, for ``crmlab check``."""
        if self.kind == "transactions":
            from .transactions import TransactionLog

            return {"study": self.name, "kind": self.kind, "file": str(self.path or self.spec.get("table")),
                    **TransactionLog.from_study(self).profile()}
        table = self.read()
        out = {"study": self.name, "kind": self.kind, "file": str(self.path), "rows": len(table)}
        ids = self.id_columns()
        if ids:
            id_col = table[ids[0]]
            out["ids"] = int(id_col.nunique())
            if self.kind not in ("transactions", "purchases", "judgments"):
                out["duplicated_ids"] = int(id_col.duplicated().sum())
            stripped = id_col.str.strip()
            out["ids_with_surrounding_spaces"] = int((stripped != id_col).sum())
        if self.kind == "transactions":
            dt = table[self.spec["datetime"]]
            out["first_date"], out["last_date"] = str(dt.min()), str(dt.max())
            if self.spec.get("order_id"):
                out["orders"] = int(table[self.spec["order_id"]].nunique())
        out["missing_cells"] = int(table.isna().sum().sum())
        return out


def _check_keys(spec: Mapping, name: str) -> str:
    kind = spec.get("kind")
    if kind not in KIND_KEYS:
        raise StudyError(f"{name}.kind must be one of {list(KIND_KEYS)}, got {kind!r}")
    allowed = ("kind", *READER_KEYS, *KIND_KEYS[kind])
    unknown = [k for k in spec if k not in allowed]
    if unknown:
        raise StudyError(f"{name}: unknown key(s) {unknown} for a {kind} study; allowed: {list(allowed)}")
    needs_path = () if kind == "transactions" and spec.get("table") else ("path",)
    missing = [k for k in (*needs_path, *REQUIRED[kind]) if spec.get(k) in (None, "", [], {})]
    if missing:
        raise StudyError(f"{name}: a {kind} study needs {missing}")
    return kind


def _check_structure(spec: Mapping, kind: str, name: str) -> None:
    def pair(key):
        v = spec.get(key)
        if v is not None and (not isinstance(v, (list, tuple)) or len(v) != 2
                              or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v) or not v[0] < v[1]):
            raise StudyError(f"{name}.{key} must be [low, high] numbers with low < high, got {v!r}")

    for key in ("scale", "overall_scale", "importance_scale"):
        pair(key)
    constructs = spec.get("constructs")
    if constructs is not None:
        if not isinstance(constructs, Mapping) or not all(isinstance(v, list) and v for v in constructs.values()):
            raise StudyError(f"{name}.constructs must map each construct to a non-empty list of item columns")
        for k, path in enumerate(spec.get("paths") or []):
            if not isinstance(path, (list, tuple)) or len(path) != 2:
                raise StudyError(f"{name}.paths[{k}] must be [from, to], got {path!r}")
            unknown = [c for c in path if c not in constructs]
            if unknown:
                raise StudyError(f"{name}.paths[{k}] names {unknown}, which are not constructs ({list(constructs)})")
    elif spec.get("paths"):
        raise StudyError(f"{name}.paths needs {name}.constructs")
    for key in ("attributes", "stated_importance", "competitor"):
        v = spec.get(key)
        if v is not None and not isinstance(v, (Mapping, list)):
            raise StudyError(f"{name}.{key} must map attribute names to columns (or list columns)")
    attrs = spec.get("attributes")
    for key in ("stated_importance", "competitor"):
        v = spec.get(key)
        if v and attrs is not None and isinstance(v, Mapping):
            names = list(attrs) if isinstance(attrs, Mapping) else list(attrs)
            odd = sorted(set(v) ^ set(names))
            if odd:
                raise StudyError(f"{name}.{key} must name the same attributes as {name}.attributes; they differ in {odd}")
    sq = spec.get("servqual")
    if sq is not None and (not isinstance(sq, Mapping) or not isinstance(sq.get("dimensions"), Mapping)):
        raise StudyError(f"{name}.servqual must hold dimensions: {{dimension: [items]}} (and optional prefixes, importance)")
    for attr, cols in (spec.get("kano") or {}).items():
        if not isinstance(cols, list) or len(cols) != 2:
            raise StudyError(f"{name}.kano.{attr} must be [functional column, dysfunctional column], got {cols!r}")
    for k, ind in enumerate(spec.get("indicators") or []):
        if not isinstance(ind, Mapping) or not {"indicator", "dimension", "direction"} <= set(ind):
            raise StudyError(f"{name}.indicators[{k}] must give indicator, dimension and direction (and optional levels)")


def study_from_spec(spec: Mapping, *, name: str, base_dir: str | Path = ".") -> Study:
    """Validate a study description's keys and structure and locate its file (not yet read)."""
    if not isinstance(spec, Mapping):
        raise StudyError(f"{name} must be a mapping (a study description), got {type(spec).__name__}")
    kind = _check_keys(spec, name)
    _check_structure(spec, kind, name)
    if kind == "transactions" and spec.get("engine") not in (None, "auto", "duckdb", "pandas", "spark"):
        raise StudyError(f"{name}.engine must be one of ['auto', 'duckdb', 'pandas', 'spark'], got {spec['engine']!r}")
    if not spec.get("path"):
        return Study(name=name, kind=kind, spec=dict(spec), path=None)
    path = Path(spec["path"]).expanduser()
    if not path.is_absolute():
        path = Path(base_dir) / path
    if any(ch in str(path) for ch in "*?["):
        import glob

        if kind != "transactions" or not glob.glob(str(path)):
            raise StudyError(f"{name}.path: no file matches {path}" if kind == "transactions"
                             else f"{name}.path: a {kind} study reads one file, got the pattern {path}")
        return Study(name=name, kind=kind, spec=dict(spec), path=path)
    if not path.exists():
        raise StudyError(f"{name}.path: {path} does not exist")
    return Study(name=name, kind=kind, spec=dict(spec), path=path.resolve())


def load_study(spec: Mapping | None, *, name: str, base_dir: str | Path = ".") -> Study | None:
    """The notebooks' entry point: ``None`` (no user data: the notebook uses its bundled data) or a checked study."""
    if spec is None:
        return None
    return study_from_spec(spec, name=name, base_dir=base_dir)
