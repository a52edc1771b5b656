"""The course's colours: one palette for every figure, so a colour means the same on every page.

``CELL_COLOURS`` gives each recurrent cell its own colour (SimpleRNN / LSTM / GRU read the same
on every chart); the other names are roles in the diagrams and forecasts.
"""

ACCENT = "#d2492a"  # the highlighted step, validation loss, the closed-loop forecast
CELL = "#3b6ea8"  # a recurrent cell, training loss, the one-step forecast
MUTED = "#b9c2cf"  # arrows, the truth behind a forecast, the held-out band
INPUT = "#5a9e6f"  # inputs x_t, the persistence baseline
OUTPUT = "#b07aa1"  # outputs y_t, residuals
CELL_COLOURS = {"simple_rnn": ACCENT, "lstm": CELL, "gru": INPUT}
