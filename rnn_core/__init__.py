"""RNN Lab's computational core: plain Python + NumPy + Keras, never Streamlit.

Everything a page shows is computed here, so the CLI (``rnn-lab``) and the tests can reproduce it.
TensorFlow/Keras is imported lazily inside the functions that need it: importing ``rnn_core``
stays cheap, and a page that only shows text never pays for TensorFlow.

TensorFlow's oneDNN kernels are turned off (``TF_ENABLE_ONEDNN_OPTS=0``, unless the environment
says otherwise) before anything imports it, for the app, the CLI and the tests alike. On a
server's CPU they keep freed tensors in an allocator pool of their own: on an AVX-512 Xeon, one
learner's training at the pages' largest sizes left the server 290-330 MB larger after it ended
(120-145 MB with them off, and a 100 MB lower peak), and the forecasting page's default training
took 0.75 s with them and 0.65 s without (same losses to 1e-7).
"""

import os

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

__version__ = "0.1.0"
