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
    "advantage": ("A advantage: keep up the good work", "A 优势区"),
    "repair": ("B repair: concentrate here", "B 修补区"),
    "opportunity": ("C opportunity: low priority", "C 机会区"),
    "maintain": ("D maintain: possible overkill", "D 维持区"),
    "action_advantage": ("maintain strength", "保持优势"),
    "action_repair": ("fix first", "优先改进"),
    "action_opportunity": ("watch, later gains", "关注，日后改进"),
    "action_maintain": ("hold, don't over-invest", "维持，不宜过度投入"),
    "above_diagonal": ("above iso-priority line: improve", "等优先线上方：优先改进"),
    "below_diagonal": ("below iso-priority line: hold", "等优先线下方：维持"),
    "iso_priority_line": ("iso-priority line (above it: improve first)", "等优先线（线上方：优先改进）"),
    "ipa_performance": ("Performance", "满意度（表现）"),
    "ipa_importance": ("Importance", "重要度"),
    "ipa_title": ("Importance–performance chart", "四分图（重要度—满意度）"),
    "ipa_map_title": ("Importance–performance map", "重要性—绩效图"),
    "ipa_scale": ("scale", "量表"),
    "ipa_target": ("target", "目标构念"),
    "ipa_crosshair": ("Crosshair", "分界线"),
    "ipa_quadrant": ("Quadrant", "象限"),
    "ipa_attribute": ("Attribute", "指标"),
    "ipa_competitor": ("Competitor", "竞争对手"),
    "ipa_competitor_arrow": ("arrow: competitor → us", "箭头：竞争对手 → 本企业"),
    "ipa_stability": ("bootstrap ellipse", "自助法置信椭圆"),
    "ipa_stability_title": ("Quadrant stability", "象限稳定性"),
    "ipa_resamples": ("bootstrap resamples", "次自助重抽样"),
    "ipa_share_same": ("share of resamples in same quadrant", "重抽样中落在同一象限的比例"),
    "ipa_performance_index": ("Performance (0–100 index)", "绩效（0–100 指数）"),
    "ipa_total_effect": ("Importance (unstandardized total effect)", "重要性（非标准化总效应）"),
    "method_stated": ("stated importance (survey mean)", "陈述重要度（问卷均值）"),
    "method_correlation": ("correlation with overall satisfaction", "与总体满意度的相关系数"),
    "method_ols_beta": ("standardized regression coefficient", "标准化回归系数"),
    "method_relative_weights": ("relative weights (Johnson 2000), share of R²", "相对权重（Johnson 2000），R² 分解"),
    "method_lmg": ("LMG / Shapley share of R²", "LMG/Shapley R² 分解"),
    "method_pls_total_effect": ("PLS total effect", "PLS 总效应"),
    "crosshair_mean": ("mean", "均值"),
    "crosshair_median": ("median", "中位数"),
    "crosshair_midpoint": ("scale midpoint", "量表中点"),
    "crosshair_given": ("given value", "给定值"),
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
