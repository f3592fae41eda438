"""The OKR model: plain typed dataclasses (okr.py), one object per measure
(measures.py), and the table of note properties (properties.py)."""
