"""Bundled satisfaction data (SPEC §1), each generated from documented true parameters.

Run ``python -m crmlab.datasets.satisfaction`` to (re)write the CSVs in ``data/``;
:func:`teaching_studies` describes them as study descriptions (:mod:`crmlab.study`), the form a user
gives their own files in, and :data:`CDV_EXAMPLE_OFFERS` is the worked delivered-value example:

``acsi_survey.csv``
    500 respondents, 14 items on a 1–10 scale, generated from the ACSI structure
    (Fornell et al. 1996, "The American Customer Satisfaction Index", *J. Marketing* 60(4);
    seed 003 §2.3.1(2)): customer expectations (EXPE), perceived quality (QUAL) and
    perceived value (VAL) → satisfaction (SAT) → complaints (COMP), loyalty (LOY).
    Latent variables are standard normal with the standardized path coefficients in
    :data:`ACSI_TRUE_PATHS` (residual variances chosen so every construct has variance 1);
    each item is ``loading · construct + noise`` with the loadings in :data:`ACSI_LOADINGS`,
    then mapped to ``round(mean + 1.6 · value)`` and clipped to 1–10 (construct means in
    :data:`ACSI_ITEM_MEANS`).  Rounding, clipping and measurement error make estimates from
    item composites (PLS) slightly attenuated (the known bias of PLS with few items; Dijkstra & Henseler 2015):
    they recover the true paths to within about 0.1.  Column ``wave`` (1 or 2) splits the
    respondents into two survey waves for the two-group comparison: each respondent's wave is
    drawn with probability 1/2 from its own random stream (seed ``random_state + 100``),
    independently of the items, so the true model is the same in both waves — a permutation
    test should find no path difference and MICOM full measurement invariance.
``kano_answers.csv``
    200 respondents × 6 attributes of a mobile-banking app, functional (``<attr>_f``) and
    dysfunctional (``<attr>_d``) answers coded 1–5 (like … dislike).  Each respondent's
    category for an attribute is drawn from :data:`KANO_TRUE_PROBABILITIES`; the answer pair is
    a uniformly chosen cell of the Kano evaluation table with that category.
``servqual.csv``
    200 respondents, the 22 SERVQUAL items (Parasuraman, Zeithaml & Berry 1988) on a 1–7 scale,
    expectation ``e_<item>`` and perception ``p_<item>``.  Expectation = 5.6 + 0.6·z,
    perception = expectation + true dimension gap (:data:`SERVQUAL_TRUE_GAPS`) + 0.8·z',
    rounded and clipped to 1–7.  :data:`SERVQUAL_IMPORTANCE` is the 100-point importance
    allocation across the five dimensions.
``loyalty_purchases.csv``
    One row per category purchase of 600 customers in two market settings (seed 003
    §2.3.2(5)): ``customer, market, satisfaction (1–10), brand, amount``.  Each purchase goes
    to our brand ``"ours"`` with probability :func:`true_loyalty_probability` (a steep rise
    only at high satisfaction in the ``competitive`` market; high loyalty except at very low
    satisfaction in the ``non_competitive`` market), otherwise to ``"rival_b"``/``"rival_c"``;
    1 + Poisson(7) purchases per customer, amounts lognormal (median 50, independent of brand),
    so share of wallet and repeat-purchase rate both have expectation equal to that probability.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..results import pair_label

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SCALE_ACSI = (1, 10)
SCALE_SERVQUAL = (1, 7)

ACSI_BLOCKS: dict[str, list[str]] = {
    "EXPE": ["expe1", "expe2", "expe3"],
    "QUAL": ["qual1", "qual2", "qual3"],
    "VAL": ["val1", "val2"],
    "SAT": ["sat1", "sat2", "sat3"],
    "COMP": ["comp1"],
    "LOY": ["loy1", "loy2"],
}
ACSI_TRUE_PATHS: dict[tuple[str, str], float] = {
    ("EXPE", "QUAL"): 0.55,
    ("EXPE", "VAL"): 0.15,
    ("QUAL", "VAL"): 0.55,
    ("EXPE", "SAT"): 0.10,
    ("QUAL", "SAT"): 0.45,
    ("VAL", "SAT"): 0.35,
    ("SAT", "COMP"): -0.45,
    ("SAT", "LOY"): 0.60,
    ("COMP", "LOY"): -0.20,
}
ACSI_LOADINGS: dict[str, float] = {
    "expe1": 0.93, "expe2": 0.95, "expe3": 0.91,
    "qual1": 0.96, "qual2": 0.94, "qual3": 0.93,
    "val1": 0.96, "val2": 0.95,
    "sat1": 0.97, "sat2": 0.95, "sat3": 0.94,
    "comp1": 0.97,
    "loy1": 0.96, "loy2": 0.94,
}
ACSI_ITEM_MEANS: dict[str, float] = {"EXPE": 7.4, "QUAL": 7.6, "VAL": 6.6, "SAT": 7.2, "COMP": 3.2, "LOY": 7.0}
ACSI_ITEM_SD = 1.6

KANO_TRUE_PROBABILITIES: dict[str, dict[str, float]] = {
    "reliable_login": {"A": 0.05, "O": 0.20, "M": 0.55, "I": 0.15, "R": 0.02, "Q": 0.03},
    "fast_transfers": {"A": 0.15, "O": 0.50, "M": 0.20, "I": 0.12, "R": 0.01, "Q": 0.02},
    "spending_insights": {"A": 0.50, "O": 0.15, "M": 0.05, "I": 0.25, "R": 0.03, "Q": 0.02},
    "fee_alerts": {"A": 0.20, "O": 0.45, "M": 0.15, "I": 0.15, "R": 0.02, "Q": 0.03},
    "chat_support": {"A": 0.20, "O": 0.10, "M": 0.10, "I": 0.50, "R": 0.05, "Q": 0.05},
    "face_id": {"A": 0.48, "O": 0.20, "M": 0.10, "I": 0.17, "R": 0.03, "Q": 0.02},
}

SERVQUAL_DIMENSIONS: dict[str, list[str]] = {
    "tangibles": ["tan1", "tan2", "tan3", "tan4"],
    "reliability": ["rel1", "rel2", "rel3", "rel4", "rel5"],
    "responsiveness": ["res1", "res2", "res3", "res4"],
    "assurance": ["ass1", "ass2", "ass3", "ass4"],
    "empathy": ["emp1", "emp2", "emp3", "emp4", "emp5"],
}
SERVQUAL_TRUE_GAPS: dict[str, float] = {
    "tangibles": -0.3, "reliability": -1.2, "responsiveness": -0.9, "assurance": -0.5, "empathy": -0.7,
}
SERVQUAL_IMPORTANCE: dict[str, float] = {
    "tangibles": 11.0, "reliability": 32.0, "responsiveness": 22.0, "assurance": 19.0, "empathy": 16.0,
}

MARKETS = ("competitive", "non_competitive")

#: Kotler's customer delivered value, a worked example in money units per purchase: our offer
#: has a lower price and more service than the rival's, the rival a slightly better product.
CDV_EXAMPLE_OFFERS: dict[str, dict[str, float]] = {
    "ours": {"product": 500, "service": 120, "personnel": 60, "image": 70,
             "monetary": 420, "time": 40, "energy": 30, "physical": 10},
    "rival": {"product": 520, "service": 80, "personnel": 40, "image": 60,
              "monetary": 400, "time": 60, "energy": 50, "physical": 20},
}


def acsi_true_paths() -> pd.Series:
    """The documented true standardized path coefficients, indexed ``"A -> B"``."""
    return pd.Series({pair_label(a, b): c for (a, b), c in ACSI_TRUE_PATHS.items()}, name="true").rename_axis("path")


def acsi_recovery(**estimates: pd.Series) -> pd.DataFrame:
    """True paths beside named estimates (Series indexed ``"A -> B"``, e.g. ``inner_model_["estimate"]``) and their errors.

    ``acsi_recovery(pls=..., plsc=...)`` → columns ``true``, ``pls``, ``plsc``, ``pls_error``, ``plsc_error``
    (error = estimate − true).
    """
    out = acsi_true_paths().to_frame()
    for name, values in estimates.items():
        out[name] = pd.Series(values).reindex(out.index)
    for name in estimates:
        out[f"{name}_error"] = out[name] - out["true"]
    return out


def acsi_true_r2() -> pd.Series:
    """True R² of each endogenous construct implied by :data:`ACSI_TRUE_PATHS` (latent variances are 1)."""
    order = list(ACSI_BLOCKS)
    cov = _latent_covariance(order)
    out = {}
    for j, target in enumerate(order):
        preds = [(order.index(a), c) for (a, b), c in ACSI_TRUE_PATHS.items() if b == target]
        if preds:
            idx, beta = np.array([p for p, _ in preds]), np.array([c for _, c in preds])
            out[target] = float(beta @ cov[np.ix_(idx, idx)] @ beta)
    return pd.Series(out, name="r2")


def _latent_covariance(order: list[str]) -> np.ndarray:
    """Implied covariance of the standardized latent variables, built construct by construct."""
    k = len(order)
    cov = np.eye(k)
    for j, target in enumerate(order):
        preds = [(order.index(a), c) for (a, b), c in ACSI_TRUE_PATHS.items() if b == target]
        if not preds:
            continue
        idx = np.array([p for p, _ in preds])
        beta = np.array([c for _, c in preds])
        cov[j, :j] = cov[:j, :j][:, idx] @ beta
        cov[:j, j] = cov[j, :j]
    return cov


def simulate_acsi_survey(n: int = 500, *, random_state: int = 1) -> pd.DataFrame:
    """Simulate the ACSI survey described in the module docstring (items on 1–10)."""
    rng = np.random.default_rng(random_state)
    order = list(ACSI_BLOCKS)
    cov = _latent_covariance(order)
    latent = rng.multivariate_normal(np.zeros(len(order)), cov, size=n, method="cholesky")
    items = {}
    for j, construct in enumerate(order):
        for item in ACSI_BLOCKS[construct]:
            lam = ACSI_LOADINGS[item]
            x = lam * latent[:, j] + np.sqrt(1 - lam**2) * rng.standard_normal(n)
            items[item] = np.clip(np.rint(ACSI_ITEM_MEANS[construct] + ACSI_ITEM_SD * x), *SCALE_ACSI).astype(int)
    out = pd.DataFrame(items)
    out.insert(0, "respondent", np.arange(1, n + 1))
    out["wave"] = np.random.default_rng(random_state + 100).integers(1, 3, size=n)  # independent of the items
    return out


def _kano_cells() -> dict[str, list[tuple[int, int]]]:
    from ..kano import evaluation_table

    table = evaluation_table().to_numpy()
    return {c: [(i + 1, j + 1) for i in range(5) for j in range(5) if table[i, j] == c] for c in "AOMIRQ"}


def simulate_kano_answers(n: int = 200, *, random_state: int = 7) -> pd.DataFrame:
    """Simulate Kano answer pairs (codes 1–5) from :data:`KANO_TRUE_PROBABILITIES`."""
    rng = np.random.default_rng(random_state)
    cells = _kano_cells()
    out = {"respondent": np.arange(1, n + 1)}
    for attr, probs in KANO_TRUE_PROBABILITIES.items():
        cats = rng.choice(list(probs), size=n, p=list(probs.values()))
        pick = rng.random(n)
        f = np.empty(n, dtype=int)
        d = np.empty(n, dtype=int)
        for c, options in cells.items():
            mask = cats == c
            chosen = np.array(options)[(pick[mask] * len(options)).astype(int)]
            f[mask], d[mask] = chosen[:, 0], chosen[:, 1]
        out[f"{attr}_f"], out[f"{attr}_d"] = f, d
    return pd.DataFrame(out)


def kano_attributes() -> dict[str, tuple[str, str]]:
    """Attribute → (functional column, dysfunctional column) mapping of ``kano_answers.csv``."""
    from ..kano import attribute_pairs

    return attribute_pairs([c for a in KANO_TRUE_PROBABILITIES for c in (f"{a}_f", f"{a}_d")])


def simulate_servqual(n: int = 200, *, random_state: int = 11) -> pd.DataFrame:
    """Simulate SERVQUAL expectation and perception items (1–7) with the true dimension gaps."""
    rng = np.random.default_rng(random_state)
    cols = {"respondent": np.arange(1, n + 1)}
    for dim, items in SERVQUAL_DIMENSIONS.items():
        for item in items:
            e = 5.6 + 0.6 * rng.standard_normal(n)
            p = e + SERVQUAL_TRUE_GAPS[dim] + 0.8 * rng.standard_normal(n)
            cols[f"e_{item}"] = np.clip(np.rint(e), *SCALE_SERVQUAL).astype(int)
            cols[f"p_{item}"] = np.clip(np.rint(p), *SCALE_SERVQUAL).astype(int)
    return pd.DataFrame(cols)


def true_loyalty_probability(satisfaction, market: str) -> np.ndarray:
    """Probability that a category purchase goes to our brand, given satisfaction (1–10) and market."""
    s = np.asarray(satisfaction, dtype=float)
    if market == "competitive":
        return 0.15 + 0.75 / (1 + np.exp(-1.6 * (s - 8.0)))
    if market == "non_competitive":
        return 0.85 - 0.6 / (1 + np.exp(1.5 * (s - 3.0)))
    raise ValueError(f"market must be one of {MARKETS}, got {market!r}")


def simulate_loyalty_purchases(n_per_market: int = 300, *, random_state: int = 5) -> pd.DataFrame:
    """Simulate category purchases for customers in both market settings (see module docstring)."""
    rng = np.random.default_rng(random_state)
    frames = []
    for m, market in enumerate(MARKETS):
        sat = np.clip(np.rint(1 + 9 * rng.beta(2.2, 1.6, n_per_market)), 1, 10).astype(int)
        n_buy = 1 + rng.poisson(7, n_per_market)
        cust = np.repeat(np.arange(n_per_market) + 1 + m * n_per_market, n_buy)
        s_rep = np.repeat(sat, n_buy)
        ours = rng.random(cust.size) < true_loyalty_probability(s_rep, market)
        rival = np.where(rng.random(cust.size) < 0.5, "rival_b", "rival_c")
        frames.append(pd.DataFrame({
            "customer": cust, "market": market, "satisfaction": s_rep,
            "brand": np.where(ours, "ours", rival),
            "amount": np.round(50 * np.exp(0.4 * rng.standard_normal(cust.size)), 2),
        }))
    return pd.concat(frames, ignore_index=True)


GENERATORS = {
    "acsi_survey": simulate_acsi_survey,
    "kano_answers": simulate_kano_answers,
    "servqual": simulate_servqual,
    "loyalty_purchases": simulate_loyalty_purchases,
}


def _load(name: str, path: str | Path | None) -> pd.DataFrame:
    return pd.read_csv(Path(path) if path is not None else DATA_DIR / f"{name}.csv")


def load_acsi_survey(path: str | Path | None = None) -> pd.DataFrame:
    """The bundled ACSI-style survey (``data/acsi_survey.csv``)."""
    return _load("acsi_survey", path)


def load_kano_answers(path: str | Path | None = None) -> pd.DataFrame:
    """The bundled Kano answers (``data/kano_answers.csv``)."""
    return _load("kano_answers", path)


def load_servqual(path: str | Path | None = None) -> pd.DataFrame:
    """The bundled SERVQUAL expectation/perception survey (``data/servqual.csv``)."""
    return _load("servqual", path)


def load_loyalty_purchases(path: str | Path | None = None) -> pd.DataFrame:
    """The bundled purchase records for the loyalty measures (``data/loyalty_purchases.csv``)."""
    return _load("loyalty_purchases", path)


def teaching_studies() -> dict[str, dict]:
    """Study descriptions (:mod:`crmlab.study`) of the bundled files, as a user would write them.

    Notebook 01 runs its teaching walk-through through the same code path as a user's data:
    ``survey`` (the ACSI survey: constructs, paths, overall item ``sat1``, group ``wave``),
    ``servqual_survey``, ``kano_survey`` and ``purchases``.  Paths are absolute, so the
    notebooks read them from any working directory.
    """
    def path(name):
        return str(DATA_DIR / f"{name}.csv")

    return {
        "survey": {"kind": "survey", "path": path("acsi_survey"), "id": "respondent", "scale": list(SCALE_ACSI),
                   "constructs": {c: list(items) for c, items in ACSI_BLOCKS.items()},
                   "paths": [[a, b] for a, b in ACSI_TRUE_PATHS], "overall": "sat1", "group": "wave"},
        "servqual_survey": {"kind": "survey", "path": path("servqual"), "id": "respondent",
                            "scale": list(SCALE_SERVQUAL),
                            "servqual": {"dimensions": {d: list(i) for d, i in SERVQUAL_DIMENSIONS.items()},
                                         "perception_prefix": "p_", "expectation_prefix": "e_",
                                         "importance": dict(SERVQUAL_IMPORTANCE)}},
        "kano_survey": {"kind": "survey", "path": path("kano_answers"), "id": "respondent", "scale": [1, 5],
                        "kano": {a: list(pair) for a, pair in kano_attributes().items()}},
        "purchases": {"kind": "purchases", "path": path("loyalty_purchases"), "customer_id": "customer",
                      "brand": "brand", "monetary_value": "amount", "our_brand": "ours", "market": "market",
                      "satisfaction": "satisfaction"},
    }


def write_datasets(data_dir: str | Path = DATA_DIR) -> list[Path]:
    """Regenerate every bundled satisfaction CSV in ``data_dir`` and return the paths."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, generate in GENERATORS.items():
        path = data_dir / f"{name}.csv"
        generate().to_csv(path, index=False, lineterminator="\n")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_datasets():
        print(p)
