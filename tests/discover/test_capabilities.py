"""``schoon discover --capabilities``: the six documents, fetched with digest auth, only where they may be.

The capability estate (127.51.3.x, ``estate.capability_devices``) serves digest-protected ISAPI and Dahua CGI
documents; the tests read what the estate received, the output folder, the audit log and every printed line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from schoon.discover.capabilities import DOCUMENTS, MANIFEST_COLUMNS
from schoon.discover.credentials import CredentialError, Credentials, load_credentials
from schoon.discover.digest import Challenge, authorization, parse_challenges, verify
from schoon.discover.scope import Scope
from tests.discover.conftest import jsonl, run_cli, running
from tests.discover.estate import (
    CAP_OUTSIDE,
    CAP_PASSWORD,
    CAP_USER,
    CAP_WRONG_PASSWORD,
    DAHUA_CAPS,
    DAHUA_GLOBAL,
    DAHUA_PATHS,
    DAHUA_RULE,
    HIK_EVENT_CAPS,
    HIK_PATHS,
    HIK_SMART_CAPS,
    HIK_SYSTEM_CAPS,
    NET,
    Estate,
    capability_devices,
)

C = f"{NET}.3."
SCOPE = f"{NET}.3.0/24"
SCAN = f"{NET}.3.0/27"  # the main run's targets; the hikvision block of the credentials file
CAP_FAST = ("--rate", "4000", "--timeout", "1")
DAHUA_ENV = "SCHOON_TEST_DAHUA_PASSWORD"


def creds_text(extra: str = "") -> str:
    """The credentials file of the main run: a hikvision block, a wrong one for .13, a dahua one via env."""
    return (f'[[credential]]\ntarget = "{SCAN}"\nmaker = "hikvision"\nusername = "{CAP_USER}"\n'
            f'password = "{CAP_PASSWORD}"\n\n'
            f'[[credential]]\ntarget = "{C}13"\nmaker = "hikvision"\nusername = "{CAP_USER}"\n'
            f'password = "{CAP_WRONG_PASSWORD}"\n\n'
            f'[[credential]]\ntarget = "{C}12/32"\nmaker = "dahua"\nusername = "{CAP_USER}"\n'
            f'password_env = "{DAHUA_ENV}"\n' + extra)


def write_creds(path: Path, text: str, mode: int = 0o600) -> Path:
    """Write a credentials file with ``mode``."""
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.fixture(scope="module")
def cap_estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Estate]:
    """The capability estate on 127.51.3.x (and a tripwire on 127.51.4.1)."""
    yield from running(capability_devices(), tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def run(cap_estate: Estate, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One ``discover --capabilities`` scan of 127.51.3.0/27 (with the tripwire outside it)."""
    folder = tmp_path_factory.mktemp("caprun")
    creds = write_creds(folder / "creds.toml", creds_text())
    before = len(cap_estate.log.requests)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DAHUA_ENV, CAP_PASSWORD)
        code, out, err = run_cli("discover", SCAN, "--capabilities", "--credentials", str(creds),
                                 "--capabilities-dir", str(folder / "docs"), "--audit-log", str(folder / "log.jsonl"),
                                 "-o", str(folder / "scan.jsonl"), *CAP_FAST)
    assert code == 0, err
    cap_estate.settle()
    return {"folder": folder, "out": out, "err": err, "requests": list(cap_estate.log.requests[before:]),
            "log": jsonl((folder / "log.jsonl").read_text(encoding="utf-8")),
            "scan": {str(r["id"]): r for r in jsonl((folder / "scan.jsonl").read_text(encoding="utf-8"))}}


def requests_to(run: dict[str, object], address: str) -> list[bytes]:
    """The request heads the estate received at ``address``."""
    return [req for a, _, req in run["requests"] if a == address]  # type: ignore[attr-defined]


def authorised(requests: list[bytes]) -> list[bytes]:
    """The requests that carried an Authorization header."""
    return [r for r in requests if b"\r\nauthorization:" in r.lower()]


def capability_lines(run: dict[str, object], address: str) -> dict[str, str]:
    """document id → outcome from the audit log's capability lines for ``address``."""
    return {str(line["document"]): str(line["outcome"]) for line in run["log"]  # type: ignore[attr-defined]
            if line["type"] == "capability" and line["address"] == address}


