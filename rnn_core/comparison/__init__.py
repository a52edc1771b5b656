"""SimpleRNN vs LSTM vs GRU (page ``views/compare.py``): the three cells trained side by side
(``side_by_side``), the long-range memory task (``memory_task``), the gradient lab
(``gradients``) and its skip path through time (``residual``), what replaced RNNs
(``attention``: a GRU and an attention block timed against sequence length), the merits and
demerits table (``merits``) and their figures."""
