"""Documentation stays in step with the code: settings, commands, signals and policies are documented."""

from __future__ import annotations

from pathlib import Path

from schoon.registry.policy import builtin_policies
from schoon.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"
README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.env}`" in text, setting.env


def test_every_builtin_policy_is_documented() -> None:
    text = (DOCS / "registry.md").read_text(encoding="utf-8")
    for name in builtin_policies():
        assert f"`{name}`" in text, name


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
