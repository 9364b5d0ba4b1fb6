"""Manager's summary of notebook 03_clv: the customers' expected value and where it sits, who is still active, how
far the forecasts can be trusted, which purchase model to use, the retention lever and contract renewals.

Each finding is one sentence with its key number and the action it implies; findings whose results the run did not
record (sections skipped on user data) are left out.  Cohort names are shown as recorded (the user's own names); on
the bundled data (result ``bundled_data``) crmlab's keys get their display labels.
"""
from __future__ import annotations

from ...i18n import check_lang, t
from . import summary

TEMPLATES: dict[str, tuple[str, str]] = {
    "clv": ("Expected CLV of the {customers:,} customers over the next {horizon}: **{total:,.0f}** ({mean:,.2f} per "
            "customer).", "{customers:,} 位客户在未来{horizon}的预期终身价值合计 **{total:,.0f}**（平均每位 {mean:,.2f}）。"),
    "tiers": (" The VIP and major customers ({customers:.0%} of all) hold {share:.0%} of it: give them priority in "
              "retention and service.", "VIP 客户和主要客户（占客户的 {customers:.0%}）贡献其中的 {share:.0%}：应优先保持并服务好他们。"),
    "alive": ("{active:.0%} of the customers are probably still active (P(alive) ≥ 50 %); the other {lost:.0%} are "
              "probably lost: win them back with targeted offers rather than regular mailings.",
              "{active:.0%} 的客户很可能仍然活跃（存活概率 ≥ 50%）；其余 {lost:.0%} 很可能已经流失：对他们应采用有针对性的挽回"
              "措施，而不是常规营销邮件。"),
    "holdout_good": ("Holdout check: the {model} model predicted {predicted:,.0f} purchases against {actual:,} actual "
                     "({error:+.0%}): its forecasts are accurate enough for planning.",
                     "验证期检验：{model} 模型预测 {predicted:,.0f} 次购买，实际为 {actual:,} 次（{error:+.0%}）："
                     "其预测足以用于计划。"),
    "holdout_poor": ("Holdout check: the {model} model predicted {predicted:,.0f} purchases against {actual:,} actual "
                     "({error:+.0%}): use its forecasts with caution and check the purchase definition and the periods.",
                     "验证期检验：{model} 模型预测 {predicted:,.0f} 次购买，实际为 {actual:,} 次（{error:+.0%}）："
                     "应谨慎使用其预测，并检查购买的定义和时期划分。"),
    "best_same": ("Of the purchase models compared, {best} fits best (lowest BIC, {bic:,.1f}){holdout}: it is the one "
                  "behind the forecasts above.",
                  "在比较的购买模型中，{best} 拟合最好（BIC 最低，为 {bic:,.1f}）{holdout}：上述预测正是基于该模型。"),
    "best_other": ("Of the purchase models compared, {best} fits best (lowest BIC, {bic:,.1f}){holdout}: consider basing "
                   "the forecasts on it instead of {model}.",
                   "在比较的购买模型中，{best} 拟合最好（BIC 最低，为 {bic:,.1f}）{holdout}：可考虑改用该模型代替 {model} 进行预测。"),
    "best_tie": ("The purchase models compared fit about equally well ({best} has the lowest BIC, {bic:,.1f}, against "
                 "{model_bic:,.1f} for {model}: a difference below 2 is negligible): keep {model}.",
                 "所比较的购买模型拟合程度相当（{best} 的 BIC 最低，为 {bic:,.1f}，{model} 为 {model_bic:,.1f}，相差不到 2，"
                 "可以忽略）：继续使用 {model}。"),
    "best_holdout": (" and the smallest holdout error", "，验证期误差也最小"),
    "retention": ("Retention drives lifetime value: at a margin of 100 per period and a 10 % discount rate, raising "
                  "retention from 80 % to 90 % raises a customer's CLV from {low:,.0f} to {high:,.0f} ({change:+.0%}): "
                  "retention programmes pay most where retention is already high.",
                  "客户保持率决定终身价值：每期利润贡献 100、贴现率 10% 时，客户保持率从 80% 提高到 90%，客户终身价值从 "
                  "{low:,.0f} 增至 {high:,.0f}（{change:+.0%}）：在保持率已经较高的客户群中，保持计划的回报最大。"),
    "contracts": ("Contract renewals ({cohort}): a new customer brings {derl:.1f} discounted contract periods (sBG); "
                  "cancellations are most likely in the first periods, so act early in the relationship.",
                  "合同续约（{cohort}）：新客户预期带来 {derl:.1f} 个折现合同期（sBG 模型）；解约最可能发生在最初几期，"
                  "应在关系早期采取措施。"),
}
NEGLIGIBLE_BIC = 2.0  # BIC differences below 2 are "not worth more than a bare mention" (Kass & Raftery 1995)
HOLDOUT_TOLERANCE = 0.10  # |predicted − actual| / actual within which forecasts count as accurate for planning
UNIT_NAMES = {"D": ("days", "天"), "W": ("weeks", "周"), "M": ("months", "个月"), "Y": ("years", "年")}


