"""Help pages that say what to type: no internal type placeholders (``<str>``, ``<path>``, ``list[...]``).

Options that set a ``metavar`` keep it. For the others :func:`tidy` picks one from the parameter: a flag shows
none, a choice shows ``[a|b|c]``, a path ``FILE``, a number ``N`` or ``NUMBER``, text the option's own name in
capitals (``--sheet`` → ``SHEET``); an argument shows its name only. It walks the whole command
tree once, so options added later by any module are covered too.
"""

from __future__ import annotations

from enum import Enum
from pathlib import PurePath
from typing import Any, get_args

from typer._click.core import Context  # Typer's own copy of Click


def _base(annotation: Any) -> Any:
    args = [a for a in get_args(annotation) if a is not type(None)]
    return _base(args[0]) if args else annotation


def _metavar(param: Any) -> str:
    desc = param.type_descriptor
    if getattr(param, "is_flag", False):
        return ""
    if desc.is_choice and desc.choices:
        values = [c.value if isinstance(c, Enum) else str(c) for c in desc.choices]
        return "[" + "|".join(values) + "]"
    base = _base(desc.annotation)
    if isinstance(base, type) and issubclass(base, PurePath):
        return "FILE"
    if base is int:
        return "N"
    if base is float:
        return "NUMBER"
    name = str(param.opts[0] if param.opts else param.name).lstrip("-")
    return name.upper().replace("-", "_") if param.param_type_name == "argument" else name.upper()


def _no_type(ctx: Any = None) -> None:
    return None


def tidy(command: Any) -> None:
    """Give every parameter of ``command`` and its subcommands a readable metavar (in place)."""
    help_option = command.get_help_option(Context(command))
    params = [*getattr(command, "params", []), *([help_option] if help_option is not None else [])]
    for param in params:
        if param.metavar is None and hasattr(param, "type_descriptor"):
            param.metavar = _metavar(param)
        if param.param_type_name == "argument":
            # Typer prints an argument's Python type beside its name; the name (metavar) says it all.
            param.display_type_rich = _no_type
    for sub in getattr(command, "commands", {}).values():
        tidy(sub)
