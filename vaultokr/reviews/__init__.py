"""Review notes as data and text: the templates' data (data.py), charts, the
Jinja environment and its budget, and what one build makes once for all its
outputs (memo.py)."""
