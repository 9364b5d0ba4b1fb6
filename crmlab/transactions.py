"""The one transaction-log layer: purchases, BTYD summaries, RFM and period totals — written once, run anywhere.

A :class:`TransactionLog` is a validated log of purchase lines — customer id, timestamp,
amount, and optionally an order (basket) id and a cost — held as an Ibis table, so every
summary below is *one* set of dataframe expressions that Ibis compiles for the engine the
log lives on:

* **DuckDB** (embedded, the default): files are scanned where they lie — CSV, Parquet, a
  glob of files or a Hive-partitioned folder — with bounded memory, never loaded whole
  into pandas (:meth:`TransactionLog.from_files`);
* **pandas** frames already in memory, through the same expressions on an in-process
  DuckDB (:meth:`TransactionLog.from_frame`);
* **Apache Spark** (:meth:`TransactionLog.from_spark`): a table or DataFrame of a Spark
  session (local, a cluster by master URL, or Spark Connect).  Only the per-customer
  summary comes back to the driver.

**What counts as a purchase** (one rule, everywhere): a distinct order id when an order
column is given (several product lines of one basket are one purchase), else a distinct
customer-day (FHL 2005a's CDNOW convention).  A purchase's amount is the sum of its lines;
its day is the calendar day of its earliest line.  Calendar days are taken from the
timestamps as recorded (naive wall-clock time; engines run in UTC so none shifts them).

Summaries (each returns a result object with ``.table`` and ``.settings``):

* :meth:`~TransactionLog.customer_summary` — BTYD inputs per customer (Fader, Hardie & Lee
  2005a; the columns of lifetimes and pymc-marketing): ``frequency`` (repeat purchases),
  ``recency`` and ``T`` in ``time_unit``, ``monetary_value`` (mean repeat-purchase amount),
  and with an ``observation_end`` the holdout columns.
* :meth:`~TransactionLog.rfm` — recency (days to ``as_of``), frequency (purchases) and
  monetary value (total or mean per purchase) per customer (Hughes 1994).
* :meth:`~TransactionLog.period_totals` — revenue, cost, profit and purchases per customer
  and calendar period; periods not fully covered by the log are left out and named in the
  settings (a log that runs a few hours into a new year does not make a new "year").
* :meth:`~TransactionLog.cohort_days` — first-purchase and repeat-purchase counts per day
  (cumulative tracking plots).
"""
from __future__ import annotations

import datetime as dt
import glob as globlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .readers import YYYYMMDD_RANGE, as_ids, parse_dates
from .validation import CrmlabValueError, _preview, check_choice, check_columns

TIME_UNITS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12.0, "Y": 365.25}
PERIOD_FREQUENCIES = ("Y", "Q", "M")
ZERO_AMOUNT_RULES = ("keep", "drop", "error")
MONETARY_RULES = ("sum", "mean")
CUSTOMER, DATETIME, AMOUNT, ORDER, COST = "customer_id", "datetime", "monetary_value", "order_id", "cost"


# =========================================================================== result objects
@dataclass(frozen=True)
class CustomerSummary:
    """Per-customer BTYD summary (index ``customer_id``) and the conventions that produced it.

    ``settings``: engine, purchase_rule, time_unit, days_per_unit, calibration_end,
    observation_end, rows, purchases, zero_amounts, zero_amount_rows, dropped_after_end,
    customers_first_buying_after_calibration.  Every purchase model's ``fit`` takes it
    directly and reads the time unit from it.
    """

    table: pd.DataFrame
    settings: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        return self.table


@dataclass(frozen=True)
class LogTable:
    """A table computed from a transaction log (RFM, period totals, cohort days) and its settings."""

    table: pd.DataFrame
    settings: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        return self.table

    def by_period(self) -> dict[str, pd.DataFrame]:
        """Period totals as {period: per-customer frame}, oldest first (the shape tier KPIs take)."""
        check_columns(self.table, ["period"], name="table")
        return {p: frame.drop(columns="period").set_index(CUSTOMER) for p, frame in self.table.groupby("period", sort=True)}


