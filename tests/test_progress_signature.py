"""Signed progress files: a server secret tells the answers this course recorded from a file a
learner wrote (checksum recomputed); `rnn-lab grade` says which is which, files from before
still load, and the Progress page signs downloads and refuses unsigned uploads when it has a
secret."""

import json

import pytest

from rnn_core import cli
from rnn_core.i18n import translate
from rnn_core.study import progress, quiz, records
from tests.apptest import button, open_app
from tests.conftest import ROOT

SECRET = "a-teachers-secret-of-some-length"
FUNDAMENTALS = quiz.load_quiz("fundamentals")


def _honest() -> progress.Answers:
    """A learner who got the first question wrong, then right."""
    question = FUNDAMENTALS.questions[0]
    wrong = (question.answer + 1) % len(question.choices)
    return {"fundamentals": {question.id: records.add_try(records.add_try(None, wrong, 1.0),
                                                          question.answer, 2.0)}}


def _all_right() -> progress.Answers:
    """What a forger writes: every question of every page right at the first try."""
    answers: progress.Answers = {}
    for page in quiz.available_quizzes():
        page_quiz = quiz.load_quiz(page)
        answers[page] = {q.id: records.add_try(None, quiz.normalize_response(q, q.answer), 5.0)
                         for q in page_quiz.questions}
    return answers


def _forged(answers: progress.Answers, signed_file: str | None = None) -> str:
    """``answers`` with a recomputed checksum; keeping ``signed_file``'s signature if given."""
    document = {"format": progress.FORMAT, "version": progress.VERSION, "answers": answers,
                "checksum": progress._checksum(answers)}
    if signed_file is not None:
        document["signature"] = json.loads(signed_file)["signature"]
    return json.dumps(document)


def test_a_signed_file_verifies_with_its_secret_and_only_with_it():
    signed = progress.to_json(_honest(), SECRET)
    read = progress.read_file(signed)
    assert read.answers == _honest()
    assert read.verification(SECRET) == "verified"
    assert read.verification("another secret") == "forged"
    assert read.verification(None) == "unverifiable"
    assert progress.from_json(signed, SECRET) == _honest()
    with pytest.raises(progress.ProgressError) as error:
        progress.from_json(signed, "another secret")
    assert error.value.reason == "unsigned"


def test_a_forged_file_with_a_recomputed_checksum_is_never_verified():
    """The checksum alone lets this through (it did before signatures): it is still readable,
    but under the secret it is unverifiable (no signature) or forged (a stolen one)."""
    unsigned = _forged(_all_right())
    assert progress.from_json(unsigned) == _all_right()  # no secret: a learner's own backup
    assert progress.read_file(unsigned).verification(SECRET) == "unverifiable"
    stolen = _forged(_all_right(), progress.to_json(_honest(), SECRET))
    assert progress.read_file(stolen).verification(SECRET) == "forged"
    for data in (unsigned, stolen):
        with pytest.raises(progress.ProgressError) as error:
            progress.from_json(data, SECRET)
        assert error.value.reason == "unsigned"


@pytest.mark.parametrize("bad", [5, None, ["x"], {"a": 1}])
def test_a_signature_that_is_not_text_is_refused(bad):
    document = json.loads(progress.to_json(_honest(), SECRET))
    document["signature"] = bad
    if bad is None:  # a null signature is no signature: the file reads as unsigned
        assert progress.read_file(json.dumps(document)).signature is None
        return
    with pytest.raises(progress.ProgressError) as error:
        progress.read_file(json.dumps(document))
    assert error.value.reason == "forged"


@pytest.mark.parametrize("name", ["progress_v1_right.json", "progress_v1_wrong.json"])
def test_files_from_before_signatures_still_load_and_grade_as_unverifiable(name, tmp_path):
    data = (ROOT / "tests" / "data" / name).read_bytes()
    read = progress.read_file(data)
    assert read.signature is None and sum(len(p) for p in read.answers.values()) == 41
    assert progress.from_json(data) == read.answers
    assert read.verification(SECRET) == "unverifiable"


