"""``schoon audit``: organisations, sites, snapshot imports, devices, lifecycle moves and discrepancies."""

from __future__ import annotations

import json
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path

import sqlalchemy as sa
import typer

from schoon import settings
from schoon.audit import Store, apply, apply_file, import_snapshot, make_move
from schoon.audit.db import current_revision
from schoon.audit.diff import COLUMNS as DIFF_COLUMNS
from schoon.audit.diff import diff as snapshot_diff
from schoon.audit.importer import KINDS
from schoon.audit.lifecycle import STATES
from schoon.audit.reconcile import describe
from schoon.audit.schema import discrepancies, snapshots
from schoon.audit.store import OWNER_KINDS, SENSITIVITIES
from schoon.cli import readopts
from schoon.cli.capabilities import audit_capabilities
from schoon.cli.options import (
    VERDICTS,
    choice,
    choices_metavar,
    csv_dialect,
    csv_dialect_option,
    date_option,
    db_option,
    excel_nl_option,
    iso_date,
    policy_option,
)
from schoon.cli.output import DataTable, console, is_stdout, open_output, say, warn
from schoon.csvout import CsvDialect, CsvWriter
from schoon.errors import SchoonError
from schoon.identify import Engine
from schoon.ingest.problems import COLUMNS as PROBLEM_COLUMNS
from schoon.outfile import check_output
from schoon.registry import default_registry
from schoon.registry.policy import check_policy, load_policy
from schoon.settings import DbUse, check_db_url

