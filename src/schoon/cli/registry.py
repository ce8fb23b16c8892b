"""``schoon registry``: list, show, search, export and import the registry."""

from __future__ import annotations

import json
import shutil
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.tree import Tree

from schoon import settings
from schoon.cli.output import console, open_output
from schoon.errors import SchoonError
from schoon.registry import default_registry, ieee, load_registry
from schoon.registry.export import write_csv, write_json
from schoon.registry.ftm import read_ftm_layer, write_ftm
from schoon.registry.policy import builtin_policies, check_policy, decide, load_policy
from schoon.registry.profile import profile
from schoon.slug import ascii_slug

app = typer.Typer(help="The registry of companies, brands, relabels, listings and evidence.", no_args_is_help=True)

PolicyOption = typer.Option("default", "--policy", "-p", help="Built-in policy name or a policy YAML file.")


class ExportFormat(StrEnum):
    ftm = "ftm"
    csv = "csv"
    json = "json"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("list")
def list_groups(policy: str = PolicyOption) -> None:
    """List the corporate groups, with entity counts, lists and the policy's verdict."""
    registry = default_registry()
    chosen = load_policy(policy)
    check_policy(chosen, registry)
    table = Table("group", "name", "entities", "lists", "evidence", f"verdict ({chosen.id})")
    for group in registry.groups():
        family = registry.members(group)
        lists = sorted({li.list for e in family for li in registry.listings_of(e.id)})
        evidence = sum(len(registry.evidence_of(e.id)) for e in family)
        verdict = decide(chosen, registry, group).verdict
        table.add_row(group, registry.group_names[group], str(len(family)), ", ".join(lists) or "-",
                      str(evidence), verdict)
    console.print(table)
    console.print(f"{len(registry.groups())} groups, {len(registry.entities)} entities, "
                  f"{len(registry.listings)} listings, {len(registry.evidence)} evidence items; "
                  f"registry version {registry.version}")


def _tree_label(node: dict[str, Any]) -> str:
    stake = f", {node['ownership']:g}%" if "ownership" in node else ""
    low = " [confidence: low]" if node["confidence"] == "low" else ""
    return f"[bold]{node['id']}[/bold]  {node['name']} ({node['kind']}{stake}){low}"


def _add_children(tree: Tree, node: dict[str, Any]) -> None:
    for child in node["children"]:
        _add_children(tree.add(_tree_label(child)), child)


def _cite(source: dict[str, Any]) -> str:
    url = f" <{source['url']}>" if source.get("url") else ""
    return f"[dim]source: {source['title']}, {source['date']}{url}[/dim]"


@app.command()
def show(
    entity_id: str = typer.Argument(..., help="Entity id, e.g. hikvision."),
    policy: str = PolicyOption,
    as_of: str = typer.Option(None, "--as-of", help="Judge as on this date (YYYY-MM-DD); default today."),
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help="text or json."),
) -> None:
    """Show an entity: its tree, relabel brands, listings and evidence, each with its source."""
    registry = default_registry()
    chosen = load_policy(policy)
    check_policy(chosen, registry)
    data = profile(registry, entity_id, chosen, as_of)
    if fmt is ShowFormat.json:
        console.print_json(json.dumps(data, ensure_ascii=False))
        return
    console.print(f"[bold]{data['name']}[/bold] ({data['id']}, {data['kind']}, group {data['group']})")
    if data["parents"]:
        console.print("Owned by: " + " → ".join(f"{p['name']} ({p['id']})" for p in data["parents"]))
    console.print(f"Relations: {data['relation']}", markup=False)
    names = ", ".join(a["name"] for a in data["aliases"])
    if names:
        console.print(f"Also known as: {names}")
    decision = data["decision"]
    console.print(f"Verdict under policy [bold]{decision['policy']}[/bold]: [bold]{decision['verdict']}[/bold]")
    for line in decision["basis"]:
        console.print(f"  - {line}")
    tree = Tree(_tree_label(data["tree"]))
    _add_children(tree, data["tree"])
    console.print("\n[bold]Corporate tree[/bold] (current)")
    console.print(tree)
    for holding in data["holdings"]:
        held = Tree(_tree_label(holding["tree"]) + f"  [dim](holding company owning {data['id']})[/dim]")
        _add_children(held, holding["tree"])
        console.print(held)
    for former in data["former_parents"]:
        console.print(f"Formerly owned by {former['parent']} from {former['start'] or '?'} to {former['end']} "
                      f"({former['confidence']}) {_cite(former['source'])}")
    for relabel in data["relabels"]:
        console.print(f"Relabels hardware made by {relabel['maker']} ({relabel['confidence']}) "
                      f"{_cite(relabel['source'])}")
    if data["relabelled_by"]:
        console.print("\n[bold]Relabel (OEM) brands[/bold]")
        for brand in data["relabelled_by"]:
            for rel in brand["relations"]:
                console.print(f"  - {brand['name']} ({brand['id']}): {rel['confidence']} confidence"
                              f"{'; ' + rel['note'] if rel.get('note') else ''} {_cite(rel['source'])}")
    if data["listings"]:
        console.print("\n[bold]Listings[/bold]")
        for li in data["listings"]:
            end = f" until {li['end']}" if li.get("end") else ""
            console.print(f"  - {li['list_name']} ({li['list']}): {li['entity']} since {li['date']}{end}"
                          f"{' [confidence: ' + li['confidence'] + ']' if li['confidence'] != 'high' else ''}")
            if li.get("scope"):
                console.print(f"    scope: {li['scope']}")
            console.print(f"    {_cite(li['source'])}")
    if data["evidence"]:
        console.print("\n[bold]Human-rights evidence[/bold]")
        for ev in data["evidence"]:
            console.print(f"  - {ev['date']} {ev['title']} ({ev['entity']}, confidence {ev['confidence']})")
            console.print(f"    {ev['summary']}")
            console.print(f"    {_cite(ev['source'])}")


