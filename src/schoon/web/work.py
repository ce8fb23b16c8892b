"""The work behind pages and API operations that is more than one library call: the import job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schoon.errors import SchoonError
from schoon.identify import Engine
from schoon.web.auth import Caller
from schoon.web.state import AppState
from schoon.web.uploads import Stored


def start_import(state: AppState, caller: Caller, org_id: str, files: list[Stored], *, site: str | None,
                 taken_on: str | None) -> str:
    """Queue the import of stored files as one snapshot of ``org_id``; the job's id."""
    scoped = caller.scoped
    names = {str(f.path): f.name for f in files}
    job_id = scoped.create_job("import", org_id)

    def work(progress: Callable[[str], None]) -> dict[str, Any]:
        engine = Engine(state.registry, policy=state.policy, as_of=taken_on)
        try:
            result = scoped.import_snapshot(engine, org_id, list(names), site=site, taken_on=taken_on,
                                            progress=lambda line: progress(_rename(line, names)))
        except SchoonError as exc:  # the file as the user named it, never where the server keeps it
            raise SchoonError(_rename(str(exc), names)) from None
        state.changed()
        readings = [_rename(line, names) for line in result.readings]
        if result.already_imported:
            summary = f"already imported as snapshot {result.snapshot_id}: nothing changed"
        else:
            summary = (f"snapshot {result.snapshot_id} of {org_id}: {result.records} records, {result.rejected} "
                       f"rejected; {result.devices_seen} devices ({result.devices_new} new), {result.flagged} "
                       f"flagged; {result.procurement_lines} procurement lines; {len(result.discrepancies)} "
                       f"discrepancies; {result.confirmed_replaced} replacements confirmed")
        return {"snapshot_id": result.snapshot_id, "already_imported": result.already_imported,
                "summary": summary, "readings": readings, "records": result.records, "rejected": result.rejected,
                "devices_seen": result.devices_seen, "devices_new": result.devices_new, "flagged": result.flagged,
                "discrepancies": len(result.discrepancies), "files": [
                    {"name": f.name, "sha256": f.sha256, "size": f.size} for f in files]}

    state.jobs.submit(scoped, job_id, work)
    return job_id


def _rename(line: str, names: dict[str, str]) -> str:
    """A reading line with the stored file's path replaced by the name it was uploaded as."""
    for path, name in names.items():
        line = line.replace(path, name)
        tail = path.rsplit("/", 1)[-1]
        line = line.replace(tail, name)
    return line
