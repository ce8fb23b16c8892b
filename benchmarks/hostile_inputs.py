"""A hostile-input campaign against the CLI: generate a few hundred hostile files, run each through the command
that reads it, and count tracebacks, hangs and wrong answers.

Each case is run in a forked child (the registry is loaded once, in the parent) through ``schoon.cli.main``
with a timeout; the child reports its exit code and both streams. A case is

* a **traceback** when anything but ``SystemExit`` escapes ``main`` (or the word "Traceback" reaches stderr);
* a **hang** when it has not finished within the timeout (default 60 s) and is killed;
* a **wrong answer** when its own expectation fails: a file that must be refused must exit 2 with one
  ``schoon: error:`` line naming the file; a file whose good rows must all be read must give exactly that
  many output records and account for every row on stderr.

Prints one JSON line with the figures (and the failing cases). Nothing is asserted.

    .venv/bin/python benchmarks/hostile_inputs.py              # about 300 files
    .venv/bin/python benchmarks/hostile_inputs.py --timeout 20 --keep /tmp/hostile
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout, suppress
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

Check = Callable[[int, str, str], str | None]


@dataclass
class Case:
    """One hostile input: a name, the argv (files inside the work folder), and what a right answer is."""

    name: str
    argv: list[str]
    check: Check
    category: str


def refused(path: Path | str) -> Check:
    """The right answer is exit 2 with one ``schoon: error:`` line naming the file."""

    def check(code: int, out: str, err: str) -> str | None:
        lines = [line for line in err.splitlines() if line.startswith("schoon: error:")]
        if code != 2 or len(lines) != 1:
            return f"expected one error line and exit 2, got exit {code}: {err[-300:]!r}"
        if str(path) not in lines[0]:
            return f"the error does not name the file: {lines[0][:200]!r}"
        return None

    return check


def records(n: int, rows: int | None = None) -> Check:
    """The right answer is exit 0 (or 1), ``n`` JSON-lines records, and (for ``rows``) a summary with every row."""

    def check(code: int, out: str, err: str) -> str | None:
        got = [line for line in out.splitlines() if line.strip()]
        if code not in (0, 1):
            return f"exit {code}: {err[-300:]!r}"
        if len(got) != n:
            return f"expected {n} records, got {len(got)}; {err[-300:]!r}"
        if rows is not None and f"read {rows:,} row(s)" not in err:
            return f"the summary does not account for {rows} rows: {err[-300:]!r}"
        return None

    return check


def refused_or_records(path: Path | str, n: int) -> Check:
    """Either a clean refusal naming the file, or exactly ``n`` records (for inputs where both are honest)."""
    first, second = refused(path), records(n)

    def check(code: int, out: str, err: str) -> str | None:
        if code == 2:
            return first(code, out, err)
        return second(code, out, err)

    return check


def exits_cleanly(code: int, out: str, err: str) -> str | None:
    """Any exit code schoon uses (0, 1, 2), no traceback."""
    return None if code in (0, 1, 2) else f"exit {code}"


def identify(path: Path | str, *extra: str) -> list[str]:
    return ["identify", str(path), "--format", "jsonl", *extra]


# -- generators ------------------------------------------------------------------------------------------

GOOD_ROWS = [("CAM-1", "Hikvision", "DS-2CD2143G2-I", "44:19:b6:00:00:01", "10.0.0.1"),
             ("CAM-2", "Axis", "M3045-V", "00:40:8c:00:00:02", "10.0.0.2"),
             ("CAM-3", "Dhaua", "IPC-HFW2431S", "3c:ef:8c:00:00:03", "10.0.0.3")]
HEADER = ("Inventarisnummer", "Merk", "Typenummer", "MAC-adres", "IP-adres")
BAD_CELLS = ["n.v.t.", "onbekend", "-", "?", "DHCP", "zz:zz", "192.168.1.300", "=1+1", "[/bold]", "\x1b[31m",
             "8²", "٨٠", "99999", "\u202e", "海康威视", "x" * 5000, "\"quoted\"", "a;b,c|d\te"]


def csv_cases(root: Path, rng: random.Random) -> list[Case]:
    cases: list[Case] = []

    def add(name: str, data: bytes, check: Check | None = None, *extra: str) -> None:
        path = root / f"{name}.csv"
        path.write_bytes(data)
        cases.append(Case(name, identify(path, *extra), check or records(3, 3), "csv"))

    def table(sep: str = ";", end: str = "\n", title: list[str] | None = None, cells: list[str] | None = None) -> str:
        lines = [*(title or []), sep.join(HEADER)]
        for i, row in enumerate(GOOD_ROWS):
            values = list(row)
            if cells:
                values[3 + i % 2] = cells[i % len(cells)]
            lines.append(sep.join(f'"{v}"' if any(c in v for c in (sep, '"', "\n", "\r")) and '"' not in v
                                  else v.replace('"', "'") if '"' in v else v for v in values))
        return end.join(lines) + end

    for sep in (";", ",", "\t", "|"):
        for end in ("\n", "\r\n", "\r"):
            add(f"plain-{ord(sep)}-{len(end)}{end == chr(13)}", table(sep, end).encode())
    for n, cell in enumerate(BAD_CELLS):
        add(f"badcell-{n}", table(cells=[cell]).encode())
    for n, title in enumerate([["Cameraregister 2026"], ["Titel;;;;", ";;;;", ""], ["", "", "Overzicht", ""]]):
        add(f"title-{n}", table(title=title).encode())
    for enc in ("utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1", "utf-32"):
        add(f"enc-{enc}", table(cells=["Café"]).encode(enc, "replace"))
    add("enc-option", table(cells=["Café"]).encode("cp1252"), records(3, 3), "--encoding", "cp1252")
    add("header-row-option", ("x\ny\n" + table()).encode(), records(3, 3), "--header-row", "3")
    add("delimiter-option", table(",").encode(), records(3, 3), "--delimiter", ",")
    wide = ";".join(["x"] * 30_000)
    add("wide-30000", (";".join(HEADER) + ";" + wide + "\n" + "\n".join(";".join(r) for r in GOOD_ROWS) + "\n")
        .encode())
    big = "y" * 200_000
    add("field-limit", (table() + f'CAM-9;Axis;"{big}\nstill in the cell";00:40:8c:00:00:09;10.0.0.9\n'
                        "CAM-10;Axis;P;00:40:8c:00:00:10;10.0.0.10\n").encode(), records(4, 5))
    add("unclosed-quote", (table() + 'CAM-9;"Axis;P\n').encode(), records(3, 4))
    add("mixed-delimiters", (";".join(HEADER) + "\n" + "\n".join(",".join(r) for r in GOOD_ROWS)).encode(),
        refused(root / "mixed-delimiters.csv"))
    add("cr-only-big", ("Merk,Type\r" + "".join(f"Axis,P{i}\r" for i in range(60_000))).encode(), records(60_000))
    add("long-line", (table() + "CAM-9;" + "z" * (40 * 1024 * 1024) + "\n").encode(), records(3, 4))
    add("nul-bytes", table().encode().replace(b"Axis", b"Ax\x00is"), refused_or_records(root / "nul-bytes.csv", 3))
    add("only-header", ";".join(HEADER).encode() + b"\n", records(0, 0))
    add("empty", b"", refused(root / "empty.csv"))
    add("whitespace", b"  \n\n\t\n", refused(root / "whitespace.csv"))
    add("binary", bytes(rng.randrange(256) for _ in range(5000)), refused(root / "binary.csv"))
    add("too-many-cells", (table() + "A;B;C;D;E;F;G\n").encode(), records(3, 4))
    add("sep-hint", ("sep=|\n" + table("|")).encode())
    add("procurement", b"Leverancier;Omschrijving;Bedrag\nHikvision Europe BV;camera;10\nAxis AB;camera;5\n",
        records(2, 2))
    for n in range(50):  # random mutations of a good file: any clean outcome, no traceback, no hang
        data = bytearray(table(cells=BAD_CELLS).encode())
        for _ in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = root / f"mutated-{n}.csv"
        path.write_bytes(bytes(data))
        cases.append(Case(f"mutated-{n}", identify(path), exits_cleanly, "csv"))
    return cases


def _workbook(rows: list[list[object]], title: str = "Sheet") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rezip(data: bytes, member: str, edit: Callable[[bytes], bytes], add: dict[str, bytes] | None = None) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as old:
        items = [(i.filename, old.read(i.filename)) for i in old.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for name, body in items:
            new.writestr(name, edit(body) if name == member else body)
        for name, body in (add or {}).items():
            new.writestr(name, body)
    return out.getvalue()


def xlsx_cases(root: Path, rng: random.Random) -> list[Case]:
    cases: list[Case] = []
    good = _workbook([list(HEADER), *[list(r) for r in GOOD_ROWS]])
    sheet = "xl/worksheets/sheet1.xml"

    def add(name: str, data: bytes, check: Check | None = None, *extra: str) -> None:
        path = root / f"{name}.xlsx"
        path.write_bytes(data)
        cases.append(Case(name, identify(path, *extra), check or refused(path), "xlsx"))

    add("good", good, records(3, 3))
    add("title-row", _workbook([["Cameraregister"], [], list(HEADER), *[list(r) for r in GOOD_ROWS]]), records(3, 3))
    add("bad-cells", _workbook([list(HEADER), *[[*r[:3], BAD_CELLS[i], BAD_CELLS[-i]] for i, r in
                                                 enumerate(GOOD_ROWS)]]), records(3, 3))
    add("typed-cells", _workbook([list(HEADER), [1001, True, 3.5, None, 12], [1e300, -0.0, 2**62, "x", 0]]),
        records(2, 2))
    add("missing-sheet", good, refused(root / "missing-sheet.xlsx"), "--sheet", "Nope")
    add("sheet-by-number", good, records(3, 3), "--sheet", "1")
    add("row-beyond-excel", _rezip(good, sheet, lambda d: d.replace(b'<row r="4"', b'<row r="2000000000"')
                                   .replace(b'r="A4"', b'r="A2000000000"')))
    add("column-beyond-excel", _rezip(good, sheet, lambda d: d.replace(b'r="A2"', b'r="XFE2"')))
    add("bad-reference", _rezip(good, sheet, lambda d: d.replace(b'r="A2"', b'r="AAAAAA2"')))
    add("bad-number", _rezip(good, sheet, lambda d: d.replace(b'<c r="A2" t="inlineStr"><is><t>CAM-1</t></is></c>',
                                                             b'<c r="A2" t="n"><v>twelve</v></c>')))
    add("bad-shared-index", _rezip(good, sheet, lambda d: d.replace(
        b'<c r="A2" t="inlineStr"><is><t>CAM-1</t></is></c>', b'<c r="A2" t="s"><v>99</v></c>')))
    add("bad-date", _rezip(good, sheet, lambda d: d.replace(
        b'<c r="A2" t="inlineStr"><is><t>CAM-1</t></is></c>', b'<c r="A2" t="d"><v>2026-02-30</v></c>')))
    add("surrogate-ref", _rezip(good, sheet, lambda d: d.replace(b"CAM-1", b"CAM&#xD800;1")))
    add("deep-xml", _rezip(good, sheet, lambda d: d.replace(b"<sheetData>", b"<sheetData>" + b"<x>" * 100_000)))
    add("entity", _rezip(good, sheet, lambda d: b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + d.split(b"?>", 1)[-1]))
    add("zip-bomb", _rezip(good, sheet, lambda d: d, {"xl/sharedStrings.xml": b" " * (64 * 1024 * 1024)}))
    add("many-parts", _rezip(good, sheet, lambda d: d, {f"junk/{i}": b"" for i in range(10_050)}))
    add("truncated", good[: len(good) // 2])
    add("not-a-zip", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(2000)))
    add("empty-zip", _empty_zip())
    add("no-rows", _workbook([]))
    for n in range(50):
        data = bytearray(good)
        for _ in range(rng.randrange(1, 12)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = root / f"flipped-{n}.xlsx"
        path.write_bytes(bytes(data))
        cases.append(Case(f"xlsx-flipped-{n}", identify(path), refused_or_records(path, 3), "xlsx"))
    return cases


def _empty_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w"):
        pass
    return out.getvalue()


def jsonl_cases(root: Path, rng: random.Random) -> list[Case]:
    cases: list[Case] = []
    good = [json.dumps({"id": r[0], "declared_vendor": r[1], "model": r[2], "mac": r[3], "ip": r[4]})
            for r in GOOD_ROWS]

    def add(name: str, lines: list[str] | bytes, check: Check) -> None:
        path = root / f"{name}.jsonl"
        path.write_bytes(lines if isinstance(lines, bytes) else "\n".join(lines).encode("utf-8", "surrogatepass"))
        cases.append(Case(name, identify(path), check, "jsonl"))

    add("good", good, records(3, 3))
    hostile = ['{"id": 1' + "0" * 5000 + "}", "[" * 100_000 + "]" * 100_000, '{"id": "a", "model": "\\ud800"}',
               '{"mac": "zz", "ip": "x"}', '{"ports": ["٨٠", "8²", 70000, -1, 1.5, null, [1]]}', "[1, 2]", "null",
               '{"favicon_mmh3": "0x' + "f" * 5000 + '"}', '{"snmp_sysobjectid": "' + "1." * 5000 + '1"}',
               '{"a": ' + "[" * 5000 + "]" * 5000 + "}", '{"id": "\\u0000\\u001b[31m"}',
               "{" + '"k":1,' * 50_000 + '"z":2}']
    for n, line in enumerate(hostile):
        add(f"hostile-{n}", [*good, line], records(3 if n in (0, 1, 2, 5, 6, 9) else 4, 4))
    for n in range(25):
        data = bytearray("\n".join(good).encode())
        for _ in range(rng.randrange(1, 10)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        add(f"jsonl-flipped-{n}", bytes(data), exits_cleanly)
    return cases


NMAP = ('<?xml version="1.0" encoding="{enc}"?>\n<nmaprun scanner="nmap">\n'
        '<host><status state="up"/><address addr="192.0.2.1" addrtype="ipv4"/>'
        '<ports><port protocol="tcp" portid="80"><state state="open"/><service name="http" product="{product}"/>'
        '</port></ports></host>\n{tail}</nmaprun>\n')


def nmap_cases(root: Path, rng: random.Random) -> list[Case]:
    cases: list[Case] = []

    def add(name: str, data: bytes, check: Check | None = None) -> None:
        path = root / f"{name}.xml"
        path.write_bytes(data)
        cases.append(Case(name, identify(path), check or refused(path), "nmap"))

    add("good", NMAP.format(enc="UTF-8", product="Hikvision-Webs", tail="").encode(), records(1))
    add("utf-7", NMAP.format(enc="UTF-7", product="x", tail="").encode())
    add("unknown-encoding", NMAP.format(enc="x-klingon", product="x", tail="").encode())
    add("deep", NMAP.format(enc="UTF-8", product="x", tail="<host>" + "<a>" * 200_000).encode(),
        refused_or_records(root / "deep.xml", 1))
    add("entity", b'<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY a "b">]><nmaprun>&a;</nmaprun>')
    add("external", b'<?xml version="1.0"?><!DOCTYPE nmaprun SYSTEM "http://127.0.0.1:1/x"><nmaprun/>')
    add("truncated", NMAP.format(enc="UTF-8", product="x", tail="").encode()[:150],
        refused_or_records(root / "truncated.xml", 0))
    add("not-nmap", b'<?xml version="1.0"?><svg></svg>')
    add("surrogate-ref", NMAP.format(enc="UTF-8", product="&#xD800;", tail="").encode(), records(0))
    for n in range(20):
        data = bytearray(NMAP.format(enc="UTF-8", product="Dahua Rtsp Server", tail="").encode())
        for _ in range(rng.randrange(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        add(f"nmap-flipped-{n}", bytes(data), exits_cleanly)
    return cases


POLICY = "id: mine\ntitle: Mine\ndescription: test\n"


def loader_cases(root: Path, register: Path) -> list[Case]:
    cases: list[Case] = []
    policies = {"impossible-date": POLICY + "deadline: 2026-02-30\n", "deep": "[" * 5000 + "]" * 5000,
                "nul": POLICY + "\x00", "not-a-mapping": "- a\n- b\n", "alias-bomb": "a: &a [x, x]\nb: &b [*a, *a]\n"
                "c: &c [*b, *b]\nd: &d [*c, *c]\ne: [*d, *d]\n", "bad-utf8": None, "huge": POLICY + "#" * 2_000_000}
    for name, text in policies.items():
        path = root / f"policy-{name}.yaml"
        path.write_bytes(b"id: \xff\xfe\n" if text is None else text.encode())
        cases.append(Case(f"policy-{name}", identify(register, "--policy", str(path)), refused(path), "policy"))
    cases.append(Case("policy-dev-zero", identify(register, "--policy", "/dev/zero"), refused("/dev/zero"),
                      "policy"))
    decisions = {"impossible-date": ("d.yaml", "- {name: X, decision: is, entity_id: hikvision, by: me, "
                                     "date: 2026-02-30}\n"),
                 "deep": ("d2.yaml", "[" * 5000 + "]" * 5000), "field-limit": ("d3.csv", 'name,decision\n"'
                                                                                + "x" * 200_000 + '",is\n'),
                 "bad-utf8": ("d4.csv", None)}
    for name, (file, text) in decisions.items():
        path = root / f"decisions-{file}"
        path.write_bytes(b"name\xff\n" if text is None else text.encode())
        cases.append(Case(f"decisions-{name}", ["screen", "--name", "Hikvision", "--decisions", str(path)],
                          refused(path), "decisions"))
    cases.append(Case("decisions-dev-zero", ["screen", "--name", "Hikvision", "--decisions", "/dev/zero"],
                      refused("/dev/zero"), "decisions"))
    ftm = {"wrong-types": '{"id": "a", "schema": "Company", "properties": {"name": [{"x": 1}]}}\n',
           "not-utf8": None, "surrogate": '{"id": "a", "schema": "Company", "properties": {"name": ["\\ud800"]}}\n',
           "deep": '{"id": "a", "schema": "Company", "properties": {"name": ["A"]}, "schoon": '
                   + "[" * 100_000 + "]" * 100_000 + "}\n",
           "long-name": '{"id": "a", "schema": "Company", "properties": {"name": ["' + "N" * 60_000 + '"]}}\n',
           "digits": '{"id": "a", "schema": "Company", "properties": {"name": ["A"]}, "x": 1' + "0" * 5000 + "}\n",
           "owner-types": '{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}\n'
                          '{"id": "o", "schema": "Ownership", "properties": {"owner": [["x"]], "asset": ["a"]}}\n'}
    for name, text in ftm.items():
        path = root / f"layer-{name}.ftm.json"
        path.write_bytes(b'{"id": "\xff"}\n' if text is None else text.encode())
        cases.append(Case(f"ftm-{name}", ["registry", "import-ftm", str(path)], refused(path), "ftm"))
    moves = {"field-limit": 'device,state\n"' + "1" * 200_000 + '",replaced\n', "bad-utf8": None,
             "dev-zero": "/dev/zero"}
    for name, text in moves.items():
        path = Path("/dev/zero") if text == "/dev/zero" else root / f"moves-{name}.csv"
        if text != "/dev/zero":
            path.write_bytes(b"device\xff\n" if text is None else text.encode())
        cases.append(Case(f"moves-{name}", ["audit", "mark", "--file", str(path), "--db",
                                            f"sqlite:///{root / 'store.db'}"], refused(path), "moves"))
    return cases


def special_cases(root: Path, register: Path) -> list[Case]:
    """Non-regular inputs: /dev/zero, a FIFO, process substitution, a directory; and the CLI's own options."""
    cases = [Case("dev-zero", identify("/dev/zero"), refused("/dev/zero"), "special"),
             Case("directory", identify(root), refused(root), "special"),
             Case("missing", identify(root / "missing.csv"), refused(root / "missing.csv"), "special")]
    big = root / "big-register.csv"
    big.write_text(";".join(HEADER) + "\n" + "".join(f"CAM-{i};Axis;P1;00:40:8c:{i % 256:02x}:00:01;10.0.0.1\n"
                                                     for i in range(5000)))
    fifo = root / "register.fifo"
    os.mkfifo(fifo)
    cases.append(Case("fifo", identify(fifo), records(5000, 5000), "special"))
    cases.append(Case("process-substitution", ["@bash", f"schoon identify --format jsonl <(cat {big})"],
                      records(5000, 5000), "special"))
    cases.append(Case("stdin-pipe", ["@bash", f"cat {big} | schoon identify --format jsonl -"],
                      records(5000, 5000), "special"))
    for argv in (["--header-row", "0"], ["--header-row", "x"], ["--delimiter", "ab"], ["--encoding", "rot13"],
                 ["--encoding", "nope"], ["--input-format", "nope"], ["--sheet", "\x00"], ["--map", "="],
                 ["--map", "Merk=nope"], ["--map", "Nope=mac"], ["--header-row", "99999999999999999999"]):
        cases.append(Case(f"option {' '.join(argv)}", identify(register, *argv), exits_cleanly, "options"))
    return cases


