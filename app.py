"""RNN Lab's web server: ``streamlit run app.py`` serves the course (``router.py``).

Streamlit finds the ``st.App`` below and serves it; what the app adds to a plain ``streamlit run
router.py`` happens before any page script runs (``rnn_ui.server``): a request for a path that is
not a page (``/sine/extra``, ``/views/sine``) is sent to a page instead of getting Streamlit's
blank shell, and the heavy libraries are warmed up in the background once per process, so the
first learner does not pay for them.
"""

import streamlit as st

from rnn_ui.server import lifespan, middleware

app = st.App("router.py", middleware=middleware(), lifespan=lifespan)
