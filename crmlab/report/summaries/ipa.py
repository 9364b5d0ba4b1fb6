"""Manager's summary of notebook 02 (importance–performance analysis) from its recorded results.

Findings, each a number and the action it implies: the repair-zone attributes (fix first; where
the competitor leads, start there) and the advantage-zone attributes (keep up) — or, under diagonal
zoning, the attributes above the iso-priority line (improve first) —, the overall
satisfaction index, how many quadrant assignments the bootstrap calls fragile, how many
attributes change quadrant with the importance method or crosshair, and the construct with the
largest total effect in the PLS importance–performance map.  A finding whose results the run did
not record (a section skipped on the user's data) is left out.  Attribute and construct names are
shown as recorded in ``attribute_labels`` / ``construct_labels`` (the user's names on user data).
"""
from __future__ import annotations

from ...i18n import check_lang, is_term, t
from . import summary

STABLE_SHARE = 0.9
"""Share of bootstrap resamples below which a quadrant assignment is called fragile (as the notebook's chart)."""

SENTENCES = {
    "repair": ("**Fix first:** {names} {verb} in the repair zone — important to customers, performance below the "
               "crosshair (importance: {method}).",
               "**优先改进：**{names}位于修补区——顾客看重，但满意度低于分界线（重要度：{method}）。"),
    "repair_competitor": (" The competitor is ahead on {names}: start there.", "其中竞争对手在{names}上领先，应从这里入手。"),
    "no_repair": ("No attribute falls in the repair zone (importance: {method}): no urgent fix; keep monitoring.",
                  "没有指标落入修补区（重要度：{method}）：暂无紧迫的改进项，继续监测即可。"),
    "diagonal": ("**Improve first:** {names} {verb} above the iso-priority line — more important than well done "
                 "(priority gap in brackets; importance: {method}).",
                 "**优先改进：**{names}位于等优先线上方——重要程度超过表现水平（括号内为优先差距；重要度：{method}）。"),
    "advantage": ("**Keep up:** {names} {verb} important and performing above the crosshair (advantage zone): "
                  "maintain these strengths.",
                  "**保持优势：**{names}重要度高、满意度也高（优势区），应继续保持。"),
    "overall": ("Overall satisfaction index {index:.0f}/100 (the overall question on 0–100){csi}: the benchmark to "
                "track survey by survey.",
                "总体满意度指数为 {index:.0f}/100（总体满意度题换算为 0–100）{csi}，可作为各期调查跟踪的基准。"),
    "overall_csi": ("; importance-weighted attribute index {csi:.0f}/100", "；按重要度加权的指标满意度指数为 {csi:.0f}/100"),
    "csi_only": ("Importance-weighted satisfaction index {csi:.0f}/100 over the attributes: the benchmark to track "
                 "survey by survey.",
                 "按重要度加权的指标满意度指数为 {csi:.0f}/100，可作为各期调查跟踪的基准。"),
    "fragile": ("{k} of {p} quadrant assignments are fragile (kept in fewer than {share:.0%} of bootstrap resamples): "
                "{names} — confirm with more responses before acting on them.",
                "{p} 个指标中有 {k} 个的象限归属不稳定（自助重抽样中留在原象限的比例低于 {share:.0%}）：{names}——"
                "据此决策前宜扩大样本加以确认。"),
    "stable": ("All {p} quadrant assignments are stable (each kept in at least {share:.0%} of bootstrap resamples): "
               "the advice does not hinge on sampling noise.",
               "全部 {p} 个指标的象限归属都稳定（自助重抽样中留在原象限的比例均不低于 {share:.0%}），结论不受抽样误差左右。"),
    "sensitivity": ("{k} of {p} attributes change quadrant with the importance method or the crosshair: state both "
                    "with every chart and weigh those attributes with care.",
                    "{p} 个指标中有 {k} 个的象限随重要度计算方法或分界线位置而改变：图表须注明二者，对这些指标的结论要谨慎。"),
    "ipma": ("In the PLS importance–performance map, {name} has the largest total effect on {target} ({imp:.2f} index "
             "points per point) at a performance of {perf:.0f}/100: improving {name} lifts {target} most.",
             "在 PLS 重要性—绩效图中，{name}对{target}的总效应最大（每提高 1 个指数点带动 {imp:.2f} 个指数点），"
             "其绩效为 {perf:.0f}/100：改进{name}最能提升{target}。"),
}


