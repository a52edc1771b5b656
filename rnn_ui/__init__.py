"""Streamlit glue shared by the pages: session (language, learner code, progress) and quiz widget.

Pages import from here and from ``rnn_core``; they never import one another.
"""
