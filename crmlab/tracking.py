"""Tracking a satisfaction programme over survey waves: did the index move, is it significant, which attributes moved.

A *wave* is one independent sample of the same survey (same constructs, paths and attributes), labelled e.g.
``"2025-Q3"``; waves are given oldest first.  Pairs of waves are compared either ``"consecutive"`` (t − 1 → t)
or against the ``"first"`` (baseline) wave.

* :func:`wave_design` — checks that the waves describe the same survey (a clear error names the wave and the key
  that differs) and returns each wave's column mapping.
* :func:`wave_indices` — the ACSI 0–100 index per construct per wave (Fornell et al. 1996; a PLS path model
  fitted on each wave separately, :meth:`crmlab.pls.PLSPathModel.index_0_100`) with bootstrap standard errors and
  percentile intervals (each wave resampled on its own, independent random streams).
* :func:`index_changes` — the change of each construct's index between two waves and its test.  The waves are
  independent samples, so the change Δ = I_b − I_a has variance SE_a² + SE_b² and
  z = Δ / √(SE_a² + SE_b²) is referred to the standard normal; the interval is Δ ± z_{1−α/2} √(SE_a² + SE_b²).
  The standard errors are the bootstrap standard deviations of each wave's index (Efron & Tibshirani 1993,
  *An Introduction to the Bootstrap*, ch. 6; the index is a smooth function of means and weights, hence
  asymptotically normal).  This tests exactly "the index is the same in both waves", needs no refits beyond the
  per-wave bootstrap that gives the intervals, and allows the waves to differ in size and in everything else.
  (The permutation test of :func:`crmlab.pls.multigroup_analysis`, Chin & Dibbern 2010, tests that the two
  samples are exchangeable — a stronger null than equal indices — and compares paths, not indices.)
  Several constructs are tested per pair of waves: p values are adjusted by Holm's (1979) step-down method
  within each pair (``adjust="holm"``, the default; ``"none"`` reports raw p values), and a change is
  *significant* when the adjusted p value is below 1 − ``level``.
* :func:`wave_ipa` and :func:`quadrant_migration` — an importance–performance analysis per wave
  (:class:`crmlab.ipa.ImportancePerformance`) and each attribute's quadrant in wave a and wave b.  The crosshair
  is either each wave's own (``crosshair_basis="each_wave"``: positions relative to that wave's attributes) or
  the first wave's held fixed (``"first_wave"``: absolute movement against the baseline).
* :func:`performance_changes` — each attribute's mean performance change with Welch's (1947) unequal-variance
  t test (Holm-adjusted within each pair, as above).
* :func:`tier_kpis_by_period` — the tier KPIs of :func:`crmlab.segmentation.tier_kpis` (new-customer, churn,
  upgrade and downgrade rates) for each pair of periods of a transaction log's period totals, and their change.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from .ipa import IMPORTANCE_METHODS, ImportancePerformance, IPAResult, quadrant_changes
from .pls import PLSBootstrapResult, PLSPathModel, _prepare_items
from .results import pair_label, wald_table
from .segmentation import TIER_SHARES, TierResult, assign_tiers, tier_kpis
from .validation import (CrmlabValueError, _preview, check_choice, check_columns, check_numeric, check_random_state,
                         check_scalar, check_scale, check_weights)

COMPARISONS = ("consecutive", "first")
ADJUSTMENTS = ("holm", "none")
CROSSHAIR_BASES = ("each_wave", "first_wave")
TIER_VALUES = ("auto", "profit", "revenue")
KPI_RATES = ("new_customer_rate", "churn_rate", "retention_rate", "upgrade_rate", "downgrade_rate")
KPI_COUNTS = ("customers_start", "customers_end", "new_customers", "lost_customers", "upgraded_customers",
              "downgraded_customers")


# --------------------------------------------------------------------------- waves and pairs
@dataclass
class WaveDesign:
    """What every wave measures, and each wave's own columns for it (keyed by wave label, oldest first)."""

    labels: list[str]
    blocks: dict[str, dict[str, list[str]]]
    paths: list[tuple[str, str]]
    attributes: dict[str, dict[str, str]] | None
    stated_importance: dict[str, dict[str, str]] | None
    overall: dict[str, str] | None
    scale: tuple[float, float]
    overall_scale: tuple[float, float] | None
    importance_scale: tuple[float, float] | None


