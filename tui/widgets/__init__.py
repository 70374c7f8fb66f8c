"""Reusable widgets: every one that shows stored text shows it literally (tui/safe.py)."""
