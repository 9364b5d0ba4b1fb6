"""The one English/Chinese term table used by every chart and table.

``t("advantage", "zh")`` -> ``"优势区"``.  Keys are short English identifiers;
each maps to ``(english, chinese)``.  Terms follow the vocabulary of the
course material in ``shared/seeds`` (see SPEC.md).  Themes keep their terms in
their own section below so the table stays easy to scan.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .validation import CrmlabValueError

LANGS = ("en", "zh")

TERMS: dict[str, tuple[str, str]] = {}

# --- general -------------------------------------------------------------
TERMS.update({
    "customer": ("Customer", "客户"),
    "customers": ("Customers", "客户数"),
    "value": ("Value", "数值"),
    "share": ("Share", "占比"),
    "count": ("Count", "数量"),
    "mean": ("Mean", "均值"),
    "median": ("Median", "中位数"),
    "total": ("Total", "合计"),
    "period": ("Period", "期"),
    "year": ("Year", "年"),
    "week": ("Week", "周"),
    "revenue": ("Revenue", "收入"),
    "profit": ("Profit", "利润"),
    "cost": ("Cost", "成本"),
    "method": ("Method", "方法"),
    "parameter": ("Parameter", "参数"),
    "result": ("Result", "结果"),
    "demo_title": ("Conventions demo: a bilingual bar chart", "约定示例：双语柱状图"),
    "category": ("Category", "类别"),
})

# --- satisfaction (SPEC §1) ----------------------------------------------
TERMS.update({
})

# --- PLS path models (SPEC §1.3) ---
TERMS.update({
    "pls_path_title": ("PLS path model: path coefficients and R²", "PLS 路径模型：路径系数与 R²"),
    "pls_r2": ("R²", "R²"),
    "pls_ci_covers_zero": ("dashed: {level:.0%} bootstrap CI covers 0", "虚线：{level:.0%} 自助法置信区间包含 0"),
    "pls_index_title": ("Index per construct (0–100) from unstandardised outer weights",
                        "各潜变量指数（0–100，基于非标准化外部权重）"),
    "pls_index_axis": ("Index (0–100)", "指数（0–100）"),
    "pls_construct": ("Construct", "潜变量"),
    "pls_ci": ("{level:.0%} bootstrap percentile CI", "{level:.0%} 自助法百分位置信区间"),
})

# --- importance/performance (SPEC §2) ------------------------------------
TERMS.update({
})

# --- customer lifetime value (SPEC §3) -----------------------------------
TERMS.update({
})

# --- value-based segmentation (SPEC §4, §5) ------------------------------
TERMS.update({
})


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported label language, else raise."""
    if lang not in LANGS:
        raise CrmlabValueError(f"lang must be one of {list(LANGS)}, got {lang!r}")
    return lang


def t(key: str, lang: str = "en") -> str:
    """Translate a term key into ``lang`` ("en" or "zh")."""
    check_lang(lang)
    try:
        en, zh = TERMS[key]
    except KeyError:
        raise CrmlabValueError(f"no term {key!r} in crmlab.i18n.TERMS") from None
    return zh if lang == "zh" else en


def translate_labels(labels: Iterable[str], lang: str = "en") -> list[str]:
    """Translate term keys; labels that are not keys (e.g. attribute names) pass through unchanged."""
    check_lang(lang)
    return [t(x, lang) if isinstance(x, str) and x in TERMS else x for x in labels]


def label_table(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Return a copy of ``df`` with column and index names that are term keys translated for display."""
    out = df.copy()
    out.columns = translate_labels(out.columns, lang)
    if out.index.name in TERMS:
        out.index.name = t(out.index.name, lang)
    return out
