"""Junk in every URL query parameter: each page still runs, in English, with a new learner code."""

import pytest

from rnn_core import course
from rnn_core.i18n import translate
from rnn_core.study import progress
from tests.apptest import open_app

JUNK = [
    "<script>alert(1)</script>' OR 1=1 --",
    "../../../etc/passwd\x00\x07\x1b[31m",
    "日本語のゴミ",
    "x" * 100_000,
]


@pytest.mark.parametrize("junk", JUNK, ids=range(len(JUNK)))
@pytest.mark.parametrize("page", [p.name for p in course.PAGES])
def test_junk_query_parameters_never_break_a_page(page, junk):
    at = open_app(junk, page, learner=junk, step=junk, tab=junk, unknown=junk)
    title = course.page(page).title_key
    assert at.title[0].value == translate(title, "en")
    assert at.query_params["lang"] == "en"
    assert progress.is_learner_code(at.query_params["learner"])
    assert not any(junk in md.value for md in at.markdown)  # never echoed
