"""Procurement files (``procurement-csv``): supplier lines from invoices, orders or contract registers.

Each line yields an Observation with ``supplier``, ``declared_vendor`` and ``model`` where the file has them
(see :data:`~schoon.ingest.headers.PROCUREMENT_HEADERS`: here ``Vendor`` means the company that was paid);
every other column (description, amount, invoice number, date, item) stays in ``extra``. Reading, delimiters,
encodings and rejects are those of :mod:`schoon.ingest.delimited`.
"""

from __future__ import annotations

from collections.abc import Iterator

from schoon.ingest.delimited import read_delimited
from schoon.ingest.options import ReadLog, ReadOptions
from schoon.ingest.textio import Input
from schoon.ingest.types import Record


def read_procurement(source: Input, *, options: ReadOptions | None = None,
                     log: ReadLog | None = None) -> Iterator[Record]:
    """Observations (and Rejects) from a delimited file of procurement lines."""
    return read_delimited(source, procurement=True, options=options, log=log)
