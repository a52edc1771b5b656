"""Progress files and the learner-code store: round trips, and refusal of bad files."""

import json
import threading

import pytest

from rnn_core import progress, quiz


def _some_answers() -> progress.Answers:
    page = quiz.load_quiz("fundamentals")
    first, second = page.questions[:2]
    return {"fundamentals": {first.id: first.answer, second.id: second.answer}}


def test_file_round_trip_keeps_the_answers():
    answers = _some_answers()
    assert progress.from_json(progress.to_json(answers).encode()) == answers


def _document(**changes) -> bytes:
    document = json.loads(progress.to_json(_some_answers()))
    document.update(changes)
    return json.dumps(document).encode()


def _resigned(answers) -> bytes:
    """A forger who recomputes the checksum: only the content checks can stop them."""
    document = {"format": progress.FORMAT, "version": progress.VERSION, "answers": answers,
                "checksum": progress._checksum(answers)}
    return json.dumps(document).encode()


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "not_json"),
    (b"\xff\xfe\x00binary", "not_json"),
    (b"{not json", "not_json"),
    (b"[1, 2, 3]", "wrong_format"),
    (b'{"format": "something-else"}', "wrong_format"),
    (b"x" * (progress.MAX_FILE_BYTES + 1), "too_large"),
    (b"[" * 50_000 + b"]" * 50_000, "too_large"),
    # past Python's 4,300-digit limit json.loads raises a plain ValueError (it once crashed)
    (b'{"format":"rnn-lab-progress","version":1,"answers":{"sine":{"window_count":'
     + b"9" * 5000 + b'}},"checksum":"x"}', "not_json"),
])
def test_malformed_files_are_refused_with_a_reason(data, reason):
    with pytest.raises(progress.ProgressError) as error:
        progress.from_json(data)
    assert error.value.reason == reason


def test_deeply_nested_json_is_refused_not_crashing():
    with pytest.raises(progress.ProgressError):
        progress.from_json(b"[" * 30_000 + b"]" * 30_000)


@pytest.mark.parametrize("data", [
    _document(version=99),
    _document(score=100),
    _document(checksum="0" * 64),
    _resigned({"nonexistent_page": {}}),
    _resigned({"fundamentals": {"no_such_question": 0}}),
    _resigned({"fundamentals": {quiz.load_quiz("fundamentals").questions[0].id: 999}}),
    _resigned({"fundamentals": []}),
    _resigned([]),
])
def test_edited_or_forged_files_are_refused(data):
    with pytest.raises(progress.ProgressError) as error:
        progress.from_json(data)
    assert error.value.reason in {"forged", "wrong_version"}


def test_store_keeps_answers_per_learner_and_survives_a_new_instance(tmp_path):
    path = tmp_path / "progress.sqlite3"
    code = progress.new_learner_code()
    progress.ProgressStore(path).save(code, _some_answers())
    reopened = progress.ProgressStore(path)
    assert reopened.load(code) == _some_answers()
    assert reopened.load(progress.new_learner_code()) == {}
    assert reopened.load("../../etc/passwd") == {}


def test_store_is_safe_from_many_threads(tmp_path):
    store = progress.ProgressStore(tmp_path / "p.sqlite3")
    codes = [progress.new_learner_code() for _ in range(16)]
    threads = [threading.Thread(target=store.save, args=(code, _some_answers())) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(store.load(code) == _some_answers() for code in codes)


def test_store_evicts_the_oldest_learners_beyond_its_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "MAX_STORED_LEARNERS", 3)
    store = progress.ProgressStore(tmp_path / "p.sqlite3")
    codes = [progress.new_learner_code() for _ in range(5)]
    for code in codes:
        store.save(code, _some_answers())
    kept = [code for code in codes if store.load(code)]
    assert kept == codes[-3:]


BAD_CODES = ["", "short", "a" * 33, "has space in it", "../../../etc", None, 5]


@pytest.mark.parametrize("code", BAD_CODES)
def test_malformed_learner_codes_are_never_stored(code, tmp_path):
    assert not progress.is_learner_code(code)
    with pytest.raises(ValueError):
        progress.ProgressStore(tmp_path / "p.sqlite3").save(code, {})
