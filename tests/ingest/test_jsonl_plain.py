"""The lean path for plain JSON lines builds exactly the Observation of the general path, or leaves the line to it."""

from __future__ import annotations

import json
import random

from schoon.ingest.jsonl import _record, plain_observation, split_id
from schoon.ingest.options import ReadLog
from schoon.observation import MAX_FIELD_CHARS, TEXT_FIELDS

VALUES = ["Hikvision-Webs", "  padded  ", "n.v.t.", "onbekend", "-", "", " ", "nul\x00byte", "\x00", "tab\there",
          "ünïcødé", "中文", "line\u2028sep", "emoji 📷", "ctrl \x01", "Login 2", "N.V.T. 2", "x" * (MAX_FIELD_CHARS + 5),
          "DHCP", "192.0.2.1", " 192.0.2.1", "2001:db8::1", "not an address", "0000", "\u00a0nbsp\u00a0", "١٢٣"]
MACS = ["44:19:b6:00:00:01", "4419.b600.0002", "44-19-B6-00-00-03", "zz", "onbekend", "000000000000", "", "-"]


def _line(rng: random.Random) -> str:
    data: dict[str, object] = {}
    for _ in range(rng.randrange(1, 6)):
        roll = rng.random()
        if roll < 0.1:
            data["mac"] = rng.choice(MACS)
        elif roll < 0.15:
            data[rng.choice(["ports", "favicon_mmh3", "kolom", "snmp_sysobjectid"])] = rng.choice(["80", 80, "x"])
        elif roll < 0.18:
            data[rng.choice(list(TEXT_FIELDS))] = rng.choice([None, 5, 1.5, True, ["a"], {"b": 1}])
        else:
            data[rng.choice(list(TEXT_FIELDS))] = rng.choice(VALUES)
    return json.dumps(data, ensure_ascii=rng.random() < 0.5)


def test_plain_lines_give_the_general_paths_observation() -> None:
    rng = random.Random(7)
    lean = 0
    for row in range(20_000):
        text = _line(rng)
        log = ReadLog()
        general = _record(text, {}, source="x.jsonl", row=row, log=log)
        plain = plain_observation(text, "x.jsonl", row)
        if plain is not None:
            lean += 1
            assert plain == general, text
            assert not log.cells_dropped, text  # a line that drops a cell is left to the general path
    assert lean > 10_000  # most lines take the lean path


def test_lines_that_need_the_general_path() -> None:
    for text in ['{"id": "x", "http_server": "\\ud800"}', '{"id": 1}', '{"id": "x", "extra": "y"}', "[]", "{}",
                 '{"mac": "zz"}', '{"ip": "nope"}', '{"id": "x", "ports": "80"}', "{bad", '{"id": NaN}']:
        assert plain_observation(text, "x.jsonl", 1) is None, text


def test_split_id() -> None:
    assert split_id('{"id": "cam-1", "http_server": "x"}') == ("cam-1", ', "http_server": "x"}')
    assert split_id('{"id": "ünï 中文"}') == ("ünï 中文", "}")
    for text in ['{"id": " pad"}', '{"id": "pad "}', '{"id": "a\\"b"}', '{"id": "a\\\\b"}', '{"id": ""}',
                 '{"id": "n.v.t."}', '{"id": "-"}', '{"id": "tab\tx"}', '{"id": "a", "id": "b"}',
                 '{"id": "a", "\\u0069d": "b"}', '{"id":"a"}', '{"http_server": "x", "id": "a"}', '{"id": 5}',
                 '{"id": "nbsp\u00a0"}', '{"id": "' + "x" * (MAX_FIELD_CHARS + 1) + '"}']:
        assert split_id(text) is None, text
