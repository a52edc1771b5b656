"""What a learner does and keeps, across every page: the quizzes (``quiz``, the questions in
``quizzes/<page>.yaml``), what each page's prediction is compared with (``outcomes``), the
record of every try, reveal and prediction with its grading and merge (``records``), the
progress file with its signature (``progress``) and the database behind learner codes
(``progress_store``)."""
