"""Read a YAML file so that validation errors can name the line of the offending field."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from schoon.errors import DataError
from schoon.files import MAX_YAML_BYTES, read_text

if TYPE_CHECKING:  # PyYAML is imported when a file is read (a cached registry reads none)
    import yaml

M = TypeVar("M", bound=BaseModel)


def _line_of(node: yaml.Node | None, path: Sequence[int | str]) -> int | None:
    """Follow ``path`` (keys and list indices) through a composed YAML tree; return a 1-based line."""
    import yaml

    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = None
            for key, value in node.value:
                if key.value == step:
                    found = (key, value)
                    break
            if found is None:
                return line
            line = found[0].start_mark.line + 1
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line


class Located(Generic[M]):
    """A validated model with the YAML tree it came from, to locate later (cross-file) errors."""

    def __init__(self, model: M, path: Path, tree: yaml.Node | None) -> None:
        self.model = model
        self.path = path
        self.tree = tree

    def error(self, message: str, *loc: int | str) -> DataError:
        """A DataError at the YAML position of ``loc`` (keys and list indices)."""
        field = ".".join(str(p) for p in loc) or None
        return DataError(message, file=str(self.path), line=_line_of(self.tree, loc), field=field)


def load_model(path: Path, model: type[M]) -> Located[M]:
    """Parse ``path`` as YAML and validate it as ``model``; every failure is one DataError."""
    import yaml

    text = read_text(path, "YAML file", MAX_YAML_BYTES)
    try:
        tree = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise DataError(f"not valid YAML: {problem}", file=str(path), line=line) from None
    except RecursionError:
        raise DataError("not usable YAML: nested too deeply", file=str(path)) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. an impossible date such as 2026-02-30
        raise DataError(f"not usable YAML: {' '.join(str(exc).split())}", file=str(path)) from None
    try:
        return Located(model.model_validate(data), path, tree)
    except RecursionError:
        raise DataError("not usable YAML: nested too deeply", file=str(path)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [p for p in first["loc"] if isinstance(p, (int, str))]
        field = ".".join(str(p) for p in loc) or None
        message = first["msg"].removeprefix("Value error, ")
        raise DataError(message, file=str(path), line=_line_of(tree, loc), field=field) from None


def cached_model(path: Path, model: type[M]) -> M:
    """:func:`load_model`'s validated model, from the build cache (:mod:`schoon.cache`) while the file is
    unchanged; a file that fails raises the same DataError every time (failures are not cached)."""
    from schoon import cache

    entry_key = cache.key("yaml-model", model.__module__, model.__qualname__, path)
    found = cache.load("yaml-model", entry_key)
    if isinstance(found, model):
        return found
    validated = load_model(path, model).model
    cache.store("yaml-model", entry_key, validated, keep=32)
    return validated
