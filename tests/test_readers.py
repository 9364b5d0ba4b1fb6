"""One way in for tables: every format and encoding gives the same table; codes, ids and dates follow one rule."""
from __future__ import annotations

import pandas as pd
import pytest

from crmlab.readers import parse_dates, read_table
from crmlab.validation import CrmlabValueError

TABLE = pd.DataFrame({
    "客户编号": ["00123", "123", "007", "8"],
    "满意度": [5.0, -99.0, 3.0, 4.0],
    "日期": ["2024-01-05", "2024-02-01", "2024-03-01", "2024-12-31"],
    "品牌": ["甲", "乙", "不适用", "甲"],
})
READ = dict(id_columns=["客户编号"], date_columns=["日期"], missing_codes=[-99, "不适用"])


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("copies")
    paths = {
        "utf-8": d / "utf8.csv", "utf-8 BOM, semicolons": d / "bom.csv", "GBK": d / "gbk.csv",
        "UTF-16, tabs": d / "utf16.tsv", "xlsx": d / "t.xlsx", "parquet": d / "t.parquet",
    }
    TABLE.to_csv(paths["utf-8"], index=False)
    TABLE.to_csv(paths["utf-8 BOM, semicolons"], index=False, sep=";", encoding="utf-8-sig")
    TABLE.to_csv(paths["GBK"], index=False, encoding="gbk")  # what Excel writes on a Chinese Windows machine
    TABLE.to_csv(paths["UTF-16, tabs"], index=False, sep="\t", encoding="utf-16")
    TABLE.to_excel(paths["xlsx"], index=False)
    TABLE.to_parquet(paths["parquet"])
    return paths


def test_every_format_and_encoding_reads_the_same_table(copies):
    reference = read_table(copies["utf-8"], **READ).table
    assert reference["客户编号"].tolist() == ["00123", "123", "007", "8"]  # ids are text: zeros kept
    assert reference["满意度"].isna().tolist() == [False, True, False, False]  # -99 declared missing
    assert reference["品牌"].isna().tolist() == [False, False, True, False]  # a text code too
    assert reference["日期"].dt.strftime("%Y-%m-%d").tolist() == TABLE["日期"].tolist()
    for kind, path in copies.items():
        got = read_table(path, **READ)
        pd.testing.assert_frame_equal(got.table, reference, check_dtype=False, obj=kind)
        assert got.settings["missing_replaced"] == {"满意度": 1, "品牌": 1}, kind
    assert read_table(copies["GBK"], **READ).settings["encoding"] == "gb18030"
    assert read_table(copies["UTF-16, tabs"], **READ).settings["sep"] == "\t"