def test_documents_are_fetched_and_listed_in_the_manifest(run: dict[str, object]) -> None:
    docs = Path(str(run["folder"])) / "docs"
    expected = {f"{C}10_hik-system-capabilities.xml": HIK_SYSTEM_CAPS,
                f"{C}10_hik-smart-capabilities.xml": HIK_SMART_CAPS,
                f"{C}10_hik-event-capabilities.xml": HIK_EVENT_CAPS,
                f"{C}12_dahua-video-analyse-caps.txt": DAHUA_CAPS,
                f"{C}12_dahua-video-analyse-global.txt": DAHUA_GLOBAL,
                f"{C}12_dahua-video-analyse-rule.txt": DAHUA_RULE,
                f"{C}14_hik-system-capabilities.xml": HIK_SYSTEM_CAPS}
    assert {p.name for p in docs.iterdir()} == {*expected, "manifest.csv"}
    for name, body in expected.items():
        assert (docs / name).read_bytes() == body
    with (docs / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == MANIFEST_COLUMNS
    by_file = {row[0]: dict(zip(MANIFEST_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_file) == set(expected)
    hik = by_file[f"{C}10_hik-smart-capabilities.xml"]
    assert hik["document"] == "hik-smart-capabilities" and hik["ip"] == f"{C}10" and hik["asset_id"] == ""
    assert hik["serial"] == "DS-2CD2043G2-I20220312CCWRJ000001/../../../x" and hik["mac"] == "c4:2f:90:00:03:0a"
    dahua = by_file[f"{C}12_dahua-video-analyse-rule.txt"]
    assert dahua["document"] == "dahua-video-analyse-rule" and dahua["serial"] == "5B0000AAPAG0001"
    assert {row["document"] for row in by_file.values()} <= {d.id for d in DOCUMENTS}
    assert run["scan"][f"{C}10"]["capability_documents"] == (  # type: ignore[index]
        "hik-system-capabilities,hik-smart-capabilities,hik-event-capabilities")


def test_file_names_never_come_from_the_device(run: dict[str, object]) -> None:
    """The device sends Content-Disposition ../../../escaped.xml and a serial with ../: both are ignored."""
    root = Path(str(run["folder"]))
    assert not list(root.parent.rglob("escaped.xml"))
    assert not list(root.rglob("x")) and not (root / "x").exists()
    assert all(p.parent == root / "docs" for p in (root / "docs").rglob("*"))


def test_exactly_the_documented_requests_are_sent(run: dict[str, object]) -> None:
    """Each document: one unauthenticated GET for the challenge, one authenticated GET; nothing else."""
    for address, paths in ((f"{C}10", HIK_PATHS), (f"{C}12", DAHUA_PATHS)):
        got = [r for r in requests_to(run, address)
               if r.startswith(b"GET ") and not r.startswith((b"GET / ", b"GET /doc/", b"GET /favicon"))]
        lines = [r.split(b"\r\n", 1)[0].decode() for r in got]
        assert lines == [f"GET {p} HTTP/1.0" for p in paths for _ in (0, 1)], lines
        assert len(authorised(got)) == 3
        assert not [r for r in requests_to(run, address) if r[:5] in (b"POST ", b"PUT /", b"DELET")]


def test_wrong_credentials_are_tried_once_and_then_nothing_more(run: dict[str, object]) -> None:
    got = requests_to(run, f"{C}13")
    isapi = [r for r in got if r.startswith(b"GET /ISAPI/")]
    assert len(isapi) == 2 and len(authorised(isapi)) == 1  # challenge + one attempt, then stop
    assert isapi[0].startswith(b"GET /ISAPI/System/capabilities ")
    assert capability_lines(run, f"{C}13") == {
        "hik-system-capabilities": "auth-failed", "hik-smart-capabilities": "not-tried-after-auth-failure",
        "hik-event-capabilities": "not-tried-after-auth-failure"}


def test_devices_of_another_maker_or_none_get_no_credential(run: dict[str, object]) -> None:
    """.15 is Dahua under a Hikvision-only block; .16 is a Linux server; neither sees a capability request."""
    for address in (f"{C}15", f"{C}16"):
        got = requests_to(run, address)
        assert got, address  # it was scanned
        assert not authorised(got)
        assert not [r for r in got if b"/ISAPI/" in r or b"/cgi-bin/" in r]
        assert capability_lines(run, address) == {}


def test_timeouts_and_oversized_documents_are_dropped(run: dict[str, object]) -> None:
    assert capability_lines(run, f"{C}14") == {"hik-system-capabilities": "fetched",
                                               "hik-smart-capabilities": "timeout",
                                               "hik-event-capabilities": "oversized"}
    assert run["scan"][f"{C}14"]["capability_problems"] == "oversized,timeout"  # type: ignore[index]


def test_basic_only_devices_get_no_password(run: dict[str, object]) -> None:
    got = requests_to(run, f"{C}17")
    assert not authorised(got)
    assert set(capability_lines(run, f"{C}17").values()) == {"no-digest"}


def test_the_tripwire_outside_the_scope_is_never_contacted(run: dict[str, object], cap_estate: Estate) -> None:
    assert cap_estate.log.contacts_to(CAP_OUTSIDE) == 0


def test_no_password_appears_anywhere(run: dict[str, object]) -> None:
    root = Path(str(run["folder"]))
    texts = [str(run["out"]), str(run["err"])]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*")
              if p.is_file() and p.name != "creds.toml"]
    sent = b"".join(req for _, _, req in run["requests"])  # type: ignore[attr-defined]
    for secret in (CAP_PASSWORD, CAP_WRONG_PASSWORD):
        assert all(secret not in text for text in texts)
        assert secret.encode() not in sent  # digest: the password itself never travels


def test_the_audit_log_names_every_document_request(run: dict[str, object]) -> None:
    log = run["log"]
    assert isinstance(log, list)
    header = log[0]
    assert header["options"]["capabilities"] is True and header["options"]["credentials_file"].endswith("creds.toml")
    probes = [line for line in log if line["type"] == "probe" and line["probe"] == "capabilities"]
    sent = {line["sent"] for line in probes}
    assert "GET /ISAPI/System/capabilities HTTP/1.0" in sent
    assert f"GET {DAHUA_PATHS[2]} HTTP/1.0" in sent
    fetched = [line for line in log if line["type"] == "capability" and line["outcome"] == "fetched"]
    assert len(fetched) == 7 and all(line["file"] and line["bytes"] > 0 for line in fetched)


def test_off_by_default(cap_estate: Estate, tmp_path: Path) -> None:
    before = len(cap_estate.log.requests)
    code, _out, err = run_cli("discover", f"{C}10", "--no-audit-log", *CAP_FAST)
    assert code == 0, err
    cap_estate.settle()
    assert not [r for _, _, r in cap_estate.log.requests[before:] if b"/ISAPI/" in r or b"uthorization" in r]


def test_credential_outside_the_scope_is_refused_before_any_connection(cap_estate: Estate, tmp_path: Path) -> None:
    creds = write_creds(tmp_path / "creds.toml", creds_text(
        f'\n[[credential]]\ntarget = "{CAP_OUTSIDE}"\nmaker = "hikvision"\nusername = "u"\npassword = "{CAP_PASSWORD}"\n'))
    before = len(cap_estate.log.contacts)
    code, out, err = run_cli("discover", f"{C}10", "--capabilities", "--credentials", str(creds),
                             "--capabilities-dir", str(tmp_path / "docs"), "--audit-log", str(tmp_path / "log"),
                             *CAP_FAST)
    cap_estate.settle(quiet=0.2, limit=1)
    assert code == 2 and "outside the scope" in err and CAP_PASSWORD not in out + err
    assert len(cap_estate.log.contacts) == before
    assert not (tmp_path / "log").exists() and not (tmp_path / "docs").exists()


def test_a_used_output_folder_is_refused_before_any_connection(cap_estate: Estate, tmp_path: Path) -> None:
    creds = write_creds(tmp_path / "creds.toml", creds_text())
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "manifest.csv").write_text("file,document,serial,mac,ip,asset_id\n", encoding="utf-8")
    before = len(cap_estate.log.contacts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DAHUA_ENV, CAP_PASSWORD)
        code, _out, err = run_cli("discover", SCAN, "--capabilities", "--credentials", str(creds),
                                  "--capabilities-dir", str(tmp_path / "docs"), "--no-audit-log", *CAP_FAST)
    cap_estate.settle(quiet=0.2, limit=1)
    assert code == 2 and "already exists" in err and len(cap_estate.log.contacts) == before
    assert (tmp_path / "docs" / "manifest.csv").read_text(encoding="utf-8") == "file,document,serial,mac,ip,asset_id\n"
    assert run_cli("discover", SCAN, "--credentials", str(creds))[0] == 2  # --credentials without --capabilities
    assert run_cli("discover", SCAN, "--capabilities")[0] == 2  # --capabilities without --credentials


# ---- the credentials file ---------------------------------------------------------------------------------------

def scope() -> Scope:
    """127.51.3.0/24 minus .200."""
    return Scope.build([SCOPE], [f"{C}200"])


def test_world_readable_credentials_are_refused(tmp_path: Path) -> None:
    path = write_creds(tmp_path / "c.toml", creds_text(), 0o644)
    with pytest.raises(CredentialError, match="readable or writable by others"):
        load_credentials(path, scope(), {DAHUA_ENV: "x"})


@pytest.mark.parametrize(("target", "words"), [(CAP_OUTSIDE, "outside the scope"),
                                               (f"{NET}.3.192/28", "outside the scope"),  # holds the excluded .200
                                               ("127.51.3.0/23", "outside the scope"),
                                               ("not-an-address", "not an IPv4 address")])
def test_targets_outside_the_scope_or_malformed_are_refused(tmp_path: Path, target: str, words: str) -> None:
    path = write_creds(tmp_path / "c.toml", f'[[credential]]\ntarget = "{target}"\nmaker = "dahua"\n'
                                            f'username = "u"\npassword = "{CAP_PASSWORD}"\n')
    with pytest.raises(CredentialError, match=words) as info:
        load_credentials(path, scope())
    assert CAP_PASSWORD not in str(info.value)


@pytest.mark.parametrize(("text", "words"), [
    (f'[[credential]]\ntarget = "{C}1"\nmaker = "axis"\nusername = "u"\npassword = "{CAP_PASSWORD}"\n', "'maker'"),
    (f'[[credential]]\ntarget = "{C}1"\nmaker = "dahua"\nusername = "u"\n', "exactly one of"),
    (f'[[credential]]\ntarget = "{C}1"\nmaker = "dahua"\nusername = "u"\npassword_env = "NOPE_UNSET"\n', "not set"),
    (f'[[credential]]\ntarget = "{C}1"\nmaker = "dahua"\nusername = "u"\npasswd = "{CAP_PASSWORD}"\n', "unknown key"),
    (f'[[credential]]\ntarget = "{C}1"\npassword = "{CAP_PASSWORD}\n', "not valid TOML"),
    (f'[[credential]]\ntarget = "{C}1"\nmaker = "dahua"\nusername = "u"\npassword = "{CAP_PASSWORD}\\r\\n"\n',
     "control characters"),
])
def test_malformed_files_are_one_error_without_the_password(tmp_path: Path, text: str, words: str) -> None:
    path = write_creds(tmp_path / "c.toml", text)
    with pytest.raises(CredentialError, match=words) as info:
        load_credentials(path, scope(), {})
    assert CAP_PASSWORD not in str(info.value) and str(path) in str(info.value)


def test_the_most_specific_credential_of_the_maker_wins(tmp_path: Path) -> None:
    entries = Credentials(tuple(load_credentials(write_creds(tmp_path / "c.toml", creds_text()), scope(),
                                                 {DAHUA_ENV: "from-env"})))
    assert entries.for_device(f"{C}13", "hikvision").password == CAP_WRONG_PASSWORD  # type: ignore[union-attr]
    assert entries.for_device(f"{C}10", "hikvision").password == CAP_PASSWORD  # type: ignore[union-attr]
    assert entries.for_device(f"{C}12", "dahua").password == "from-env"  # type: ignore[union-attr]
    assert entries.for_device(f"{C}15", "dahua") is None
    assert entries.for_device(CAP_OUTSIDE, "hikvision") is None
    assert all(CAP_PASSWORD not in text for c in entries.entries for text in (repr(c), str(c)))


# ---- digest ------------------------------------------------------------------------------------------------------

def test_digest_matches_the_rfc_examples() -> None:
    rfc2617 = Challenge("testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "MD5",
                        "5ccc069c403ebaf9f0171e9517f40e41")
    header = authorization(rfc2617, "GET", "/dir/index.html", "Mufasa", "Circle Of Life", cnonce="0a4f113b")
    assert 'response="6629fae49393a05397450978507c4ef1"' in header
    rfc7616 = Challenge("http-auth@example.org", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "auth", "SHA-256",
                        "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")
    header = authorization(rfc7616, "GET", "/dir/index.html", "Mufasa", "Circle of Life",
                           cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
    assert 'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"' in header
    assert verify(header, "GET", "Circle of Life", "Mufasa") and not verify(header, "GET", "circle of life", "Mufasa")


def test_challenges_basic_auth_int_and_hostile_values() -> None:
    assert parse_challenges(['Basic realm="x"']) is None
    assert parse_challenges(['Digest realm="x", nonce="n", qop="auth-int"']) is None
    assert parse_challenges(['Digest realm="x", nonce="n", algorithm=SHA-512-256']) is None
    got = parse_challenges(['Basic realm="b"', 'Digest realm="a, \\"b\\"", nonce="n1", qop="auth,auth-int"'])
    assert got == Challenge('a, "b"', "n1", "auth", "MD5", None)
    header = authorization(Challenge("r\r\nX-Evil: 1", "n"), "GET", "/", "u", "p")
    assert "\r" not in header and "\n" not in header



# ---- reading a document reply -------------------------------------------------------------------------------------

def test_replies_chunked_declared_too_large_truncated_and_malformed() -> None:
    from schoon.discover.capabilities import _parse

    chunked = _parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<a/>\n\r\n3\r\nxyz\r\n0\r\n\r\n", True, 100)
    assert chunked is not None and chunked.complete and chunked.body == b"<a/>\nxyz" and not chunked.oversized
    declared = _parse(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n<a>", False, 100)
    assert declared is not None and declared.oversized  # refused on the header, before the body arrives
    cut = _parse(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n<a>", True, 100)
    assert cut is not None and not cut.complete and not cut.oversized
    broken_chunks = _parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", True, 100)
    assert broken_chunks is not None and not broken_chunks.complete
    assert _parse(b"SSH-2.0-OpenSSH\r\n\r\n", True, 100) is None
    assert _parse(b"HTTP/1.1 200 OK\r\nServer: x", False, 100) is None  # no end of the head


def test_the_capability_audit_reads_the_folder_as_collected(run: dict[str, object]) -> None:
    """The contract with ``schoon.capabilities``: the folder is its input as it is, linked by the manifest."""
    from schoon.capabilities import classify_files
    from schoon.capabilities.documents import read_documents

    docs = Path(str(run["folder"])) / "docs"
    found = {Path(r.document).name: (r.document_kind, set(r.capabilities)) for r in classify_files([docs])}
    assert found[f"{C}10_hik-system-capabilities.xml"] == ("hik-system-capabilities",
                                                          {"face-detection", "face-recognition", "crowd-counting"})
    assert found[f"{C}10_hik-smart-capabilities.xml"] == ("hik-smart-capabilities", {"face-detection"})
    assert found[f"{C}12_dahua-video-analyse-rule.txt"][0] == "dahua-video-analyse-rule"
    assert "face-recognition" in found[f"{C}12_dahua-video-analyse-rule.txt"][1]
    linked = {Path(d.document.name).name: d for d in read_documents([docs])}
    assert all(d.link_source == "manifest" for d in linked.values())
    assert linked[f"{C}12_dahua-video-analyse-caps.txt"].links["serial"] == "5B0000AAPAG0001"
    assert linked[f"{C}10_hik-event-capabilities.xml"].links["ip"] == f"{C}10"
