"""The quiz engine: questions as data, answers graded here, never in a page.

Each page's questions live in ``rnn_core/quizzes/<page>.yaml`` in both languages (see
``fundamentals.yaml`` for the schema). A learner's *response* is plain JSON-able data: an index
for ``single``, a sorted list of indices for ``multiple``, a number for ``numeric``. Scores are
always derived from stored responses by grading them again, so a progress file cannot claim a
score its answers do not earn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

QUIZ_DIR = Path(__file__).parent / "quizzes"
Kind = Literal["single", "multiple", "numeric"]
Response = int | list[int] | float
MAX_NUMERIC = 1e12  # far beyond any answer here; keeps junk such as 1e308 out of progress files


class InvalidResponse(ValueError):
    """A response that does not fit its question (wrong type, index out of range, not finite)."""


@dataclass(frozen=True)
class Question:
    """One question; ``prompt``, ``choices`` and ``explanation`` hold ``{"en": ..., "ja": ...}``."""

    id: str
    kind: Kind
    prompt: dict[str, str]
    explanation: dict[str, str]
    answer: Response
    choices: tuple[dict[str, str], ...] = ()
    tolerance: float = 0.0

    def text(self, field: str, lang: str) -> str:
        """``prompt`` or ``explanation`` in ``lang``, falling back to English."""
        texts: dict[str, str] = getattr(self, field)
        return texts.get(lang) or texts["en"]

    def choice_texts(self, lang: str) -> list[str]:
        return [choice.get(lang) or choice["en"] for choice in self.choices]


@dataclass(frozen=True)
class Quiz:
    page: str
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


@dataclass(frozen=True)
class Score:
    correct: int
    answered: int
    total: int

    @property
    def completion(self) -> float:
        """Share of questions answered, 0..1."""
        return self.answered / self.total if self.total else 0.0


def available_quizzes() -> tuple[str, ...]:
    """Page names that have a quiz, in a stable order."""
    return tuple(sorted(path.stem for path in QUIZ_DIR.glob("*.yaml")))


@cache
def load_quiz(page: str) -> Quiz:
    """Read and check one page's quiz (cached: quiz files never change while the app runs)."""
    if page not in available_quizzes():
        raise KeyError(f"no quiz for page {page!r}")
    data = yaml.safe_load((QUIZ_DIR / f"{page}.yaml").read_text(encoding="utf-8"))
    questions = tuple(_question_from_data(item) for item in data["questions"])
    return Quiz(page=data.get("page", page), questions=questions)


def _question_from_data(item: dict) -> Question:
    question = Question(
        id=str(item["id"]),
        kind=item["kind"],
        prompt=dict(item["prompt"]),
        explanation=dict(item["explanation"]),
        answer=item["answer"],
        choices=tuple(dict(choice) for choice in item.get("choices", ())),
        tolerance=float(item.get("tolerance", 0.0)),
    )
    normalize_response(question, question.answer)  # a quiz file with a bad key fails loudly
    return question


def normalize_response(question: Question, raw: object) -> Response:
    """Check a response against its question and return it in canonical form.

    Raises ``InvalidResponse`` for anything a learner's widget could not have produced.
    """
    if question.kind == "single":
        return _choice_index(question, raw)
    if question.kind == "multiple":
        if not isinstance(raw, (list, tuple)) or not raw:
            raise InvalidResponse(f"{question.id}: expected a non-empty list of choices")
        indices = sorted({_choice_index(question, item) for item in raw})
        if len(indices) != len(raw):
            raise InvalidResponse(f"{question.id}: a choice is repeated")
        return indices
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise InvalidResponse(f"{question.id}: expected a number")
    if not math.isfinite(raw) or abs(raw) > MAX_NUMERIC:
        raise InvalidResponse(f"{question.id}: number out of range")
    return float(raw)


def _choice_index(question: Question, raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw < len(question.choices):
        raise InvalidResponse(f"{question.id}: no such choice {raw!r}")
    return raw


def is_correct(question: Question, response: Response) -> bool:
    """Grade one (already normalized) response."""
    if question.kind == "multiple":
        return sorted(response) == sorted(question.answer)  # type: ignore[arg-type]
    if question.kind == "numeric":
        return abs(float(response) - float(question.answer)) <= question.tolerance + 1e-9  # type: ignore[arg-type]
    return response == question.answer


def score(quiz: Quiz, responses: dict[str, Response]) -> Score:
    """Correct and answered counts for a page, ignoring responses to unknown questions."""
    answered = [q for q in quiz.questions if q.id in responses]
    correct = sum(is_correct(q, responses[q.id]) for q in answered)
    return Score(correct=correct, answered=len(answered), total=len(quiz.questions))
