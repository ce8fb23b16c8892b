"""The shipped fingerprint rule files, checked as data (yaml + re only, no engine code).

Part 1 checks the files: schema, sources, patterns, examples and counterexamples, registry ids.
Part 2 runs the rules over outside evaluation data (skipped when ``schoon.settings.eval_dir()`` is absent):
the labelled Recog examples (no false flags, a recall floor) and a few real device captures.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from schoon import settings

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "src" / "schoon" / "identify" / "rules"
GROUPS_DIR = ROOT / "src" / "schoon" / "registry" / "data" / "groups"

PATTERN_FILES = ("http.yaml", "rtsp.yaml", "tls.yaml", "snmp.yaml", "telnet_ssh.yaml", "onvif_upnp.yaml")
ALL_FILES = (*PATTERN_FILES, "favicons.yaml", "ports.yaml", "makers.yaml")

FIELDS = frozenset({
    "http_server", "http_title", "http_body", "http_www_authenticate", "tls_subject", "tls_issuer",
    "rtsp_server", "rtsp_www_authenticate", "snmp_sysdescr", "telnet_banner", "ssh_banner",
    "onvif_manufacturer", "onvif_model", "onvif_firmware", "upnp_manufacturer", "upnp_model",
    "firmware", "model", "hostname",
})
DEVICE_TYPES = frozenset({
    "camera", "thermal_camera", "ptz_camera", "recorder", "encoder", "intercom", "access_control",
    "radio", "drone", "network", "phone", "storage", "body_camera", "other",
})
CONFIDENCES = frozenset({"high", "medium", "low"})
RULE_REQUIRED = frozenset({"id", "fields", "pattern", "points_to", "weight", "explain", "source", "confidence",
                           "examples"})
RULE_OPTIONAL = frozenset({"case_sensitive", "device_type", "model_group", "firmware_group", "note",
                           "counterexamples"})
FAVICON_KEYS = frozenset({"mmh3", "md5", "points_to", "weight", "device_type", "verified", "explain", "source",
                          "note"})
PORT_KEYS = frozenset({"port", "points_to", "weight", "explain", "source"})
SOURCE_KEYS = frozenset({"title", "url", "publisher", "date", "note"})
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Constructs that Hyperscan cannot run (or runs only in prefilter mode): keep the rules free of them.
NOT_HYPERSCAN = re.compile(r"\\[1-9]|\(\?<[=!]|\(\?[=!]|\(\?P?<\w+>|\(\?[aiLmsux]+\)")


def load(name: str) -> dict[str, Any]:
    with (RULES_DIR / name).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{name}: not a mapping"
    return data


DOCS: dict[str, dict[str, Any]] = {name: load(name) for name in ALL_FILES}
RULES: list[tuple[str, dict[str, Any]]] = [(name, rule) for name in PATTERN_FILES for rule in DOCS[name]["rules"]]
FAVICONS: list[dict[str, Any]] = DOCS["favicons.yaml"]["favicons"]
PORTS: list[dict[str, Any]] = DOCS["ports.yaml"]["ports"]


def compiled(rule: dict[str, Any], multiline: bool = True) -> re.Pattern[str]:
    """The rule's pattern with the flags an engine uses (IGNORECASE unless case-sensitive; MULTILINE as in
    schoon's multipattern engine; ``multiline=False`` gives the plain ``re.search`` reading)."""
    flags = 0 if rule.get("case_sensitive", False) else re.IGNORECASE
    return re.compile(rule["pattern"], flags | (re.MULTILINE if multiline else 0))


def matches(rule: dict[str, Any], text: str) -> bool:
    return compiled(rule).search(text) is not None


def rule_id(item: tuple[str, dict[str, Any]]) -> str:
    return str(item[1].get("id"))


# --------------------------------------------------------------------------------------------- the files


def test_every_rule_file_is_present_and_parses() -> None:
    present = {p.name for p in RULES_DIR.glob("*.yaml")}
    assert present == set(ALL_FILES)
    for name in PATTERN_FILES:
        assert set(DOCS[name]) == {"sources", "rules"}, name
        assert DOCS[name]["rules"], f"{name} has no rules"
    assert set(DOCS["favicons.yaml"]) == {"sources", "favicons"}
    assert set(DOCS["ports.yaml"]) == {"sources", "ports"}


