"""Streamlit glue for the pages, one module per course topic that needs it (``fundamentals``,
``forecasting``, ``comparison``, ``sentiment``) plus what every page shares: the session
(language, learner code, progress), the quiz and prediction widgets, glossary links, small
widgets, the step-throughs' tables (``number_grid``, a component) and time steps, and the
cross-page hand-over; and the server's own work around Streamlit (``server``, ``warmup``,
``background``, ``keras_state``, ``keras_check``).

Pages import from here and from ``rnn_core``; they never import one another.
"""