def _attr_map(value) -> dict[str, str] | None:
    if value is None:
        return None
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {c: c for c in value}


def _differ(a, b) -> str:
    return f"missing {_preview(sorted(set(a) - set(b)))}, extra {_preview(sorted(set(b) - set(a)))}"


def wave_design(studies: Sequence, *, name: str = "waves") -> WaveDesign:
    """Check that the survey studies describe the same survey in every wave and return their column mappings.

    Every wave must be a survey study with a unique ``label`` and the same constructs (same number of items
    each), paths, attributes, overall and stated-importance questions and scales as the first wave; item and
    attribute *columns* may be named differently in each file.  Errors name the wave and the key that differs.
    """
    if isinstance(studies, (str, Mapping)) or not isinstance(studies, Sequence) or len(studies) < 2:
        raise CrmlabValueError(f"{name} must list at least two survey waves (oldest first), got "
                               f"{len(studies) if isinstance(studies, Sequence) else type(studies).__name__}")
    specs = []
    for k, study in enumerate(studies):
        spec = getattr(study, "spec", study)
        where = f"{name}[{k}]"
        if not isinstance(spec, Mapping):
            raise CrmlabValueError(f"{where}: every wave must be a survey study (a mapping with kind, label, path, ...), "
                                   f"got {type(spec).__name__}")
        if getattr(study, "kind", spec.get("kind")) != "survey":
            raise CrmlabValueError(f"{where}: every wave must be a study of kind survey, got {spec.get('kind')!r}")
        if not isinstance(spec.get("label"), str) or not spec["label"].strip():
            raise CrmlabValueError(f"{where}: every wave needs a label naming it, such as \"2025-Q3\" (key label)")
        if not spec.get("constructs"):
            raise CrmlabValueError(f"{where} ({spec['label']}): the index needs constructs and paths (keys constructs, paths)")
        specs.append((where, spec))
    labels = [s["label"] for _, s in specs]
    if len(set(labels)) < len(labels):
        raise CrmlabValueError(f"{name}: wave labels must be unique, got {labels}")
    first_where, first = specs[0]

    def mismatch(where, spec, key, detail):
        return CrmlabValueError(f"{where} ({spec['label']}): {key} differ from {first_where} ({first['label']}): {detail}; "
                                "every wave must describe the same survey")

    for where, spec in specs[1:]:
        a, b = first["constructs"], spec["constructs"]
        if set(a) != set(b):
            raise mismatch(where, spec, "constructs", _differ(a, b))
        counts = {c: (len(a[c]), len(b[c])) for c in a if len(a[c]) != len(b[c])}
        if counts:
            c, (na, nb) = next(iter(counts.items()))
            raise mismatch(where, spec, "construct items", f"{c!r} has {nb} item(s) here and {na} in the first wave")
        pa = {tuple(p) for p in first.get("paths") or []}
        pb = {tuple(p) for p in spec.get("paths") or []}
        if pa != pb:
            raise mismatch(where, spec, "paths", _differ(pa, pb))
        for key in ("attributes", "stated_importance"):
            ma, mb = _attr_map(first.get(key)), _attr_map(spec.get(key))
            if (ma is None) != (mb is None) or (ma is not None and set(ma) != set(mb)):
                raise mismatch(where, spec, key, "given in one wave only" if (ma is None) != (mb is None) else _differ(ma, mb))
        if bool(first.get("overall")) != bool(spec.get("overall")):
            raise mismatch(where, spec, "overall", "given in one wave only")
        for key in ("scale", "overall_scale", "importance_scale"):
            if list(first.get(key) or []) != list(spec.get(key) or []):
                raise mismatch(where, spec, key, f"{spec.get(key)} here, {first.get(key)} in the first wave")
    attrs = [_attr_map(s.get("attributes")) for _, s in specs]
    stated = [_attr_map(s.get("stated_importance")) for _, s in specs]
    return WaveDesign(
        labels=labels,
        blocks={s["label"]: {c: list(items) for c, items in s["constructs"].items()} for _, s in specs},
        paths=[tuple(p) for p in first.get("paths") or []],
        attributes=None if attrs[0] is None else dict(zip(labels, attrs)),
        stated_importance=None if stated[0] is None else dict(zip(labels, stated)),
        overall={s["label"]: s["overall"] for _, s in specs} if first.get("overall") else None,
        scale=check_scale(first["scale"]),
        overall_scale=check_scale(first["overall_scale"]) if first.get("overall_scale") else None,
        importance_scale=check_scale(first["importance_scale"]) if first.get("importance_scale") else None,
    )


