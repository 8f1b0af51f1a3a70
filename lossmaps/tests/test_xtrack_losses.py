"""Loss maps from xtrack tracking: a small ring with one black-absorber collimator.

Known answers: when the collimator gap (5 sigma) is the smallest aperture (the
machine aperture is at about 13 sigma), every particle of a 5.5-6 sigma
horizontal halo ends on the collimator: cleaning inefficiency 1 there and no
aperture loss. With the collimator opened beyond the machine aperture, every
particle is an aperture loss at one of the thin apertures, binned per metre.
"""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

import lossmaps as lm
from lossmaps.store import LossMapStore

xt = pytest.importorskip("xtrack")

NEMITT = 2.5e-6  # [m]
N_CELLS, HALF_CELL = 6, 5.0  # [m]; circumference 60 m
APERTURE = 4e-3  # [m] radius of the machine aperture at each quadrupole (~13 sigma at beta max)


def small_ring():
    """Thin-lens FODO ring, 76 degrees per cell (Q ~ 1.27), a circular aperture at every
    quadrupole and a 0.5 m collimator 'tcp' (Device) in the first cell."""
    # thin-lens FODO: cos(mu) = 1 - L^2 / (2 f^2), L the half-cell length
    k1l = 1.0 / (HALF_CELL / math.sqrt(2.0 * (1.0 - math.cos(math.radians(76.0)))))
    elements, names = [], []
    for cell in range(N_CELLS):
        for quad, sign in (("qf", 1.0), ("qd", -1.0)):
            elements += [xt.LimitEllipse(a=APERTURE, b=APERTURE), xt.Multipole(knl=[0.0, sign * k1l])]
            names += [f"ap.{quad}{cell}", f"{quad}{cell}"]
            if cell == 0 and quad == "qf":
                elements += [xt.Drift(length=1.0), xt.Device(length=0.5), xt.Drift(length=3.5)]
                names += ["d0a", "tcp", "d0b"]
            else:
                elements.append(xt.Drift(length=HALF_CELL))
                names.append(f"d{quad}{cell}")
    return xt.Line(elements=elements, element_names=names,
                   particle_ref=xt.Particles(p0c=450e9))


def tracked_halo(nsigma_collimator, amplitudes, num_particles=400, num_turns=100):
    """Ring with 'tcp' at ``nsigma_collimator``, a horizontal halo at ``amplitudes`` (sigma)
    tracked ``num_turns`` turns from the start of the ring."""
    line = small_ring()
    line.install_black_absorbers([{"name": "tcp", "nsigma": nsigma_collimator, "angle": 0.0}],
                                 nemitt_x=NEMITT, nemitt_y=NEMITT)
    rng = np.random.default_rng(7)
    amplitude = rng.uniform(*amplitudes, num_particles)
    phase = rng.uniform(0, 2 * np.pi, num_particles)
    particles = line.build_particles(
        x_norm=amplitude * np.cos(phase), px_norm=amplitude * np.sin(phase),
        y_norm=rng.normal(0, 1, num_particles), py_norm=rng.normal(0, 1, num_particles),
        nemitt_x=NEMITT, nemitt_y=NEMITT, method="4d")
    line.track(particles, num_turns=num_turns)
    return line, particles


@pytest.fixture(scope="module")
def collimated():
    return tracked_halo(5.0, (5.5, 6.0))


@pytest.fixture(scope="module")
def collimated_map(collimated):
    line, particles = collimated
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, description="tracked small ring")
    lossmap.load_data_xtrack(line=line, particles=particles, interpolation=0.1)
    return lossmap


def test_all_losses_on_the_collimator_when_its_gap_is_the_smallest_aperture(collimated,
                                                                           collimated_map):
    _, particles = collimated
    assert np.all(particles.state <= 0)  # 100 turns lose the whole 5.5-6 sigma halo
    losses = collimated_map.losses
    coll = losses[losses["losses_type"] == lm.Losses.COLL]
    assert coll["name"].tolist() == ["tcp"]
    # per metre over the collimator length (0.5 m); exact: integer counts
    assert coll["losses"].iloc[0] == len(particles.x) / 0.5
    assert collimated_map.aperture_binned.empty
    assert len(losses) == 1
    inefficiency = losses.lossmap.inefficiency()
    assert inefficiency.loc[inefficiency["name"] == "tcp", "losses"].iloc[0] == 1.0
    assert collimated_map.max_loss == len(particles.x) / 0.5
    assert collimated_map.coll_summary["nabs"].tolist() == [len(particles.x)]
    assert collimated_map.losses["s"].iloc[0] == pytest.approx(1.25, abs=1e-12)  # tcp centre


