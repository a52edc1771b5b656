"""RNN Lab's entry point: a router that sets up the session and runs the chosen page.

Run with ``streamlit run app.py``. Every page lives in ``pages/``; the list below is the course's
order. Titles come from the translation catalogue, so the navigation follows the language switch.
"""

import streamlit as st

from rnn_ui.session import init_session, language_switch, translator

PAGES = (  # (file, translation key of the title, icon, url path)
    ("pages/home.py", "nav.home", ":material/home:", "home"),
    ("pages/fundamentals.py", "nav.fundamentals", ":material/school:", "fundamentals"),
    ("pages/sine.py", "nav.sine", ":material/show_chart:", "sine"),
    ("pages/compare.py", "nav.compare", ":material/compare_arrows:", "compare"),
    ("pages/sentiment.py", "nav.sentiment", ":material/reviews:", "sentiment"),
    ("pages/progress.py", "nav.progress", ":material/checklist:", "progress"),
)

st.set_page_config(page_title="RNN Lab", page_icon=":material/neurology:", layout="wide")
init_session()
t = translator()
navigation = st.navigation(
    [
        st.Page(path, title=t(title), icon=icon, url_path=url, default=(url == "home"))
        for path, title, icon, url in PAGES
    ]
)
with st.sidebar:
    language_switch()
    st.caption(t("common.sidebar_note"))
navigation.run()
