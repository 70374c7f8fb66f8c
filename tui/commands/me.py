"""Who is using this database: `tanxin me` names 本人, whose talks the 工作台 and `due --mine` show first."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
