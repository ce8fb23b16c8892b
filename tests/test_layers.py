"""Lower floors never import higher ones: every ``schoon`` import of every module, read from its syntax tree.

The floors (docs/architecture.md, helper standards): cli/web > report/audit > screen/identify > names/ingest >
registry > observation/errors. Imports inside functions and under ``TYPE_CHECKING`` count too: a lazy import
of a higher floor is the same dependency, only hidden.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import schoon

SRC = Path(schoon.__file__).parent

#: package or top-level module (first part after ``schoon.``) -> floor; a higher number is a higher floor.
FLOORS: dict[str, int] = {
    "errors": 0, "placeholders": 0, "settings": 0, "observation": 0, "cache": 0, "workers": 0, "jsontext": 0,
    "slug": 0, "safe": 0, "csvout": 0, "outfile": 0, "dates": 0, "estimate": 0, "files": 0,
    "registry": 1,
    "names": 2, "ingest": 2,
    "screen": 3, "identify": 3, "discover": 3, "capabilities": 3,
    "audit": 4, "accounts": 4, "report": 4, "measure": 4,
    "cli": 5, "web": 5, "__main__": 5,
    "__init__": 1,  # schoon/__init__.py re-exports the registry and the errors, and holds __version__
}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_module(name: str) -> bool:
    return (SRC / f"{name}.py").exists() or (SRC / name).is_dir()


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 2:
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every ``schoon`` import in the file, resolved for relative imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "schoon"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] == "schoon":
                if target == "schoon":  # from schoon import x: x is a module, a package, or a name of schoon/
                    # (__version__ is the package's metadata, not a dependency on the registry it re-exports)
                    found += [(node.lineno, f"schoon.{alias.name}" if _is_module(alias.name) else "schoon")
                              for alias in node.names if alias.name != "__version__"]
                else:
                    found.append((node.lineno, target))
    return found


def upward_imports() -> list[str]:
    """Every import from a lower floor into a higher one, as ``file:line: a (floor) imports b (floor)``."""
    wrong: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts and "versions" in path.parts:
            continue
        own = _part(_module_name(path))
        for line, target in imports_of(path):
            other = _part(target)
            if other == own:
                continue
            if FLOORS[other] > FLOORS[own]:
                wrong.append(f"{path.relative_to(SRC)}:{line}: {own} (floor {FLOORS[own]}) imports {target} "
                             f"(floor {FLOORS[other]})")
    return wrong


def test_every_package_has_a_floor() -> None:
    parts = {_part(_module_name(p)) for p in SRC.rglob("*.py")}
    assert parts - FLOORS.keys() == set(), "give each new package a floor in FLOORS"


def test_lower_floors_never_import_higher_ones() -> None:
    assert upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check itself can fail: a names module importing identify (the old NameHit import) is caught."""
    package = tmp_path / "schoon"
    (package / "names").mkdir(parents=True)
    (package / "identify").mkdir()
    (package / "__init__.py").write_text("")
    (package / "names" / "__init__.py").write_text("")
    (package / "names" / "resolver.py").write_text(
        "from __future__ import annotations\n\nfrom schoon.identify.signals import NameHit\n")
    (package / "identify" / "__init__.py").write_text("from ..names import resolver\n")
    monkeypatch.setattr(f"{__name__}.SRC", package)
    assert upward_imports() == ["names/resolver.py:3: names (floor 2) imports schoon.identify.signals (floor 3)"]
