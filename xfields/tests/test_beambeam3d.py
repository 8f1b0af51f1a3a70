"""BeamBeamBiGaussian3D: golden single-pass maps, symplecticity, head-on tune shift, inputs."""

import json
from pathlib import Path

import numpy as np
import pytest
import xtrack as xt

from xfields.beam_elements.beambeam3d import BeamBeamBiGaussian3D

REFERENCE = (Path(__file__).resolve().parents[3] / "shared" / "reference" / "xtrack" / "elements"
             / "BeamBeamBiGaussian3D.json")
CANONICAL = ("x", "px", "y", "py", "zeta", "pzeta")
P0C = 7e12
PROTON_MASS = 938272088.16
R0_PROTON = 1.5346982e-18  # classical proton radius [m] (CODATA)


def _reference_cases():
    if not REFERENCE.is_file():
        return []
    return json.loads(REFERENCE.read_text())["cases"]


def _particles(**coords):
    return xt.Particles(p0c=P0C, mass0=PROTON_MASS, **{k: np.atleast_1d(v) for k, v in coords.items()})


def _coupled_element(**over):
    kw = dict(phi=2e-3, alpha=0.7, other_beam_q0=1.0,
              slices_other_beam_num_particles=[4e10, 7e10, 4e10],
              slices_other_beam_zeta_center=[0.06, 0.0, -0.06],
              slices_other_beam_x_center=[1e-6, 0.0, -2e-6],
              slices_other_beam_Sigma_11=2.5e-10, slices_other_beam_Sigma_12=3e-11,
              slices_other_beam_Sigma_13=4e-11, slices_other_beam_Sigma_14=1e-11,
              slices_other_beam_Sigma_22=1e-8, slices_other_beam_Sigma_23=-1e-11,
              slices_other_beam_Sigma_24=2e-9, slices_other_beam_Sigma_33=1.6e-10,
              slices_other_beam_Sigma_34=-2e-11, slices_other_beam_Sigma_44=2e-8)
    kw.update(over)
    return BeamBeamBiGaussian3D(**kw)


def _track_point(element, point, coords=CANONICAL):
    p = _particles(**dict(zip(coords, point)))
    element.track(p)
    return np.array([getattr(p, c)[0] for c in coords])


@pytest.mark.skipif(not REFERENCE.is_file(), reason="element reference data not available")
@pytest.mark.parametrize("case", _reference_cases(), ids=lambda c: c["id"])
@pytest.mark.parametrize("rebuild", ["from_dict", "element_kwargs"])
def test_reference_single_pass(case, rebuild):
    if rebuild == "from_dict":
        element = BeamBeamBiGaussian3D.from_dict(case["element"])
    else:
        element = BeamBeamBiGaussian3D(**case["element_kwargs"])
    pin, pout = case["particles_in"], case["particles_out"]
    names = ("x", "px", "y", "py", "zeta", "delta", "charge_ratio", "chi", "s", "state",
             "at_element", "at_turn", "particle_id")
    p = xt.Particles(mass0=pin["mass0"], q0=pin["q0"], p0c=pin["p0c"][0],
                     **{k: np.array(pin[k]) for k in names})
    element.track(p)
    order = np.argsort(p.particle_id)
    for name in ("x", "px", "y", "py", "zeta", "delta", "ptau", "pzeta", "rpp", "rvv"):
        got, ref = np.asarray(getattr(p, name))[order], np.array(pout[name])
        assert np.all(np.abs(got - ref) <= 1e-13 + 1e-9 * np.abs(ref)), name


@pytest.mark.skipif(not REFERENCE.is_file(), reason="element reference data not available")
def test_star_moments_from_accelerator_frame():
    # the constructor boosts the slices exactly as the reference element stores them
    for case in _reference_cases():
        built = BeamBeamBiGaussian3D(**case["element_kwargs"]).to_dict()
        for key, value in case["element"].items():
            if key.endswith("_star"):
                np.testing.assert_allclose(built[key], value, rtol=1e-14, atol=1e-30, err_msg=key)


def test_dict_round_trip_tracks_identically():
    element = _coupled_element(ref_shift_x=1e-6, other_beam_shift_y=-2e-6, post_subtract_px=3e-8)
    dct = element.to_dict()
    json.dumps(dct)  # plain JSON types
    again = BeamBeamBiGaussian3D.from_dict(dct)
    assert again.to_dict() == dct
    point = [2e-5, 1e-6, -1e-5, 2e-6, 0.02, 3e-4]
    assert np.array_equal(_track_point(element, point), _track_point(again, point))
    assert again.phi == pytest.approx(2e-3, rel=1e-15)
    assert again.alpha == pytest.approx(0.7, rel=1e-15)


def test_boost_and_inverse_boost_are_inverse():
    # without charge the element is the boost followed by its inverse: the identity
    element = _coupled_element(phi=0.02, slices_other_beam_num_particles=[0.0, 0.0, 0.0])
    point = np.array([3e-4, 2e-4, -1e-4, 3e-4, 0.05, 2e-3])
    np.testing.assert_allclose(_track_point(element, point), point, rtol=0, atol=1e-15)


