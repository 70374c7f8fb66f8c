"""The compliance record from the command line: every obligation of a year and what became of it."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
