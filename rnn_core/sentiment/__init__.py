"""IMDB sentiment (page ``views/sentiment.py``): the dataset, the models' text front end, the
models, their settings (``hyperparameters``, without Keras) and their training (with word
vectors pretrained on unlabeled reviews), the registry of shipped models, word-by-word
explanations, the gates and units on a review (``gates``), the word vectors (``vectors``), the
learner's text (``user_text``), the pipeline as code (``codegen``) and the figures."""