@pytest.mark.parametrize("kind", ["uncoupled", "coupled"])
def test_map_is_symplectic(kind):
    if kind == "coupled":
        element = _coupled_element()
    else:
        element = _coupled_element(slices_other_beam_Sigma_13=0.0, slices_other_beam_Sigma_14=0.0,
                                   slices_other_beam_Sigma_23=0.0, slices_other_beam_Sigma_24=0.0)
    # Hirata's map is symplectic in (x, px, y, py, zeta, delta) (ultra-relativistic
    # synchro-beam variables); central differences resolve ~4e-9 here
    coords = ("x", "px", "y", "py", "zeta", "delta")
    point = np.array([1.2e-5, 2e-6, -0.8e-5, 1e-6, 0.03, 1e-4])
    steps = np.array([1e-8, 1e-9, 1e-8, 1e-9, 1e-5, 1e-6])
    jac = np.zeros((6, 6))
    for j in range(6):
        e = np.zeros(6)
        e[j] = steps[j]
        jac[:, j] = (_track_point(element, point + e, coords)
                     - _track_point(element, point - e, coords)) / (2 * steps[j])
    omega = np.kron(np.eye(3), np.array([[0.0, 1.0], [-1.0, 0.0]]))
    kick = np.max(np.abs(jac - np.eye(6)))
    assert kick > 1e-3  # the map is far from the identity ...
    assert np.max(np.abs(jac.T @ omega @ jac - omega)) < 1e-6 * kick  # ... and symplectic


def test_tilted_slice_kick_is_rotated_upright_kick():
    # a slice tilted by theta kicks like the upright slice seen in the rotated frame
    theta, s_u, s_v = 0.3, 2.2e-5, 1.1e-5
    c, s = np.cos(theta), np.sin(theta)
    sig11 = c * c * s_u ** 2 + s * s * s_v ** 2
    sig33 = s * s * s_u ** 2 + c * c * s_v ** 2
    sig13 = c * s * (s_u ** 2 - s_v ** 2)
    common = dict(phi=0.0, alpha=0.0, other_beam_q0=1.0, slices_other_beam_num_particles=[1e11],
                  slices_other_beam_zeta_center=[0.0])
    tilted = BeamBeamBiGaussian3D(slices_other_beam_Sigma_11=sig11, slices_other_beam_Sigma_33=sig33,
                                  slices_other_beam_Sigma_13=sig13, **common)
    upright = BeamBeamBiGaussian3D(slices_other_beam_Sigma_11=s_u ** 2,
                                   slices_other_beam_Sigma_33=s_v ** 2, **common)
    x, y = 1.5e-5, -0.7e-5
    got = _track_point(tilted, [x, 0, y, 0, 0, 0])
    ref = _track_point(upright, [c * x + s * y, 0, -s * x + c * y, 0, 0, 0])
    kick_u, kick_v = ref[1], ref[3]
    np.testing.assert_allclose([got[1], got[3]], [c * kick_u - s * kick_v, s * kick_u + c * kick_v],
                               rtol=1e-12, atol=1e-20)


def test_head_on_tune_shift():
    # round beams, head-on, short bunch: xi = N r0 beta* / (4 pi gamma sigma^2)
    num_particles, beta_star, sigma = 1.15e11, 0.55, 16.7e-6
    qx, qy = 0.31, 0.32
    element = BeamBeamBiGaussian3D(phi=0.0, alpha=0.0, other_beam_q0=1.0,
                                   slices_other_beam_num_particles=[num_particles],
                                   slices_other_beam_zeta_center=[0.0],
                                   slices_other_beam_Sigma_11=sigma ** 2,
                                   slices_other_beam_Sigma_33=sigma ** 2)
    ring = xt.Line(elements=[xt.LineSegmentMap(qx=qx, qy=qy, betx=beta_star, bety=beta_star),
                             element], element_names=["arc", "ip"])
    ring.particle_ref = xt.Particles(p0c=P0C, mass0=PROTON_MASS)
    gamma = ring.particle_ref.gamma0[0]
    xi = num_particles * R0_PROTON * beta_star / (4 * np.pi * gamma * sigma ** 2)
    # one-turn matrix at small amplitude: cos(2 pi Q) = trace / 2
    eps = 1e-9
    offsets = {"x": [eps, -eps, 0, 0], "px": [0, 0, eps / beta_star, -eps / beta_star]}
    p = xt.Particles(p0c=P0C, mass0=PROTON_MASS, **offsets)
    ring.track(p)
    m11 = (p.x[0] - p.x[1]) / (2 * eps)
    m22 = (p.px[2] - p.px[3]) / (2 * eps / beta_star)
    tune = np.arccos((m11 + m22) / 2) / (2 * np.pi)
    assert xi > 1e-3
    assert tune - qx == pytest.approx(-xi, rel=0.02)  # same-charge beams focus: tune decreases


