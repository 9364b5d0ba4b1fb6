"""Manager's summary of notebook 04 (value-based segmentation) from its recorded results.

Findings, each a number and the action it implies: the AHP criterion weights and the heaviest
indicator (with a warning when an expert's judgments fail the consistency check), the high-value
class of the value matrix (keep) and the low-current/high-potential class (develop), the Pareto
concentration, the churn, new-customer and upgrade rates between the last two complete periods,
and the RFM customers at risk.  A finding whose results the run did not record (a section skipped on
the user's data) is left out.  Indicator names are translated only for the bundled data (a user's
names are shown as given).
"""
from __future__ import annotations

from ...i18n import check_lang, label, t
from . import summary

CR_LIMIT = 0.10
AT_RISK = ("at_risk", "cant_lose_them")

SENTENCES = {
    "weights": ("**Weights:** the experts weigh potential value {potential:.0%} and current value {current:.0%}; the "
                "heaviest indicator is {top} ({share:.1%} of a customer's total value): track it first.",
                "**权重：**专家给潜在价值的权重为 {potential:.0%}，当前价值为 {current:.0%}；权重最大的指标是{top}"
                "（占客户综合价值的 {share:.1%}），应首先跟踪。"),
    "inconsistent": ("**Check the judgments:** {k} of {m} expert matrices fail the consistency check (CR ≥ 0.10, "
                     "worst {cr:.3f}): have them revised before using the weights.",
                     "**复核判断：**{m} 个专家判断矩阵中有 {k} 个未通过一致性检验（CR ≥ 0.10，最大 {cr:.3f}），"
                     "使用权重之前应请专家修正。"),
    "consistent": ("All {m} expert matrices pass the consistency check (largest CR {cr:.3f}): the weights can be used.",
                   "全部 {m} 个专家判断矩阵都通过了一致性检验（最大 CR 为 {cr:.3f}），权重可以使用。"),
    "high_value": ("**Keep:** {n} of {total} customers are high-value (high current and high potential value){money}: "
                   "serve them first and keep them.",
                   "**保持：**{total} 位客户中有 {n} 位是高价值客户（当前价值和潜在价值都高）{money}，应优先满足其需求，重点保持。"),
    "money": (" and bring {share:.0%} of {what}", "，贡献了 {share:.0%} 的{what}"),
    "develop": ("**Develop:** {n} customers have low current but high potential value: market to them proactively and "
                "aim for cross-buying.",
                "**开发：**有 {n} 位客户当前价值低而潜在价值高，应采取主动式营销，争取交叉购买。"),
    "pareto": ("**Concentration:** the top {top:.0%} of customers bring {share:.0%} of {what}: losing one of them costs "
               "far more than an average customer — concentrate retention effort there.",
               "**集中度：**前 {top:.0%} 的客户贡献了 {share:.0%} 的{what}：失去其中一位客户的损失远大于普通客户，"
               "应把保持客户的力量集中在这里。"),
    "kpis": ("**Customer base, {before} → {after}:** churn {churn:.1%}, new customers {new:.1%} of the starting base, "
             "{upgrade:.1%} moved up a tier: {action}",
             "**客户群变化（{before} → {after}）：**客户流失率 {churn:.1%}，新客户比率 {new:.1%}，升级率 {upgrade:.1%}：{action}"),
    "shrinking": ("more customers leave than arrive — put retention first.", "流失多于新增，应把客户保持放在首位。"),
    "growing": ("more customers arrive than leave — make sure the new ones are kept.", "新增多于流失，应确保新客户能留得住。"),
    "at_risk": ("**Win back:** {n} customers ({share:.0%}) are at risk or can't be lost by their RFM scores: contact them "
                "before they lapse.",
                "**挽回：**按 RFM 得分，有 {n} 位客户（{share:.0%}）处于流失风险中或不能失去，应在其流失之前主动联系。"),
}


def _say(key: str, lang: str, **values) -> str:
    en, zh = SENTENCES[key]
    return (zh if lang == "zh" else en).format(**values)


def _money_name(key: str, lang: str) -> str:
    return t(key, lang).lower() if lang == "en" else t(key, lang)


@summary("04_value_segmentation")
def segmentation_summary(results: dict, lang: str = "en") -> list[str]:
    """The manager's findings of notebook 04 in ``lang`` (see the module docstring)."""
    check_lang(lang)
    out = []
    bundled = bool((results.get("inputs") or {}).get("bundled"))
    criteria, global_w = results.get("ahp_criterion_weights"), results.get("ahp_global_weights")
    if criteria and global_w and {"current", "potential"} <= set(criteria):
        top = max(global_w, key=global_w.get)
        out.append(_say("weights", lang, potential=criteria["potential"], current=criteria["current"],
                        top=label(top, lang) if bundled else top, share=global_w[top]))
    crs = results.get("ahp_expert_crs")
    if crs:
        values = [v for row in crs.values() for v in row.values() if v is not None]
        bad = [v for v in values if v >= CR_LIMIT]
        if bad or (values and not out):  # a passed check needs no sentence of its own beside the weights
            out.append(_say("inconsistent" if bad else "consistent", lang, k=len(bad), m=len(values), cr=max(values)))
    counts = results.get("value_class_counts")
    if counts:
        money = ""
        for key in ("profit", "revenue"):
            shares = results.get(f"value_class_{key}_share")
            if shares and shares.get("high_high") is not None:
                money = _say("money", lang, share=shares["high_high"], what=_money_name(key, lang))
                break
        out.append(_say("high_value", lang, n=counts["high_high"], total=sum(counts.values()), money=money))
        if counts.get("low_high"):
            out.append(_say("develop", lang, n=counts["low_high"]))
    if results.get("pareto_top_share") is not None and results.get("pareto_settings"):
        ps = results["pareto_settings"]
        out.append(_say("pareto", lang, top=ps["top"], share=results["pareto_top_share"], what=_money_name(ps["value"], lang)))
    kpis, periods = results.get("tier_kpis"), results.get("kpi_periods")
    if kpis and periods:
        action = _say("shrinking" if kpis["churn_rate"] > kpis["new_customer_rate"] else "growing", lang)
        out.append(_say("kpis", lang, before=periods["before"], after=periods["after"], churn=kpis["churn_rate"],
                        new=kpis["new_customer_rate"], upgrade=kpis["upgrade_rate"], action=action))
    segments = results.get("rfm_segment_counts")
    if segments and any(s in segments for s in AT_RISK):
        n = sum(int(segments.get(s) or 0) for s in AT_RISK)
        if n:
            out.append(_say("at_risk", lang, n=n, share=n / sum(segments.values())))
    return out
