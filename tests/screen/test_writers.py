"""The lean ``schoon screen --format jsonl`` writer gives the bytes of the plain path; repeated names are
screened once per run."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

from schoon.registry import load_registry
from schoon.screen import LedgerRow, Screener
from schoon.screen.writers import JsonlWriter
from tests.cli.helpers import run

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


def test_jobs_give_the_output_of_one_process(tmp_path: Path) -> None:
    rng = random.Random(9)
    names = [n for n in NAMES if n is not None and "\t" not in n]
    ledger = tmp_path / "ledger.csv"
    lines = ["invoice,supplier,amount"]
    for n in range(6_000):
        lines.append(f'F{n},"{rng.choice(names).replace(chr(34), chr(34) * 2)}",{n}.00' if n % 50 != 7
                     else f"F{n},{rng.choice(['Distinct Name ' + str(n), ''])},1")
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    decisions = tmp_path / "decisions.csv"
    assert run("screen", "decide", "Hikari Trading", "--is-not", "hikvision", "--by", "T", "--decisions",
               str(decisions)).code == 0
    args = ("screen", str(ledger), "--format", "jsonl", "--decisions", str(decisions))
    one, two = run(*args, "--jobs", "1"), run(*args, "--jobs", "2")
    assert one.code == two.code == 0
    assert one.out == two.out and len(one.out.split("\n")) == 6_001
    assert one.err == two.err
