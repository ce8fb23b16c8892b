"""``schoon registry``: list, show, search, export and import the registry."""

from __future__ import annotations

import shutil
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.tree import Tree

from schoon import settings
from schoon.cli.options import csv_dialect, csv_dialect_option, date_option, excel_nl_option, policy_option
from schoon.cli.output import DataTable, console, is_stdout, m, open_output, say, say_json
from schoon.errors import SchoonError
from schoon.registry import default_registry, ieee, load_registry
from schoon.registry.export import write_csv, write_json
from schoon.registry.ftm import read_ftm_layer, write_ftm
from schoon.registry.policy import builtin_policies, check_policy, decide, load_policy
from schoon.registry.profile import profile
from schoon.slug import ascii_slug

app = typer.Typer(help="The registry of companies, brands, relabels, listings and evidence.", no_args_is_help=True)

PolicyOption = policy_option()


class ExportFormat(StrEnum):
    ftm = "ftm"
    csv = "csv"
    json = "json"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("list")
def list_groups(policy: str = PolicyOption) -> None:
    """List the corporate groups, with entity counts, lists and the policy's verdict.

    Example: schoon registry list --policy us-ndaa-889
    """
    registry = default_registry()
    chosen = load_policy(policy)
    check_policy(chosen, registry)
    table = DataTable("group", "name", "entities", "lists", "evidence", f"verdict ({chosen.id})")
    for group in registry.groups():
        family = registry.members(group)
        lists = sorted({li.list for e in family for li in registry.listings_of(e.id)})
        evidence = sum(len(registry.evidence_of(e.id)) for e in family)
        verdict = decide(chosen, registry, group).verdict
        table.add_row(group, registry.group_names[group], str(len(family)), ", ".join(lists) or "-",
                      str(evidence), verdict)
    table.show()
    say(f"{len(registry.groups())} groups, {len(registry.entities)} entities, "
                  f"{len(registry.listings)} listings, {len(registry.evidence)} evidence items; "
                  f"registry version {registry.version}")


def _tree_label(node: dict[str, Any]) -> str:
    stake = f", {node['ownership']:g}%" if "ownership" in node else ""
    low = " [confidence: low]" if node["confidence"] == "low" else ""
    return f"[bold]{m(node['id'])}[/bold]  {m(node['name'])} ({m(node['kind'])}{stake}){m(low)}"


def _add_children(tree: Tree, node: dict[str, Any]) -> None:
    for child in node["children"]:
        _add_children(tree.add(_tree_label(child)), child)


def _cite(source: dict[str, Any]) -> str:
    url = f" <{source['url']}>" if source.get("url") else ""
    return f"[dim]source: {m(source['title'])}, {m(source['date'])}{m(url)}[/dim]"


@app.command()
def show(
    entity_id: str = typer.Argument(..., metavar="ENTITY", help="Entity id, e.g. hikvision."),
    policy: str = PolicyOption,
    as_of: str = date_option("--as-of", help="Judge as on this date; default today"),
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help="text or json."),
) -> None:
    """Show an entity: its tree, relabel brands, listings and evidence, each with its source.

    Example: schoon registry show hikvision --as-of 28-11-2026
    """
    registry = default_registry()
    chosen = load_policy(policy)
    check_policy(chosen, registry)
    data = profile(registry, entity_id, chosen, as_of)
    if fmt is ShowFormat.json:
        say_json(data)
        return
    show = _marked
    show(f"[bold]{m(data['name'])}[/bold] ({m(data['id'])}, {m(data['kind'])}, group {m(data['group'])})")
    if data["parents"]:
        show("Owned by: " + " → ".join(f"{m(p['name'])} ({m(p['id'])})" for p in data["parents"]))
    show(f"Relations: {m(data['relation'])}")
    names = ", ".join(m(a["name"]) for a in data["aliases"])
    if names:
        show(f"Also known as: {names}")
    decision = data["decision"]
    show(f"Verdict under policy [bold]{m(decision['policy'])}[/bold]: [bold]{m(decision['verdict'])}[/bold]")
    for line in decision["basis"]:
        show(f"  - {m(line)}")
    tree = Tree(_tree_label(data["tree"]))
    _add_children(tree, data["tree"])
    show("\n[bold]Corporate tree[/bold] (current)")
    console.print(tree)
    for holding in data["holdings"]:
        held = Tree(_tree_label(holding["tree"]) + f"  [dim](holding company owning {m(data['id'])})[/dim]")
        _add_children(held, holding["tree"])
        console.print(held)
    for former in data["former_parents"]:
        show(f"Formerly owned by {m(former['parent'])} from {m(former['start'] or '?')} to {m(former['end'])} "
             f"({m(former['confidence'])}) {_cite(former['source'])}")
    for relabel in data["relabels"]:
        show(f"Relabels hardware made by {m(relabel['maker'])} ({m(relabel['confidence'])}) "
             f"{_cite(relabel['source'])}")
    if data["relabelled_by"]:
        show("\n[bold]Relabel (OEM) brands[/bold]")
        for brand in data["relabelled_by"]:
            for rel in brand["relations"]:
                show(f"  - {m(brand['name'])} ({m(brand['id'])}): {m(rel['confidence'])} confidence"
                     f"{'; ' + m(rel['note']) if rel.get('note') else ''} {_cite(rel['source'])}")
    if data["listings"]:
        show("\n[bold]Listings[/bold]")
        for li in data["listings"]:
            end = f" until {m(li['end'])}" if li.get("end") else ""
            low = f" \\[confidence: {m(li['confidence'])}]" if li["confidence"] != "high" else ""
            show(f"  - {m(li['list_name'])} ({m(li['list'])}): {m(li['entity'])} since {m(li['date'])}{end}{low}")
            if li.get("scope"):
                show(f"    scope: {m(li['scope'])}")
            show(f"    {_cite(li['source'])}")
    if data["evidence"]:
        show("\n[bold]Human-rights evidence[/bold]")
        for ev in data["evidence"]:
            show(f"  - {m(ev['date'])} {m(ev['title'])} ({m(ev['entity'])}, confidence {m(ev['confidence'])})")
            show(f"    {m(ev['summary'])}")
            show(f"    {_cite(ev['source'])}")