def _say(key: str, lang: str, **values) -> str:
    en, zh = SENTENCES[key]
    return (zh if lang == "zh" else en).format(**values)


def _names(keys, labels: dict, lang: str, values: dict | None = None, fmt: str = "{:.2f}") -> str:
    left, right = ("（", "）") if lang == "zh" else (" (", ")")
    shown = [str(labels.get(k, k)) + (f"{left}{fmt.format(values[k])}{right}" if values is not None else "") for k in keys]
    return ("、" if lang == "zh" else ", ").join(shown)


def _method(method, lang: str) -> str:
    return t(f"method_{method}", lang) if is_term(f"method_{method}") else str(method)


@summary("02_importance_performance")
def ipa_summary(results: dict, lang: str = "en") -> list[str]:
    """Up to six findings of the importance–performance notebook in ``lang`` (Markdown sentences)."""
    check_lang(lang)
    out = []
    labels = results.get("attribute_labels") or {}
    main = results.get("ipa_main")
    method = (results.get("ipa_settings") or {}).get("importance_method")
    if main and all("priority_gap" in row for row in main.values()):  # diagonal zoning: the iso-priority line decides
        gap = {a: row["priority_gap"] for a, row in main.items()}
        above = sorted((a for a, g in gap.items() if g > 0), key=gap.get, reverse=True)
        if above:
            out.append(_say("diagonal", lang, names=_names(above, labels, lang, gap, "{:+.3f}"), method=_method(method, lang),
                            verb="lies" if len(above) == 1 else "lie"))
        main = None
    if main:
        quadrant = {a: row["quadrant"] for a, row in main.items()}
        perf = {a: row["performance"] for a, row in main.items()}
        repair = sorted((a for a, q in quadrant.items() if q == "B"), key=perf.get)
        advantage = sorted((a for a, q in quadrant.items() if q == "A"), key=perf.get, reverse=True)
        if repair:
            sentence = _say("repair", lang, names=_names(repair, labels, lang, perf), method=_method(method, lang),
                            verb="is" if len(repair) == 1 else "are")
            gap = results.get("competitor_gap") or {}
            behind = [a for a in repair if gap.get(a) is not None and gap[a] < 0]
            if behind:
                sentence += _say("repair_competitor", lang, names=_names(behind, labels, lang, gap, "{:+.2f}"))
            out.append(sentence)
        else:
            out.append(_say("no_repair", lang, method=_method(method, lang)))
        if advantage:
            out.append(_say("advantage", lang, names=_names(advantage, labels, lang, perf),
                            verb="is" if len(advantage) == 1 else "are"))
    index, csi = results.get("overall_satisfaction_index_0_100"), results.get("overall_csi_index_0_100")
    if index is not None:
        out.append(_say("overall", lang, index=index, csi=_say("overall_csi", lang, csi=csi) if csi is not None else ""))
    elif csi is not None:
        out.append(_say("csi_only", lang, csi=csi))
    share = results.get("stability_share")
    if share:
        fragile = sorted((a for a, s in share.items() if s < STABLE_SHARE), key=share.get)
        if fragile:
            out.append(_say("fragile", lang, k=len(fragile), p=len(share), share=STABLE_SHARE,
                            names=_names(fragile, labels, lang, share, "{:.0%}")))
        else:
            out.append(_say("stable", lang, p=len(share), share=STABLE_SHARE))
    changing = results.get("n_attributes_changing_quadrant")
    if changing and results.get("ipa_main"):
        out.append(_say("sensitivity", lang, k=changing, p=len(results["ipa_main"])))
    ipma = results.get("ipma_table")
    if ipma:
        best = max(ipma, key=lambda c: ipma[c]["importance"])
        constructs = results.get("construct_labels") or {}
        target = results.get("ipma_target")
        out.append(_say("ipma", lang, name=constructs.get(best, best), target=constructs.get(target, target),
                        imp=ipma[best]["importance"], perf=ipma[best]["performance"]))
    return out[:6]