def _t(key: str, lang: str) -> str:
    en, zh = TEMPLATES[key]
    return zh if lang == "zh" else en


def _horizon(settings: dict, lang: str) -> str:
    """The CLV horizon in words, e.g. "12 steps of 4.35 weeks" / "12 步（每步 4.35 周）"."""
    periods, length = settings.get("periods"), settings.get("period_length")
    unit = UNIT_NAMES.get(settings.get("time_unit"), (str(settings.get("time_unit") or ""),) * 2)
    if lang == "zh":
        return f" {periods} 步（每步 {length:.3g} {unit[1]}）"
    return f"{periods} steps of {length:.3g} {unit[0]}"


def _clv(results: dict, lang: str) -> list[str]:
    total, customers, settings = results.get("log_clv_total"), results.get("log_customers"), results.get("log_clv_settings")
    if total is None or not customers or not settings:
        return []
    text = _t("clv", lang).format(customers=customers, horizon=_horizon(settings, lang), total=total, mean=total / customers)
    tiers = results.get("log_tier_table") or {}
    top = [tiers[k] for k in ("vip", "major") if k in tiers]
    if len(top) == 2 and all(row.get("clv_share") is not None for row in top):
        text += _t("tiers", lang).format(customers=sum(r["customer_share"] for r in top), share=sum(r["clv_share"] for r in top))
    return [text]


def _alive(results: dict, lang: str) -> list[str]:
    share = results.get("log_p_alive_share_active")
    return [] if share is None else [_t("alive", lang).format(active=share, lost=1 - share)]


def _holdout(results: dict, lang: str) -> list[str]:
    totals, settings = results.get("log_holdout_totals"), results.get("log_clv_settings") or {}
    if not totals or not totals.get("actual"):
        return []
    error = (totals["predicted"] - totals["actual"]) / totals["actual"]
    key = "holdout_good" if abs(error) <= HOLDOUT_TOLERANCE else "holdout_poor"
    return [_t(key, lang).format(model=settings.get("model", ""), predicted=totals["predicted"], actual=totals["actual"],
                                 error=error)]


def _best_model(results: dict, lang: str) -> list[str]:
    table, settings = results.get("model_comparison") or {}, results.get("log_clv_settings") or {}
    if len(table) < 2:
        return []
    best = min(table, key=lambda m: table[m]["bic"])
    errors = {m: row.get("holdout_mae") for m, row in table.items()}
    holdout = ""
    if all(v is not None for v in errors.values()) and min(errors, key=errors.get) == best:
        holdout = _t("best_holdout", lang)
    model = settings.get("model")
    if best == model:
        key = "best_same"
    elif model in table and table[model]["bic"] - table[best]["bic"] < NEGLIGIBLE_BIC:
        key = "best_tie"
    else:
        key = "best_other"
    return [_t(key, lang).format(best=best, bic=table[best]["bic"], holdout=holdout, model=model or "",
                                 model_bic=table.get(model, {}).get("bic"))]


def _retention(results: dict, lang: str) -> list[str]:
    grid = results.get("retention_clv_margin100") or {}
    low, high = (grid.get(f"r = {r}%", {}).get("d = 10%") for r in (80, 90))
    if low is None or high is None:
        return []
    return [_t("retention", lang).format(low=low, high=high, change=high / low - 1)]


def _contracts(results: dict, lang: str) -> list[str]:
    derl = results.get("sbg_derl") or {}
    if not derl:
        return []
    cohort = next(iter(derl))
    name = t(f"clv_cohort_{cohort}", lang) if results.get("bundled_data") else cohort
    return [_t("contracts", lang).format(cohort=name, derl=derl[cohort])]


@summary("03_clv")
def clv_summary(results: dict, lang: str = "en") -> list[str]:
    """Up to six findings from the results notebook 03_clv recorded (see the module docstring)."""
    check_lang(lang)
    findings = []
    for part in (_clv, _alive, _holdout, _best_model, _retention, _contracts):
        findings += part(results, lang)
    return findings[:6]
