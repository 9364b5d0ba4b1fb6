"""Manager's summary of notebook 03_clv from synthetic recorded results: numbers, actions, both languages, missing parts."""
from __future__ import annotations

import re

import pytest

from crmlab.report.summaries import summary_markdown
from crmlab.report.summaries.clv import clv_summary

FULL = {
    "bundled_data": True,
    "log_customers": 1500,
    "log_clv_total": 36000.0,
    "log_clv_settings": {"model": "BG/NBD", "periods": 12, "period_length": 30.4375 / 7, "time_unit": "W"},
    "log_tier_table": {"vip": {"customer_share": 0.01, "clv_share": 0.2, "total_clv": 7200.0},
                       "major": {"customer_share": 0.04, "clv_share": 0.27, "total_clv": 9720.0},
                       "ordinary": {"customer_share": 0.15, "clv_share": 0.27, "total_clv": 9720.0},
                       "small": {"customer_share": 0.8, "clv_share": 0.26, "total_clv": 9360.0}},
    "log_p_alive_share_active": 0.75,
    "log_holdout_totals": {"predicted": 703.2, "actual": 729},
    "model_comparison": {"BG/NBD": {"bic": 16942.1, "holdout_mae": 0.47}, "MBG/NBD": {"bic": 16968.9, "holdout_mae": 0.47},
                         "Pareto/NBD": {"bic": 17038.9, "holdout_mae": 0.44}},
    "retention_clv_margin100": {"r = 80%": {"d = 10%": 266.67}, "r = 90%": {"d = 10%": 450.0}},
    "sbg_derl": {"regular": 2.96, "high_end": 5.41},
}


def test_every_finding_with_its_number_and_action():
    found = clv_summary(FULL, "en")
    assert len(found) == 6
    assert "**36,000**" in found[0] and "24.00 per customer" in found[0] and "12 steps of 4.35 weeks" in found[0]
    assert "(5% of all) hold 47%" in found[0] and "priority" in found[0]
    assert "75%" in found[1] and "25%" in found[1] and "win them back" in found[1]
    assert "703 purchases against 729 actual (-4%)" in found[2] and "accurate enough" in found[2]
    assert "BG/NBD fits best" in found[3] and "behind the forecasts" in found[3] and "holdout error" not in found[3]
    assert "from 267 to 450 (+69%)" in found[4]
    assert "(Regular): a new customer brings 3.0 discounted contract periods" in found[5]


def test_chinese_summary_has_the_same_numbers_and_no_english_prose():
    en, zh = clv_summary(FULL, "en"), clv_summary(FULL, "zh")
    assert len(zh) == len(en)
    for e, z in zip(en, zh):
        numbers = re.findall(r"\d[\d,.]*", e)
        assert all(n in z for n in numbers if n not in ("12",)), (e, z)
    text = " ".join(zh)
    assert "普通客户群体" in text and "应优先" in text
    assert not re.findall(r"\b[a-z]{3,}\b", text)


def test_model_choice_and_holdout_verdicts():
    poor = FULL | {"log_holdout_totals": {"predicted": 1653.4, "actual": 1882}}
    assert "use its forecasts with caution" in clv_summary(poor, "en")[2]
    tie = FULL | {"model_comparison": {"BG/NBD": {"bic": 19195.9}, "MBG/NBD": {"bic": 19195.3}}}
    assert "fit about equally well" in clv_summary(tie, "en")[3] and "keep BG/NBD" in clv_summary(tie, "en")[3]
    other = FULL | {"model_comparison": {"BG/NBD": {"bic": 19300.0, "holdout_mae": 0.8},
                                         "Pareto/NBD": {"bic": 19195.3, "holdout_mae": 0.7}}}
    text = clv_summary(other, "en")[3]
    assert "Pareto/NBD fits best" in text and "smallest holdout error" in text and "instead of BG/NBD" in text


def test_user_run_names_and_missing_parts():
    user = {k: v for k, v in FULL.items() if k not in ("bundled_data", "sbg_derl")} | {
        "bundled_data": False, "sbg_derl": {"Gold members": 4.2}}
    assert "Gold members" in clv_summary(user, "en")[-1] and "Gold members" in clv_summary(user, "zh")[-1]
    textbook_only = {"retention_clv_margin100": FULL["retention_clv_margin100"]}
    assert len(clv_summary(textbook_only, "en")) == 1
    no_holdout = {k: v for k, v in FULL.items() if k != "log_holdout_totals"}
    no_holdout["model_comparison"] = {m: {"bic": row["bic"]} for m, row in FULL["model_comparison"].items()}
    found = clv_summary(no_holdout, "en")
    assert not any("Holdout" in f for f in found) and any("lowest BIC" in f for f in found)
    assert "no findings" in summary_markdown("03_clv", {}, "en")


def test_bad_language():
    with pytest.raises(Exception, match="lang must be one of"):
        clv_summary(FULL, "fr")
