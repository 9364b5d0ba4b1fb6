"""Manager's summary of notebook 01 from synthetic recorded results: numbers, actions, both languages, absent parts."""
from __future__ import annotations

import re

import pytest

from crmlab.report.summaries import summary_markdown
from crmlab.report.summaries.satisfaction import satisfaction_summary

FULL = {
    "bundled_data": False,
    "satisfaction_construct": "SAT",
    "pls_index": {"SAT": 71.234, "COMP": 40.0},
    "pls_index_ci": {"SAT": {"ci_lower": 69.5, "ci_upper": 72.9}, "COMP": {"ci_lower": 38.0, "ci_upper": 42.0}},
    "pls_total_effects": {"COMP": 0.21, "image": -0.48, "value": 0.3},
    "servqual_dimension_gaps": {"tangibles": -0.2, "speed": -1.4, "care": 0.1},
    "servqual_overall_unweighted": -0.5, "servqual_overall_weighted": -0.7,
    "kano_categories": {"login": "M", "alerts": "A", "chat": "I", "insights": "A"},
    "loyalty_overall": {"share_of_wallet": 54.26, "repeat_purchase_rate": 51.0, "customers": 600},
    "loyalty_zone_slopes": {"north:low": 2.0, "north:indifference": 5.0, "north:high": 20.0, "south:low": 9.0},
    "customer_delivered_value": {"ours": {"tcv": 750, "tcc": 500, "cdv": 250, "cdv_ratio": 1.5},
                                 "rival": {"tcv": 700, "tcc": 530, "cdv": 170, "cdv_ratio": 1.32}},
    "mga_groups": ["north", "south"],
    "mga_paths": {"COMP -> SAT": {"estimate_1": 0.5, "estimate_2": 0.2, "difference": 0.3, "p_value": 0.01,
                                  "significant": True},
                  "SAT -> LOY": {"estimate_1": 0.4, "estimate_2": 0.45, "difference": -0.05, "p_value": 0.6,
                                 "significant": False}},
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_full_summary_has_one_finding_per_part_with_its_number(lang):
    findings = satisfaction_summary(FULL, lang)
    assert len(findings) == 6
    index, servqual, kano, loyalty, cdv, mga = findings
    assert "71.2" in index and "69.5" in index and "72.9" in index and "image" in index and "-0.48" in index
    assert "speed" in servqual and "-1.40" in servqual and "-0.70" in servqual  # the weighted overall score
    assert "login" in kano and "alerts" in kano and "insights" in kano and "chat" not in kano
    assert "54.3%" in loyalty and "51.0%" in loyalty and "north" in loyalty and "20.0" in loyalty
    assert "250" in cdv and "170" in cdv and "1.50" in cdv
    assert "COMP -> SAT" in mga and "0.50" in mga and "0.20" in mga
    text = " ".join(findings)
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"\b(the|and|first|improve)\b", text)
    else:
        assert not re.search(r"[\u4e00-\u9fff]", text)


def test_actions_follow_the_numbers():
    ahead = satisfaction_summary(FULL, "en")
    assert "keep the lead" in ahead[4] and "set priorities per group" in ahead[5]
    behind = dict(FULL, customer_delivered_value={"ours": {"cdv": 100, "cdv_ratio": 1.2}, "rival": {"cdv": 170, "cdv_ratio": 1.3}},
                  mga_paths={"A -> B": {"estimate_1": 0.4, "estimate_2": 0.4, "difference": 0.0, "significant": False}},
                  servqual_dimension_gaps={"care": 0.1, "speed": 0.3}, loyalty_zone_slopes={"all_customers:low": 8.0})
    out = satisfaction_summary(behind, "en")
    assert "raise the value" in out[4] and "one model" in out[5]
    assert "meets or exceeds" in out[1] and "+0.10" in out[1]
    assert "low-satisfaction zone" in out[3] and "preventing dissatisfaction" in out[3]
    assert "All customers" in out[3] and "全部顾客" in satisfaction_summary(behind, "zh")[3]  # crmlab's own key


def test_sections_without_results_are_left_out():
    assert satisfaction_summary({}, "en") == []
    only_kano = satisfaction_summary({"kano_categories": {"x": "M"}}, "zh")
    assert len(only_kano) == 1 and "x" in only_kano[0] and "基本型" in only_kano[0]
    no_ci = satisfaction_summary({"satisfaction_construct": "SAT", "pls_index": {"SAT": 60.0}}, "en")
    assert no_ci == ["Satisfaction index (SAT): **60.0 / 100**."]
    assert "no findings" in summary_markdown("01_satisfaction", {}, "en")


def test_bundled_keys_get_display_labels_user_names_do_not():
    results = {"satisfaction_construct": "SAT", "pls_index": {"SAT": 68.0}, "pls_total_effects": {"QUAL": 0.6}}
    assert "(Customer satisfaction)" in satisfaction_summary({**results, "bundled_data": True}, "en")[0]
    assert "顾客满意度" in satisfaction_summary({**results, "bundled_data": True}, "zh")[0]
    user = satisfaction_summary({**results, "bundled_data": False}, "zh")[0]  # a user's construct named SAT stays SAT
    assert "（SAT）" in user and "顾客满意度" not in user
