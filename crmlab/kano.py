"""Kano model: evaluation table, categories, Better–Worse coefficients, continuous scores.

Sources
- Kano, Seraku, Takahashi & Tsuji (1984), "Attractive quality and must-be quality",
  *Hinshitsu* 14(2): the paired functional / dysfunctional question and the
  three quality levels (seed 000: Q1 basic, Q2 performance, Q3 attractive; seed 003
  §2.3.1(2): 当然质量 / 期望质量 / 迷人质量).
- Berger, Blauth, Boger, Bolster, Burchill, DuMouchel, Pouliot, Richter, Rubinoff,
  Shen, Timko & Walden (1993), "Kano's methods for understanding customer-defined
  quality", *Center for Quality of Management Journal* 2(4): the 5 × 5 evaluation
  table (answers like / must-be / neutral / live-with / dislike), the customer
  satisfaction coefficients (Timko: Better = (A+O)/(A+O+M+I),
  Worse = −(O+M)/(A+O+M+I)) and DuMouchel's continuous analysis (§IVb), which
  scores functional answers 4, 2, 0, −1, −2 and dysfunctional answers
  −2, −1, 0, 2, 4 and plots the mean dysfunctional score (x) against the mean
  functional score (y).
- DuMouchel's scores are also published rescaled by 1/4 (1, 0.5, 0, −0.25, −0.5); the
  positions are then the same up to that factor.
- Matzler & Hinterhuber (1998), *Technovation* 18(1): when two categories tie for the
  most frequent answer, choose by the rule M > O > A > I (the category with the
  larger effect on the product). This is the default tie rule here; R and Q come
  after I.

Answers are given either as the strings in :data:`ANSWERS` or as codes 1–5 in that
order (1 = like … 5 = dislike), the order of the standard questionnaire.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .validation import CrmlabValueError, _preview, check_choice, check_columns, check_scalar

ANSWERS: tuple[str, ...] = ("like", "must-be", "neutral", "live-with", "dislike")
CATEGORIES: tuple[str, ...] = ("A", "O", "M", "I", "R", "Q")
CATEGORY_KEYS = {"A": "kano_attractive", "O": "kano_one_dimensional", "M": "kano_must_be",
                 "I": "kano_indifferent", "R": "kano_reverse", "Q": "kano_questionable"}
TIE_RULES = ("priority", "combined")
DEFAULT_PRIORITY: tuple[str, ...] = ("M", "O", "A", "I", "R", "Q")
FONG_Z = 1.65  # Fong (1996): one-sided 5 % normal quantile used in the test of the two top categories

# Berger et al. (1993) evaluation table: rows = functional answer, columns = dysfunctional answer.
_TABLE = [
    # like  must-be neutral live-with dislike   (dysfunctional)
    ["Q", "A", "A", "A", "O"],  # like
    ["R", "I", "I", "I", "M"],  # must-be
    ["R", "I", "I", "I", "M"],  # neutral
    ["R", "I", "I", "I", "M"],  # live-with
    ["R", "R", "R", "R", "Q"],  # dislike
]
DUMOUCHEL_FUNCTIONAL = {"like": 4.0, "must-be": 2.0, "neutral": 0.0, "live-with": -1.0, "dislike": -2.0}
DUMOUCHEL_DYSFUNCTIONAL = {"like": -2.0, "must-be": -1.0, "neutral": 0.0, "live-with": 2.0, "dislike": 4.0}


def evaluation_table() -> pd.DataFrame:
    """The Kano evaluation table (Berger et al. 1993): functional answer (rows) × dysfunctional answer (columns)."""
    table = pd.DataFrame(_TABLE, index=list(ANSWERS), columns=list(ANSWERS))
    table.index.name, table.columns.name = "functional", "dysfunctional"
    return table


def _answer_codes(values: pd.Series, column: str) -> np.ndarray:
    """Map answers (strings of :data:`ANSWERS` or codes 1–5) to 0-based codes; raise on anything else."""
    if values.isna().any():
        rows = values.index[values.isna()]
        raise CrmlabValueError(f"Kano column {column!r} has missing answers at rows {_preview(rows)}; "
                               "drop or recode them explicitly")
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        bad = values[~values.isin(range(1, 6))]
        if len(bad):
            raise CrmlabValueError(
                f"Kano column {column!r} has answers {_preview(bad.unique())} at rows {_preview(bad.index)} outside "
                f"the five options (codes 1–5 = {list(ANSWERS)})")
        return values.to_numpy(dtype=int) - 1
    text = values.astype(str).str.strip().str.lower()
    bad = values[~text.isin(ANSWERS)]
    if len(bad):
        raise CrmlabValueError(
            f"Kano column {column!r} has answers {_preview(bad.unique())} at rows {_preview(bad.index)} outside "
            f"the five options {list(ANSWERS)} (or codes 1–5)")
    return text.map({a: i for i, a in enumerate(ANSWERS)}).to_numpy(dtype=int)


def _check_attributes(data: pd.DataFrame, attributes: Mapping[str, Sequence[str]]) -> None:
    if not isinstance(attributes, Mapping) or not attributes:
        raise CrmlabValueError("attributes must be a non-empty dict {attribute: (functional_column, dysfunctional_column)}")
    if not isinstance(data, pd.DataFrame) or len(data) == 0:
        raise CrmlabValueError(f"data must be a DataFrame with at least one respondent, got "
                               f"{'an empty DataFrame' if isinstance(data, pd.DataFrame) else type(data).__name__}")
    for attr, cols in attributes.items():
        if isinstance(cols, str) or len(cols) != 2:
            raise CrmlabValueError(f"attributes[{attr!r}] must be a pair (functional_column, dysfunctional_column), got {cols!r}")
        check_columns(data, list(cols), name="data")


def classify_answers(data: pd.DataFrame, *, attributes: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Kano category (A, O, M, I, R, Q) of every respondent × attribute via :func:`evaluation_table`.

    ``attributes`` maps an attribute name to its ``(functional_column, dysfunctional_column)``.
    """
    _check_attributes(data, attributes)
    table = np.array(_TABLE)
    out = {attr: table[_answer_codes(data[f], f), _answer_codes(data[d], d)] for attr, (f, d) in attributes.items()}
    return pd.DataFrame(out, index=data.index)


