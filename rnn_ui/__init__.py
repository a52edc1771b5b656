"""Streamlit glue for the pages, one module per course topic that needs it (``forecasting``,
``sentiment``) plus what every page shares: the session (language, learner code, progress), the
quiz widget, small widgets, the step-throughs' tables and time steps, and the cross-page
hand-over.

Pages import from here and from ``rnn_core``; they never import one another.
"""
