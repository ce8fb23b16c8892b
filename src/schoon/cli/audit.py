"""``schoon audit``: organisations, sites, snapshot imports, devices, lifecycle moves and discrepancies."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path

import sqlalchemy as sa
import typer
from rich.table import Table
from rich.text import Text

from schoon import settings
from schoon.audit import Store, apply, apply_file, import_snapshot, make_move
from schoon.audit.db import current_revision
from schoon.audit.diff import COLUMNS as DIFF_COLUMNS
from schoon.audit.diff import diff as snapshot_diff
from schoon.audit.lifecycle import STATES
from schoon.audit.reconcile import describe
from schoon.audit.schema import discrepancies, snapshots
from schoon.cli.output import console, err_console
from schoon.errors import SchoonError
from schoon.identify import Engine
from schoon.registry import default_registry
from schoon.registry.policy import check_policy, load_policy
from schoon.report.safe import neutralise

app = typer.Typer(help="Institutions, sites, snapshots, devices and their replacement.", no_args_is_help=True)
org_app = typer.Typer(help="Organisations (ministries, agencies).", no_args_is_help=True)
site_app = typer.Typer(help="Sites of an organisation.", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(site_app, name="site")

DbOption = typer.Option(None, "--db", help="Database URL (default: the SCHOON_DB_URL setting).")


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


class DiffFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def _store(db: str | None) -> Store:
    return Store.open(db)


@app.command()
def init(db: str = DbOption) -> None:
    """Create the database (or upgrade it to the newest schema)."""
    store = _store(db)
    console.print(f"store ready at {db or settings.get('db_url')} (schema {current_revision(store.engine)})")


@org_app.command("add")
def org_add(org_id: str = typer.Argument(..., help="A lowercase slug, e.g. mvz."),
            name: str = typer.Option(None, "--name", help="Full name."),
            parent: str = typer.Option(None, "--parent", help="Parent organisation id (ministry of an agency)."),
            deadline: str = typer.Option(None, "--deadline", help="Flagged devices must be gone by (YYYY-MM-DD)."),
            db: str = DbOption) -> None:
    """Add an organisation."""
    org = _store(db).add_org(org_id, name, parent, deadline)
    console.print(f"added organisation {org.id} ({org.name})")


@org_app.command("deadline")
def org_deadline(org_id: str, deadline: str = typer.Argument(None, help="YYYY-MM-DD; omit to clear."),
                 db: str = DbOption) -> None:
    """Set or clear an organisation's replacement deadline."""
    _store(db).set_deadline(org_id, deadline)
    console.print(f"deadline of {org_id}: {deadline or 'none'}")


@org_app.command("list")
def org_list(db: str = DbOption) -> None:
    """List organisations."""
    table = Table("id", "name", "parent", "deadline")
    for org in _store(db).orgs():
        table.add_row(org.id, org.name, org.parent_id or "-", org.deadline or "-")
    console.print(table)


@site_app.command("add")
def site_add(org_id: str, key: str = typer.Argument(..., help="Site name or key."),
             name: str = typer.Option(None, "--name"),
             sensitivity: str = typer.Option("unknown", "--sensitivity", help="high, normal, public or unknown."),
             owner_kind: str = typer.Option("own", "--owner-kind", help="own, landlord or contractor."),
             owner_name: str = typer.Option(None, "--owner", help="Landlord or contractor operating equipment."),
             address: str = typer.Option(None, "--address"), db: str = DbOption) -> None:
    """Add a site to an organisation."""
    site = _store(db).add_site(org_id, key, name or key, sensitivity, owner_kind, owner_name, address)
    console.print(f"added site {site.key} of {site.org_id} ({site.sensitivity})")


@site_app.command("list")
def site_list(org_id: str = typer.Argument(None), db: str = DbOption) -> None:
    """List sites."""
    table = Table("org", "site", "name", "sensitivity", "owner")
    for site in _store(db).sites(org_id):
        owner = site.owner_kind + (f" ({site.owner_name})" if site.owner_name else "")
        table.add_row(site.org_id, site.key, site.name, site.sensitivity, owner)
    console.print(table)


