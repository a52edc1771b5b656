"""CLI command behind the progress page: grading the progress files learners download."""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict
from pathlib import Path

from rnn_core.commands import Command, Result
from rnn_core.study import progress, quiz, records

VERDICTS = {
    "verified": "verified: signed by the server with this secret; graded",
    "unverifiable": "unverifiable: {why}; graded, but the answers may have been written by hand",
    "forged": "forged or altered: {why}; not graded",
    "unreadable": "unreadable: {why}; not graded",
}


def _grade_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, help="progress files learners downloaded")
    parser.add_argument("--secret-file", type=Path, default=None,
                        help="file holding the server's progress secret "
                             f"(default: ${progress.SECRET_ENV})")


def grade_command(args: argparse.Namespace) -> Result:
    """Validate, verify and grade downloaded progress files (for teachers collecting them).

    Each file is verified (signed with the secret), unverifiable (no secret given, or the file
    carries no signature), forged (a wrong signature, or answers that do not match their
    checksum or the course) or unreadable; only verified and unverifiable files are graded.
    """
    secret = _secret(args.secret_file)
    learners, verdicts = {}, {}
    for path in args.files:
        verdict, why, answers = _verified(path, secret)
        verdicts[str(path)] = VERDICTS[verdict].format(why=why)
        learners[str(path)] = {"verification": verdict}
        if answers is None:
            learners[str(path)]["error"] = why
            continue
        learners[str(path)].update({page: _page_score(page, answers.get(page, {}))
                                    for page in quiz.available_quizzes()})
    graded = sum(1 for entry in learners.values() if "error" not in entry)
    return {"verdicts": verdicts, "graded": graded, "learners": learners}


def _secret(secret_file: Path | None) -> str | None:
    if secret_file is None:
        return os.environ.get(progress.SECRET_ENV, "").strip() or None
    try:
        secret = secret_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read the secret file: {error}") from None
    if not secret:
        raise ValueError(f"the secret file {secret_file} is empty")
    return secret


def _verified(path: Path, secret: str | None) -> tuple[str, str, progress.Answers | None]:
    """(verdict, why, the answers to grade or ``None``) for one file."""
    try:
        read = progress.read_file(path.read_bytes())
    except OSError as error:
        return "unreadable", str(error), None
    except progress.ProgressError as error:
        verdict = "forged" if error.reason == "forged" else "unreadable"
        return verdict, str(error), None
    verdict = read.verification(secret)
    if verdict == "forged":
        return verdict, "the signature does not match the answers under this secret", None
    if verdict == "unverifiable":
        why = "no secret given" if not secret else "the file carries no signature"
        return verdict, why, read.answers
    return verdict, "", read.answers


def _page_score(page: str, page_records: dict) -> dict:
    score = records.score(quiz.load_quiz(page), page_records)
    return {**asdict(score), "correct": score.correct, "answered": score.answered}


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """The quiz statistics take no settings."""


def quiz_stats_command(args: argparse.Namespace) -> Result:
    """Questions per page, and where the single-choice keys sit and how long they are."""
    pages = {page: len(quiz.load_quiz(page).questions) for page in quiz.available_quizzes()}
    predictions = {page: len(quiz.load_quiz(page).predictions) for page in pages}
    per_page = {page: quiz.key_statistics((quiz.load_quiz(page),)).as_dict() for page in pages}
    return {"questions": pages, "total": sum(pages.values()), "predictions": predictions,
            "keys": quiz.key_statistics().as_dict(), "keys_per_page": per_page}


COMMANDS: list[Command] = [("grade", _grade_arguments, grade_command),
                           ("quiz-stats", _no_arguments, quiz_stats_command)]
