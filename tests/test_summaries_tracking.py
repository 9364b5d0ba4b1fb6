"""Manager's summary of notebook 05_tracking from recorded results (synthetic), in both languages."""
from __future__ import annotations

import re

from crmlab.report.summaries import summary_markdown


def results(**over):
    base = {
        "bundled_data": False, "target": "CSAT", "level": 0.95, "latest_wave": "2025-09",
        "index_by_wave": {"2025-08 / CSAT": {"estimate": 70.2, "ci_lower": 68.0, "ci_upper": 72.1},
                          "2025-09 / CSAT": {"estimate": 74.6, "ci_lower": 72.9, "ci_upper": 76.3}},
        "index_changes": {
            "2025-08 -> 2025-09 / CSAT": {"from_wave": "2025-08", "to_wave": "2025-09", "construct": "CSAT", "estimate": 4.4,
                                          "p_value": 0.001, "p_adjusted": 0.002, "significant": True},
            "2025-08 -> 2025-09 / TRUST": {"from_wave": "2025-08", "to_wave": "2025-09", "construct": "TRUST",
                                           "estimate": -1.2, "p_value": 0.4, "p_adjusted": 0.4, "significant": False}},
        "quadrant_moves": {
            "2025-08 -> 2025-09 / wait time": {"from_wave": "2025-08", "to_wave": "2025-09", "attribute": "wait time",
                                               "quadrant_from": "A", "quadrant_to": "B", "moved": True},
            "2025-08 -> 2025-09 / price": {"from_wave": "2025-08", "to_wave": "2025-09", "attribute": "price",
                                           "quadrant_from": "C", "quadrant_to": "C", "moved": False}},
        "kpi_rates": {"churn_rate": {"2025Q1 -> 2025Q2": 0.2, "2025Q2 -> 2025Q3": 0.3},
                      "new_customer_rate": {"2025Q1 -> 2025Q2": 0.2, "2025Q2 -> 2025Q3": 0.25}},
    }
    return base | over


def bullets(text):
    return [line for line in text.splitlines() if line.startswith("- ")]


def test_english_findings_carry_numbers_and_actions():
    text = summary_markdown("05_tracking", results(), "en")
    lines = bullets(text)
    assert len(lines) == 4
    assert "CSAT index in 2025-09: **74.6 / 100** (95% interval 72.9–76.3). Up 4.4 points on 2025-08" in lines[0]
    assert "CSAT +4.4 points (2025-08 → 2025-09)" in lines[1] and "TRUST" not in lines[1]
    assert "wait time A → B (2025-08 → 2025-09; fix first)" in lines[2] and "price" not in lines[2]
    assert "Churn rate 30.0% and new-customer rate 25.0% in 2025Q2 → 2025Q3" in lines[3] and "rose 10.0 points" in lines[3]


def test_chinese_findings_have_no_english_prose():
    text = summary_markdown("05_tracking", results(), "zh")
    assert "主要结论" in text and "CSAT" in text and "wait time" in text  # user names as given
    prose = text.replace("CSAT", "").replace("TRUST", "").replace("wait time", "")
    assert re.findall(r"\b[a-z]{3,}\b", prose) == []


def test_quiet_waves_and_no_moves():
    quiet = results(index_changes={"a -> b / CSAT": {"from_wave": "2025-08", "to_wave": "2025-09", "construct": "CSAT",
                                                     "estimate": 0.8, "p_value": 0.5, "p_adjusted": 0.5, "significant": False}},
                    quadrant_moves={"a -> b / price": {"from_wave": "a", "to_wave": "b", "attribute": "price",
                                                       "quadrant_from": "C", "quadrant_to": "C", "moved": False}})
    lines = bullets(summary_markdown("05_tracking", quiet, "en"))
    assert "+0.8 points on 2025-08, within sampling noise" in lines[0]
    assert lines[1].startswith("- No index changed significantly") and lines[2].startswith("- No attribute changed quadrant")


def test_missing_sections_are_left_out():
    only_kpis = {"bundled_data": False, "target": None, "kpi_rates": results()["kpi_rates"]}
    lines = bullets(summary_markdown("05_tracking", only_kpis, "en"))
    assert len(lines) == 1 and lines[0].startswith("- Churn rate")
    assert "本次运行没有可总结的结论" in summary_markdown("05_tracking", {"bundled_data": False}, "zh")


def test_bundled_names_get_display_labels():
    bundled = results(bundled_data=True, target="QUAL", index_by_wave={"2025-09 / QUAL": {"estimate": 74.0, "ci_lower": 72.0,
                                                                                         "ci_upper": 76.0}},
                      quadrant_moves={"x / checkout_speed": {"from_wave": "2025-Q2", "to_wave": "2025-Q3",
                                                             "attribute": "checkout_speed", "quadrant_from": "B",
                                                             "quadrant_to": "A", "moved": True}})
    en, zh = summary_markdown("05_tracking", bundled, "en"), summary_markdown("05_tracking", bundled, "zh")
    assert "Perceived quality index" in en and "Checkout speed B → A" in en
    assert "感知质量指数" in zh and "结账速度 B → A" in zh
