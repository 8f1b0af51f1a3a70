"""Fixtures of the measured-loss-map tests: expected numbers and window of the BLM fixture."""

import json

import pytest


@pytest.fixture(scope="session")
def expected_measured(expected):
    """Expected measured numbers (``expected_public.json['measured']``)."""
    return expected["measured"]


@pytest.fixture(scope="session")
def measured_info(measured_dir):
    """Loss-map parameters of the fixture (timestamp, duration, bckgr_aq...)."""
    with open(measured_dir / "measured_info.json") as handle:
        return json.load(handle)