def wave_pairs(labels: Sequence[str], compare="consecutive") -> list[tuple[str, str]]:
    """The pairs of waves compared: ``"consecutive"`` (each wave with the one before), ``"first"`` (each with the
    first) or an explicit list of ``(from, to)`` label pairs."""
    labels = list(labels)
    if len(labels) < 2:
        raise CrmlabValueError(f"a comparison needs at least two waves, got {labels}")
    if isinstance(compare, str):
        check_choice(compare, "compare", COMPARISONS)
        return list(zip(labels[:-1], labels[1:])) if compare == "consecutive" else [(labels[0], w) for w in labels[1:]]
    pairs = [tuple(p) for p in compare] if isinstance(compare, Sequence) else []
    bad = [p for p in pairs if len(p) != 2 or p[0] == p[1] or not set(p) <= set(labels)]
    if not pairs or bad:
        raise CrmlabValueError(f"compare must be 'consecutive', 'first' or a list of (from, to) pairs of different "
                               f"waves among {labels}; got {compare!r}")
    return pairs


def _per_wave(mapping, labels, name: str) -> dict:
    """A per-wave mapping {wave: value}, or one value shared by every wave."""
    if isinstance(mapping, Mapping) and set(mapping) == set(labels) and all(isinstance(v, Mapping) for v in mapping.values()):
        return {w: mapping[w] for w in labels}
    if not isinstance(mapping, Mapping):
        raise CrmlabValueError(f"{name} must be a mapping (shared by every wave) or {{wave: mapping}}, got {type(mapping).__name__}")
    return {w: mapping for w in labels}


def _check_waves(waves: Mapping[str, pd.DataFrame]) -> list[str]:
    if not isinstance(waves, Mapping) or len(waves) < 2:
        raise CrmlabValueError("waves must map at least two wave labels to their data frames (oldest first)")
    for label, data in waves.items():
        if not isinstance(data, pd.DataFrame):
            raise CrmlabValueError(f"waves[{label!r}] must be a pandas DataFrame, got {type(data).__name__}")
    return list(waves)


def _adjusted(p: np.ndarray, adjust: str) -> np.ndarray:
    """Holm's (1979) step-down adjusted p values (NaN left out and kept), or the raw ones.

    With the m finite p values sorted, p̃_(k) = max_{j ≤ k} min(1, (m − j + 1) p_(j)) (k = 1 … m); the same numbers
    as statsmodels' ``multipletests(method="holm")`` (tested), without its cost (it collects garbage on every call).
    """
    out = np.asarray(p, dtype=float).copy()
    ok = np.isfinite(out)
    m = int(ok.sum())
    if adjust == "holm" and m > 1:
        order = np.argsort(out[ok], kind="stable")
        steps = np.minimum(1.0, (m - np.arange(m)) * out[ok][order])
        adjusted = np.empty(m)
        adjusted[order] = np.maximum.accumulate(steps)
        out[ok] = adjusted
    return out


def _pair_table(parts: dict[tuple[str, str], pd.DataFrame], *, dimension: str, level: float, adjust: str) -> pd.DataFrame:
    """Stack per-pair statistics tables into one indexed (waves, ``dimension``) with adjusted p and significance."""
    frames = []
    for (a, b), part in parts.items():
        part = part.copy()
        part["p_adjusted"] = _adjusted(part["p_value"].to_numpy(), adjust)
        part["significant"] = part["p_adjusted"] < 1 - level
        part.insert(0, "to_wave", b)
        part.insert(0, "from_wave", a)
        part.index = pd.MultiIndex.from_product([[pair_label(a, b)], part.index], names=["waves", dimension])
        frames.append(part)
    return pd.concat(frames)


