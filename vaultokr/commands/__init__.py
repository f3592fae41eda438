"""The commands' own logic under the CLI: init and check-ins, new notes, the
weekly check-in, finding a key result by name, and the exit codes of every
outcome."""
