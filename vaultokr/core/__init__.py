"""What every stage shares: errors and exit outcomes, problem codes, limits,
the vocabulary (statuses, measures, trends), today's date, text helpers and
escaping, the garbage-collector policy."""