@app.command()
def search(text: str = typer.Argument(..., help="Part of a name, alias or id.")) -> None:
    """Find entities whose id, name or alias contains TEXT."""
    registry = default_registry()
    hits = registry.search(text)
    if not hits:
        console.print(f"no entity matches {text!r}")
        raise typer.Exit(1)
    table = Table("id", "name", "kind", "group")
    for entity in hits:
        table.add_row(entity.id, entity.name, entity.kind, registry.group_of(entity.id))
    console.print(table)


@app.command()
def export(
    fmt: ExportFormat = typer.Option(ExportFormat.json, "--format", "-f", help="ftm, csv or json."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Export the registry as FollowTheMoney JSON lines, CSV or JSON."""
    registry = default_registry()
    writer = {ExportFormat.ftm: write_ftm, ExportFormat.csv: write_csv, ExportFormat.json: write_json}[fmt]
    with open_output(output) as handle:
        count = writer(registry, handle)
    if output is not None and str(output) != "-":
        console.print(f"wrote {count} {'lines' if fmt is ExportFormat.ftm else 'entities'} to {output}")


@app.command("import-ftm")
def import_ftm(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="An FtM JSON-lines file."),
    name: str = typer.Option(None, "--name", help="Layer name (default: from the file name)."),
) -> None:
    """Add an FtM file (e.g. an OpenSanctions dataset) as a user registry layer; bundled data is untouched."""
    registry = default_registry()
    layer = read_ftm_layer(path, known_lists=registry.lists)
    layer_name = ascii_slug(name or layer.name)
    target = settings.data_dir() / "registry" / f"{layer_name}.ftm.json"
    others = [p for p in (settings.data_dir() / "registry").glob("*.ftm.json") if p != target]
    load_registry(layers=[*others, path])  # all or nothing: refuses conflicts before anything is copied
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    default_registry.cache_clear()
    skipped = ", ".join(f"{n} {s}" for s, n in sorted(layer.skipped.items())) or "none"
    console.print(f"imported layer {layer_name!r}: {len(layer.entities)} entities, {len(layer.listings)} listings "
                  f"(skipped: {skipped}) into {target}")


@app.command("update-ieee")
def update_ieee(
    files: list[Path] = typer.Argument(None, exists=True, dir_okay=False,
                                       help="IEEE oui.csv, mam.csv and/or oui36.csv files you downloaded."),
    download: bool = typer.Option(False, "--download", help="Fetch the three files from the IEEE (network)."),
    base_url: str = typer.Option(None, "--base-url", help="With --download: a mirror holding the three files."),
) -> None:
    """Install fresher IEEE MAC registry files (MA-L, MA-M, MA-S): given, or downloaded with --download."""
    with tempfile.TemporaryDirectory() as folder:
        paths = list(files or [])
        if download:
            paths += ieee.download(Path(folder), base_url)
        if not paths:
            raise SchoonError("give IEEE CSV files, or --download")
        for item in ieee.install(paths):
            console.print(f"installed {item.kind} ({item.assignments} assignments) as {item.path}")
    default_registry.cache_clear()


@app.command()
def policies() -> None:
    """List the built-in policies."""
    table = Table("policy", "title", "lists", "evidence", "affiliates")
    for name in builtin_policies():
        chosen = load_policy(name)
        lists = "any" if chosen.lists == "any" else ", ".join(chosen.lists)
        table.add_row(chosen.id, chosen.title, lists, "yes" if chosen.evidence else "no",
                      "yes" if chosen.affiliates else "no")
    console.print(table)
