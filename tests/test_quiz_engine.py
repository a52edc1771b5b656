"""Grading and response validation of the quiz engine."""

import dataclasses

import pytest

from rnn_core import quiz

SINGLE = quiz.Question(id="s", kind="single", prompt={"en": "p"}, explanation={"en": "e"},
                       answer=1, choices=({"en": "a"}, {"en": "b"}, {"en": "c"}))
MULTIPLE = quiz.Question(id="m", kind="multiple", prompt={"en": "p"}, explanation={"en": "e"},
                         answer=[0, 2], choices=({"en": "a"}, {"en": "b"}, {"en": "c"}))
NUMERIC = quiz.Question(id="n", kind="numeric", prompt={"en": "p"}, explanation={"en": "e"},
                        answer=1088, tolerance=0)


def test_single_choice_is_graded_by_index():
    assert quiz.is_correct(SINGLE, quiz.normalize_response(SINGLE, 1))
    assert not quiz.is_correct(SINGLE, quiz.normalize_response(SINGLE, 0))


def test_multiple_choice_needs_exactly_the_right_set():
    assert quiz.is_correct(MULTIPLE, quiz.normalize_response(MULTIPLE, [2, 0]))
    assert not quiz.is_correct(MULTIPLE, quiz.normalize_response(MULTIPLE, [0]))
    assert not quiz.is_correct(MULTIPLE, quiz.normalize_response(MULTIPLE, [0, 1, 2]))


def test_numeric_uses_the_tolerance():
    assert quiz.is_correct(NUMERIC, quiz.normalize_response(NUMERIC, 1088.0))
    assert not quiz.is_correct(NUMERIC, quiz.normalize_response(NUMERIC, 1089))
    loose = dataclasses.replace(NUMERIC, tolerance=0.5)
    assert quiz.is_correct(loose, 1088.4)


@pytest.mark.parametrize(("question", "raw"), [
    (SINGLE, 3), (SINGLE, -1), (SINGLE, True), (SINGLE, "1"), (SINGLE, None),
    (MULTIPLE, []), (MULTIPLE, [0, 0]), (MULTIPLE, [5]), (MULTIPLE, "0,2"),
    (NUMERIC, float("nan")), (NUMERIC, float("inf")), (NUMERIC, 1e300), (NUMERIC, "12"),
    (NUMERIC, None),
])
def test_responses_a_widget_cannot_produce_are_rejected(question, raw):
    with pytest.raises(quiz.InvalidResponse):
        quiz.normalize_response(question, raw)


def test_score_counts_only_known_questions():
    page = quiz.Quiz(page="x", questions=(SINGLE, MULTIPLE, NUMERIC))
    result = quiz.score(page, {"s": 1, "m": [0], "ghost": 1})
    assert (result.correct, result.answered, result.total) == (1, 2, 3)
    assert result.completion == pytest.approx(2 / 3)


def test_every_shipped_quiz_loads_and_its_answers_grade_correct():
    assert "fundamentals" in quiz.available_quizzes()
    for page in quiz.available_quizzes():
        for question in quiz.load_quiz(page).questions:
            assert quiz.is_correct(question, quiz.normalize_response(question, question.answer))
