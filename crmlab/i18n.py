"""The one English/Chinese term table used by every chart and table (presentation only).

``t("advantage", "zh")`` -> ``"优势区"``.  Keys are short English identifiers; each maps
to ``(english, chinese)``.  Terms follow the vocabulary of the course material in
``shared/seeds`` (see SPEC.md).  Only the presentation layer (``crmlab.plotting``, the
report layer, notebooks) uses this module; computation modules return keys.

* **Contexts.**  A key can mean different things in different tables ("component" of a
  principal-component analysis vs a profit component).  Such terms are stored as
  ``"<context>.<key>"`` and looked up context first: ``t("component", lang, context="clv")``
  finds ``clv.component`` before a plain ``component``.
* **One fallback rule.**  :func:`label` (and every table and chart label) translates a
  label that is a term and passes anything else through unchanged — names users give
  (constructs, attributes, brands, segments) are shown exactly as given.  :func:`t` is for
  crmlab's own keys and raises on an unknown one (a typo in crmlab, not in user data).
* **What a table translates.**  :func:`label_table` translates the *headers* crmlab
  produced (column labels, index and column names) and the *values* of the dimensions
  whose values are crmlab's own vocabulary (:data:`VOCABULARY` — quadrant zones, value
  classes, tiers, segments, strategies …).  Row labels of any other dimension (constructs,
  items, attributes, customers) are user names and are never translated, even when they
  happen to spell a term (a construct called ``COMP``).

A header that means exactly what an existing term says reuses that term through
``TERM_ALIASES`` instead of repeating the label under a second key.
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
    # table headers
    "name": ("Name", "名称"),
    "difference": ("Difference", "差值"),
    "estimate": ("Estimate", "估计值"),
    "true": ("True value", "真实值"),
    "std_error": ("Standard error", "标准误"),
    "lower_95": ("95% CI lower", "95% 置信下限"),
    "upper_95": ("95% CI upper", "95% 置信上限"),
    "min": ("Min", "最小值"),
    "max": ("Max", "最大值"),
    "std": ("Std. dev.", "标准差"),
    "n": ("n", "样本量"),
    "source": ("Source", "起点"),
    "target": ("Target", "终点"),
    "type": ("Type", "类型"),
    "rule": ("Rule", "规则"),
    "order": ("Order", "顺序"),
    "customer_id": ("Customer ID", "客户编号"),
    "churn_rate": ("Churn rate", "客户流失率"),
    "retention_rate": ("Retention rate", "客户保持率"),
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
    "gap_key": ("Gap", "差距"),
    "definition": ("Definition", "定义"),
    "gap_understanding_definition": ("Knowledge gap: management's perception of customer expectations vs the expectations "
                                     "themselves", "经营者对客户预期的理解不正确"),
    "gap_procedure_definition": ("Standards gap: management's perception vs service-quality specifications",
                                 "顾客预期没有转换成适当的程序步骤"),
    "gap_behaviour_definition": ("Delivery gap: specifications vs service actually delivered", "提供的服务和服务标准有所差异"),
    "gap_promotion_definition": ("Communication gap: service delivered vs what external communications promised",
                                 "许诺的服务和实际服务质量之间的差距"),
    "gap_perception_definition": ("Customer gap: expected service vs perceived service (= f(gaps 1–4))",
                                  "顾客感受到的服务水平和实际提供的服务有所差异"),
    "gap_understanding_data": ("Management survey vs customers' expectations", "管理层调查与顾客期望对比"),
    "gap_procedure_data": ("Audit of service standards", "服务标准审核"),
    "gap_behaviour_data": ("Operational or mystery-shopper data", "运营数据或神秘顾客调查"),
    "gap_promotion_data": ("Promises vs delivery records", "承诺与服务交付记录对比"),
    "gap_perception_data": ("SERVQUAL: perception − expectation", "SERVQUAL：感知 − 期望"),
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
    "satisfaction.component": ("Component", "主成分"),
    "weight": ("Weight", "权重"),
    "csi_title": ("Weighted CSI = Σ wᵢ sᵢ: item contributions", "加权满意度指数 CSI = Σ wᵢ sᵢ：各题项贡献"),
    "satisfaction.contribution": ("Contribution wᵢ sᵢ", "贡献 wᵢ sᵢ"),
    "score": ("Score", "得分"),
    # table headers
    "perception": ("Perception (P)", "认知（P）"),
    "expectation": ("Expectation (E)", "预期（E）"),
    "ratio_c": ("Satisfaction ratio C = P / E", "满意度比值 C = P / E"),
    "definition_en": ("Definition (English)", "定义（英文）"),
    "definition_seed_zh": ("Definition (course text)", "定义（课程原文）"),
    "measured_by": ("Measured by", "测量方式"),
    "functional": ("Functional question (feature present)", "正向问题（具备该功能）"),
    "dysfunctional": ("Dysfunctional question (feature absent)", "反向问题（不具备该功能）"),
    "like": ("Like", "喜欢"),
    "must-be": ("Must-be", "理所当然"),
    "live-with": ("Live with", "能忍受"),
    "dislike": ("Dislike", "不喜欢"),
    "tie": ("Tie", "并列"),
    "category_strength": ("Category strength", "类别强度"),
    "fong_significant": ("Significant (Fong test)", "显著（Fong 检验）"),
    "worse": ("Worse (dissatisfaction when absent)", "Worse（不提供时不满意度增加）"),
    "functional_mean": ("Functional mean", "正向问题均值"),
    "functional_sd": ("Functional SD", "正向问题标准差"),
    "dysfunctional_mean": ("Dysfunctional mean", "反向问题均值"),
    "dysfunctional_sd": ("Dysfunctional SD", "反向问题标准差"),
    "n_used": ("Answers used", "有效回答数"),
    "n_excluded": ("Answers excluded", "剔除回答数"),
    "eigenvalue": ("Eigenvalue", "特征值"),
    "cumulative_ratio": ("Cumulative variance ratio", "累计方差贡献率"),
    "kept": ("Kept", "保留"),
    "coef": ("Coefficient", "系数"),
    "p_value": ("p-value", "p 值"),
    "std_coef": ("Standardized coefficient", "标准化系数"),
    "term": ("Term", "变量"),
    "const": ("Constant", "常数项"),
    "factor": ("Factor", "因素"),
    "market": ("Market", "市场"),
    "zone": ("Zone", "区域"),
    "slope": ("Slope", "斜率"),
    # customer delivered value (seed 003; Kotler)
    "product": ("Product value", "产品价值"),
    "service": ("Service value", "服务价值"),
    "personnel": ("Personnel value", "人员价值"),
    "image": ("Image", "形象"),
    "time": ("Time cost", "时间成本"),
    "energy": ("Energy cost", "精力成本"),
    "physical": ("Physical cost", "体力成本"),
    "tcv": ("Total customer value", "顾客总价值"),
    "tcc": ("Total customer cost", "顾客总成本"),
    "cdv": ("Customer delivered value", "顾客让渡价值"),
    "cdv_ratio": ("Value / cost ratio", "顾客总价值 / 总成本"),
    "ours": ("Ours", "本企业"),
    "rival": ("Rival", "竞争者"),
})

# --- PLS path models (SPEC §1.3) ---
TERMS.update({
    "pls_path_title": ("PLS path model: path coefficients and R²", "PLS 路径模型：路径系数与 R²"),
    "pls_r2": ("R²", "R²"),
    "pls_ci_covers_zero": ("dashed: {level:.0%} bootstrap CI covers 0", "虚线：{level:.0%} 自助法置信区间包含 0"),
    "pls_index_title": ("Index per construct (0–100) from unstandardised outer weights",
                        "各潜变量指数（0–100，基于非标准化外部权重）"),
    "pls_construct": ("Construct", "潜变量"),
    "htmt_title": ("Discriminant validity: HTMT (outlined: ≥ 0.85, red: ≥ 0.90)",
                   "区分效度：HTMT（框出：≥ 0.85，红框：≥ 0.90）"),
    "pls_ci": ("{level:.0%} bootstrap percentile CI", "{level:.0%} 自助法百分位置信区间"),
    # table headers
    "estimated_r2": ("Estimated R²", "估计 R²"),
    "true_r2": ("True R²", "真实 R²"),
    "mode": ("Measurement mode", "测量模式"),
    "items": ("Items", "题项数"),
    "ave": ("AVE", "平均提取方差 AVE"),
    "cronbach_alpha": ("Cronbach's α", "Cronbach's α 系数"),
    "composite_reliability": ("Composite reliability", "组合信度"),
    "dillon_goldstein_rho": ("Dillon–Goldstein ρ", "Dillon–Goldstein ρ 系数"),
    "rho_a": ("ρ_A (Dijkstra–Henseler)", "ρ_A 信度（Dijkstra–Henseler）"),
    # PLSpredict and multi-group analysis charts
    "pls_rmse": ("RMSE (out of sample)", "样本外均方根误差 RMSE"),
    "pls_predict_title": ("PLSpredict: out-of-sample error, PLS vs linear-model benchmark",
                          "PLSpredict：样本外预测误差（PLS 与线性回归基准）"),
    "pls_predict_pls": ("PLS", "PLS"),
    "pls_predict_lm": ("LM benchmark", "线性回归基准"),
    "pls_mga_title": ("Path coefficients by group (permutation test)", "分组路径系数（置换检验）"),
    "pls_path_coefficient": ("Path coefficient", "路径系数"),
    "pls_mga_significant": ("* difference significant at {level:.0%}", "* 组间差异在 {level:.0%} 水平显著"),
    "mean_boot": ("Bootstrap mean", "自助法均值"),
    "t_value": ("t value", "t 值"),
    "ci_lower": ("CI lower", "置信下限"),
    "ci_upper": ("CI upper", "置信上限"),
})

# --- notebook 01_satisfaction: inputs, skipped sections, PLSc / PLSpredict / MGA tables ---
TERMS.update({
    "yes": ("Yes", "是"),
    "no": ("No", "否"),
    "study_input": ("Input", "输入"),
    "file": ("File", "文件"),
    "rows": ("Rows", "行数"),
    "missing_note_drop": ("{n} respondents with missing answers were left out (`missing = \"drop\"`).",
                          "{n} 名有缺失答案的受访者未参与分析（`missing = \"drop\"`）。"),
    "missing_note_mean": ("{n} missing answers were replaced by the mean of their item (`missing = \"mean\"`).",
                          "{n} 个缺失答案已用所在题项的均值代替（`missing = \"mean\"`）。"),
    "section_servqual": ("SERVQUAL gaps", "SERVQUAL 差距分析"),
    "need_servqual": ("SERVQUAL perception and expectation items (key `servqual`)", "SERVQUAL 的感知与期望题项（`servqual` 键）"),
    "section_pls": ("PLS path model and satisfaction indices", "PLS 路径模型与满意度指数"),
    "need_constructs": ("the constructs and paths of a path model (keys `constructs` and `paths`)",
                        "路径模型的潜变量与路径（`constructs` 和 `paths` 键）"),
    "section_mga": ("Two-group comparison", "两组比较"),
    "need_group": ("a column splitting the respondents into two groups (key `group`)", "把受访者分为两组的列（`group` 键）"),
    "need_two_groups": ("exactly two groups in the group column", "分组列中恰好两个组"),
    "section_drivers": ("Other scoring routes (weighted CSI, PCA index, regression, fuzzy evaluation)",
                        "其他测评方法（加权满意度指数、主成分分析法、回归、模糊综合评价）"),
    "need_drivers": ("driver constructs (parameter `driver_constructs`, or an overall item in a construct that has paths "
                     "into it)", "驱动潜变量（参数 `driver_constructs`，或位于有路径指向的潜变量中的总体满意度题项）"),
    "section_regression": ("Regression route", "计量经济学（回归）方法"),
    "need_overall_item": ("an overall-satisfaction item (key `overall`)", "总体满意度题项（`overall` 键）"),
    "section_loyalty": ("Loyalty measures", "顾客忠诚度测评"),
    "need_purchases": ("purchase records (parameter `purchases`)", "购买记录（参数 `purchases`）"),
    "section_loyalty_curve": ("Satisfaction → loyalty curve", "满意度—忠诚度曲线"),
    "need_purchase_satisfaction": ("a satisfaction column in the purchase records (key `satisfaction`)",
                                   "购买记录中的满意度列（`satisfaction` 键）"),
    "need_cdv_offers": ("offers with their value and cost parts (parameter `cdv_offers`)",
                        "各供给的价值与成本构成（参数 `cdv_offers`）"),
    "path": ("Path", "路径"),
    "pls": ("PLS estimate", "PLS 估计值"),
    "plsc": ("Consistent PLS (PLSc)", "一致性 PLS（PLSc）"),
    "pls_error": ("PLS − true", "PLS − 真实值"),
    "plsc_error": ("PLSc − true", "PLSc − 真实值"),
    "q2_predict": ("Q²predict", "预测 Q²（Q²predict）"),
    "rmse": ("RMSE (PLS)", "均方根误差 RMSE（PLS）"),
    "lm_rmse": ("RMSE (LM benchmark)", "均方根误差 RMSE（线性回归基准）"),
    "rmse_below_lm": ("PLS beats the benchmark", "PLS 优于基准"),
    "estimate_1": ("Estimate, group 1", "第 1 组估计值"),
    "estimate_2": ("Estimate, group 2", "第 2 组估计值"),
    "significant": ("Significant", "差异显著"),
    "satisfaction.c": ("Composite correlation c", "合成变量相关系数 c"),
    "satisfaction.c_quantile": ("5% quantile of permuted c", "置换所得 c 的 5% 分位数"),
    "compositional_invariance": ("Compositional invariance", "组成不变性"),
    "mean_difference": ("Mean difference", "均值差"),
    "equal_means": ("Equal means", "均值相等"),
    "log_variance_ratio": ("Log variance ratio", "方差比的对数"),
    "equal_variances": ("Equal variances", "方差相等"),
    "mga_groups_note": ("Groups compared (column {column}): group 1 = {g1} ({n1} respondents), group 2 = {g2} "
                        "({n2} respondents).", "比较的分组（列 {column}）：第 1 组 = {g1}（{n1} 名受访者），"
                        "第 2 组 = {g2}（{n2} 名受访者）。"),
    "survey_wave": ("Survey wave", "调查轮次"),
    "pca_undefined": ("*No principal-component index for these items: the first {k} component(s) do not weight every "
                      "item positively, so the weighted mean is not an index. Choose other driver constructs or "
                      "`pca_components`.*", "*这些题项不能构成主成分指数：前 {k} 个主成分并未给每个题项正的权重，"
                      "加权均值不是指数。请另选驱动潜变量或调整 `pca_components`。*"),
    "offer": ("Offer", "供给"),
    "all_customers": ("All customers", "全部顾客"),
    "kano.neutral": ("Neutral (indifferent)", "无所谓"),
    "satisfaction.monetary": ("Monetary cost", "货币成本"),
    "satisfaction.image": ("Image value", "形象价值"),
    "satisfaction.low": ("Low satisfaction", "低满意区"),
    "satisfaction.high": ("High satisfaction", "高满意区"),
    # attributes of the bundled Kano survey (crmlab.datasets.satisfaction), display labels in the teaching run
    "reliable_login": ("Reliable login", "登录稳定可靠"),
    "fast_transfers": ("Fast transfers", "转账快速到账"),
    "spending_insights": ("Spending insights", "消费分析"),
    "fee_alerts": ("Fee alerts", "收费提醒"),
    "chat_support": ("Chat support", "在线客服"),
    "face_id": ("Face ID login", "刷脸登录"),
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
    # table headers
    "respondent": ("Respondent", "受访者"),
    "overall": ("Overall satisfaction", "总体满意度"),
    "action": ("Action", "行动建议"),
    "importance_method": ("Importance method", "重要性计算方法"),
    "n_attributes": ("Number of attributes", "属性个数"),
    "csi": ("CSI (importance-weighted performance)", "满意度指数 CSI（重要度加权）"),
    "weights": ("Weights used", "所用权重"),
    "overall_mean": ("Overall satisfaction (mean)", "总体满意度均值"),
    "overall_index_0_100": ("Overall satisfaction index (0–100)", "总体满意度指数（0–100）"),
    "true_b": ("True coefficient", "真实系数"),
    "estimated_b": ("Estimated coefficient", "估计系数"),
    "lmg_rank": ("LMG rank", "LMG 排名"),
    "true_rank": ("True rank", "真实排名"),
    "stated": ("Stated", "陈述重要度"),
    "correlation": ("Correlation", "相关系数法"),
    "ols_beta": ("OLS beta", "标准化回归系数法"),
    "relative_weights": ("Relative weights", "相对权重法"),
    "lmg": ("LMG", "LMG 法"),
    "changes": ("Quadrant changes", "象限变化次数"),
    "priority_gap": ("Priority gap", "优先差距"),
    "diagonal_zone": ("Diagonal zone", "对角线分区"),
    "share_same_quadrant": ("Share in same quadrant", "落在同一象限的比例"),
    "share_A": ("Share in A", "落在 A 区的比例"),
    "share_B": ("Share in B", "落在 B 区的比例"),
    "share_C": ("Share in C", "落在 C 区的比例"),
    "share_D": ("Share in D", "落在 D 区的比例"),
    "importance_low": ("Importance, lower bound", "重要度下限"),
    "importance_high": ("Importance, upper bound", "重要度上限"),
    "performance_low": ("Performance, lower bound", "满意度下限"),
    "performance_high": ("Performance, upper bound", "满意度上限"),
    "true_standardized_total": ("True standardized total effect", "真实标准化总效应"),
    "pls_standardized_total": ("PLS standardized total effect", "PLS 标准化总效应"),
    "competitor_performance": ("Competitor performance", "竞争对手绩效"),
    "performance_gap": ("Performance gap (us − competitor)", "绩效差距（本企业 − 竞争对手）"),
    "gap_p_value": ("Gap p-value", "差距 p 值"),
    "competitor_quadrant": ("Competitor quadrant", "竞争对手象限"),
})

# --- notebook 02_importance_performance: sections, notes and headers -----
TERMS.update({
    "section_ipa_stated": ("The four-quadrant chart with stated importance", "基于重要度打分的四分图"),
    "section_ipa_derived": ("Derived importance", "推导重要度"),
    "section_ipma": ("Importance–performance map of a PLS path model", "PLS 路径模型的重要性—绩效图"),
    "section_ipa_competitor": ("Competitor comparison", "与竞争对手的比较"),
    "need_ipa_stated": ("importance ratings of the attributes (`survey.stated_importance`)",
                               "各指标的重要度打分（`survey.stated_importance`）"),
    "need_ipa_overall": ("an overall-satisfaction question (`survey.overall`)", "总体满意度题项（`survey.overall`）"),
    "need_ipa_constructs": ("constructs and paths of a path model (`survey.constructs` and `survey.paths`, or `ipma_survey`)",
                        "路径模型的潜变量与路径（`survey.constructs` 和 `survey.paths`，或 `ipma_survey`）"),
    "need_ipa_competitor": ("ratings of a competitor (`survey.competitor`)", "对竞争对手的评分（`survey.competitor`）"),
    "ipa_data_note": ("{n} respondents rate {p} attributes on a {low:g}–{high:g} scale.",
                      "{n} 位受访者对 {p} 个绩效指标按 {low:g}–{high:g} 分打分。"),
    "ipa_dropped_note": ("{dropped} further respondents with a missing answer (blank or a declared missing-value code) "
                         "are left out.", "另有 {dropped} 位受访者因缺答（空白或已声明的缺失值代码）未纳入计算。"),
    "ipa_main_note": ("Importance used for the decisions below: {method}; crosshair — {crosshair}.",
                      "以下决策部分所用的重要度：{method}；分界线——{crosshair}。"),
    "ipa_r2_note": ("R² of overall satisfaction regressed on all attributes: {r2:.3f}.",
                    "总体满意度对全部指标回归的 R²：{r2:.3f}。"),
    "ipa_sum_note": ("{method}: the values sum to {total:.3f}, the R².", "{method}：各值之和为 {total:.3f}，恰为 R²。"),
    "ipma_settings_note": ("PLS path model: {scheme} inner weighting scheme, items {treatment}; target construct "
                           "{target}; {n} respondents.",
                           "PLS 路径模型：{scheme}内部权重方案，题项{treatment}；目标潜变量为{target}；{n} 位受访者。"),
    "scheme_path": ("path", "路径加权"),
    "scheme_centroid": ("centroid", "重心加权"),
    "scheme_factorial": ("factorial", "因子加权"),
    "items_standardized": ("standardised", "经标准化"),
    "items_centred": ("centred only (unstandardised)", "仅中心化（未标准化）"),
    "performance_item": ("Performance question", "满意度题项"),
    "stated_item": ("Importance question", "重要度题项"),
    "competitor_item": ("Competitor question", "竞争对手题项"),
    "estimated_rank": ("Estimated rank", "估计排名"),
    "csi_index_0_100": ("CSI on 0–100", "CSI 指数（0–100）"),
    "ipa.metric": ("Measure", "指标"),
    "ipa.changes": ("Changes quadrant", "象限是否改变"),
    "ipa_explore_hint": ("Move the crosshair or switch the importance method; the chart and the table follow.",
                         "拖动分界线或切换重要度计算方法，图表随之更新。"),
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
    "clv_opportunity": ("Transaction opportunity", "交易机会"),
    "clv_opportunities": ("opportunities", "次交易机会"),
    "clv_purchases_per_opportunity": ("Transactions per opportunity", "每次机会的交易数"),
    "clv_survival": ("Share of cohort still customers", "客户存活率"),
    "clv_retention_projection_title": ("Contract renewals: sBG projection", "合同续约：sBG 模型预测"),
    "clv_holdout_mae": ("Mean absolute error", "平均绝对误差"),
    "clv_holdout_rmse": ("Root mean squared error", "均方根误差"),
    "clv_holdout_error": ("Holdout error per customer (purchases)", "验证期每位客户的预测误差（购买次数）"),
    "clv_model_comparison_title": ("Purchase models compared on the holdout period", "购买模型在验证期的比较"),
    "clv_cumulative_purchases": ("Cumulative repeat purchases", "累计重复购买次数"),
    "clv_tracking_title": ("Cumulative repeat purchases: actual vs model", "累计重复购买：实际与模型"),
    "clv_calibration_end": ("End of calibration", "校准期结束"),
    "clv_date": ("Date", "日期"),
    "clv_tier": ("CLV tier", "客户类型"),
    "clv_share_of_customers": ("Share of customers", "客户数占比"),
    "clv_share_of_clv": ("Share of total CLV", "终身价值占比"),
    "clv_tiers_title": ("Customer tiers by CLV", "按客户终身价值划分的客户类型"),
    "clv_time_unit_D": ("days", "天"),
    "clv_time_unit_W": ("weeks", "周"),
    "clv_time_unit_M": ("months", "月"),
    "clv_time_unit_Y": ("years", "年"),
    # table headers
    "cash_flow": ("Cash flow", "现金流"),
    "discount_factor": ("Discount factor", "折现系数"),
    "present_value": ("Present value", "现值"),
    "clv_margin": ("Margin per period", "每期利润贡献"),
    "clv_model": ("Model", "模型"),
    "start": ("Start of period", "期初"),
    "middle": ("Middle of period", "期中"),
    "end": ("End of period", "期末"),
    "infinite": ("Infinite horizon", "无限期"),
    "periods_5": ("5 periods", "5 期"),
    "survival": ("Survival rate", "生存率"),
    "scenario": ("Scenario", "情景"),
    "base_clv": ("Base CLV", "基准 CLV"),
    "new_clv": ("New CLV", "新 CLV"),
    "change": ("Change", "变化"),
    "average_lifetime": ("Average lifetime", "平均生命周期"),
    "profit_component": ("Profit component", "利润构成"),
    "amount": ("Amount (present value)", "金额（现值）"),
    "sign": ("Sign", "符号"),
    "net_contribution": ("Net contribution (sign × amount)", "净贡献（符号 × 金额）"),
    "base_profit": ("Base profit", "基本利润"),
    "growth_profit": ("Profit from revenue growth", "收入增长带来的利润"),
    "cost_savings": ("Cost savings", "成本节约"),
    "referral_value": ("Referral value", "推荐价值"),
    "acquisition_cost": ("Acquisition cost", "获取成本"),
    "price_concessions": ("Price concessions", "价格优惠"),
    "referral_destruction_cost": ("Cost of negative word of mouth", "推荐破坏成本"),
    "recency": ("Recency", "最近购买间隔"),
    "monetary_value": ("Average spend", "平均消费金额"),
    "first_purchase": ("First purchase", "首次购买"),
    "frequency_holdout": ("Purchases in holdout", "验证期购买次数"),
    "monetary_holdout": ("Average spend in holdout", "验证期平均消费金额"),
    "duration_holdout": ("Holdout length", "验证期时长"),
    "expected_purchases": ("Expected purchases", "预期购买次数"),
    "expected_spend": ("Expected spend per purchase", "预期每次消费金额"),
    "lower_cutoff": ("Lower cut-off", "下临界值"),
    "upper_cutoff": ("Upper cut-off", "上临界值"),
    "total_clv": ("Total CLV", "CLV 合计"),
    "clv_share": ("CLV share", "CLV 占比"),
})

# --- notebook 03_clv: customer lifetime value (its tables, notes and what-if panels) ---
TERMS.update({
    # textbook models (course: models one to three, Examples 1-2)
    "textbook_model_1": ("Model 1 (revenue)", "模型一（基于收入）"),
    "textbook_model_2": ("Model 2 (profit, assumed margin)", "模型二（基于利润，假设的利润率）"),
    "textbook_model_3": ("Model 3 (profit contribution)", "模型三（基于利润贡献）"),
    "textbook_answer": ("Course's answer", "课程答案"),
    "clv.convention": ("Timing of the cash flows", "现金流发生时点"),
    # retention and migration models
    "retention_spending": ("Retention spending per customer", "每位客户的保持费用"),
    "periods_1_to_t": ("t = 1 … T (course)", "t = 1 … T（课程）"),
    "periods_0_to_t": ("t = 0 … T (current period included)", "t = 0 … T（含当期）"),
    "clv_scenario_a_retention": ("A retention 0.70 → 0.80", "A 的维系概率 0.70 → 0.80"),
    "clv_scenario_c_to_a": ("C→A 0.25 → 0.35 (from C→B)", "C→A 0.25 → 0.35（取自 C→B）"),
    "clv_state": ("State", "状态"),
    "clv_recency_state": ("State {i}", "状态 {i}"),
    "clv.contribution": ("Contribution credited", "计入的贡献"),
    "marketing_cost": ("Mailing cost", "邮寄成本"),
    "reward": ("Reward R", "收益 R"),
    "pfeifer_carraway": ("NC on entering state 1 (Pfeifer & Carraway)", "NC 计入状态 1（Pfeifer 与 Carraway）"),
    "expected_contribution": ("p·NC in the mailing period", "p·NC 计入寄送当期"),
    "clv_firm": ("Firm {k}", "企业 {k}"),
    "clv_firm_header": ("Firm", "企业"),
    "clv_growing_note": ("CLV = {value:,.1f} after the acquisition cost of 50.", "扣除获取成本 50 后，CLV = {value:,.1f}。"),
    "clv_best_spending_note": ("A retention spending of {spending} per customer gives the highest CLV ({value:,.1f}).",
                               "每位客户投入 {spending} 的保持费用时，客户终身价值最高（{value:,.1f}）。"),
    "clv_retention_curve_title": ("Retention model: CLV against the retention rate", "客户保持模型：终身价值随客户保持率的变化"),
    # the transaction log and its summary
    "clv_rule_order": ("one purchase = one order `{column}`", "一次购买 = 一个订单 `{column}`"),
    "clv_rule_customer_day": ("one purchase = one customer-day", "一次购买 = 一位客户的一个自然日"),
    "clv_log_note": ("The log `{source}`: {rows:,} lines, {customers:,} customers and {purchases:,} purchases ({rule}), "
                     "from {first} to {last}.",
                     "交易记录 `{source}`：共 {rows:,} 行、{customers:,} 位客户、{purchases:,} 次购买（{rule}），"
                     "时间从 {first} 到 {last}。"),
    "clv_summary_note": ("{customers:,} customers bought in the calibration period, which ends on {calibration_end}; recency and "
                         "age are in {unit}. {late:,} customers first bought after it and are not in the summary; {zero:,} "
                         "lines have an amount of 0 ({zero_rule}).",
                         "{customers:,} 位客户在校准期内有购买，校准期截至 {calibration_end}；最近购买时间和观察期长度以{unit}"
                         "为单位。{late:,} 位客户在校准期之后才首次购买，不在汇总中；金额为 0 的记录有 {zero:,} 行（{zero_rule}）。"),
    "clv_zero_keep": ("counted as purchases", "计为购买"),
    "clv_zero_drop": ("left out", "已剔除"),
    "clv_zero_error": ("not allowed", "不允许出现"),
    "clv_holdout_note": ("The holdout period runs to {observation_end}.", "验证期截至 {observation_end}。"),
    "clv_no_holdout_note": ("No holdout period (`observation_end` is None): the holdout checks and the holdout errors are left "
                            "out.", "没有验证期（`observation_end` 为 None）：不做验证期检验，也不计算验证期误差。"),
    "clv.metric": ("Statistic", "统计量"),
    "clv.frequency": ("Repeat purchases x", "重复购买次数 x"),
    "clv.recency": ("Recency tₓ", "最近购买时间 tₓ"),
    "clv.T": ("Age T", "观察期长度 T"),
    "clv.monetary_value": ("Mean repeat spend z̄", "重复购买平均金额 z̄"),
    # fits, truth, counts, comparison
    "clv_truth_intro": ("**Does the fit recover the truth?** The bundled log was simulated from a BG/NBD purchase process "
                        "(r = 0.25, α = 4.0, a = 0.8, b = 2.5; weeks) and Gamma–Gamma spend (p = 6, q = 4, γ = 15) for 1,500 "
                        "customers acquired in the first 12 weeks of 2024. Every estimate should lie within a few standard "
                        "errors of the value it was simulated from (z column).",
                        "**估计能否还原真实参数？** 内置交易记录由 BG/NBD 购买过程（r = 0.25，α = 4.0，a = 0.8，b = 2.5；以周计）"
                        "和 Gamma–Gamma 消费金额（p = 6，q = 4，γ = 15）模拟，共 1,500 名客户，均在 2024 年前 12 周获取。"
                        "每个估计值都应落在其真实值的几个标准误之内（z 列）。"),
    "clv.z": ("z = (estimate − true) / SE", "z =（估计值 − 真实值）/ 标准误"),
    "clv_no_truth_note": ("There are no true parameters to compare with: the holdout check and the tracking below judge the fit.",
                          "没有可供比较的真实参数：由下文的验证期检验和累计跟踪判断拟合效果。"),
    "clv_p_alive_note": ("{share:.0%} of the customers are probably still active (P(alive) ≥ 50 % under the {model} model).",
                         "{share:.0%} 的客户很可能仍然活跃（在 {model} 模型下存活概率 ≥ 50%）。"),
    "repeat_purchases": ("Repeat purchases n", "重复购买次数 n"),
    "clv_no_count_model_note": ("None of the models in `purchase_models` gives P(X(t) = n) here (BG/NBD and Pareto/NBD do).",
                                "`purchase_models` 中没有能给出 P(X(t) = n) 的模型（BG/NBD 和 Pareto/NBD 可以）。"),
    "clv_frequency_fit_title": ("Repeat purchases in the calibration period: actual vs model", "校准期重复购买次数：实际与模型"),
    "log_likelihood": ("Log-likelihood", "对数似然值"),
    "n_parameters": ("Parameters k", "参数个数 k"),
    "aic": ("AIC", "AIC"),
    "bic": ("BIC", "BIC"),
    "holdout_mae": ("Holdout MAE", "验证期平均绝对误差"),
    "holdout_rmse": ("Holdout RMSE", "验证期均方根误差"),
    "holdout_predicted": ("Predicted holdout purchases", "验证期预测购买次数"),
    "holdout_actual": ("Actual holdout purchases", "验证期实际购买次数"),
    "clv.predicted": ("Predicted", "预测"),
    "clv_total_note": ("Expected CLV over {periods} steps of {days:g} days: {total:,.0f} in total, {mean:,.2f} per customer on "
                       "average.", "未来 {periods} 步（每步 {days:g} 天）的预期客户终身价值合计 {total:,.0f}，平均每位客户 {mean:,.2f}。"),
    "clv_saved_note": ("The per-customer table is saved to `{path}` ({rows:,} customers).",
                       "每位客户的明细表已保存到 `{path}`（{rows:,} 位客户）。"),
    # BG/BB and sBG
    "published": ("Published", "文献值"),
    "opportunities": ("Opportunities n", "交易机会数 n"),
    "clv_cohort": ("Cohort", "客户群体"),
    "clv_cohort_regular": ("Regular", "普通客户群体"),
    "clv_cohort_high_end": ("High end", "高端客户群体"),
    "published_alpha": ("Published α", "文献值 α"),
    "published_beta": ("Published β", "文献值 β"),
    "derl": ("DERL (periods)", "折现预期剩余生命期（期）"),
    "survival_last": ("Still under contract in the last period", "最后一期仍在约的比例"),
    "clv_derl_note": ("DERL at a discount rate of {rate:.0%} per period: multiplied by the margin per period, it is a new "
                      "customer's CLV.", "DERL 按每期 {rate:.0%} 的贴现率计算，乘以每期利润贡献即为新客户的终身价值。"),
    "clv_sbg_no_holdout_note": ("Too few periods to hold {periods} out (the sBG needs periods 0–2 at least): the charts use "
                                "every period.", "期数太少，无法留出 {periods} 期（sBG 至少需要第 0–2 期）：图中使用全部各期。"),
    # sections a user run may skip
    "section_log_models": ("Part 3, purchase models on a transaction log", "第三部分 基于交易记录的购买模型"),
    "need_transactions": ("a transaction log (`transactions`)", "交易记录（`transactions`）"),
    "section_bgbb": ("BG/BB model", "BG/BB 模型"),
    "need_bgbb_patterns": ("discrete-time purchase patterns (`bgbb_patterns`)", "离散交易机会的购买模式（`bgbb_patterns`）"),
    "section_sbg": ("sBG model of contract renewals", "合同续约的 sBG 模型"),
    "need_contract_survivors": ("contract cohorts (`contract_survivors`)", "合同客户群体的存续人数（`contract_survivors`）"),
    # what-if panels
    "discount_rate": ("Discount rate", "贴现率"),
    "margin_multiple": ("Margin multiple CLV / m", "利润乘数 CLV / m"),
    "clv_discount_rate_per_year": ("Discount rate per year", "年贴现率"),
    "clv_discount_rate_per_step": ("Discount rate per step", "每步贴现率"),
    "clv_profit_margin": ("Profit margin on spend", "利润率"),
})

# --- value-based segmentation (SPEC §4, §5) ------------------------------
TERMS.update({
    # indicators (seed 004 §2)
    "current_value": ("Current value", "当前价值"),
    "potential_value": ("Potential value", "潜在价值"),
    "total_value": ("Total value", "综合价值"),
    "cum_volume": ("Cumulative transaction volume", "累计交易量"),
    "cum_amount": ("Cumulative transaction amount", "累计交易额"),
    "avg_volume": ("Average transaction volume", "平均交易量"),
    "avg_amount": ("Average transaction amount", "平均交易额"),
    "gross_profit": ("Gross profit", "毛利润"),
    "service_cost": ("Service cost", "服务成本"),
    "gross_margin": ("Gross margin", "毛利率"),
    "relative_margin": ("Relative profit margin", "相对利润率"),
    "cross_buying": ("Cross-buying", "交叉购买"),
    "contract_duration": ("Contract guarantee duration", "合同保障时长"),
    "referrals": ("Referrals of new customers", "推荐新客户"),
    "business_scale": ("Business scale", "经营规模"),
    "profitability": ("Profitability", "获利能力"),
    "bank_credit": ("Bank credit", "银行信用"),
    "overdue_history": ("Payment-overdue history", "历史逾期情况"),
    # AHP
    "ahp_weight": ("AHP weight", "AHP权重"),
    "local_weight": ("Local weight", "局部权重"),
    "global_weight": ("Global weight", "全局权重"),
    "ahp_weights_title": ("AHP global weights of the indicators", "指标的AHP全局权重"),
    "ahp_synthesis_title": ("AHP synthesis: global priority of each alternative", "层次分析法综合：各方案的总排序权重"),
    "ahp_global_priority": ("Global priority", "总排序权重"),
    "ahp_alternative": ("Alternative", "备选方案"),
    "criterion": ("Criterion", "准则"),
    # value matrix (seed 004 §3)
    "value_matrix_title": ("Customer value matrix", "客户价值矩阵"),
    "vm_high_high": ("High current, high potential", "高当前价值·高潜在价值"),
    "vm_high_low": ("High current, low potential", "高当前价值·低潜在价值"),
    "vm_low_high": ("Low current, high potential", "低当前价值·高潜在价值"),
    "vm_low_low": ("Low current, low potential", "低当前价值·低潜在价值"),
    "vm_high_high_strategy": ("High-value customers: keep them and serve them first",
                              "高价值客户：重点保持，优先满足其需求"),
    "vm_high_low_strategy": ("Strengthen contact, watch their needs, raise loyalty",
                             "加强联系，关注客户动态和需求，提高其忠诚度"),
    "vm_low_high_strategy": ("Proactive marketing, targeted promotion, cross-selling",
                             "主动式营销，定向推广，争取交叉购买"),
    "vm_low_low_strategy": ("Screen for upgrade candidates; reduce or drop if costly to keep",
                            "甄别可升级客户；维持成本高则减少或舍弃"),
    "cutoff": ("Cut-off", "临界值"),
    # Pareto, tiers, Kotler chart (seed 002)
    "pareto_title": ("Pareto (80/20) curve", "二八定律曲线"),
    "lorenz_title": ("Lorenz curve", "洛伦兹曲线"),
    "customer_share_top": ("Share of customers (largest first)", "客户占比（由大到小）"),
    "customer_share_bottom": ("Cumulative share of customers (smallest first)", "客户累计占比（由小到大）"),
    "value_share": ("Cumulative share of value", "价值累计占比"),
    "equality_line": ("Line of equality", "绝对平均线"),
    "gini": ("Gini", "基尼系数"),
    "top_share_label": ("top {x:.0%} → {y:.0%}", "前{x:.0%}客户 → {y:.0%}"),
    "tier": ("Tier", "客户层级"),
    "vip": ("VIP", "VIP客户"),
    "major": ("Major", "主要客户"),
    "ordinary": ("Ordinary", "普通客户"),
    "small": ("Small", "小客户"),
    "tier_pyramid_title": ("Customer pyramid", "客户金字塔"),
    "kotler_chart_title": ("Revenue and cost by customer tier", "各层级客户的收入与成本"),
    "revenue_per_customer": ("Revenue per customer", "每位客户收入"),
    "cost_per_customer": ("Cost per customer", "每位客户成本"),
    "number_of_customers": ("Number of customers", "客户数量"),
    "migration_new": ("New", "新增"),
    "migration_lost": ("Lost", "流失"),
    # RFM and clustering
    "rfm_recency": ("Recency (days)", "最近购买间隔（天）"),
    "rfm_frequency": ("Frequency", "购买频率"),
    "rfm_monetary": ("Monetary value", "消费金额"),
    "rfm_segment_title": ("RFM segments", "RFM客户细分"),
    "segment": ("Segment", "细分群体"),
    "rfm_champions": ("Champions", "冠军客户"),
    "rfm_loyal_customers": ("Loyal customers", "忠诚客户"),
    "rfm_potential_loyalist": ("Potential loyalists", "潜在忠诚客户"),
    "rfm_new_customers": ("New customers", "新客户"),
    "rfm_promising": ("Promising", "有潜力客户"),
    "rfm_need_attention": ("Need attention", "需关注客户"),
    "rfm_about_to_sleep": ("About to sleep", "即将沉睡客户"),
    "rfm_at_risk": ("At risk", "有流失风险客户"),
    "rfm_cant_lose_them": ("Can't lose them", "不能失去的客户"),
    "rfm_unassigned": ("Unassigned", "未归类"),
    "rfm_lost": ("Lost", "流失客户"),
    "share_of_customers": ("Share of customers", "客户占比"),
    "share_of_monetary": ("Share of monetary value", "消费金额占比"),
    "silhouette_title": ("Silhouette of the k-means clusters", "k均值聚类的轮廓系数"),
    "silhouette": ("Silhouette", "轮廓系数"),
    "cluster": ("Cluster", "类"),
    # frameworks (SPEC §5; seed 002, 003)
    "basic": ("Basic", "基本型"),
    "reactive": ("Reactive", "被动型"),
    "accountable": ("Accountable", "负责型"),
    "proactive": ("Proactive", "能动型"),
    "partnership": ("Partnership", "伙伴型"),
    "basic_or_reactive": ("Basic or reactive", "基本型或被动型"),
    "level_many": ("Many", "多"),
    "level_few": ("Few", "少"),
    "level_high": ("High", "高"),
    "level_medium": ("Medium", "中"),
    "level_low": ("Low", "低"),
    "segmentation.margin": ("Margin", "边际利润水平"),
    "exploration": ("Exploration", "考察期"),
    "formation": ("Formation", "形成期"),
    "stability": ("Stability", "稳定期"),
    "decline": ("Decline", "退化期"),
    "financial_bonds": ("Financial bonds", "一级关系营销（财务联系）"),
    "social_bonds": ("Social bonds", "二级关系营销（社会联系）"),
    "structural_bonds": ("Structural bonds", "三级关系营销（结构联系）"),
    # table headers
    "orders": ("Orders", "订单数"),
    "expert": ("Expert", "专家"),
    "criteria": ("Criteria", "准则层"),
    "current": ("Current", "当前价值层"),
    "potential": ("Potential", "潜在价值层"),
    "row": ("Row", "行"),
    "column": ("Column", "列"),
    "judgment": ("Judgment", "判断值"),
    "consistent_value": ("Consistent value", "一致值"),
    "indirect_value": ("Indirect value", "间接判断值"),
    "suggested_saaty_value": ("Suggested Saaty value", "建议 Saaty 标度值"),
    "epsilon": ("ε (judgment / consistent value)", "ε（判断值 / 一致值）"),
    "abs_log_epsilon": ("|log ε|", "|log ε|"),
    "paper": ("Paper", "论文"),
    "this_data": ("This data", "本数据"),
    "standardization": ("Standardization", "标准化方法"),
    "split": ("Split", "分界方法"),
    "ties": ("Ties", "并列处理"),
    "cutoff_current": ("Cut-off, current value", "当前价值临界值"),
    "cutoff_potential": ("Cut-off, potential value", "潜在价值临界值"),
    "n_imputed_cells": ("Imputed cells", "插补单元格数"),
    "n_high_high": ("n high current, high potential", "高当前·高潜在客户数"),
    "n_high_low": ("n high current, low potential", "高当前·低潜在客户数"),
    "n_low_high": ("n low current, high potential", "低当前·高潜在客户数"),
    "n_low_low": ("n low current, low potential", "低当前·低潜在客户数"),
    "value_class": ("Value class", "价值类别"),
    "high_high": ("High / high", "高当前·高潜在"),
    "high_low": ("High / low", "高当前·低潜在"),
    "low_high": ("Low / high", "低当前·高潜在"),
    "low_low": ("Low / low", "低当前·低潜在"),
    "revenue_share": ("Revenue share", "收入占比"),
    "profit_share": ("Profit share", "利润占比"),
    "mean_current_value": ("Mean current value", "平均当前价值"),
    "mean_potential_value": ("Mean potential value", "平均潜在价值"),
    "strategy": ("Strategy", "策略"),
    "top_customer_share": ("Top share of customers", "前列客户占比"),
    "variable": ("Variable", "变量"),
    "r_min": ("R from", "R 下限"),
    "r_max": ("R to", "R 上限"),
    "f_min": ("F from", "F 下限"),
    "f_max": ("F to", "F 上限"),
    "m_min": ("M from", "M 下限"),
    "m_max": ("M to", "M 上限"),
    "revenue_total": ("Total revenue", "收入合计"),
    "cost_total": ("Total cost", "成本合计"),
    "profit_per_customer": ("Profit per customer", "每位客户利润"),
    "x_left": ("Bar start (cumulative customers)", "条形起点（累计客户数）"),
    "customers_start": ("Customers at start", "期初客户数"),
    "customers_end": ("Customers at end", "期末客户数"),
    "new_customers": ("New customers (count)", "新增客户数"),
    "lost_customers": ("Lost customers", "流失客户数"),
    "upgraded_customers": ("Upgraded customers", "升级客户数"),
    "downgraded_customers": ("Downgraded customers", "降级客户数"),
    "new_customer_rate": ("New-customer rate", "新客户比率"),
    "upgrade_rate": ("Upgrade rate", "升级率"),
    "downgrade_rate": ("Downgrade rate", "降级率"),
    "avg_profit_before": ("Average profit before", "期初平均利润"),
    "avg_profit_after": ("Average profit after", "期末平均利润"),
    "from": ("From", "原层级"),
    "to": ("To", "新层级"),
    "stage": ("Stage", "阶段"),
    "seed_profile": ("Profile in the course text", "课程原文描述"),
})


# --- notebook 04_value_segmentation (issues 9, 11, 13, 14) ---------------
TERMS.update({
    # sections skipped on user data and what they need (crmlab.report.display.skipped)
    "section_seg_ahp": ("AHP weights", "层次分析法权重"),
    "section_seg_global_weights": ("Global weights", "全局权重"),
    "section_seg_ahp_synthesis": ("Synthesis of alternatives", "方案总排序"),
    "section_seg_value_matrix": ("Value matrix", "客户价值矩阵"),
    "section_seg_weight_sensitivity": ("Weight sensitivity", "权重敏感性分析"),
    "section_seg_pareto": ("Pareto and concentration", "二八定律与集中度"),
    "section_seg_rfm": ("RFM analysis", "RFM 分析"),
    "section_seg_tiers": ("Customer pyramid and revenue by tier", "客户金字塔与各层级客户收入"),
    "section_seg_tier_kpis": ("Period-over-period KPIs", "跨期业绩考核指标"),
    "section_seg_lifecycle": ("Lifecycle stages", "客户生命周期阶段"),
    "need_seg_judgments": ("experts' pairwise judgments (a judgments study)", "专家的两两比较判断（judgments 数据）"),
    "need_seg_criteria_judgments": ("judgments comparing current and potential value (level criteria) and the indicators "
                                    "of both (levels current and potential)",
                                    "当前价值与潜在价值之间的比较（criteria 层）以及两者下属指标的比较（current 层和 potential 层）"),
    "need_seg_alternative_judgments": ("judgments comparing alternatives under every criterion (levels alternatives:current "
                                       "and alternatives:potential)",
                                       "各准则下备选方案的两两比较（alternatives:current 层和 alternatives:potential 层）"),
    "need_seg_customers": ("a customer indicator table (a customers study)", "客户指标表（customers 数据）"),
    "need_seg_weights": ("indicator weights (AHP judgments for the criteria and both dimensions, or a weight for every "
                         "indicator in the customers study)",
                         "指标权重（准则层及两个维度的层次分析法判断，或 customers 数据中每个指标的 weight）"),
    "need_seg_customer_values": ("revenue or profit per customer (columns of the customers study, or a transaction log)",
                                 "每位客户的收入或利润（customers 数据中的列，或交易记录）"),
    "need_seg_transactions": ("a transaction log (a transactions study)", "交易记录（transactions 数据）"),
    "need_seg_two_periods": ("two complete periods", "两个完整的统计期"),
    "need_seg_complete_period": ("a complete period (set observed_from / observed_through, or periods)",
                                 "完整的统计期（可设置 observed_from / observed_through 或 periods）"),
    "segmentation.seg_no_complete_period_note": ("The log covers no period completely; partial: {partial}.",
                                                 "交易记录没有完整覆盖任何统计期；不完整的统计期：{partial}。"),
    # notes (formatted sentences)
    "segmentation.seg_ahp_settings_note": ("Priorities by {method}; consistency ratio with the RI table {ri}; experts "
                                           "combined by {aggregation}.",
                                           "权重计算方法：{method}；一致性比率所用 RI 表：{ri}；专家意见集结方法：{aggregation}。"),
    "segmentation.seg_worst_note": ("Least consistent: {expert}, {level}, CR = {cr:.4f}.",
                                    "一致性最差的是{expert}的{level}判断矩阵，CR = {cr:.4f}。"),
    "segmentation.seg_completion_lambda_note": ("λmax of the expert's complete matrix: {full:.4f}; of the completions: "
                                                "{lm:.4f} (λmax-minimising) and {ll:.4f} (LLSM) — the λmax completion is the "
                                                "most consistent matrix the remaining judgments allow.",
                                                "专家完整判断矩阵的 λmax 为 {full:.4f}；补全后的矩阵分别为 {lm:.4f}（λmax 最小化）"
                                                "和 {ll:.4f}（对数最小二乘）——λmax 最小化补全得到的是其余判断所允许的最一致的矩阵。"),
    "segmentation.seg_no_missing_note": ("Every expert gave every judgment: no matrix needed completing.",
                                         "每位专家都给出了全部判断，没有需要补全的判断矩阵。"),
    "segmentation.seg_weights_source_note": ("{n} customers; indicator weights {source}.",
                                             "共 {n} 位客户；指标权重{source}。"),
    "segmentation.seg_vm_settings_note": ("Standardisation: {standardization}. Split: {split} — cut-offs {current:.4f} "
                                          "(current value) and {potential:.4f} (potential value); a score equal to a "
                                          "cut-off counts as {ties}. Imputed cells: {imputed}.",
                                          "标准化方法：{standardization}。分界方法：{split}——临界值为 {current:.4f}（当前价值）和 "
                                          "{potential:.4f}（潜在价值）；恰好等于临界值的得分算作“{ties}”。插补单元格数：{imputed}。"),
    "segmentation.seg_top_rows_note": ("The {shown} customers with the highest value of {n}:",
                                       "{n} 位客户中价值最高的 {shown} 位："),
    "segmentation.seg_pareto_source_note": ("Concentration of {value} per customer, from {source} ({n} customers).",
                                            "每位客户的{value}取自{source}（共 {n} 位客户）。"),
    "segmentation.seg_log_note": ("The log: {rows:,} lines, {customers:,} customers, {purchases:,} purchases ({rule}), "
                                  "from {first} to {last}.",
                                  "交易记录：{rows:,} 行，{customers:,} 位客户，{purchases:,} 次购买（{rule}），"
                                  "时间从 {first} 到 {last}。"),
    "segmentation.seg_rfm_note": ("Recency counted to {as_of}; monetary value = {monetary} of the purchases.",
                                  "最近购买间隔计算到 {as_of}；消费金额取各次购买金额的{monetary}。"),
    "segmentation.seg_periods_note": ("Complete periods in the log: {compared}. Left out as partial (the log does not "
                                      "cover them completely): {partial}.",
                                      "交易记录完整覆盖的统计期：{compared}。因未被完整覆盖而排除的统计期：{partial}。"),
    "segmentation.seg_tier_value_note": ("Tiers by {value} per customer in {period}.",
                                         "按每位客户在 {period} 的{value}划分层级。"),
    "segmentation.seg_kpi_periods_note": ("Compared: {before} (start) with {after} (end).",
                                          "比较的统计期：{before}（期初）与 {after}（期末）。"),
    "segmentation.none_partial": ("none", "无"),
    "segmentation.purchase_rule_order": ("one purchase per distinct order id in column {column}",
                                         "按 {column} 列中不同的订单号，每张订单算一次购买"),
    "segmentation.purchase_rule_day": ("one purchase per customer and day", "每位客户每天算一次购买"),
    "segmentation.weights_from_ahp": ("from the experts' AHP judgments", "来自专家的层次分析法判断"),
    "segmentation.weights_from_table": ("as given in the indicator table", "按指标表中给出的数值"),
    "segmentation.source_customers": ("the customer table", "客户表"),
    "segmentation.source_transactions": ("the totals over the transaction log", "交易记录期内的合计"),
    "segmentation.ri_custom": ("given by the user (custom)", "用户给定（自定义）"),
    "segmentation.ri_textbook": ("Textbook table", "教材中的 RI 表"),
    "segmentation.ri_saaty1980": ("Saaty 1980", "Saaty 1980"),
    "segmentation.ri_saaty2005": ("Saaty 2005", "Saaty 2005"),
    "segmentation.ri_alonso_lamata": ("Alonso & Lamata 2006", "Alonso & Lamata 2006"),
    "segmentation.ri_donegan_dodd": ("Donegan & Dodd 1991", "Donegan & Dodd 1991"),
    "segmentation.ahp_method_eigenvector": ("principal eigenvector (Saaty)", "主特征向量法（Saaty）"),
    "segmentation.ahp_method_geometric_mean": ("row geometric means", "行几何平均法"),
    "segmentation.aggregation_AIP_arithmetic": ("arithmetic mean of the experts' priorities (AIP)", "各专家权重的算术平均（AIP）"),
    "segmentation.aggregation_AIP_geometric": ("geometric mean of the experts' priorities (AIP)", "各专家权重的几何平均（AIP）"),
    "segmentation.aggregation_AIJ_geometric": ("priorities of the geometric mean of the judgments (AIJ)",
                                               "判断矩阵逐元素几何平均后求权重（AIJ）"),
    "segmentation.standardization_zscore": ("z-scores with the sample standard deviation (n − 1, as SPSS)",
                                            "z 分数，用样本标准差（n − 1，与 SPSS 相同）"),
    "segmentation.standardization_minmax": ("min–max scaling", "极差标准化"),
    "segmentation.split_mean": ("at the mean", "取均值"),
    "segmentation.split_median": ("at the median", "取中位数"),
    "segmentation.split_given": ("at given cut-offs", "取给定的临界值"),
    "segmentation.ties_high": ("high", "高"),
    "segmentation.ties_low": ("low", "低"),
    "segmentation.rfm_monetary_sum": ("sum", "合计"),
    "segmentation.rfm_monetary_mean": ("mean", "平均值"),
    "segmentation.ahp_goal": ("Goal", "目标层"),
    "segmentation.ahp_level_subcriteria": ("Sub-criteria", "子准则层"),
    "segmentation.ahp_level_alternatives": ("Alternatives", "方案层"),
    "segmentation.lifecycle_rule_exploration": ("first purchase in the last period, or cumulative profit ≤ 0",
                                                "最近一期才首次购买，或累计利润 ≤ 0"),
    "segmentation.lifecycle_rule_decline": ("last-period profit more than 10 % below the previous period's",
                                            "最近一期利润比上一期下降超过 10%"),
    "segmentation.lifecycle_rule_formation": ("last-period profit more than 10 % above the previous period's",
                                              "最近一期利润比上一期增长超过 10%"),
    "segmentation.lifecycle_rule_stability": ("otherwise (profit within ±10 % of the previous period's)",
                                              "其他情况（利润与上一期相差不超过 ±10%）"),
    "segmentation.lifecycle_profile_exploration": ("small contribution; the firm earns only the basic profit",
                                                   "客户贡献小，企业只获得基本利益"),
    "segmentation.lifecycle_profile_decline": ("volume falls, profit drops quickly", "交易量回落，客户利润快速下降"),
    "segmentation.lifecycle_profile_formation": ("revenue exceeds investment and grows; profit rising",
                                                 "收入超过投入并不断增长，利润上升"),
    "segmentation.lifecycle_profile_stability": ("higher prices accepted; large and steady profit",
                                                 "客户接受较高价格，利润大且稳定"),
    # table headers
    "segmentation.level": ("Level", "层次"),
    "segmentation.n": ("Order n", "阶数 n"),
    "lambda_max": ("λmax", "最大特征根 λmax"),
    "ci": ("CI", "一致性指标 CI"),
    "ri": ("RI", "随机一致性指标 RI"),
    "cr": ("CR", "一致性比率 CR"),
    "cr_acceptable": ("CR < 0.10", "CR < 0.10"),
    "n_missing_judgments": ("Missing judgments", "缺失判断数"),
    "given_value": ("Expert's judgment (removed)", "专家原判断（已删去）"),
    "lambda_max_completion": ("λmax-minimising completion", "λmax 最小化补全"),
    "llsm_completion": ("Log least squares completion", "对数最小二乘补全"),
    "weights_lambda_max": ("Weights, λmax completion", "权重（λmax 最小化补全）"),
    "weights_llsm": ("Weights, LLSM completion", "权重（对数最小二乘补全）"),
    "weights_harker": ("Weights, Harker's method", "权重（Harker 法）"),
    "weights_complete_matrix": ("Weights, complete matrix", "权重（完整判断矩阵）"),
    "sub_criterion": ("Indicator", "指标"),
    "weight_aij": ("Weight (AIJ)", "权重（AIJ）"),
    "rank": ("Rank", "排名"),
    "rank_at_ahp_weights": ("Rank at the AHP weights", "层次分析法权重下的排名"),
    "rank_change": ("Places moved up", "排名上升位数"),
    "criterion_weight": ("Criterion weight", "准则权重"),
    "global_rank": ("Global rank", "全局排名"),
    "node": ("Node", "节点"),
    "lower": ("From (exclusive)", "下限（不含）"),
    "upper": ("To", "上限"),
    "rfm_segment": ("RFM segment", "RFM 细分群体"),
    "metric": ("Metric", "指标"),
})

# --- 05_tracking: survey waves, index changes, quadrant migration, tier KPIs by period ---------
TERMS.update({
    "tracking.wave": ("Wave", "调查轮次"),
    "tracking.waves": ("Waves compared", "比较的轮次"),
    "tracking.from_wave": ("From wave", "起始轮次"),
    "tracking.to_wave": ("To wave", "对比轮次"),
    "tracking.n_respondents": ("Respondents", "受访者人数"),
    "tracking.index_change": ("Change (index points)", "变化（指数点）"),
    "tracking.performance_change": ("Change (scale points)", "变化（量表分）"),
    "tracking.z_value": ("z value", "z 值"),
    "tracking.p_adjusted": ("Adjusted p-value", "校正后 p 值"),
    "tracking.significant": ("Significant", "是否显著"),
    "tracking.yes": ("yes", "是"),
    "tracking.no": ("no", "否"),
    "tracking.level": ("Confidence level", "置信水平"),
    "tracking.true_index": ("True index", "真实指数"),
    "tracking.covered": ("Interval covers the truth", "区间覆盖真实值"),
    "tracking.true_change": ("True change", "真实变化"),
    "tracking.designed": ("Designed to change", "设计为有变化"),
    "tracking.quadrant_from": ("Quadrant before", "原象限"),
    "tracking.quadrant_to": ("Quadrant after", "新象限"),
    "tracking.performance_from": ("Performance before", "原满意度"),
    "tracking.performance_to": ("Performance after", "新满意度"),
    "tracking.importance_from": ("Importance before", "原重要度"),
    "tracking.importance_to": ("Importance after", "新重要度"),
    "tracking.designed_quadrant": ("Designed quadrant", "设计象限"),
    "tracking.observed_quadrant": ("Quadrant in the sample", "样本象限"),
    "tracking.metric": ("KPI", "指标"),
    "tracking.period_pair": ("Periods", "比较期"),
    "tracking.rate_percent": ("Rate (%)", "比率（%）"),
    # charts
    "tracking.index_tracking_title": ("Satisfaction index per construct and wave", "各轮次各潜变量的满意度指数"),
    "tracking.significant_change_star": ("* significant change from the wave before", "* 与上一轮相比变化显著"),
    "tracking.migration_arrow": ("arrow: one wave to the next (coloured: new quadrant)", "箭头：上一轮 → 下一轮（彩色：象限改变）"),
    "tracking.crosshair_basis_each_wave": ("each wave's own", "各轮各自的分界线"),
    "tracking.crosshair_basis_first_wave": ("first wave's, held fixed", "固定为第一轮的分界线"),
    "tracking.kpi_tracking_title": ("Customer-tier KPIs by pair of periods (tiers by {value})", "各比较期的客户层级指标（按{value}分层）"),
    # sentences of the notebook
    "tracking.note_missing": ("Wave {wave}: {dropped} respondent(s) left out and {replaced} answer(s) replaced by the item "
                              "mean (missing answers).", "{wave} 轮：因缺失回答剔除 {dropped} 名受访者，{replaced} 个回答以题项均值替代。"),
    "tracking.index_table_note": ("Index per construct (rows) and wave (columns), with its {level:.0%} bootstrap percentile "
                                  "interval in brackets ({n_boot} resamples per wave).",
                                  "各潜变量（行）在各轮（列）的指数，方括号内为 {level:.0%} 自助法百分位置信区间（每轮重抽样 {n_boot} 次）。"),
    "tracking.changes_found": ("Significant index changes: {items}.", "指数显著变化：{items}。"),
    "tracking.no_changes_found": ("No index changed significantly between the waves compared.", "所比较的各轮之间没有指数发生显著变化。"),
    "tracking.moves_found": ("Attributes that changed quadrant: {items}.", "象限发生变化的属性：{items}。"),
    "tracking.no_moves_found": ("No attribute changed quadrant between the waves compared.", "所比较的各轮之间没有属性改变象限。"),
    "tracking.kpi_note": ("Tiers by {value} in the complete periods {periods}; a purchase is {rule}. The changes are in "
                          "percentage points, each pair of periods against the one before.",
                          "按{value}分层，完整期间为 {periods}；一次购买指{rule}。变化以百分点计，为每一对时期相对上一对时期的变化。"),
    "tracking.rule_order": ("one order (several lines of one basket count once)", "一个订单（同一订单的多行只计一次）"),
    "tracking.rule_day": ("one customer-day (all lines of a customer on one day)", "一位客户的一天（同一客户同一天的所有记录）"),
    "tracking.kpi_truth_note": ("The bundled log was generated with a churn rate of 20 % into 2025Q2 and 30 % into 2025Q3 "
                                "(expected values) and a new-customer rate of exactly 20 %:",
                                "内置交易记录按如下参数生成：进入 2025Q2 时流失率为 20%、进入 2025Q3 时为 30%（期望值），"
                                "新客户比率恰为 20%："),
    # sections skipped on user data
    "section_track_index": ("Satisfaction index by wave", "各轮满意度指数"),
    "need_track_waves": ("survey waves (the parameter `waves`)", "各轮调查数据（参数 `waves`）"),
    "section_track_quadrants": ("Quadrant migration", "象限迁移"),
    "need_track_attributes": ("attribute ratings (the key `attributes` of every wave)", "各属性评分（每轮的 `attributes` 键）"),
    "section_track_kpis": ("Customer-tier KPIs by period", "分期客户层级指标"),
    "need_track_transactions": ("an order log (the parameter `transactions`)", "交易记录（参数 `transactions`）"),
    "need_track_two_periods": ("two complete periods", "两个完整期间"),
})


# --- reports ----------------------------------------------------------------
TERMS.update({
    "section_skipped": ("Skipped — {section}: the data given do not include {need}.",
                        "已跳过「{section}」：所给数据不含{need}。"),
    "summary_title": ("Summary of findings", "主要结论"),
    "section_kano": ("Kano model", "卡诺模型"),
    "need_kano_answers": ("Kano answer pairs (functional and dysfunctional questions)", "卡诺问卷的正反向问题答案"),
    "summary_nothing": ("This run produced no findings to summarise (no section had its input).",
                        "本次运行没有可总结的结论（各部分均缺少所需数据）。"),
})


# Table headers and index values that say the same as an existing term reuse its key.
TERM_ALIASES: dict[str, str] = {
    "clv.model": "clv_model",
    "segmentation.ahp_level_criteria": "criteria",
    "priority": "ahp_global_priority",
    "alternative": "ahp_alternative",
    "tracking.migration_title": "section_track_quadrants",
    "gap": "gap_key",
    "satisfaction.indifference": "zone_of_indifference",
    "performance": "ipa_performance",
    "importance": "ipa_importance",
    "quadrant": "ipa_quadrant",
    "crosshair": "ipa_crosshair",
    "construct": "pls_construct",
    "r_squared": "pls_r2",
    "std_err": "std_error",
    "ci_low": "ci_lower",
    "ci_high": "ci_upper",
    "brand": "clv_brand",
    "clv": "clv_value",
    "actual": "clv_actual",
    "predicted": "clv_predicted",
    "p_alive": "clv_p_alive",
    "calibration_frequency": "clv_calibration_frequency",
    "retention": "retention_rate",
    "frequency": "rfm_frequency",
    "monetary": "rfm_monetary",
    "customer_share": "share_of_customers",
    "n_customers": "number_of_customers",
    "new": "migration_new",
    "lost": "migration_lost",
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported label language, else raise."""
    if lang not in LANGS:
        raise CrmlabValueError(f"lang must be one of {list(LANGS)}, got {lang!r}")
    return lang


