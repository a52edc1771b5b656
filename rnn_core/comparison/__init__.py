"""SimpleRNN vs LSTM vs GRU (page ``views/compare.py``): the three cells trained side by side,
the long-range memory task, the gradient lab and their figures."""