@pytest.mark.parametrize("name", ALL_FILES)
def test_sources_are_well_formed(name: str) -> None:
    doc = DOCS[name]
    sources = doc["sources"]
    assert isinstance(sources, dict) and sources
    for key, source in sources.items():
        assert SLUG.match(key), f"{name}: source key {key!r} is not a slug"
        assert set(source) <= SOURCE_KEYS, f"{name}: source {key} has unknown keys {set(source) - SOURCE_KEYS}"
        assert source.get("title") and source.get("date"), f"{name}: source {key} needs a title and a date"
    items = doc.get("rules", []) + doc.get("favicons", []) + doc.get("ports", [])
    used = {item["source"] for item in items}
    assert used <= set(sources), f"{name}: unknown sources {used - set(sources)}"


def test_rule_ids_are_unique_slugs() -> None:
    ids = [rule.get("id") for _, rule in RULES]
    assert all(isinstance(i, str) and SLUG.match(i) for i in ids)
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates


@pytest.mark.parametrize("item", RULES, ids=rule_id)
def test_rule_schema(item: tuple[str, dict[str, Any]]) -> None:
    name, rule = item
    keys = set(rule)
    assert keys >= RULE_REQUIRED, f"missing {RULE_REQUIRED - keys}"
    assert keys <= RULE_REQUIRED | RULE_OPTIONAL, f"unknown keys {keys - RULE_REQUIRED - RULE_OPTIONAL}"
    assert rule["fields"] and set(rule["fields"]) <= FIELDS, rule["fields"]
    assert len(set(rule["fields"])) == len(rule["fields"])
    assert isinstance(rule["weight"], (int, float)) and 0 < rule["weight"] <= 1
    assert rule["confidence"] in CONFIDENCES
    assert rule.get("device_type", "camera") in DEVICE_TYPES
    assert isinstance(rule.get("case_sensitive", False), bool)
    assert rule["source"] in DOCS[name]["sources"]
    assert isinstance(rule["explain"], str) and "\n" not in rule["explain"].strip()
    assert ("{model}" in rule["explain"]) <= ("model_group" in rule), "explain uses {model} without model_group"
    if rule["confidence"] == "low":
        assert rule.get("note"), "a low-confidence rule must say why in its note"
    assert SLUG.match(rule["points_to"])


@pytest.mark.parametrize("item", RULES, ids=rule_id)
def test_rule_pattern_compiles_and_stays_portable(item: tuple[str, dict[str, Any]]) -> None:
    _, rule = item
    pattern = compiled(rule)
    assert not NOT_HYPERSCAN.search(rule["pattern"]), "no backreferences, lookaround, named groups or inline flags"
    for key in ("model_group", "firmware_group"):
        if key in rule:
            assert isinstance(rule[key], int) and 1 <= rule[key] <= pattern.groups, f"{key} is not a capture group"
    assert not pattern.search(""), "pattern matches the empty string"


@pytest.mark.parametrize("item", RULES, ids=rule_id)
def test_rule_examples_match_and_counterexamples_do_not(item: tuple[str, dict[str, Any]]) -> None:
    _, rule = item
    assert rule["examples"], "every rule needs examples"
    for multiline in (True, False):
        pattern = compiled(rule, multiline)
        captured: dict[str, int] = {}
        for example in rule["examples"]:
            match = pattern.search(example)
            assert match, f"example does not match: {example!r}"
            for key in ("model_group", "firmware_group"):
                if key in rule:
                    value = match.group(rule[key])
                    assert value is None or value.strip(), f"{key} captures blank text in {example!r}"
                    captured[key] = captured.get(key, 0) + (value is not None)
        for key in ("model_group", "firmware_group"):
            if key in rule:
                assert captured[key], f"{key} captures nothing in any example"
        for counter in rule.get("counterexamples", []):
            assert not pattern.search(counter), f"counterexample matches: {counter!r}"


