"""nmap XML output (``nmap -oX``, with ``-sV`` service detection and NSE scripts), read host by host.

Parsing goes through defusedxml's parser fed in chunks, so a scan of any size streams; only the current
``<host>`` element is held. A DOCTYPE with an internal subset or an external identifier, and any entity
declaration, is refused before anything is expanded (nmap itself writes only a bare ``<!DOCTYPE nmaprun>``).

One Observation per host whose status is ``up``; ``row`` is the line of the ``<host>`` start tag. A host whose
ports were scanned and none is open is skipped (``all_hosts=True`` keeps it); a host of a ping scan (no
``<ports>`` element at all) is kept, since its address and MAC are all the scan looked for.

==============================  ========================================================================
nmap XML                        Observation field
==============================  ========================================================================
``address`` ipv4 / ipv6         ``ip`` (the first one)
``address`` mac                 ``mac`` (nmap's ``vendor`` attribute is ignored: we do our own OUI lookup)
``hostnames/hostname``          ``hostname`` (a ``user`` name before a ``PTR`` name)
``port`` with state open        ``ports``
script ``http-server-header``   ``http_server``
script ``http-headers``         ``http_server`` (``Server:``), ``http_www_authenticate`` (``WWW-Authenticate:``)
script ``http-auth``            ``http_www_authenticate`` (``Scheme realm="...", key="value"``)
script ``http-title``           ``http_title``
script ``ssl-cert``             ``tls_subject``, ``tls_issuer`` as ``CN=...,O=...,C=...`` in document order
script ``http-favicon``         ``favicon_md5`` when the output has an MD5; a favicon name goes to ``extra``
script ``snmp-sysdescr``        ``snmp_sysdescr`` (without the uptime line)
script ``banner``               ``ssh_banner`` for an ``SSH-`` line, ``telnet_banner`` on a telnet port,
                                else ``extra["banner"]``
script ``rtsp-methods``         ``extra["rtsp_methods"]``
script ``ssh-hostkey``          ``extra["ssh_hostkey"]`` (key type and fingerprint per key)
``service`` ``servicefp``       the responses nmap could not match, decoded: an ``RTSP/`` reply gives
                                ``rtsp_server`` and ``rtsp_www_authenticate``, an ``HTTP/`` reply
                                ``http_server``, ``http_www_authenticate``, ``http_title`` and ``http_body``,
                                an ``SSH-`` line ``ssh_banner``, other text on a telnet port ``telnet_banner``
``service`` product             by service name: http/https → ``http_server``; rtsp → ``rtsp_server``;
                                ssh → ``ssh_banner``; telnet → ``telnet_banner`` (only where nothing else did)
==============================  ========================================================================

Scripts win over fingerprints, fingerprints over ``service`` guesses, and the first port that gives a value
wins. ``extra`` gets ``services`` (one ``port/proto name product version`` per open port), ``devicetype`` and
``cpe`` from ``-sV``.

A truncated or malformed file yields the hosts completed before the break, then a Reject naming the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, tostring

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser

from schoon.errors import DataError
from schoon.ingest.textio import Input
from schoon.ingest.types import Record, reject
from schoon.observation import Observation, ObservationError

CHUNK_BYTES = 64 * 1024
REFUSED = "XML with DOCTYPE/entities refused (entities are never expanded)"

_HTTP = frozenset({"http", "https", "http-alt", "http-proxy", "https-alt"})
_RDN = {"commonName": "CN", "organizationName": "O", "organizationalUnitName": "OU", "countryName": "C",
        "stateOrProvinceName": "ST", "localityName": "L", "emailAddress": "emailAddress",
        "serialNumber": "serialNumber", "domainComponent": "DC"}
_MD5 = re.compile(r"\b[0-9a-fA-F]{32}\b")
_FP_WRAP = re.compile(r"\nSF:")
_FP_RESPONSE = re.compile(r'%r\(([^,()]+),([0-9A-Fa-f]+),"((?:[^"\\]|\\.)*)"\)', re.S)
_FP_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|.)", re.S)
_FP_CONTROL = {"r": "\r", "n": "\n", "t": "\t", "0": "\0"}
_TITLE = re.compile(r"<title[^>]*>([^<]*)</title>", re.I)
MAX_BODY = 4096


class _NotNmap(Exception):
    """The document's root element is not ``<nmaprun>``."""