def _marked(text: str) -> None:
    """Print a line whose markup is ours and whose data went through :func:`m`."""
    console.print(text, markup=True)


@app.command()
def search(text: str = typer.Argument(..., metavar="QUERY", help="Part of a name, alias or id.")) -> None:
    """Find entities whose id, name or alias contains QUERY.

    Example: schoon registry search ezviz
    """
    registry = default_registry()
    hits = registry.search(text)
    if not hits:
        say(f"no entity matches {text!r}")
        raise typer.Exit(1)
    table = DataTable("id", "name", "kind", "group")
    for entity in hits:
        table.add_row(entity.id, entity.name, entity.kind, registry.group_of(entity.id))
    table.show()


@app.command()
def export(
    fmt: ExportFormat = typer.Option(ExportFormat.json, "--format", "-f", help="ftm, csv or json."),
    output: str = typer.Option(None, "--output", "-o", metavar="FILE",
                               help="Write here instead of standard output ('-')."),
    dialect: str = csv_dialect_option(),
    excel_nl: bool = excel_nl_option(),
) -> None:
    """Export the registry as FollowTheMoney JSON lines, CSV or JSON.

    Example: schoon registry export --format csv --excel-nl -o registry.csv
    """
    registry = default_registry()
    chosen_dialect = csv_dialect(dialect, excel_nl)
    with open_output(output) as handle:
        if fmt is ExportFormat.csv:
            count = write_csv(registry, handle, chosen_dialect or "standard")
        else:
            count = (write_ftm if fmt is ExportFormat.ftm else write_json)(registry, handle)
    if not is_stdout(output):
        say(f"wrote {count} {'lines' if fmt is ExportFormat.ftm else 'entities'} to {output}")


@app.command("import-ftm")
def import_ftm(
    path: Path = typer.Argument(..., metavar="FILE", exists=True, dir_okay=False, help="An FtM JSON-lines file."),
    name: str = typer.Option(None, "--name", metavar="NAME", help="Layer name (default: from the file name)."),
) -> None:
    """Add an FtM file (e.g. an OpenSanctions dataset) as a user registry layer; bundled data is untouched.

    Example: schoon registry import-ftm entities.ftm.json --name opensanctions
    """
    registry = default_registry()
    layer = read_ftm_layer(path, known_lists=registry.lists)
    layer_name = ascii_slug(name or layer.name)
    target = settings.data_dir() / "registry" / f"{layer_name}.ftm.json"
    others = [p for p in (settings.data_dir() / "registry").glob("*.ftm.json") if p != target]
    load_registry(layers=[*others, path])  # all or nothing: refuses conflicts before anything is copied
    target.parent.mkdir(parents=True, exist_ok=True)
    with path.open("rb") as source, open_output(target, inputs=[path], binary=True) as copy:
        shutil.copyfileobj(source, copy)
    default_registry.cache_clear()
    skipped = ", ".join(f"{n} {s}" for s, n in sorted(layer.skipped.items())) or "none"
    say(f"imported layer {layer_name!r}: {len(layer.entities)} entities, {len(layer.listings)} listings "
                  f"(skipped: {skipped}) into {target}")


@app.command("update-ieee")
def update_ieee(
    files: list[Path] = typer.Argument(None, metavar="FILE", exists=True, dir_okay=False,
                                       help="IEEE oui.csv, mam.csv and/or oui36.csv files you downloaded."),
    download: bool = typer.Option(False, "--download", help="Fetch the three files from the IEEE (network)."),
    base_url: str = typer.Option(None, "--base-url", metavar="URL",
                                 help="With --download: a mirror holding the three files."),
) -> None:
    """Install fresher IEEE MAC registry files (MA-L, MA-M, MA-S): given, or downloaded with --download.

    Example: schoon registry update-ieee oui.csv mam.csv oui36.csv
    """
    with tempfile.TemporaryDirectory() as folder:
        paths = list(files or [])
        if download:
            paths += ieee.download(Path(folder), base_url)
        if not paths:
            raise SchoonError("give IEEE CSV files, or --download")
        for item in ieee.install(paths):
            say(f"installed {item.kind} ({item.assignments} assignments) as {item.path}")
    default_registry.cache_clear()


@app.command()
def policies() -> None:
    """List the built-in policies.

    Example: schoon registry policies
    """
    table = DataTable("policy", "title", "lists", "evidence", "affiliates")
    for name in builtin_policies():
        chosen = load_policy(name)
        lists = "any" if chosen.lists == "any" else ", ".join(chosen.lists)
        table.add_row(chosen.id, chosen.title, lists, "yes" if chosen.evidence else "no",
                      "yes" if chosen.affiliates else "no")
    table.show()