# =========================================================================== helpers
def _day(value, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise CrmlabValueError(f"{name} must be a date such as '2024-12-31', got {value!r}") from None
    if pd.isna(ts):
        raise CrmlabValueError(f"{name} must be a date, got {value!r}")
    return ts.date()


def duckdb_backend(*, memory_limit: str | None = None, threads: int | None = None, temp_directory: str | None = None):
    """An in-process DuckDB for Ibis: UTC session (no time-zone shifts), optional memory and thread limits, spilling."""
    import re

    import ibis

    if memory_limit is not None and (not isinstance(memory_limit, str)
                                     or not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", memory_limit)):
        raise CrmlabValueError(f"memory_limit must be an amount such as '3GB' or '1500MB', got {memory_limit!r}")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise CrmlabValueError(f"threads must be a whole number >= 1, got {threads!r}")
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    con.raw_sql("SET preserve_insertion_order = false")  # aggregates need no row order; saves memory
    if memory_limit:
        con.raw_sql(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.raw_sql(f"SET threads = {int(threads)}")
    if temp_directory:
        con.raw_sql(f"SET temp_directory = '{temp_directory}'")
    return con


def _columns(customer_id_col, datetime_col, monetary_value_col, order_id_col, cost_col) -> dict:
    cols = {CUSTOMER: customer_id_col, DATETIME: datetime_col, AMOUNT: monetary_value_col, ORDER: order_id_col,
            COST: cost_col}
    for role in (CUSTOMER, DATETIME, AMOUNT):
        if not isinstance(cols[role], str) or not cols[role]:
            raise CrmlabValueError(f"{role}_col must name a column, got {cols[role]!r}")
    named = [c for c in cols.values() if c]
    dup = sorted({c for c in named if named.count(c) > 1})
    if dup:
        raise CrmlabValueError(f"the same column {dup} is given for two roles (customer id, datetime, amount, order id, cost)")
    return {role: col for role, col in cols.items() if col}


# =========================================================================== the log
@dataclass
class TransactionLog:
    """A validated transaction log on an Ibis backend: canonical columns customer_id, datetime, monetary_value
    [, order_id, cost]; ``settings`` records the engine, the source, the column mapping and the purchase rule."""

    table: object
    backend: object
    settings: dict

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, customer_id_col: str = "customer_id", datetime_col: str = "date",
                   monetary_value_col: str = "amount", order_id_col: str | None = None, cost_col: str | None = None,
                   date_format: str | None = None, backend=None) -> TransactionLog:
        """A log from a pandas DataFrame (validated here; summarised by the same expressions on in-process DuckDB).

        Ids become text (integer ids stay integers until the summary, which returns them as
        text); dates parse by :func:`crmlab.readers.parse_dates`; amounts and costs must be
        finite numbers ≥ 0 (returns must be netted out first); nothing is dropped.
        """
        import ibis

        if not isinstance(frame, pd.DataFrame):
            raise CrmlabValueError(f"the log must be a pandas DataFrame, got {type(frame).__name__}")
        cols = _columns(customer_id_col, datetime_col, monetary_value_col, order_id_col, cost_col)
        check_columns(frame, list(cols.values()), name="log")
        if len(frame) == 0:
            raise CrmlabValueError("the log has no rows")
        data = {}
        for role, col in cols.items():
            s = frame[col]
            if role in (CUSTOMER, ORDER):
                data[role] = s.to_numpy() if pd.api.types.is_integer_dtype(s) else as_ids(s, column=col).to_numpy()
            elif role == DATETIME:
                when = parse_dates(s, column=col, date_format=date_format)
                if when.isna().any():
                    raise CrmlabValueError(f"log column {col!r} has missing dates at rows {_preview(frame.index[when.isna()])}")
                data[role] = when.to_numpy()
            else:
                data[role] = _money(s, col, frame.index)
        if pd.api.types.is_integer_dtype(frame[cols[CUSTOMER]]) and frame[cols[CUSTOMER]].isna().any():
            raise CrmlabValueError(f"log column {cols[CUSTOMER]!r} has missing customer ids")
        table = ibis.memtable(pd.DataFrame(data))
        return cls(table=table, backend=backend or duckdb_backend(),
                   settings={"engine": "duckdb (in-memory pandas frame)", "source": "DataFrame", "rows": len(frame),
                             "columns": cols, "purchase_rule": _rule(cols)})

    @classmethod
    def from_files(cls, path, *, customer_id_col: str = "customer_id", datetime_col: str = "date",
                   monetary_value_col: str = "amount", order_id_col: str | None = None, cost_col: str | None = None,
                   date_format: str | None = None, format: str | None = None, hive: bool | None = None,
                   sep: str | None = None, memory_limit: str | None = None, threads: int | None = None,
                   temp_directory: str | None = None, backend=None) -> TransactionLog:
        """A log scanned by DuckDB where it lies: a CSV or Parquet file, a glob (``logs/*.parquet``) or a folder of
        Parquet files (Hive partitions ``year=2024/…`` become columns).  Nothing is loaded into pandas; validation runs
        as one aggregate query.  CSV files must be UTF-8 with a header row (other encodings: read them with
        :func:`crmlab.readers.read_table` and use :meth:`from_frame`)."""
        con = backend or duckdb_backend(memory_limit=memory_limit, threads=threads, temp_directory=temp_directory)
        cols = _columns(customer_id_col, datetime_col, monetary_value_col, order_id_col, cost_col)
        target, fmt, is_hive = _locate(path, format, hive)
        text_cols = {cols[r]: "VARCHAR" for r in (CUSTOMER, ORDER) if r in cols}
        try:
            if fmt == "csv":
                types = text_cols | {cols[DATETIME]: "VARCHAR"}
                raw = con.read_csv(target, types=types, **({"delim": sep} if sep else {}))
            else:
                raw = con.read_parquet(target, hive_partitioning=is_hive, union_by_name=True)
        except Exception as exc:  # noqa: BLE001 - the engine's own message, with the file named
            raise CrmlabValueError(f"could not read {path} as {fmt}: {str(exc).splitlines()[0]}") from None
        missing = [c for c in cols.values() if c not in raw.columns]
        if missing:
            raise CrmlabValueError(f"{path} has no column(s) {_preview(missing)}; its columns: {_preview(raw.columns, 20)}")
        table = _canonical(raw, cols, con=con, date_format=date_format, where=str(path))
        log = cls(table=table, backend=con, settings={"engine": "duckdb", "source": str(path), "format": fmt,
                                                     "hive_partitioning": is_hive, "columns": cols,
                                                     "purchase_rule": _rule(cols)})
        log.settings["rows"] = log._validate()
        return log

    @classmethod
    def from_spark(cls, source, *, session, customer_id_col: str = "customer_id", datetime_col: str = "date",
                   monetary_value_col: str = "amount", order_id_col: str | None = None, cost_col: str | None = None,
                   date_format: str | None = None) -> TransactionLog:
        """A log in Spark: ``source`` is a table name of ``session`` or a Spark DataFrame.  The summaries run on the
        cluster; only the per-customer results come back."""
        import ibis

        con = ibis.pyspark.connect(session)
        session.conf.set("spark.sql.session.timeZone", "UTC")
        cols = _columns(customer_id_col, datetime_col, monetary_value_col, order_id_col, cost_col)
        if isinstance(source, str):
            raw = con.table(source)
            name = source
        else:
            name = f"crmlab_log_{id(source)}"
            source.createOrReplaceTempView(name)
            raw = con.table(name)
        missing = [c for c in cols.values() if c not in raw.columns]
        if missing:
            raise CrmlabValueError(f"Spark table {name} has no column(s) {_preview(missing)}; its columns: {_preview(raw.columns, 20)}")
        table = _canonical(raw, cols, con=con, date_format=date_format, where=f"Spark table {name}")
        log = cls(table=table, backend=con, settings={"engine": "spark", "source": name, "columns": cols,
                                                     "purchase_rule": _rule(cols)})
        log.settings["rows"] = log._validate()
        return log

    @classmethod
    def from_study(cls, study, *, session=None) -> TransactionLog:
        """The log a ``transactions`` study describes (:mod:`crmlab.study`), on the engine that suits it.

        * ``table`` (a Spark table name) with ``session`` or the study's ``spark`` settings → Spark;
        * a folder, a glob, a Parquet file, or a UTF-8 CSV without special reader options → DuckDB scan;
        * anything else (Excel, SPSS, GBK text, header rows, missing codes, …) → read with
          :func:`crmlab.readers.read_table`, then in-memory DuckDB.
        ``engine`` in the study ("duckdb", "pandas", "spark") forces a choice.
        """
        spec = study.spec
        if study.kind != "transactions":
            raise CrmlabValueError(f"{study.name} is a {study.kind} study; a transaction log needs kind: transactions")
        cols = dict(customer_id_col=spec["customer_id"], datetime_col=spec["datetime"],
                    monetary_value_col=spec["monetary_value"], order_id_col=spec.get("order_id"), cost_col=spec.get("cost"),
                    date_format=spec.get("date_format"))
        engine = spec.get("engine", "auto")
        if engine == "spark" or spec.get("table"):
            from .spark import read_path, spark_session

            session = session or spark_session(**(spec.get("spark") or {}))
            return cls.from_spark(spec.get("table") or read_path(session, str(study.path)), session=session, **cols)
        special = any(spec.get(k) not in (None, 0) for k in ("encoding", "names", "header_row", "skip_after_header",
                                                             "missing_codes", "sheet")) or spec.get("sep") == "whitespace"
        scannable = study.scan_target is not None and not special
        if engine == "duckdb" or (engine == "auto" and scannable):
            if not scannable:
                raise CrmlabValueError(f"{study.name}: engine duckdb scans CSV (UTF-8, a header row) and Parquet files; "
                                       "this file needs the reader options — use engine: pandas")
            return cls.from_files(study.scan_target, sep=spec.get("sep"), memory_limit=spec.get("memory_limit"),
                                  threads=spec.get("threads"), **cols)
        return cls.from_frame(study.read(), **cols)

    # ------------------------------------------------------------------ validation
    def _validate(self) -> int:
        """One aggregate query: rows, and lines with a missing id/date/amount or a negative/non-finite amount or cost."""
        t = self.table
        checks = {"rows": t.count(), "missing_customer": t[CUSTOMER].isnull().sum(),
                  "missing_datetime": t[DATETIME].isnull().sum(), "missing_amount": t[AMOUNT].isnull().sum(),
                  "negative_amount": (t[AMOUNT] < 0).sum(), "non_finite_amount": (t[AMOUNT].isinf() | t[AMOUNT].isnan()).sum()}
        if ORDER in t.columns:
            checks["missing_order"] = t[ORDER].isnull().sum()
        if COST in t.columns:
            checks["missing_cost"] = t[COST].isnull().sum()
            checks["non_finite_cost"] = (t[COST].isinf() | t[COST].isnan()).sum()
        counts = self.backend.to_pandas(t.aggregate(**checks)).iloc[0].fillna(0).astype(int).to_dict()
        if counts["rows"] == 0:
            raise CrmlabValueError(f"the log {self.settings['source']} has no rows")
        cols = self.settings["columns"]
        problems = [f"{counts[k]} line(s) with {what} (column {cols[role]!r})"
                    for k, what, role in (("missing_customer", "a missing customer id", CUSTOMER),
                                          ("missing_datetime", "a missing or unparseable date", DATETIME),
                                          ("missing_amount", "a missing or non-numeric amount", AMOUNT),
                                          ("negative_amount", "a negative amount (net out returns first)", AMOUNT),
                                          ("non_finite_amount", "an infinite amount", AMOUNT),
                                          ("missing_order", "a missing order id", ORDER),
                                          ("missing_cost", "a missing cost", COST),
                                          ("non_finite_cost", "an infinite cost", COST))
                    if counts.get(k, 0)]
        if problems:
            raise CrmlabValueError(f"the log {self.settings['source']} has " + "; ".join(problems) + "; nothing was dropped — "
                                   "fix the data or filter it explicitly")
        return counts["rows"]

    def profile(self) -> dict:
        """Rows, customers, purchases (by the purchase rule), first and last date — one aggregate query each."""
        t, p = self.table, self.purchases()
        lines = self.backend.to_pandas(t.aggregate(customers=t[CUSTOMER].nunique(), first=t[DATETIME].min(),
                                                   last=t[DATETIME].max())).iloc[0]
        purchases = int(self.backend.to_pandas(p.aggregate(n=p.count())).iloc[0, 0])
        return {"rows": self.settings["rows"], "customers": int(lines["customers"]), "purchases": purchases,
                "purchase_rule": self.settings["purchase_rule"], "first_date": str(lines["first"]),
                "last_date": str(lines["last"]), "engine": self.settings["engine"]}

    # ------------------------------------------------------------------ purchases
    def purchases(self, *, zero_amounts: str = "keep"):
        """One row per purchase (the rule in the module docstring): cid, oid, day, key (first timestamp), amount[, cost]."""
        import ibis
        import ibis.expr.datatypes as dtypes

        check_choice(zero_amounts, "zero_amounts", ZERO_AMOUNT_RULES)
        t = self.table
        if zero_amounts == "drop":
            t = t.filter(t[AMOUNT] != 0)
        sums = {"amount": t[AMOUNT].sum()} | ({"cost": t[COST].sum()} if COST in t.columns else {})
        if ORDER in t.columns:
            p = t.group_by(cid=t[CUSTOMER], oid=t[ORDER].cast(dtypes.string)).aggregate(key=t[DATETIME].min(), **sums)
            return p.mutate(day=p.key.date())
        p = t.group_by(cid=t[CUSTOMER], day=t[DATETIME].date()).aggregate(key=t[DATETIME].min(), **sums)
        return p.mutate(oid=ibis.null(dtypes.string))

    def _line_facts(self, zero_amounts: str, *, end: dt.date | None) -> dict:
        """One scan of the lines: zero-amount lines, the last line's day, lines after ``end`` (default: that day)."""
        import ibis
        import ibis.expr.datatypes as dtypes

        t = self.table
        day = t[DATETIME].date()
        aggs = {"zero_rows": (t[AMOUNT] == 0).sum(), "last_day": day.max()}
        if end is not None:
            aggs["lines_after_end"] = (day > ibis.literal(end, type=dtypes.date)).sum()
        row = self.backend.to_pandas(t.aggregate(**aggs)).iloc[0]
        facts = {"zero_rows": int(row["zero_rows"] or 0), "last_day": pd.Timestamp(row["last_day"]).date(),
                 "lines_after_end": int(row.get("lines_after_end", 0) or 0)}
        if facts["zero_rows"] and zero_amounts == "error":
            raise CrmlabValueError(f"the log has {facts['zero_rows']} line(s) with a zero amount; pass zero_amounts='keep' "
                                   "(they count as purchases) or 'drop'")
        return facts

    def _execute(self, expr) -> pd.DataFrame:
        out = self.backend.to_pandas(expr)
        if CUSTOMER in out.columns:
            out[CUSTOMER] = out[CUSTOMER].astype("string") if not pd.api.types.is_integer_dtype(out[CUSTOMER]) \
                else out[CUSTOMER].astype("int64").astype("string")
        return out

    # ------------------------------------------------------------------ summaries
    def customer_summary(self, *, time_unit: str = "W", calibration_end=None, observation_end=None,
                         zero_amounts: str = "keep") -> CustomerSummary:
        """BTYD summary per customer (see the module docstring): calibration up to ``calibration_end`` (inclusive;
        default the last purchase day), optional holdout to ``observation_end``; customers whose first purchase is
        after the calibration end are not in it (counted in the settings)."""
        import ibis
        import ibis.expr.datatypes as dtypes

        check_choice(time_unit, "time_unit", TIME_UNITS)
        unit = TIME_UNITS[time_unit]
        cal, obs = _day(calibration_end, "calibration_end"), _day(observation_end, "observation_end")
        if obs is not None and cal is None:
            raise CrmlabValueError("observation_end needs calibration_end (the holdout is the time between them)")
        if obs is not None and obs <= cal:
            raise CrmlabValueError(f"observation_end ({obs}) must be after calibration_end ({cal})")
        facts = self._line_facts(zero_amounts, end=obs if obs is not None else cal)
        cal = cal or facts["last_day"]
        cal_lit = ibis.literal(cal, type=dtypes.date)
        end = obs if obs is not None else cal
        p = self.purchases(zero_amounts=zero_amounts)
        p = p.filter(p.day <= ibis.literal(end, type=dtypes.date))
        in_cal = p.day <= cal_lit
        agg = {"n": p.count(where=in_cal), "first_key": p.key.min(where=in_cal), "first_day": p.day.min(where=in_cal),
               "last_day": p.day.max(where=in_cal), "total": p.amount.sum(where=in_cal)}
        if obs is not None:
            agg |= {"n_h": p.count(where=~in_cal), "total_h": p.amount.sum(where=~in_cal)}
        s = p.group_by("cid").aggregate(**agg)
        # the first purchase's amount: the purchase at the earliest timestamp (ties between orders: the smallest order
        # id) — found by joins on the aggregate rather than an ordered aggregate or window over the whole log
        keys = s.select(fcid=s.cid, fkey=s.first_key)
        firsts = p.join(keys, [p.cid == keys.fcid, p.key == keys.fkey])
        if ORDER in self.table.columns:
            pick = firsts.group_by(pcid=firsts.cid).aggregate(poid=firsts.oid.min())
            firsts = firsts.join(pick, [firsts.cid == pick.pcid, firsts.oid == pick.poid])
        first_amount = firsts.select(acid=firsts.cid, first_amount=firsts.amount)
        s = s.left_join(first_amount, s.cid == first_amount.acid)
        s = s.mutate(repeat_total=s.total - s.first_amount.fill_null(0.0))
        freq = (s.n - 1).cast(dtypes.int64)
        cols = {CUSTOMER: s.cid, "frequency": freq,
                "recency": s.last_day.delta(s.first_day, unit="day").cast(dtypes.float64) / unit,
                "T": cal_lit.delta(s.first_day, unit="day").cast(dtypes.float64) / unit,
                "monetary_value": ibis.ifelse(freq > 0, s.repeat_total.fill_null(0.0) / freq.cast(dtypes.float64), 0.0),
                "first_purchase": s.first_day}
        if obs is not None:
            n_h = s.n_h.cast(dtypes.int64)
            cols |= {"frequency_holdout": n_h,
                     "monetary_holdout": ibis.ifelse(n_h > 0, s.total_h.fill_null(0.0) / n_h.cast(dtypes.float64), 0.0)}
        out = self._execute(s.select(**cols, _n=s.n))  # one pass: customers without a calibration purchase come too
        first_after = int((out["_n"] == 0).sum())
        out = out[out["_n"] > 0].drop(columns="_n").sort_values(CUSTOMER, kind="mergesort").set_index(CUSTOMER)
        out["first_purchase"] = pd.to_datetime(out["first_purchase"])
        if obs is not None:
            out["duration_holdout"] = (pd.Timestamp(obs) - pd.Timestamp(cal)).days / unit
        return CustomerSummary(out, self._settings(
            time_unit=time_unit, days_per_unit=unit, calibration_end=str(cal),
            observation_end=None if obs is None else str(obs), zero_amounts=zero_amounts,
            zero_amount_rows=facts["zero_rows"], dropped_after_end=facts["lines_after_end"],
            customers_first_buying_after_calibration=first_after))

    def rfm(self, *, as_of=None, monetary: str = "sum") -> LogTable:
        """Recency (days from the last purchase to ``as_of``, default the last purchase day), frequency (purchases)
        and monetary (total or mean per purchase) per customer; purchases after ``as_of`` raise."""
        import ibis
        import ibis.expr.datatypes as dtypes

        check_choice(monetary, "monetary", MONETARY_RULES)
        p = self.purchases()
        last = pd.Timestamp(self.backend.to_pandas(p.aggregate(d=p.day.max())).iloc[0, 0]).date()
        as_of = _day(as_of, "as_of") or last
        if last > as_of:
            n = int(self.backend.to_pandas(p.aggregate(n=(p.day > ibis.literal(as_of, type=dtypes.date)).sum())).iloc[0, 0])
            raise CrmlabValueError(f"{n} purchase(s) fall after as_of={as_of} (the log runs to {last}); filter them first")
        a = ibis.literal(as_of, type=dtypes.date)
        s = p.group_by("cid").aggregate(first_day=p.day.min(), last_day=p.day.max(), n=p.count(), total=p.amount.sum())
        value = s.total if monetary == "sum" else s.total / s.n.cast(dtypes.float64)
        out = self._execute(s.select(**{CUSTOMER: s.cid}, recency=a.delta(s.last_day, unit="day").cast(dtypes.float64),
                                     frequency=s.n.cast(dtypes.float64), monetary=value.cast(dtypes.float64),
                                     first_purchase=s.first_day, last_purchase=s.last_day))
        out = out.sort_values(CUSTOMER, kind="mergesort").set_index(CUSTOMER)
        for c in ("first_purchase", "last_purchase"):
            out[c] = pd.to_datetime(out[c])
        return LogTable(out, self._settings(as_of=str(as_of), monetary=monetary, recency_unit="days"))

    def period_totals(self, *, freq: str = "Y", periods=None, observed_from=None, observed_through=None) -> LogTable:
        """Revenue, cost, profit (= revenue − cost; needs a cost column) and purchases per customer and period.

        ``periods``: a mapping {label: [first day, last day]} of the periods to compare, or
        ``None`` for the calendar periods of ``freq`` ("Y", "Q", "M") that the log covers
        completely — a period the log only partly covers (it starts late or ends early) is
        left out and named in ``settings["partial_periods"]``.  The log is taken to cover
        the days from its first to its last line; ``observed_from`` / ``observed_through`` extend
        that to an earlier / later day when the log is known to cover it (e.g. no sales on the
        first or last days).  A customer appears in a period only if it bought in it.
        """
        import ibis
        import ibis.expr.datatypes as dtypes

        check_choice(freq, "freq", PERIOD_FREQUENCIES)
        p = self.purchases()
        span = self.backend.to_pandas(self.table.aggregate(lo=self.table[DATETIME].min(), hi=self.table[DATETIME].max())).iloc[0]
        lo, hi = pd.Timestamp(span["lo"]), pd.Timestamp(span["hi"])
        since, through = _day(observed_from, "observed_from"), _day(observed_through, "observed_through")
        if since is not None:
            if since > lo.date():
                raise CrmlabValueError(f"observed_from ({since}) is after the log's first line ({lo})")
            lo = pd.Timestamp(since)
        if through is not None:
            if through < hi.date():
                raise CrmlabValueError(f"observed_through ({through}) is before the log's last line ({hi})")
            hi = pd.Timestamp(through) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
        bounds, partial = _periods(freq, periods, lo, hi)
        if not bounds:
            raise CrmlabValueError(f"the log ({lo.date()} – {hi.date()}) covers no complete {freq!r} period; "
                                   f"partial: {partial}; give periods={{label: [first day, last day]}} explicitly")
        label = ibis.null(dtypes.string)
        for name, (start, end) in bounds.items():
            label = ibis.ifelse((p.day >= ibis.literal(start, type=dtypes.date)) & (p.day <= ibis.literal(end, type=dtypes.date)),
                                ibis.literal(name), label)
        q = p.mutate(period=label).filter(ibis._.period.notnull())
        sums = {"revenue": q.amount.sum(), "purchases": q.count().cast(dtypes.int64)}
        if COST in self.table.columns:
            sums["cost"] = q.cost.sum()
        out = self._execute(q.group_by(["period", "cid"]).aggregate(**sums).rename({CUSTOMER: "cid"}))
        if "cost" in out:
            out["profit"] = out["revenue"] - out["cost"]
        out = out.sort_values(["period", CUSTOMER], kind="mergesort").reset_index(drop=True)
        return LogTable(out, self._settings(freq=freq, periods={k: [str(a), str(b)] for k, (a, b) in bounds.items()},
                                            partial_periods=partial, log_span=[str(lo), str(hi)]))

    def cohort_days(self, *, observation_end=None, first_purchase_by=None) -> LogTable:
        """Per calendar day: customers making their first purchase and repeat purchases (for tracking plots).

        ``first_purchase_by`` keeps only the cohort of customers whose first purchase is on or before that day.
        """
        import ibis
        import ibis.expr.datatypes as dtypes

        p = self.purchases()
        obs, by = _day(observation_end, "observation_end"), _day(first_purchase_by, "first_purchase_by")
        if obs is not None:
            p = p.filter(p.day <= ibis.literal(obs, type=dtypes.date))
        firsts = p.group_by("cid").aggregate(day=p.day.min())
        if by is not None:
            firsts = firsts.filter(firsts.day <= ibis.literal(by, type=dtypes.date))
            cohort = firsts.select(ccid=firsts.cid)
            p = p.semi_join(cohort, p.cid == cohort.ccid)
        per_day = self.backend.to_pandas(p.group_by("day").aggregate(purchases=p.count().cast(dtypes.int64)))
        first = self.backend.to_pandas(firsts.group_by("day").aggregate(first_purchases=firsts.count().cast(dtypes.int64)))
        out = per_day.merge(first, on="day", how="left").fillna({"first_purchases": 0})
        out["first_purchases"] = out["first_purchases"].astype("int64")
        out["repeat_purchases"] = out["purchases"] - out["first_purchases"]
        out["day"] = pd.to_datetime(out["day"])
        return LogTable(out.drop(columns="purchases").sort_values("day").set_index("day"),
                        self._settings(observation_end=None if obs is None else str(obs),
                                       first_purchase_by=None if by is None else str(by)))

    def _settings(self, **extra) -> dict:
        return {"engine": self.settings["engine"], "source": self.settings["source"],
                "purchase_rule": self.settings["purchase_rule"], "rows": self.settings["rows"]} | extra


# =========================================================================== module helpers
def _rule(cols: Mapping) -> str:
    return f"order (distinct {cols[ORDER]!r} per customer)" if ORDER in cols else "customer-day"


def _money(s: pd.Series, col: str, index) -> np.ndarray:
    values = pd.to_numeric(s, errors="coerce")
    text = s[values.isna() & s.notna()]
    if len(text):
        raise CrmlabValueError(f"log column {col!r} has non-numeric values {_preview(text.unique())} at rows {_preview(text.index)}")
    v = values.to_numpy(dtype=float, na_value=np.nan)
    for bad, what in ((np.isnan(v), "missing values"), (np.isinf(v), "infinite values"),
                      (v < 0, "negative values (net out returns first)")):
        if bad.any():
            raise CrmlabValueError(f"log column {col!r} has {what} at rows {_preview(index[bad])}")
    return v


def _locate(path, format, hive) -> tuple[str, str, bool]:
    """The DuckDB scan target for a file, glob or folder, its format and whether it is Hive-partitioned."""
    p = Path(str(path)).expanduser()
    if p.is_dir():
        files = sorted(p.rglob("*.parquet"))
        if not files:
            raise CrmlabValueError(f"folder {p} holds no .parquet files")
        is_hive = any("=" in part for f in files for part in f.relative_to(p).parts[:-1]) if hive is None else hive
        return str(p / "**" / "*.parquet"), "parquet", is_hive
    matches = globlib.glob(str(p)) if any(ch in str(p) for ch in "*?[") else ([str(p)] if p.exists() else [])
    if not matches:
        raise CrmlabValueError(f"no file matches {path}")
    suffix = Path(matches[0]).suffix.lower()
    fmt = format or {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}.get(suffix)
    if fmt not in ("csv", "parquet"):
        raise CrmlabValueError(f"DuckDB scans CSV and Parquet files; {matches[0]} is neither (read it with "
                               "crmlab.readers.read_table and use TransactionLog.from_frame)")
    return str(p), fmt, bool(hive)


def _canonical(raw, cols: Mapping, *, con, date_format: str | None, where: str):
    """Rename to the canonical columns and give them their types (ids text, datetime timestamp, money float)."""
    import ibis.expr.datatypes as dtypes

    when = raw[cols[DATETIME]]
    if when.type().is_string():
        form = _date_form(con.to_pandas(raw.select(when).filter(when.notnull()).limit(2000))[cols[DATETIME]],
                          cols[DATETIME], date_format, where)
        when = _date_expr(when, form)
    elif when.type().is_integer() or when.type().is_floating():
        form = _date_form(con.to_pandas(raw.select(when).filter(when.notnull()).limit(2000))[cols[DATETIME]],
                          cols[DATETIME], date_format, where)
        when = _date_expr(when, form)
    elif when.type().is_date():
        when = when.cast(dtypes.timestamp)
    elif not when.type().is_timestamp():
        raise CrmlabValueError(f"{where}: column {cols[DATETIME]!r} has type {when.type()}, not a date or text")
    out = {CUSTOMER: raw[cols[CUSTOMER]] if raw[cols[CUSTOMER]].type().is_integer() else raw[cols[CUSTOMER]].cast(dtypes.string),
           DATETIME: when, AMOUNT: raw[cols[AMOUNT]].cast(dtypes.float64)}
    if ORDER in cols:
        out[ORDER] = raw[cols[ORDER]].cast(dtypes.string)
    if COST in cols:
        out[COST] = raw[cols[COST]].cast(dtypes.float64)
    return raw.select(**out)


def _date_form(sample: pd.Series, column: str, date_format: str | None, where: str) -> str:
    """The form of an engine-side date column, decided on a sample with the readers' rules."""
    if date_format is not None:
        return f"format:{date_format}"
    try:
        parsed = parse_dates(sample, column=column)
    except CrmlabValueError as exc:
        raise CrmlabValueError(f"{where}: {exc}") from None
    text = sample.astype(str).str.strip()
    if pd.api.types.is_numeric_dtype(sample) or text.str.fullmatch(r"\d+(\.\d+)?").all():  # numbers, or numbers as text
        v = pd.to_numeric(text).to_numpy(dtype=float)
        return "yyyymmdd" if v.min() >= YYYYMMDD_RANGE[0] else "excel"
    if text.str.contains("年").any():
        return "format:%Y年%m月%d日"
    if text.str.contains("/").any() or text.str.match(r"^\d{4}\.").any():
        return "slashed"
    del parsed
    return "iso"


def _date_expr(col, form: str):
    import ibis
    import ibis.expr.datatypes as dtypes

    if form.startswith("format:"):
        return col.cast(dtypes.string).as_timestamp(form.removeprefix("format:"))
    if form == "yyyymmdd":
        return col.cast(dtypes.string).as_timestamp("%Y%m%d")
    if form == "excel":  # Excel's 1900 system: days since 1899-12-30
        return ibis.timestamp("1899-12-30 00:00:00") + (col.cast(dtypes.float64) * 86_400_000_000).cast(dtypes.int64).as_interval("us")
    if form == "slashed":
        return col.re_replace(r"[/.]", "-").cast(dtypes.timestamp)
    return col.cast(dtypes.timestamp)


def _periods(freq: str, periods, lo: pd.Timestamp, hi: pd.Timestamp):
    """Period bounds {label: (first day, last day)} and the labels of periods the log covers only partly."""
    if periods is not None:
        if not isinstance(periods, Mapping) or not periods:
            raise CrmlabValueError("periods must map labels to [first day, last day]")
        bounds = {}
        for name, pair in periods.items():
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise CrmlabValueError(f"periods[{name!r}] must be [first day, last day], got {pair!r}")
            a, b = _day(pair[0], f"periods[{name!r}] first day"), _day(pair[1], f"periods[{name!r}] last day")
            if b < a:
                raise CrmlabValueError(f"periods[{name!r}] ends before it starts: {a} – {b}")
            bounds[str(name)] = (a, b)
        ordered = sorted(bounds.items(), key=lambda kv: kv[1][0])
        for (n1, (_, e1)), (n2, (s2, _)) in zip(ordered, ordered[1:]):
            if s2 <= e1:
                raise CrmlabValueError(f"periods {n1!r} and {n2!r} overlap")
        return dict(ordered), []
    code = {"Y": "Y", "Q": "Q", "M": "M"}[freq]
    all_periods = pd.period_range(lo, hi, freq=code)
    bounds, partial = {}, []
    for per in all_periods:
        start, end = per.start_time.date(), per.end_time.date()
        if start < lo.date() or end > hi.date():
            partial.append(str(per))
        else:
            bounds[str(per)] = (start, end)
    return bounds, partial
