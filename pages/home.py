"""Start here: what RNN Lab teaches, in which order, and a link to every page."""

import streamlit as st

from rnn_core.quiz import available_quizzes, load_quiz
from rnn_ui.session import translator

t = translator()
COURSE = (  # (page file, key prefix in the "home" catalogue, icon)
    ("pages/fundamentals.py", "fundamentals", ":material/school:"),
    ("pages/sine.py", "sine", ":material/show_chart:"),
    ("pages/compare.py", "compare", ":material/compare_arrows:"),
    ("pages/sentiment.py", "sentiment", ":material/reviews:"),
    ("pages/progress.py", "progress", ":material/checklist:"),
)

st.title(t("home.title"))
st.markdown(t("home.tagline"))
st.subheader(t("home.path_heading"))
for number, (page, key, icon) in enumerate(COURSE, start=1):
    with st.container(border=True):
        st.page_link(page, label=f"{number}. {t(f'nav.{key}')}", icon=icon)
        has_quiz = key in available_quizzes()
        questions = {"questions": len(load_quiz(key).questions)} if has_quiz else {}
        st.markdown(t(f"home.{key}_text", **questions))
st.subheader(t("home.how_heading"))
st.markdown(t("home.how_text"))
