"""Environment.install_beambeam_interactions / configure_beambeam_interactions / apply_filling_pattern."""

import numpy as np
import pytest
import xtrack as xt

P0C, MASS = 7e12, 938272088.16
R0_PROTON = 1.5346982e-18  # classical proton radius [m]
HARMONIC, SPACING, N_CELLS, HALF_CELL = 70, 10, 7, 10.0


def _two_rings():
    """Two identical thin-lens FODO rings (140 m) with the IP at a focusing quadrupole."""
    env = xt.Environment(particle_ref=xt.Particles(p0c=P0C, mass0=MASS))
    focal = 2 * HALF_CELL / (4 * np.sin(np.pi / 8))
    env.elements["qf"] = xt.Multipole(knl=[0, 1 / focal])
    env.elements["qd"] = xt.Multipole(knl=[0, -1 / focal])
    env.elements["dr"] = xt.Drift(length=HALF_CELL)
    env.elements["ip1"] = xt.Marker()
    env.new_line(components=["ip1"] + ["qf", "dr", "qd", "dr"] * N_CELLS, name="cw")
    env.new_line(components=["ip1"] + ["dr", "qd", "dr", "qf"] * N_CELLS, name="acw")
    for name in ("cw", "acw"):
        env.lines[name].particle_ref = env.particle_ref
    return env


def _install(env, n_lr=2, n_ho=3):
    env.install_beambeam_interactions(
        clockwise_line="cw", anticlockwise_line="acw", ip_names=["ip1"],
        num_long_range_encounters_per_side={"ip1": n_lr}, num_slices_head_on=n_ho,
        harmonic_number=HARMONIC, bunch_spacing_buckets=SPACING, sigmaz=0.08)


def test_install_places_inactive_elements_every_half_spacing():
    env = _two_rings()
    _install(env)
    half_spacing = 0.5 * 140.0 / HARMONIC * SPACING
    cw, acw = env.lines["cw"], env.lines["acw"]
    expected_cw = {"bb_ho.cip1_cw": 0.0, "bb_lr.lip1_01_cw": 140 - half_spacing,
                   "bb_lr.lip1_02_cw": 140 - 2 * half_spacing, "bb_lr.rip1_01_cw": half_spacing,
                   "bb_lr.rip1_02_cw": 2 * half_spacing}
    for name, s in expected_cw.items():
        assert cw.get_s_position(name) == pytest.approx(s, abs=1e-9)
        partner = name.replace("_cw", "_acw")
        # the same encounter seen from the other line, which runs the other way
        assert acw.get_s_position(partner) == pytest.approx((140 - s) % 140, abs=1e-9)
        assert env.elements[name].scale_strength == 0.0
    assert env.elements["bb_ho.cip1_cw"].num_slices_other_beam == 3
    assert cw.get_length() == pytest.approx(140.0)
    # inactive elements leave the optics unchanged
    assert cw.twiss4d().qx == pytest.approx(N_CELLS / 8, abs=1e-9)


def test_configure_gives_other_beam_sizes_and_head_on_tune_shift():
    env = _two_rings()
    _install(env, n_lr=0, n_ho=1)
    tw0 = env.lines["cw"].twiss4d()
    num_particles, nemitt = 1.1e11, 2.5e-6
    env.configure_beambeam_interactions(num_particles=num_particles, nemitt_x=nemitt, nemitt_y=nemitt)
    element = env.elements["bb_ho.cip1_cw"]
    gamma = env.particle_ref.gamma0[0]
    eps = nemitt / (env.particle_ref.beta0[0] * gamma)
    betx, bety = tw0["betx", "bb_ho.cip1_cw"], tw0["bety", "bb_ho.cip1_cw"]
    moments = element.get_slices_moments()
    assert moments["11"][0] == pytest.approx(betx * eps, rel=1e-9)
    assert moments["33"][0] == pytest.approx(bety * eps, rel=1e-9)
    assert element.scale_strength == 1.0 and element.phi == 0.0
    assert np.sum(element.slices_other_beam_num_particles) == pytest.approx(num_particles)
    # linear beam-beam tune shift of elliptical beams: xi_x = N r0 beta_x / (2 pi gamma sx (sx + sy))
    sx, sy = np.sqrt(betx * eps), np.sqrt(bety * eps)
    xi_x = num_particles * R0_PROTON * betx / (2 * np.pi * gamma * sx * (sx + sy))
    tw = env.lines["cw"].twiss4d()
    assert xi_x > 1e-3
    assert tw0.qx - tw.qx == pytest.approx(xi_x, rel=0.02)


def test_filling_pattern_selects_the_encounters():
    env = _two_rings()
    _install(env, n_lr=2, n_ho=1)
    env.configure_beambeam_interactions(num_particles=1e11, nemitt_x=2e-6, nemitt_y=2e-6)
    slots = HARMONIC // SPACING
    cw_pattern = np.ones(slots, dtype=int)
    acw_pattern = np.array([1, 1, 0, 1, 0, 0, 1])
    env.apply_filling_pattern(cw_pattern, acw_pattern, i_bunch_cw=0, i_bunch_acw=3)
    # clockwise bunch 0 meets anticlockwise bunch k on the right (slot k), -k on the left
    active = {name: env.elements[name].scale_strength for name in env.elements.keys()
              if name.startswith("bb_") and name.endswith("_cw")}
    assert active == {"bb_ho.cip1_cw": 1.0, "bb_lr.rip1_01_cw": 1.0, "bb_lr.rip1_02_cw": 0.0,
                      "bb_lr.lip1_01_cw": 1.0, "bb_lr.lip1_02_cw": 0.0}
    # every clockwise slot is filled: all encounters of the anticlockwise bunch are active
    assert all(env.elements[n].scale_strength == 1.0 for n in env.elements.keys()
               if n.startswith("bb_") and n.endswith("_acw"))
    with pytest.raises(ValueError, match="i_bunch_acw=2 is not a filled slot"):
        env.apply_filling_pattern(cw_pattern, acw_pattern, i_bunch_cw=0, i_bunch_acw=2)
    with pytest.raises(ValueError, match="must have the same length"):
        env.apply_filling_pattern(cw_pattern[:3], acw_pattern, i_bunch_cw=0, i_bunch_acw=0)


def test_installer_errors_are_explained():
    env = _two_rings()
    with pytest.raises(RuntimeError, match="call install_beambeam_interactions first"):
        env.configure_beambeam_interactions(num_particles=1e11, nemitt_x=2e-6, nemitt_y=2e-6)
    with pytest.raises(KeyError, match=r"clockwise_line='cww'.*did you mean \['cw'"):
        env.install_beambeam_interactions(
            clockwise_line="cww", anticlockwise_line="acw", ip_names=["ip1"],
            num_long_range_encounters_per_side=[0], num_slices_head_on=1,
            harmonic_number=HARMONIC, bunch_spacing_buckets=SPACING, sigmaz=0.08)
    _install(env, n_lr=0, n_ho=1)
    with pytest.raises(NotImplementedError, match="use_antisymmetry=True"):
        env.configure_beambeam_interactions(num_particles=1e11, nemitt_x=2e-6, nemitt_y=2e-6,
                                            use_antisymmetry=True)
