"""The command tree, built as far as a command line goes into it.

Typer turns every registered function into a click command when the app starts: it reads each signature and
its type hints and makes each option, about 100 ms for claimtrack's fifty commands, twice what a whole
command may add to the import floor (issue 19). Here a group keeps its commands as their Typer registrations
and builds one when it is looked up: ``claimtrack claim list`` builds the root, the ``claim`` group and
``list``; ``--help`` builds the root's commands and its groups, not the groups' commands.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
import typer.main
from typer.models import CommandInfo, TyperInfo

Registration = CommandInfo | TyperInfo


class LazyCommands(MutableMapping[str, Any]):
    """A group's commands by name, in the order Typer would list them (commands, then groups); each is built
    from its Typer registration when first looked up. Iterating gives the names without building anything."""

    def __init__(self, source: typer.Typer, *, settings: dict[str, Any]) -> None:
        self._settings = settings  # pretty_exceptions_short, rich_markup_mode, suggest_commands
        self._commands: dict[str, Any] = {}  # a built click command, or the registration to build it from
        for info in source.registered_commands:
            assert info.callback is not None, "a command needs a function"
            self._commands[info.name or typer.main.get_command_name(info.callback.__name__)] = info
        for group in source.registered_groups:
            if isinstance(group.name, str) and group.name:
                self._commands[group.name] = group
                continue
            # Named by its own Typer, or merged into this group (add_typer without a name): built now.
            built = self._build(group)
            if built.name:
                self._commands[built.name] = built
            else:
                self._commands.update(built.commands)

    def _build(self, registration: Registration) -> Any:
        settings = self._settings
        if isinstance(registration, CommandInfo):
            return typer.main.get_command_from_info(
                registration,
                pretty_exceptions_short=settings["pretty_exceptions_short"],
                rich_markup_mode=settings["rich_markup_mode"],
            )
        return lazy_group(registration, settings)

    def __getitem__(self, name: str) -> Any:
        entry = self._commands[name]
        if isinstance(entry, CommandInfo | TyperInfo):
            entry = self._commands[name] = self._build(entry)
        return entry

    def __setitem__(self, name: str, command: Any) -> None:
        self._commands[name] = command

    def __delitem__(self, name: str) -> None:
        del self._commands[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)


def lazy_group(registration: TyperInfo, settings: dict[str, Any]) -> Any:
    """The click group of a Typer group (its options, callback and help as Typer makes them), holding its
    commands as :class:`LazyCommands`."""
    source = registration.typer_instance
    assert source is not None, "a group needs its Typer"
    # Typer builds the group from a copy of its Typer without commands, so that it builds none of them.
    empty = copy.copy(source)
    empty.registered_commands, empty.registered_groups = [], []
    shell = copy.copy(registration)
    shell.typer_instance = empty
    group = typer.main.get_group_from_info(shell, **settings)
    group.commands = LazyCommands(source, settings=settings)
    return group