def test_spss_user_missing_and_value_labels(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    data = pd.DataFrame({"id": ["00123", "123"], "sat": [5.0, -99.0], "date": ["2024-01-05", "2024-02-01"]})
    pyreadstat.write_sav(data, str(tmp_path / "s.sav"), missing_ranges={"sat": [-99.0]},
                         variable_value_labels={"sat": {5.0: "非常满意", -99.0: "拒答"}}, column_labels=["编号", "总体满意度", "日期"])
    got = read_table(tmp_path / "s.sav", id_columns=["id"], date_columns=["date"])
    assert got.table["id"].tolist() == ["00123", "123"] and got.table["sat"].isna().tolist() == [False, True]
    assert got.value_labels["sat"][5.0] == "非常满意" and got.question_text["sat"] == "总体满意度"


def test_ids_one_and_text_one_are_one_customer(tmp_path):
    mixed = pd.DataFrame({"id": [1, "1", 2.0, "002"], "x": [1, 2, 3, 4]})
    from crmlab.readers import as_ids
    assert as_ids(mixed["id"], column="id").tolist() == ["1", "1", "2", "002"]
    with pytest.raises(CrmlabValueError, match="non-integer numbers"):
        as_ids(pd.Series([1.5, 2.0]), column="id")
    with pytest.raises(CrmlabValueError, match="missing ids at rows \\[1\\]"):
        as_ids(pd.Series(["a", None]), column="id")


def test_survey_platform_header_rows(tmp_path):
    # question text above the codes (one platform) and question text plus import ids below them (another)
    (tmp_path / "above.csv").write_text("您的年龄,总体满意度\nage,sat\n31,5\n45,4\n", encoding="utf-8")
    got = read_table(tmp_path / "above.csv", header_row=1)
    assert list(got.table.columns) == ["age", "sat"] and got.table["sat"].tolist() == [5, 4]
    assert got.question_text == {"age": "您的年龄", "sat": "总体满意度"}
    (tmp_path / "below.csv").write_text('Q1,Q2\n"How satisfied,\noverall?",Age\n"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}"\n5,31\n4,45\n')
    got = read_table(tmp_path / "below.csv", skip_after_header=2)
    assert got.table.to_dict("list") == {"Q1": [5, 4], "Q2": [31, 45]}
    assert got.question_text["Q1"].startswith("How satisfied")


@pytest.mark.parametrize("values, expected", [
    (pd.Series([20240131, 20231201]), ["2024-01-31", "2023-12-01"]),
    (pd.Series([45322, 45261]), ["2024-01-31", "2023-12-01"]),  # Excel serials (1900 system)
    (pd.Series(["2024/1/31", "2023/12/1"]), ["2024-01-31", "2023-12-01"]),
    (pd.Series(["2024年1月31日", "2023年12月1日"]), ["2024-01-31", "2023-12-01"]),
    (pd.Series(["20240131", "20231201"]), ["2024-01-31", "2023-12-01"]),
    (pd.Series(["45322", "45261.5"]), ["2024-01-31", "2023-12-01"]),  # Excel serials stored as text
    (pd.Series(["2024-01-31T23:30:00+08:00", "2023-12-01T01:00:00+08:00"]), ["2024-01-31", "2023-12-01"]),  # local day kept
])
def test_date_forms(values, expected):
    assert parse_dates(values, column="d").dt.strftime("%Y-%m-%d").tolist() == expected


@pytest.mark.parametrize("values, message", [
    (pd.Series(["01/02/2024", "03/04/2024"]), "could be day-first or month-first"),
    (pd.Series([1_700_000_000]), "neither yyyymmdd dates .* nor Excel serial"),
    (pd.Series([20240231]), "not calendar dates"),
    (pd.Series(["2024-01-31", "20240201"]), "mixes date forms"),
    (pd.Series(["soon"]), "not dates in a known form"),
])
def test_ambiguous_or_bad_dates_name_the_column_and_a_sample(values, message):
    with pytest.raises(CrmlabValueError, match=f"date column 'd' .*{message}"):
        parse_dates(values, column="d")


def test_explicit_date_format_settles_day_first():
    got = parse_dates(pd.Series(["01/02/2024"]), column="d", date_format="%d/%m/%Y")
    assert got.iloc[0] == pd.Timestamp("2024-02-01")


def test_reader_errors_name_the_problem(tmp_path):
    with pytest.raises(CrmlabValueError, match="does not exist"):
        read_table(tmp_path / "nope.csv")
    (tmp_path / "x.dat").write_text("a\n1\n")
    with pytest.raises(CrmlabValueError, match="cannot tell the format of x.dat"):
        read_table(tmp_path / "x.dat")
    (tmp_path / "c.csv").write_bytes("名,值\n甲,1\n".encode("utf-8"))
    with pytest.raises(CrmlabValueError, match="no column\\(s\\) \\['id'\\]"):
        read_table(tmp_path / "c.csv", id_columns=["id"])
    (tmp_path / "latin.csv").write_bytes("name,x\nCaf\xe9,1\nna\xefve,2\n".encode("latin-1"))
    with pytest.raises(CrmlabValueError, match="encoding"):
        read_table(tmp_path / "latin.csv")
    assert read_table(tmp_path / "latin.csv", encoding="latin-1").table["name"].tolist() == ["Café", "naïve"]
