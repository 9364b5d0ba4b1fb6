"""Manager's summary of notebook 05_tracking: where the index stands, what changed significantly, which attributes
changed quadrant, and how the tier KPIs moved.

Each finding is one sentence with its key number and the action it implies; findings whose results the run did
not record (sections skipped on user data) are left out.  Names are shown as recorded (the user's own names);
on the bundled data (result ``bundled_data``) constructs get crmlab's display labels and attributes the bundled
survey's display names.
"""
from __future__ import annotations

from ...i18n import check_lang, label, t
from . import summary

TEMPLATES: dict[str, tuple[str, str]] = {
    "lead": ("{construct} index in {wave}: **{index:.1f} / 100** ({level:.0%} interval {low:.1f}–{high:.1f}).",
             "{wave} 的{construct}指数：**{index:.1f} / 100**（{level:.0%} 置信区间 {low:.1f}–{high:.1f}）。"),
    "lead_up": (" Up {change:.1f} points on {prev}, a significant rise: find out what drove it and keep it.",
                "比 {prev} 上升 {change:.1f} 点，上升显著：查明原因并保持。"),
    "lead_down": (" Down {change:.1f} points on {prev}, a significant fall: find the cause before the next wave.",
                  "比 {prev} 下降 {change:.1f} 点，下降显著：应在下一轮调查前查明原因。"),
    "lead_flat": (" {change:+.1f} points on {prev}, within sampling noise: no real movement, do not react to it.",
                  "与 {prev} 相比变化 {change:+.1f} 点，在抽样误差范围内：并无实质变化，不必据此调整。"),
    "changes": ("Significant index changes: {items}. Act on these; the other movements are within sampling noise.",
                "指数显著变化：{items}。应针对这些变化采取行动；其余变动都在抽样误差范围内。"),
    "change_item": ("{construct} {change:+.1f} points ({pair})", "{construct} {change:+.1f} 点（{pair}）"),
    "no_changes": ("No index changed significantly between the waves compared: differences are within sampling noise, "
                   "so keep the current priorities.",
                   "所比较的各轮之间没有指数发生显著变化：差异在抽样误差范围内，维持现有改进重点即可。"),
    "moves": ("Attributes that changed quadrant: {items}.", "象限发生变化的属性：{items}。"),
    "move_item": ("{attribute} {q_from} → {q_to} ({pair}; {action})", "{attribute} {q_from} → {q_to}（{pair}；{action}）"),
    "no_moves": ("No attribute changed quadrant between the waves compared: the improvement priorities stay as they were.",
                 "所比较的各轮之间没有属性改变象限：改进重点保持不变。"),
    "kpi": ("Churn rate {churn:.1%} and new-customer rate {new:.1%} in {pair}.", "{pair} 的客户流失率 {churn:.1%}，新客户比率 {new:.1%}。"),
    "kpi_up": (" Churn rose {points:.1f} points on {prev}: find out why customers leave before acquiring more.",
               "流失率比 {prev} 上升 {points:.1f} 个百分点：在争取新客户之前，先查明客户流失的原因。"),
    "kpi_down": (" Churn fell {points:.1f} points on {prev}: retention is improving; keep what works.",
                 "流失率比 {prev} 下降 {points:.1f} 个百分点：客户保持在改善，继续现有做法。"),
    "kpi_same": (" Churn is unchanged on {prev}.", "流失率与 {prev} 持平。"),
}
ACTION = {"A": "action_advantage", "B": "action_repair", "C": "action_opportunity", "D": "action_maintain"}
LIST_SEPARATOR = {"en": "; ", "zh": "；"}
MAX_ITEMS = 4


def _t(key: str, lang: str) -> str:
    en, zh = TEMPLATES[key]
    return zh if lang == "zh" else en


def _namer(results: dict, lang: str):
    """Names as recorded (users' names); on the bundled data crmlab's construct labels and the attributes' names."""
    if not results.get("bundled_data"):
        return str
    from ...datasets.tracking import attribute_labels

    attributes = attribute_labels(lang)
    return lambda name: attributes.get(name) or str(label(name, lang))


def _listing(items: list[str], lang: str) -> str:
    more = len(items) - MAX_ITEMS
    text = LIST_SEPARATOR[lang].join(items[:MAX_ITEMS])
    return text + (f"{LIST_SEPARATOR[lang]}+{more}" if more > 0 else "")


def _pair(row: dict) -> str:
    return f"{row['from_wave']} → {row['to_wave']}"


def _lead(results: dict, lang: str, name) -> list[str]:
    target, wave = results.get("target"), results.get("latest_wave")
    row = (results.get("index_by_wave") or {}).get(f"{wave} / {target}")
    if not target or not row or row.get("estimate") is None:
        return []
    text = _t("lead", lang).format(construct=name(target), wave=wave, index=row["estimate"], level=results.get("level", 0.95),
                                   low=row["ci_lower"], high=row["ci_upper"])
    latest = [r for r in (results.get("index_changes") or {}).values() if r["construct"] == target and r["to_wave"] == wave]
    if latest and latest[-1].get("estimate") is not None:
        r = latest[-1]
        key = "lead_flat" if not r["significant"] else ("lead_up" if r["estimate"] > 0 else "lead_down")
        text += _t(key, lang).format(change=abs(r["estimate"]) if key != "lead_flat" else r["estimate"], prev=r["from_wave"])
    return [text]


def _changes(results: dict, lang: str, name) -> list[str]:
    rows = results.get("index_changes")
    if not rows:
        return []
    sig = sorted((r for r in rows.values() if r["significant"]), key=lambda r: -abs(r["estimate"]))
    if not sig:
        return [_t("no_changes", lang)]
    items = [_t("change_item", lang).format(construct=name(r["construct"]), change=r["estimate"], pair=_pair(r)) for r in sig]
    return [_t("changes", lang).format(items=_listing(items, lang))]


def _moves(results: dict, lang: str, name) -> list[str]:
    rows = results.get("quadrant_moves")
    if rows is None:
        return []
    moved = [r for r in rows.values() if r["moved"]]
    if not moved:
        return [_t("no_moves", lang)]
    items = [_t("move_item", lang).format(attribute=name(r["attribute"]), q_from=r["quadrant_from"], q_to=r["quadrant_to"],
                                          pair=_pair(r), action=t(ACTION[r["quadrant_to"]], lang)) for r in moved]
    return [_t("moves", lang).format(items=_listing(items, lang))]


def _kpis(results: dict, lang: str) -> list[str]:
    rates = results.get("kpi_rates")
    if not rates:
        return []
    churn, new = rates.get("churn_rate") or {}, rates.get("new_customer_rate") or {}
    pairs = list(churn)
    if not pairs or churn[pairs[-1]] is None:
        return []
    text = _t("kpi", lang).format(churn=churn[pairs[-1]], new=new.get(pairs[-1]) or 0.0, pair=pairs[-1].replace(" -> ", " → "))
    if len(pairs) > 1 and churn[pairs[-2]] is not None:
        points = 100 * (churn[pairs[-1]] - churn[pairs[-2]])
        key = "kpi_up" if points >= 0.05 else "kpi_down" if points <= -0.05 else "kpi_same"
        text += _t(key, lang).format(points=abs(points), prev=pairs[-2].replace(" -> ", " → "))
    return [text]


@summary("05_tracking")
def tracking_summary(results: dict, lang: str = "en") -> list[str]:
    """The findings of a tracking run, in ``lang`` (see the module docstring)."""
    check_lang(lang)
    name = _namer(results, lang)
    return _lead(results, lang, name) + _changes(results, lang, name) + _moves(results, lang, name) + _kpis(results, lang)
