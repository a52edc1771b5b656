"""CLI command behind the progress page: grading the progress files learners download."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from rnn_core import progress, quiz, records
from rnn_core.commands import Command, Result


def _grade_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, help="progress files learners downloaded")


def grade_command(args: argparse.Namespace) -> Result:
    """Validate and grade downloaded progress files (for teachers collecting them)."""
    learners = {}
    for path in args.files:
        try:
            answers = progress.from_json(path.read_bytes())
        except (OSError, progress.ProgressError) as error:
            learners[str(path)] = {"error": str(error)}
            continue
        learners[str(path)] = {page: _page_score(page, answers.get(page, {}))
                               for page in quiz.available_quizzes()}
    return {"learners": learners}


def _page_score(page: str, page_records: dict) -> dict:
    score = records.score(quiz.load_quiz(page), page_records)
    return {**asdict(score), "correct": score.correct, "answered": score.answered}


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """The quiz statistics take no settings."""


def quiz_stats_command(args: argparse.Namespace) -> Result:
    """Questions per page, and where the single-choice keys sit and how long they are."""
    pages = {page: len(quiz.load_quiz(page).questions) for page in quiz.available_quizzes()}
    predictions = {page: len(quiz.load_quiz(page).predictions) for page in pages}
    return {"questions": pages, "total": sum(pages.values()), "predictions": predictions,
            "keys": quiz.key_statistics().as_dict()}


COMMANDS: list[Command] = [("grade", _grade_arguments, grade_command),
                           ("quiz-stats", _no_arguments, quiz_stats_command)]
