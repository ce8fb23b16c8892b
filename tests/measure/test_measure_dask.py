"""The measurement on a real two-worker Dask cluster on 127.0.0.1: the same numbers as in-process.

Few tests, as the cluster takes seconds to start: one cluster for the module, used through ``--scheduler``; one
run through ``--workers 2``, which starts (and stops) its own LocalCluster.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schoon.measure import measure
from schoon.measure.execute import LOOPBACK_HTTP
from tests.measure.scenario import SINCE, UNTIL, Truth

distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] is a dependency; install it")

Scan = tuple[Path, Path, Truth]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes, one thread each, on 127.0.0.1, no dashboard."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, scheduler_kwargs=LOOPBACK_HTTP,
                                  silence_logs=40) as local:
        yield local


def _engines_per_worker(address: str) -> dict[str, int]:
    from schoon.measure import partition

    with distributed.Client(address) as client:
        return client.run(lambda: len(partition._ENGINES))  # type: ignore[no-any-return]


def test_dask_cluster_gives_the_in_process_numbers(scan: Scan, cluster: Any) -> None:
    path, prefixes, truth = scan
    options: dict[str, Any] = {"prefixes": prefixes, "since": SINCE, "until": UNTIL, "per_address": True}
    local = measure([path], **options)
    remote = measure([path], scheduler=cluster.scheduler_address, chunk_bytes=4000, **options)
    assert remote["execution"]["mode"] == "dask" and remote["execution"]["partitions"] > 8
    assert local["execution"]["mode"] == "in-process"
    assert {g["group_id"]: g["devices"] for g in remote["by_group"]} == truth.by_group
    local.pop("execution")
    remote.pop("execution")
    assert remote == local
    engines = _engines_per_worker(cluster.scheduler_address)
    assert len(engines) == 2 and all(count == 1 for count in engines.values())  # built once per worker


def test_workers_option_starts_a_local_cluster(scan: Scan) -> None:
    path, prefixes, truth = scan
    result = measure([path], prefixes=prefixes, since=SINCE, until=UNTIL, workers=2, chunk_bytes=6000)
    assert result["execution"]["mode"] == "dask"
    assert result["devices"] == truth.devices
    assert {e["reason"]: e["count"] for e in result["excluded"]}["unreadable"] == 4


def test_a_failing_partition_is_one_line_error_from_the_cluster(tmp_path: Path, cluster: Any) -> None:
    import gzip

    from schoon.errors import DataError

    packed = gzip.compress(b'{"ip_str": "10.0.0.1", "port": 80, "data": ""}\n' * 20000)
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(DataError, match=r"cut\.json\.gz: cannot read \(after line \d+\): Compressed file ended"):
        measure([cut], input_format="shodan", scheduler=cluster.scheduler_address)


def test_clusters_schoon_starts_have_quiet_workers() -> None:
    """The workers of ``--workers N`` run without the 10 ms stack profiler and the 100 ms memory poll."""
    import dask

    from schoon.measure.execute import local_client

    client = local_client(1)
    try:
        seen = client.run(lambda: (dask.config.get("distributed.worker.profile.enabled"),
                                   dask.config.get("distributed.worker.memory.monitor-interval")))
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    assert list(seen.values()) == [(False, "1s")]
    assert dask.config.get("distributed.worker.profile.enabled") is True  # this process's settings are untouched
