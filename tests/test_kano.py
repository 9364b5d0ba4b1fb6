"""Kano model: evaluation table cells, categories, Better–Worse and continuous scores."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import CrmlabValueError
from crmlab.kano import (
    ANSWERS,
    better_worse_chart_data,
    classify_answers,
    continuous_scores,
    evaluation_table,
    kano_analysis,
)

# Answer-pair cells for each category, as defined in Berger et al. (1993), CQM Journal 2(4), Fig. 5:
# A: like if present, neutral-ish if absent; O: like / dislike; M: neutral-ish / dislike;
# Q: like/like and dislike/dislike; R: the functional answer dislikes or the dysfunctional one likes.
MID = ("must-be", "neutral", "live-with")
PUBLISHED_CELLS = (
    [("like", d, "A") for d in MID]
    + [("like", "dislike", "O")]
    + [(f, "dislike", "M") for f in MID]
    + [(f, d, "I") for f in MID for d in MID]
    + [("like", "like", "Q"), ("dislike", "dislike", "Q")]
    + [(f, "like", "R") for f in MID + ("dislike",)]
    + [("dislike", d, "R") for d in MID]
)


def test_evaluation_table_matches_published_grid():
    table = evaluation_table()
    assert len(PUBLISHED_CELLS) == 25
    for f, d, cat in PUBLISHED_CELLS:
        assert table.loc[f, d] == cat, (f, d)


def _answers_for_counts(counts: dict[str, int]) -> pd.DataFrame:
    """One answer pair per respondent reproducing given category counts (canonical cells)."""
    cell = {"A": (1, 3), "O": (1, 5), "M": (3, 5), "I": (3, 3), "R": (5, 1), "Q": (1, 1)}
    pairs = [cell[c] for c, k in counts.items() for _ in range(k)]
    return pd.DataFrame(pairs, columns=["f", "d"])


def test_better_worse_hand_computed():
    # A=10, O=20, M=5, I=15, R=2, Q=3: Better=(10+20)/50=0.6, Worse=-(20+5)/50=-0.5
    data = _answers_for_counts({"A": 10, "O": 20, "M": 5, "I": 15, "R": 2, "Q": 3})
    res = kano_analysis(data, attributes={"x": ("f", "d")})
    row = res.summary().loc["x"]
    assert row[["A", "O", "M", "I", "R", "Q"]].tolist() == [10, 20, 5, 15, 2, 3]
    assert row["better"] == pytest.approx(0.6)
    assert row["worse"] == pytest.approx(-0.5)
    assert row["category"] == "O" and not row["tie"]
    assert row["share_O"] == pytest.approx(20 / 55)
    # Lee & Newcomb (1997) strengths and Fong (1996) test, by hand: top O=20, second I=15, n=55
    assert row["category_strength"] == pytest.approx(5 / 55)
    assert row["total_strength"] == pytest.approx(35 / 55)
    fong_bound = 1.65 * np.sqrt((20 + 15) * (110 - 35) / 110)  # = 8.06 > |20 - 15|
    assert fong_bound == pytest.approx(8.0603, abs=1e-3) and not row["fong_significant"]


def test_string_and_code_answers_agree():
    codes = pd.DataFrame({"f": [1, 1, 3, 2, 5], "d": [5, 3, 5, 4, 1]})
    text = codes.apply(lambda s: s.map(lambda c: ANSWERS[c - 1].upper()))
    a = classify_answers(codes, attributes={"x": ("f", "d")})
    b = classify_answers(text, attributes={"x": ("f", "d")})
    assert a["x"].tolist() == ["O", "A", "M", "I", "R"]
    assert a.equals(b)


def test_tie_rule_priority_and_combined():
    data = _answers_for_counts({"A": 4, "M": 4, "I": 2})
    pri = kano_analysis(data, attributes={"x": ("f", "d")}).summary().loc["x"]
    assert pri["category"] == "M" and pri["tie"]
    custom = kano_analysis(data, attributes={"x": ("f", "d")}, priority=("A", "O", "M", "I", "R", "Q"))
    assert custom.summary().loc["x", "category"] == "A"
    comb = kano_analysis(data, attributes={"x": ("f", "d")}, tie_rule="combined")
    assert comb.summary().loc["x", "category"] == "M/A"
    assert comb.settings["tie_rule"] == "combined"


def test_continuous_scores_hand_computed():
    # pairs: O (like/dislike): f=4,d=4 ; A (like/neutral): f=4,d=0 ; M (neutral/dislike): f=0,d=4 ; Q dropped
    data = pd.DataFrame({"f": [1, 1, 3, 1], "d": [5, 3, 5, 1]})
    out = continuous_scores(data, attributes={"x": ("f", "d")}).loc["x"]
    assert out["functional_mean"] == pytest.approx(8 / 3)
    assert out["dysfunctional_mean"] == pytest.approx(8 / 3)
    assert out["functional_sd"] == pytest.approx(np.std([4, 4, 0], ddof=1))
    assert (out["n_used"], out["n_excluded"]) == (3, 1)
    keep_all = continuous_scores(data, attributes={"x": ("f", "d")}, exclude=()).loc["x"]
    assert keep_all["functional_mean"] == pytest.approx((4 + 4 + 0 + 4) / 4)
    assert keep_all["dysfunctional_mean"] == pytest.approx((4 + 0 + 4 - 2) / 4)


def test_better_worse_quadrants_returned_with_threshold():
    data = pd.concat([_answers_for_counts({"A": 8, "I": 2}).add_prefix("a_"),
                      _answers_for_counts({"M": 8, "I": 2}).add_prefix("m_")], axis=1)
    res = kano_analysis(data, attributes={"att": ("a_f", "a_d"), "must": ("m_f", "m_d")})
    chart = better_worse_chart_data(res)
    assert chart.loc["att", "quadrant"] == "A" and chart.loc["must", "quadrant"] == "M"
    assert chart["threshold"].eq(0.5).all()
    assert chart.loc["must", "abs_worse"] == pytest.approx(0.8)


def test_bundled_kano_answers_recover_true_categories():
    from crmlab.datasets.satisfaction import KANO_TRUE_PROBABILITIES, kano_attributes, load_kano_answers

    res = kano_analysis(load_kano_answers(), attributes=kano_attributes())
    truth = {a: max(p, key=p.get) for a, p in KANO_TRUE_PROBABILITIES.items()}
    assert res.summary()["category"].to_dict() == truth


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"f": [1, 6], "d": [5, 5]}), r"'f'.*\[6\].*five options"),
        (pd.DataFrame({"f": ["like", "love it"], "d": [5, 5]}), r"'f'.*'love it'.*five options"),
        (pd.DataFrame({"f": [1, None], "d": [5, 5]}), r"'f'.*missing"),
    ],
)
def test_bad_answers_raise(frame, match):
    with pytest.raises(CrmlabValueError, match=match):
        kano_analysis(frame, attributes={"x": ("f", "d")})


def test_bad_arguments_raise():
    data = pd.DataFrame({"f": [1], "d": [5]})
    with pytest.raises(CrmlabValueError, match="no column"):
        kano_analysis(data, attributes={"x": ("f", "missing")})
    with pytest.raises(CrmlabValueError, match="tie_rule"):
        kano_analysis(data, attributes={"x": ("f", "d")}, tie_rule="random")
    with pytest.raises(CrmlabValueError, match="priority"):
        kano_analysis(data, attributes={"x": ("f", "d")}, priority=("M", "O"))


def test_attribute_pairs_from_column_names():
    from crmlab.kano import attribute_pairs

    assert attribute_pairs(["id", "a_f", "a_d", "b_f", "b_d"]) == {"a": ("a_f", "a_d"), "b": ("b_f", "b_d")}
    with pytest.raises(CrmlabValueError, match="'b_f' has no dysfunctional partner 'b_d'"):
        attribute_pairs(["a_f", "a_d", "b_f"])
