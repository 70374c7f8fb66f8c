"""The organisation from the command line: its name, units and the roles people hold."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
