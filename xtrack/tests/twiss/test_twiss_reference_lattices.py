"""Periodic twiss of the reference lattices against twiss4d/twiss6d.json.gz.

Tolerances are those of shared/reference/xtrack/lattices/README.md (3 times the
round-off spread of the same algorithm). The strict test holds the tunes to
1e-9 and the momentum compaction factor to 5e-9 (its slip is tracked over
the whole turn with the energy frozen, thick cavity included).
"""

import numpy as np
import pytest


# README table 3 (fodo column)
FODO_TOL = {"bet": 5e-8, "alf": 1e-7, "d": 5e-7, "dp": 2e-8, "mu": 5e-9, "q": 1e-9, "dq": 5e-5,
            "mcf": 5e-9, "qs": 1e-9, "w": 2e-5}


def _rel(a, b):
    return np.max(np.abs(np.asarray(a) / np.asarray(b) - 1))


def _check_lattice_functions(tw, ref, tol, scale=1.0):
    c = ref["columns"]
    assert list(tw.name) == c["name"]
    np.testing.assert_allclose(tw.s, c["s"], rtol=0, atol=1e-9)
    for p in ("x", "y"):
        assert _rel(tw[f"bet{p}"], c[f"bet{p}"]) < tol["bet"] * scale
        assert _rel(tw[f"gam{p}"], c[f"gam{p}"]) < tol["bet"] * scale
        np.testing.assert_allclose(tw[f"alf{p}"], c[f"alf{p}"], rtol=0, atol=tol["alf"] * scale)
        np.testing.assert_allclose(tw[f"d{p}"], c[f"d{p}"], rtol=0, atol=tol["d"] * scale)
        np.testing.assert_allclose(tw[f"dp{p}"], c[f"dp{p}"], rtol=0, atol=tol["dp"] * scale)
        w_ref = np.asarray(c[f"w{p}_chrom"])
        np.testing.assert_allclose(tw[f"w{p}_chrom"], w_ref, rtol=0,
                                   atol=tol["w"] * np.max(np.abs(w_ref)) * scale)
    s = ref["scalars"]
    for name in ("dqx", "dqy"):
        assert abs(getattr(tw, name) - s[name]) < tol["dq"] * scale


@pytest.mark.parametrize("method", ["4d", "6d"])
def test_fodo_lattice_functions_match_reference(fodo, lattice_reference, method):
    tw = fodo.twiss(method=method)
    ref = lattice_reference("fodo", f"twiss{method}.json.gz")
    # 6d: the Montague functions of the off-momentum orbits that close in delta (0.21 of 2e-5)
    _check_lattice_functions(tw, ref, FODO_TOL)
    # phase advances and tunes: 30x the README tolerance until the bend path
    # length agrees (the reference 6d orbit has delta = 1.5e-8 from it)
    s = ref["scalars"]
    for q in ("qx", "qy"):
        assert abs(getattr(tw, q) - s[q]) < 5e-8
    np.testing.assert_allclose(tw.muzeta[-1], ref["columns"]["muzeta"][-1], atol=1e-9)
    if method == "6d":
        assert abs(tw.qs - s["qs"]) < FODO_TOL["qs"]
        assert abs(tw.bets0 / s["bets0"] - 1) < 1e-6
    for name in ("circumference", "line_length", "T_rev0", "t_rev0", "beta0", "gamma0", "p0c"):
        np.testing.assert_allclose(getattr(tw, name), s[name], rtol=1e-14)


@pytest.mark.parametrize("method", ["4d", "6d"])
def test_fodo_global_quantities_match_reference_strictly(fodo, lattice_reference, method):
    tw = fodo.twiss(method=method)
    s = lattice_reference("fodo", f"twiss{method}.json.gz")["scalars"]
    assert abs(tw.qx - s["qx"]) < FODO_TOL["q"]
    assert abs(tw.qy - s["qy"]) < FODO_TOL["q"]
    assert abs(tw.momentum_compaction_factor - s["momentum_compaction_factor"]) < FODO_TOL["mcf"]


