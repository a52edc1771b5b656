"""Reading the Large Movie Review Dataset (IMDB) from a folder, its .tar.gz or the small sample.

The data never lives in the repository: its path comes from ``--data PATH``, else the
``RNN_LAB_DATA`` environment variable, else ``<repo>/../shared/data`` when that exists. Three
shapes are understood, so a learner can point at whatever they have:

* the official archive ``aclImdb_v1.tar.gz``, streamed with ``tarfile`` (nothing is extracted);
* a directory in the official layout (``aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt``), or
  a folder that directly holds ``train/`` and/or ``test/`` (``test/pos`` + ``test/neg`` is enough
  for evaluation);
* the 2,000-review CSV sample ``imdb_sample.csv.gz`` (``split,label,rating,text``) for fast tests.

The text cleaning the models rely on lives in ``text`` (shared with inference).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import os
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnn_core.storage import REPO_ROOT

DATA_ENV = "RNN_LAB_DATA"
ARCHIVE_NAME = "aclImdb_v1.tar.gz"
SAMPLE_NAME = "imdb_sample.csv.gz"
OFFICIAL_URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
# sha256 of the official archive as published by the Stanford page (not our repack's hash).
OFFICIAL_SHA256 = "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe"
SPLITS = ("train", "test")
VALIDATION_SEED = 20110601
VALIDATION_FRACTION = 0.1
_MEMBER = re.compile(r"(?:^|/)(train|test)/(pos|neg)/(\d+)_(\d+)\.txt$")


class DataNotFound(FileNotFoundError):
    """No IMDB data where we looked; the message says where we looked and how to fix it."""


@dataclass(frozen=True)
class Reviews:
    """Reviews of one split: raw texts, labels (1 = positive) and ``<id>_<rating>`` names."""

    texts: list[str]
    labels: np.ndarray
    names: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, index: np.ndarray) -> Reviews:
        return Reviews([self.texts[i] for i in index], self.labels[index],
                       [self.names[i] for i in index])


def resolve_data_path(option: str | os.PathLike | None = None) -> Path:
    """The data location: the option, else ``$RNN_LAB_DATA``, else ``<repo>/../shared/data``.

    The first of the three that is set is the only one tried.
    A folder holding ``aclImdb_v1.tar.gz`` resolves to that archive. Raises ``DataNotFound``
    with a message naming what was tried.
    """
    tried = []
    explicit = option or os.environ.get(DATA_ENV)
    for candidate in (explicit,) if explicit else (REPO_ROOT.parent / "shared" / "data",):
        # an explicit path that does not exist is an error: no silent fallback to another copy
        path = Path(candidate).expanduser()
        tried.append(str(path))
        if path.is_dir() and (path / ARCHIVE_NAME).is_file():
            return path / ARCHIVE_NAME
        if path.exists():
            return path
    raise DataNotFound(
        "IMDB data not found (tried: " + (", ".join(tried) or "nothing") + "). Pass --data PATH "
        f"or set {DATA_ENV} to the folder or {ARCHIVE_NAME} in the official layout; "
        "download_imdb() fetches it on a machine with internet.")


def sample_path(option: str | os.PathLike | None = None) -> Path | None:
    """The CSV sample next to the resolved data, or None where it is absent."""
    try:
        path = resolve_data_path(option)
    except DataNotFound:
        return None
    folder = path if path.is_dir() else path.parent
    sample = folder / SAMPLE_NAME
    return sample if sample.is_file() else None


def _empty() -> dict[str, dict[str, list]]:
    return {split: {"texts": [], "labels": [], "names": []} for split in SPLITS}


def _add(store: dict, split: str, polarity: str, ident: str, rating: str, text: str) -> None:
    store[split]["texts"].append(text)
    store[split]["labels"].append(1 if polarity == "pos" else 0)
    store[split]["names"].append(f"{polarity}/{ident}_{rating}")


def _read_tar(path: Path, splits: tuple[str, ...]) -> dict:
    store = _empty()
    with tarfile.open(path, mode="r:gz") as archive:
        for member in archive:  # streamed in archive order: no random access, no extraction
            match = _MEMBER.search(member.name)
            if not member.isfile() or match is None or match.group(1) not in splits:
                continue
            handle = archive.extractfile(member)
            if handle is not None:
                _add(store, *match.groups(), handle.read().decode("utf-8"))
    return store


def _read_dir(path: Path, splits: tuple[str, ...]) -> dict:
    store = _empty()
    base = path / "aclImdb" if (path / "aclImdb").is_dir() else path
    for split in splits:
        for polarity in ("pos", "neg"):
            folder = base / split / polarity
            if not folder.is_dir():
                continue
            for file in sorted(folder.glob("*.txt")):
                match = _MEMBER.search(f"{split}/{polarity}/{file.name}")
                if match:
                    _add(store, *match.groups(), file.read_text(encoding="utf-8"))
    return store


def _read_csv(path: Path, splits: tuple[str, ...]) -> dict:
    store = _empty()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if row["split"] in splits:
                polarity = "pos" if row["label"] == "1" else "neg"
                _add(store, row["split"], polarity, str(i), row["rating"], row["text"])
    return store


def load_reviews(path: str | os.PathLike, splits: tuple[str, ...] = SPLITS) -> dict[str, Reviews]:
    """Every review of the requested splits found at ``path`` (archive, folder or CSV sample).

    Records are sorted by name within a split, so the result (and the fingerprint) does not
    depend on the archive's or the file system's order. Splits with no review are left out.
    """
    path = Path(path)
    if path.is_dir():
        store = _read_dir(path, splits)
    elif path.name.endswith(".csv.gz"):
        store = _read_csv(path, splits)
    elif path.name.endswith((".tar.gz", ".tgz")):
        store = _read_tar(path, splits)
    else:
        raise ValueError(f"{path}: not a folder, a .tar.gz archive or a .csv.gz sample")
    result = {}
    for split, columns in store.items():
        if columns["texts"]:
            order = sorted(range(len(columns["names"])),
                           key=lambda i: (columns["labels"][i], columns["names"][i]))
            result[split] = Reviews([columns["texts"][i] for i in order],
                                    np.array([columns["labels"][i] for i in order], np.int32),
                                    [columns["names"][i] for i in order])
    if not result:
        raise DataNotFound(f"{path}: no reviews in the layout {{train,test}}/{{pos,neg}}/*.txt")
    return result


def fingerprint(reviews: dict[str, Reviews]) -> str:
    """sha256 over (split, name, label, text) of every review: same data, same fingerprint."""
    digest = hashlib.sha256()
    for split in sorted(reviews):
        part = reviews[split]
        for name, label, text in zip(part.names, part.labels, part.texts, strict=True):
            digest.update(f"{split}/{name}/{int(label)}\t".encode())
            digest.update(hashlib.sha256(text.encode("utf-8")).digest())
    return digest.hexdigest()


def split_validation(train: Reviews, fraction: float = VALIDATION_FRACTION,
                     seed: int = VALIDATION_SEED) -> tuple[Reviews, Reviews]:
    """A fixed, seeded hold-out of ``train`` for early stopping: (fit part, validation part)."""
    order = np.random.default_rng(seed).permutation(len(train))
    n_val = max(1, round(len(train) * fraction)) if len(train) > 1 else 0
    return train.subset(np.sort(order[n_val:])), train.subset(np.sort(order[:n_val]))


def download_imdb(cache_dir: str | os.PathLike) -> Path:
    """Download the official archive once into ``cache_dir`` (needs internet; never in tests).

    Uses ``keras.utils.get_file`` with the published sha256, so a corrupted or changed download
    is refused. Returns the path of the ``.tar.gz``, which ``load_reviews`` reads as it is.
    """
    import keras

    path = keras.utils.get_file(ARCHIVE_NAME, OFFICIAL_URL, file_hash=OFFICIAL_SHA256,
                                cache_dir=str(cache_dir), cache_subdir="", extract=False)
    return Path(path)


__all__ = ["DataNotFound", "Reviews", "download_imdb", "fingerprint", "load_reviews",
           "resolve_data_path", "sample_path", "split_validation"]
