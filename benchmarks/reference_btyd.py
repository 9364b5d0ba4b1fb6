"""Write the lifetimes reference values that tests/test_btyd_models.py checks crmlab against.

Run once:  python benchmarks/reference_btyd.py
It runs lifetimes 0.11.3 (an independent implementation) in its side environment
(``reference_envs``) on the CDNOW summary (../shared/data/cdnow) and on lifetimes' own
copy of the donation data (FHS 2010), and writes tests/reference/lifetimes_*.json with
the call that produced each number.  Nothing here is imported by crmlab or the tests.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_envs import reference_python  # noqa: E402

CDNOW = ROOT.parent / "shared" / "data" / "cdnow" / "cdnow_customers_summary.csv"
OUT = ROOT / "tests" / "reference"
PROBE = 40  # the first PROBE customers of the CDNOW summary carry per-customer predictions

CODE = textwrap.dedent("""
    import json, warnings, numpy as np, pandas as pd
    warnings.simplefilter("ignore")
    import lifetimes
    from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter, BetaGeoBetaBinomFitter
    from lifetimes.datasets import load_donations
    d = pd.read_csv("{cdnow}")
    head = d.head({probe})
    f, r, T = head["frequency"], head["recency"], head["T"]
    out = {{"version": lifetimes.__version__}}
    pn = ParetoNBDFitter().fit(d["frequency"], d["recency"], d["T"])
    out["pareto_nbd"] = {{"params": pn.params_.to_dict(), "log_likelihood": float(pn._conditional_log_likelihood(
        pn.params_.to_numpy(), d["frequency"].to_numpy(), d["recency"].to_numpy(), d["T"].to_numpy()).sum()),
        "conditional_39": pn.conditional_expected_number_of_purchases_up_to_time(39, f, r, T).tolist(),
        "p_alive": pn.conditional_probability_alive(f, r, T).tolist(),
        "expected_52": float(pn.expected_number_of_purchases_up_to_time(52)),
        "p_n_39_new": [float(pn.conditional_probability_of_n_purchases_up_to_time(n, 39, 0, 0, 1e-9)) for n in range(8)]}}
    mb = ModifiedBetaGeoFitter().fit(d["frequency"], d["recency"], d["T"])
    out["mbg_nbd"] = {{"params": mb.params_.to_dict(),
        "log_likelihood": float(-mb._negative_log_likelihood(np.log(mb.params_.to_numpy()), d["frequency"].to_numpy(),
                                 d["recency"].to_numpy(), d["T"].to_numpy(), np.ones(len(d)), 0.0) * len(d)),
        "conditional_39": mb.conditional_expected_number_of_purchases_up_to_time(39, f, r, T).tolist(),
        "p_alive": mb.conditional_probability_alive(f, r, T).tolist(),
        "expected_52": float(mb.expected_number_of_purchases_up_to_time(52))}}
    bg = BetaGeoFitter().fit(d["frequency"], d["recency"], d["T"])
    out["bg_nbd"] = {{"params": bg.params_.to_dict(),
        "p_n_39": [float(bg.probability_of_n_purchases_up_to_time(39, n)) for n in range(8)],
        "p_n_78": [float(bg.probability_of_n_purchases_up_to_time(78, n)) for n in range(8)]}}
    don = load_donations()
    bb = BetaGeoBetaBinomFitter().fit(don["frequency"], don["recency"], don["periods"], weights=don["weights"])
    p = bb.params_
    out["bg_bb"] = {{"params": p.to_dict(),
        "log_likelihood": float(-bb._negative_log_likelihood(np.log(p.to_numpy()), don["frequency"].to_numpy(), don["recency"].to_numpy(),
                                  don["periods"].to_numpy(), don["weights"].to_numpy(), 0.0) * don["weights"].sum()),
        "conditional_5": bb.conditional_expected_number_of_purchases_up_to_time(5, don["frequency"], don["recency"], don["periods"]).tolist(),
        "p_alive": bb.conditional_probability_alive(1, don["frequency"], don["recency"], don["periods"]).tolist(),
        "expected_6": float(bb.expected_number_of_transactions_in_first_n_periods(6).pipe(
            lambda t: (t.index * t["model"]).sum() / t["model"].sum()))}}
    print(json.dumps(out))
""")


def main() -> None:
    python = reference_python("lifetimes")
    proc = subprocess.run([python, "-c", CODE.format(cdnow=CDNOW, probe=PROBE)], capture_output=True, text=True, cwd="/tmp")
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    common = (f"lifetimes {res['version']} (side venv benchmarks/.venvs/lifetimes, written by benchmarks/reference_btyd.py); "
              "penalizer_coef=0, default fitting; an independent implementation's estimates")
    files = {
        "lifetimes_cdnow_pareto_nbd.json": (f"ParetoNBDFitter().fit on the 2,357-customer CDNOW summary "
                                            f"(../shared/data/cdnow/cdnow_customers_summary.csv, weeks); per-customer values for "
                                            f"its first {PROBE} rows at lifetimes' own estimates; p_n_39_new = "
                                            "conditional_probability_of_n_purchases_up_to_time(n, 39, 0, 0, T=1e-9), n = 0..7", res["pareto_nbd"]),
        "lifetimes_cdnow_mbg_nbd.json": (f"ModifiedBetaGeoFitter().fit on the same CDNOW summary; first {PROBE} rows", res["mbg_nbd"]),
        "lifetimes_cdnow_bgnbd_pn.json": ("BetaGeoFitter().fit on the same CDNOW summary; probability_of_n_purchases_up_to_time(t, n), "
                                          "n = 0..7, t = 39 and 78 weeks", res["bg_nbd"]),
        "lifetimes_donations_bgbb.json": ("BetaGeoBetaBinomFitter().fit on lifetimes.datasets.load_donations() (FHS 2010 donation "
                                          "data, 22 patterns, weights); conditional_5 = expected transactions in the next 5 "
                                          "opportunities, p_alive = conditional_probability_alive(1, …) per pattern", res["bg_bb"]),
    }
    for name, (what, values) in files.items():
        (OUT / name).write_text(json.dumps({"source": f"{what}. {common}", **values}, indent=1) + "\n")
        print(OUT / name)


if __name__ == "__main__":
    main()
