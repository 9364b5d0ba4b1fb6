"""Bundled attribute survey for importance–performance analysis, generated with KNOWN importances.

A supermarket chain's customer survey (synthetic, seeded): ``n`` respondents rate
ten attributes on a 1–7 scale for *our* store (``perf_<attribute>``) and for the
main *competitor* (``comp_<attribute>``), state how important each attribute is
to them on a 1–7 scale (``imp_<attribute>``), and give an overall satisfaction on
a 1–10 scale (``overall``).

Generating model (the ground truth, also in :data:`TRUE_PARAMETERS`):

* performance: latent x*_ij = μ_j + 0.6·f_i + ε_ij, f_i, ε_ij ~ N(0, 1) (f is a
  halo factor that correlates the attributes), rating = clip(round(x*), 1, 7);
* overall: y*_i = c + Σ_j b_j · rating_ij + u_i, u_i ~ N(0, 0.8²), c = −3.6,
  overall = clip(round(y*), 1, 10).  **b_j is the known importance**: the raw
  regression coefficient of overall satisfaction on the attribute rating
  (overall-scale points per rating point).  Because y* is built on the observed
  ratings, OLS of overall on the ratings recovers b (rounding of y adds noise only;
  clipping at 1 or 10 is rare at these values);
* stated importance: clip(round(N(s_j, 0.9²)), 1, 7) — deliberately not the same
  ordering as b (price is *said* to matter most but drives satisfaction less;
  staff friendliness the reverse; cleanliness is a "hygiene" factor), the classic
  stated-vs-derived contrast;
* competitor: latent ν_j + 0.6·g_i + ε, rating = clip(round(·), 1, 7).

With the default seed the designed quadrants (mean crosshair, derived importance)
are: A product_quality, freshness; B checkout_speed, price; C parking,
loyalty_program; D cleanliness, opening_hours; product_range and
staff_friendliness sit near the crosshair (fragile assignments).

A second bundled file, ``data/ipma_survey.csv``, serves the model-based
importance–performance map (Ringle & Sarstedt 2016): an ECSI-style survey
(``n`` = 250, items on a 1–10 scale) with constructs image (imag1–3),
expectation (expe1–3), perceived quality (qual1–4), perceived value (val1–2) and
satisfaction (sat1–3).  Standardized latent variables follow the structural model
:data:`IPMA_PATHS` (disturbance variances set so every latent variance is 1); each
item = clip(round(μ_c + 1.5·(0.85·η + √(1 − 0.85²)·ε)), 1, 10) with construct
means :data:`IPMA_MEANS`.  The known standardized total effects on satisfaction
(:func:`ipma_true_total_effects`) are quality 0.60, expectation 0.43, image 0.415,
value 0.25.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..validation import check_scalar

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "ipa_survey.csv"
DEFAULT_N = 400
DEFAULT_SEED = 20240402

TRUE_PARAMETERS = pd.DataFrame(
    {
        "latent_performance_mean": [4.3, 5.6, 4.9, 5.4, 4.1, 5.0, 5.7, 4.0, 5.8, 4.2],
        "overall_coefficient": [0.30, 0.40, 0.18, 0.35, 0.35, 0.25, 0.08, 0.05, 0.05, 0.08],
        "stated_importance_mean": [6.4, 6.2, 5.0, 6.0, 5.6, 4.6, 5.8, 4.2, 4.4, 3.8],
        "competitor_latent_mean": [4.9, 5.3, 5.2, 4.9, 4.8, 4.8, 5.5, 4.6, 5.4, 4.6],
        "label_en": ["Price", "Product quality", "Product range", "Freshness", "Checkout speed",
                     "Staff friendliness", "Cleanliness", "Parking", "Opening hours", "Loyalty programme"],
        "label_zh": ["价格", "商品质量", "商品种类", "生鲜新鲜度", "结账速度",
                     "员工友好", "店面整洁", "停车便利", "营业时间", "会员计划"],
    },
    index=pd.Index(["price", "product_quality", "product_range", "freshness", "checkout_speed",
                    "staff_friendliness", "cleanliness", "parking", "opening_hours", "loyalty_program"], name="attribute"),
)
"""Known generating values per attribute; ``overall_coefficient`` is the true (raw) importance."""

INTERCEPT = -3.6
NOISE_SD = 0.8
HALO_LOADING = 0.6
STATED_SD = 0.9
SCALE = (1, 7)
OVERALL_SCALE = (1, 10)


IPMA_FILE = DATA_FILE.with_name("ipma_survey.csv")
IPMA_N = 250
IPMA_SEED = 20240403
IPMA_CONSTRUCTS = ("image", "expectation", "quality", "value", "satisfaction")
IPMA_BLOCKS = {
    "image": ["imag1", "imag2", "imag3"],
    "expectation": ["expe1", "expe2", "expe3"],
    "quality": ["qual1", "qual2", "qual3", "qual4"],
    "value": ["val1", "val2"],
    "satisfaction": ["sat1", "sat2", "sat3"],
}
IPMA_PATHS = {
    ("image", "expectation"): 0.50,
    ("expectation", "quality"): 0.55,
    ("quality", "value"): 0.60,
    ("image", "satisfaction"): 0.20,
    ("expectation", "satisfaction"): 0.10,
    ("quality", "satisfaction"): 0.45,
    ("value", "satisfaction"): 0.25,
}
"""Standardized structural coefficients (source, target) -> coefficient of the IPMA survey."""
IPMA_LABELS = {
    "image": ("Image", "企业形象"),
    "expectation": ("Expectation", "顾客期望"),
    "quality": ("Perceived quality", "感知质量"),
    "value": ("Perceived value", "感知价值"),
    "satisfaction": ("Satisfaction", "顾客满意度"),
}
IPMA_MEANS = {"image": 7.2, "expectation": 7.6, "quality": 6.6, "value": 5.8, "satisfaction": 6.8}
IPMA_LOADING = 0.85
IPMA_ITEM_SD = 1.5
IPMA_SCALE = (1, 10)


def _ipma_path_matrix() -> np.ndarray:
    idx = {c: k for k, c in enumerate(IPMA_CONSTRUCTS)}
    B = np.zeros((len(IPMA_CONSTRUCTS),) * 2)
    for (src, dst), b in IPMA_PATHS.items():
        B[idx[dst], idx[src]] = b
    return B


def ipma_true_total_effects(target: str = "satisfaction") -> pd.Series:
    """Known standardized total effects of every construct on ``target``: rows of (I − B)⁻¹ − I."""
    B = _ipma_path_matrix()
    total = np.linalg.inv(np.eye(len(B)) - B) - np.eye(len(B))
    k = IPMA_CONSTRUCTS.index(target)
    out = pd.Series(total[k], index=list(IPMA_CONSTRUCTS), name=f"true_total_effect_on_{target}")
    return out[out != 0]


def generate_ipma_survey(n: int = IPMA_N, *, random_state: int | None = IPMA_SEED) -> pd.DataFrame:
    """Simulate the ECSI-style IPMA survey from :data:`IPMA_PATHS` (integer items on 1–10)."""
    n = check_scalar(n, "n", low=10, integer=True)
    rng = np.random.default_rng(random_state)
    B = _ipma_path_matrix()
    L = len(IPMA_CONSTRUCTS)
    latent = np.zeros((n, L))
    cov = np.zeros((L, L))
    for k in range(L):  # constructs are listed in causal order
        b = B[k, :k]
        explained = b @ cov[:k, :k] @ b
        latent[:, k] = latent[:, :k] @ b + np.sqrt(1 - explained) * rng.standard_normal(n)
        cov[k, :k] = cov[:k, :k] @ b
        cov[:k, k] = cov[k, :k]
        cov[k, k] = 1.0
    columns = {}
    for k, construct in enumerate(IPMA_CONSTRUCTS):
        for item in IPMA_BLOCKS[construct]:
            noise = rng.standard_normal(n)
            value = IPMA_MEANS[construct] + IPMA_ITEM_SD * (IPMA_LOADING * latent[:, k] + np.sqrt(1 - IPMA_LOADING**2) * noise)
            columns[item] = _ratings(value, *IPMA_SCALE)
    return pd.DataFrame(columns)


def attributes() -> list[str]:
    """Attribute names of the bundled survey."""
    return list(TRUE_PARAMETERS.index)


def column_mapping() -> dict[str, dict[str, str]]:
    """Attribute -> column mappings of the bundled survey for ``performance``, ``stated_importance`` and ``competitor``."""
    return {
        "performance": {a: f"perf_{a}" for a in attributes()},
        "stated_importance": {a: f"imp_{a}" for a in attributes()},
        "competitor": {a: f"comp_{a}" for a in attributes()},
    }


def survey_study() -> dict:
    """The bundled attribute survey as a study description (kind ``survey``, crmlab.study), with its absolute path."""
    cols = column_mapping()
    return {"kind": "survey", "path": str(DATA_FILE), "id": "respondent", "scale": list(SCALE),
            "attributes": cols["performance"], "stated_importance": cols["stated_importance"],
            "importance_scale": list(SCALE), "competitor": cols["competitor"], "overall": "overall",
            "overall_scale": list(OVERALL_SCALE)}


def ipma_study() -> dict:
    """The bundled IPMA survey as a study description (kind ``survey`` with constructs and paths), absolute path."""
    return {"kind": "survey", "path": str(IPMA_FILE), "scale": list(IPMA_SCALE),
            "constructs": {c: list(items) for c, items in IPMA_BLOCKS.items()},
            "paths": [list(p) for p in IPMA_PATHS]}


def attribute_labels(lang: str = "en") -> dict[str, str]:
    """Display names of the attributes in ``lang`` ("en" or "zh")."""
    from ..i18n import check_lang

    check_lang(lang)
    return TRUE_PARAMETERS[f"label_{lang}"].to_dict()


def ipma_construct_labels(lang: str = "en") -> dict[str, str]:
    """Display names of the IPMA survey's constructs in ``lang`` ("en" or "zh")."""
    from ..i18n import check_lang

    check_lang(lang)
    return {c: pair[lang == "zh"] for c, pair in IPMA_LABELS.items()}


