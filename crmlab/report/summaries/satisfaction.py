"""Manager's summary of notebook 01_satisfaction: the satisfaction index and its strongest driver, the largest
service gap, the Kano priorities, loyalty, delivered value and the two-group comparison.

Each finding is one sentence with its key number and the action it implies; findings whose results the run did
not record (sections skipped on user data) are left out.  Names are shown as recorded (the user's own names);
on the bundled data (result ``bundled_data``) crmlab's keys get their display labels.
"""
from __future__ import annotations

from ...i18n import check_lang, label, t
from . import summary

TEMPLATES: dict[str, tuple[str, str]] = {
    "index": ("Satisfaction index ({construct}): **{index:.1f} / 100** (95% interval {low:.1f}–{high:.1f}).",
              "满意度指数（{construct}）：**{index:.1f} / 100**（95% 置信区间 {low:.1f}–{high:.1f}）。"),
    "index_plain": ("Satisfaction index ({construct}): **{index:.1f} / 100**.", "满意度指数（{construct}）：**{index:.1f} / 100**。"),
    "driver": (" {driver} has the largest total effect on it ({effect:.2f}): improve {driver} first.",
               "对其总效应最大的是{driver}（{effect:.2f}）：应优先改进{driver}。"),
    "servqual": ("Largest service shortfall: {dimension} (P − E = {gap:+.2f} scale points; overall {overall:+.2f}): "
                 "close this gap first.",
                 "服务差距最大的维度是{dimension}（P − E = {gap:+.2f} 分；总体 {overall:+.2f}）：应首先缩小该差距。"),
    "servqual_none": ("Perception meets or exceeds expectation in every SERVQUAL dimension (smallest P − E "
                      "{gap:+.2f}): keep the service level and watch rising expectations.",
                      "SERVQUAL 各维度的感知均不低于期望（最小 P − E 为 {gap:+.2f}）：保持服务水平，留意顾客期望的提高。"),
    "kano_must": ("Must-be attributes: {names} — secure them first; they prevent dissatisfaction but do not build loyalty.",
                  "基本型属性：{names}——必须首先保证，它们能避免不满，却不能带来忠诚。"),
    "kano_attractive": ("Attractive attributes: {names} — invest in them to delight customers once the basics are secured.",
                        "魅力型属性：{names}——在保证基本属性之后投入，用以令顾客惊喜。"),
    "kano_both": ("Must-be attributes: {must} — secure them first; attractive attributes: {attractive} — invest in "
                  "them next to delight customers.",
                  "基本型属性：{must}——必须首先保证；魅力型属性：{attractive}——随后投入，用以令顾客惊喜。"),
    "loyalty": ("Share of wallet {sow:.1f}% and repeat-purchase rate {rpr:.1f}%: {action}",
                "钱包份额 {sow:.1f}%，重复购买率 {rpr:.1f}%：{action}"),
    "loyalty_high": ("loyalty responds most in the high-satisfaction zone ({market}: {slope:.1f} points per "
                     "satisfaction point), so only very satisfied customers stay.",
                     "高满意区对忠诚度的影响最大（{market}：满意度每升 1 分，忠诚度升 {slope:.1f} 个百分点），只有非常满意的顾客才会留下。"),
    "loyalty_low": ("loyalty responds most in the low-satisfaction zone ({market}: {slope:.1f} points per "
                    "satisfaction point), so preventing dissatisfaction matters most.",
                    "低满意区对忠诚度的影响最大（{market}：满意度每升 1 分，忠诚度升 {slope:.1f} 个百分点），防止顾客不满最为重要。"),
    "loyalty_plain": ("track them against satisfaction over time.", "应结合满意度持续跟踪。"),
    "cdv_lead": ("Customer delivered value: {ours} {cdv:.0f} against {rival} {rival_cdv:.0f} (value/cost {ratio:.2f} vs "
                 "{rival_ratio:.2f}): {ours} wins the customer even at a higher price — keep the lead.",
                 "顾客让渡价值：{ours} {cdv:.0f}，{rival} {rival_cdv:.0f}（总价值/总成本 {ratio:.2f} 对 {rival_ratio:.2f}）："
                 "{ours}即使价格更高也能赢得顾客，应保持领先。"),
    "cdv_behind": ("Customer delivered value: {ours} {cdv:.0f} against {rival} {rival_cdv:.0f}: raise the value "
                   "delivered or cut the customer's costs to win the customer back.",
                   "顾客让渡价值：{ours} {cdv:.0f}，{rival} {rival_cdv:.0f}：应提高顾客总价值或降低顾客总成本以赢回顾客。"),
    "mga_same": ("The groups {g1} and {g2} do not differ significantly on any path: one model and one set of "
                 "priorities serves both.",
                 "{g1} 组与 {g2} 组在任何路径上均无显著差异：同一模型和同一组改进重点适用于两组。"),
    "mga_differ": ("The groups {g1} and {g2} differ on {n} path(s), most on {path} ({b1:.2f} vs {b2:.2f}): set "
                   "priorities per group.",
                   "{g1} 组与 {g2} 组在 {n} 条路径上存在显著差异，差异最大的是 {path}（{b1:.2f} 对 {b2:.2f}）：应分组确定改进重点。"),
}
LIST_SEPARATOR = {"en": ", ", "zh": "、"}


