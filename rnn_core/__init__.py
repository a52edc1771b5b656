"""RNN Lab's computational core: plain Python + NumPy + Keras, never Streamlit.

Everything a page shows is computed here, so the CLI (``rnn-lab``) and the tests can reproduce it.
TensorFlow/Keras is imported lazily inside the functions that need it: importing ``rnn_core``
stays cheap, and a page that only shows text never pays for TensorFlow.
"""

__version__ = "0.1.0"
