"""Fixtures of the distributed tests: one LocalCluster of 2 worker processes for all of them."""

import pytest

import xtrack as xt


@pytest.fixture(scope="session")
def fodo_dict(reference_dir):
    return xt.Line.from_json(reference_dir / "xtrack" / "lattices" / "fodo" / "line.json.gz").to_dict()


@pytest.fixture(scope="session")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None)
    with distributed.Client(cluster) as cl:
        yield cl
    cluster.close()