def test_patterns_compile_in_hyperscan() -> None:
    """Every pattern compiles in Hyperscan, exactly or in prefilter mode (which the engine confirms with re;
    ``\\b`` under Unicode needs it)."""
    hs = pytest.importorskip("hyperscan", reason="hyperscan not installed; the re backend is used instead")
    base = hs.HS_FLAG_SINGLEMATCH | hs.HS_FLAG_UTF8 | hs.HS_FLAG_UCP | hs.HS_FLAG_MULTILINE

    def compiles(regex: str, flags: int) -> bool:
        try:
            hs.Database(mode=hs.HS_MODE_BLOCK).compile(expressions=[regex.encode()], ids=[0], elements=1,
                                                       flags=[flags])
        except hs.error:
            return False
        return True

    prefilter: list[str] = []
    failed: list[str] = []
    for _, rule in RULES:
        flags = base | (0 if rule.get("case_sensitive", False) else hs.HS_FLAG_CASELESS)
        if not compiles(rule["pattern"], flags):
            (prefilter if compiles(rule["pattern"], flags | hs.HS_FLAG_PREFILTER) else failed).append(rule["id"])
    print(f"\nHyperscan: {len(RULES) - len(prefilter) - len(failed)} exact, {len(prefilter)} prefilter")
    assert not failed, f"not Hyperscan-compatible: {failed}"


def test_favicons() -> None:
    seen: set[object] = set()
    for fav in FAVICONS:
        assert set(fav) <= FAVICON_KEYS, set(fav) - FAVICON_KEYS
        assert {"points_to", "weight", "verified", "explain", "source"} <= set(fav)
        assert "mmh3" in fav or "md5" in fav
        if "mmh3" in fav:
            assert isinstance(fav["mmh3"], int) and -(2**31) <= fav["mmh3"] < 2**31, "mmh3 must be signed 32-bit"
            assert ("mmh3", fav["mmh3"]) not in seen
            seen.add(("mmh3", fav["mmh3"]))
        if "md5" in fav:
            assert re.fullmatch(r"[0-9a-f]{32}", str(fav["md5"])), "md5 must be 32 lower-case hex digits"
            assert ("md5", fav["md5"]) not in seen
            seen.add(("md5", fav["md5"]))
        assert 0 < fav["weight"] <= 1
        assert isinstance(fav["verified"], bool)
        if not fav["verified"]:
            assert fav["weight"] <= 0.5, "an unverified favicon may weigh at most 0.5"
            assert fav.get("note"), "say where an unverified hash comes from"
        assert fav.get("device_type", "other") in DEVICE_TYPES
        assert fav["source"] in DOCS["favicons.yaml"]["sources"]


def test_ports() -> None:
    seen = set()
    for entry in PORTS:
        assert set(entry) == PORT_KEYS, set(entry) ^ PORT_KEYS
        assert isinstance(entry["port"], int) and 0 < entry["port"] < 65536
        assert 0 < entry["weight"] <= 0.3, "a port alone is weak evidence"
        assert (entry["port"], entry["points_to"]) not in seen
        seen.add((entry["port"], entry["points_to"]))


def registry_ids() -> set[str]:
    ids: set[str] = set()
    for path in GROUPS_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        ids.add(str(data.get("group")))
        ids.update(str(e["id"]) for e in data.get("entities", []) if isinstance(e, dict) and "id" in e)
    return ids


def test_points_to_are_registry_entities() -> None:
    known = registry_ids()
    targets = {rule["points_to"] for _, rule in RULES} | {f["points_to"] for f in FAVICONS}
    targets |= {p["points_to"] for p in PORTS}
    assert targets <= known, f"not in the registry: {sorted(targets - known)}"


# --------------------------------------------------------------------------------------------- outside data


@pytest.fixture(scope="module")
def eval_dir() -> Path:
    path = settings.eval_dir()
    if not path.exists():
        pytest.skip(f"outside evaluation data not found at {path} (set SCHOON_EVAL_DIR)")
    return path


