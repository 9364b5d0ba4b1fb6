"""What-if panel of the importance–performance notebook: move the crosshair, switch the importance method.

:func:`redraw_ipa` is the callback: from analyses fitted once (one
:class:`~crmlab.ipa.IPAResult` per importance method), the chosen method and a crosshair
position on each axis, it re-places the attributes in the quadrants
(:func:`crmlab.ipa.quadrant_analysis`, same scales, zoning and tie rule), draws the
four-quadrant chart on the given Axes and returns the quadrant table.  Nothing is
re-estimated: performance and importance are the fitted values, so a call costs one
quadrant assignment and one chart.  :func:`ipa_panel` wires it to ipywidgets controls
(a method menu and one slider per crosshair axis) for JupyterLab.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..i18n import check_lang, t
from ..ipa import IPAResult, quadrant_analysis
from ..validation import CrmlabValueError, check_choice

TABLE_COLUMNS = ["performance", "importance", "quadrant", "zone", "action"]


def _analysis(analyses: Mapping[str, IPAResult], method: str) -> IPAResult:
    if not isinstance(analyses, Mapping) or not analyses:
        raise CrmlabValueError("analyses must map each importance method to its fitted IPAResult")
    check_choice(method, "method", list(analyses))
    result = analyses[method]
    if not isinstance(result, IPAResult):
        raise CrmlabValueError(f"analyses[{method!r}] must be an IPAResult, got {type(result).__name__}")
    return result


def crosshair_range(analyses: Mapping[str, IPAResult], method: str) -> dict[str, tuple[float, float]]:
    """Where the crosshair may move on each axis: the declared scale, or (no scale, e.g. derived importance)
    the attributes' range widened by 10 % of its span on each side."""
    result = _analysis(analyses, method)
    out = {}
    for axis in ("performance", "importance"):
        scale = result.settings[f"{axis}_scale"]
        if scale is not None:
            out[axis] = (float(scale[0]), float(scale[1]))
            continue
        values = result.table[axis].to_numpy(dtype=float)
        lo, hi = float(values.min()), float(values.max())
        pad = 0.1 * (hi - lo) if hi > lo else max(abs(hi), 1.0) * 0.1
        out[axis] = (lo - pad, hi + pad)
    return out


def redraw_ipa(analyses: Mapping[str, IPAResult], method: str, crosshair, *, ax, lang: str = "en",
               labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Callback: quadrants of ``method``'s analysis with the crosshair at ``crosshair`` = (performance, importance).

    Each position is a number on its axis or a rule (``"mean"``, ``"median"``, ``"midpoint"``),
    as in :func:`crmlab.ipa.quadrant_analysis`.  Clears ``ax``, draws the chart on it
    (:func:`crmlab.plotting.ipa.plot_ipa`, competitor off, labels beside their points without
    the slow overlap adjustment) and returns the per-attribute table (performance, importance,
    quadrant, zone and action keys; priority gap and diagonal zone under diagonal zoning).
    """
    from ..plotting.ipa import plot_ipa

    check_lang(lang)
    base = _analysis(analyses, method)
    s = base.settings
    result = quadrant_analysis(
        base.table["performance"], base.table["importance"], method=s["method"],
        performance_scale=s["performance_scale"], importance_scale=s["importance_scale"], crosshair=crosshair,
        zoning=s["zoning"], diagonal_slope=s["diagonal_slope"], overall_weights=s["overall_weights"],
    )
    result.settings["target"] = s.get("target")
    ax.clear()
    plot_ipa(result, ax=ax, lang=lang, labels=labels, show_competitor=False, adjust_labels=False)
    columns = TABLE_COLUMNS + [c for c in ("priority_gap", "diagonal_zone") if c in result.table]
    return result.table[columns].copy()


def _retarget(slider, low: float, high: float, value: float) -> None:
    """Move a slider to a new range and value without ever holding a value outside its range."""
    slider.min = min(low, slider.min)
    slider.max = high
    slider.min = low
    slider.step = (high - low) / 200 if high > low else 0.01
    slider.value = float(np.clip(value, low, high))


def ipa_panel(analyses: Mapping[str, IPAResult], method: str, *, lang: str = "en",
              labels: Mapping[str, str] | None = None):
    """An ipywidgets panel: importance-method menu, one crosshair slider per axis, the chart and the table.

    Starts at ``method`` with each analysis's own crosshair; switching the method moves the
    importance slider to that method's axis.  For JupyterLab (needs a live kernel).
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    from ..plotting import FIGSIZE_SQUARE
    from ..plotting.ipa import method_label
    from ..report.display import show

    check_lang(lang)
    _analysis(analyses, method)
    menu = widgets.Dropdown(options=[(method_label(m, lang), m) for m in analyses], value=method,
                            description=t("ipa_importance", lang), style={"description_width": "initial"})
    sliders = {axis: widgets.FloatSlider(description=f"{t('ipa_crosshair', lang)} · {t('ipa_' + axis, lang)}",
                                         continuous_update=False, readout_format=".3f",
                                         style={"description_width": "initial"}, layout={"width": "560px"})
               for axis in ("performance", "importance")}
    out = widgets.Output()

    def reset(m):
        ranges = crosshair_range(analyses, m)
        for axis, slider in sliders.items():
            _retarget(slider, *ranges[axis], analyses[m].crosshair[axis])

    def update(*_):
        with out:
            out.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=FIGSIZE_SQUARE)
            table = redraw_ipa(analyses, menu.value, (sliders["performance"].value, sliders["importance"].value),
                               ax=ax, lang=lang, labels=labels)
            display(fig)
            plt.close(fig)
            display(show(table.rename(index=dict(labels or {})), lang, context="ipa"))

    def on_method(change):
        for slider in sliders.values():
            slider.unobserve(update, names="value")
        reset(change["new"])
        for slider in sliders.values():
            slider.observe(update, names="value")
        update()

    reset(method)
    menu.observe(on_method, names="value")
    for slider in sliders.values():
        slider.observe(update, names="value")
    update()
    return widgets.VBox([menu, sliders["performance"], sliders["importance"], out])
