"""CLI commands, one module per area; tui/cli.py registers every module's COMMANDS."""
