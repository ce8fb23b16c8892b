"""The errors schoon raises on purpose.

    SchoonError            base class; the CLI prints its message on one line and exits 2
    ├── DataError          bad input data: names the file, the line (or row) and the field
    ├── PolicyError        a policy that does not exist or does not make sense
    └── LookupFailed       an id or name that is not in the registry
"""

from __future__ import annotations


class SchoonError(Exception):
    """Base class of every error schoon raises deliberately."""


class DataError(SchoonError):
    """Bad input data, located by file, line (or row) and field."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class PolicyError(SchoonError):
    """A policy that is unknown or invalid."""


class LookupFailed(SchoonError):
    """An id or name that the registry does not know."""
