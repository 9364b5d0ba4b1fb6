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


if __name__ == "__main__":
    print(write_transactions())
