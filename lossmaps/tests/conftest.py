"""Fixtures of the lossmaps tests: the shared reference loss maps, loaded once."""

import json

import pytest

import lossmaps as lm


@pytest.fixture(scope="session")
def spark():
    """A real local Spark session, one per test run (its start dominates the time)."""
    from lossmaps.measured.logging_service import local_spark_session

    session = local_spark_session(cores=1, app_name="lossmaps-tests")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def lm_ref(reference_dir):
    """Folder ``shared/reference/lossmaps``."""
    return reference_dir / "lossmaps"


@pytest.fixture(scope="session")
def measured_dir(lm_ref):
    """Folder of the synthetic NXCALS-shaped BLM fixture."""
    return lm_ref / "measured"


@pytest.fixture(scope="session")
def blm_files(measured_dir):
    """Keyword arguments naming the fixture's BLM names and positions."""
    return {
        "names": measured_dir / "LHC.BLMI_LOSS_RS09.names.csv",
        "positions": measured_dir / "blm_metadata.csv",
    }


@pytest.fixture(scope="session")
def expected(lm_ref):
    """The expected numbers of the public fixture (``expected_public.json``)."""
    with open(lm_ref / "expected_public.json") as handle:
        return json.load(handle)


@pytest.fixture(scope="session")
def sim(lm_ref):
    """Folder of the simulated fixture (MADX/, Input/, Results/, xcoll/)."""
    return lm_ref / "simulated"


@pytest.fixture(scope="session")
def k2_inputs(sim):
    """Keyword arguments of load_data_K2 for the K2 fixture runs (entry convention)."""
    posfile, aperfiles, collfiles = k2_files(sim)
    return dict(posfile=posfile, aperfiles=aperfiles, collfiles=collfiles,
                cycle_aperture_from="TCP.C6L7.B1")


@pytest.fixture(scope="session")
def fluka_inputs(sim):
    """Keyword arguments of load_data_FLUKA for the FLUKA fixture runs."""
    return fluka_kwargs(sim)


def k2_files(sim):
    """posfile, aperfiles, collfiles of the K2 fixture runs."""
    return (sim / "MADX" / "all_optics_B1.tfs",
            sorted(sim.glob("Results/K2_B1H_s*/aperture_losses.dat")),
            sorted(sim.glob("Results/K2_B1H_s*/coll_summary.dat")))


@pytest.fixture(scope="session")
def k2_map(sim):
    """The K2 fixture as a B1H LHC loss map (entry-face aperture convention)."""
    posfile, aperfiles, collfiles = k2_files(sim)
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC, energy=6800.0)
    lossmap.load_data_K2(posfile=posfile, aperfiles=aperfiles, collfiles=collfiles,
                         cycle_aperture_from="TCP.C6L7.B1")
    return lossmap


def fluka_kwargs(sim):
    """Keyword arguments of load_data_FLUKA for the FLUKA fixture runs."""
    return dict(collgaps=sim / "Input" / "collgaps.dat", posfile=sim / "MADX" / "all_optics_B1.tfs",
                aperfiles=sorted(sim.glob("Results/FLUKA_B1H_s*/aperture_losses.dat")),
                fort208files=sorted(sim.glob("Results/FLUKA_B1H_s*/fort.208")),
                cycle_aperture_from="TCP.C6L7.B1")


@pytest.fixture(scope="session")
def fluka_map(sim):
    """The FLUKA fixture (energy-weighted)."""
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap.load_data_FLUKA(**fluka_kwargs(sim))
    return lossmap


@pytest.fixture(scope="session")
def json_map(sim):
    """The xcoll JSON fixture."""
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap.load_data_json(json_files=sorted(sim.glob("xcoll/lossmap_K2_B1H_s*.json")))
    return lossmap


MINI_TFS = """@ NAME             %05s "TWISS"
@ LENGTH           %le          1000
* NAME                 KEYWORD          S        L
$ %s                   %s             %le      %le
 "IP1"                 "MARKER"         0        0
 "TCP.C6L7.B1"         "COLLIMATOR"   100.6      0.6
 "MB.A8R7.B1"          "SBEND"        214.3     14.3
 "BPMSW.1R1.B1_DOROS"  "MONITOR"      216.0        0
 "MQ.8R7.B1"           "QUADRUPOLE"   233.1      3.1
 "TCSG.A4R7.B1"        "COLLIMATOR"   301.0      1.0
 "IP5"                 "MARKER"       500.0        0
"""


@pytest.fixture
def mini_tfs(tmp_path):
    """A 1000 m toy ring twiss: TCP at [100, 100.6] m, TCSG at [300, 301] m."""
    path = tmp_path / "mini.tfs"
    path.write_text(MINI_TFS)
    return path


def write(path, text):
    """Write ``text`` to ``path`` (parents created) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def writer(tmp_path):
    """``writer(relative_name, text)`` writes a file below tmp_path and returns its path."""
    return lambda name, text: write(tmp_path / name, text)