def _ratings(latent: np.ndarray, low: int, high: int) -> np.ndarray:
    return np.clip(np.rint(latent), low, high).astype(int)


def generate_ipa_survey(n: int = DEFAULT_N, *, random_state: int | None = DEFAULT_SEED) -> pd.DataFrame:
    """Simulate the attribute survey from :data:`TRUE_PARAMETERS` (one row per respondent, integer ratings)."""
    n = check_scalar(n, "n", low=10, integer=True)
    rng = np.random.default_rng(random_state)
    tp = TRUE_PARAMETERS
    p = len(tp)
    halo = rng.standard_normal((n, 1))
    perf = _ratings(tp["latent_performance_mean"].to_numpy() + HALO_LOADING * halo + rng.standard_normal((n, p)), *SCALE)
    overall_latent = INTERCEPT + perf @ tp["overall_coefficient"].to_numpy() + NOISE_SD * rng.standard_normal(n)
    overall = _ratings(overall_latent, *OVERALL_SCALE)
    stated = _ratings(tp["stated_importance_mean"].to_numpy() + STATED_SD * rng.standard_normal((n, p)), *SCALE)
    comp_halo = rng.standard_normal((n, 1))
    comp = _ratings(tp["competitor_latent_mean"].to_numpy() + HALO_LOADING * comp_halo + rng.standard_normal((n, p)), *SCALE)
    cols = column_mapping()
    out = pd.DataFrame({"respondent": np.arange(1, n + 1)})
    out = pd.concat(
        [
            out,
            pd.DataFrame(perf, columns=list(cols["performance"].values())),
            pd.DataFrame(stated, columns=list(cols["stated_importance"].values())),
            pd.DataFrame(comp, columns=list(cols["competitor"].values())),
            pd.DataFrame({"overall": overall}),
        ],
        axis=1,
    )
    return out


def write_ipa_survey(path: str | Path = DATA_FILE) -> Path:
    """Write the bundled survey (default size and seed) to ``path`` as CSV and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    generate_ipa_survey().to_csv(path, index=False)
    return path


def write_ipma_survey(path: str | Path = IPMA_FILE) -> Path:
    """Write the bundled IPMA survey (default size and seed) to ``path`` as CSV and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    generate_ipma_survey().to_csv(path, index=False)
    return path


def write_datasets(data_dir: str | Path = DATA_FILE.parent) -> list[Path]:
    """Write both bundled IPA surveys into ``data_dir`` and return their paths."""
    data_dir = Path(data_dir)
    return [write_ipa_survey(data_dir / DATA_FILE.name), write_ipma_survey(data_dir / IPMA_FILE.name)]


def load_ipa_survey(path: str | Path = DATA_FILE) -> pd.DataFrame:
    """Read the bundled survey (or a file with the same layout)."""
    return pd.read_csv(path)


def main() -> None:
    """Regenerate ``data/ipa_survey.csv`` and ``data/ipma_survey.csv``."""
    for path in write_datasets():
        print(path)


if __name__ == "__main__":
    main()
