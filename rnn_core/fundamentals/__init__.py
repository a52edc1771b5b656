"""RNN fundamentals (pages ``views/fundamentals.py`` and ``views/gates.py``): a SimpleRNN and an
LSTM / GRU stepped through by hand (``stepthrough``, ``gates`` and their figures), output shapes
and parameter counts, the unrolled diagrams, and the code behind them (Keras, NumPy, PyTorch)."""
