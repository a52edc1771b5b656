"""CLI command behind the progress page: grading the progress files learners download."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from rnn_core import progress, quiz
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
        learners[str(path)] = {
            page: asdict(quiz.score(quiz.load_quiz(page), answers.get(page, {})))
            for page in quiz.available_quizzes()
        }
    return {"learners": learners}


COMMANDS: list[Command] = [("grade", _grade_arguments, grade_command)]
