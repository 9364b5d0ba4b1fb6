"""Kotler's relationship-level table and the lifecycle-stage rules."""
from __future__ import annotations

import pandas as pd
import pytest

from crmlab import CrmlabValueError
from crmlab.frameworks import (
    BERRY_PARASURAMAN_LEVELS,
    KOTLER_RELATIONSHIP_TABLE,
    LIFECYCLE_RULES,
    RELATIONSHIP_LEVELS,
    kotler_relationship_level,
    lifecycle_stage,
)
from crmlab.i18n import t


def test_kotler_table_cells():
    # Kotler, Marketing Management: the nine cells of the relationship-level figure
    expected = {("many", "high"): "accountable", ("many", "medium"): "reactive", ("many", "low"): "basic_or_reactive",
                ("medium", "high"): "proactive", ("medium", "medium"): "accountable", ("medium", "low"): "reactive",
                ("few", "high"): "partnership", ("few", "medium"): "proactive", ("few", "low"): "accountable"}
    keys = list(expected)
    out = kotler_relationship_level([k[0] for k in keys], [k[1] for k in keys])
    assert out["relationship_level"].tolist() == list(expected.values())
    assert KOTLER_RELATIONSHIP_TABLE.shape == (3, 3)
    assert [t(x, "zh") for x in RELATIONSHIP_LEVELS["level"]] == ["基本型", "被动型", "负责型", "能动型", "伙伴型"]
    assert len(BERRY_PARASURAMAN_LEVELS) == 3


def test_kotler_numeric_cutoffs_and_errors():
    out = kotler_relationship_level([50, 500, 5000], [0.45, 0.2, 0.05], customer_cutoffs=(100, 1000), margin_cutoffs=(0.1, 0.3))
    assert out["number_of_customers_level"].tolist() == ["few", "medium", "many"]
    assert out["margin_level"].tolist() == ["high", "medium", "low"]
    assert out["relationship_level"].tolist() == ["partnership", "accountable", "basic_or_reactive"]
    # a value on a cut-off belongs to the upper class
    assert kotler_relationship_level([100], ["high"], customer_cutoffs=(100, 1000))["number_of_customers_level"][0] == "medium"
    with pytest.raises(CrmlabValueError, match="customer_cutoffs"):
        kotler_relationship_level([50], ["high"])
    with pytest.raises(CrmlabValueError, match="'lots'"):
        kotler_relationship_level(["lots"], ["high"])
    with pytest.raises(CrmlabValueError, match="ascending"):
        kotler_relationship_level([5], [0.2], customer_cutoffs=(10, 1), margin_cutoffs=(0.1, 0.3))


def test_lifecycle_rules():
    profit = pd.DataFrame({"y1": [0, 10, 10, 10, 5, -20], "y2": [5, 20, 10.5, 5, 0, 10]},
                          index=["new", "growing", "steady", "falling", "stopped", "loss"])
    out = lifecycle_stage(profit)
    assert out["stage"].to_dict() == {"new": "exploration", "growing": "formation", "steady": "stability",
                                      "falling": "decline", "stopped": "decline", "loss": "exploration"}
    assert lifecycle_stage(profit, trend_tol=0.01).loc["steady", "stage"] == "formation"
    assert list(LIFECYCLE_RULES["stage"]) == ["exploration", "decline", "formation", "stability"]
    with pytest.raises(CrmlabValueError, match="missing values at rows"):
        lifecycle_stage(profit.assign(y2=[1, None, 1, 1, 1, 1]))
    with pytest.raises(CrmlabValueError, match="at least 2 period"):
        lifecycle_stage(profit[["y1"]])
