"""The runs: the pipeline (read, analyse, build), a one-shot command, a build
of the reviews, and the watcher."""
