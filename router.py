"""RNN Lab's router: sets up the session and runs the chosen page (every session, every rerun).

``app.py`` serves it (``streamlit run app.py``). The pages and their order come from
``rnn_core.course``; titles come from the translation catalogue, so the navigation follows the
language switch.
"""

import streamlit as st

from rnn_core.course import HOME, PAGES
from rnn_ui.keras_state import keep_keras_state
from rnn_ui.predict import prediction_switch
from rnn_ui.sections import scroll_to_section
from rnn_ui.session import init_session, keep_widget_values, language_switch, translator
from rnn_ui.warmup import page_drawn

keep_keras_state()  # before this run ends: Streamlit would clear Keras under other sessions
# An emoji icon is drawn by the browser itself; a Material icon as the tab's icon is fetched from
# fonts.gstatic.com by every learner's browser (and missing where that cannot be reached).
st.set_page_config(page_title="RNN Lab", page_icon="🔁", layout="wide")
init_session()
keep_widget_values()
t = translator()
navigation = st.navigation(
    [
        st.Page(page.file, title=t(f"nav.{page.name}"), icon=page.icon, url_path=page.name,
                default=page is HOME)
        for page in PAGES
    ]
)
with st.sidebar:
    language_switch()
    prediction_switch()
    st.caption(t("common.sidebar_note"))
navigation.run()
scroll_to_section()  # a section link (?section=<anchor>) lands on its header
page_drawn()  # the first page is on screen: the background warm-up may start
