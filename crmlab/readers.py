"""One way in for users' tables: CSV/TSV, Excel, SPSS and Parquet files read the same way.

:func:`read_table` reads a file into a :class:`TableRead` (the table and the settings
that were detected or given):

* **CSV / TSV** (``.csv``, ``.tsv``, ``.txt``): the encoding is detected — a byte-order
  mark (UTF-8, UTF-16), else strict UTF-8, else GB18030 (the superset of GBK that Excel
  writes on a Chinese Windows machine), else an error asking for ``encoding=`` — and the
  separator is sniffed among ``,`` ``;`` tab ``|``; both can be given.  Parsed with
  Apache Arrow's multi-threaded reader.
* **Excel** (``.xlsx``, via openpyxl), **SPSS** (``.sav``, via pyreadstat: user-missing
  codes become missing, value labels are kept in ``value_labels``) and **Parquet**.
* Survey-platform exports with extra header rows: ``header_row`` is the row holding the
  column codes (question text *above* them, as some platforms export), and
  ``skip_after_header`` drops rows of question text or import ids *below* them; their text
  is kept in ``question_text``.
* ``missing_codes`` (e.g. ``[-99, 98]`` or ``{"q1": [9]}``) become missing; how many per
  column is reported.  ``id_columns`` are read as text, so ``00123`` keeps its zeros and
  the ids 1 and "1" are one customer.  ``date_columns`` are parsed by :func:`parse_dates`.

Nothing is dropped or reordered; every row of the file is a row of the table.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .validation import CrmlabValueError, _preview, check_choice

FORMATS = ("csv", "excel", "spss", "parquet")
SUFFIX_FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "excel", ".xlsm": "excel", ".sav": "spss",
                  ".zsav": "spss", ".parquet": "parquet", ".pq": "parquet"}
SEPARATORS = (",", ";", "\t", "|")
NULL_TEXT = ["", "NA", "N/A", "NULL", "null", "NaN", "nan", "#N/A"]
SNIFF_BYTES = 1 << 16
# Excel's 1900 date system: serial 1 = 1900-01-01, counted from 1899-12-30 (Excel's 1900 leap-year bug included).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EXCEL_SERIAL_RANGE = (1, 80_000)          # 1900-01-01 … 2119
YYYYMMDD_RANGE = (1900_01_01, 2100_12_31)


@dataclass(frozen=True)
class TableRead:
    """A table read from a file, the reading settings (detected or given), and what the file said about its columns."""

    table: pd.DataFrame
    settings: dict
    question_text: dict = field(default_factory=dict)
    value_labels: dict = field(default_factory=dict)


# =========================================================================== detection
def detect_encoding(sample: bytes) -> str:
    """Encoding of a text file from its first bytes: BOM, else strict UTF-8, else GB18030, else an error."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a character cut at the end of the sample
                return encoding
    raise CrmlabValueError("the file's encoding is neither UTF-8 (with or without BOM), UTF-16 nor GBK/GB18030; "
                           "give it as reader option encoding (e.g. encoding: cp1252)")


