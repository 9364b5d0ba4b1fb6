"""What readers see: readable numbers, notes on skipped sections, summaries from recorded results."""
from __future__ import annotations

import pandas as pd
import pytest

from crmlab.report.display import show, skipped
from crmlab.report.summaries import summary, summary_markdown
from crmlab.validation import CrmlabValueError


def test_numbers_are_formatted_for_reading_in_both_languages():
    df = pd.DataFrame({"customers": [12, 3400], "customer_share": [0.1234, 0.8766], "estimate": [0.000012, 1234.5678]},
                      index=pd.Index(["vip", "major"], name="tier"))
    en = show(df, "en")
    assert en.loc["VIP", "Customers"] == "12" and en.iloc[1, 0] == "3,400"  # counts: no decimals
    assert en.iloc[0, 1] == "12.3%"  # shares as percentages
    assert en.iloc[0, 2] == "<0.001" and en.iloc[1, 2] == "1,234.568"  # never 1.2e-05
    zh = show(df, "zh")
    assert zh.index[0] == "VIP客户" and list(zh.columns)[1] == "客户占比"
    assert list(df.columns) == ["customers", "customer_share", "estimate"]  # the table itself is untouched


def test_flags_read_yes_or_no_in_the_readers_language():
    flags = pd.DataFrame({"significant": [True, False]})
    assert show(flags, "en").iloc[:, 0].tolist() == ["Yes", "No"]
    assert show(flags, "zh").iloc[:, 0].tolist() == ["是", "否"]


def test_user_names_are_shown_as_given():
    scores = pd.DataFrame({"COMP": [0.5], "满意": [0.25]}, index=pd.Index(["COMP -> 满意"], name="path"))
    out = show(scores, "zh", user_columns=True)
    assert list(out.columns) == ["COMP", "满意"] and list(out.index) == ["COMP -> 满意"]


def test_skip_note_names_section_and_missing_input():
    assert skipped("section_kano", "need_kano_answers", "en").data == (
        "*Skipped — Kano model: the data given do not include Kano answer pairs (functional and dysfunctional questions).*")
    assert skipped("section_kano", "need_kano_answers", "zh").data.startswith("*已跳过「卡诺模型」")


def test_summaries_are_registered_per_notebook_and_leave_out_missing_results():
    @summary("test_notebook")
    def _findings(results, lang):
        return [f"index {results['index']:.1f}"] if "index" in results else []

    assert summary_markdown("test_notebook", {"index": 71.234}, "en").endswith("- index 71.2")
    assert "没有可总结的结论" in summary_markdown("test_notebook", {}, "zh")
    with pytest.raises(CrmlabValueError, match="no summary is registered for notebook 'nope'"):
        summary_markdown("nope", {}, "en")
