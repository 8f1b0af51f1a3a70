"""Fixtures of the loss-map store tests."""

import pytest


@pytest.fixture(scope="session")
def measured_map(measured_dir, blm_files):
    """The BLM fixture as a measured loss map with search metadata set."""
    import lossmaps as lm

    lossmap = lm.MeasuredLossMap(timestamp="2024-05-21 14:03:20", lmtype=lm.LMType.B1H,
                                 energy=6800.0, betastar=30.0, particle=lm.Particle.PROTON,
                                 beam_process=lm.BeamProcess.FLAT_TOP, description="fixture B1H")
    lossmap.load_data_files(measured_dir / "blm_data_RS09.parquet", **blm_files)
    return lossmap
