"""Manager's summary of notebook 02 from synthetic recorded results: numbers, actions, both languages, missing parts."""
from __future__ import annotations

import re

import pytest

from crmlab.report.summaries import summary_markdown
from crmlab.report.summaries.ipa import ipa_summary

MAIN = {"price": {"performance": 4.26, "importance": 0.098, "quadrant": "B", "zone": "repair"},
        "quality": {"performance": 5.5, "importance": 0.117, "quadrant": "A", "zone": "advantage"},
        "value": {"performance": 4.05, "importance": 0.101, "quadrant": "B", "zone": "repair"},
        "服务态度": {"performance": 5.67, "importance": 0.049, "quadrant": "D", "zone": "maintain"}}
FULL = {
    "attribute_labels": {a: a for a in MAIN},
    "ipa_main": MAIN,
    "ipa_settings": {"importance_method": "lmg"},
    "competitor_gap": {"price": -0.57, "quality": 0.36, "value": 0.2, "服务态度": 0.39},
    "overall_satisfaction_index_0_100": 62.53,
    "overall_csi_index_0_100": 64.91,
    "stability_share": {"price": 0.96, "quality": 0.99, "value": 0.81, "服务态度": 1.0},
    "n_attributes_changing_quadrant": 2,
    "ipma_table": {"quality": {"performance": 61.4, "importance": 0.566, "quadrant": "B"},
                   "value": {"performance": 53.4, "importance": 0.163, "quadrant": "C"}},
    "ipma_target": "SAT",
    "construct_labels": {"quality": "quality", "value": "value", "SAT": "SAT"},
}


def test_english_findings_carry_numbers_and_actions():
    out = ipa_summary(FULL, "en")
    assert len(out) == 6
    repair, keep, overall, fragile, sensitivity, ipma = out
    assert repair.startswith("**Fix first:** value (4.05), price (4.26) are in the repair zone")  # worst first
    assert "LMG" in repair and "The competitor is ahead on price (-0.57): start there." in repair
    assert "value" in repair.split("ahead on")[0] and "value (" not in repair.split("ahead on")[1]  # competitor behind on value
    assert keep.startswith("**Keep up:** quality (5.50) is important")
    assert "Overall satisfaction index 63/100" in overall and "importance-weighted attribute index 65/100" in overall
    assert fragile.startswith("1 of 4 quadrant assignments are fragile") and "value (81%)" in fragile
    assert sensitivity.startswith("2 of 4 attributes change quadrant")
    assert "quality has the largest total effect on SAT (0.57 index points per point) at a performance of 61/100" in ipma


def test_chinese_findings_are_chinese_and_keep_user_names():
    out = ipa_summary(FULL, "zh")
    text = "\n".join(out)
    assert out[0].startswith("**优先改进：**value（4.05）、price（4.26）位于修补区")
    assert "其中竞争对手在price（-0.57）上领先" in out[0]
    assert "服务态度" not in out[1] and "quality（5.50）" in out[1]
    assert "总体满意度指数为 63/100" in text and "4 个指标中有 1 个的象限归属不稳定" in text
    assert "quality对SAT的总效应最大" in text
    prose = re.sub(r"value|price|quality|SAT|LMG|Shapley|PLS", "", text)
    assert not re.findall(r"[A-Za-z]{3,}", prose), "no English words besides user names and method acronyms"


def test_missing_sections_are_left_out():
    minimal = {"attribute_labels": FULL["attribute_labels"], "ipa_main": MAIN, "ipa_settings": {"importance_method": "stated"},
               "overall_csi_index_0_100": 70.0}
    out = ipa_summary(minimal, "en")
    assert len(out) == 3 and "competitor" not in out[0] and "stated importance" in out[0]
    assert out[2].startswith("Importance-weighted satisfaction index 70/100")
    only_map = {"ipma_table": FULL["ipma_table"], "ipma_target": "SAT", "construct_labels": {}}
    assert len(ipa_summary(only_map, "zh")) == 1
    assert "没有可总结的结论" in summary_markdown("02_importance_performance", {}, "zh")


def test_no_repair_and_all_stable():
    calm = {k: v for k, v in FULL.items() if k not in ("ipma_table", "n_attributes_changing_quadrant")}
    calm["ipa_main"] = {a: {**row, "quadrant": "A" if row["quadrant"] == "B" else row["quadrant"]} for a, row in MAIN.items()}
    calm["stability_share"] = {a: 0.95 for a in MAIN}
    out = ipa_summary(calm, "en")
    assert out[0].startswith("No attribute falls in the repair zone")
    assert any(s.startswith("All 4 quadrant assignments are stable") for s in out)
    assert summary_markdown("02_importance_performance", calm, "en").startswith("## Summary of findings\n\n- No attribute")


def test_diagonal_zoning_lists_the_attributes_above_the_line():
    diag = dict(FULL, ipa_main={a: {**row, "priority_gap": g} for (a, row), g in zip(MAIN.items(), (0.05, -0.01, 0.02, -0.1))})
    en, zh = ipa_summary(diag, "en"), ipa_summary(diag, "zh")
    assert en[0].startswith("**Improve first:** price (+0.050), value (+0.020) lie above the iso-priority line")
    assert zh[0].startswith("**优先改进：**price（+0.050）、value（+0.020）位于等优先线上方")
    assert not any(s.startswith("**Keep up") for s in en) and len(en) == 5


def test_bad_language():
    with pytest.raises(Exception, match="lang must be one of"):
        ipa_summary(FULL, "fr")