# Recog database (file stem) -> our observation field; "favicon_md5" is a hash lookup, absent = not applicable.
RECOG_FIELD = {
    "http_servers": "http_server", "http_wwwauth": "http_www_authenticate", "rtsp_servers": "rtsp_server",
    "x509_subjects": "tls_subject", "x509_issuers": "tls_issuer", "telnet_banners": "telnet_banner",
    "ssh_banners": "ssh_banner", "snmp_sysdescr": "snmp_sysdescr", "html_title": "http_title",
    "favicons": "favicon_md5",
}
# Recog's expected vendor -> the registry entities a correct rule may name (a relabel brand or its maker).
EXPECTED = {
    "Hikvision": {"hikvision"}, "Dahua": {"dahua"}, "Huawei": {"huawei"}, "ZTE": {"zte"},
    "HiSilicon": {"hisilicon"}, "Lorex": {"lorex", "dahua"}, "ANNKE": {"annke", "hikvision"},
}
# Target-vendor rows whose Recog vendor label is not the maker we name, with the reason.
RELABELLED = {
    "MAS 1.0 (Intel X86) Copyright (c) 1998-2006 Huawei Technologies Co., Ltd on Windows NT 5.0":
        ({"huawei"}, "Recog's vendor is the OS (Microsoft); the MAS product is Huawei's"),
    "MAS 1.0 (Intel X86) Copyright (c) 1998-2006 Huawei Technologies Co., Ltd on SUSE LINUX 9.0":
        ({"huawei"}, "Recog's vendor is the OS (SuSE); the MAS product is Huawei's"),
}
# Target-vendor rows left out of the recall count, with the reason.
REJECTED = {
    "HUAWEI-3COM WBR-204g": "Huawei-3Com was the Huawei/3Com joint venture that became H3C; not the Huawei group",
    "HES_CPE FTP server (GNU inetutils 1.4.1) ready.": "Zyxel-branded WiMAX CPE; FTP banners have no field here",
}
# Measured on the Recog snapshot: every applicable, non-rejected target row is found. Keep it at 1.0.
RECALL_FLOOR = 1.0


def rules_for(field: str) -> list[dict[str, Any]]:
    return [rule for _, rule in RULES if field in rule["fields"]]


def hits(field: str, text: str) -> set[str]:
    """The entities our rules (or favicon hashes) name for this field value."""
    if field == "favicon_md5":
        return {f["points_to"] for f in FAVICONS if f.get("md5") == text.strip().lower()}
    return {rule["points_to"] for rule in rules_for(field) if matches(rule, text)}


def recog_rows(eval_dir: Path) -> list[dict[str, Any]]:
    path = eval_dir / "realworld" / "recog_camera_and_target_vendor_examples.jsonl"
    if not path.exists():
        pytest.skip(f"outside evaluation data not found: {path} (set SCHOON_EVAL_DIR)")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def recog_field(row: dict[str, Any]) -> str | None:
    return RECOG_FIELD.get(Path(row["source_path"]).stem)


def test_recog_labelled_examples_no_false_flags(eval_dir: Path) -> None:
    false_flags = []
    for row in recog_rows(eval_dir):
        field = recog_field(row)
        if row["target_vendor_match"] or field is None:
            continue
        named = hits(field, row["input"])
        if named:
            false_flags.append((row["expected_vendor"], row["input"][:80], sorted(named)))
    assert not false_flags, f"non-target examples flagged: {false_flags}"


def test_recog_labelled_examples_recall(eval_dir: Path) -> None:
    found: list[str] = []
    missed: list[str] = []
    wrong: list[tuple[str, list[str]]] = []
    not_applicable = rejected = 0
    for row in recog_rows(eval_dir):
        if not row["target_vendor_match"]:
            continue
        field = recog_field(row)
        if row["input"] in REJECTED:
            rejected += 1
            continue
        if field is None:
            not_applicable += 1
            continue
        accepted = RELABELLED[row["input"]][0] if row["input"] in RELABELLED else EXPECTED[row["expected_vendor"]]
        named = hits(field, row["input"])
        if named - accepted:
            wrong.append((row["input"][:60], sorted(named - accepted)))
        (found if named & accepted else missed).append(row["input"][:60])
    total = len(found) + len(missed)
    recall = len(found) / total
    print(f"\nRecog target rows: {len(found)}/{total} found (recall {recall:.3f}); "
          f"{not_applicable} not applicable, {rejected} rejected")
    assert not wrong, f"target rows attributed to another maker: {wrong}"
    assert recall >= RECALL_FLOOR, f"missed: {missed}"


# Words that mark a Recog fingerprint as being about one of our makers or their brands.
TARGET_WORDS = re.compile(
    r"hikvision|dahua|huawei|\bzte\b|zxhn|zxv10|hytera|uniview|tiandy|\bdji\b|hisilicon|ezviz|hikmicro|"
    r"\bimou\b|lorex|amcrest|annke|truvision|interlogix|\blts\b|swann|hiwatch|hilook|intelbras|echolife|quidway",
    re.IGNORECASE,
)