def _kinds(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        path, sep, kind = pair.rpartition("=")
        if not sep:
            raise SchoonError(f"--kind expects FILE=KIND, got {pair!r}")
        out[path] = kind
    return out


@app.command("import")
def import_(
    files: list[str] = typer.Argument(..., help="Register, scan and procurement files of one snapshot."),
    org: str = typer.Option(..., "--org", help="Organisation id."),
    site: str = typer.Option(None, "--site", help="Site of records that name none (e.g. a scan)."),
    date: str = typer.Option(None, "--date", help="Day the snapshot was taken (YYYY-MM-DD, default today)."),
    kind: list[str] = typer.Option([], "--kind", help="FILE=register|scan|procurement (default: by format)."),
    policy: str = typer.Option("default", "--policy", "-p", help="Policy the findings are judged under."),
    create: bool = typer.Option(False, "--create", help="Create the organisation if it does not exist."),
    note: str = typer.Option(None, "--note"),
    db: str = DbOption,
) -> None:
    """Import files as one snapshot of an organisation: identify, de-duplicate, reconcile; all or nothing."""
    store = _store(db)
    if create:
        store.ensure_org(org)
    registry = default_registry()
    chosen = load_policy(policy)
    check_policy(chosen, registry)
    result = import_snapshot(store, Engine(registry, policy=chosen, as_of=date), org, files, site=site,
                             taken_on=date, kinds=_kinds(kind), note=note,
                             progress=lambda line: err_console.print(line, markup=False))
    if result.already_imported:
        console.print(f"already imported as snapshot {result.snapshot_id}: nothing changed")
        return
    for reject in result.rejects:
        err_console.print(f"schoon: rejected {reject.source}:{reject.row}: {reject.message}", markup=False)
    console.print(f"snapshot {result.snapshot_id} of {org}: {result.records} records, {len(result.rejects)} "
                  f"rejected; {result.devices_seen} devices ({result.devices_new} new), {result.flagged} flagged; "
                  f"{result.procurement_lines} procurement lines; {len(result.discrepancies)} discrepancies; "
                  f"{result.confirmed_replaced} replacements confirmed")
    for item in result.discrepancies:
        console.print(f"  {item.kind}: device {item.device_id}: {item.text('en')}", markup=False)


@app.command("devices")
def devices_(org: str = typer.Option(None, "--org"), verdict: str = typer.Option(None, "--verdict"),
             state: str = typer.Option(None, "--state"),
             fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f"), db: str = DbOption) -> None:
    """List devices with their maker, verdict and lifecycle state."""
    rows = _store(db).devices(org, verdict, state)
    if fmt is ListFormat.jsonl:
        for row in rows:
            console.print_json(json.dumps(dict(row)))
        return
    table = Table("device", "org", "asset", "label", "model", "maker", "type", "verdict", "state", "last seen")
    for row in rows:
        state_text = row["state"] or "-"
        if row["state_date"]:
            state_text += f" {row['state_date']}"
        table.add_row(str(row["id"]), row["org_id"], row["asset_id"] or "-", row["label"] or "-", row["model"] or "-",
                      row["group_id"] or "-", row["device_type"] or "-", row["verdict"], state_text, row["last_seen"])
    console.print(table)


@app.command()
def mark(
    device: str = typer.Argument(None, help="Device id (see 'schoon audit devices')."),
    state: str = typer.Option(None, "--state", help=f"New state: {', '.join(STATES)}."),
    date: str = typer.Option(None, "--date", help="Scheduled for / replaced on (YYYY-MM-DD)."),
    replaced_by: str = typer.Option(None, "--by", help="What replaced it."),
    reason: str = typer.Option(None, "--reason", help="Why it is exempted."),
    approver: str = typer.Option(None, "--approver", help="Who approved the exemption."),
    review: str = typer.Option(None, "--review", help="Exemption review date (YYYY-MM-DD)."),
    file: Path = typer.Option(None, "--file", help="CSV of moves: device,state,date,replaced_by,reason,approver,"
                              "review."),
    actor: str = typer.Option(None, "--actor", help="Who records this."),
    db: str = DbOption,
) -> None:
    """Move a flagged device through its lifecycle (or many, from a CSV file: all or nothing)."""
    store = _store(db)
    if file is not None:
        count = apply_file(store, file, actor)
        console.print(f"applied {count} moves from {file}")
        return
    if device is None or state is None:
        raise SchoonError("give a DEVICE and --state, or --file")
    apply(store, [make_move(device, state, date, replaced_by, reason, approver, review, actor)])
    console.print(f"device {device}: {state}" + (f" ({date})" if date else ""))


@app.command("snapshots")
def snapshots_(org: str = typer.Option(None, "--org"), db: str = DbOption) -> None:
    """List snapshots with their counts."""
    table = Table("snapshot", "org", "taken on", "records", "rejects", "outstanding", "replaced", "policy")
    for row in _store(db).snapshots(org):
        table.add_row(str(row["id"]), row["org_id"], row["taken_on"], str(row["records"]), str(row["rejects"]),
                      str(row["outstanding"]), str(row["replaced"]), row["policy_id"])
    console.print(table)


@app.command("discrepancies")
def discrepancies_(org: str = typer.Option(None, "--org"), db: str = DbOption) -> None:
    """List discrepancies found by imports (register vs network, replaced but still seen)."""
    store = _store(db)
    query = (sa.select(discrepancies, snapshots.c.org_id, snapshots.c.taken_on)
             .join(snapshots, snapshots.c.id == discrepancies.c.snapshot_id).order_by(discrepancies.c.id))
    if org is not None:
        query = query.where(snapshots.c.org_id == org)
    table = Table("snapshot", "org", "taken on", "kind", "device", "detail")
    with store.read() as conn:
        for row in conn.execute(query):
            table.add_row(str(row.snapshot_id), row.org_id, row.taken_on, row.kind, str(row.device_id or "-"),
                          describe(row.detail))
    console.print(table)


@app.command("diff")
def diff_(org: str = typer.Option(..., "--org", help="Organisation id."),
          before: str = typer.Option(None, "--from", help="Snapshot id, or a date (YYYY-MM-DD: the last snapshot "
                                     "taken on or before it). Default: the snapshot before --to."),
          after: str = typer.Option(None, "--to", help="Snapshot id or date. Default: the latest snapshot."),
          fmt: DiffFormat = typer.Option(DiffFormat.table, "--format", "-f", help="table, jsonl or csv."),
          db: str = DbOption) -> None:
    """What changed between two snapshots: new, gone and replaced devices, verdict and lifecycle changes.

    Example: schoon audit diff --org mvz --from 2026-03-02 --to 2026-09-01
    """
    store = _store(db)
    try:
        result = snapshot_diff(store, org, before, after)
    finally:
        store.close()
    records = [change.to_dict() for change in result.changes]
    if fmt is DiffFormat.jsonl:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    if fmt is DiffFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(DIFF_COLUMNS)
        for record in records:
            writer.writerow([neutralise(v) if isinstance(v, str) else ("" if v is None else v)
                             for v in (record[c] for c in DIFF_COLUMNS)])
        return
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts().items())
    console.print(Text(f"{org}: snapshot {result.before.id} ({result.before.taken_on}) -> snapshot "
                       f"{result.after.id} ({result.after.taken_on}): {counts}"))
    if not records:
        return
    shown = [c for c in DIFF_COLUMNS if c not in ("mac", "ip")]  # jsonl and csv have them
    table = Table(*shown)
    for record in records:
        table.add_row(*(Text("-" if record[c] is None else str(record[c])) for c in shown))
    console.print(table)
