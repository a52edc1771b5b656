"""Forecasting a series (page ``views/sine.py``): the noisy sine and CSV series, windows and
scaling, the trained forecaster and its disk cache, forecasts against naive baselines, figures
and the runnable script."""