def _t(key: str, lang: str) -> str:
    en, zh = TEMPLATES[key]
    return zh if lang == "zh" else en


SINGLE_MARKET = "all_customers"  # the notebook's market key when the purchases have no market column


def _namer(results: dict, lang: str):
    """Names as recorded (users' names); crmlab's display labels for the bundled data's keys and crmlab's own keys."""
    if results.get("bundled_data"):
        return lambda name: str(label(name, lang))
    return lambda name: t(SINGLE_MARKET, lang) if name == SINGLE_MARKET else str(name)


def _index(results: dict, lang: str, name) -> list[str]:
    construct = results.get("satisfaction_construct")
    index, ci = results.get("pls_index") or {}, results.get("pls_index_ci") or {}
    if construct is None or index.get(construct) is None:
        return []
    bounds = ci.get(construct) or {}
    if bounds.get("ci_lower") is None or bounds.get("ci_upper") is None:
        text = _t("index_plain", lang).format(construct=name(construct), index=index[construct])
    else:
        text = _t("index", lang).format(construct=name(construct), index=index[construct], low=bounds["ci_lower"],
                                        high=bounds["ci_upper"])
    effects = {k: v for k, v in (results.get("pls_total_effects") or {}).items() if v is not None}
    if effects:
        driver = max(effects, key=lambda k: abs(effects[k]))
        text += _t("driver", lang).format(driver=name(driver), effect=effects[driver])
    return [text]


def _servqual(results: dict, lang: str, name) -> list[str]:
    gaps = {k: v for k, v in (results.get("servqual_dimension_gaps") or {}).items() if v is not None}
    if not gaps:
        return []
    worst = min(gaps, key=gaps.get)
    if gaps[worst] >= 0:
        return [_t("servqual_none", lang).format(gap=gaps[worst])]
    overall = results.get("servqual_overall_weighted")
    overall = results.get("servqual_overall_unweighted") if overall is None else overall
    return [_t("servqual", lang).format(dimension=name(worst), gap=gaps[worst], overall=overall)]


def _kano(results: dict, lang: str, name) -> list[str]:
    categories = results.get("kano_categories") or {}

    def names(letter):
        return LIST_SEPARATOR[lang].join(name(a) for a, c in categories.items() if c == letter)

    must, attractive = names("M"), names("A")
    if must and attractive:
        return [_t("kano_both", lang).format(must=must, attractive=attractive)]
    if must or attractive:
        return [_t("kano_must" if must else "kano_attractive", lang).format(names=must or attractive)]
    return []


def _loyalty(results: dict, lang: str, name) -> list[str]:
    overall = results.get("loyalty_overall")
    if not overall:
        return []
    action = _t("loyalty_plain", lang)
    slopes = {k: v for k, v in (results.get("loyalty_zone_slopes") or {}).items() if v is not None}
    if slopes:
        steepest = max(slopes, key=slopes.get)
        market, zone = steepest.rsplit(":", 1)
        if zone in ("high", "low") and slopes[steepest] > 0:
            action = _t(f"loyalty_{zone}", lang).format(market=name(market), slope=slopes[steepest])
    return [_t("loyalty", lang).format(sow=overall["share_of_wallet"], rpr=overall["repeat_purchase_rate"], action=action)]


def _cdv(results: dict, lang: str, name) -> list[str]:
    cdv = results.get("customer_delivered_value") or {}
    if len(cdv) < 2:
        return []
    ours = next(iter(cdv))  # the first offer is ours (the notebook's convention)
    rival = max((k for k in cdv if k != ours), key=lambda k: cdv[k]["cdv"])
    a, b = cdv[ours], cdv[rival]
    key = "cdv_lead" if a["cdv"] >= b["cdv"] else "cdv_behind"
    return [_t(key, lang).format(ours=name(ours), rival=name(rival), cdv=a["cdv"], rival_cdv=b["cdv"],
                                 ratio=a["cdv_ratio"], rival_ratio=b["cdv_ratio"])]


def _mga(results: dict, lang: str, name) -> list[str]:
    paths, groups = results.get("mga_paths"), results.get("mga_groups")
    if not paths or not groups:
        return []
    g1, g2 = groups
    differing = {p: row for p, row in paths.items() if row.get("significant")}
    if not differing:
        return [_t("mga_same", lang).format(g1=g1, g2=g2)]
    path = max(differing, key=lambda p: abs(differing[p]["difference"]))
    row = differing[path]
    return [_t("mga_differ", lang).format(g1=g1, g2=g2, n=len(differing), path=path, b1=row["estimate_1"],
                                          b2=row["estimate_2"])]


@summary("01_satisfaction")
def satisfaction_summary(results: dict, lang: str = "en") -> list[str]:
    """Up to six findings from notebook 01's recorded results, in ``lang``."""
    check_lang(lang)
    name = _namer(results, lang)
    findings = []
    for part in (_index, _servqual, _kano, _loyalty, _cdv, _mga):
        findings += part(results, lang, name)
    return findings[:6]
