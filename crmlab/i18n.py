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

# --- importance/performance (SPEC §2) ------------------------------------
TERMS.update({
})

# --- customer lifetime value (SPEC §3) -----------------------------------
TERMS.update({
    "clv_value": ("Customer lifetime value", "客户终身价值"),
    "clv_brand": ("Brand", "品牌"),
    "clv_spending_share": ("Share of spending", "支出份额"),
    "clv_stationary_share": ("Long-run share", "稳态份额"),
    "clv_share_evolution_title": ("Spending shares under brand switching", "品牌转换下的支出分配"),
    "clv_switching_probability": ("Switching probability", "转换概率"),
    "clv_sensitivity_title": ("How each brand's CLV responds to a switching probability", "转换概率变化对各品牌客户终身价值的影响"),
    "clv_frequency": ("Frequency (repeat purchases)", "购买频次（重复购买次数）"),
    "clv_recency": ("Recency (time of last purchase)", "最近购买时间"),
    "clv_p_alive": ("P(alive)", "存活概率"),
    "clv_p_alive_title": ("Probability a customer is still active", "客户仍然活跃的概率"),
    "clv_calibration_frequency": ("Purchases in calibration period", "校准期购买次数"),
    "clv_holdout_purchases": ("Mean purchases in holdout period", "验证期平均购买次数"),
    "clv_holdout_title": ("Holdout check: actual vs predicted purchases", "验证期检验：实际与预测购买次数"),
    "clv_actual": ("Actual", "实际"),
    "clv_predicted": ("Model (BG/NBD)", "模型预测（BG/NBD）"),
    "clv_cumulative_purchases": ("Cumulative repeat purchases", "累计重复购买次数"),
    "clv_tracking_title": ("Cumulative repeat purchases: actual vs model", "累计重复购买：实际与模型"),
    "clv_calibration_end": ("End of calibration", "校准期结束"),
    "clv_date": ("Date", "日期"),
    "clv_tier": ("CLV tier", "客户类型"),
    "clv_vip": ("VIP", "VIP客户"),
    "clv_major": ("Major", "主要客户"),
    "clv_ordinary": ("Ordinary", "普通客户"),
    "clv_small": ("Small", "小客户"),
    "clv_share_of_customers": ("Share of customers", "客户数占比"),
    "clv_share_of_clv": ("Share of total CLV", "终身价值占比"),
    "clv_tiers_title": ("Customer tiers by CLV", "按客户终身价值划分的客户类型"),
    "clv_time_unit_D": ("days", "天"),
    "clv_time_unit_W": ("weeks", "周"),
    "clv_time_unit_M": ("months", "月"),
    "clv_time_unit_Y": ("years", "年"),
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
