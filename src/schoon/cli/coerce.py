"""Command-line values converted without building a pydantic validator per option, for a quick start.

Typer (0.29) converts every option's value through a pydantic ``TypeAdapter`` that it builds on first use: for
``schoon identify`` that is 22 adapters and Typer's adapter module, which imports pydantic. :func:`install` puts a
cheaper conversion in front of it for the plain types our commands use (text, flags, whole numbers, choices from
an Enum, values read by the option's own parser, and lists of these): a value that is certainly valid is
converted exactly as Typer's adapter converts it; anything else (a bad value, an unusual type, a path) goes to
Typer's own adapter, built then, so errors and unusual types behave exactly as before.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, get_args, get_origin

_MISS = object()  # "not certain: ask Typer's own adapter"


def _leaf(annotation: Any, info: Any, value: Any, ctx: Any) -> Any:
    """``value`` converted as Typer's adapter would for a valid value of ``annotation``, or :data:`_MISS`."""
    if info.parser is not None:  # Typer's adapter is the parser alone; its error goes through the adapter
        try:
            return info.parser(value)
        except Exception:  # any failure: Typer's adapter calls it again and words the error
            return _MISS
    kind = type(value)
    if annotation is str:
        return value if kind is str else _MISS
    if annotation is bool:
        return value if kind is bool else _MISS
    if annotation is int:
        if info.clamp:
            return _MISS
        if kind is str and value.isascii() and value.isdigit() and len(value) < 18 and (
                value == "0" or value[0] != "0"):
            value = int(value)
        elif kind is not int:
            return _MISS
        if (info.min is not None and value < info.min) or (info.max is not None and value > info.max):
            return _MISS
        return value
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        from typer._param_types import coerce_cli_choice

        try:
            return coerce_cli_choice(value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
        except ValueError:
            return _MISS
    return _MISS


def _convert(annotation: Any, info: Any, value: Any, ctx: Any) -> Any:
    if get_origin(annotation) is list:
        args = get_args(annotation)
        if len(args) != 1 or not isinstance(value, (list, tuple)):
            return _MISS
        items = [_leaf(args[0], info, item, ctx) for item in value]
        return _MISS if any(item is _MISS for item in items) else items
    return _leaf(annotation, info, value, ctx)


def install() -> None:
    """Convert plain option values cheaply in every Typer command of this process (once; idempotent).

    Does nothing when Typer's internals are not the ones this was written for (then Typer converts as usual).
    """
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:  # another Typer: leave it alone
        return
    if getattr(_TyperParameter, "_schoon_coerce", False) or not hasattr(_TyperParameter, "get_runtime_param"):
        return

    class QuickParam(RuntimeParam):
        """A cheap conversion first; Typer's adapter (built when first needed) for everything else."""

        descriptor: Any
        full: Any

        def __init__(self, descriptor: Any) -> None:
            object.__setattr__(self, "parameter_info", descriptor.parameter_info)
            object.__setattr__(self, "annotation", descriptor.annotation)
            object.__setattr__(self, "descriptor", descriptor)
            object.__setattr__(self, "full", None)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            quick = _convert(self.annotation, self.parameter_info, value, ctx)
            if quick is not _MISS:
                return quick
            if self.full is None:
                object.__setattr__(self, "full", build_runtime_param(self.descriptor))
            return self.full._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            self._runtime_param = (build_runtime_param(descriptor) if descriptor.file_annotation is not None
                                   else QuickParam(descriptor))
        return self._runtime_param

    # setattr: this replaces a method of Typer's class, which a plain assignment would not type-check
    setattr(_TyperParameter, "get_runtime_param", get_runtime_param)  # noqa: B010
    setattr(_TyperParameter, "_schoon_coerce", True)  # noqa: B010
