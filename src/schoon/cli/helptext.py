"""Help pages that say what to type: no internal type placeholders (``<str>``, ``<path>``, ``list[...]``).

Options that set a ``metavar`` keep it. For the others :func:`install` makes Typer show one derived from the
parameter: a flag shows none, a choice shows ``[a|b|c]``, a path ``FILE``, a number ``N`` or ``NUMBER``, text
the option's own name in capitals (``--sheet`` → ``SHEET``); an argument shows its name in capitals, without
its Python type. It works at the class level, so options added later by any module, and commands loaded
lazily, are covered too.
"""

from __future__ import annotations

from enum import Enum
from pathlib import PurePath
from typing import Any, get_args

from typer.core import TyperArgument, TyperOption


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


def _option_type(self: Any, ctx: Any = None) -> str:
    return str(self.metavar) if self.metavar is not None else _metavar(self)


def _no_type(self: Any, ctx: Any = None) -> None:
    return None


def _argument_name(self: Any) -> str:
    return str(self.metavar) if self.metavar is not None else _metavar(self)


def install() -> None:
    """Make every Typer option and argument, of any command loaded now or later, show a readable metavar.

    Typer prints an option's Python type (``<str>``) when it has no metavar, and an argument's type beside its
    name; this replaces both, once per process, at the class level (so lazily loaded commands are covered).
    """
    if getattr(TyperOption, "_schoon_metavars", False):
        return
    # setattr: these replace methods of Typer's classes, which a plain assignment would not type-check
    setattr(TyperOption, "display_type_rich", _option_type)  # noqa: B010
    setattr(TyperArgument, "display_type_rich", _no_type)  # noqa: B010
    setattr(TyperArgument, "display_name_raw", property(_argument_name))  # noqa: B010
    setattr(TyperOption, "_schoon_metavars", True)  # noqa: B010