def _resolve(key, context: str | None) -> str | None:
    if not isinstance(key, str):
        return None
    for candidate in ((f"{context}.{key}",) if context else ()) + (key,):
        candidate = TERM_ALIASES.get(candidate, candidate)
        if candidate in TERMS:
            return candidate
    return None


def t(key: str, lang: str = "en", *, context: str | None = None) -> str:
    """Translate one of crmlab's term keys into ``lang`` ("en" or "zh"), looking in ``context`` first."""
    check_lang(lang)
    resolved = _resolve(key, context)
    if resolved is None:
        raise CrmlabValueError(f"no term {key!r}{f' (context {context!r})' if context else ''} in crmlab.i18n.TERMS")
    en, zh = TERMS[resolved]
    return zh if lang == "zh" else en


def is_term(label, *, context: str | None = None) -> bool:
    """True if ``label`` is a term key (in ``context`` or globally) or an alias of one."""
    return _resolve(label, context) is not None


def label(key, lang: str = "en", *, context: str | None = None):
    """The one fallback rule: a term is translated, anything else (a user's name, a number) is returned unchanged."""
    return t(key, lang, context=context) if is_term(key, context=context) else key


def translate_labels(labels: Iterable, lang: str = "en", *, context: str | None = None) -> list:
    """:func:`label` applied to each label."""
    check_lang(lang)
    return [label(x, lang, context=context) for x in labels]


