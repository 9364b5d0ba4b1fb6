"""The numpy transaction-log summary crmlab used before its Ibis layer (kept here as the speed reference only).

Copied from crmlab/btyd.py at the commit before 9d0511e ("btyd and segmentation summarise logs through
crmlab.transactions only"): one argsort of packed (customer, day) keys, then bincounts.  benchmarks/bench_scale.py
times crmlab.transactions against it; crmlab itself no longer has a second implementation.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlab.validation import CrmlabValueError, check_choice, check_columns

TIME_UNITS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12.0, "Y": 365.25}
ZERO_AMOUNT_RULES = ("keep", "drop", "error")


def _parse_dates(values: pd.Series, date_format: str | None, name: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values
    elif date_format == "%Y%m%d" and pd.api.types.is_integer_dtype(values):
        v = values.to_numpy()
        try:  # fast arithmetic path for integer YYYYMMDD (the CDNOW layout)
            out = pd.Series(pd.to_datetime({"year": v // 10000, "month": v // 100 % 100, "day": v % 100}), index=values.index)
        except (ValueError, OverflowError):
            out = pd.to_datetime(values.astype(str), format=date_format, errors="coerce")
    else:
        out = pd.to_datetime(values, format=date_format, errors="coerce")
    bad = out.isna() & values.notna()
    if bad.any():
        raise CrmlabValueError(f"column {name!r} has unparseable dates {values[bad].unique()[:5].tolist()} "
                               f"at rows {values.index[bad][:5].tolist()} (date_format={date_format!r})")
    return out


def _parse_amounts(values: pd.Series, name: str) -> pd.Series:
    out = pd.to_numeric(values, errors="coerce")
    bad = out.isna() & values.notna()
    if bad.any():
        raise CrmlabValueError(f"column {name!r} has non-numeric amounts {values[bad].unique()[:5].tolist()} at rows {values.index[bad][:5].tolist()}")
    infinite = np.isinf(out.to_numpy(dtype=float, na_value=np.nan))
    if infinite.any():
        raise CrmlabValueError(f"column {name!r} has infinite amounts {out[infinite].unique()[:5].tolist()} at rows {values.index[infinite][:5].tolist()}")
    return out


# =========================================================================== summaries
@dataclass(frozen=True)
class _DailyLog:
    """Purchases aggregated to one record per customer and calendar day, sorted by (customer, day)."""

    customers: pd.Index      # original ids, position = code
    cust: np.ndarray         # customer code of each daily record
    day: np.ndarray          # day number (days since 1970-01-01)
    amount: np.ndarray       # summed amount of the day
    starts: np.ndarray       # index of each customer's first daily record
    zero_amount_rows: int
    dropped_after_end: int


def _daily_log(log: pd.DataFrame, *, customer: str, date: str, amount: str | None, date_format: str | None,
               zero_amounts: str, end) -> _DailyLog:
    check_columns(log, [customer, date] + ([amount] if amount else []), name="log")
    check_choice(zero_amounts, "zero_amounts", ZERO_AMOUNT_RULES)
    if len(log) == 0:
        raise CrmlabValueError("log has no rows")
    ids = log[customer]
    if ids.isna().any():
        raise CrmlabValueError(f"log column {customer!r} has missing customer ids at rows {log.index[ids.isna()][:5].tolist()}")
    if log[date].isna().any():
        raise CrmlabValueError(f"log column {date!r} has missing dates at rows {log.index[log[date].isna()][:5].tolist()}")
    dates = _parse_dates(log[date], date_format, date)
    days = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
    if amount:
        amt = _parse_amounts(log[amount], amount)
        if amt.isna().any():
            raise CrmlabValueError(f"log column {amount!r} has missing amounts at rows {log.index[amt.isna()][:5].tolist()}")
        amt = amt.to_numpy(dtype=float)
        if np.any(amt < 0):
            rows = log.index[amt < 0][:5].tolist()
            raise CrmlabValueError(f"log column {amount!r} has negative amounts {amt[amt < 0][:5].tolist()} at rows {rows}; "
                                   "returns/refunds must be netted out before summarising")
    else:
        amt = np.zeros(len(log))
    zero = amt == 0
    n_zero = int(zero.sum()) if amount else 0
    keep = np.ones(len(log), dtype=bool)
    if amount and n_zero:
        if zero_amounts == "error":
            raise CrmlabValueError(f"log column {amount!r} has {n_zero} zero amounts (rows {log.index[zero][:5].tolist()}); "
                                   "pass zero_amounts='keep' (count them as purchases) or 'drop'")
        if zero_amounts == "drop":
            keep &= ~zero
    dropped = 0
    if end is not None:
        end_day = np.datetime64(pd.Timestamp(end).date(), "D").astype(np.int64)
        after = days > end_day
        dropped = int((after & keep).sum())
        keep &= ~after
    if not keep.all():
        ids, days, amt = ids[keep], days[keep], amt[keep]
    day0 = days.min()
    span = int(days.max() - day0) + 1
    id_values = np.asarray(ids)
    if pd.api.types.is_integer_dtype(id_values.dtype) and (int(id_values.max()) - int(id_values.min()) + 1) * span < 2 ** 62:
        id_min = int(id_values.min())  # integer ids pack straight into the sort key (no hashing)
        raw_code, levels = id_values.astype(np.int64) - id_min, None
    else:
        raw_code, levels = pd.factorize(ids, sort=True)
    key = raw_code.astype(np.int64) * span + (days - day0)
    order = np.argsort(key)  # order within a (customer, day) group is irrelevant: amounts are summed
    key_sorted = key[order]
    day_starts = np.flatnonzero(np.r_[True, key_sorted[1:] != key_sorted[:-1]])
    day_key = key_sorted[day_starts]
    raw_cust = day_key // span
    day = day_key % span + day0
    day_amount = np.add.reduceat(amt[order], day_starts)
    new_customer = np.r_[True, raw_cust[1:] != raw_cust[:-1]]
    starts = np.flatnonzero(new_customer)
    cust = np.cumsum(new_customer) - 1
    customers = raw_cust[starts] + id_min if levels is None else np.asarray(levels)[raw_cust[starts]]
    return _DailyLog(pd.Index(customers, name="customer_id"), cust, day, day_amount, starts, n_zero, dropped)


def _per_customer(cust, day, amount, n_customers):
    """First/last day, purchase-day count, first and total amount per customer code (records sorted by code, day)."""
    count = np.bincount(cust, minlength=n_customers)
    total = np.bincount(cust, weights=amount, minlength=n_customers)
    has = count > 0
    ends = np.cumsum(count)  # records are grouped by code in ascending order
    first_idx = (ends - count)[has]
    first = np.full(n_customers, -1, dtype=np.int64)
    last = np.full(n_customers, -1, dtype=np.int64)
    first_amount = np.zeros(n_customers)
    first[has] = day[first_idx]
    last[has] = day[ends[has] - 1]
    first_amount[has] = amount[first_idx]
    return count, total, first, last, first_amount


def summarize_transactions(log: pd.DataFrame, *, customer: str = "customer_id", date: str = "date",
                           amount: str | None = "amount", date_format: str | None = None, time_unit: str = "W",
                           calibration_end=None, observation_end=None, zero_amounts: str = "keep") -> tuple[pd.DataFrame, dict]:
    """Per-customer RFM summary (frequency, recency, T, monetary_value) of a transaction log.

    Vectorised (one sort of the log; no Python loop over customers).  ``time_unit``
    sets the unit of recency and T (see module docstring).  ``calibration_end``
    (inclusive; default: the last date in the log) ends the calibration period;
    customers whose first purchase falls after it are not in the summary.  With
    ``observation_end`` (inclusive) after ``calibration_end`` the holdout columns
    ``frequency_holdout`` (purchase days in the holdout), ``monetary_holdout`` (their
    mean amount) and ``duration_holdout`` (holdout length in ``time_unit``) are added;
    purchases after ``observation_end`` are ignored (counted in ``settings``).
    ``zero_amounts``: "keep" (count zero-amount rows as purchases), "drop" or "error";
    the number found is in ``settings["zero_amount_rows"]``.  Negative amounts raise.
    Returns a :class:`CustomerSummary` (``.table`` and ``.settings``).
    """
    check_choice(time_unit, "time_unit", TIME_UNITS)
    unit = TIME_UNITS[time_unit]
    if observation_end is not None and calibration_end is None:
        raise CrmlabValueError("observation_end needs calibration_end (the holdout is the time between them)")
    daily = _daily_log(log, customer=customer, date=date, amount=amount, date_format=date_format,
                       zero_amounts=zero_amounts, end=observation_end)
    last_day = int(daily.day.max())
    cal_end = last_day if calibration_end is None else np.datetime64(pd.Timestamp(calibration_end).date(), "D").astype(np.int64)
    obs_end = None if observation_end is None else np.datetime64(pd.Timestamp(observation_end).date(), "D").astype(np.int64)
    if obs_end is not None and obs_end <= cal_end:
        raise CrmlabValueError(f"observation_end ({observation_end}) must be after calibration_end ({calibration_end})")
    n = len(daily.customers)
    in_cal = daily.day <= cal_end
    count, total, first, last, first_amount = _per_customer(daily.cust[in_cal], daily.day[in_cal], daily.amount[in_cal], n)
    active = count > 0
    repeat = count - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_repeat = np.where(repeat > 0, (total - first_amount) / np.maximum(repeat, 1), 0.0)
    out = pd.DataFrame({
        "frequency": repeat[active],
        "recency": (last - first)[active] / unit,
        "T": (cal_end - first)[active] / unit,
        "monetary_value": mean_repeat[active],
        "first_purchase": (first[active]).astype("datetime64[D]"),
    }, index=daily.customers[active])
    if obs_end is not None:
        hold = ~in_cal
        h_count = np.bincount(daily.cust[hold], minlength=n)
        h_total = np.bincount(daily.cust[hold], weights=daily.amount[hold], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["frequency_holdout"] = h_count[active]
            out["monetary_holdout"] = np.where(h_count > 0, h_total / np.maximum(h_count, 1), 0.0)[active]
        out["duration_holdout"] = (obs_end - cal_end) / unit
    return out, ({
        "time_unit": time_unit, "days_per_unit": unit,
        "calibration_end": str(np.datetime64(int(cal_end), "D")),
        "observation_end": None if obs_end is None else str(np.datetime64(int(obs_end), "D")),
        "zero_amount_rows": daily.zero_amount_rows, "zero_amounts": zero_amounts,
        "customers_first_buying_after_calibration": int((~active).sum()),
        "dropped_after_end": daily.dropped_after_end,
        "purchase_rule": "customer-day",
    })
