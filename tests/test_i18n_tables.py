"""Displayed tables switch language through the one term table, like the charts."""
from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from crmlab.i18n import TERM_ALIASES, TERMS, label_table, t

ROOT = Path(__file__).resolve().parents[1]
SNAKE_CASE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")


def test_headers_are_translated_and_user_names_pass_through():
    df = pd.DataFrame({"cash_flow": [1.0, 2.0], "Attribute X": [3.0, 4.0]},
                      index=pd.Index(["tangibles", "Brand A"], name="dimension"))
    df.columns.name = "clv_tier"
    zh = label_table(df, "zh")
    assert list(zh.columns) == ["现金流", "Attribute X"]
    assert list(zh.index) == ["tangibles", "Brand A"]  # row labels are the user's names, even when they spell a term
    assert zh.index.name == "维度" and zh.columns.name == "客户类型"
    en = label_table(df, "en")
    assert list(en.columns) == ["Cash flow", "Attribute X"] and list(en.index) == ["tangibles", "Brand A"]
    assert en.index.name == "Dimension" and en.columns.name == "CLV tier"


def test_a_construct_named_like_a_term_keeps_its_name():
    # issue: a survey's construct COMP (competence) was shown as "Customer complaints" / 顾客抱怨
    paths = pd.DataFrame({"estimate": [0.4]}, index=pd.Index(["COMP -> SAT"], name="path"))
    r2 = pd.Series([0.5, 0.3], index=pd.Index(["COMP", "SAT"], name="construct"), name="r_squared")
    scores = pd.DataFrame({"COMP": [0.1], "value": [0.2]})
    for lang in ("en", "zh"):
        assert list(label_table(paths, lang).index) == ["COMP -> SAT"]
        assert list(label_table(r2, lang).index) == ["COMP", "SAT"]
        assert list(label_table(scores, lang, user_columns=True).columns) == ["COMP", "value"]


def test_vocabulary_dimensions_translate_their_values():
    classes = pd.DataFrame({"count": [3, 4], "strategy": ["vm_high_high_strategy", "vm_low_low_strategy"]},
                           index=pd.Index(["high_high", "low_low"], name="value_class"))
    zh = label_table(classes, "zh")
    assert list(zh.index) == [t("high_high", "zh"), t("low_low", "zh")] and zh.iloc[0, 1] == t("vm_high_high_strategy", "zh")
    assert zh.index.name == t("value_class", "zh")


def test_context_terms_come_first():
    from crmlab.i18n import label

    assert t("component", "zh", context="satisfaction") == "主成分"
    assert label("component", "zh", context="nowhere") == "component"  # the one fallback rule: unknown stays as given
    with pytest.raises(Exception, match="no term 'no_such_key'"):
        t("no_such_key", "zh")


def test_english_labels_are_the_english_terms():
    keys = ["revenue", "priority_gap", "customer_share", "discount_factor"]
    df = pd.DataFrame([[1, 2, 3, 4]], columns=keys)
    assert list(label_table(df, "en").columns) == [t(k, "en") for k in keys]
    assert list(label_table(df, "zh").columns) == [t(k, "zh") for k in keys]


def test_aliases_reuse_existing_terms():
    assert all(target in TERMS and alias not in TERMS for alias, target in TERM_ALIASES.items())
    df = pd.DataFrame({"performance": [1], "importance": [2]})
    assert list(label_table(df, "zh").columns) == [TERMS["ipa_performance"][1], TERMS["ipa_importance"][1]]


def test_multiindex_levels_and_names():
    idx = pd.MultiIndex.from_tuples([("vip", "cum_amount"), ("major", "Widget"), ("vip", 3)], names=["tier", "indicator"])
    cols = pd.MultiIndex.from_tuples([("revenue", "mean"), ("cost", "x1")])
    df = pd.DataFrame([[1, 2], [3, 4], [5, 6]], index=idx, columns=cols)
    zh = label_table(df, "zh")
    assert list(zh.index) == [("VIP客户", "cum_amount"), (t("major", "zh"), "Widget"), ("VIP客户", 3)]
    assert list(zh.index.names) == [t("tier", "zh"), "indicator"]
    assert list(zh.columns) == [("收入", "均值"), ("成本", "x1")]


def test_values_and_non_string_labels_are_untouched():
    dates = pd.DatetimeIndex(["2024-01-01", "2024-02-01"], name="period")
    df = pd.DataFrame({"revenue": ["revenue", "cost"], 7: [1.5, 2.5]}, index=dates)
    zh = label_table(df, "zh")
    assert isinstance(zh.index, pd.DatetimeIndex) and (zh.index == dates).all() and zh.index.name == "期"
    assert list(zh.columns) == ["收入", 7]
    assert zh["收入"].tolist() == ["revenue", "cost"]  # cell values are never translated
    assert zh[7].tolist() == [1.5, 2.5]
    assert list(df.columns) == ["revenue", 7] and df.index.name == "period"  # input unchanged
    numeric = pd.DataFrame({"cost": [1]}, index=pd.RangeIndex(1, name="n"))
    assert label_table(numeric, "zh").index.tolist() == [0]


def test_series_index_and_name():
    s = pd.Series([1, 2], index=pd.Index(["vip", "other"], name="tier"), name="share")
    zh = label_table(s, "zh")
    assert list(zh.index) == ["VIP客户", "other"] and zh.index.name == "客户层级" and zh.name == "占比"
    assert zh.tolist() == [1, 2]


def test_bad_language_is_rejected():
    from crmlab.validation import CrmlabValueError

    with pytest.raises(CrmlabValueError, match="lang must be one of"):
        label_table(pd.DataFrame({"revenue": [1]}), "fr")


def test_chinese_notebook_tables_have_no_snake_case_headers(tmp_path):
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "04_zh.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "04_value_segmentation.ipynb"), str(out),
                               parameters={"lang": "zh"}, kernel_name="python3",
                               cwd=str(ROOT / "notebooks"), progress_bar=False)
    nb = nbformat.read(str(out), as_version=4)
    headers = [html.unescape(re.sub(r"<[^>]+>", "", th)).strip()
               for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
               for th in re.findall(r"<th[^>]*>(.*?)</th>", o.get("data", {}).get("text/html", ""), re.S)]
    assert len(headers) > 50, "the notebook displayed its tables"
    assert sorted({h for h in headers if SNAKE_CASE.match(h)}) == []
