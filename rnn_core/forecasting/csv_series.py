"""Read a learner's CSV file into one numeric series, with a clear reason when it cannot.

Uploaded bytes are only ever decoded as text and parsed by pandas' CSV reader: never unpickled,
evaluated or loaded as a model. Each failure raises ``SeriesError`` whose ``code`` names a
translated message (``sine.csv_<code>``) and whose ``params`` fill its placeholders.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from rnn_core.bounds import check_choice

MAX_BYTES = 2 * 1024 * 1024  # far below server.maxUploadSize (.streamlit/config.toml): ours
MIN_LENGTH, MAX_LENGTH = 40, 5000  # enough for windows and a held-out part; small enough to train
NUMERIC_SHARE = 0.8  # a column is numeric if this share of its non-empty cells are numbers
EXAMPLES_DIR = Path(__file__).parent / "examples"
EXAMPLES = {  # name -> (file, value column, known period); sources in examples/README.md
    "sunspots": ("sunspots.csv", "SUNACTIVITY", 11),
    "co2": ("co2.csv", "co2", 52),
}
MissingPolicy = Literal["interpolate", "drop"]
MISSING_POLICIES: tuple[MissingPolicy, ...] = get_args(MissingPolicy)
# Why a file cannot become a series: each code names a message ``sine.csv_<code>``.
ERROR_CODES = ("too_large", "empty", "binary", "parse", "parse_line", "no_numeric",
               "column_missing", "too_short", "too_long", "too_big")
MAX_ABS_VALUE = 1e15  # beyond any measured series; larger values overflow the loss (inf, nan)
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")  # 1.234,5 or 12,75
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")  # 1,234 in a comma-separated file: English
_EXCEL_SEP = re.compile(r'^"?sep=(.)"?[ \t]*\r?\n', re.IGNORECASE)  # Excel's "sep=;" first line
ONE_COLUMN = "\x1f"  # the "delimiter" of a file with one column: a character no CSV holds
_ONE_NUMBER = re.compile(r'"?[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+"?')  # a row of a one-column file
_RULE_LINES = 50  # lines looked at to tell a one-column file
# Shift_JIS lead bytes that Latin-1 text never holds (there they are C1 control characters), and
# half-width katakana, which Latin-1 accented capitals become when read as cp932.
_SHIFT_JIS_LEAD = re.compile(rb"[\x81-\x9f]")
_HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]")
_PARSER_LINE = re.compile(r"\bline (\d+)\b")


class SeriesError(ValueError):
    """A CSV that cannot become a series; ``code`` selects the translated explanation."""

    def __init__(self, code: str, **params: Any) -> None:
        check_choice("code", code, ERROR_CODES)
        super().__init__(f"{code}: {params}" if params else code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Series:
    """A numeric column of a CSV, cleaned."""

    values: np.ndarray  # (n,) finite floats
    column: str
    numeric_columns: list[str]  # the learner can pick any of these
    ignored_columns: list[str] = field(default_factory=list)  # text columns, not used
    missing: int = 0  # blank / NaN / inf cells found in the column
    policy: MissingPolicy = "interpolate"
    encoding: str = "utf-8"
    delimiter: str = ","  # ONE_COLUMN for a file of one column


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-16 (what Excel's "Unicode text" writes, told by its byte-order mark
    or by the zero bytes of ASCII text in it), UTF-8 with or without BOM, Shift_JIS (cp932, what
    Japanese Excel writes as "CSV"), else Latin-1, which accepts any bytes."""
    utf16 = _utf16_encoding(data)
    if utf16 is not None:
        try:
            return data.decode(utf16).lstrip("\ufeff"), utf16.removesuffix("-le").removesuffix(
                "-be")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    japanese = _shift_jis(data)
    if japanese is not None:
        return japanese, "cp932"
    return data.decode("latin-1"), "latin-1"


def _shift_jis(data: bytes) -> str | None:
    """``data`` read as cp932 when that is what it must be: it decodes, holds a lead byte that
    Latin-1 text never does, and shows no half-width katakana (what Latin-1 accents become)."""
    if _SHIFT_JIS_LEAD.search(data) is None:
        return None
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return None
    return None if _HALF_WIDTH_KANA.search(text) else text