def sniff_separator(text: str) -> str:
    """The column separator of a delimited text sample among ``,`` ``;`` tab ``|``."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        raise CrmlabValueError("the file is empty")
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        counts = {s: lines[0].count(s) for s in SEPARATORS}
        best = max(counts, key=counts.get)
        if counts[best] == 0:
            return ","  # a one-column file
        return best


def format_of(path: Path, format: str | None) -> str:
    """The reader for ``path``: ``format`` if given, else from the file suffix."""
    if format is not None:
        check_choice(format, "format", FORMATS)
        return format
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise CrmlabValueError(f"cannot tell the format of {path.name} from its suffix; give format as one of {list(FORMATS)} "
                               f"(known suffixes: {sorted(SUFFIX_FORMATS)})")
    return fmt


# =========================================================================== values
def as_ids(values: pd.Series, *, column: str) -> pd.Series:
    """Customer or respondent ids as text: 1, 1.0 and "1" are one id; "00123" keeps its zeros; missing ids raise."""
    if values.isna().any():
        raise CrmlabValueError(f"id column {column!r} has missing ids at rows {_preview(values.index[values.isna()])}")
    if pd.api.types.is_float_dtype(values):
        v = values.to_numpy()
        if not np.all(np.isfinite(v)) or not np.all(v == np.round(v)):
            bad = values[~(np.isfinite(v) & (v == np.round(v)))]
            raise CrmlabValueError(f"id column {column!r} holds non-integer numbers {_preview(bad.unique())}; ids must be "
                                   "whole numbers or text")
        values = values.astype(np.int64)
    if pd.api.types.is_object_dtype(values):
        values = values.map(lambda v: str(int(v)) if isinstance(v, (float, np.floating)) and float(v).is_integer()
                            else str(v))
    return values.astype("string").rename(values.name)


_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_YMD_OTHER = re.compile(r"^\d{4}[/.]\d{1,2}[/.]\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?$")
_YMD_ZH = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日( ?\d{1,2}:\d{2}(:\d{2})?)?$")
_NUMBER_TEXT = re.compile(r"^\d+(\.\d+)?$")  # yyyymmdd or an Excel serial stored as text
_AMBIGUOUS = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}( .*)?$")


def _to_naive_wall_time(out: pd.Series) -> pd.Series:
    if isinstance(out.dtype, pd.DatetimeTZDtype):
        return out.dt.tz_localize(None)  # the wall-clock time where it was recorded: its calendar day
    return out


def _parse_date_numbers(values: pd.Series, column: str) -> pd.Series:
    v = values.to_numpy(dtype=float)
    if not np.all(np.isfinite(v)):
        raise CrmlabValueError(f"date column {column!r} has infinite values")
    whole = np.all(v == np.round(v))
    if whole and v.min() >= YYYYMMDD_RANGE[0] and v.max() <= YYYYMMDD_RANGE[1]:
        out = pd.to_datetime(pd.Series(v.astype(np.int64), index=values.index).astype(str), format="%Y%m%d", errors="coerce")
        bad = values[out.isna()]
        if len(bad):
            raise CrmlabValueError(f"date column {column!r} holds 8-digit numbers read as yyyymmdd, but {_preview(bad.unique())} "
                                   f"(rows {_preview(bad.index)}) are not calendar dates")
        return out
    if v.min() >= EXCEL_SERIAL_RANGE[0] and v.max() <= EXCEL_SERIAL_RANGE[1]:
        return pd.Series(EXCEL_EPOCH + pd.to_timedelta(v, unit="D"), index=values.index)
    sample = values.to_numpy()[int(np.argmax((v < YYYYMMDD_RANGE[0]) & ((v < EXCEL_SERIAL_RANGE[0]) | (v > EXCEL_SERIAL_RANGE[1]))
                                       | (v > YYYYMMDD_RANGE[1])))].item()
    raise CrmlabValueError(
        f"date column {column!r} holds numbers such as {sample!r} that are neither yyyymmdd dates (e.g. 20240131) nor Excel "
        f"serial day numbers ({EXCEL_SERIAL_RANGE[0]}–{EXCEL_SERIAL_RANGE[1]}); store dates as text (2024-01-31) or give "
        "date_format")


def parse_dates(values: pd.Series, *, column: str, date_format: str | None = None) -> pd.Series:
    """Dates from ISO text, ``yyyymmdd`` numbers, Excel serial numbers, ``2024/1/31``, ``2024年1月31日`` or ``date_format``.

    Day-first or month-first text such as ``01/02/2024`` is ambiguous and raises unless
    ``date_format`` says which (``"%d/%m/%Y"`` or ``"%m/%d/%Y"``).  Time-zone-aware
    timestamps keep their local wall-clock time (the calendar day where they were
    recorded).  Missing values stay missing; anything unparseable raises naming the
    column, a sample and the rows.
    """
    present = values.dropna()
    if pd.api.types.is_datetime64_any_dtype(values):
        return _to_naive_wall_time(values)
    if date_format is not None:
        text = values.astype("string")
        out = pd.to_datetime(text, format=date_format, errors="coerce")
        bad = values[out.isna() & values.notna()]
        if len(bad):
            raise CrmlabValueError(f"date column {column!r} has values {_preview(bad.unique())} (rows {_preview(bad.index)}) "
                                   f"that do not match date_format {date_format!r}")
        return _to_naive_wall_time(out)
    if len(present) == 0:
        return pd.to_datetime(values, errors="coerce")
    mask = values.notna().to_numpy()
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        out.iloc[np.flatnonzero(mask)] = _parse_date_numbers(present, column).to_numpy()
        return out
    text = present.astype("string").str.strip()
    sample = text.iloc[0]
    probe = text.iloc[np.unique(np.linspace(0, len(text) - 1, min(len(text), 2000)).astype(int))]
    for pattern, prepare in ((_ISO, lambda s: s), (_YMD_OTHER, lambda s: s.str.replace(r"[/.]", "-", regex=True)),
                             (_YMD_ZH, lambda s: s.str.replace("年", "-").str.replace("月", "-").str.replace("日", " ")
                                                  .str.strip()),
                             (_NUMBER_TEXT, None)):
        matches = probe.str.match(pattern)  # the form is decided on a spread sample; every value is then parsed
        if not matches.all():
            if matches.any() and pattern.match(sample):
                odd = probe[~matches]
                raise CrmlabValueError(f"date column {column!r} mixes date forms: {sample!r} and {odd.iloc[0]!r} "
                                       f"(rows {_preview(odd.index)}); give date_format or clean the column")
            continue
        if prepare is None:
            parsed = _parse_date_numbers(pd.to_numeric(text), column)
        else:
            parsed = pd.to_datetime(prepare(text), format="ISO8601", errors="coerce", utc=False)
            bad = present[parsed.isna()]
            if len(bad):
                raise CrmlabValueError(f"date column {column!r} has values {_preview(bad.unique())} (rows {_preview(bad.index)}) "
                                       f"that are not calendar dates in the column's form (like {sample!r})")
        out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        parsed = _to_naive_wall_time(parsed) if isinstance(parsed.dtype, pd.DatetimeTZDtype) else parsed
        out.iloc[np.flatnonzero(mask)] = parsed.to_numpy()
        return out
    if _AMBIGUOUS.match(sample):
        raise CrmlabValueError(f"date column {column!r} has dates like {sample!r}, which could be day-first or month-first; "
                               "give date_format, e.g. '%d/%m/%Y' or '%m/%d/%Y'")
    raise CrmlabValueError(f"date column {column!r} has values like {sample!r} that are not dates in a known form "
                           "(2024-01-31, 2024/1/31, 2024年1月31日, 20240131 or an Excel serial number); give date_format")


def apply_missing_codes(table: pd.DataFrame, codes, *, skip: Sequence[str] = ()) -> tuple[pd.DataFrame, dict]:
    """Replace declared missing-value codes by missing values; return the table and the count per column.

    ``codes``: a list applied to every column (numbers match numeric columns, text matches
    text columns; ``-99`` also matches the text ``"-99"``), or a mapping column -> list.
    Columns in ``skip`` (ids, dates) are left alone.
    """
    if not codes:
        return table, {}
    if isinstance(codes, Mapping):
        unknown = [c for c in codes if c not in table.columns]
        if unknown:
            raise CrmlabValueError(f"missing_codes name column(s) {_preview(unknown)} that the table does not have; "
                                   f"columns: {_preview(table.columns, 15)}")
        per_column = {c: list(v) if isinstance(v, (list, tuple)) else [v] for c, v in codes.items()}
    else:
        codes = list(codes) if isinstance(codes, (list, tuple)) else [codes]
        per_column = {c: codes for c in table.columns if c not in skip}
    out = table.copy()
    counts = {}
    for col, col_codes in per_column.items():
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            numbers = [float(c) for c in col_codes if isinstance(c, (int, float)) and not isinstance(c, bool)]
            hit = s.isin(numbers)
        else:
            hit = s.astype("string").isin([str(c) for c in col_codes]) & s.notna()
        n = int(hit.sum())
        if n:
            out[col] = s.astype(float) if pd.api.types.is_integer_dtype(s) else s
            out.loc[hit, col] = np.nan if pd.api.types.is_numeric_dtype(out[col]) else pd.NA
            counts[col] = n
    return out, counts


# =========================================================================== readers
def _read_csv(path: Path, *, encoding, sep, header_row, skip_after_header, text_columns, nrows, names=None):
    import pyarrow as pa
    from pyarrow import csv as pacsv

    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip():
        raise CrmlabValueError(f"{path} is empty")
    encoding = encoding or detect_encoding(head)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise CrmlabValueError(f"encoding {encoding!r} is not a known text encoding") from None
    if sep == "whitespace":  # runs of spaces or tabs (e.g. the CDNOW files)
        table = pd.read_csv(path, sep=r"\s+", header=None if names else header_row, names=names, encoding=encoding,
                            dtype={c: str for c in text_columns}, nrows=nrows, skiprows=skip_after_header or None)
        return table, {"encoding": encoding, "sep": "whitespace"}, {}, {}
    text = head.decode(encoding, errors="ignore")
    lines = text.splitlines()
    if names:
        sep = sep or sniff_separator("\n".join(lines[:60]))
        read = pacsv.ReadOptions(encoding="utf8" if encoding in ("utf-8", "utf8") else encoding, column_names=list(names),
                                 block_size=1 << 24)
        convert = pacsv.ConvertOptions(column_types={c: pa.string() for c in text_columns if c in names},
                                       null_values=NULL_TEXT, strings_can_be_null=True)
        try:
            arrow = pacsv.read_csv(path, read_options=read, parse_options=pacsv.ParseOptions(delimiter=sep),
                                   convert_options=convert)
        except pa.ArrowInvalid as exc:
            raise CrmlabValueError(f"{path} could not be parsed with the {len(names)} names given: {exc}") from None
        table = arrow.to_pandas()
        return (table.iloc[:nrows] if nrows is not None else table), {"encoding": encoding, "sep": sep}, {}, {}
    sep = sep or sniff_separator("\n".join(lines[header_row:header_row + 60]))
    header_text = list(csv.reader(io.StringIO("\n".join(lines[: header_row + 1 + skip_after_header])), delimiter=sep))
    if len(header_text) <= header_row:
        raise CrmlabValueError(f"{path} has fewer than {header_row + 1} rows; header_row={header_row} points past its end")
    names = header_text[header_row]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise CrmlabValueError(f"{path} has duplicated column names {dup} in its header row {header_row}")
    question_text = {}
    for row in header_text[:header_row] + header_text[header_row + 1:]:
        for name, txt in zip(names, row):
            if txt.strip() and name not in question_text and txt.strip() != name:
                question_text[name] = txt.strip()
    read = pacsv.ReadOptions(encoding="utf8" if encoding in ("utf-8", "utf8") else encoding, skip_rows=header_row,
                             skip_rows_after_names=skip_after_header, block_size=1 << 24)
    # quoted line breaks (question text in survey exports) need the slower serial parser; detect them in the sample
    sample_lines = text[: text.rfind("\n") + 1]
    multiline = len(list(csv.reader(io.StringIO(sample_lines), delimiter=sep))) < sample_lines.count("\n")
    parse = pacsv.ParseOptions(delimiter=sep, newlines_in_values=multiline)
    types = {c: pa.string() for c in text_columns if c in names}
    convert = pacsv.ConvertOptions(column_types=types, null_values=NULL_TEXT, strings_can_be_null=True,
                                   quoted_strings_can_be_null=False)
    try:
        arrow = pacsv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid as exc:
        raise CrmlabValueError(f"{path} could not be parsed as {encoding} text separated by {sep!r}: {exc}") from None
    table = arrow.to_pandas()
    if nrows is not None:
        table = table.iloc[:nrows]
    return table, {"encoding": encoding, "sep": sep}, question_text, {}


def _read_excel(path: Path, *, sheet, header_row, skip_after_header, text_columns, nrows):
    try:
        raw = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, header=None, dtype=object, nrows=None if nrows is None
                            else nrows + header_row + 1 + skip_after_header, engine="openpyxl")
    except ValueError as exc:
        raise CrmlabValueError(f"{path}: {exc}") from None
    if len(raw) <= header_row:
        raise CrmlabValueError(f"{path} has fewer than {header_row + 1} rows; header_row={header_row} points past its end")
    names = [str(v) for v in raw.iloc[header_row]]
    question_text = {}
    for k in list(range(header_row)) + list(range(header_row + 1, header_row + 1 + skip_after_header)):
        for name, txt in zip(names, raw.iloc[k]):
            if isinstance(txt, str) and txt.strip() and name not in question_text:
                question_text[name] = txt.strip()
    body = raw.iloc[header_row + 1 + skip_after_header:].reset_index(drop=True)
    body.columns = names
    table = pd.DataFrame(index=body.index)
    for c in names:
        s = body[c]
        table[c] = s.astype("string") if c in text_columns else pd.Series(s.infer_objects().to_numpy(), index=body.index).infer_objects()
        if c not in text_columns and pd.api.types.is_object_dtype(table[c]):
            numeric = pd.to_numeric(table[c], errors="coerce")
            if numeric.notna().sum() == table[c].notna().sum():
                table[c] = numeric
    return table, {"sheet": 0 if sheet is None else sheet}, question_text, {}


def _read_spss(path: Path, *, text_columns, nrows):
    import pyreadstat

    try:
        table, meta = pyreadstat.read_sav(str(path), user_missing=False, apply_value_formats=False,
                                          row_limit=0 if nrows is None else nrows)
    except pyreadstat.ReadstatError as exc:
        raise CrmlabValueError(f"{path} is not a readable SPSS .sav file: {exc}") from None
    question_text = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    return table, {"user_missing": "missing (as declared in the file)"}, question_text, dict(meta.variable_value_labels or {})


def read_table(path, *, format: str | None = None, encoding: str | None = None, sep: str | None = None,
               sheet: str | int | None = None, header_row: int = 0, skip_after_header: int = 0,
               missing_codes=None, id_columns: Sequence[str] = (), date_columns: Mapping[str, str | None] | Sequence[str] = (),
               nrows: int | None = None, names: Sequence[str] | None = None) -> TableRead:
    """Read a CSV/TSV, Excel, SPSS or Parquet file the one crmlab way (see the module docstring).

    Text files without a header row take their column ``names``; ``sep="whitespace"`` splits on runs of spaces/tabs.
    """
    path = Path(path)
    if not path.is_file():
        raise CrmlabValueError(f"file {path} does not exist" + (" (it is a folder)" if path.is_dir() else ""))
    fmt = format_of(path, format)
    for name, v in (("header_row", header_row), ("skip_after_header", skip_after_header)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise CrmlabValueError(f"{name} must be a whole number >= 0, got {v!r}")
    if sep is not None and sep != "whitespace" and (not isinstance(sep, str) or len(sep) != 1):
        raise CrmlabValueError(f"sep must be one character or 'whitespace', got {sep!r}")
    if names is not None and (isinstance(names, str) or len(set(names)) != len(names)):
        raise CrmlabValueError(f"names must be a list of distinct column names, got {names!r}")
    id_columns = [id_columns] if isinstance(id_columns, str) else list(id_columns)
    dates = {c: None for c in ([date_columns] if isinstance(date_columns, str) else date_columns)} \
        if not isinstance(date_columns, Mapping) else dict(date_columns)
    text_columns = set(id_columns) | {c for c, f in dates.items() if f is not None}
    if fmt == "csv":
        table, detected, question_text, labels = _read_csv(path, encoding=encoding, sep=sep, header_row=header_row,
                                                           skip_after_header=skip_after_header, text_columns=text_columns,
                                                           nrows=nrows, names=names)
    elif fmt == "excel":
        table, detected, question_text, labels = _read_excel(path, sheet=sheet, header_row=header_row,
                                                             skip_after_header=skip_after_header, text_columns=set(id_columns),
                                                             nrows=nrows)
    elif fmt == "spss":
        table, detected, question_text, labels = _read_spss(path, text_columns=text_columns, nrows=nrows)
    else:
        table = pd.read_parquet(path)
        table = table.iloc[:nrows] if nrows is not None else table
        detected, question_text, labels = {}, {}, {}
    missing = [c for c in [*id_columns, *dates] if c not in table.columns]
    if missing:
        raise CrmlabValueError(f"{path.name} has no column(s) {_preview(missing)}; its columns: {_preview(table.columns, 20)}")
    for c in id_columns:
        table[c] = as_ids(table[c], column=c)
    table, replaced = apply_missing_codes(table, missing_codes, skip=[*id_columns, *dates])
    for c, f in dates.items():
        table[c] = parse_dates(table[c], column=c, date_format=f)
    settings = {"path": str(path), "format": fmt, **detected, "header_row": header_row, "skip_after_header": skip_after_header,
                "missing_codes": missing_codes, "missing_replaced": replaced, "id_columns": id_columns,
                "date_columns": dates, "rows": len(table)}
    return TableRead(table=table, settings=settings, question_text=question_text, value_labels=labels)