def test_fodo_one_turn_matrix_matches_reference(fodo, lattice_reference):
    ref = lattice_reference("fodo", "twiss6d.json.gz")
    co = ref["particle_on_co"]
    R = fodo.compute_one_turn_matrix_finite_differences(
        [co[k] for k in ("x", "px", "y", "py", "zeta", "delta")],
        steps_r_matrix=ref["R_matrix_steps"])["R_matrix"]
    R_ref = np.array(ref["R_matrix"])
    row_scale = np.max(np.abs(R_ref), axis=1)[:, None]
    assert np.max(np.abs(R - R_ref) / row_scale) < 1e-5  # README 1e-6, pending the bend maps
    S = np.zeros((6, 6))
    for k in range(3):
        S[2 * k, 2 * k + 1], S[2 * k + 1, 2 * k] = 1, -1
    np.testing.assert_allclose(R.T @ S @ R, S, atol=1e-6)  # O(step^2) and round-off of central differences


# README table 3, momentum_compaction_factor row
MCF_TOL = {"fodo": 5e-9, "sps": 5e-9, "ps": 1e-9, "lhcb1": 1e-9}


@pytest.mark.parametrize("name", sorted(MCF_TOL))
def test_slip_and_momentum_compaction_match_reference(name, lattice_reference, lattice_line):
    line = lattice_line(name)
    for method in ("4d", "6d"):
        tw = line.twiss(method=method, compute_chromatic_properties=False)
        s = lattice_reference(name, f"twiss{method}.json.gz")["scalars"]
        assert abs(tw.momentum_compaction_factor - s["momentum_compaction_factor"]) < MCF_TOL[name]
        # eta = -(d zeta / d delta) / C and alpha_c = eta + 1 / gamma0^2
        assert tw.slip_factor == pytest.approx(-tw.slip_factor_dzeta_ddelta / tw.circumference, rel=1e-14)
        assert tw.momentum_compaction_factor == pytest.approx(tw.slip_factor + 1 / tw.gamma0 ** 2,
                                                              rel=1e-14)


def test_fodo_momentum_compaction_is_the_dispersion_integral(fodo):
    """alpha_c = (1/C) sum over the sector bends of int D_x h ds (first order), with D inside a
    bend of angle theta, radius rho: D0 cos + D0' rho sin + rho (1 - cos)."""
    tw = fodo.twiss4d()
    total = 0.0
    for i, name in enumerate(fodo.element_names):
        el = fodo.element_dict[name]
        if type(el).__name__ != "Bend":
            continue
        theta, rho = el.angle, el.length / el.angle
        total += (tw.dx[i] * np.sin(theta) + tw.dpx[i] * rho * (1 - np.cos(theta))
                  + rho * (theta - np.sin(theta)))
    # agrees to the second-order terms of the exact maps (1e-9 here, 5e-5 of 1/gamma0^2)
    assert abs(tw.momentum_compaction_factor - total / tw.circumference) < 5e-9


# README table 3: W functions relative to max |w|, chromaticities absolute
CHROM_TOL = {"fodo": (2e-5, 5e-5), "lhcb1": (2e-3, 5e-3), "sps": (5e-6, 5e-4),
             "ps": (2e-5, 2e-4), "fccee_z": (1e-1, 5e-3)}


@pytest.mark.parametrize("method", ["4d", "6d"])
@pytest.mark.parametrize("name", sorted(CHROM_TOL))
def test_chromatic_properties_match_reference(name, method, lattice_reference, lattice_line):
    """Montague W functions and first-order chromaticities of every reference lattice.

    W from the mean of the two off-momentum optics (MAD8 physics manual 6.3); in 6d the
    off-momentum orbits close in delta with the RF on (zeta where the net RF kick is zero);
    in 4d the thick cavities are their drift (SPS: else W 2.4x the tolerance).
    """
    tw = lattice_line(name).twiss(method=method)
    ref = lattice_reference(name, f"twiss{method}.json.gz")
    tol_w, tol_dq = CHROM_TOL[name]
    for p in ("x", "y"):
        w_ref = np.asarray(ref["columns"][f"w{p}_chrom"])
        assert np.max(np.abs(tw[f"w{p}_chrom"] - w_ref)) < tol_w * np.max(np.abs(w_ref))
        assert abs(getattr(tw, f"dq{p}") - ref["scalars"][f"dq{p}"]) < tol_dq


