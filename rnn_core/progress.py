"""A learner's quiz progress: its JSON file format and the small database behind learner codes.

Progress is ``{page: {question_id: record}}``, each record the tries a learner made and whether
the answer was shown (``rnn_core.records``, which also merges two sessions' answers); scores are
derived by grading the tries again (``rnn_core.records.score``). Files and stored rows from
before records (version 1: a bare response per question) still load, re-graded as one try.

Why a learner code backed by SQLite rather than the browser's localStorage: it needs no
third-party JavaScript component, works the same in AppTest, the browser test and the CLI, and
a bookmarked link brings the progress back on any device. The downloadable JSON file is the
learner's own backup, re-validated and re-graded on upload.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rnn_core import quiz
from rnn_core.bounds import check_choice
from rnn_core.records import Answers, InvalidRecord, merge_answers, merge_records, validated_record
from rnn_core.storage import state_dir

FORMAT = "rnn-lab-progress"
VERSION = 2  # 2: a record per question (tries, reveal) and per prediction; 1: bare responses
READABLE_VERSIONS = (1, 2)
MAX_FILE_BYTES = 96 * 1024  # the fullest possible records (every try kept) take about 55 KB
MAX_STORED_LEARNERS = 50_000  # oldest entries are evicted beyond this
_CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{12,32}")

__all__ = ["Answers", "merge_answers", "merge_records"]  # the record format lives in records


# Why an upload is refused: each reason names a message ``progress.err_<reason>``.
ERROR_REASONS = ("too_large", "not_json", "wrong_format", "wrong_version", "forged")


class ProgressError(ValueError):
    """An unusable upload; ``reason`` names the translation key ``progress.err_<reason>``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        check_choice("reason", reason, ERROR_REASONS)
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def new_learner_code() -> str:
    """A random, unguessable code (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


def is_learner_code(value: object) -> bool:
    return isinstance(value, str) and _CODE_PATTERN.fullmatch(value) is not None


def _checksum(answers: Answers) -> str:
    """A digest of the answers, so a hand-edited file is noticed (re-grading decides scores)."""
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def to_json(answers: Answers) -> str:
    """The downloadable progress file."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "answers": answers,
        "checksum": _checksum(answers),
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)


def from_json(data: bytes | str) -> Answers:
    """Validate an uploaded progress file and return its answers, or raise ``ProgressError``.

    Rejects: oversized or non-UTF-8 files, invalid JSON, another format or version, unknown pages
    or questions, responses a widget cannot produce, and a checksum that does not match. A
    version-1 file (bare responses, checksum over them) is upgraded to records.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ProgressError("too_large")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        document = json.loads(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, bad UTF-8, huge integers
        raise ProgressError("not_json", str(error)[:200]) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ProgressError("wrong_format")
    version = document.get("version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        raise ProgressError("wrong_version")
    if set(document) != {"format", "version", "answers", "checksum"}:
        raise ProgressError("forged", "unexpected fields")
    if version == 1:
        signed = _validated_v1_responses(document["answers"])
        answers = _validated_answers(signed)
    else:
        signed = answers = _validated_answers(document["answers"])
    if document["checksum"] != _checksum(signed):
        raise ProgressError("forged", "checksum does not match the answers")
    return answers


def _pages(raw: object) -> Iterator[tuple[quiz.Quiz, dict]]:
    """Each page's quiz and its raw entries; ``forged`` for anything but known pages."""
    if not isinstance(raw, dict):
        raise ProgressError("forged", "answers is not an object")
    for page, entries in raw.items():
        if page not in quiz.available_quizzes() or not isinstance(entries, dict):
            raise ProgressError("forged", f"unknown page {str(page)[:40]!r}")
        yield quiz.load_quiz(page), entries


def _validated_v1_responses(raw: object) -> dict:
    """A version-1 file's bare responses, normalized as version 1 signed them."""
    responses: dict = {}
    for page_quiz, entries in _pages(raw):
        responses[page_quiz.page] = {}
        for question_id, response in entries.items():
            try:
                question = page_quiz.question(question_id)
                responses[page_quiz.page][question_id] = quiz.normalize_response(question,
                                                                                 response)
            except (KeyError, quiz.InvalidResponse) as error:
                raise ProgressError("forged", str(error)[:200]) from None
    return responses


def _validated_answers(raw: object) -> Answers:
    """Records checked against the quizzes (bare version-1 responses upgraded on the way)."""
    answers: Answers = {}
    for page_quiz, entries in _pages(raw):
        answers[page_quiz.page] = {}
        for item_id, record in entries.items():
            try:
                answers[page_quiz.page][item_id] = validated_record(page_quiz, item_id, record)
            except (KeyError, InvalidRecord) as error:
                raise ProgressError("forged", str(error)[:200]) from None
    return answers


class ProgressStore:
    """Answers per learner code in one SQLite file; safe to share between Streamlit threads.

    Every call opens its own short connection, so no connection crosses threads, and SQLite's
    own locking serialises writers.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_dir() / "progress.sqlite3"
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS progress "
                "(code TEXT PRIMARY KEY, answers TEXT NOT NULL, updated REAL NOT NULL)"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One short transaction: committed on success, rolled back on error, always closed."""
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def load(self, code: str) -> Answers:
        """The stored answers for ``code`` (empty if unknown or unreadable)."""
        if not is_learner_code(code):
            return {}
        with self._connect() as db:
            row = db.execute("SELECT answers FROM progress WHERE code = ?", (code,)).fetchone()
        if row is None:
            return {}
        try:
            return _validated_answers(json.loads(row[0]))
        except (ProgressError, json.JSONDecodeError):
            return {}  # e.g. a question removed since: start that learner afresh
        # (rows written before records hold bare responses: upgraded like a version-1 file)

    def save(self, code: str, answers: Answers) -> None:
        """Store (or replace) a learner's answers, evicting the oldest beyond the bound."""
        if not is_learner_code(code):
            raise ValueError("not a learner code")
        text = json.dumps(answers, sort_keys=True)
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO progress (code, answers, updated) VALUES (?, ?, ?)",
                (code, text, time.time()),
            )
            db.execute(
                "DELETE FROM progress WHERE code IN (SELECT code FROM progress "
                "ORDER BY updated DESC, rowid DESC LIMIT -1 OFFSET ?)",
                (MAX_STORED_LEARNERS,),
            )
