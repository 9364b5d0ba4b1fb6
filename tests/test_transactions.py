"""The one transaction-log layer: purchases, BTYD summaries, RFM and period totals, checked by hand and on CDNOW."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab.readers import read_table
from crmlab.transactions import TransactionLog
from crmlab.validation import CrmlabValueError

CDNOW_NAMES = ["customer_id", "sample_id", "date", "cds", "amount"]


def cdnow_log(shared_data) -> TransactionLog:
    table = read_table(shared_data / "cdnow" / "CDNOW_sample.txt", sep="whitespace", names=CDNOW_NAMES,
                       id_columns=["customer_id"], date_columns={"date": "%Y%m%d"}).table
    return TransactionLog.from_frame(table, customer_id_col="sample_id")  # the published summary's ID


# ---------------------------------------------------------------- CDNOW reference
def test_cdnow_summary_matches_the_published_calibration_summary(shared_data):
    """FHL (2005a): 2,357 customers, 39-week calibration, frequency = repeat purchase days."""
    summary = cdnow_log(shared_data).customer_summary(calibration_end="1997-09-30", observation_end="1998-06-30")
    published = pd.read_csv(shared_data / "cdnow" / "cdnow_customers_summary.csv")
    ours = summary.table.set_axis(summary.table.index.astype(int)).sort_index()
    pub = published.set_index("ID").sort_index()
    assert len(ours) == len(pub) == 2357 and (ours.index == pub.index).all()
    np.testing.assert_array_equal(ours["frequency"], pub["frequency"])
    np.testing.assert_allclose(ours["recency"].round(2), pub["recency"], atol=0.006)  # published to 2 decimals
    np.testing.assert_allclose(ours["T"].round(2), pub["T"], atol=0.006)
    assert summary.settings["purchase_rule"] == "customer-day" and summary.settings["time_unit"] == "W"
    assert ours["duration_holdout"].iloc[0] == 39


# ---------------------------------------------------------------- hand examples
def test_same_day_lines_are_one_purchase_and_the_holdout_is_counted():
    log = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "a"],
                        "date": ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08", "2024-01-29"],
                        "amount": [10.0, 5.0, 20.0, 7.0, 30.0]})
    s = TransactionLog.from_frame(log).customer_summary(time_unit="D").table
    assert s.loc["a"].tolist()[:4] == [2, 28, 28, 25.0]  # days 1 (15 = 10 + 5), 15, 29; mean repeat (20 + 30) / 2
    assert s.loc["b"].tolist()[:4] == [0, 0, 21, 0.0]
    w = TransactionLog.from_frame(log).customer_summary(time_unit="W", calibration_end="2024-01-20",
                                                        observation_end="2024-01-31").table
    assert w.loc["a", "frequency"] == 1 and w.loc["a", "frequency_holdout"] == 1
    assert w.loc["a", "recency"] == pytest.approx(2.0) and w.loc["a", "duration_holdout"] == pytest.approx(11 / 7)


@pytest.fixture
def product_lines() -> pd.DataFrame:
    """A shop's product lines: baskets of several lines, two baskets on one day, a basket crossing midnight of 31 Dec."""
    return pd.DataFrame({
        "cust": ["00123", "00123", "00123", "00123", "123", "00123", "00123"],
        "basket": ["B1", "B1", "B2", "B2", "B9", "B3", "B3"],
        "when": ["2024-12-31 10:00", "2024-12-31 10:00", "2024-12-31 18:00", "2024-12-31 18:00", "2025-01-02 09:00",
                 "2024-12-31 23:59", "2025-01-01 00:01"],
        "paid": [10.0, 5.0, 20.0, 1.0, 8.0, 4.0, 6.0]})


def test_the_purchase_rule_is_the_order_when_one_is_given(product_lines):
    by_order = TransactionLog.from_frame(product_lines, customer_id_col="cust", datetime_col="when", monetary_value_col="paid",
                                         order_id_col="basket")
    p = by_order.backend.to_pandas(by_order.purchases()).sort_values(["cid", "key"])
    assert p.groupby("cid").size().to_dict() == {"00123": 3, "123": 1}  # "00123" and "123" are two customers
    assert p.loc[p.oid == "B3", "amount"].item() == 10.0
    assert pd.Timestamp(p.loc[p.oid == "B3", "day"].item()).date().isoformat() == "2024-12-31"
    s = by_order.customer_summary(time_unit="D").table
    assert s.loc["00123", "frequency"] == 2 and s.loc["00123", "monetary_value"] == pytest.approx((21 + 10) / 2)
    by_day = TransactionLog.from_frame(product_lines, customer_id_col="cust", datetime_col="when", monetary_value_col="paid")
    d = by_day.customer_summary(time_unit="D").table
    assert d.loc["00123", "frequency"] == 1  # customer-days: 31 Dec and 1 Jan
    assert "order" in by_order.customer_summary().settings["purchase_rule"]