# --------------------------------------------------------------------------- indices per wave
@dataclass
class WaveIndices:
    """0–100 index per construct per wave.

    ``table`` (index wave, construct): ``estimate``, ``std_error`` (bootstrap SD), ``ci_lower``, ``ci_upper``
    (percentile interval at ``level``), ``n_respondents``.  ``settings``: the PLS conventions, bootstrap size and
    kept resamples per wave, level, random_state, missing-value reports per wave.
    """

    table: pd.DataFrame
    settings: dict
    models: dict[str, PLSPathModel] = field(repr=False)
    bootstraps: dict[str, PLSBootstrapResult] = field(repr=False)

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    def wide(self, column: str = "estimate") -> pd.DataFrame:
        """One column of :attr:`table` as constructs (rows) × waves (columns), waves oldest first."""
        constructs = list(dict.fromkeys(self.table.index.get_level_values("construct")))
        return self.table[column].unstack("wave").reindex(index=constructs, columns=self.settings["waves"])


def wave_indices(waves: Mapping[str, pd.DataFrame], *, blocks, paths: Sequence[tuple[str, str]],
                 scale: tuple[float, float], scheme: str = "path", scaled: bool = True, missing: str = "error",
                 n_boot: int = 500, level: float = 0.95, random_state: int | None = None) -> WaveIndices:
    """Fit the PLS path model on each wave and bootstrap its 0–100 indices (Fornell et al. 1996; see the module docstring).

    ``blocks``: {construct: [items]} shared by the waves, or {wave: {construct: [items]}}; ``scale``: the items'
    (min, max).  Each wave gets its own random stream spawned from ``random_state`` (numpy ``SeedSequence``), so
    the waves' resamples are independent.
    """
    labels = _check_waves(waves)
    per_wave = _per_wave(blocks, labels, "blocks")
    n_boot = check_scalar(n_boot, "n_boot", low=2, integer=True)
    level = check_scalar(level, "level", low=0, high=1, low_inclusive=False, high_inclusive=False)
    random_state = check_random_state(random_state)
    if isinstance(random_state, np.random.Generator):
        raise CrmlabValueError("random_state must be None or a whole number >= 0 (one stream per wave is spawned from it), "
                               "got a Generator")
    seeds = np.random.SeedSequence(random_state).spawn(len(labels))
    rows, models, boots, kept, reports = [], {}, {}, {}, {}
    for label, seed in zip(labels, seeds):
        model = PLSPathModel(per_wave[label], paths, scheme=scheme, scaled=scaled)
        try:
            model.fit(waves[label], missing=missing, scale=scale)
            boot = model.bootstrap(n_boot, random_state=int(seed.generate_state(1)[0]), level=level)
        except CrmlabValueError as exc:
            raise CrmlabValueError(f"wave {label!r}: {exc}") from None
        index = boot.index
        for construct, row in index.iterrows():
            rows.append({"wave": label, "construct": construct, "estimate": row["estimate"], "std_error": row["std_error"],
                         "ci_lower": row["ci_lower"], "ci_upper": row["ci_upper"], "n_respondents": model.n_obs_})
        models[label], boots[label], kept[label] = model, boot, boot.n_boot
        reports[label] = model.missing_report_
    table = pd.DataFrame(rows).set_index(["wave", "construct"])
    settings = {"waves": labels, "index": "ACSI 0-100 (Fornell et al. 1996), item-scale outer weights", "scheme": scheme,
                "scaled": scaled, "missing": missing, "missing_reports": reports, "scale": tuple(scale),
                "n_boot": n_boot, "n_kept": kept, "level": level, "random_state": random_state,
                "interval": "bootstrap percentile", "std_error": "bootstrap SD (divisor B - 1)",
                "streams": "one independent random stream per wave (SeedSequence.spawn)"}
    return WaveIndices(table, settings, models, boots)


@dataclass
class Changes:
    """Changes between pairs of waves and their tests.

    ``table`` (index waves ``"a -> b"``, then construct or attribute): ``from_wave``, ``to_wave``, ``estimate``
    (b − a), ``std_error``, ``t_value``, ``p_value``, ``ci_lower``, ``ci_upper`` (at ``level``), ``p_adjusted``
    (within each pair) and ``significant`` (p_adjusted < 1 − level); ``settings`` names the test and conventions.
    """

    table: pd.DataFrame
    settings: dict

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    def significant(self) -> pd.DataFrame:
        """The rows whose change is significant."""
        return self.table[self.table["significant"]]