def attribute_pairs(columns: Sequence[str], *, functional_suffix: str = "_f",
                    dysfunctional_suffix: str = "_d") -> dict[str, tuple[str, str]]:
    """Attribute → (functional, dysfunctional) column mapping from a naming convention.

    Every column ``<name><functional_suffix>`` with a partner ``<name><dysfunctional_suffix>``
    becomes attribute ``name`` (column order kept); a functional column without its partner raises.
    """
    cols = list(columns)
    out = {}
    for c in cols:
        if c.endswith(functional_suffix):
            name = c[: -len(functional_suffix)]
            partner = name + dysfunctional_suffix
            if partner not in cols:
                raise CrmlabValueError(f"functional column {c!r} has no dysfunctional partner {partner!r}")
            out[name] = (c, partner)
    if not out:
        raise CrmlabValueError(f"no column ends with {functional_suffix!r}; pass attributes explicitly")
    return out


def _check_priority(priority: Sequence[str]) -> tuple[str, ...]:
    priority = tuple(priority)
    if sorted(priority) != sorted(CATEGORIES):
        raise CrmlabValueError(f"priority must order all six categories {list(CATEGORIES)} exactly once, got {list(priority)}")
    return priority


@dataclass(frozen=True)
class KanoResult:
    """Counts, shares, category and Better–Worse coefficients per attribute, with the tie rule used."""

    table: pd.DataFrame
    settings: dict

    def summary(self) -> pd.DataFrame:
        """One row per attribute: counts, shares, category, tie flag, Better and Worse."""
        return self.table.copy()


def kano_analysis(
    data: pd.DataFrame,
    *,
    attributes: Mapping[str, Sequence[str]],
    tie_rule: str = "priority",
    priority: Sequence[str] = DEFAULT_PRIORITY,
) -> KanoResult:
    """Classify each attribute by its most frequent Kano answer and compute Better–Worse.

    tie_rule
        ``"priority"`` (default, Matzler & Hinterhuber 1998): among tied categories pick the
        first in ``priority`` (default M > O > A > I > R > Q). ``"combined"``: report every tied
        category joined by "/" (e.g. ``"M/O"``), as some studies do.
    Better = (A+O)/(A+O+M+I) and Worse = −(O+M)/(A+O+M+I) (Berger et al. 1993, Timko); they are
    NaN when an attribute has no A, O, M or I answer.  Shares are counts ÷ all answers (R and Q
    included).  How clear the category is:
    ``category_strength`` = (top count − second count) / n and ``total_strength`` = (A+O+M) / n
    (Lee & Newcomb 1997, *J. Product Innovation Management* 14(2)); ``fong_significant`` is Fong's
    (1996) test |a − b| ≥ 1.65·√((a+b)(2n−a−b)/(2n)) on the two most frequent counts a, b — when it
    is False the category is not clearly the mode (the tie rule then deserves a look).
    """
    check_choice(tie_rule, "tie_rule", TIE_RULES)
    priority = _check_priority(priority)
    cats = classify_answers(data, attributes=attributes)
    counts = pd.DataFrame({c: (cats == c).sum(axis=0) for c in CATEGORIES})
    counts.index.name = "attribute"
    n = counts.sum(axis=1)
    top = counts.max(axis=1)
    is_top = counts.eq(top, axis=0)
    ordered = is_top[list(priority)]
    if tie_rule == "priority":
        category = ordered.idxmax(axis=1)
    else:
        category = ordered.apply(lambda row: "/".join(row.index[row]), axis=1)
    denom = counts[["A", "O", "M", "I"]].sum(axis=1).astype(float).replace(0, np.nan)
    table = counts.copy()
    table["n"] = n
    for c in CATEGORIES:
        table[f"share_{c}"] = counts[c] / n
    table["category"] = category
    table["tie"] = is_top.sum(axis=1) > 1
    table["better"] = (counts["A"] + counts["O"]) / denom
    table["worse"] = -(counts["O"] + counts["M"]) / denom
    top2 = -np.sort(-counts.to_numpy(), axis=1)[:, :2]
    a, b, nn = top2[:, 0], top2[:, 1], n.to_numpy()
    table["category_strength"] = (a - b) / nn
    table["total_strength"] = (counts["A"] + counts["O"] + counts["M"]) / n
    table["fong_significant"] = np.abs(a - b) >= FONG_Z * np.sqrt((a + b) * (2 * nn - a - b) / (2 * nn))
    return KanoResult(table=table, settings={"tie_rule": tie_rule, "priority": priority,
                                             "category": "most frequent answer category"})