def test_frozen_one_turn_matrix_does_not_depend_on_zeta(lattice_line):
    """With the energy frozen the RF has no transverse effect: the 4d one-turn matrix of the
    SPS (one 4 m, 3 MV cavity) is the same at zeta = 0 and at the zeta of an off-momentum
    particle, and the cavity voltage is left as it was."""
    from xtrack.twiss.one_turn_matrix import compute_one_turn_matrix_finite_differences

    line = lattice_line("sps")
    voltage = line["actcse.31632"].voltage
    co = np.array([3.98075687e-04, 7.06619986e-06, 0.0, 0.0, 0.0, 5e-5])
    shifted = co.copy()
    shifted[4] = 2.63e-4
    R0, R1 = (compute_one_turn_matrix_finite_differences(line, c, freeze_longitudinal=True)["R_matrix"]
              for c in (co, shifted))
    assert np.max(np.abs(R1[:4, :4] - R0[:4, :4])) < 1e-12  # was 2e-7 with the RF kicking inside
    assert line["actcse.31632"].voltage == voltage == 3e6


# README table 3: dispersion dx, dy [m] and dpx, dpy, absolute
DISPERSION_TOL = {"fodo": (5e-7, 2e-8), "lhcb1": (1e-5, 5e-7), "sps": (1e-6, 5e-8),
                  "ps": (1e-7, 1e-8), "fccee_z": (2e-6, 2e-7)}


@pytest.mark.parametrize("method", ["4d", "6d"])
@pytest.mark.parametrize("name", sorted(DISPERSION_TOL))
def test_dispersion_matches_reference(name, method, lattice_reference, lattice_line):
    """Dispersion of every reference lattice. 4d: the off-momentum particles are displaced
    by the amplitude of the W columns (PS: with delta_disp = 1e-5 the delta^2 part of the
    finite difference put dpx at 2.5x the tolerance behind the combined-function bends)."""
    tw = lattice_line(name).twiss(method=method, compute_chromatic_properties=False)
    cols = lattice_reference(name, f"twiss{method}.json.gz")["columns"]
    tol_d, tol_dp = DISPERSION_TOL[name]
    for p in ("x", "y"):
        np.testing.assert_allclose(tw[f"d{p}"], cols[f"d{p}"], rtol=0, atol=tol_d)
        np.testing.assert_allclose(tw[f"dp{p}"], cols[f"dp{p}"], rtol=0, atol=tol_dp)


def test_off_momentum_orbit_closed_in_delta_with_rf(fodo):
    """fixed_delta: x, px, y, py and delta close over a turn with the RF on (zeta where the net
    RF kick is zero); zeta slips by (d zeta / d delta) delta, the 4d slip of the lattice."""
    from xtrack.twiss.closed_orbit import find_closed_orbit_coords
    from xtrack.twiss.particles_io import track_coords

    delta = 5e-5
    co, _ = find_closed_orbit_coords(fodo, co_guess=np.array([0, 0, 0, 0, 0, delta]), method="6d",
                                     delta0=delta, fixed_delta=True)
    assert co[5] == delta
    final, _ = track_coords(fodo, co[:, None])
    residual = final[:, 0] - co
    assert np.max(np.abs(residual[:4])) < 1e-11 and abs(residual[5]) < 1e-9
    slip = fodo.twiss4d(compute_chromatic_properties=False).slip_factor_dzeta_ddelta
    assert residual[4] == pytest.approx(slip * delta, rel=2e-3)
