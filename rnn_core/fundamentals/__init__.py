"""RNN fundamentals (pages ``views/fundamentals.py`` and ``views/gates.py``): a SimpleRNN and an
LSTM / GRU stepped through by hand (``stepthrough``, ``gates`` and their figures), output shapes
and parameter counts, the unrolled diagrams, why order matters (``order``: the shipped sentiment
models on a review as written, shuffled and reversed), and the code behind them (Keras, NumPy,
PyTorch)."""