app = typer.Typer(help="Institutions, sites, snapshots, devices and their replacement.", no_args_is_help=True)
org_app = typer.Typer(help="Organisations (ministries, agencies).", no_args_is_help=True)
site_app = typer.Typer(help="Sites of an organisation.", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(site_app, name="site")

DbOption = db_option()
app.command("capabilities")(audit_capabilities)


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


class DiffFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def _store(db: str | None, use: DbUse = DbUse.WRITE) -> Store:
    """The store at ``--db`` or the setting, checked first (see :func:`schoon.settings.check_db_url`)."""
    return Store.open(check_db_url(db, use))


@app.command()
def init(db: str = DbOption) -> None:
    """Create the database (or upgrade it to the newest schema).

    Example: schoon audit init --db sqlite:///audit/schoon.db
    """
    store = _store(db, DbUse.CREATE)
    say(f"store ready at {db or settings.get('db_url')} (schema {current_revision(store.engine)})")


@org_app.command("add")
def org_add(org_id: str = typer.Argument(..., metavar="ORG", help="A lowercase slug, e.g. mvz."),
            name: str = typer.Option(None, "--name", metavar="NAME", help="Full name."),
            parent: str = typer.Option(None, "--parent", metavar="ORG",
                                       help="Parent organisation id (ministry of an agency)."),
            deadline: str = date_option("--deadline", help="Flagged devices must be gone by"),
            db: str = DbOption) -> None:
    """Add an organisation.

    Example: schoon audit org add mvz --name "Ministerie van Voorbeeldzaken" --deadline 30-06-2026
    """
    org = _store(db).add_org(org_id, name, parent, deadline)
    say(f"added organisation {org.id} ({org.name})")


@org_app.command("deadline")
def org_deadline(org_id: str = typer.Argument(..., metavar="ORG", help="Organisation id."),
                 deadline: str = typer.Argument(None, metavar="DATE", parser=iso_date,
                                                help="2026-11-28 or 28-11-2026; omit to clear."),
                 db: str = DbOption) -> None:
    """Set or clear an organisation's replacement deadline.

    Example: schoon audit org deadline mvz 31-12-2026
    """
    _store(db, DbUse.READ).set_deadline(org_id, deadline)
    say(f"deadline of {org_id}: {deadline or 'none'}")


@org_app.command("list")
def org_list(db: str = DbOption) -> None:
    """List organisations.

    Example: schoon audit org list
    """
    table = DataTable("id", "name", "parent", "deadline")
    for org in _store(db, DbUse.READ).orgs():
        table.add_row(org.id, org.name, org.parent_id or "-", org.deadline or "-")
    table.show()


@site_app.command("add")
def site_add(org_id: str = typer.Argument(..., metavar="ORG", help="Organisation id."),
             key: str = typer.Argument(..., metavar="SITE", help="Site name or key."),
             name: str = typer.Option(None, "--name", metavar="NAME", help="Full name (default: SITE)."),
             sensitivity: str = typer.Option("unknown", "--sensitivity", metavar=choices_metavar(SENSITIVITIES),
                                             parser=choice("sensitivity", SENSITIVITIES),
                                             help="How sensitive the site is."),
             owner_kind: str = typer.Option("own", "--owner-kind", metavar=choices_metavar(OWNER_KINDS),
                                            parser=choice("owner kind", OWNER_KINDS),
                                            help="Who operates the equipment there."),
             owner_name: str = typer.Option(None, "--owner", metavar="NAME",
                                            help="Landlord or contractor operating equipment."),
             address: str = typer.Option(None, "--address", metavar="ADDRESS", help="Postal address."),
             db: str = DbOption) -> None:
    """Add a site to an organisation.

    Example: schoon audit site add dvt "Rotterdam Kantoor" --owner-kind landlord --owner "Vastgoed Zuid B.V."
    """
    site = _store(db).add_site(org_id, key, name or key, sensitivity, owner_kind, owner_name, address)
    say(f"added site {site.key} of {site.org_id} ({site.sensitivity})")


@site_app.command("list")
def site_list(org_id: str = typer.Argument(None, metavar="ORG", help="Only this organisation's sites."),
              db: str = DbOption) -> None:
    """List sites.

    Example: schoon audit site list mvz
    """
    table = DataTable("org", "site", "name", "sensitivity", "owner")
    for site in _store(db, DbUse.READ).sites(org_id):
        owner = site.owner_kind + (f" ({site.owner_name})" if site.owner_name else "")
        table.add_row(site.org_id, site.key, site.name, site.sensitivity, owner)
    table.show()


def _kinds(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        path, sep, kind = pair.rpartition("=")
        if not sep:
            raise SchoonError(f"--kind expects FILE=KIND, got {pair!r}")
        if kind not in KINDS:
            raise SchoonError(f"--kind {pair!r}: {kind!r} is not a kind; choose one of {', '.join(KINDS)}")
        out[path] = kind
    return out


@app.command("import")
def import_(
    files: list[str] = typer.Argument(..., metavar="FILE",
                                      help="Register, scan and procurement files of one snapshot."),
    org: str = typer.Option(..., "--org", metavar="ORG", help="Organisation id."),
    site: str = typer.Option(None, "--site", metavar="SITE", help="Site of records that name none (e.g. a scan)."),
    date: str = date_option("--date", help="Day the snapshot was taken; default today"),
    kind: list[str] = typer.Option([], "--kind", metavar="FILE=KIND",
                                   help=f"Kind of a file: {'|'.join(KINDS)} (default: by format)."),
    policy: str = policy_option(),
    create: bool = typer.Option(False, "--create", help="Create the organisation if it does not exist."),
    note: str = typer.Option(None, "--note", metavar="NOTE", help="A note kept with the snapshot."),
    input_format: str = readopts.InputFormatOption,
    column_map: list[str] = readopts.MapOption,
    sheet: str = readopts.SheetOption,
    header_row: int = readopts.HeaderRowOption,
    delimiter: str = readopts.DelimiterOption,
    encoding: str = readopts.EncodingOption,
    show_columns: bool = readopts.ShowColumnsOption,
    rejects: str = readopts.RejectsOption,
    db: str = DbOption,
) -> None:
    """Import files as one snapshot of an organisation: identify, de-duplicate, reconcile; all or nothing.

    Example: schoon audit import --org mvz --site "Den Haag" --date 14-09-2026 register.csv scan.xml inkoop.csv
    """
    options = readopts.read_options(input_format, column_map, sheet, header_row, delimiter, encoding)
    if show_columns:
        readopts.show_columns(files, options)
    if rejects is not None and not is_stdout(rejects):
        check_output(rejects, files)
    store = _store(db)
    if create:
        store.ensure_org(org)
    registry = default_registry()
    chosen = load_policy(policy)
    check_policy(chosen, registry)
    with ExitStack() as stack:
        reject_writer = None
        if rejects is not None:
            reject_writer = CsvWriter(stack.enter_context(open_output(rejects, inputs=files)), CsvDialect.standard)
            reject_writer.row(PROBLEM_COLUMNS)
        problems = readopts.problems(None if reject_writer is None else reject_writer.row, rejects)
        result = import_snapshot(store, Engine(registry, policy=chosen, as_of=date), org, files, site=site,
                                 taken_on=date, kinds=_kinds(kind), note=note, options=options, problems=problems,
                                 progress=warn)
    if result.already_imported:
        say(f"already imported as snapshot {result.snapshot_id}: nothing changed")
        return
    for line in [*result.readings, *problems.lines()]:
        warn(line)
    say(f"snapshot {result.snapshot_id} of {org}: {result.records} records, {result.rejected} "
        f"rejected; {result.devices_seen} devices ({result.devices_new} new), {result.flagged} flagged; "
        f"{result.procurement_lines} procurement lines; {len(result.discrepancies)} discrepancies; "
        f"{result.confirmed_replaced} replacements confirmed")
    for item in result.discrepancies:
        say(f"  {item.kind}: device {item.device_id}: {item.text('en')}")


@app.command("devices")
def devices_(org: str = typer.Option(None, "--org", metavar="ORG", help="Only this organisation's devices."),
             verdict: str = typer.Option(None, "--verdict", metavar=choices_metavar(VERDICTS),
                                         parser=choice("verdict", VERDICTS), help="Only devices with this verdict."),
             state: str = typer.Option(None, "--state", metavar=choices_metavar(STATES),
                                       parser=choice("lifecycle state", STATES),
                                       help="Only devices in this lifecycle state."),
             fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f",
                                            help="table (TSV when the output is not a terminal) or jsonl."),
             db: str = DbOption) -> None:
    """List devices with their maker, verdict and lifecycle state.

    Example: schoon audit devices --org mvz --verdict flagged --state in_use
    """
    rows = _store(db, DbUse.READ).devices(org, verdict, state)
    if fmt is ListFormat.jsonl:
        for row in rows:
            console.file.write(json.dumps(dict(row), ensure_ascii=False, default=str) + "\n")
        return
    table = DataTable("device", "org", "asset", "label", "model", "maker", "type", "verdict", "state", "last seen")
    for row in rows:
        state_text = row["state"] or "-"
        if row["state_date"]:
            state_text += f" {row['state_date']}"
        table.add_row(str(row["id"]), row["org_id"], row["asset_id"] or "-", row["label"] or "-", row["model"] or "-",
                      row["group_id"] or "-", row["device_type"] or "-", row["verdict"], state_text, row["last_seen"])
    table.show()


@app.command()
def mark(
    device: str = typer.Argument(None, metavar="DEVICE", help="Device id or ORG/ASSET (see 'schoon audit devices')."),
    state: str = typer.Option(None, "--state", metavar=choices_metavar(STATES),
                              parser=choice("lifecycle state", STATES), help="New state."),
    date: str = date_option("--date", help="Scheduled for / replaced on"),
    replaced_by: str = typer.Option(None, "--by", metavar="WHAT", help="What replaced it."),
    reason: str = typer.Option(None, "--reason", metavar="REASON", help="Why it is exempted."),
    approver: str = typer.Option(None, "--approver", metavar="WHO", help="Who approved the exemption."),
    review: str = date_option("--review", help="Exemption review date"),
    file: Path = typer.Option(None, "--file", metavar="FILE", help="CSV of moves: device,state,date,replaced_by,"
                              "reason,approver,review."),
    actor: str = typer.Option(None, "--actor", metavar="WHO", help="Who records this."),
    db: str = DbOption,
) -> None:
    """Move a flagged device through its lifecycle (or many, from a CSV file: all or nothing).

    Example: schoon audit mark mvz/MVZ-0001 --state replaced --date 03-06-2026 --by "Axis P3265-LVE"
    """
    store = _store(db, DbUse.READ)
    if file is not None:
        count = apply_file(store, file, actor)
        say(f"applied {count} moves from {file}")
        return
    if device is None or state is None:
        raise SchoonError("give a DEVICE and --state, or --file")
    apply(store, [make_move(device, state, date, replaced_by, reason, approver, review, actor)])
    say(f"device {device}: {state}" + (f" ({date})" if date else ""))


@app.command("snapshots")
def snapshots_(org: str = typer.Option(None, "--org", metavar="ORG", help="Only this organisation's snapshots."),
               db: str = DbOption) -> None:
    """List snapshots with their counts.

    Example: schoon audit snapshots --org mvz
    """
    table = DataTable("snapshot", "org", "taken on", "records", "rejects", "outstanding", "replaced", "policy")
    for row in _store(db, DbUse.READ).snapshots(org):
        table.add_row(str(row["id"]), row["org_id"], row["taken_on"], str(row["records"]), str(row["rejects"]),
                      str(row["outstanding"]), str(row["replaced"]), row["policy_id"])
    table.show()


@app.command("discrepancies")
def discrepancies_(org: str = typer.Option(None, "--org", metavar="ORG",
                                          help="Only this organisation's discrepancies."),
                   db: str = DbOption) -> None:
    """List discrepancies found by imports (register vs network, replaced but still seen).

    Example: schoon audit discrepancies --org mvz
    """
    store = _store(db, DbUse.READ)
    query = (sa.select(discrepancies, snapshots.c.org_id, snapshots.c.taken_on)
             .join(snapshots, snapshots.c.id == discrepancies.c.snapshot_id).order_by(discrepancies.c.id))
    if org is not None:
        query = query.where(snapshots.c.org_id == org)
    table = DataTable("snapshot", "org", "taken on", "kind", "device", "detail")
    with store.read() as conn:
        for row in conn.execute(query):
            table.add_row(str(row.snapshot_id), row.org_id, row.taken_on, row.kind, str(row.device_id or "-"),
                          describe(row.detail))
    table.show()


def _snapshot_ref(value: str) -> str:
    """Parser for ``--from``/``--to``: a snapshot id as given, or a date (ISO or Dutch) as ISO."""
    return value.strip() if value.strip().isdigit() else iso_date(value)


@app.command("diff")
def diff_(org: str = typer.Option(..., "--org", metavar="ORG", help="Organisation id."),
          before: str = typer.Option(None, "--from", metavar="SNAPSHOT|DATE", parser=_snapshot_ref,
                                     help="Snapshot id, or a date (2026-03-02 or 02-03-2026: the last snapshot "
                                          "taken on or before it). Default: the snapshot before --to."),
          after: str = typer.Option(None, "--to", metavar="SNAPSHOT|DATE", parser=_snapshot_ref,
                                    help="Snapshot id or date. Default: the latest snapshot."),
          fmt: DiffFormat = typer.Option(DiffFormat.table, "--format", "-f",
                                         help="table (TSV when the output is not a terminal), jsonl or csv."),
          dialect: str = csv_dialect_option(),
          excel_nl: bool = excel_nl_option(),
          db: str = DbOption) -> None:
    """What changed between two snapshots: new, gone and replaced devices, verdict and lifecycle changes.

    Example: schoon audit diff --org mvz --from 02-03-2026 --to 2026-09-01
    """
    csv_style = csv_dialect(dialect, excel_nl) or CsvDialect.standard
    store = _store(db, DbUse.READ)
    try:
        result = snapshot_diff(store, org, before, after)
    finally:
        store.close()
    records = [change.to_dict() for change in result.changes]
    if fmt is DiffFormat.jsonl:
        for record in records:
            console.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    if fmt is DiffFormat.csv:
        writer = CsvWriter(console.file, csv_style)
        writer.row(DIFF_COLUMNS)
        for record in records:
            writer.row([record[c] for c in DIFF_COLUMNS])
        return
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts().items())
    say(f"{org}: snapshot {result.before.id} ({result.before.taken_on}) -> snapshot "
        f"{result.after.id} ({result.after.taken_on}): {counts}")
    if not records:
        return
    shown = [c for c in DIFF_COLUMNS if c not in ("mac", "ip")]  # jsonl and csv have them
    table = DataTable(*shown)
    for record in records:
        table.add_row(*(record[c] for c in shown))
    table.show()