class _HostCollector:
    """A parser target that builds only ``<host>`` subtrees and remembers the line of each one's start tag."""

    def __init__(self) -> None:
        self.line_of: Callable[[], int] = lambda: 0
        self.ready: list[tuple[int, Element]] = []
        self.root: str | None = None
        self.open_host_line: int | None = None
        self._builder: TreeBuilder | None = None
        self._depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.root is None:
            self.root = tag
            if tag != "nmaprun":
                raise _NotNmap(tag)
        if self._builder is None:
            if tag != "host":
                return
            self._builder = TreeBuilder()
            self.open_host_line = self.line_of()
        self._depth += 1
        self._builder.start(tag, attrs)

    def end(self, tag: str) -> None:
        if self._builder is None:
            return
        self._builder.end(tag)
        self._depth -= 1
        if self._depth == 0:
            self.ready.append((self.open_host_line or 0, self._builder.close()))
            self._builder, self.open_host_line = None, None

    def data(self, text: str) -> None:
        if self._builder is not None:
            self._builder.data(text)

    def close(self) -> None:
        return None


def _refuse_doctype(name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> None:
    """Allow nmap's bare ``<!DOCTYPE nmaprun>``; refuse an internal subset or an external identifier."""
    if has_internal_subset or sysid or pubid:
        raise DTDForbidden(name, sysid, pubid)


def read_nmap(source: Input, *, all_hosts: bool = False) -> Iterator[Record]:
    """Observations (and Rejects) from nmap XML, one per host that is up, streaming.

    A host whose ports were scanned and none is open is skipped unless ``all_hosts``."""
    collector = _HostCollector()
    parser = DefusedXMLParser(target=collector, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    expat = parser.parser
    expat.StartDoctypeDeclHandler = _refuse_doctype
    collector.line_of = lambda: expat.CurrentLineNumber
    with source.opener() as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            try:
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
            except DefusedXmlException:
                raise DataError(REFUSED, file=source.name, line=expat.CurrentLineNumber) from None
            except _NotNmap as err:
                raise DataError(f"XML that is not nmap output (root element <{err}>)", file=source.name) from None
            except ParseError as err:
                if collector.root is None:  # nothing read at all: the file as a whole is not XML we can use
                    raise DataError(f"malformed XML: {_reason(err)}", file=source.name, line=err.position[0]) from None
                yield from _drain(collector, source.name, all_hosts)
                yield _parse_reject(err, collector, source.name)
                return
            yield from _drain(collector, source.name, all_hosts)
            if not chunk:
                break


def _drain(collector: _HostCollector, source: str, all_hosts: bool) -> Iterator[Record]:
    ready, collector.ready = collector.ready, []
    for line, host in ready:
        record = host_record(host, source=source, row=line, all_hosts=all_hosts)
        if record is not None:
            yield record


def _reason(err: ParseError) -> str:
    """expat's reason without the ``: line N, column M`` it appends."""
    return str(err).split(": line ")[0]


def _parse_reject(err: ParseError, collector: _HostCollector, source: str) -> Record:
    line, column = err.position
    message = f"truncated or malformed XML at line {line}, column {column + 1}: {_reason(err)}"
    if collector.open_host_line is not None:
        message += f"; the host starting at line {collector.open_host_line} is incomplete and was not read"
    return reject(source, line, message)


def host_record(host: Element, *, source: str, row: int, all_hosts: bool = False) -> Record | None:
    """One ``<host>`` element as an Observation, a Reject when a value is bad, or ``None`` when it is not up
    (or, unless ``all_hosts``, when its ports were scanned and none is open)."""
    status = host.find("status")
    if status is not None and status.get("state") != "up":
        return None
    if not all_hosts and host.find("ports") is not None and not any(
            _state(port) == "open" for port in host.findall("ports/port")):
        return None
    fields: dict[str, object] = {}
    extra: dict[str, str] = {}
    for address in host.findall("address"):
        kind, addr = address.get("addrtype"), address.get("addr")
        if kind in ("ipv4", "ipv6"):
            fields.setdefault("ip", addr)
        elif kind == "mac":
            fields.setdefault("mac", addr)
    names = host.findall("hostnames/hostname")
    names.sort(key=lambda h: h.get("type") != "user")
    if names:
        fields["hostname"] = names[0].get("name")
    open_ports = [port for port in host.findall("ports/port") if _state(port) == "open"]
    fields["ports"] = [port.get("portid", "") for port in open_ports]
    for port in open_ports:
        for script in port.findall("script"):
            _script(script, _service_name(port), fields, extra)
    for script in host.findall("hostscript/script"):
        _script(script, "", fields, extra)
    for port in open_ports:
        service = port.find("service")
        if service is not None and service.get("servicefp"):
            _fingerprint(service.get("servicefp", ""), service.get("name", ""), fields)
    _services(open_ports, fields, extra)
    try:
        return Observation.from_mapping(fields, source=source, row=row, extra=extra)
    except ObservationError as err:
        return reject(source, row, str(err), tostring(host, encoding="unicode"))


def _state(port: Element) -> str | None:
    state = port.find("state")
    return None if state is None else state.get("state")


def _service_name(port: Element) -> str:
    service = port.find("service")
    return "" if service is None else service.get("name", "")


def _script(script: Element, service: str, fields: dict[str, object], extra: dict[str, str]) -> None:
    """Take what a script's output says into ``fields`` (first value wins) and ``extra``."""
    name = script.get("id", "")
    output = (script.get("output") or "").strip()
    if name == "http-server-header":
        _put(fields, "http_server", _elem(script, None) or (output.splitlines()[0] if output else None))
    elif name == "http-title":
        title = _elem(script, "title")
        if title is None and output and not output.startswith("Site doesn't have a title"):
            title = output
        _put(fields, "http_title", title)
    elif name == "http-headers":
        for line in output.splitlines():
            header, _, value = line.strip().partition(":")
            if header.lower() == "server":
                _put(fields, "http_server", value)
            elif header.lower() == "www-authenticate":
                _put(fields, "http_www_authenticate", value)
    elif name == "ssl-cert":
        _put(fields, "tls_subject", _dn(script.find("table[@key='subject']")))
        _put(fields, "tls_issuer", _dn(script.find("table[@key='issuer']")))
    elif name == "http-favicon":
        match = _MD5.search(output)
        if match:
            _put(fields, "favicon_md5", match.group(0).lower())
        elif output:
            extra.setdefault("favicon", output)
    elif name == "snmp-sysdescr":
        lines = [line for line in output.splitlines() if not line.strip().startswith("System uptime:")]
        _put(fields, "snmp_sysdescr", "\n".join(lines))
    elif name == "http-auth":
        _put(fields, "http_www_authenticate", _challenge(script, output))
    elif name == "banner":
        if output.startswith("SSH-") or service == "ssh":
            _put(fields, "ssh_banner", output)
        elif service == "telnet":
            _put(fields, "telnet_banner", output)
        elif output:
            extra.setdefault("banner", output)
    elif name == "rtsp-methods" and output:
        extra.setdefault("rtsp_methods", output)
    elif name == "ssh-hostkey" and output:
        extra.setdefault("ssh_hostkey", "; ".join(" ".join(line.split()) for line in output.splitlines()
                                                  if line.strip()))


def _challenge(script: Element, output: str) -> str | None:
    """``http-auth``'s challenges as a WWW-Authenticate value: ``Digest realm="x", nonce="y"`` (realm first).

    nmap writes one table per scheme with the parameters as elements; older output has only text lines such
    as ``  Basic realm=Hikvision``, which are read the same way."""
    challenges: list[str] = []
    for table in script.findall("table"):
        params = {e.get("key", ""): e.text or "" for e in table.findall("elem")}
        challenges.append(_challenge_text(table.get("key", ""), params))
    if not challenges:
        for line in output.splitlines()[1:]:
            scheme, _, rest = line.strip().partition(" ")
            if not scheme:
                continue
            params = {m.group(1): m.group(2).strip('"') for m in re.finditer(r'(\w+)=("[^"]*"|\S+)', rest)}
            challenges.append(_challenge_text(scheme, params))
    return ", ".join(c for c in challenges if c) or None


def _challenge_text(scheme: str, params: dict[str, str]) -> str:
    ordered = sorted(params.items(), key=lambda kv: kv[0] != "realm")
    return " ".join([scheme, ", ".join(f'{k}="{v}"' for k, v in ordered)]).strip()


def fingerprint_responses(servicefp: str) -> list[tuple[str, str]]:
    """(probe name, decoded response) for each ``%r(Probe,LEN,"...")`` in an nmap service fingerprint.

    nmap wraps the fingerprint in lines that begin with ``SF:`` and escapes the response bytes (``\\xHH``,
    ``\\r``, ``\\n``, ``\\0``, and a backslash before punctuation); both are undone here."""
    text = _FP_WRAP.sub("", servicefp.replace("\r\n", "\n"))
    if text.startswith("SF:"):
        text = text[3:]
    return [(m.group(1), _FP_ESCAPE.sub(_unescape, m.group(3))) for m in _FP_RESPONSE.finditer(text)]


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] == "x" and len(code) == 3:
        return chr(int(code[1:], 16))
    return _FP_CONTROL.get(code, code)


def _fingerprint(servicefp: str, service: str, fields: dict[str, object]) -> None:
    """What the device answered, where nmap could not name the service: headers, titles, banners."""
    for _probe, response in fingerprint_responses(servicefp):
        head, _, body = response.partition("\r\n\r\n")
        lines = head.split("\r\n") if "\r\n" in head else head.split("\n")
        first = lines[0] if lines else ""
        if first.startswith(("RTSP/", "HTTP/")):
            rtsp = first.startswith("RTSP/")
            for line in lines[1:]:
                header, sep, value = line.partition(":")
                if not sep:
                    continue
                header = header.strip().lower()
                if header == "server":
                    _put(fields, "rtsp_server" if rtsp else "http_server", value)
                elif header == "www-authenticate":
                    _put(fields, "rtsp_www_authenticate" if rtsp else "http_www_authenticate", value)
            if not rtsp and body.strip():
                title = _TITLE.search(body)
                if title:
                    _put(fields, "http_title", title.group(1))
                _put(fields, "http_body", body[:MAX_BODY])
        elif first.startswith("SSH-"):
            _put(fields, "ssh_banner", first)
        elif service == "telnet" and response.strip():
            _put(fields, "telnet_banner", response)


def _services(ports: list[Element], fields: dict[str, object], extra: dict[str, str]) -> None:
    """Fill banner fields from ``-sV`` service guesses where no script gave one; summarise services in extra."""
    summary: list[str] = []
    devicetypes: list[str] = []
    cpes: list[str] = []
    for port in ports:
        service = port.find("service")
        if service is None:
            continue
        name = service.get("name", "")
        product = " ".join(v for v in (service.get("product"), service.get("version")) if v)
        if service.get("extrainfo"):
            product = f"{product} ({service.get('extrainfo')})".strip()
        summary.append(" ".join(v for v in (f"{port.get('portid')}/{port.get('protocol')}", name, product) if v))
        devicetype = service.get("devicetype")
        if devicetype and devicetype not in devicetypes:
            devicetypes.append(devicetype)
        cpes += [c.text for c in service.findall("cpe") if c.text and c.text not in cpes]
        if not product:
            continue
        if name in _HTTP:
            _put(fields, "http_server", product)
        elif name == "rtsp":
            _put(fields, "rtsp_server", product)
        elif name == "ssh":
            _put(fields, "ssh_banner", product)
        elif name == "telnet":
            _put(fields, "telnet_banner", product)
    if summary:
        extra["services"] = "; ".join(summary)
    if devicetypes:
        extra["devicetype"] = ", ".join(devicetypes)
    if cpes:
        extra["cpe"] = " ".join(cpes)


def _put(fields: dict[str, object], name: str, value: str | None) -> None:
    if value is not None and value.strip() and name not in fields:
        fields[name] = value.strip()


def _elem(script: Element, key: str | None) -> str | None:
    for elem in script.findall("elem"):
        if elem.get("key") == key and elem.text:
            return elem.text
    return None


def _dn(table: Element | None) -> str | None:
    """A distinguished name table from ``ssl-cert`` as ``CN=...,O=...,C=...`` in the order nmap wrote it."""
    if table is None:
        return None
    parts = [f"{_RDN.get(elem.get('key', ''), elem.get('key', ''))}={elem.text}"
             for elem in table.findall("elem") if elem.text]
    return ",".join(parts) or None