def index_changes(indices: WaveIndices, *, compare="consecutive", level: float | None = None,
                  adjust: str = "holm") -> Changes:
    """Test the change of every construct's index between pairs of waves (bootstrap-SE z test; module docstring)."""
    if not isinstance(indices, WaveIndices):
        raise CrmlabValueError(f"indices must be the WaveIndices of wave_indices(), got {type(indices).__name__}")
    check_choice(adjust, "adjust", ADJUSTMENTS)
    level = indices.settings["level"] if level is None else check_scalar(level, "level", low=0, high=1,
                                                                          low_inclusive=False, high_inclusive=False)
    est, se = indices.wide("estimate"), indices.wide("std_error")
    parts = {}
    for a, b in wave_pairs(indices.settings["waves"], compare):
        part = wald_table(est[b] - est[a], np.sqrt(se[a] ** 2 + se[b] ** 2), level=level, index_name="construct")
        parts[(a, b)] = part
    table = _pair_table(parts, dimension="construct", level=level, adjust=adjust)
    settings = {"compare": compare, "level": level, "adjust": adjust,
                "test": "z = change / sqrt(SE_a^2 + SE_b^2), independent waves, bootstrap SEs (Efron & Tibshirani 1993)",
                "interval": "normal (Wald) interval of the change", "adjustment_family": "constructs within a pair of waves"}
    return Changes(table, settings)


# --------------------------------------------------------------------------- importance–performance per wave
def wave_ipa(waves: Mapping[str, pd.DataFrame], *, performance, importance: str = "relative_weights",
             stated_importance=None, overall=None, scale: tuple[float, float],
             importance_scale: tuple[float, float] | None = None, overall_scale: tuple[float, float] | None = None,
             crosshair="mean", crosshair_basis: str = "each_wave", missing: str = "error") -> dict[str, IPAResult]:
    """An importance–performance analysis per wave (:class:`crmlab.ipa.ImportancePerformance`), oldest first.

    ``performance`` (and ``stated_importance``): {attribute: column} shared by the waves or {wave: {attribute:
    column}}; ``overall``: a column name or {wave: column}.  ``crosshair_basis="first_wave"`` places every later
    wave's crosshair where the first wave's rule put it (the settings say so); ``missing`` treats blank answers
    in the analysis columns as in :meth:`crmlab.pls.PLSPathModel.fit` ("error", "mean" or "drop"; the report is
    in ``settings["missing_report"]``).
    """
    labels = _check_waves(waves)
    check_choice(importance, "importance", IMPORTANCE_METHODS)
    check_choice(crosshair_basis, "crosshair_basis", CROSSHAIR_BASES)
    perf = _per_wave(performance, labels, "performance")
    stated = None if stated_importance is None else _per_wave(stated_importance, labels, "stated_importance")
    overall_col = ({w: overall for w in labels} if isinstance(overall, str) or overall is None else dict(overall))
    results, cross = {}, crosshair
    for label in labels:
        cols = list(perf[label].values()) + (list(stated[label].values()) if stated else [])
        cols += [overall_col[label]] if overall_col.get(label) and importance != "stated" else []
        try:
            frame, report = _prepare_items(waves[label], list(dict.fromkeys(cols)), missing, None, name=f"wave {label!r}")
            model = ImportancePerformance(performance=perf[label], importance=importance,
                                          stated_importance=stated[label] if stated else None,
                                          overall=overall_col.get(label), scale=scale, importance_scale=importance_scale,
                                          overall_scale=overall_scale, crosshair=cross).fit(frame)
        except CrmlabValueError as exc:
            raise CrmlabValueError(f"wave {label!r}: {exc}") from None
        result = model.result_
        result.settings.update({"crosshair_basis": crosshair_basis, "wave": label, "missing_report": report})
        if crosshair_basis == "first_wave" and label == labels[0]:
            cross = (result.crosshair["performance"], result.crosshair["importance"])
            result.settings["crosshair_rule"] = crosshair
        elif crosshair_basis == "first_wave":
            result.settings["crosshair_rule"] = crosshair
            result.settings["crosshair_from"] = labels[0]
        results[label] = result
    return results


