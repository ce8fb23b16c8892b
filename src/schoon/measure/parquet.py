"""Identified records as Parquet, to aggregate again (other prefixes, another baseline) without identifying again.

``schoon measure --parquet DIR`` writes one file per partition, ``DIR/part-<file>-<chunk>.parquet``, with one
row per banner that passed the time window: the :class:`~schoon.measure.state.Sighting` columns. Giving those
files (or the folder) back to ``schoon measure`` folds their rows directly: the numbers are the same as the
run that wrote them, for the same window and options.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path

from schoon.errors import DataError
from schoon.ingest.scan import Chunk
from schoon.measure.partition import ChunkResult, Settings
from schoon.measure.state import OUTSIDE, Sighting, fold, new_buckets

COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Sighting))
MAGIC = b"PAR1"


def is_parquet(path: str | Path) -> bool:
    """Whether a file starts with Parquet's magic bytes."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(4) == MAGIC
    except OSError:
        return False


def write_sightings(rows: list[Sighting], folder: Path, chunk: Chunk) -> Path:
    """Write one partition's identified records to ``folder``; returns the file written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    tag = hashlib.sha1(str(Path(chunk.path).resolve()).encode()).hexdigest()[:10]
    target = folder / f"part-{tag}-{chunk.index:05d}.parquet"
    schema = pa.schema([("ip", pa.string()), ("time", pa.int64()), ("port", pa.int32()), ("asn", pa.int64()),
                        ("org", pa.string()), ("country", pa.string()), ("maker", pa.string()),
                        ("confidence", pa.float64()), ("device_type", pa.string()), ("model", pa.string()),
                        ("identity", pa.string()), ("flagged", pa.bool_())])
    columns = {name: [getattr(row, name) for row in rows] for name in COLUMNS}
    pq.write_table(pa.Table.from_pydict(columns, schema=schema), target)
    return target


def fold_parquet(path: str, settings: Settings) -> ChunkResult:
    """Fold an identified-records Parquet file into a ChunkResult (the window applies again)."""
    import pyarrow.parquet as pq

    result = ChunkResult(path, 0, buckets=new_buckets(settings.buckets))
    try:
        table = pq.read_table(path, columns=list(COLUMNS))
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise DataError(f"not an identified-records Parquet file: {str(err)[:120]}", file=path) from None
    window = settings.window
    for batch in table.to_batches():
        data = batch.to_pydict()
        for values in zip(*(data[name] for name in COLUMNS), strict=True):
            seen = Sighting(*values)
            result.lines += 1
            result.records += 1
            if seen.time is None:
                result.untimed += 1
                if window.bounded:
                    result.untimed_excluded += 1
                    continue
            elif not window.contains(seen.time):
                result.outside_window += 1
                continue
            if seen.maker is not None and not seen.maker.startswith(OUTSIDE):
                result.identified += 1
            fold(result.buckets, seen)
    return result
