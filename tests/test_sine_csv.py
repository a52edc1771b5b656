"""Reading a learner's CSV: delimiters, encodings, missing values, limits, clear error codes."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import i18n
from rnn_core.forecasting import csv_series
from rnn_core.forecasting.csv_series import SeriesError, read_series


def csv_bytes(rows: list[str], encoding: str = "utf-8") -> bytes:
    return ("\n".join(rows) + "\n").encode(encoding)


def numbers(n: int = 60) -> list[str]:
    return [f"{i},{np.sin(i / 5):.4f}" for i in range(n)]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter):
    rows = ["day" + delimiter + "level"] + [r.replace(",", delimiter) for r in numbers()]
    series = read_series(csv_bytes(rows))
    assert series.delimiter == delimiter and series.column == "level"
    assert series.numeric_columns == ["day", "level"] and len(series.values) == 60


def test_latin1_file_and_text_columns_are_handled():
    rows = ["ville,température"] + [f"Zürich,{i}.5" for i in range(50)]
    series = read_series(csv_bytes(rows, "latin-1"))
    assert series.encoding == "latin-1"
    assert series.column == "température" and series.ignored_columns == ["ville"]


def test_missing_values_are_interpolated_or_dropped_and_counted():
    rows = ["t,v"] + [f"{i},{float(i)}" for i in range(50)]
    rows[5], rows[6], rows[20] = "4,", "5,nan", "19,inf"  # values 4, 5 and 19 missing
    filled = read_series(csv_bytes(rows))
    assert filled.missing == 3 and len(filled.values) == 50
    np.testing.assert_allclose(filled.values, np.arange(50.0))  # linear gaps filled exactly
    dropped = read_series(csv_bytes(rows), policy="drop")
    assert dropped.missing == 3 and len(dropped.values) == 47


def test_column_can_be_chosen_and_a_wrong_one_is_named():
    rows = ["a,b"] + [f"{i},{-i}" for i in range(50)]
    assert read_series(csv_bytes(rows), "a").values[3] == 3
    with pytest.raises(SeriesError) as error:
        read_series(csv_bytes(rows), "c")
    assert error.value.code == "column_missing" and error.value.params["columns"] == "a, b"


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (csv_bytes(["name"] + ["x"] * 60), "no_numeric"),
    (csv_bytes(["v"] + [str(i) for i in range(10)]), "too_short"),
    (csv_bytes(["v"] + [str(i) for i in range(6000)]), "too_long"),
    (b"v\n" + b"1\n" * (1_100_000), "too_large"),
    (csv_bytes(['a,b', '1,"2']), "parse"),
])
def test_bad_files_raise_a_translatable_error(data, code):
    with pytest.raises(SeriesError) as error:
        read_series(data)
    assert error.value.code == code
    for lang in ("en", "ja"):  # the page shows this message with these parameters
        text = i18n.translate(f"sine.csv_{code}", lang, **error.value.params)
        assert "{" not in text


def test_bundled_examples_are_real_series_of_the_documented_size():
    sunspots, period = csv_series.load_example("sunspots")
    assert len(sunspots.values) == 309 and period == 11 and sunspots.missing == 0
    co2, _ = csv_series.load_example("co2")
    assert len(co2.values) == 2284 and co2.missing == 59
    assert 310 < co2.values.min() < co2.values.max() < 380  # ppm


# What spreadsheets write (the outside probe's findings) -------------------------------------
def _wave(n: int = 60) -> list[float]:
    return [round(5 + np.sin(i / 3), 2) for i in range(n)]


def test_japanese_excels_shift_jis_csv_keeps_its_japanese_headers():
    rows = ["時間,値"] + [f"{i},{v}" for i, v in enumerate(_wave())]
    series = read_series(csv_bytes(rows, "cp932"))
    assert series.encoding == "cp932" and series.numeric_columns == ["時間", "値"]
    assert series.column == "値" and series.values[1] == pytest.approx(_wave()[1])


@pytest.mark.parametrize("header", ["temp,température", "Größe,Maß", "ville,café"])
def test_latin1_with_accents_is_not_taken_for_shift_jis(header):
    rows = [header] + [f"{i},{v}" for i, v in enumerate(_wave())]
    series = read_series(csv_bytes(rows, "latin-1"))
    assert series.encoding == "latin-1" and series.numeric_columns == header.split(",")


@pytest.mark.parametrize("quote", ["", '"'])
def test_a_one_column_file_with_decimal_commas_keeps_its_values(quote):
    rows = [f"{quote}v{quote}"] + [f"{quote}{v:.2f}{quote}".replace(".", ",") for v in _wave()]
    series = read_series(csv_bytes(rows))
    np.testing.assert_allclose(series.values, _wave())  # not the fractional parts 0, 33, 62...


def test_quoted_decimal_commas_in_a_comma_separated_file_are_the_series():
    rows = ["t,v"] + [f'{i},"{v:.2f}"'.replace(".", ",") for i, v in enumerate(_wave())]
    series = read_series(csv_bytes(rows))
    assert series.column == "v" and series.numeric_columns == ["t", "v"]
    np.testing.assert_allclose(series.values, _wave())


def test_quoted_thousands_in_an_english_file_are_thousands():
    rows = ["t,v"] + [f'{i},"{1000 + 37 * i:,}"' for i in range(60)]
    assert read_series(csv_bytes(rows)).values[3] == 1111


@pytest.mark.parametrize(("sep", "line_end"), [(";", "\n"), (",", "\r\n"), ("\t", "\n")])
def test_excels_sep_line_names_the_delimiter_and_is_no_column(sep, line_end):
    rows = [f"sep={sep}", f"Monat{sep}Umsatz"] + [
        f"{i}{sep}{v:.2f}".replace(".", "," if sep != "," else ".") for i, v in enumerate(_wave())]
    series = read_series(line_end.join(rows).encode() + line_end.encode())
    assert series.delimiter == sep and series.numeric_columns == ["Monat", "Umsatz"]
    np.testing.assert_allclose(series.values, _wave())