@dataclass
class QuadrantMigration:
    """Each attribute's quadrant in pairs of waves.

    ``table`` (index waves ``"a -> b"``, attribute): ``from_wave``, ``to_wave``, ``quadrant_from``,
    ``quadrant_to``, ``moved``, ``performance_from``/``_to``, ``importance_from``/``_to``, ``zone`` and
    ``action`` (term keys of the quadrant in wave b).  ``quadrants``: attribute × wave letters with a ``changes``
    flag (:func:`crmlab.ipa.quadrant_changes`).  ``results``: the per-wave :class:`~crmlab.ipa.IPAResult`.
    """

    table: pd.DataFrame
    quadrants: pd.DataFrame
    results: dict[str, IPAResult] = field(repr=False)
    settings: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    def moved(self) -> pd.DataFrame:
        """The rows of attributes that changed quadrant."""
        return self.table[self.table["moved"]]


def quadrant_migration(results: Mapping[str, IPAResult], *, compare="consecutive") -> QuadrantMigration:
    """Compare the quadrants of the per-wave analyses of :func:`wave_ipa` between pairs of waves."""
    if not isinstance(results, Mapping) or len(results) < 2 or not all(isinstance(r, IPAResult) for r in results.values()):
        raise CrmlabValueError("results must map at least two wave labels to IPAResult objects (oldest first)")
    quadrants = quadrant_changes(results)
    frames = []
    for a, b in wave_pairs(list(results), compare):
        ta, tb = results[a].table, results[b].table.reindex(results[a].table.index)
        part = pd.DataFrame({"from_wave": a, "to_wave": b, "quadrant_from": ta["quadrant"], "quadrant_to": tb["quadrant"],
                             "moved": ta["quadrant"] != tb["quadrant"], "performance_from": ta["performance"],
                             "performance_to": tb["performance"], "importance_from": ta["importance"],
                             "importance_to": tb["importance"], "zone": tb["zone"], "action": tb["action"]})
        part.index = pd.MultiIndex.from_product([[pair_label(a, b)], ta.index], names=["waves", "attribute"])
        frames.append(part)
    first = next(iter(results.values())).settings
    settings = {"compare": compare, "method": first["method"], "crosshair": first.get("crosshair_rule", first["crosshair"]),
                "crosshair_basis": first.get("crosshair_basis", "each_wave"), "quadrant_ties": first["quadrant_ties"]}
    return QuadrantMigration(pd.concat(frames), quadrants, dict(results), settings)


def performance_changes(waves: Mapping[str, pd.DataFrame], *, performance, compare="consecutive",
                        level: float = 0.95, adjust: str = "holm") -> Changes:
    """Change of each attribute's mean performance between pairs of waves, Welch's (1947) t test.

    Δ = x̄_b − x̄_a, SE = √(s_a²/n_a + s_b²/n_b) (sample variances), Welch–Satterthwaite degrees of freedom
    df = SE⁴ / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1)), two-sided p and t interval; missing answers are
    left out per attribute.  ``p_adjusted``: Holm within each pair (``adjust``).
    """
    labels = _check_waves(waves)
    check_choice(adjust, "adjust", ADJUSTMENTS)
    level = check_scalar(level, "level", low=0, high=1, low_inclusive=False, high_inclusive=False)
    perf = _per_wave(performance, labels, "performance")
    moments = {}
    for label in labels:
        attrs, cols = list(perf[label]), list(perf[label].values())
        check_columns(waves[label], cols, name=f"wave {label!r}")
        check_numeric(waves[label], cols, name=f"wave {label!r}")
        values = waves[label][cols].to_numpy(dtype=float)
        if np.isinf(values).any():
            col = cols[int(np.flatnonzero(np.isinf(values).any(axis=0))[0])]
            raise CrmlabValueError(f"wave {label!r} column {col!r} has infinite values; ratings must be finite")
        n = (~np.isnan(values)).sum(axis=0)
        if (n < 2).any():
            raise CrmlabValueError(f"wave {label!r}: attribute(s) {_preview(np.array(attrs)[n < 2])} have fewer than 2 answers")
        moments[label] = (pd.Series(np.nanmean(values, axis=0), index=attrs), np.nanvar(values, axis=0, ddof=1) / n, n)
    parts = {}
    for a, b in wave_pairs(labels, compare):
        (ma, va, na), (mb, vb, nb) = moments[a], moments[b]
        mb = mb.reindex(ma.index)
        se2 = va + vb
        dof = se2**2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
        diff = (mb - ma).rename_axis("attribute")
        with np.errstate(divide="ignore", invalid="ignore"):
            t_val = diff.to_numpy() / np.sqrt(se2)
        q = stats.t.ppf(0.5 + level / 2, dof)
        parts[(a, b)] = pd.DataFrame({"estimate": diff, "std_error": np.sqrt(se2), "t_value": t_val,
                                      "p_value": 2 * stats.t.sf(np.abs(t_val), dof), "ci_lower": diff - q * np.sqrt(se2),
                                      "ci_upper": diff + q * np.sqrt(se2), "dof": dof})
    table = _pair_table(parts, dimension="attribute", level=level, adjust=adjust)
    return Changes(table, {"compare": compare, "level": level, "adjust": adjust,
                           "test": "Welch (1947) t test of the difference in mean performance, independent waves",
                           "adjustment_family": "attributes within a pair of waves"})


