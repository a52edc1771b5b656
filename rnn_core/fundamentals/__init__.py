"""RNN fundamentals (page ``views/fundamentals.py``): a SimpleRNN stepped through by hand, output
shapes and parameter counts, the unrolled diagrams, and the Keras code behind them."""
