"""The bundled sample gives the numbers its README promises."""

from __future__ import annotations

from pathlib import Path

from schoon.measure import measure

SAMPLE = Path(__file__).parents[2] / "examples" / "measure"


def test_bundled_sample() -> None:
    result = measure([SAMPLE / "shodan-sample.json.gz"], prefixes=SAMPLE / "prefixes.csv")
    assert (result["records"], result["devices"], result["addresses"]) == (1500, 54, 385)
    assert {g["group_id"]: g["devices"] for g in result["by_group"]} == {"hikvision": 33, "dahua": 21}
    sectors = {(s["sector"], s["group_id"]): s["devices"] for s in result["by_sector"]}
    assert sectors == {("onderwijs", "hikvision"): 13, ("onderwijs", "dahua"): "<5", ("gemeente", "hikvision"): 6,
                       ("gemeente", "dahua"): 8, ("zorg", "hikvision"): 5}
    assert "13 Hikvision" in (SAMPLE / "README.md").read_text()
