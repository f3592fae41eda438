"""How Obsidian and Dataview write things, read once: field names, tags and
types (names.py), a note's date (dates.py), numbers, dates, periods and
targets as users write them (values.py)."""
