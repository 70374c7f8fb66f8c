"""Every command of the CLI, for tests that go over all of them (usage errors, help layout)."""

from __future__ import annotations

import click

CommandPath = tuple[str, ...]


def all_commands(group: click.Group, prefix: CommandPath = ()) -> list[tuple[CommandPath, click.Command]]:
    """(path, command) for every command and group under `group`, depth first, in name order; `group` itself
    is not among them."""
    found: list[tuple[CommandPath, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        found.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, (*prefix, name)))
    return found
