"""IMDB data: the three layouts read the same reviews, paths resolve offline, inputs are checked."""

from __future__ import annotations

import re
import tarfile

import numpy as np
import pytest

from rnn_core.sentiment import dataset, user_text
from rnn_core.storage import REPO_ROOT

SHARED = REPO_ROOT.parent / "shared" / "data"
ARCHIVE = SHARED / dataset.ARCHIVE_NAME
SAMPLE = SHARED / dataset.SAMPLE_NAME
needs_sample = pytest.mark.skipif(not SAMPLE.is_file(), reason=f"{SAMPLE} not present")
needs_archive = pytest.mark.skipif(not ARCHIVE.is_file(), reason=f"{ARCHIVE} not present")

REVIEWS = {  # split/polarity/name → text, a miniature of the official layout
    "train/pos/0_9.txt": "A wonderful film.<br /><br />Loved it.",
    "train/neg/0_1.txt": "Awful. Just awful.",
    "train/neg/10_3.txt": "Boring and too long",
    "test/pos/3_10.txt": "Great fun, great cast",
    "test/neg/7_2.txt": "Not worth a minute",
}


def write_layout(root, prefix="aclImdb/"):
    for name, text in REVIEWS.items():
        path = root / (prefix + name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_folder_archive_and_bare_folder_read_the_same_reviews(tmp_path):
    folder = write_layout(tmp_path / "official")
    archive = tmp_path / "mini.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder / "aclImdb", arcname="aclImdb")
    bare = write_layout(tmp_path / "bare", prefix="")
    from_dir, from_tar = dataset.load_reviews(folder), dataset.load_reviews(archive)
    assert len(from_dir["train"]) == 3 and len(from_dir["test"]) == 2
    assert from_dir["train"].names == ["neg/0_1", "neg/10_3", "pos/0_9"]
    assert from_dir["train"].labels.tolist() == [0, 0, 1]
    assert dataset.fingerprint(from_dir) == dataset.fingerprint(from_tar)
    assert dataset.fingerprint(dataset.load_reviews(bare)) == dataset.fingerprint(from_dir)
    only_test = dataset.load_reviews(bare, ("test",))
    assert list(only_test) == ["test"]


def test_fingerprint_changes_with_one_character(tmp_path):
    folder = write_layout(tmp_path / "a")
    before = dataset.fingerprint(dataset.load_reviews(folder))
    (folder / "aclImdb/test/neg/7_2.txt").write_text("Not worth a minute!", encoding="utf-8")
    assert dataset.fingerprint(dataset.load_reviews(folder)) != before


def test_empty_or_wrong_paths_give_clear_errors(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    with pytest.raises(dataset.DataNotFound, match="no reviews"):
        dataset.load_reviews(tmp_path / "empty")
    with pytest.raises(ValueError, match="not a folder"):
        dataset.load_reviews(tmp_path / "reviews.zip")
    missing = tmp_path / "nowhere"
    with pytest.raises(dataset.DataNotFound, match="nowhere"):
        dataset.resolve_data_path(missing)
    monkeypatch.setenv(dataset.DATA_ENV, str(missing))  # a wrong setting: no silent fallback
    with pytest.raises(dataset.DataNotFound, match=dataset.DATA_ENV):
        dataset.resolve_data_path()


def test_path_resolution_order_works_offline(tmp_path, monkeypatch):
    folder = write_layout(tmp_path / "env")
    monkeypatch.setenv(dataset.DATA_ENV, str(folder))
    assert dataset.resolve_data_path() == folder
    option = tmp_path / "option"
    option.mkdir()
    (option / dataset.ARCHIVE_NAME).write_bytes(b"")
    assert dataset.resolve_data_path(option) == option / dataset.ARCHIVE_NAME
    monkeypatch.delenv(dataset.DATA_ENV)
    if SHARED.is_dir():
        assert dataset.resolve_data_path().parent == SHARED


def test_download_uses_keras_get_file_with_the_published_hash(tmp_path, monkeypatch):
    """No network: keras.utils.get_file is replaced and only its arguments are checked."""
    keras = pytest.importorskip("keras")
    calls = []

    def fake_get_file(fname, origin, **kwargs):
        calls.append((fname, origin, kwargs))
        return str(tmp_path / fname)

    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    path = dataset.download_imdb(tmp_path)
    assert path == tmp_path / dataset.ARCHIVE_NAME
    (fname, origin, kwargs), = calls
    assert origin == dataset.OFFICIAL_URL and fname == dataset.ARCHIVE_NAME
    assert kwargs["file_hash"] == dataset.OFFICIAL_SHA256
    assert re.fullmatch(r"[0-9a-f]{64}", dataset.OFFICIAL_SHA256)


def test_validation_split_is_seeded_and_disjoint(tmp_path):
    texts = [f"review {i}" for i in range(100)]
    train = dataset.Reviews(texts, np.arange(100) % 2, [f"r{i}" for i in range(100)])
    fit_a, val_a = dataset.split_validation(train)
    _, val_b = dataset.split_validation(train)
    assert val_a.names == val_b.names and len(val_a) == 10 and len(fit_a) == 90
    assert not set(val_a.names) & set(fit_a.names)


@needs_sample
def test_sample_csv_reads_balanced_splits():
    reviews = dataset.load_reviews(SAMPLE)
    assert {split: len(part) for split, part in reviews.items()} == {"train": 1000, "test": 1000}
    assert reviews["train"].labels.sum() == 500
    assert any(text.startswith("Bromwell High is a cartoon comedy") for text in
               reviews["train"].texts)


@needs_archive
@pytest.mark.slow
def test_full_archive_streams_all_labeled_reviews():
    reviews = dataset.load_reviews(ARCHIVE)
    assert len(reviews["train"]) == len(reviews["test"]) == 25_000
    assert reviews["test"].labels.sum() == 12_500


# ---- the learner's text box ------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["", "   \n\t  ", None, "!!! ??? ..."])
def test_empty_inputs_are_not_sent_to_the_models(raw):
    checked = user_text.check_review(raw)
    assert checked.findings[0] == "empty" and not checked.readable


def test_a_megabyte_is_cut_to_the_bound():
    checked = user_text.check_review("great " * 200_000)
    assert "too_long" in checked.findings and checked.original_chars == 1_200_000
    assert len(checked.text) == user_text.MAX_INPUT_CHARS


def test_binary_junk_is_flagged_and_control_characters_removed():
    junk = bytes(range(256)).decode("latin-1") * 4
    checked = user_text.check_review(junk)
    assert "binary" in checked.findings
    assert not any(ord(c) < 32 and c not in "\n\r\t" for c in checked.text)
    assert user_text.check_review(b"\x00\x01\xff\xfe great").findings  # bytes are accepted


def test_markup_and_japanese_are_flagged():
    assert "markup" in user_text.check_review("<script>alert(1)</script> good").findings
    japanese = user_text.check_review(user_text.EXAMPLES["japanese"])
    assert japanese.findings == ("non_english",) and japanese.readable
    assert user_text.check_review("A café with naïve charm").findings == ()
    for name, text in user_text.EXAMPLES.items():
        if name != "japanese":
            assert user_text.check_review(text).findings == (), name
