"""A learner's quiz progress: its JSON file format, its signature, and where codes keep it.

Progress is ``{page: {question_id: record}}``, each record the tries a learner made and whether
the answer was shown (``rnn_core.study.records``, which also merges two sessions' answers);
scores are derived by grading the tries again (``rnn_core.study.records.score``). Files and
stored rows from before records (version 1: a bare response per question) still load, re-graded
as one try; files of version 2 (records, with the choice order before some keys were moved for
balance) load with their choice indices mapped to today's order.

Why a learner code backed by a database (``rnn_core.study.progress_store``) rather than the
browser's localStorage: it needs no third-party JavaScript component, works the same in AppTest,
the browser test and the CLI, and a bookmarked link brings the progress back on any device. The
downloadable JSON file is the learner's own backup, re-validated and re-graded on upload.

Why a file may carry a signature as well as a checksum: the checksum (SHA-256, no secret) only
notices a careless edit; anyone can recompute it over answers they wrote themselves. A server
with a secret also signs each file (HMAC-SHA256 over the same canonical answers), which only
that secret can produce, so a teacher grading files (``rnn-lab grade``) can tell the answers
this course recorded from forged ones. Files without a signature (older ones, or from a server
without a secret) still load; they are graded as unverifiable.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from rnn_core.bounds import check_choice
from rnn_core.study import quiz
from rnn_core.study.progress_store import (
    MAX_STORED_LEARNERS,
    ProgressStore,
    is_learner_code,
    new_learner_code,
)
from rnn_core.study.records import (
    Answers,
    InvalidRecord,
    merge_answers,
    merge_records,
    validated_record,
)

FORMAT = "rnn-lab-progress"
VERSION = 3  # 3: as 2, in today's choice order; 2: a record per question (tries, reveal) and
#              per prediction, choices in the order of before (quiz v2_order); 1: bare responses
READABLE_VERSIONS = (1, 2, 3)
MAX_FILE_BYTES = 96 * 1024  # the fullest possible records (every try kept) take about 55 KB
FIELDS = {"format", "version", "answers", "checksum"}
SIGNATURE = "signature"  # the optional field: HMAC-SHA256 of the answers under a server secret
SECRET_ENV = "RNN_LAB_PROGRESS_SECRET"  # where a server and `rnn-lab grade` find the secret

# The record format lives in records, the database in progress_store; imported from here too.
__all__ = ["MAX_STORED_LEARNERS", "Answers", "ProgressStore", "is_learner_code", "merge_answers",
           "merge_records", "new_learner_code"]


# Why an upload is refused: each reason names a message ``progress.err_<reason>``.
ERROR_REASONS = ("too_large", "not_json", "wrong_format", "wrong_version", "forged", "unsigned")
# What a file's signature says about it, for a teacher grading files:
# verified: signed with the secret given; unverifiable: no secret given, or the file carries no
# signature; forged: a signature that the secret did not make (answers altered after signing).
Verification = Literal["verified", "unverifiable", "forged"]


class ProgressError(ValueError):
    """An unusable upload; ``reason`` names the translation key ``progress.err_<reason>``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        check_choice("reason", reason, ERROR_REASONS)
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _canonical(answers: Answers) -> bytes:
    return json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _checksum(answers: Answers) -> str:
    """A digest of the answers, so a hand-edited file is noticed (re-grading decides scores)."""
    return hashlib.sha256(_canonical(answers)).hexdigest()


def signature(answers: Answers, secret: str, version: int = VERSION) -> str:
    """HMAC-SHA256 of the answers (as the checksum sees them) under ``secret``; the format and
    version are signed too, so a signature cannot be moved to another kind of document."""
    payload = f"{FORMAT}/{version}\n".encode() + _canonical(answers)
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def to_json(answers: Answers, secret: str | None = None) -> str:
    """The downloadable progress file, signed when the server has a ``secret``."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "answers": answers,
        "checksum": _checksum(answers),
    }
    if secret:
        document[SIGNATURE] = signature(answers, secret)
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)


@dataclass(frozen=True)
class ProgressFile:
    """A progress file that passed every check; whether its signature holds depends on whom
    you ask (``verification``)."""

    answers: Answers  # in today's choice order
    signature: str | None  # None: the file carries none (older, or from a server without one)
    version: int = VERSION
    signed: Answers | None = None  # the answers as the file holds them, if not ``answers``

    def verification(self, secret: str | None) -> Verification:
        if not secret or self.signature is None:
            return "unverifiable"
        signed = self.answers if self.signed is None else self.signed
        expected = signature(signed, secret, self.version)
        return "verified" if hmac.compare_digest(self.signature, expected) else "forged"


def from_json(data: bytes | str, secret: str | None = None) -> Answers:
    """Validate an uploaded progress file and return its answers, or raise ``ProgressError``.

    Without a ``secret`` (a server that signs nothing) the signature is not looked at. With
    one, the file must carry this server's signature (else ``unsigned``): a file without one
    could hold anything, and one signed otherwise was altered or comes from another server;
    loaded, either would be signed on its next download and come out verified.
    """
    read = read_file(data)
    if secret and read.verification(secret) != "verified":
        raise ProgressError("unsigned", "no valid signature of this server")
    return read.answers


def read_file(data: bytes | str) -> ProgressFile:
    """A progress file, checked in everything but its signature, or ``ProgressError``.

    Rejects: oversized or non-UTF-8 files, invalid JSON, another format or version, unknown pages
    or questions, responses a widget cannot produce, and a checksum that does not match. A
    version-1 file (bare responses, checksum over them) is upgraded to records, a version-2
    file's choice indices are mapped to today's order (its checksum and signature hold for the
    indices as it stores them).
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
    if set(document) - {SIGNATURE} != FIELDS:
        raise ProgressError("forged", "unexpected fields")
    signed_by = document.get(SIGNATURE)
    if signed_by is not None and (version == 1 or not isinstance(signed_by, str)):
        raise ProgressError("forged", "not a signature")
    if version == 1:
        signed = _validated_v1_responses(document["answers"])
        answers = _validated_answers(signed)
    else:
        signed = answers = _validated_answers(document["answers"])
    if document["checksum"] != _checksum(signed):
        raise ProgressError("forged", "checksum does not match the answers")
    if version == 2:
        answers = _validated_answers(signed, version=2)
    return ProgressFile(answers, signed_by, version, signed if answers != signed else None)


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


def _validated_answers(raw: object, version: int | None = None) -> Answers:
    """Records checked against the quizzes (bare version-1 responses upgraded on the way; a
    ``version`` 2 record's choice indices mapped to today's order)."""
    answers: Answers = {}
    for page_quiz, entries in _pages(raw):
        answers[page_quiz.page] = {}
        for item_id, record in entries.items():
            try:
                answers[page_quiz.page][item_id] = validated_record(page_quiz, item_id, record,
                                                                     version)
            except (KeyError, InvalidRecord) as error:
                raise ProgressError("forged", str(error)[:200]) from None
    return answers