def test_results_do_not_depend_on_row_order(product_lines):
    kw = dict(customer_id_col="cust", datetime_col="when", monetary_value_col="paid", order_id_col="basket")
    a = TransactionLog.from_frame(product_lines, **kw).customer_summary(time_unit="D").table
    b = TransactionLog.from_frame(product_lines.iloc[::-1], **kw).customer_summary(time_unit="D").table
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("change, message", [
    ({"customer_id": ["1", None, "2"]}, "missing ids at rows \\[1\\]"),
    ({"date": ["2024-01-01", None, "2024-01-05"]}, "missing dates at rows \\[1\\]"),
    ({"date": ["2024-01-01", "yesterday", "2024-01-05"]}, "mixes date forms|not dates"),
    ({"amount": [10.0, -3.0, 5.0]}, "negative values .* at rows \\[1\\]"),
    ({"amount": [10.0, float("inf"), 5.0]}, "infinite values at rows \\[1\\]"),
    ({"amount": [10.0, "ten", 5.0]}, "non-numeric values \\['ten'\\]"),
])
def test_bad_logs_name_column_and_rows(change, message):
    base = {"customer_id": ["1", "1", "2"], "date": ["2024-01-01", "2024-02-01", "2024-01-05"], "amount": [10.0, 0.0, 5.0]}
    with pytest.raises(CrmlabValueError, match=message):
        TransactionLog.from_frame(pd.DataFrame(base | change))


def test_zero_amounts_and_bad_dates_are_reported():
    log = TransactionLog.from_frame(pd.DataFrame({"customer_id": ["1", "1", "2"], "date": ["2024-01-01", "2024-02-01", "2024-01-05"],
                                                  "amount": [10.0, 0.0, 5.0]}))
    kept, dropped = log.customer_summary(zero_amounts="keep", time_unit="D"), log.customer_summary(zero_amounts="drop", time_unit="D")
    assert kept.settings["zero_amount_rows"] == 1 and kept.table.loc["1", "frequency"] == 1 and dropped.table.loc["1", "frequency"] == 0
    with pytest.raises(CrmlabValueError, match="1 line\\(s\\) with a zero amount"):
        log.customer_summary(zero_amounts="error")
    with pytest.raises(CrmlabValueError, match="must be after calibration_end"):
        log.customer_summary(calibration_end="2024-02-01", observation_end="2024-01-15")
    with pytest.raises(CrmlabValueError, match="time_unit must be one of"):
        log.customer_summary(time_unit="fortnight")


# ---------------------------------------------------------------- RFM
def test_rfm_by_hand():
    log = TransactionLog.from_frame(pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "c", "c"],
        "date": ["2024-01-01", "2024-01-01", "2024-03-01", "2024-02-15", "2024-03-20", "2024-03-31"],
        "amount": [10.0, 5.0, 30.0, 7.0, 2.0, 4.0]}))
    r = log.rfm(as_of="2024-04-01").table
    assert r.loc["a"].tolist()[:3] == [31.0, 2.0, 45.0] and r.loc["c"].tolist()[:3] == [1.0, 2.0, 6.0]
    assert log.rfm(as_of="2024-04-01", monetary="mean").table.loc["a", "monetary"] == pytest.approx(22.5)
    with pytest.raises(CrmlabValueError, match="fall after as_of=2024-03-15"):
        log.rfm(as_of="2024-03-15")


# ---------------------------------------------------------------- periods
def _years_log(last: str) -> TransactionLog:
    return TransactionLog.from_frame(pd.DataFrame({
        "customer_id": ["a", "b", "a", "c", "b"],
        "date": ["2023-01-01 08:00", "2023-06-01", "2024-05-01", "2024-08-01", last],
        "amount": [10.0, 20.0, 30.0, 40.0, 5.0], "cost": [1.0, 2.0, 3.0, 4.0, 1.0]}), cost_col="cost")


