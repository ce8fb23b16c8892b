"""nmap XML output (``nmap -oX``, with ``-sV`` service detection and NSE scripts), read host by host.

Parsing goes through defusedxml's parser fed in chunks, so a scan of any size streams; only the current
``<host>`` element is held. A DOCTYPE with an internal subset or an external identifier, and any entity
declaration, is refused before anything is expanded (nmap itself writes only a bare ``<!DOCTYPE nmaprun>``).

One Observation per host whose status is ``up``; ``row`` is the line of the ``<host>`` start tag.

============================  ==========================================================================
nmap XML                      Observation field
============================  ==========================================================================
``address`` ipv4 / ipv6       ``ip`` (the first one)
``address`` mac               ``mac`` (nmap's ``vendor`` attribute is ignored: we do our own OUI lookup)
``hostnames/hostname``        ``hostname`` (a ``user`` name before a ``PTR`` name)
``port`` with state open      ``ports``
script ``http-server-header`` ``http_server``
script ``http-headers``       ``http_server`` (``Server:``), ``http_www_authenticate`` (``WWW-Authenticate:``)
script ``http-title``         ``http_title``
script ``ssl-cert``           ``tls_subject``, ``tls_issuer`` as ``CN=...,O=...,C=...`` in document order
script ``http-favicon``       ``favicon_md5`` when the output has an MD5; a favicon name goes to ``extra``
script ``snmp-sysdescr``      ``snmp_sysdescr`` (without the uptime line)
script ``banner``             ``telnet_banner`` on a telnet port, ``ssh_banner`` on an ssh port
``service`` product           by service name: http/https → ``http_server``; rtsp → ``rtsp_server``;
                              ssh → ``ssh_banner``; telnet → ``telnet_banner`` (only where a script gave none)
============================  ==========================================================================

Scripts win over ``service`` guesses, and the first port that gives a value wins. ``extra`` gets ``services``
(one ``port/proto name product version`` per open port) and ``devicetype`` from ``-sV``.

A truncated or malformed file yields the hosts completed before the break, then a Reject naming the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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


class _NotNmap(Exception):
    """The document's root element is not ``<nmaprun>``."""


class _HostCollector:
    """A parser target that builds only ``<host>`` subtrees and remembers the line of each one's start tag."""

    def __init__(self) -> None:
        self.line_of: Callable_Line = lambda: 0
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