# -- running ---------------------------------------------------------------------------------------------

def _child(argv: list[str], fifo_source: str | None, conn: object) -> None:
    from schoon.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    crashed = None
    if fifo_source is not None:  # feed the FIFO from a helper process, as a shell would
        subprocess.Popen(["sh", "-c", f'cat "{fifo_source}" > "{argv[1]}"'])
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            crashed = traceback.format_exc()
    conn.send((code, out.getvalue(), err.getvalue(), crashed))  # type: ignore[attr-defined]


def run_case(case: Case, timeout: float, root: Path) -> tuple[str, str | None, float]:
    """('ok' | 'traceback' | 'hang' | 'wrong', detail, seconds)."""
    start = time.perf_counter()
    if case.argv and case.argv[0] == "@bash":
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
        try:
            proc = subprocess.run(["bash", "-c", case.argv[1]], capture_output=True, text=True, timeout=timeout,
                                  env=env)
        except subprocess.TimeoutExpired:
            return "hang", None, time.perf_counter() - start
        code, out, err, crashed = proc.returncode, proc.stdout, proc.stderr, None
    else:
        ctx = multiprocessing.get_context("fork")
        parent, child = ctx.Pipe(duplex=False)
        fifo = str(root / "big-register.csv") if case.name == "fifo" else None
        proc_ = ctx.Process(target=_child, args=(case.argv, fifo, child))
        proc_.start()
        if not parent.poll(timeout):
            proc_.kill()
            proc_.join()
            return "hang", None, time.perf_counter() - start
        code, out, err, crashed = parent.recv()
        proc_.join(5)
    seconds = time.perf_counter() - start
    if crashed or "Traceback" in err:
        return "traceback", (crashed or err)[-800:], seconds
    problem = case.check(code, out, err)
    return ("wrong", problem, seconds) if problem else ("ok", None, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per case (default 60)")
    parser.add_argument("--keep", type=Path, help="write the hostile files here and keep them")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--only", help="run only cases whose category or name contains this")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="schoon-hostile-"))
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    register = root / "register.csv"
    register.write_text(";".join(HEADER) + "\n" + "\n".join(";".join(r) for r in GOOD_ROWS) + "\n")
    os.environ.setdefault("SCHOON_DATA_DIR", str(root / "data"))
    from schoon.registry import default_registry

    default_registry()  # loaded once, shared by the forked children
    import schoon.cli

    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()), suppress(SystemExit):
        schoon.cli.main(identify(register))  # warm every cache before forking
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()), suppress(SystemExit):
        schoon.cli.main(["audit", "init", "--db", f"sqlite:///{root / 'store.db'}"])  # the moves cases need a store
    cases = [*csv_cases(root, rng), *xlsx_cases(root, rng), *jsonl_cases(root, rng), *nmap_cases(root, rng),
             *loader_cases(root, register), *special_cases(root, register)]
    if args.only:
        cases = [c for c in cases if args.only in c.category or args.only in c.name]
    outcomes: Counter[str] = Counter()
    failures: list[dict[str, object]] = []
    slowest: tuple[float, str] = (0.0, "")
    for case in cases:
        outcome, detail, seconds = run_case(case, args.timeout, root)
        outcomes[outcome] += 1
        slowest = max(slowest, (seconds, case.name))
        if outcome != "ok":
            failures.append({"case": case.name, "category": case.category, "outcome": outcome, "detail": detail})
    print(json.dumps({"files_tried": len(cases), "tracebacks": outcomes["traceback"], "hangs": outcomes["hang"],
                      "wrong_answers": outcomes["wrong"], "ok": outcomes["ok"], "timeout_s": args.timeout,
                      "slowest": {"case": slowest[1], "seconds": round(slowest[0], 1)},
                      "by_category": dict(Counter(c.category for c in cases)), "failures": failures},
                     ensure_ascii=False))
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    codecs.lookup("utf-8")
    main()
