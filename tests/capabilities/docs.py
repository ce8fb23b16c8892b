"""Capability documents written for the tests from the documented structures (next-wave.md §3.1, §3.2).

Nothing here is copied from a device or another project: each builder writes the element and key names the
research lists, with values the test chooses.
"""

from __future__ import annotations

ISAPI_NS = "http://www.isapi.org/ver20/XMLSchema"


def device_cap(event: dict[str, str] | None = None, top: dict[str, str] | None = None,
               extra: str = "", info: str = "") -> str:
    """A ``/ISAPI/System/capabilities`` answer: ``<DeviceCap>`` with an ``<EventCap>`` and top-level fields."""
    event_xml = "".join(f"<{k}>{v}</{k}>" for k, v in (event or {}).items())
    top_xml = "".join(f"<{k}>{v}</{k}>" for k, v in (top or {}).items())
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<DeviceCap version="2.0" xmlns="{ISAPI_NS}">\n'
            f"{info}<SysCap><isSupportDst>true</isSupportDst></SysCap>\n"
            f"<EventCap>\n<isSupportHDFull>true</isSupportHDFull>{event_xml}\n</EventCap>\n{top_xml}{extra}\n"
            "</DeviceCap>\n")


def smart_cap(fields: dict[str, str]) -> str:
    """A ``/ISAPI/Smart/capabilities`` answer (``<SmartCap>``)."""
    body = "\n".join(f"<{k}>{v}</{k}>" for k, v in fields.items())
    return f'<SmartCap version="2.0" xmlns="{ISAPI_NS}">\n<isSupportROI>true</isSupportROI>\n{body}\n</SmartCap>\n'


def event_cap(fields: dict[str, str]) -> str:
    """A ``/ISAPI/Event/capabilities`` answer (``<EventCap>``)."""
    body = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items())
    return f'<EventCap xmlns="{ISAPI_NS}" version="2.0"><isSupportHDError>true</isSupportHDError>{body}</EventCap>\n'


def dahua_rules(*rules: tuple[str, str, bool], extra: str = "") -> str:
    """``configManager.cgi?action=getConfig&name=VideoAnalyseRule`` in Dahua's key=value form: (class, type, on)."""
    lines = []
    for index, (klass, kind, on) in enumerate(rules):
        key = f"table.VideoAnalyseRule[0][{index}]"
        lines += [f"{key}.Class={klass}", f"{key}.Enable={'true' if on else 'false'}",
                  f"{key}.Name=Rule{index}", f"{key}.Type={kind}"]
    return "\n".join(lines) + "\n" + extra


def dahua_caps(scenes: list[str], rules: list[str] | None = None) -> str:
    """``devVideoAnalyse.cgi?action=getCaps`` in key=value form."""
    lines = ["caps.MaxRules=8"] + [f"caps.SupportedScenes[{i}]={s}" for i, s in enumerate(scenes)]
    lines += [f"caps.SupportedRules[{i}]={r}" for i, r in enumerate(rules or [])]
    return "\n".join(lines) + "\n"