def test_tracked_map_saves_searches_loads_and_plots(collimated_map, tmp_path):
    store = LossMapStore(tmp_path / "store")
    entry = store.save(collimated_map)
    found = store.search(kind="SimulatedLossMap", description="tracked small")
    assert found["id"].tolist() == [entry]
    loaded = store.load(entry)
    pd.testing.assert_frame_equal(loaded.losses, collimated_map.losses)
    assert loaded.source == "xtrack"
    fig, axes = lm.plot_lossmap(loaded, outfile=tmp_path / "tracked.png", zoom=False)
    assert (tmp_path / "tracked.png").stat().st_size > 0
    # the layout strip draws the collimator from the line's layout (KEYWORD COLLIMATOR)
    assert len(axes[1].collections) == 1


@pytest.fixture()
def small_ring_machine():
    """Machine facts of the 60 m ring (registered as SPS for the test): warm in [0, 30) m."""
    definition = dataclasses.replace(
        lm.machines.get_machine(lm.Machine.SPS), circumference=60.0, ip_positions={},
        warm_regions=((0.0, 30.0),), plot_range=(0.0, 60.0), zoom_range=(0.0, 10.0), ds_roi={},
        zoom_ranges={})
    lm.machines.set_machine_definition(definition)
    yield lm.Machine.SPS
    lm.machines.reset_machine_definitions()


def test_open_collimator_leaves_aperture_losses_binned_and_classified(small_ring_machine):
    line, particles = tracked_halo(40.0, (14.0, 16.0), num_particles=200, num_turns=20)
    assert np.all(particles.state <= 0)
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=small_ring_machine)
    lossmap.load_data_xtrack(line=line, particles=particles, interpolation=0.5)
    assert lossmap.coll_summary["nabs"].tolist() == [0]
    binned = lossmap.aperture_binned
    assert binned["n"].sum() == 200
    # thin apertures at the quadrupoles: each loss is in the 0.5 m bin that starts there
    apertures = {n: line.get_s_position(n) for n in line.element_names if n.startswith("ap.")}
    bin_starts = {round(s / 0.5) * 0.5 for s in apertures.values()} | {0.0}
    assert set(np.round(binned["s"] - 0.25, 9)) <= bin_starts
    expected_type = np.where(binned["s"] < 30.0, lm.Losses.WARM, lm.Losses.COLD)
    assert binned["losses_type"].tolist() == expected_type.tolist()
    aper = lossmap.losses[lossmap.losses["losses_type"] != lm.Losses.COLL]
    np.testing.assert_array_equal(aper["losses"].to_numpy(), binned["n"].to_numpy() / 0.5)


def test_cycle_and_backwards_move_positions_into_the_plot_coordinate(collimated):
    line, particles = collimated
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H)
    lossmap.load_data_xtrack(line=line, particles=particles, cycle_positions_from="qd0")
    s_qd0 = line.get_s_position("qd0")  # 5 m
    assert lossmap.losses["s"].iloc[0] == pytest.approx((1.25 - s_qd0) % 60.0, abs=1e-9)
    lossmap.load_data_xtrack(line=line, particles=particles, backwards=True)
    assert lossmap.losses["s"].iloc[0] == pytest.approx(60.0 - 1.25, abs=1e-9)
    tcp = lossmap.positions[lossmap.positions["NAME"] == "tcp"].iloc[0]
    assert (tcp["s_start"], tcp["s_end"]) == pytest.approx((58.5, 59.0), abs=1e-9)
    assert tcp["KEYWORD"] == "COLLIMATOR"


def test_line_without_absorbers_is_refused(collimated):
    _, particles = collimated
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H)
    with pytest.raises(lm.errors.LossMapsError, match="no black-absorber collimators"):
        lossmap.load_data_xtrack(line=small_ring(), particles=particles)
    assert lossmap.losses is None
    with pytest.raises(KeyError, match="cycle_positions_from: no element named 'ip9'"):
        lossmap.load_data_xtrack(line=collimated[0], particles=particles,
                                 cycle_positions_from="ip9")
