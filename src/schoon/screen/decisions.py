"""Analyst decisions: "this name is / is not that entity", recorded with who, when and why.

A decisions file is CSV (or YAML: a list of mappings) with the columns ``name, decision, entity_id, by, date,
note``; ``decision`` is ``is`` or ``is-not``. The default file is ``<data_dir>/decisions.csv``
(:func:`default_path`). Decisions are applied before scoring (see :class:`schoon.screen.Screener`):

- a name decided **is not** X never returns X (a cleared false positive stays cleared);
- a name decided **is** X returns X with score 1.0 and the explanation "analyst decision by W on D".

Names are compared by their normalised key (:func:`decision_key`: the same normalisation as the matcher, so
case, width, punctuation and legal forms do not matter: "Hikari Trading Co., Ltd." = "HIKARI TRADING").
A later row about the same name and entity overrides an earlier one, so a decision can be reversed by
appending. A bad row raises :class:`~schoon.errors.DataError` naming the file and the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schoon import settings
from schoon.errors import DataError
from schoon.files import MAX_DECISIONS_BYTES, read_text
from schoon.names.normalise import normalise

COLUMNS = ("name", "decision", "entity_id", "by", "date", "note")
IS, IS_NOT = "is", "is-not"
_DECISIONS = {"is": IS, "is-not": IS_NOT, "is_not": IS_NOT, "isnot": IS_NOT, "not": IS_NOT}


def default_path() -> Path:
    """``<data_dir>/decisions.csv`` (see ``docs/settings.md`` for ``SCHOON_DATA_DIR``)."""
    return settings.data_dir() / "decisions.csv"


def decision_key(text: str) -> str:
    """The key names are compared by: the normalised tokens (legal forms dropped), or the folded text."""
    name = normalise(text)
    return " ".join(name.tokens) if name.tokens else " ".join(text.casefold().split())


@dataclass(frozen=True)
class Decision:
    """One analyst decision, with where it was read from."""

    name: str
    is_match: bool
    entity_id: str
    by: str
    date: str
    note: str = ""
    source: str = ""
    row: int = 0

    def explanation(self) -> str:
        """What the screen result says about it."""
        note = f": {self.note}" if self.note else ""
        verb = "is" if self.is_match else "is not"
        return f"analyst decision by {self.by} on {self.date}: '{self.name}' {verb} {self.entity_id}{note}"


@dataclass
class Decisions:
    """Decisions by name key: the latest decision per (name, entity) wins."""

    path: Path | None = None
    _by_key: dict[str, dict[str, Decision]] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def add(self, decision: Decision) -> None:
        """Record a decision (replacing an earlier one about the same name and entity)."""
        self._by_key.setdefault(decision_key(decision.name), {})[decision.entity_id] = decision

    def for_name(self, text: str) -> list[Decision]:
        """The decisions about ``text`` (by normalised key), "is" decisions first, then by row."""
        if not self._by_key:  # no decisions: no need to work out the key
            return []
        found = self._by_key.get(decision_key(text))
        if not found:
            return []
        return sorted(found.values(), key=lambda d: (not d.is_match, d.row))

    def entity_ids(self) -> set[str]:
        """Every entity a decision names."""
        return {e for by_entity in self._by_key.values() for e in by_entity}

    def __iter__(self) -> Iterator[Decision]:
        return (d for by_entity in self._by_key.values() for d in by_entity.values())


def _decision(raw: dict[str, Any], source: str, row: int) -> Decision:
    def text(key: str, required: bool = True) -> str:
        value = raw.get(key)
        value = "" if value is None else str(value).strip()
        if required and not value:
            raise DataError(f"decision row without {key!r}", file=source, line=row, field=key)
        return value

    name = text("name")
    kind = _DECISIONS.get(text("decision").casefold().replace(" ", "-"))
    if kind is None:
        raise DataError(f"decision must be 'is' or 'is-not', got {raw.get('decision')!r}", file=source, line=row,
                        field="decision")
    date = text("date")
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise DataError(f"date must be YYYY-MM-DD, got {date!r}", file=source, line=row, field="date") from None
    return Decision(name, kind == IS, text("entity_id"), text("by"), date, text("note", required=False), source, row)


def load_decisions(path: Path, *, missing_ok: bool = True) -> Decisions:
    """Read a decisions file (CSV, or YAML when it ends in .yaml/.yml); a missing file is no decisions when
    ``missing_ok``. A bad row raises :class:`DataError` with the file and the row (CSV: its line)."""
    out = Decisions(path)
    if not path.exists() and not path.is_symlink():
        if missing_ok:
            return out
        raise DataError("decisions file not found", file=str(path))
    import yaml  # here: screening without a YAML decisions file does not pay for PyYAML

    source = str(path)
    text = read_text(path, "decisions file", MAX_DECISIONS_BYTES)
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text) or []
            if not isinstance(data, list):
                raise DataError("a YAML decisions file is a list of mappings", file=source)
            for number, item in enumerate(data, start=1):
                if not isinstance(item, dict):
                    raise DataError("not a mapping", file=source, line=number)
                out.add(_decision(item, source, number))
            return out
        with io.StringIO(text, newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("name", "decision", "entity_id", "by", "date") if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(f"missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}", file=source,
                                line=1)
            for item in reader:
                if None in item:
                    raise DataError("row has more cells than the header", file=source, line=reader.line_num)
                out.add(_decision(item, source, reader.line_num))
    except (OSError, UnicodeDecodeError, csv.Error, yaml.YAMLError) as exc:
        raise DataError(f"cannot read decisions: {' '.join(str(exc).split())}", file=source) from None
    except RecursionError:
        raise DataError("cannot read decisions: nested too deeply", file=source) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. an impossible YAML date such as 2026-02-30
        raise DataError(f"cannot read decisions: {' '.join(str(exc).split())}", file=source) from None
    return out


def append_decision(path: Path, name: str, entity_id: str, *, is_match: bool, by: str, note: str = "",
                    date: str | None = None) -> Decision:
    """Append one decision (dated today unless ``date``) to a decisions file, creating it with a header."""
    if not name.strip() or not entity_id.strip() or not by.strip():
        raise DataError("a decision needs a name, an entity and who decided (--by)")
    decision = Decision(name.strip(), is_match, entity_id.strip(), by.strip(), date or dt.date.today().isoformat(),
                        " ".join(note.split()))
    row = {"name": decision.name, "decision": IS if is_match else IS_NOT, "entity_id": decision.entity_id,
           "by": decision.by, "date": decision.date, "note": decision.note}
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        with path.open("a", encoding="utf-8") as handle:
            handle.write(yaml.safe_dump([row], allow_unicode=True, sort_keys=False))
        return decision
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        if new:
            writer.writeheader()
        writer.writerow(row)
    return decision
