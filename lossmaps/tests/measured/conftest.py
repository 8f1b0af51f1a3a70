"""Fixtures of the measured-loss-map tests: the BLM fixture, its expected numbers, Spark."""

import json

import pytest


@pytest.fixture(scope="session")
def measured_dir(reference_dir):
    """Folder of the synthetic NXCALS-shaped BLM fixture."""
    return reference_dir / "lossmaps" / "measured"


@pytest.fixture(scope="session")
def expected_measured(reference_dir):
    """Expected measured numbers (``expected_public.json['measured']``)."""
    with open(reference_dir / "lossmaps" / "expected_public.json") as handle:
        return json.load(handle)["measured"]


@pytest.fixture(scope="session")
def measured_info(measured_dir):
    """Loss-map parameters of the fixture (timestamp, duration, bckgr_aq...)."""
    with open(measured_dir / "measured_info.json") as handle:
        return json.load(handle)


@pytest.fixture(scope="session")
def blm_files(measured_dir):
    """Keyword arguments naming the fixture's BLM names and positions."""
    return {
        "names": measured_dir / "LHC.BLMI_LOSS_RS09.names.csv",
        "positions": measured_dir / "blm_metadata.csv",
    }