def better_worse_chart_data(result: KanoResult, *, threshold: float = 0.5) -> pd.DataFrame:
    """Points of the Better–Worse diagram with the quadrant rule returned as data.

    x = |Worse|, y = Better.  Quadrants at ``threshold`` (0.5 by convention, Berger et al. 1993):
    high Better & low |Worse| → A, high & high → O, low Better & high |Worse| → M, low & low → I.
    """
    threshold = check_scalar(threshold, "threshold", low=0, high=1)
    t = result.table
    x, y = t["worse"].abs(), t["better"]
    quadrant = np.select([(y >= threshold) & (x < threshold), (y >= threshold) & (x >= threshold),
                          (y < threshold) & (x >= threshold)], ["A", "O", "M"], default="I")
    return pd.DataFrame({"abs_worse": x, "better": y, "category": t["category"],
                         "quadrant": pd.Series(quadrant, index=t.index).where(x.notna() & y.notna()),
                         "threshold": threshold})


def continuous_scores(
    data: pd.DataFrame,
    *,
    attributes: Mapping[str, Sequence[str]],
    functional_scores: Mapping[str, float] = DUMOUCHEL_FUNCTIONAL,
    dysfunctional_scores: Mapping[str, float] = DUMOUCHEL_DYSFUNCTIONAL,
    exclude: Sequence[str] = ("R", "Q"),
) -> pd.DataFrame:
    """DuMouchel's continuous Kano analysis (Berger et al. 1993 §IVb).

    Each answer is scored (default functional 4, 2, 0, −1, −2; dysfunctional −2, −1, 0, 2, 4 for
    like … dislike); per attribute the mean and standard deviation (n − 1) of both scores are
    returned.  Answer pairs classified into a category in ``exclude`` (default reverse and
    questionable, as DuMouchel recommends) are left out; ``n_used`` / ``n_excluded`` report it.
    The point (dysfunctional mean, functional mean) places the attribute: upper-right O,
    upper-left A, lower-right M, near the origin I.
    """
    for name, scores in (("functional_scores", functional_scores), ("dysfunctional_scores", dysfunctional_scores)):
        if set(scores) != set(ANSWERS):
            raise CrmlabValueError(f"{name} must score exactly the five answers {list(ANSWERS)}, got {list(scores)}")
    bad = [c for c in exclude if c not in CATEGORIES]
    if bad:
        raise CrmlabValueError(f"exclude must list Kano categories from {list(CATEGORIES)}, got {bad}")
    cats = classify_answers(data, attributes=attributes)
    f_vec = np.array([functional_scores[a] for a in ANSWERS], dtype=float)
    d_vec = np.array([dysfunctional_scores[a] for a in ANSWERS], dtype=float)
    rows = {}
    for attr, (f, d) in attributes.items():
        keep = ~cats[attr].isin(list(exclude)).to_numpy()
        fs = pd.Series(f_vec[_answer_codes(data[f], f)][keep])
        ds = pd.Series(d_vec[_answer_codes(data[d], d)][keep])
        rows[attr] = {"functional_mean": fs.mean(), "functional_sd": fs.std(ddof=1),
                      "dysfunctional_mean": ds.mean(), "dysfunctional_sd": ds.std(ddof=1),
                      "n_used": int(keep.sum()), "n_excluded": int((~keep).sum())}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "attribute"
    few = out.index[out["n_used"] < 2]
    if len(few):
        raise CrmlabValueError(f"attribute(s) {list(few)} have fewer than 2 usable answer pairs after excluding {list(exclude)}; "
                               "a mean and standard deviation need at least 2")
    return out
