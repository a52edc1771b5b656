"""Start here: what RNN Lab teaches, in which order, and a link to every page."""

import streamlit as st

from rnn_core.course import LESSONS
from rnn_core.study.quiz import available_quizzes, load_quiz
from rnn_ui.server import MISSING_PARAM
from rnn_ui.session import translator

t = translator()

st.title(t("home.title"))
missing = st.query_params.get(MISSING_PARAM)
if missing:  # the server sent a visitor here from an address that is not a page
    st.info(t.plain("home.not_found", path=f"/{missing}"), icon=":material/explore_off:")
    del st.query_params[MISSING_PARAM]
st.markdown(t("home.tagline"))
st.subheader(t("home.path_heading"))
for number, page in enumerate(LESSONS, start=1):
    with st.container(border=True):
        st.page_link(page.file, label=f"{number}. {t(f'nav.{page.name}')}", icon=page.icon)
        has_quiz = page.name in available_quizzes()
        questions = {"questions": len(load_quiz(page.name).questions)} if has_quiz else {}
        st.markdown(t(f"home.{page.name}_text", **questions))
st.subheader(t("home.how_heading"))
st.markdown(t("home.how_text"))