def recog_xml_examples(eval_dir: Path) -> Iterator[tuple[str, str, str]]:
    """(field, description and params, example) for every inline example of the mapped Recog databases."""
    for stem, field in RECOG_FIELD.items():
        path = eval_dir / "recog" / "xml" / f"{stem}.xml"
        if not path.exists():
            continue
        for fingerprint in ET.parse(path).getroot().iter("fingerprint"):
            about = " ".join([fingerprint.findtext("description") or "", fingerprint.get("pattern", "")]
                             + [p.get("value") or "" for p in fingerprint.iter("param")])
            for example in fingerprint.iter("example"):
                text = example.text or ""
                if example.get("_encoding") == "base64":
                    text = base64.b64decode(text).decode("utf-8", "replace")
                yield field, about, text


def test_recog_all_examples_no_false_flags(eval_dir: Path) -> None:
    """Every inline example of the mapped Recog databases (about 4,000): only fingerprints about our makers
    may be matched."""
    if not (eval_dir / "recog" / "xml").exists():
        pytest.skip(f"outside evaluation data not found: {eval_dir / 'recog' / 'xml'} (set SCHOON_EVAL_DIR)")
    checked = 0
    false_flags: list[tuple[str, str, list[str]]] = []
    for field, about, text in recog_xml_examples(eval_dir):
        checked += 1
        named = hits(field, text)
        if named and not TARGET_WORDS.search(about) and text not in REJECTED:
            false_flags.append((field, text[:80], sorted(named)))
    print(f"\nRecog XML examples checked: {checked}; false flags: {len(false_flags)}")
    assert checked > 1000
    assert not false_flags, false_flags


def test_real_hikvision_captures(eval_dir: Path) -> None:
    real = eval_dir / "realworld"
    body = (real / "hikvision_isapi_deviceInfo_DS-2CD2386G2-IU.xml").read_text(encoding="utf-8")
    assert {"hikvision"} == hits("http_body", body)
    named = {r["id"] for r in rules_for("http_body") if matches(r, body)}
    assert {"hikvision-isapi-namespace", "hikvision-isapi-manufacturer", "hikvision-isapi-system-contact"} <= named
    config = (real / "hikvision_nvr_webui_project_config.json").read_text(encoding="utf-8")
    assert {"hikvision"} == hits("http_body", config)
    summary = (real / "hikvision_next_deviceinfo_summary.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in summary.splitlines() if line.strip()]
    for row in rows:
        version = f'{row["firmwareVersion"]} {row["firmwareReleasedDate"]}'
        assert hits("onvif_firmware", version) == {"hikvision"}, version
        xml = f'<DeviceInfo version="2.0" xmlns="{row["xmlns"]}"><model>{row["model"]}</model></DeviceInfo>'
        assert hits("http_body", xml) == {"hikvision"}, row["xmlns"]


def test_real_hikvision_favicon_is_the_verified_entry(eval_dir: Path) -> None:
    mmh3 = pytest.importorskip("mmh3")
    raw = (eval_dir / "realworld" / "hikvision_nvr_webui_favicon.ico").read_bytes()
    md5 = hashlib.md5(raw).hexdigest()
    shodan = mmh3.hash(base64.encodebytes(raw))
    [entry] = [f for f in FAVICONS if f.get("md5") == md5]
    assert entry["verified"] and entry["mmh3"] == shodan and entry["points_to"] == "hikvision"


def test_real_dahua_magicbox_replies(eval_dir: Path) -> None:
    text = (eval_dir / "realworld" / "dahua_magicbox_getSystemInfo_examples.txt").read_text(encoding="utf-8")
    blocks = [b for b in re.split(r"^### ", text, flags=re.MULTILINE)[1:] if "expected_vendor" in b or "vendor=" in b
              or "deviceType=" in b]
    assert len(blocks) >= 3
    for block in blocks:
        reply = "\n".join(line for line in block.splitlines()[1:] if line and not line.startswith("#"))
        if "=IP Camera" in reply and "vendor=" not in reply:
            continue  # getDeviceType may answer a bare "type=IP Camera": nothing to name
        assert hits("http_body", reply) == {"dahua"}, reply


@pytest.mark.parametrize("name", ["Axis", "Hanwha", "Wsdiscovery"])
def test_other_vendor_discovery_replies_name_nobody(eval_dir: Path, name: str) -> None:
    text = (eval_dir / "realworld" / f"universalscanner_discovery_{name}.selftest").read_bytes()
    body = text.decode("utf-8", "replace")
    assert not hits("http_body", body)
    assert not hits("onvif_manufacturer", body)
