"""What the terminal and other programs see: the JSON report, the terminal
status and history, the CSV/JSON export, and what a command prints at each
level."""
