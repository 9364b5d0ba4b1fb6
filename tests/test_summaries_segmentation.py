"""Manager's summary of notebook 04 from synthetic recorded results: numbers, actions, both languages, missing parts."""
from __future__ import annotations

import re

from crmlab.report.summaries import summary_markdown
from crmlab.report.summaries.segmentation import segmentation_summary

FULL = {
    "inputs": {"customers": True, "transactions": True, "judgments": True, "bundled": True},
    "ahp_criterion_weights": {"current": 0.3889, "potential": 0.6111},
    "ahp_global_weights": {"gross_profit": 0.1219, "cross_buying": 0.1262, "referrals": 0.0790},
    "ahp_expert_crs": {"expert_1": {"criteria": 0.0, "current": 0.082}, "expert_2": {"criteria": 0.0, "current": 0.021}},
    "value_class_counts": {"high_high": 6, "high_low": 2, "low_high": 4, "low_low": 9},
    "value_class_profit_share": {"high_high": 0.71, "high_low": 0.134, "low_high": 0.07, "low_low": 0.086},
    "pareto_top_share": 0.611, "pareto_settings": {"value": "profit", "source": "source_customers", "top": 0.2, "customers": 21},
    "tier_kpis": {"churn_rate": 0.292, "new_customer_rate": 0.566, "upgrade_rate": 0.11, "customers_start": 511},
    "kpi_periods": {"before": "2023", "after": "2024"},
    "rfm_segment_counts": {"champions": 72, "at_risk": 10, "cant_lose_them": 15, "lost": 103},
}


def test_english_findings_carry_numbers_and_actions():
    weights, keep, develop, pareto, kpis, risk = segmentation_summary(FULL, "en")
    assert weights == ("**Weights:** the experts weigh potential value 61% and current value 39%; the heaviest indicator is "
                       "Cross-buying (12.6% of a customer's total value): track it first.")
    assert keep.startswith("**Keep:** 6 of 21 customers are high-value") and "bring 71% of profit" in keep
    assert develop.startswith("**Develop:** 4 customers have low current but high potential value")
    assert "top 20% of customers bring 61% of profit" in pareto
    assert "2023 → 2024" in kpis and "churn 29.2%" in kpis and "new customers 56.6%" in kpis and "11.0% moved up" in kpis
    assert kpis.endswith("make sure the new ones are kept.")  # more arrive (56.6 %) than leave (29.2 %)
    assert risk.startswith("**Win back:** 25 customers (12%)")


def test_chinese_findings_use_the_course_terms():
    out = segmentation_summary(FULL, "zh")
    assert len(out) == 6
    assert "交叉购买" in out[0] and "潜在价值的权重为 61%" in out[0]
    assert "高价值客户" in out[1] and "71% 的利润" in out[1]
    assert "客户流失率 29.2%" in out[4] and "新客户比率 56.6%" in out[4]
    assert not re.search(r"[A-Za-z]{4,}", "".join(out).replace("RFM", ""))  # no English words in the Chinese summary


def test_user_names_pass_unchanged_and_inconsistency_is_flagged():
    user = {**FULL, "inputs": {"bundled": False}, "ahp_global_weights": {"profitability": 0.3, "服务": 0.2},
            "ahp_expert_crs": {"A": {"current": 0.14}, "B": {"current": 0.05}}}
    out = segmentation_summary(user, "zh")
    assert "权重最大的指标是profitability" in out[0]  # a user's indicator named like a crmlab term is not translated
    assert out[1].startswith("**复核判断：**2 个专家判断矩阵中有 1 个未通过一致性检验") and "0.140" in out[1]


def test_shrinking_base_and_missing_sections():
    shrinking = segmentation_summary({"tier_kpis": {"churn_rate": 0.4, "new_customer_rate": 0.1, "upgrade_rate": 0.0},
                                      "kpi_periods": {"before": "2023", "after": "2024"}}, "en")
    assert shrinking == ["**Customer base, 2023 → 2024:** churn 40.0%, new customers 10.0% of the starting base, 0.0% "
                         "moved up a tier: more customers leave than arrive — put retention first."]
    log_only = segmentation_summary({"pareto_top_share": 0.5, "pareto_settings": {"value": "revenue", "top": 0.2},
                                     "rfm_segment_counts": {"gold": 3, "silver": 7}}, "en")
    assert log_only == ["**Concentration:** the top 20% of customers bring 50% of revenue: losing one of them costs far "
                        "more than an average customer — concentrate retention effort there."]  # user rules: no at-risk claim
    assert "no findings" in summary_markdown("04_value_segmentation", {}, "en")
