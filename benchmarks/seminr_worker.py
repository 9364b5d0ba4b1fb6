"""Run the seminr PyPI port (from its own venv) on the ECSI and mobi models and print JSON.

Called by ``bench_pls.py`` through ``subprocess`` with the interpreter of a
separate virtual environment that has ``seminr`` installed, so crmlab's own
environment never depends on it.  Usage::

    /path/to/seminr-venv/bin/python seminr_worker.py SHARED_DATA_DIR N_FITS N_BOOT < ecsi_model.json

The ECSI model (``crmlab.pls.ECSI_BLOCKS`` / ``ECSI_PATHS``) arrives as JSON on stdin,
since this interpreter has no crmlab.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd



def _named(nm) -> pd.DataFrame:
    return pd.DataFrame(np.asarray(nm.values), index=list(nm.rows), columns=list(nm.cols))


def main(shared: Path, n_fits: int, n_boot: int, ECSI_BLOCKS: dict, ECSI_PATHS: list) -> dict:  # noqa: N803
    import seminr as sm  # only inside seminr's own venv

    out: dict = {"seminr_version": sm.__version__}
    ecsi = pd.read_csv(shared / "ecsi" / "satisfaction.csv", index_col=0)
    mm = sm.constructs(*(sm.composite(k, v) for k, v in ECSI_BLOCKS.items()))
    smod = sm.relationships(*(sm.paths(from_=a, to=b) for a, b in ECSI_PATHS))
    data = ecsi[sum(ECSI_BLOCKS.values(), [])]
    fit = sm.estimate_pls(data, mm, smod)
    times = []
    for _ in range(n_fits):
        t0 = time.perf_counter()
        fit = sm.estimate_pls(data, mm, smod)
        times.append(time.perf_counter() - t0)
    out["ecsi_fit_median_s"] = float(np.median(times))
    out["ecsi_paths_path_scheme"] = _named(fit.path_coef).to_dict()
    out["ecsi_weights_path_scheme"] = _named(fit.outer_weights).sum(axis=1).to_dict()
    out["ecsi_htmt"] = _named(sm.htmt(fit)).to_dict()
    t0 = time.perf_counter()
    sm.bootstrap_model(fit, nboot=n_boot, seed=1)
    out["ecsi_boot_s"] = time.perf_counter() - t0
    out["ecsi_boot_n"] = n_boot
    t0 = time.perf_counter()
    sm.predict_pls(fit, technique=sm.predict_EA, no_folds=10, seed=1)
    out["ecsi_predict_10fold_s"] = time.perf_counter() - t0

    # seminr's own basic example on mobi.csv against R seminr's published reference
    mobi = pd.read_csv(shared / "ecsi" / "mobi.csv", index_col=0)
    mobi_mm = sm.constructs(
        sm.composite("Image", sm.multi_items("IMAG", range(1, 6))),
        sm.composite("Expectation", sm.multi_items("CUEX", range(1, 4))),
        sm.composite("Quality", sm.multi_items("PERQ", range(1, 8)), weights=sm.mode_B),
        sm.composite("Complaints", sm.single_item("CUSCO")),
        sm.composite("Loyalty", sm.multi_items("CUSL", range(1, 4))),
    )
    mobi_sm = sm.relationships(
        sm.paths(from_="Image", to="Expectation"),
        sm.paths(from_=["Expectation", "Quality", "Complaints"], to="Loyalty"),
    )
    mfit = sm.estimate_pls(mobi, mobi_mm, mobi_sm)
    ref_w = pd.read_csv(shared / "ecsi" / "seminr-mobi-basic-outer-model.csv", index_col=0)
    ref_p = pd.read_csv(shared / "ecsi" / "seminr-mobi-basic-paths.csv", index_col=0)
    w = _named(mfit.outer_weights).sum(axis=1).reindex(ref_w.index)
    lo = _named(mfit.outer_loadings).sum(axis=1).reindex(ref_w.index)
    p = _named(mfit.path_coef).reindex(index=ref_p.index, columns=ref_p.columns)
    out["mobi_max_abs_dev_weights"] = float((w - ref_w["weight"]).abs().max())
    out["mobi_max_abs_dev_loadings"] = float((lo - ref_w["loading"]).abs().max())
    out["mobi_max_abs_dev_paths"] = float((p - ref_p).abs().to_numpy().max())
    return out




def references(shared: Path, ECSI_BLOCKS: dict, ECSI_PATHS: list, seed: int) -> dict:  # noqa: N803
    """Reference values for tests/reference: PLSc, sample-SD scores and predict_pls (same folds as crmlab)."""
    import seminr as sm  # only inside seminr's own venv

    out: dict = {"seminr_version": sm.__version__}
    ecsi = pd.read_csv(shared / "ecsi" / "satisfaction.csv", index_col=0)
    data = ecsi[sum(ECSI_BLOCKS.values(), [])]
    smod = sm.relationships(*(sm.paths(from_=a, to=b) for a, b in ECSI_PATHS))
    # PLSc: every block reflective, path weighting (seminr's default)
    refl = sm.estimate_pls(data, sm.constructs(*(sm.reflective(k, v) for k, v in ECSI_BLOCKS.items())), smod)
    out["plsc_ecsi_paths"] = {f"{a} -> {b}": float(_named(refl.path_coef).loc[a, b]) for a, b in ECSI_PATHS}
    out["plsc_ecsi_loadings"] = _named(refl.outer_loadings).sum(axis=1).to_dict()
    out["plsc_ecsi_rho_a"] = _named(sm.rho_A(refl, list(ECSI_BLOCKS))).iloc[:, 0].to_dict()
    out["plsc_ecsi_r2"] = _named(refl.r_squared).loc["Rsq"].to_dict()
    # composite model: sample-SD scores and predict_pls on identical folds
    comp = sm.estimate_pls(data, sm.constructs(*(sm.composite(k, v) for k, v in ECSI_BLOCKS.items())), smod)
    scores = _named(comp.construct_scores)
    out["ecsi_scores_sample_sd_head"] = scores.iloc[:5].to_dict(orient="list")
    out["ecsi_scores_sd"] = scores.std(ddof=1).to_dict()
    ordering = [int(i) for i in np.random.default_rng(seed).permutation(len(data))]
    out["predict_seed"] = seed
    for name, tech in (("earliest_antecedents", sm.predict_EA), ("direct_antecedents", sm.predict_DA)):
        pred = sm.predict_pls(comp, technique=tech, no_folds=10, ordering=ordering)
        res = {}
        for key, m in (("pls", pred.items.pls_out_of_sample_residuals), ("lm", pred.items.lm_out_of_sample_residuals)):
            e = _named(m)
            res[f"{key}_rmse"] = np.sqrt((e**2).mean()).to_dict()
            res[f"{key}_mae"] = e.abs().mean().to_dict()
        res["pls_prediction_row1"] = _named(pred.items.pls_out_of_sample).iloc[0].to_dict()
        out[f"predict_{name}"] = res
    return out


if __name__ == "__main__":
    model = json.load(sys.stdin)
    if sys.argv[1] == "references":  # seminr_worker.py references SHARED_DATA_DIR SEED < ecsi_model.json
        print(json.dumps(references(Path(sys.argv[2]), model["blocks"], model["paths"], int(sys.argv[3]))))
    else:
        print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), model["blocks"], model["paths"])))
