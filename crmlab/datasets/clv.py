"""A transaction log simulated from known BG/NBD and Gamma–Gamma parameters (bundled as data/transactions.csv).

Generative process (Fader, Hardie & Lee 2005a, 2005b), time in weeks:

* customer i is acquired (first purchase) on a day uniform over the first
  ``acquisition_weeks`` weeks after ``START``;
* purchase rate λᵢ ~ Gamma(shape r, rate α); dropout probability pᵢ ~ Beta(a, b);
  repeat purchases follow a Poisson process with rate λᵢ, and after each repeat
  purchase the customer drops out for good with probability pᵢ;
* spend scale νᵢ ~ Gamma(shape q, rate γ); every purchase amount ~ Gamma(shape p, rate νᵢ),
  rounded to cents.

True parameters (:data:`TRUE_PARAMS`): r = 0.25, α = 4.0, a = 0.8, b = 2.5 (close to
the CDNOW estimates) and p = 6.0, q = 4.0, γ = 15.0; 1,500 customers acquired over
12 weeks from 2024-01-01, calibration to week 52 (:data:`CALIBRATION_END`), holdout to
week 78 (:data:`OBSERVATION_END`); ``random_state`` = 2024.  Purchase times are floored
to calendar days (same-day purchases are merged by the summary, which is rare at
these rates).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..validation import check_scalar

TRUE_PARAMS = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5, "p": 6.0, "q": 4.0, "gamma": 15.0}
START = pd.Timestamp("2024-01-01")
N_CUSTOMERS = 1500
ACQUISITION_WEEKS = 12
CALIBRATION_WEEKS = 52
OBSERVATION_WEEKS = 78
CALIBRATION_END = (START + pd.Timedelta(weeks=CALIBRATION_WEEKS) - pd.Timedelta(days=1)).date().isoformat()
OBSERVATION_END = (START + pd.Timedelta(weeks=OBSERVATION_WEEKS) - pd.Timedelta(days=1)).date().isoformat()
RANDOM_STATE = 2024
DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "transactions.csv"


def simulate_transactions(n_customers: int = N_CUSTOMERS, *, params: dict | None = None,
                          acquisition_weeks: float = ACQUISITION_WEEKS, observation_weeks: float = OBSERVATION_WEEKS,
                          start=START, random_state: int = RANDOM_STATE) -> pd.DataFrame:
    """Simulate a log (customer_id, date, amount) from BG/NBD + Gamma–Gamma (see module docstring).

    Vectorised over customers; the only loop runs over the purchase number.
    """
    n_customers = check_scalar(n_customers, "n_customers", low=1, integer=True)
    acquisition_weeks = check_scalar(acquisition_weeks, "acquisition_weeks", low=0.0)
    observation_weeks = check_scalar(observation_weeks, "observation_weeks", low=0.0, low_inclusive=False)
    par = {**TRUE_PARAMS, **(params or {})}
    rng = np.random.default_rng(random_state)
    lam = rng.gamma(par["r"], 1.0 / par["alpha"], n_customers)
    drop = rng.beta(par["a"], par["b"], n_customers)
    nu = rng.gamma(par["q"], 1.0 / par["gamma"], n_customers)
    first = np.floor(rng.uniform(0, acquisition_weeks * 7, n_customers)) / 7.0
    ids = np.arange(1, n_customers + 1)
    who, when = [ids], [first]
    time = first.copy()
    alive = np.ones(n_customers, dtype=bool)
    while alive.any():  # one pass per purchase number, all customers at once
        idx = np.flatnonzero(alive)
        time[idx] += rng.exponential(1.0 / lam[idx])
        within = time[idx] <= observation_weeks
        buyers = idx[within]
        who.append(ids[buyers])
        when.append(time[buyers])
        alive[idx[~within]] = False
        alive[buyers[rng.uniform(size=buyers.size) < drop[buyers]]] = False
    who = np.concatenate(who)
    when = np.concatenate(when)
    amount = np.round(rng.gamma(par["p"], 1.0 / nu[who - 1]), 2)
    amount = np.maximum(amount, 0.01)  # a purchase rounded to 0.00 would be a zero amount
    dates = pd.Timestamp(start) + pd.to_timedelta(np.floor(when * 7).astype(np.int64), unit="D")
    log = pd.DataFrame({"customer_id": who, "date": dates, "amount": amount})
    return log.sort_values(["customer_id", "date"], kind="stable").reset_index(drop=True)


def write_transactions(path=DATA_FILE) -> Path:
    """Write the bundled log (ISO dates) to ``path`` (default data/transactions.csv) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    log = simulate_transactions()
    log.assign(date=log["date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False, float_format="%.2f")
    return path


def write_datasets(data_dir=DATA_FILE.parent) -> list[Path]:
    """Write the bundled transaction log into ``data_dir`` and return its path in a list."""
    return [write_transactions(Path(data_dir) / DATA_FILE.name)]


def load_transactions(path=DATA_FILE) -> pd.DataFrame:
    """Read the bundled log with ``date`` parsed."""
    return pd.read_csv(path, parse_dates=["date"])


def teaching_study() -> dict:
    """The bundled log described as a user describes theirs: a ``transactions`` study (:mod:`crmlab.study`).

    Notebook 03 reads it through the same path as a user's log (``TransactionLog.from_study``);
    the calibration and holdout ends of the teaching run are :data:`CALIBRATION_END` and
    :data:`OBSERVATION_END`.
    """
    return {"kind": "transactions", "path": str(DATA_FILE), "customer_id": "customer_id", "datetime": "date",
            "monetary_value": "amount"}


if __name__ == "__main__":
    print(write_transactions())


# --------------------------------------------------------------------------- published fixtures
# Donation data of Fader, Hardie & Shang (2010, Marketing Science 29(6), Table 1): 11,104
# first-time donors of 1995, six annual donation opportunities 1996–2001, as the 22
# (x, tₓ, n) patterns with their counts.  Copied from lifetimes 0.11.3
# (lifetimes/datasets/donations.csv, columns frequency, recency, periods, weights).
DONATIONS = pd.DataFrame(
    [(0, 0, 6, 3464), (1, 1, 6, 1091), (1, 2, 6, 277), (1, 3, 6, 129), (1, 4, 6, 78), (1, 5, 6, 119),
     (1, 6, 6, 129), (2, 2, 6, 613), (2, 3, 6, 255), (2, 4, 6, 155), (2, 5, 6, 173), (2, 6, 6, 234),
     (3, 3, 6, 322), (3, 4, 6, 181), (3, 5, 6, 225), (3, 6, 6, 357), (4, 4, 6, 240), (4, 5, 6, 284),
     (4, 6, 6, 512), (5, 5, 6, 335), (5, 6, 6, 728), (6, 6, 6, 1203)],
    columns=["frequency", "recency", "periods", "count"])

# Survivors of two cohorts of 1,000 customers at years 0–7 (Fader & Hardie 2007,
# "How to project customer retention", J. Interactive Marketing 21(1), Table 1 / Fig. 1),
# on which the paper fits the sBG: regular α = 0.704, β = 1.182; high end α = 0.668, β = 3.806.
SBG_SURVIVORS = {
    "regular": (1000, 631, 468, 382, 326, 289, 262, 241),
    "high_end": (1000, 869, 743, 653, 593, 551, 517, 491),
}

# The published maximum-likelihood estimates on these two data sets, for the teaching run's comparison tables.
DONATIONS_PUBLISHED = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}  # FHS (2010), LL = −33,225.6
SBG_PUBLISHED = {"regular": {"alpha": 0.704, "beta": 1.182}, "high_end": {"alpha": 0.668, "beta": 3.806}}  # FH (2007)