VOCABULARY = frozenset({
    "value_class", "tier", "quadrant_zone", "zone", "action", "diagonal_zone", "competitor_zone", "segment", "strategy",
    "stage", "relationship_level", "number_of_customers_level", "margin_level", "setting", "item_setting", "gap_key",
    "component", "profit_component", "importance_method", "grade", "kano_category", "model", "convention", "metric",
    "functional", "dysfunctional",
})
"""Dimensions (index or column names) whose *values* are crmlab's own keys and are translated in tables."""


def _translate_index(index: pd.Index, lang: str, context: str | None, values: bool) -> pd.Index:
    names = translate_labels(index.names, lang, context=context)
    if isinstance(index, pd.MultiIndex):
        levels = [_translate_index(index.get_level_values(i), lang, context, values or index.names[i] in VOCABULARY)
                  for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=names)
    if values and (pd.api.types.is_object_dtype(index) or pd.api.types.is_string_dtype(index)):
        index = pd.Index(translate_labels(index, lang, context=context))
    return index.set_names(names)


def label_table(table: pd.DataFrame | pd.Series, lang: str = "en", *, context: str | None = None,
                user_columns: bool = False) -> pd.DataFrame | pd.Series:
    """A copy of ``table`` labelled for display in ``lang`` (see the module docstring for what is translated).

    Headers: column labels (unless ``user_columns=True``: the columns are user names, e.g.
    construct scores), index and column names, a Series' name.  Values: the index when its
    name is in :data:`VOCABULARY`, and the cells of columns whose name is in it.  Everything
    else — row labels such as constructs or customers, numbers, dates — is left as it is.
    """
    check_lang(lang)
    out = table.copy()
    if isinstance(out, pd.DataFrame):
        for col in out.columns:
            if col in VOCABULARY and (pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col])):
                out[col] = [label(v, lang, context=context) for v in out[col]]
        columns = out.columns
        out.columns = (columns.set_names(translate_labels(columns.names, lang, context=context)) if user_columns
                       else _translate_index(columns, lang, context, values=True))
    elif out.name in VOCABULARY and (pd.api.types.is_object_dtype(out) or pd.api.types.is_string_dtype(out)):
        out = pd.Series([label(v, lang, context=context) for v in out], index=out.index, name=out.name)
    out.index = _translate_index(out.index, lang, context, values=out.index.name in VOCABULARY)
    if isinstance(out, pd.Series):
        out.name = label(out.name, lang, context=context)
    return out