def test_periods_are_complete_calendar_periods_or_given():
    # the log runs a few hours into 2025: 2025 is not a year of data (it would read as almost total churn)
    into_new_year = _years_log("2025-01-01 03:00").period_totals(freq="Y")
    assert list(into_new_year.by_period()) == ["2023", "2024"] and into_new_year.settings["partial_periods"] == ["2025"]
    cut = _years_log("2024-12-31 20:00").period_totals(freq="Y")  # cut at 31 December: two whole years
    assert list(cut.by_period()) == ["2023", "2024"] and cut.settings["partial_periods"] == []
    t = cut.by_period()["2024"]
    assert t.loc["a", "revenue"] == 30 and t.loc["a", "profit"] == 27 and t.loc["b", "purchases"] == 1
    short = _years_log("2024-12-20").period_totals(freq="Y")
    assert list(short.by_period()) == ["2023"] and short.settings["partial_periods"] == ["2024"]
    through = _years_log("2024-12-20").period_totals(freq="Y", observed_through="2024-12-31")
    assert list(through.by_period()) == ["2023", "2024"]
    late_start = TransactionLog.from_frame(pd.DataFrame({"customer_id": ["a", "b"], "date": ["2023-01-02", "2023-12-31"],
                                                         "amount": [1.0, 2.0]}))
    with pytest.raises(CrmlabValueError, match="covers no complete 'Y' period; partial: \\['2023'\\]"):
        late_start.period_totals(freq="Y")
    assert list(late_start.period_totals(freq="Y", observed_from="2023-01-01").by_period()) == ["2023"]
    given = _years_log("2024-12-20").period_totals(periods={"H1": ["2023-01-01", "2023-06-30"], "H2": ["2023-07-01", "2024-12-31"]})
    assert given.by_period()["H1"]["revenue"].sum() == 30 and given.by_period()["H2"]["revenue"].sum() == 75
    with pytest.raises(CrmlabValueError, match="overlap"):
        _years_log("2024-12-20").period_totals(periods={"x": ["2023-01-01", "2023-12-31"], "y": ["2023-06-01", "2024-01-01"]})


# ---------------------------------------------------------------- files on DuckDB
def test_files_globs_and_hive_folders_give_the_frame_result(tmp_path, product_lines):
    kw = dict(customer_id_col="cust", datetime_col="when", monetary_value_col="paid", order_id_col="basket")
    expected = TransactionLog.from_frame(product_lines, **kw).customer_summary(time_unit="D").table
    product_lines.to_csv(tmp_path / "log.csv", index=False)
    frame = product_lines.assign(when=pd.to_datetime(product_lines["when"]))
    frame.to_parquet(tmp_path / "log.parquet")
    (tmp_path / "parts").mkdir()
    frame.iloc[:3].to_parquet(tmp_path / "parts" / "a.parquet")
    frame.iloc[3:].to_parquet(tmp_path / "parts" / "b.parquet")
    hive = tmp_path / "hive"
    for year, part in frame.groupby(frame["when"].dt.year):
        (hive / f"year={year}").mkdir(parents=True)
        part.to_parquet(hive / f"year={year}" / "part.parquet")
    for source in (tmp_path / "log.csv", tmp_path / "log.parquet", tmp_path / "parts" / "*.parquet", hive):
        log = TransactionLog.from_files(source, **kw)
        pd.testing.assert_frame_equal(log.customer_summary(time_unit="D").table, expected, obj=str(source))
        assert log.settings["engine"] == "duckdb"
    assert TransactionLog.from_files(hive, **kw).settings["hive_partitioning"] is True


def test_file_problems_are_counted_not_dropped(tmp_path):
    (tmp_path / "bad.csv").write_text("c,d,a\nx,2024-01-01,3\n,2024-01-02,4\ny,2024-01-03,-1\n")
    with pytest.raises(CrmlabValueError, match="1 line\\(s\\) with a missing customer id .* 1 line\\(s\\) with a negative amount"):
        TransactionLog.from_files(tmp_path / "bad.csv", customer_id_col="c", datetime_col="d", monetary_value_col="a")
    with pytest.raises(CrmlabValueError, match="no column\\(s\\) \\['amount'\\]"):
        TransactionLog.from_files(tmp_path / "bad.csv", customer_id_col="c", datetime_col="d")
    (tmp_path / "ymd.csv").write_text("c,d,a\n00007,20240131,3\n00007,20240305,4\n")
    s = TransactionLog.from_files(tmp_path / "ymd.csv", customer_id_col="c", datetime_col="d", monetary_value_col="a")
    assert s.customer_summary(time_unit="D").table.loc["00007", "recency"] == 34  # ids keep their zeros; yyyymmdd dates
    (tmp_path / "serial.csv").write_text("c,d,a\n00007,45322,3\n00007,45356,4\n")  # Excel serials: 2024-01-31, 2024-03-05
    s = TransactionLog.from_files(tmp_path / "serial.csv", customer_id_col="c", datetime_col="d", monetary_value_col="a")
    assert s.customer_summary(time_unit="D").table.loc["00007", "recency"] == 34
