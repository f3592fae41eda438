"""The model and a date in, results out: progress, expected, forecast, trend,
status (results.py), SMART warnings (smart.py), and the analysis step as
one function (analysis.py)."""
