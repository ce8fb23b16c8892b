"""Site keys keep every script: sites named in different scripts never merge, and neither do their devices."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoon.audit import AuditError, Store, import_snapshot
from schoon.identify import Engine

HEADER = "Inventarisnummer;Locatie;Merk;Typenummer;MAC-adres;IP-adres"


def _register(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return str(path)


def test_same_ip_in_cities_of_other_scripts_stays_two_devices(store: Store, engine: Engine, tmp_path: Path) -> None:
    store.add_org("ext", "Buitenlandse posten")
    register = _register(tmp_path / "posten.csv", [
        ";Москва;Hikvision;DS-2CD2386G2-IU;;10.0.0.10",
        ";北京;Axis;P3245-LVE;;10.0.0.10",
        ";東京;Bosch;NDE-3502-AL;;10.0.0.10",
        ";Αθήνα;Dahua;IPC-HFW2431S-S-S2;;10.0.0.10",
    ])
    result = import_snapshot(store, engine, "ext", [register], taken_on="2026-03-02")
    assert result.devices_new == 4
    sites = {s.id: s for s in store.sites("ext")}
    assert sorted(s.key for s in sites.values()) == sorted(["москва", "北京", "東京", "αθηνα"])
    by_site = {sites[d["site_id"]].name: d for d in store.devices("ext")}
    assert by_site["Москва"]["verdict"] == "flagged" and by_site["Αθήνα"]["verdict"] == "flagged"
    assert by_site["北京"]["verdict"] == "clear"
    # The next snapshot finds each device again at its own site (same IP, different city).
    again = _register(tmp_path / "posten-2.csv", [
        ";МОСКВА;Hikvision;DS-2CD2386G2-IU;;10.0.0.10", ";北京;Axis;P3245-LVE;;10.0.0.10"])
    second = import_snapshot(store, engine, "ext", [again], taken_on="2026-04-02")
    assert (second.devices_new, second.devices_seen) == (0, 2)
    assert len(store.devices("ext")) == 4


def test_diacritics_fold_to_one_site(store: Store, engine: Engine, tmp_path: Path) -> None:
    store.add_org("ch")
    site = store.add_site("ch", "Zürich", sensitivity="high")
    assert site.key == "zurich" and store.site("ch", "ZURICH").id == site.id
    with pytest.raises(AuditError, match="exists already"):
        store.add_site("ch", "Zurich")
    register = _register(tmp_path / "zh.csv", [
        "A-1;Zurich;Axis;P3245-LVE;;10.0.0.1", "A-2;zürich;Axis;P3245-LVE;;10.0.0.2"])
    import_snapshot(store, engine, "ch", [register], taken_on="2026-03-02")
    assert [s.key for s in store.sites("ch")] == ["zurich"]
    assert {d["site_id"] for d in store.devices("ch")} == {site.id}


def test_organisation_ids_stay_ascii_slugs(store: Store) -> None:
    with pytest.raises(AuditError, match="lowercase slug"):
        store.add_org("москва")
    store.add_org("ok")
    with pytest.raises(AuditError, match="a site needs a name"):
        store.add_site("ok", "   ")
