"""The lean ``schoon screen --format jsonl`` writer gives the bytes of the plain path; repeated names are
screened once per run."""

from __future__ import annotations

import io
import json
import random

from schoon.registry import load_registry
from schoon.screen import LedgerRow, Screener
from schoon.screen.writers import JsonlWriter

NAMES = ["Hikvision Europe B.V.", "Hangzhou Hikvision Digital Technology Co., Ltd.", "ACME Ünïcødé GmbH", "", "-",
         "Dahua Technology", "海康威视", "Tab\tCompany", "quote \" Corp", "Hikari Trading", None, "x" * 1200]


def test_lean_screen_lines_equal_plain_json() -> None:
    screener = Screener(load_registry(layers=[]))
    rng = random.Random(5)
    buffer = io.StringIO()
    writer = JsonlWriter(buffer)
    plain = []
    for n in range(3_000):
        name = rng.choice(NAMES)
        row = LedgerRow("ledger.csv", n + 2 if n % 5 else None, name,
                        {"supplier": name, "bedrag": f"{n}.00", "n": n} if n % 3 else {})
        result = screener.screen(row.name)
        writer.write(row, result)
        plain.append(json.dumps({"source": row.source, "line": row.line, **result.record(), "input": row.columns},
                                ensure_ascii=False))
        if n % 7 == 0:
            writer.write(None, result)
            plain.append(json.dumps(result.record(), ensure_ascii=False))
    assert buffer.getvalue().split("\n")[:-1] == plain


def test_a_repeated_name_is_screened_once_with_the_same_result() -> None:
    screener = Screener(load_registry(layers=[]))
    first = screener.screen("Hikvision Europe B.V.")
    assert screener.screen("Hikvision Europe B.V.") is first
    fresh = Screener(load_registry(layers=[])).screen("Hikvision Europe B.V.")
    assert fresh == first
