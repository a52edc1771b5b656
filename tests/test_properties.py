"""Property-based tests (hypothesis): windowing, the CSV reader and the review cleaning hold for
any input, not just the examples we thought of."""

import re
import string

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_core.forecasting import csv_series
from rnn_core.forecasting.series import FRAMINGS, WINDOW_RANGE, make_windows

FINITE = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(values=st.lists(FINITE, min_size=3, max_size=120),
       window=st.integers(*WINDOW_RANGE), framing=st.sampled_from(FRAMINGS))
def test_every_window_is_a_slice_and_every_target_the_next_value(values, window, framing):
    series = np.array(values, dtype="float32")
    if len(series) <= window:
        return  # too short: covered by the error test below
    x, y = make_windows(series, window, framing)
    count = len(series) - window
    assert x.shape == (count, window, 1)
    for i in range(count):
        np.testing.assert_array_equal(x[i, :, 0], series[i:i + window])
        if framing == "many_to_many":
            np.testing.assert_array_equal(y[i, :, 0], series[i + 1:i + window + 1])
        else:
            assert y[i, 0] == series[i + window]


@given(length=st.integers(0, 60), window=st.integers(*WINDOW_RANGE))
def test_a_series_no_longer_than_the_window_is_refused_clearly(length, window):
    if length > window:
        return
    try:
        make_windows(np.zeros(length), window, "many_to_one")
    except ValueError as error:
        assert "too short" in str(error)
    else:
        raise AssertionError("no error for a series shorter than its window")


@SLOW
@given(data=st.binary(max_size=3000))
def test_any_bytes_give_a_series_or_a_clear_series_error(data):
    try:
        result = csv_series.read_series(data)
    except csv_series.SeriesError as error:
        assert error.code
    else:
        assert np.isfinite(result.values).all()
        assert csv_series.MIN_LENGTH <= len(result.values) <= csv_series.MAX_LENGTH


@SLOW
@given(values=st.lists(st.one_of(FINITE, st.just(float("nan")), st.just(float("inf"))),
                       min_size=csv_series.MIN_LENGTH, max_size=300),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_numbers_written_as_csv_come_back_with_gaps_filled(values, delimiter):
    lines = ["step" + delimiter + "value"]
    lines += [f"{i}{delimiter}{v!r}" for i, v in enumerate(values)]
    data = "\n".join(lines).encode()
    finite = [v for v in values if np.isfinite(v)]
    try:
        result = csv_series.read_series(data, column="value")
    except csv_series.SeriesError as error:
        assert error.code in {"too_short", "no_numeric", "column_missing"}
        return
    assert result.missing == len(values) - len(finite)
    assert len(result.values) == len(values)  # interpolated, not dropped
    kept = np.array([np.isfinite(v) for v in values])
    np.testing.assert_allclose(result.values[kept], finite, rtol=1e-12)


TAG = re.compile(r"<[^>]*>")
ASCII_PUNCTUATION = set(string.punctuation)


@SLOW
@given(texts=st.lists(st.text(max_size=300), min_size=1, max_size=8))
def test_cleaning_lowercases_strips_markup_and_is_stable(texts):
    from rnn_core.sentiment.text import NEL_TOKEN, clean_texts

    texts = [text.replace("\x00", "") for text in texts]
    cleaned = clean_texts(texts)
    assert len(cleaned) == len(texts)
    for text in cleaned:
        assert not TAG.search(text)
        # U+0085 becomes the one bracketed token, [nel] (see rnn_core.sentiment.text.CleanText)
        assert not ASCII_PUNCTUATION & set(text.replace(NEL_TOKEN, ""))
        assert text == text.strip(" \t\n\r\f\v") and "  " not in text  # ASCII whitespace
        assert not any(c in string.ascii_uppercase for c in text)
    plain = [text for text in cleaned if NEL_TOKEN not in text]
    assert clean_texts(plain) == plain  # cleaning twice changes nothing


def test_nel_becomes_its_own_token():
    from rnn_core.sentiment.text import clean_texts

    assert clean_texts(["Wait\x85 what\x85"]) == ["wait[nel] what[nel]"]


def test_cleaning_turns_review_markup_into_word_breaks():
    from rnn_core.sentiment.text import clean_texts

    assert clean_texts(["Great film.<br /><br />Didn't LOVE the end!"]) == [
        "great film didnt love the end"]
