"""The quiz engine: grading, feedback that never gives the key away, shuffling, key statistics."""

import collections
import dataclasses

import pytest

from rnn_core.study import progress, quiz


def _choices(*names: str) -> tuple[quiz.Choice, ...]:
    return tuple(quiz.Choice({"en": name}, {"en": f"why {name}"}) for name in names)


SINGLE = quiz.Question(id="s", kind="single", prompt={"en": "p"}, explanation={"en": "e"},
                       answer=1, choices=_choices("a", "b", "c", "d"))
MULTIPLE = quiz.Question(id="m", kind="multiple", prompt={"en": "p"}, explanation={"en": "e"},
                         answer=[0, 2], choices=_choices("a", "b", "c", "d"))
NUMERIC = quiz.Question(id="n", kind="numeric", prompt={"en": "p"}, explanation={"en": "e"},
                        answer=1088, tolerance=0, hint={"en": "hint"},
                        mistakes=(quiz.Mistake(272.0, {"en": "one block only"}),))


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
    (SINGLE, 4), (SINGLE, -1), (SINGLE, True), (SINGLE, "1"), (SINGLE, None),
    (MULTIPLE, []), (MULTIPLE, [0, 0]), (MULTIPLE, [5]), (MULTIPLE, "0,2"),
    (NUMERIC, float("nan")), (NUMERIC, float("inf")), (NUMERIC, 1e300), (NUMERIC, "12"),
    (NUMERIC, None),
])
def test_responses_a_widget_cannot_produce_are_rejected(question, raw):
    with pytest.raises(quiz.InvalidResponse):
        quiz.normalize_response(question, raw)


def test_a_wrong_single_choice_gets_that_choices_feedback_only():
    result = quiz.feedback(SINGLE, 3)
    assert not result.correct
    assert result.reasons == ({"en": "why d"},)
    assert quiz.feedback(SINGLE, 1).correct


def test_a_wrong_multiple_choice_explains_the_wrong_ticks_and_never_names_the_missing_ones():
    result = quiz.feedback(MULTIPLE, [0, 1, 3])
    assert result.reasons == ({"en": "why b"}, {"en": "why d"}) and not result.missing
    incomplete = quiz.feedback(MULTIPLE, [2])  # every tick right, one missing: no why of "a"
    assert incomplete.reasons == () and incomplete.missing


def test_a_wrong_number_gets_the_mistakes_feedback_or_else_the_hint():
    assert quiz.feedback(NUMERIC, 272.0).reasons == ({"en": "one block only"},)
    assert quiz.feedback(NUMERIC, 5.0).reasons == ({"en": "hint"},)


def test_choice_order_is_a_stable_permutation_per_learner_and_question():
    code = progress.new_learner_code()
    order = quiz.choice_order(SINGLE, code)
    assert sorted(order) == [0, 1, 2, 3]
    assert all(quiz.choice_order(SINGLE, code) == order for _ in range(5))
    other = dataclasses.replace(SINGLE, id="another")
    codes = [f"learner-code-{n:04d}" for n in range(200)]
    assert any(quiz.choice_order(other, c) != quiz.choice_order(SINGLE, c) for c in codes)


def test_across_learners_the_key_lands_on_every_position_about_equally():
    positions = collections.Counter(
        quiz.choice_order(SINGLE, f"learner-code-{n:04d}").index(SINGLE.answer)
        for n in range(2000))
    assert sorted(positions) == [0, 1, 2, 3]
    assert all(400 <= count <= 600 for count in positions.values()), positions


def test_v1_responses_are_mapped_to_todays_choice_order():
    reordered = dataclasses.replace(SINGLE, answer=3, v1_order=(2, 3, 0, 1))
    assert quiz.from_version(reordered, 1, 1) == 3  # the old key is today's key
    multiple = dataclasses.replace(MULTIPLE, answer=[1, 2], v1_order=(2, 3, 1, 0))
    assert quiz.from_version(multiple, [0, 2], 1) == [1, 2]
    assert quiz.from_version(NUMERIC, 1088, 1) == 1088.0
    with pytest.raises(quiz.InvalidResponse):
        quiz.from_version(reordered, 7, 1)


def test_each_versions_order_maps_only_its_own_responses():
    """v1_order and v2_order differ once a question was reordered twice; today's order maps
    nothing, and an index the old version never had is refused, not an IndexError."""
    reordered = dataclasses.replace(SINGLE, answer=0, v1_order=(3, 0, 1), v2_order=(2, 0, 1, 3))
    assert quiz.from_version(reordered, 0, 1) == 3
    assert quiz.from_version(reordered, 0, 2) == 2
    assert quiz.from_version(reordered, 0, 3) == 0
    with pytest.raises(quiz.InvalidResponse):
        quiz.from_version(reordered, 3, 1)  # version 1 had three choices


def test_key_statistics_count_positions_and_lengths():
    short_key = dataclasses.replace(SINGLE, choices=_choices("aaaa", "b", "ccc", "dd"))
    long_key = dataclasses.replace(SINGLE, id="t", answer=0,
                                   choices=_choices("aaaa", "b", "ccc", "dddd"))
    stats = quiz.key_statistics((quiz.Quiz("x", (short_key, long_key, MULTIPLE)),))
    assert stats.singles == 2 and stats.positions == {0: 1, 1: 1}
    assert stats.longest == {"en": 0, "ja": 0} and stats.longest_or_tied == {"en": 1, "ja": 1}


def test_predictions_normalize_and_match():
    choice = quiz.Prediction("p", "choice", {"en": "?"}, {"en": "!"}, options=("yes", "no"),
                             option_texts=({"en": "Yes"}, {"en": "No"}))
    assert choice.normalize("yes") == "yes" and choice.matches("yes", "yes")
    assert not choice.matches("yes", "no")
    with pytest.raises(quiz.InvalidResponse):
        choice.normalize("maybe")
    number = quiz.Prediction("q", "number", {"en": "?"}, {"en": "!"}, tolerance=0.1)
    assert number.matches(105.0, 100.0) and not number.matches(120.0, 100.0)
    with pytest.raises(quiz.InvalidResponse):
        number.normalize(float("nan"))


def test_every_shipped_quiz_loads_and_its_answers_grade_correct():
    assert "fundamentals" in quiz.available_quizzes()
    for page in quiz.available_quizzes():
        for question in quiz.load_quiz(page).questions:
            assert quiz.is_correct(question, quiz.normalize_response(question, question.answer))
            assert quiz.feedback(question, question.answer).correct