@pytest.mark.parametrize("missing, message", [
    ("other_beam_q0", "other_beam_q0"),
    ("slices_other_beam_num_particles", "slices_other_beam_num_particles"),
    ("phi", "phi"),
    ("slices_other_beam_zeta_center", "slices_other_beam_zeta_center"),
    ("slices_other_beam_Sigma_11", "slices_other_beam_Sigma_11"),
])
def test_missing_inputs_are_named(missing, message):
    kw = dict(phi=0.0, alpha=0.0, other_beam_q0=1.0, slices_other_beam_num_particles=[1e11],
              slices_other_beam_zeta_center=[0.0], slices_other_beam_Sigma_11=1e-10,
              slices_other_beam_Sigma_33=1e-10)
    kw.pop(missing)
    with pytest.raises(ValueError, match=message):
        BeamBeamBiGaussian3D(**kw)


def test_bad_inputs_are_explained():
    base = dict(phi=0.0, alpha=0.0, other_beam_q0=1.0, slices_other_beam_num_particles=[1e11, 1e11],
                slices_other_beam_zeta_center=[0.1, -0.1], slices_other_beam_Sigma_11=1e-10,
                slices_other_beam_Sigma_33=1e-10)
    with pytest.raises(ValueError, match=r"slices_other_beam_zeta_center must have one entry per slice \(2"):
        BeamBeamBiGaussian3D(**{**base, "slices_other_beam_zeta_center": [0.0, 0.1, 0.2]})
    with pytest.raises(ValueError, match="slices_other_beam_Sigma_33 must be >= 0"):
        BeamBeamBiGaussian3D(**{**base, "slices_other_beam_Sigma_33": -1e-10})
    with pytest.raises(ValueError, match=r"phi=2.0 must satisfy \|phi\| < pi/2"):
        BeamBeamBiGaussian3D(**{**base, "phi": 2.0})
    with pytest.raises(NotImplementedError, match="flag_beamstrahlung=3 .* allowed: 0, 1, 2"):
        BeamBeamBiGaussian3D(**{**base, "flag_beamstrahlung": 3})
    with pytest.raises(TypeError, match="slices_other_beam_Sigma_55"):
        BeamBeamBiGaussian3D(**{**base, "slices_other_beam_Sigma_55": 1e-10})


@pytest.mark.parametrize("sigma_x, sigma_y", [(2e-5, 1.2e-5), (1e-6, 3e-5), (1.7e-5, 1.7e-5)])
def test_thin_head_on_kick_is_bassetti_erskine(sigma_x, sigma_y):
    # one slice, no crossing, particle at the slice (S = 0): dpx + i dpy follows from the
    # Bassetti-Erskine field, w(z) from scipy's Faddeeva (M. Bassetti, G.A. Erskine,
    # CERN-ISR-TH/80-06; round limit E_r = (1 - exp(-r^2 / 2 sigma^2)) / (2 pi eps0 r))
    from scipy.special import wofz

    eps0, qe, n_charges = 8.854187817620e-12, 1.60217662e-19, 1e11
    element = BeamBeamBiGaussian3D(phi=0.0, alpha=0.0, other_beam_q0=1.0,
                                   slices_other_beam_num_particles=[n_charges],
                                   slices_other_beam_zeta_center=[0.0],
                                   slices_other_beam_Sigma_11=sigma_x ** 2,
                                   slices_other_beam_Sigma_33=sigma_y ** 2)
    scale = max(sigma_x, sigma_y)
    grid = scale * np.array([0.01, 0.3, 1.0, 2.5, 6.0, 15.0])
    x, y = [a.ravel() for a in np.meshgrid(np.concatenate([-grid, grid]), np.concatenate([-grid[::2], grid]))]
    p = _particles(x=x, y=y)
    element.track(p)
    if sigma_x == sigma_y:
        r2 = x * x + y * y
        e_over_r = (1 - np.exp(-r2 / (2 * sigma_x ** 2))) / (2 * np.pi * eps0 * r2)
        ex, ey = e_over_r * x, e_over_r * y
    else:
        big, small = max(sigma_x, sigma_y), min(sigma_x, sigma_y)
        u, v = (np.abs(x), np.abs(y)) if sigma_x > sigma_y else (np.abs(y), np.abs(x))
        s = np.sqrt(2 * (big ** 2 - small ** 2))
        w = (wofz((u + 1j * v) / s) - np.exp(-u ** 2 / (2 * big ** 2) - v ** 2 / (2 * small ** 2))
             * wofz((u * small / big + 1j * v * big / small) / s)) / (2 * eps0 * np.sqrt(np.pi) * s)
        e_u, e_v = w.imag, w.real
        ex, ey = (e_u, e_v) if sigma_x > sigma_y else (e_v, e_u)
        ex, ey = np.sign(x) * ex, np.sign(y) * ey
    factor = n_charges * qe / P0C
    np.testing.assert_allclose(p.px, factor * ex, rtol=1e-12, atol=1e-13 * np.max(np.abs(factor * ex)))
    np.testing.assert_allclose(p.py, factor * ey, rtol=1e-12, atol=1e-13 * np.max(np.abs(factor * ey)))


def test_top_level_names():
    import xfields as xf

    assert xf.BeamBeamBiGaussian3D is BeamBeamBiGaussian3D
    assert "BeamBeamBiGaussian3D" in xf.__all__
