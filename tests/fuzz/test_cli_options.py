"""The CLI's option parsing, fed generated argv through ``schoon.cli.main``: it exits (0, 1 or 2, or click's
usage error 2) and never lets another exception escape or prints a traceback."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from schoon.cli import main
from tests.fuzz.strategies import NASTY, fuzz_settings

FIXTURES = Path(__file__).parents[1] / "ingest" / "fixtures"
FILES = [str(FIXTURES / "messy_register.csv"), str(FIXTURES / "banners.jsonl"), str(FIXTURES / "scan.xml"),
         str(FIXTURES / "procurement.csv"), "/dev/zero", "/nonexistent", str(FIXTURES)]
READER_OPTIONS = ["--input-format", "--map", "--sheet", "--header-row", "--delimiter", "--encoding"]
FLAGS = ["--show-columns", "--help"]
VALUES = [*FILES, "0", "1", "4", "-1", "99999999999999999999", "csv", "xlsx", "nmap-xml", "jsonl", "nope", ";",
          "tab", "ab", '"', "utf-8", "cp1252", "rot13", "no-such-codec", "Merk=declared_vendor", "Merk=nope", "=",
          "Sheet", "1", *[v for v in NASTY if "\x00" not in v and len(v) < 100]]

argument = st.one_of(st.sampled_from(READER_OPTIONS), st.sampled_from(FLAGS), st.sampled_from(VALUES))
COMMANDS = [["identify"], ["screen"], ["screen", "run"], ["audit", "import", "--org", "x", "--show-columns"]]


@fuzz_settings
@given(st.sampled_from(COMMANDS), st.sampled_from(FILES), st.lists(argument, max_size=6))
def test_reader_options_never_escape(command: list[str], file: str, rest: list[str]) -> None:
    argv = [*command, file, *rest]
    if command[0] == "audit" or "--show-columns" not in rest:
        argv.append("--show-columns")  # option parsing and reading only: nothing is identified or stored
    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code
    assert code in (0, 1, 2, None), (argv, code, err.getvalue())
    assert "Traceback" not in err.getvalue(), (argv, err.getvalue())
