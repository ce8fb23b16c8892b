"""ScopedStore: every read, list, count, page, report, job and move is limited to the caller's tree.

Two trees (A: mvz with its agency dvt; B: mob) and the coordinator, on SQLite and PostgreSQL. An object of
another tree is NotFound exactly like one that does not exist; the caller's own objects in a role that may not
change them are Forbidden.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from schoon.accounts.principal import Principal
from schoon.accounts.scope import Forbidden, NotFound, ScopedStore
from schoon.accounts.service import Accounts
from schoon.audit import Store
from schoon.audit.devicequery import DeviceFilter
from schoon.audit.lifecycle import make_move
from schoon.audit.store import AuditError
from schoon.identify import Engine
from schoon.registry import default_registry
from schoon.registry.policy import load_policy
from tests.audit.conftest import DEMO

TREE_A = {"mvz", "dvt"}


def _ids(store: Store, *orgs: str) -> list[int]:
    return sorted(int(d["id"]) for org in orgs for d in store.devices(org))


def _all(scoped: ScopedStore, flt: DeviceFilter | None = None, sort: str = "id") -> list[dict[str, Any]]:
    return list(scoped.device_rows(flt, sort=sort, batch=4))


def test_lists_and_counts_hold_only_the_tree(two_trees: Store, app_store: Store,
                                             people: Callable[[str], Principal]) -> None:
    a = ScopedStore(app_store, people("a_viewer"))
    assert {o.id for o in a.orgs()} == TREE_A
    assert {s.org_id for s in a.sites()} == TREE_A
    assert [d["id"] for d in _all(a)] == _ids(two_trees, "mvz", "dvt")
    assert a.devices().total == len(_ids(two_trees, "mvz", "dvt"))
    assert {s["org_id"] for s in a.snapshots()} == TREE_A
    assert {d["org_id"] for d in a.discrepancies()} <= TREE_A
    b = ScopedStore(app_store, people("b_viewer"))
    assert [d["id"] for d in _all(b)] == _ids(two_trees, "mob") and b.devices().total == 3
    agency = ScopedStore(app_store, people("agency_editor"))
    assert [d["id"] for d in _all(agency)] == _ids(two_trees, "dvt")  # the parent's devices are not its own
    coordinator = ScopedStore(app_store, people("coord"))
    assert [d["id"] for d in _all(coordinator)] == _ids(two_trees, "mvz", "dvt", "mob")
    assert {o.id for o in coordinator.orgs()} == {"mvz", "dvt", "mob"}


def _calls_on_other_tree(scoped: ScopedStore, other: dict[str, Any], engine: Engine,
                         tmp_path: Path) -> dict[str, Callable[[], Any]]:
    """Every ScopedStore operation aimed at an object of another tree."""
    device, org, snapshot, site, job = other["device"], other["org"], other["snapshot"], other["site"], other["job"]
    register = tmp_path / "r.csv"
    register.write_text("Inventarisnummer;Merk\nX-1;Hikvision\n", encoding="utf-8")
    return {
        "org": lambda: scoped.org(org),
        "deadline_of": lambda: scoped.deadline_of(org),
        "set_deadline": lambda: scoped.set_deadline(org, "2027-01-01"),
        "sites(org)": lambda: scoped.sites(org),
        "site": lambda: scoped.site(site),
        "add_site": lambda: scoped.add_site(org, "Nieuw"),
        "device": lambda: scoped.device(device),
        "observations": lambda: scoped.observations(device),
        "findings": lambda: scoped.findings(device),
        "lifecycle": lambda: scoped.lifecycle(device),
        "capabilities": lambda: scoped.capabilities(device),
        "import_capabilities": lambda: scoped.import_capabilities(org, [str(DEMO / "capabilities")]),
        "snapshots(org)": lambda: scoped.snapshots(org),
        "snapshot": lambda: scoped.snapshot(snapshot),
        "discrepancies(snapshot)": lambda: scoped.discrepancies(snapshot),
        "schedule": lambda: scoped.schedule(device, "2026-12-01"),
        "replace": lambda: scoped.replace(device, "2026-03-05", today="2026-11-29"),
        "exempt": lambda: scoped.exempt(device, "r", "a", "2027-01-01"),
        "back_in_use": lambda: scoped.back_in_use(device),
        "apply_moves(org/asset)": lambda: scoped.apply_moves([make_move(f"{org}/{other['asset']}", "scheduled",
                                                                        "2026-12-01")]),
        "report(org)": lambda: scoped.report(default_registry(), load_policy("default"), org_id=org),
        "import_snapshot": lambda: scoped.import_snapshot(engine, org, [str(register)]),
        "create_job": lambda: scoped.create_job("upload", org),
        "job": lambda: scoped.job(job),
        "update_job": lambda: scoped.update_job(job, state="done"),
    }


def _other_tree(store: Store, app_store: Store, people: Callable[[str], Principal], org: str,
                owner: str) -> dict[str, Any]:
    mine = ScopedStore(app_store, people(owner))
    device = next(d for d in store.devices(org) if d["state"] == "in_use")
    return {"org": org, "device": int(device["id"]), "asset": device["asset_id"],
            "snapshot": int(mine.snapshots(org)[0]["id"]), "site": store.sites(org)[0].id,
            "job": mine.create_job("upload", org)}


@pytest.mark.parametrize("who", ["a_admin", "a_editor", "a_viewer", "agency_editor", "b_admin", "b_editor",
                                 "b_viewer"])
def test_every_operation_on_another_tree_is_not_found(two_trees: Store, app_store: Store,
                                                      people: Callable[[str], Principal],
                                                      engine: Engine, tmp_path: Path, who: str) -> None:
    """The isolation matrix at library level: count leaks (an answer other than NotFound); must be 0."""
    other = _other_tree(two_trees, app_store, people, "mvz", "a_admin") if who.startswith(("b_", "agency")) \
        else _other_tree(two_trees, app_store, people, "mob", "b_admin")
    scoped = ScopedStore(app_store, people(who))
    before = {d["id"]: d["state"] for d in two_trees.devices()}
    leaks = []
    for name, call in _calls_on_other_tree(scoped, other, engine, tmp_path).items():
        try:
            call()
        except NotFound as exc:
            assert "Ministerie" not in str(exc)  # an error names only what the caller gave
            continue
        except Exception as exc:  # Forbidden, or any other answer, would confirm that the object exists
            leaks.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        leaks.append(f"{name}: answered")
    assert leaks == []
    assert {d["id"]: d["state"] for d in two_trees.devices()} == before  # nothing changed
    # lists and counts never include the other tree
    page = scoped.devices(DeviceFilter(org=other["org"]))
    assert (page.items, page.total) == ([], 0)
    assert scoped.devices(DeviceFilter(search=str(other["asset"]))).total == 0
    assert other["org"] not in {o.id for o in scoped.orgs()}
    assert other["job"] not in {j["id"] for j in scoped.jobs()}
    assert all(d["org_id"] != other["org"] for d in scoped.overdue(as_of="2026-11-29"))
    report = scoped.report(default_registry(), load_policy("default"), as_of="2026-11-29")
    assert other["org"] not in {row["org_id"] for row in report["by_institution"]}


def test_roles_decide_changes_within_the_tree(two_trees: Store, app_store: Store, people: Callable[[str], Principal],
                                              engine: Engine) -> None:
    device = next(d for d in two_trees.devices("mvz") if d["state"] == "in_use")["id"]
    viewer = ScopedStore(app_store, people("a_viewer"))
    assert viewer.device(device)["id"] == device  # may see it
    for call in (lambda: viewer.schedule(device, "2026-12-01"),
                 lambda: viewer.import_snapshot(engine, "mvz", [str(DEMO / "register.csv")]),
                 lambda: viewer.create_job("upload"), lambda: viewer.set_deadline("mvz", "2027-01-01"),
                 lambda: viewer.import_capabilities("mvz", [str(DEMO / "capabilities")])):
        with pytest.raises(Forbidden, match=r"viewer a_viewer@example\.org may not"):
            call()
    coordinator = ScopedStore(app_store, people("coord"))
    with pytest.raises(Forbidden):  # read-only on the data
        coordinator.schedule(device, "2026-12-01")
    coordinator.set_deadline("mob", "2027-06-30")  # but manages organisations
    assert coordinator.add_org("new", "Nieuw Agentschap", parent="mob").parent_id == "mob"
    for who in ("a_admin", "a_editor"):
        with pytest.raises(Forbidden):
            ScopedStore(app_store, people(who)).add_org("other-new")
    editor = ScopedStore(app_store, people("a_editor"))
    with pytest.raises(Forbidden):
        editor.set_deadline("mvz", "2027-01-01")  # deadlines are for org-admins
    after = editor.schedule(device, "2026-12-01")
    assert (after["state"], after["state_date"]) == ("scheduled", "2026-12-01")
    assert editor.lifecycle(device)[-1]["actor"] == "a_editor@example.org"
    admin = ScopedStore(app_store, people("a_admin"))
    admin.set_deadline("dvt", "2026-09-30")
    assert admin.add_site("dvt", "Delft Lab", sensitivity="high").org_id == "dvt"
    with pytest.raises(AuditError, match="is in the future"):  # the lifecycle's own rules still apply
        editor.replace(device, "2026-12-05", today="2026-11-29")
    assert editor.replace(device, "2026-11-01", today="2026-11-29")["state"] == "replaced"
    with pytest.raises(AuditError, match="cannot move to scheduled"):
        editor.schedule(device, "2026-12-02")
    assert editor.back_in_use(device)["state"] == "in_use"


def test_device_history_and_import_through_the_scope(two_trees: Store, app_store: Store,
                                                     people: Callable[[str], Principal],
                                                    engine: Engine) -> None:
    editor = ScopedStore(app_store, people("agency_editor"))
    result = editor.import_snapshot(engine, "dvt", [str(DEMO / "dvt-register.csv")], taken_on="2026-03-03")
    assert result.already_imported  # the same files again change nothing
    device = _all(editor)[0]
    [seen] = editor.observations(device["id"])
    assert seen["kind"] == "register" and seen["taken_on"] == "2026-03-03" and isinstance(seen["data"], dict)
    [finding] = editor.findings(device["id"])
    assert finding["verdict"] == device["verdict"] and isinstance(finding["evidence"], list)
    assert isinstance(editor.capabilities(device["id"]), list)
    snapshot = editor.snapshot(editor.snapshots()[0]["id"])
    assert [f["kind"] for f in snapshot["files"]] == ["register"]
    assert all("text" in d for d in editor.discrepancies())


def test_pages_filters_and_sorting(two_trees: Store, app_store: Store, people: Callable[[str], Principal]) -> None:
    a = ScopedStore(app_store, people("a_viewer"))
    everything = a.devices(limit=1000).items
    by_asset = sorted(everything, key=lambda d: (d["asset_id"] or "", d["id"]))
    first = a.devices(sort="asset", limit=4)
    assert [d["id"] for d in first.items] == [d["id"] for d in by_asset[:4]] and first.total == len(everything)
    assert [d["id"] for d in _all(a, sort="asset")] == [d["id"] for d in by_asset]
    assert [d["id"] for d in _all(a, sort="-asset")] == [d["id"] for d in sorted(
        everything, key=lambda d: (d["asset_id"] or "", d["id"]), reverse=True)]
    assert [d["id"] for d in _all(a, sort="-confidence")] == [d["id"] for d in sorted(
        everything, key=lambda d: (d["confidence"], d["id"]), reverse=True)]
    flagged = a.devices(DeviceFilter(verdict="flagged"), limit=1000)
    assert flagged.total == sum(d["verdict"] == "flagged" for d in everything) > 0
    assert {d["verdict"] for d in flagged.items} == {"flagged"}
    hikvision = a.devices(DeviceFilter(group="hikvision", verdict="flagged"), limit=1000).items
    assert hikvision and {d["group_id"] for d in hikvision} == {"hikvision"}
    high = a.devices(DeviceFilter(sensitivity="high"), limit=1000).items
    assert high and {d["sensitivity"] for d in high} == {"high"}
    site = high[0]["site_id"]
    assert {d["site_id"] for d in a.devices(DeviceFilter(site=site), limit=1000).items} == {site}
    found = a.devices(DeviceFilter(search="mvz-0001")).items
    assert [d["asset_id"] for d in found] == ["MVZ-0001"]
    assert a.devices(DeviceFilter(search="%")).total == 0  # a wildcard is a character, not a pattern
    assert a.devices(DeviceFilter(state="in_use"), limit=1000).total == \
        sum(d["state"] == "in_use" for d in everything)
    with pytest.raises(AuditError, match="cannot sort devices by 'colour'"):
        a.devices(sort="colour")
    with pytest.raises(AuditError, match="not a page cursor"):
        a.devices(cursor="garbage!")
    with pytest.raises(AuditError, match="1 to 1000"):
        a.devices(limit=0)


def test_reports_are_the_tree_for_everyone_but_the_coordinator(two_trees: Store, app_store: Store,
                                                                people: Callable[[str], Principal]) -> None:
    registry, policy = default_registry(), load_policy("default")
    own = ScopedStore(app_store, people("a_viewer")).report(registry, policy, as_of="2026-11-29")
    assert own["kind"] == "institution"
    assert {r["org_id"] for r in own["by_institution"]} == TREE_A
    assert own["totals"]["devices"] == len(_ids(two_trees, "mvz", "dvt"))
    agency = ScopedStore(app_store, people("agency_editor")).report(registry, policy, as_of="2026-11-29")
    assert [r["org_id"] for r in agency["by_institution"]] == ["dvt"]
    national = ScopedStore(app_store, people("coord")).report(registry, policy, as_of="2026-11-29")
    assert national["kind"] == "national" and national["totals"]["devices"] == len(two_trees.devices())


def test_overdue_and_exemptions_due(two_trees: Store, app_store: Store, people: Callable[[str], Principal]) -> None:
    agency = ScopedStore(app_store, people("agency_editor"))
    late = agency.overdue(as_of="2026-11-29")
    assert late and {d["org_id"] for d in late} == {"dvt"}
    assert {d["deadline"] for d in late} == {"2026-06-30"}  # inherited from the ministry above it
    assert late[0]["days_overdue"] == 152
    b = ScopedStore(app_store, people("b_editor"))
    assert {d["deadline"] for d in b.overdue(as_of="2026-11-29")} == {"2026-01-31"}
    assert agency.overdue(as_of="2026-06-30") == []
    device = late[0]["id"]
    agency.exempt(device, "evidence archive", "SG", "2026-12-10")
    assert [d["id"] for d in agency.exemptions_due(as_of="2026-11-29")] == [device]
    assert agency.exemptions_due(as_of="2026-11-29", within_days=5) == []
    assert b.exemptions_due(as_of="2026-11-29", within_days=400) == []
    assert device not in {d["id"] for d in agency.overdue(as_of="2026-11-29")}


def test_jobs_belong_to_the_tree(two_trees: Store, app_store: Store, people: Callable[[str], Principal]) -> None:
    editor = ScopedStore(app_store, people("a_editor"))
    job = editor.create_job("upload", "dvt")
    assert editor.job(job)["state"] == "queued"
    editor.update_job(job, state="running", progress="read 10 of 20 rows")
    editor.update_job(job, state="done", result={"snapshot_id": 3, "devices": 20})
    done = ScopedStore(app_store, people("agency_editor")).job(job)
    assert (done["state"], done["progress"], done["result"]) == ("done", "read 10 of 20 rows",
                                                                 {"snapshot_id": 3, "devices": 20})
    assert done["finished_at"] is not None
    with pytest.raises(AuditError, match="job state must be one of"):
        editor.update_job(job, state="exploded")
    assert [j["id"] for j in editor.jobs()] == [job]
    assert ScopedStore(app_store, people("b_editor")).jobs() == []


def test_changes_are_in_the_audit_log_of_the_tree(two_trees: Store, app_store: Store,
                                                  people: Callable[[str], Principal], engine: Engine,
                                                  tmp_path: Path) -> None:
    device = next(d for d in two_trees.devices("mvz") if d["state"] == "in_use")["id"]
    ScopedStore(app_store, people("a_editor")).schedule(device, "2026-12-01")
    ScopedStore(app_store, people("a_admin")).set_deadline("dvt", "2026-09-30")
    register = tmp_path / "extra.csv"
    register.write_text("Inventarisnummer;Merk;MAC-adres\nDVT-9;Dahua;3c:ef:8c:00:00:09\n", encoding="utf-8")
    ScopedStore(app_store, people("agency_editor")).import_snapshot(engine, "dvt", [str(register)],
                                                                    taken_on="2026-04-01")
    accounts = Accounts(app_store)
    seen = [(e.actor, e.action, e.target, e.detail) for e in accounts.events(people("a_viewer"))
            if not e.action.startswith(("user.", "sign-in"))]
    assert seen[::-1] == [("a_editor@example.org", "device.scheduled", f"device {device}", "2026-12-01"),
                          ("a_admin@example.org", "org.deadline", "dvt", "2026-09-30"),
                          ("agency_editor@example.org", "snapshot.import", seen[0][2],
                           "1 file(s), 1 records, 1 flagged")]
    assert [e for e in accounts.events(people("b_viewer")) if e.action.startswith(("device.", "org.", "snap"))] \
        == []
