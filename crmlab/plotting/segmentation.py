"""Segmentation charts (SPEC §4): value matrix, AHP weights, Pareto/Lorenz, tier pyramid,
Kotler's revenue-by-tier chart, RFM segments and the k-means silhouette.

Each function takes a crmlab result, draws on ``ax`` (or a new styled figure), labels
everything through :mod:`crmlab.i18n` in ``lang`` and returns the Axes.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from adjustText import adjust_text
from matplotlib.patches import Polygon

from ..i18n import check_lang, t
from ..segmentation import VALUE_CLASSES, ValueMatrix, gini, lorenz_curve, pareto_curve, pareto_table
from ..validation import CrmlabValueError, check_is_fitted
from . import FIGSIZE_SQUARE, FIGSIZE_WIDE, new_axes

CLASS_COLORS = {"high_high": "#3a9d5d", "high_low": "#1f5a96", "low_high": "#d9822b", "low_low": "#7f7f7f"}
CURRENT_COLOR, POTENTIAL_COLOR, COST_COLOR = "#1f5a96", "#d9822b", "#c0392b"


def _term(key: str, lang: str) -> str:
    """Translate a key (or ``key_value``, e.g. "current" -> 当前价值) if the term table has it,
    else show the key with underscores as spaces."""
    for k in (key, f"{key}_value"):
        try:
            return t(k, lang)
        except CrmlabValueError:
            continue
    return key.replace("_", " ")


def plot_value_matrix(result: ValueMatrix, *, ax=None, lang: str = "en", label_points: bool | None = None,
                      adjust_labels: bool = True):
    """Current value (x) × potential value (y) with the cut-off crosshair and the four named quadrants.

    ``adjust_labels=False`` puts each customer's label beside its point without the (slow) overlap
    adjustment — for redrawing in a what-if panel."""
    check_lang(lang)
    check_is_fitted(result, "scores_")
    fig, ax = new_axes(ax, figsize=FIGSIZE_SQUARE)
    s = result.scores_
    x, y = s["current_value"].to_numpy(), s["potential_value"].to_numpy()
    cx, cy = result.cutoffs_["current"], result.cutoffs_["potential"]
    for cls in VALUE_CLASSES:
        m = (s["value_class"] == cls).to_numpy()
        ax.scatter(x[m], y[m], s=36, color=CLASS_COLORS[cls], label=f"{t('vm_' + cls, lang)} (n={m.sum()})", zorder=3,
                   alpha=0.9 if len(s) <= 500 else 0.3, edgecolor="white", linewidth=0.5)
    ax.axvline(cx, color="0.35", lw=1, ls="--")
    ax.axhline(cy, color="0.35", lw=1, ls="--")
    xr = max(x.max() - cx, cx - x.min()) * 1.25
    yr = max(y.max() - cy, cy - y.min()) * 1.3
    ax.set_xlim(cx - xr, cx + xr)
    ax.set_ylim(cy - yr, cy + yr)
    corners = {"high_high": (0.98, 0.98, "right", "top"), "high_low": (0.98, 0.02, "right", "bottom"),
               "low_high": (0.02, 0.98, "left", "top"), "low_low": (0.02, 0.02, "left", "bottom")}
    for cls, (px, py, ha, va) in corners.items():
        ax.text(px, py, t("vm_" + cls, lang), transform=ax.transAxes, ha=ha, va=va, fontsize=9.5,
                color=CLASS_COLORS[cls])
    if label_points is None:
        label_points = len(s) <= 40
    if label_points:
        if adjust_labels:
            texts = [ax.text(a, b, str(i), fontsize=8) for a, b, i in zip(x, y, s.index)]
            adjust_text(texts, ax=ax, arrowprops=dict(arrowstyle="-", color="0.6", lw=0.5))
        else:
            for a, b, i in zip(x, y, s.index):
                ax.annotate(str(i), (a, b), xytext=(3, 3), textcoords="offset points", fontsize=8)
    ax.set_xlabel(t("current_value", lang))
    ax.set_ylabel(t("potential_value", lang))
    split = {"mean": t("mean", lang), "median": t("median", lang), "given": t("cutoff", lang)}[result.split]
    ax.set_title(f"{t('value_matrix_title', lang)} — {t('cutoff', lang)}: {split}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    return ax


def plot_ahp_weights(weights: pd.DataFrame, *, ax=None, lang: str = "en", labels: dict | None = None):
    """Horizontal bars of global weights (from :func:`crmlab.ahp.global_weights`), coloured by criterion.

    ``labels``: display names of the sub-criteria; given (even empty), names not in it are shown
    as they are (a user's indicators); ``None``: crmlab's own indicator keys are translated."""
    check_lang(lang)
    need = {"criterion", "sub_criterion", "global_weight"}
    if not isinstance(weights, pd.DataFrame) or not need <= set(weights.columns):
        raise CrmlabValueError(f"weights must be the DataFrame from crmlab.ahp.global_weights with columns {sorted(need)}")
    fig, ax = new_axes(ax, figsize=(8.0, 0.35 * len(weights) + 1.5))
    w = weights.sort_values("global_weight")
    colors = {c: col for c, col in zip(dict.fromkeys(weights["criterion"]), [CURRENT_COLOR, POTENTIAL_COLOR, "#3a9d5d", "#7d5ba6"])}
    ypos = np.arange(len(w))
    ax.barh(ypos, w["global_weight"], color=[colors.get(c, "0.5") for c in w["criterion"]])
    ax.set_yticks(ypos, [_term(s, lang) if labels is None else labels.get(s, s) for s in w["sub_criterion"]])
    for yy, v in zip(ypos, w["global_weight"]):
        ax.text(v, yy, f" {v:.4f}", va="center", fontsize=8)
    ax.set_xlim(0, w["global_weight"].max() * 1.2)
    handles = [ax.bar(0, 0, color=col, label=f"{_term(c, lang)} ({weights.loc[weights['criterion'] == c, 'criterion_weight'].iloc[0]:.4f})")
               for c, col in colors.items()]
    ax.legend(handles=handles, loc="lower right", title=t("criterion", lang))
    ax.set_xlabel(t("global_weight", lang))
    ax.set_title(t("ahp_weights_title", lang))
    ax.grid(axis="y", visible=False)
    return ax


def plot_pareto(values, *, top: float = 0.2, ax=None, lang: str = "en"):
    """Pareto (80/20) curve: cumulative share of value held by the top customers, the top-x % point marked."""
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    curve = pareto_curve(values)
    share = float(pareto_table(values, top=[top])["value_share"].iloc[0])
    ax.plot(curve["customer_share"], curve["value_share"], color=CURRENT_COLOR, lw=2)
    ax.plot([0, 1], [0, 1], color="0.6", ls=":", lw=1, label=t("equality_line", lang))
    ax.plot([top, top, 0], [0, share, share], color=COST_COLOR, ls="--", lw=1)
    ax.scatter([top], [share], color=COST_COLOR, zorder=3)
    ax.annotate(t("top_share_label", lang).format(x=top, y=share), (top, share), xytext=(12, -18),
                textcoords="offset points", color=COST_COLOR)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(1.02, curve["value_share"].max() * 1.02))
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.yaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel(t("customer_share_top", lang))
    ax.set_ylabel(t("value_share", lang))
    ax.set_title(t("pareto_title", lang))
    ax.legend(loc="lower right")
    return ax


def plot_lorenz(values, *, ax=None, lang: str = "en"):
    """Lorenz curve with the line of equality and the Gini coefficient in the title."""
    check_lang(lang)
    fig, ax = new_axes(ax, figsize=FIGSIZE_SQUARE)
    curve = lorenz_curve(values)
    ax.plot(curve["customer_share"], curve["value_share"], color=CURRENT_COLOR, lw=2)
    ax.fill_between(curve["customer_share"], curve["value_share"], curve["customer_share"], color=CURRENT_COLOR, alpha=0.12)
    ax.plot([0, 1], [0, 1], color="0.5", ls=":", label=t("equality_line", lang))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.yaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel(t("customer_share_bottom", lang))
    ax.set_ylabel(t("value_share", lang))
    ax.set_title(f"{t('lorenz_title', lang)} — {t('gini', lang)} = {gini(values):.3f}")
    ax.legend(loc="upper left")
    return ax


def plot_tier_pyramid(cutoffs: pd.DataFrame, *, ax=None, lang: str = "en", value_label: str | None = None):
    """Customer pyramid from :func:`crmlab.segmentation.assign_tiers` ``.cutoffs``: one band per tier,
    top tier at the apex, annotated with customers, share and the value cut-off."""
    check_lang(lang)
    need = {"tier", "lower_cutoff", "customers", "customer_share"}
    if not isinstance(cutoffs, pd.DataFrame) or not need <= set(cutoffs.columns):
        raise CrmlabValueError(f"cutoffs must be TierResult.cutoffs with columns {sorted(need)}")
    fig, ax = new_axes(ax, figsize=(8.0, 5.0))
    k = len(cutoffs)
    palette = ["#1f5a96", "#3a9d5d", "#d9822b", "#7f7f7f", "#7d5ba6", "#8c6d31"]
    for i, row in enumerate(cutoffs.itertuples(index=False)):
        top_y, bot_y = 1 - i / k, 1 - (i + 1) / k
        half_top, half_bot = (1 - top_y) / 2, (1 - bot_y) / 2
        ax.add_patch(Polygon([(-half_bot, bot_y), (half_bot, bot_y), (half_top, top_y), (-half_top, top_y)],
                             closed=True, color=palette[i % len(palette)], alpha=0.85, ec="white", lw=2))
        label_y = bot_y + (top_y - bot_y) * (0.3 if i == 0 else 0.5)  # the apex band is narrow at the top
        ax.text(0, label_y, _term(row.tier, lang), ha="center", va="center", color="white", fontsize=10)
        cut = f"≥ {row.lower_cutoff:,.2f}" if i < k - 1 else f"< {cutoffs['lower_cutoff'].iloc[i - 1]:,.2f}" if k > 1 else ""
        ax.text(0.62, (top_y + bot_y) / 2, f"{row.customers:,} ({row.customer_share:.1%})   {cut}", va="center", fontsize=9)
    ax.set_xlim(-0.6, 1.35)
    ax.set_ylim(0, 1.02)
    ax.axis("off")
    title = t("tier_pyramid_title", lang)
    if value_label:
        title += f" — {value_label}"
    ax.set_title(title)
    return ax


def plot_kotler_tiers(table: pd.DataFrame, *, ax=None, lang: str = "en"):
    """Kotler's revenue-by-tier chart (seed 002): bar width = customers in the tier, height = revenue
    per customer; cost per customer drawn inside each bar when the table has it."""
    check_lang(lang)
    need = {"customers", "revenue_per_customer", "x_left"}
    if not isinstance(table, pd.DataFrame) or not need <= set(table.columns):
        raise CrmlabValueError(f"table must come from crmlab.segmentation.tier_revenue_table (columns {sorted(need)})")
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    tab = table[table["customers"] > 0]
    ax.bar(tab["x_left"], tab["revenue_per_customer"], width=tab["customers"], align="edge", color=CURRENT_COLOR,
           alpha=0.85, ec="white", label=t("revenue_per_customer", lang))
    if "cost_per_customer" in tab:
        ax.bar(tab["x_left"], tab["cost_per_customer"], width=tab["customers"], align="edge", color=COST_COLOR,
               alpha=0.55, hatch="//", ec="white", label=t("cost_per_customer", lang))
    total = tab["customers"].sum()
    for tier, row in tab.iterrows():
        label = f"{_term(tier, lang)} ({int(row['customers']):,})"
        if row["customers"] < 0.15 * total:  # narrow bar: label to its right
            ax.annotate(label, (row["x_left"] + row["customers"], row["revenue_per_customer"]), xytext=(6, 0),
                        textcoords="offset points", va="center", ha="left", fontsize=8.5,
                        arrowprops=dict(arrowstyle="-", color="0.5", lw=0.5))
        else:
            ax.text(row["x_left"] + row["customers"] / 2, row["revenue_per_customer"] * 1.02, label, ha="center", va="bottom", fontsize=8.5)
    ax.set_xlim(0, (tab["x_left"] + tab["customers"]).max())
    ax.set_ylim(0, tab["revenue_per_customer"].max() * 1.25)
    ax.set_xlabel(t("number_of_customers", lang))
    ax.set_ylabel(t("revenue_per_customer", lang))
    ax.set_title(t("kotler_chart_title", lang))
    ax.legend(loc="upper right")
    return ax


def plot_rfm_segments(profile: pd.DataFrame, *, ax=None, lang: str = "en", labels: dict | None = None):
    """Share of customers and share of monetary value per RFM segment (from :func:`segment_profile`).

    ``labels``: display names of the segments (a user's own segment rules: names not in it are
    shown as given); ``None``: the default rules' segment keys are translated."""
    check_lang(lang)
    need = {"customer_share", "monetary_share"}
    if not isinstance(profile, pd.DataFrame) or not need <= set(profile.columns):
        raise CrmlabValueError(f"profile must come from crmlab.segmentation.segment_profile (columns {sorted(need)})")
    fig, ax = new_axes(ax, figsize=(8.0, 0.4 * len(profile) + 1.6))
    p = profile.sort_values("monetary_share")
    y = np.arange(len(p))
    ax.barh(y - 0.2, p["customer_share"], height=0.4, color=CURRENT_COLOR, label=t("share_of_customers", lang))
    ax.barh(y + 0.2, p["monetary_share"], height=0.4, color=POTENTIAL_COLOR, label=t("share_of_monetary", lang))
    ax.set_yticks(y, [_term(f"rfm_{s}", lang) if labels is None else labels.get(s, s) for s in p.index])
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel(t("share", lang))
    ax.set_title(t("rfm_segment_title", lang))
    ax.legend(loc="lower right")
    ax.grid(axis="y", visible=False)
    return ax


def plot_silhouette(model, *, ax=None, lang: str = "en"):
    """Silhouette plot of a fitted :class:`~crmlab.segmentation.RFMKMeans` (sampled customers, chosen k)."""
    check_lang(lang)
    if not hasattr(model, "silhouette_samples_"):
        raise CrmlabValueError("model must be a fitted crmlab.segmentation.RFMKMeans")
    fig, ax = new_axes(ax, figsize=FIGSIZE_WIDE)
    sil = model.silhouette_samples_
    y0, colors = 0, ["#1f5a96", "#d9822b", "#3a9d5d", "#c0392b", "#7d5ba6", "#8c6d31", "#e377c2", "#7f7f7f"]
    for c in sorted(sil["cluster"].unique()):
        v = np.sort(sil.loc[sil["cluster"] == c, "silhouette"].to_numpy())
        ax.fill_betweenx(np.arange(y0, y0 + len(v)), 0, v, color=colors[c % len(colors)], alpha=0.8)
        ax.text(-0.03, y0 + len(v) / 2, str(c), ha="right", va="center", fontsize=9)
        y0 += len(v) + 10
    mean = sil["silhouette"].mean()
    ax.axvline(mean, color=COST_COLOR, ls="--", lw=1)
    ax.set_yticks([])
    ax.set_xlabel(t("silhouette", lang))
    ax.set_ylabel(t("cluster", lang))
    ax.set_title(f"{t('silhouette_title', lang)} (k = {model.k_}, {t('mean', lang)} = {mean:.3f})")
    return ax
