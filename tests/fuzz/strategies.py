"""Hostile inputs for the fuzz suite: text that registers really contain, and text that attackers would send."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from schoon.ingest.headers import PROCUREMENT_HEADERS, PROCUREMENT_ONLY, REGISTER_HEADERS

#: Examples per entry point: ``SCHOON_FUZZ_EXAMPLES`` (default 40, which keeps the suite under a minute on one
#: core); ``SCHOON_FUZZ_EXAMPLES=2000 pytest tests/fuzz`` for a long local run.
EXAMPLES = int(os.environ.get("SCHOON_FUZZ_EXAMPLES", "40"))
fuzz_settings = settings(
    max_examples=EXAMPLES, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                           HealthCheck.function_scoped_fixture],
)

HEADERS = sorted({h for hs in REGISTER_HEADERS.values() for h in hs} | {h for hs in PROCUREMENT_HEADERS.values()
                                                                         for h in hs} | set(PROCUREMENT_ONLY))
NASTY = [
    "", " ", "n.v.t.", "onbekend", "-", "?", "DHCP", "=1+1", "@SUM(A1)", "[/bold]", "[link=http://x]x[/link]",
    "\x1b[31mred", "\x00", "\r", "\n", '"', '""', "';", ";", ",", "\t", "|", "\ufeff", "\u202e", "\ud800", "\udfff",
    "٨٠", "8²", "80,443", "99999", "0", "-1", "1e309", "9" * 5000, "zz:zz:zz:zz:zz:zz", "44:19:b6:00:00:01",
    "4419.b600.0001", "192.168.1.300", "::ffff:10.0.0.1", "fe80::1%eth0", "10.0.0.0/8", "Hikvision", "Hikvison",
    "Dhaua", "LTS", "ANNKE", "海康威视", "Ζήτα", "Хиквижн", "x" * 70_000, "\u0000\u0001\u0002", "𝕳𝖎𝖐",
]
cell = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"),
                                                                        max_size=20))
header_cell = st.one_of(st.sampled_from(HEADERS), cell)
delimiter = st.sampled_from([";", ",", "\t", "|"])
line_end = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def delimited_text(draw: st.DrawFn) -> str:
    """A register as delimited text: maybe title rows, a header of known and odd names, rows of nasty cells."""
    sep = draw(delimiter)
    end = draw(line_end)
    width = draw(st.integers(1, 8))
    lines = [draw(cell) for _ in range(draw(st.integers(0, 2)))]
    lines.append(sep.join(draw(header_cell).replace(sep, " ") for _ in range(width)))
    for _ in range(draw(st.integers(0, 8))):
        cells = [draw(cell) for _ in range(draw(st.integers(0, width + 2)))]
        if draw(st.booleans()):
            cells = ['"' + c.replace('"', '""') + '"' for c in cells]
        lines.append(sep.join(cells))
    return end.join(lines) + draw(st.sampled_from(["", end]))


json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), cell)
json_value = st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
FIELDS = ["id", "ip", "mac", "ports", "model", "declared_vendor", "favicon_mmh3", "favicon_md5", "snmp_sysobjectid",
          "http_server", "site", "extra_key"]
json_object = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), json_value, max_size=8)