def _utf16_encoding(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4096]
    if len(head) >= 8 and head.count(0) > len(head) // 3:  # ASCII text in 16-bit units
        return "utf-16-le" if head[1::2].count(0) > head[::2].count(0) else "utf-16-be"
    return None


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first lines (comma, semicolon, tab or bar); comma if unsure."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def split_rule(text: str) -> tuple[str, str]:
    """(text, delimiter): an Excel ``sep=;`` first line names the delimiter (and is dropped). A
    header without the sniffed delimiter over rows that are each one number (``5,84``) is a
    one-column file (``ONE_COLUMN``) whose commas are decimal commas: split at them, the series
    would be its fractional parts."""
    excel = _EXCEL_SEP.match(text)
    if excel is not None:
        return text[excel.end():], excel.group(1)
    delimiter = sniff_delimiter(text)
    header, *rows = [line.strip() for line in text.strip().splitlines()[:_RULE_LINES]]
    one_column = delimiter not in header and all(
        delimiter not in row or _ONE_NUMBER.fullmatch(row) for row in rows)
    return text, ONE_COLUMN if one_column else delimiter


def read_series(data: bytes, column: str | None = None,
                policy: MissingPolicy = "interpolate") -> Series:
    """Parse ``data`` and return ``column`` (default: the last numeric column) as a series."""
    if len(data) > MAX_BYTES:
        raise SeriesError("too_large", size=f"{len(data) / 1e6:.1f}", limit=MAX_BYTES // 2**20)
    text, encoding = decode(data)
    if not text.strip():
        raise SeriesError("empty")
    if "\x00" in text:
        raise SeriesError("binary")
    text, delimiter = split_rule(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        line = _PARSER_LINE.search(str(error))  # pandas' own words are English: keep the line
        if line is not None:
            raise SeriesError("parse_line", line=int(line.group(1))) from error
        raise SeriesError("parse") from error
    numbers = {str(name): parse_numbers(frame[name], delimiter) for name in frame.columns}
    numeric = [name for name, values in numbers.items() if _is_numeric(frame[name], values)]
    ignored = [str(name) for name in frame.columns if str(name) not in numeric]
    if not numeric:
        raise SeriesError("no_numeric", columns=", ".join(map(str, frame.columns))[:200])
    column = numeric[-1] if column is None else column
    if column not in numeric:
        raise SeriesError("column_missing", column=column, columns=", ".join(numeric))
    values, missing = clean_values(numbers[column].to_numpy(dtype=float), policy)
    if len(values) and np.max(np.abs(values)) > MAX_ABS_VALUE:
        raise SeriesError("too_big", limit=f"{MAX_ABS_VALUE:.0e}")
    if len(values) < MIN_LENGTH:
        raise SeriesError("too_short", length=len(values), minimum=MIN_LENGTH)
    if len(values) > MAX_LENGTH:
        raise SeriesError("too_long", length=len(values), maximum=MAX_LENGTH)
    return Series(values, column, numeric, ignored, missing, policy, encoding, delimiter)


def parse_numbers(raw: pd.Series, delimiter: str = ",") -> pd.Series:
    """The cells as floats (NaN where a cell is not a number). ``12,75`` and ``1.234,5`` are read
    too when a column holds more of those than plain numbers: spreadsheets in many languages
    write decimal commas, in files delimited by ``;`` or tabs, in one-column files, and quoted
    (``"0,84"``) in comma-separated ones. There, a column whose every comma groups thousands
    (``"1,234"``) is an English spreadsheet's and is read so."""
    cells = raw.str.strip()
    plain = pd.to_numeric(cells, errors="coerce")
    comma = cells.str.fullmatch(_DECIMAL_COMMA.pattern) & cells.str.contains(",", regex=False)
    if comma.sum() <= plain.notna().sum():
        return plain
    if delimiter == "," and cells[comma].str.fullmatch(_THOUSANDS.pattern).all():
        return pd.to_numeric(cells.str.replace(",", "", regex=False), errors="coerce")
    converted = cells.where(~comma, cells.str.replace(".", "", regex=False).str.replace(
        ",", ".", regex=False))
    return pd.to_numeric(converted, errors="coerce")


def _is_numeric(raw: pd.Series, values: pd.Series) -> bool:
    filled = raw.str.strip() != ""
    return bool(filled.any()) and values[filled].notna().mean() >= NUMERIC_SHARE


def clean_values(values: np.ndarray, policy: MissingPolicy) -> tuple[np.ndarray, int]:
    """(finite values, how many were missing): NaN/inf dropped or linearly interpolated.

    Interpolation fills gaps from both neighbours; gaps at either end take the nearest value.
    """
    values = np.asarray(values, float)
    bad = ~np.isfinite(values)
    if bad.all():
        return values[:0], int(bad.sum())
    if policy == "drop" or not bad.any():
        return values[~bad], int(bad.sum())
    index = np.arange(len(values))
    filled = np.interp(index, index[~bad], values[~bad])
    return filled, int(bad.sum())


def load_example(name: str) -> tuple[Series, int]:
    """A bundled real-world series and its known period."""
    file, column, period = EXAMPLES[name]
    return read_series((EXAMPLES_DIR / file).read_bytes(), column), period