def _grade(capsys, *arguments: str) -> dict:
    assert cli.main(["grade", *arguments, "--json"]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_grade_says_per_file_verified_unverifiable_or_forged(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv(progress.SECRET_ENV, raising=False)
    files = {"signed": progress.to_json(_honest(), SECRET), "unsigned": _forged(_honest()),
             "forged": _forged(_all_right(), progress.to_json(_honest(), SECRET)),
             "edited": progress.to_json(_honest(), SECRET).replace('"at": 2.0', '"at": 0.5'),
             "junk": "{ nope"}
    paths = {name: str(tmp_path / f"{name}.json") for name in files}
    for name, content in files.items():
        (tmp_path / f"{name}.json").write_text(content)
    (tmp_path / "secret").write_text(SECRET + "\n")

    out = _grade(capsys, *paths.values(), "--secret-file", str(tmp_path / "secret"))
    learners = {name: out["learners"][path] for name, path in paths.items()}
    assert {name: entry["verification"] for name, entry in learners.items()} == {
        "signed": "verified", "unsigned": "unverifiable", "forged": "forged",
        "edited": "forged", "junk": "unreadable"}
    assert out["graded"] == 2  # the forged, edited and unreadable files are not graded
    for name in ("forged", "edited", "junk"):
        assert "error" in learners[name] and "fundamentals" not in learners[name]
    assert out["verdicts"][paths["forged"]].startswith("forged or altered")
    assert learners["signed"]["fundamentals"]["after_retries"] == 1

    monkeypatch.setenv(progress.SECRET_ENV, "the wrong secret")  # the environment's secret
    out = _grade(capsys, paths["signed"])
    assert out["learners"][paths["signed"]]["verification"] == "forged" and out["graded"] == 0

    monkeypatch.delenv(progress.SECRET_ENV)  # no secret at all: nothing can be verified
    out = _grade(capsys, paths["signed"], paths["forged"])
    assert {entry["verification"] for entry in out["learners"].values()} == {"unverifiable"}
    assert "no secret given" in out["verdicts"][paths["signed"]]


def test_grade_refuses_an_empty_or_missing_secret_file(capsys, tmp_path):
    (tmp_path / "empty").write_text("\n")
    (tmp_path / "f.json").write_text(progress.to_json(_honest(), SECRET))
    for secret_file in (tmp_path / "empty", tmp_path / "missing"):
        assert cli.main(["grade", str(tmp_path / "f.json"), "--secret-file",
                         str(secret_file)]) == 2
        assert "secret file" in capsys.readouterr().err


# ---------------------------------------------------------------- the Progress page
def _upload(at, content: str):
    at.file_uploader(key="progress:upload:0").set_value(
        ("p.json", content.encode(), "application/json"))
    at.run()
    assert not at.exception


def test_with_a_secret_the_progress_page_signs_downloads_and_refuses_unsigned_uploads(
        monkeypatch):
    monkeypatch.setenv(progress.SECRET_ENV, SECRET)
    downloads, to_json = [], progress.to_json  # AppTest does not expose a download's bytes

    def recorded(answers, secret=None):
        downloads.append(to_json(answers, secret))
        return downloads[-1]

    monkeypatch.setattr(progress, "to_json", recorded)
    at = open_app("ja", "progress")
    assert progress.read_file(downloads[-1]).verification(SECRET) == "verified"
    _upload(at, _forged(_all_right()))
    assert translate("progress.err_unsigned", "ja") in [e.value for e in at.error]
    at = open_app("en", "progress")
    _upload(at, progress.to_json(_honest(), SECRET))
    button(at, translate("progress.upload_apply", "en")).click().run()
    assert at.session_state["answers"] == _honest()


def test_without_a_secret_the_progress_page_loads_an_unsigned_file(monkeypatch):
    monkeypatch.delenv(progress.SECRET_ENV, raising=False)
    at = open_app("en", "progress")
    _upload(at, _forged(_honest()))
    button(at, translate("progress.upload_apply", "en")).click().run()
    assert at.session_state["answers"] == _honest()


def test_the_secret_comes_from_streamlit_secrets_first(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv(progress.SECRET_ENV, "the environment's")
    script = ("import streamlit as st\nfrom rnn_ui.session import progress_secret\n"
              "st.write(progress_secret())\n")
    at = AppTest.from_string(script)
    at.secrets["progress_secret"] = SECRET
    at.run()
    assert at.markdown[0].value == SECRET
    plain = AppTest.from_string(script)
    plain.run()
    assert plain.markdown[0].value == "the environment's"