# --------------------------------------------------------------------------- tier KPIs by period
@dataclass
class TierKPITrack:
    """Tier KPIs of each pair of periods and their change.

    ``rates`` and ``counts``: metric (rows, :func:`crmlab.segmentation.tier_kpis` names) × pair of periods
    ``"a -> b"`` (columns, oldest first); ``changes``: the rates' change from each pair to the next, in percentage
    points (columns named by the later pair); ``tiers``: the tiers of each period; ``settings``.
    """

    rates: pd.DataFrame
    counts: pd.DataFrame
    changes: pd.DataFrame
    tiers: dict[str, TierResult] = field(repr=False)
    settings: dict = field(default_factory=dict)

    @property
    def table(self) -> pd.DataFrame:
        return self.rates

    def summary(self) -> pd.DataFrame:
        return self.rates.copy()


def tier_kpis_by_period(totals, *, value: str = "auto", shares: Sequence[float] = TIER_SHARES,
                        compare="consecutive") -> TierKPITrack:
    """Tiers per period by ``value`` and the KPIs (seed 002; :func:`crmlab.segmentation.tier_kpis`) of each pair of periods.

    ``totals``: the result of :meth:`crmlab.transactions.TransactionLog.period_totals` (periods in the
    chronological order of its ``settings["periods"]``).  ``value``: "profit" (needs a cost column), "revenue",
    or "auto" (profit when the log has costs).  Tiers take ``shares`` of each period's customers, top tier first
    (:func:`crmlab.segmentation.assign_tiers`).
    """
    check_choice(value, "value", TIER_VALUES)
    shares = tuple(check_weights(shares, "shares"))
    table, settings = getattr(totals, "table", None), getattr(totals, "settings", None)
    if not isinstance(table, pd.DataFrame) or not isinstance(settings, dict) or "periods" not in settings:
        raise CrmlabValueError("totals must be the result of TransactionLog.period_totals()")
    column = ("profit" if "profit" in table else "revenue") if value == "auto" else value
    if column not in table:
        raise CrmlabValueError(f"value={value!r} needs a {column!r} column in the period totals (a cost column in the "
                               "log for profit); use value='revenue'")
    by_period = totals.by_period()
    periods = [p for p in settings["periods"] if p in by_period]
    if len(periods) < 2:
        raise CrmlabValueError(f"tier KPIs need at least two periods with purchases; the log has {periods} "
                               f"(partial periods left out: {settings.get('partial_periods')})")
    tiers = {p: assign_tiers(by_period[p][column], shares=shares) for p in periods}
    rates, counts = {}, {}
    for a, b in wave_pairs(periods, compare):
        kpis = tier_kpis(tiers[a].tiers, tiers[b].tiers)
        rates[pair_label(a, b)] = kpis.rates[list(KPI_RATES)].astype(float)
        counts[pair_label(a, b)] = kpis.rates[list(KPI_COUNTS)].astype(int)
    rates, counts = pd.DataFrame(rates).rename_axis("metric"), pd.DataFrame(counts).rename_axis("metric")
    changes = (100 * rates.diff(axis=1)).iloc[:, 1:].round(10)  # points; rounding drops float noise of equal rates
    return TierKPITrack(rates, counts, changes, tiers,
                        {"value": column, "shares": tuple(shares), "compare": compare, "periods": periods,
                         "partial_periods": settings.get("partial_periods"), "purchase_rule": settings.get("purchase_rule"),
                         "rates": "over the customers of the first period of each pair (seed 002)",
                         "changes": "percentage points, each pair against the one before"})
