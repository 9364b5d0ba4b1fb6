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
    # constructs of the ACSI / ECSI models (seed 003 §2.3.1(2))
    "EXPE": ("Customer expectations", "顾客期望"),
    "QUAL": ("Perceived quality", "感知质量"),
    "VAL": ("Perceived value", "感知价值"),
    "SAT": ("Customer satisfaction", "顾客满意度"),
    "COMP": ("Customer complaints", "顾客抱怨"),
    "LOY": ("Customer loyalty", "顾客忠诚"),
    "IMAG": ("Corporate image", "企业形象"),
    "index_0_100": ("Index (0–100)", "指数（0–100）"),
    # SERVQUAL and the gap model (seed 003 §2.3.1(4)(5))
    "servqual_title": ("SERVQUAL gaps: perception − expectation", "SERVQUAL 差距：认知 − 预期"),
    "gap_pe": ("Gap P − E (scale points)", "差距 P − E（量表分）"),
    "dimension": ("Dimension", "维度"),
    "item": ("Item", "题项"),
    "tangibles": ("Tangibles", "有形性"),
    "reliability": ("Reliability", "可靠性"),
    "responsiveness": ("Responsiveness", "响应性"),
    "assurance": ("Assurance", "保证性"),
    "empathy": ("Empathy", "移情性"),
    "overall_unweighted": ("Overall (unweighted)", "总体（未加权）"),
    "overall_weighted": ("Overall (importance-weighted)", "总体（重要性加权）"),
    "gap_understanding": ("Understanding gap", "理解差距"),
    "gap_procedure": ("Procedure gap", "程序差距"),
    "gap_behaviour": ("Behaviour gap", "行为差距"),
    "gap_promotion": ("Promotion gap", "促销差距"),
    "gap_perception": ("Perception gap", "感受差距"),
    # Kano (seed 000, seed 003 §2.3.1(2))
    "kano_attractive": ("Attractive (A)", "魅力型 A"),
    "kano_one_dimensional": ("One-dimensional (O)", "期望型 O"),
    "kano_must_be": ("Must-be (M)", "基本型 M"),
    "kano_indifferent": ("Indifferent (I)", "无差异型 I"),
    "kano_reverse": ("Reverse (R)", "反向型 R"),
    "kano_questionable": ("Questionable (Q)", "可疑 Q"),
    "kano_shares_title": ("Kano category shares per attribute", "各属性的卡诺类别占比"),
    "attribute": ("Attribute", "属性"),
    "better_worse_title": ("Better–Worse diagram", "Better–Worse 系数图"),
    "better": ("Better (satisfaction when present)", "Better（提供时满意度增加）"),
    "worse_abs": ("|Worse| (dissatisfaction when absent)", "|Worse|（不提供时不满意度）"),
    # loyalty (seed 003 §2.3.2)
    "loyalty_curve_title": ("Satisfaction and loyalty in two market settings", "两种竞争环境下的满意度与忠诚度"),
    "satisfaction": ("Satisfaction", "顾客满意度"),
    "share_of_wallet": ("Share of wallet (%)", "钱包份额（%）"),
    "repeat_purchase_rate": ("Repeat-purchase rate (%)", "重复购买率（%）"),
    "competitive": ("Highly competitive market", "激烈竞争区域"),
    "non_competitive": ("Non-competitive market", "非竞争区域"),
    "zone_of_indifference": ("Zone of indifference", "质量不敏感区"),
    "binned_mean": ("binned mean ± SE", "分组均值 ± 标准误"),
    "lowess": ("LOWESS smoother", "LOWESS 平滑"),
    # fuzzy evaluation, CSI and PCA (seed 003 §2.3.1(4))
    "fuzzy_title": ("Fuzzy comprehensive evaluation: result vector B", "模糊综合评价：评价结果向量 B"),
    "grade": ("Grade", "评语等级"),
    "membership": ("Membership degree", "隶属度"),
    "very_satisfied": ("Very satisfied", "很满意"),
    "satisfied": ("Satisfied", "满意"),
    "neutral": ("Neutral", "一般"),
    "dissatisfied": ("Dissatisfied", "不满意"),
    "very_dissatisfied": ("Very dissatisfied", "很不满意"),
    "pca_title": ("Principal-component index: explained variance and item weights", "主成分指数：方差贡献率与指标权重"),
    "explained_ratio": ("Explained variance ratio", "方差贡献率"),
    "component": ("Component", "主成分"),
    "weight": ("Weight", "权重"),
    "csi_title": ("Weighted CSI = Σ wᵢ sᵢ: item contributions", "加权满意度指数 CSI = Σ wᵢ sᵢ：各题项贡献"),
    "contribution": ("Contribution wᵢ sᵢ", "贡献 wᵢ sᵢ"),
    "score": ("Score", "得分"),
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
