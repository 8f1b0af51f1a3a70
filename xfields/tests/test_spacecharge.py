"""SpaceChargeBiGaussian, LongitudinalProfileQGaussian and the space-charge installers:
golden kicks, profile moments, the longitudinal kick against the exact potential,
symplecticity, Laslett tune shift, quasi-frozen update, dict format, inputs."""

import json

import numpy as np
import pytest
import xtrack as xt
from scipy.integrate import quad, trapezoid

import xfields as xf
from xfields._testing import jacobian, reference_mismatches, symplecticity_error, track_reference_case

PROTON_MASS = 938272088.16
R0_PROTON = 1.5346982e-18  # [m] classical proton radius
QELEM, EPSILON_0 = 1.60217662e-19, 8.854187817620e-12  # values of the reference data
CLASSES = {"LongitudinalProfileQGaussian": xf.LongitudinalProfileQGaussian}
TRANSVERSE = ("x", "px", "y", "py", "zeta")


def _cases(reference_dir):
    return json.loads((reference_dir / "xtrack" / "elements" / "SpaceChargeBiGaussian.json")
                      .read_text())["cases"]


@pytest.mark.parametrize("rebuild", ["from_dict", "element_kwargs"])
def test_reference_single_pass(reference_dir, rebuild):
    failures = {}
    for case in _cases(reference_dir):
        got, expected = track_reference_case(xf.SpaceChargeBiGaussian, case, rebuild, CLASSES)
        # the longitudinal kick uses our own potential (see test_longitudinal_kick_...):
        # with it on, only the transverse kick is compared with the reference. What the
        # reference case shows of the established one (dpzeta / (-K lambda') per particle,
        # K from its dpx): zero at the origin (particle 0), and within 3.5% of
        # phi(|x|, |y|) - phi(0, 0) of the offset beam (even in x and y: not a potential
        # of the offset bunch, ours is off by up to 93%); no quadrature of the field,
        # reference point, profile-derivative or Gaussian-parameter variant closes the gap.
        names = TRANSVERSE if case["element"].get("z_kick_num_integ_per_sigma") else None
        bad = reference_mismatches(got, expected, *(names,) if names else ())
        if bad:
            failures[case["id"]] = bad
    assert not failures


def _assert_written(got, expected, where=""):
    """Every entry of `expected` is in `got`: numbers to 1e-15, the rest (names, flags,
    None) exactly, nested dicts (the longitudinal profile) entry by entry."""
    for key, value in expected.items():
        path = f"{where}{key}"
        if isinstance(value, dict):
            _assert_written(got[key], value, path + ".")
        elif isinstance(value, (str, bool)) or value is None:  # approx refuses these in pytest >= 9.2
            assert got[key] == value, path
        else:
            assert got[key] == pytest.approx(value, rel=1e-15), path


def test_established_dict_round_trips(reference_dir):
    for case in _cases(reference_dir):
        element = xf.SpaceChargeBiGaussian.from_dict(case["element"])
        dct = element.to_dict()
        json.dumps(dct)
        _assert_written(dct, case["element"])  # everything the established format writes
        assert xf.SpaceChargeBiGaussian.from_dict(dct).to_dict() == dct


@pytest.mark.parametrize("q", [0.0, 0.5, 0.95, 1.0, 1.05, 1.3])
def test_profile_has_its_number_of_particles_centre_and_rms_length(q):
    npart, z0, sigma_z = 1e11, 0.1, 0.2
    prof = xf.LongitudinalProfileQGaussian(number_of_particles=npart, sigma_z=sigma_z, z0=z0,
                                           q_parameter=q)
    z = np.linspace(-40 * sigma_z, 40 * sigma_z, 400_001)  # long tails for q = 1.3
    lam = np.asarray(prof.line_density(z))
    area = trapezoid(lam, z)
    mean = trapezoid(lam * z, z) / area
    rms = np.sqrt(trapezoid(lam * (z - mean) ** 2, z) / area)
    tail = 1e-3 if q > 1.2 else 1e-6  # q = 1.3 has power-law tails ~ |z|^-6.7 beyond the grid
    assert area == pytest.approx(npart, rel=tail)
    assert mean == pytest.approx(z0, rel=1e-6)
    assert rms == pytest.approx(sigma_z, rel=10 * tail)
    derivative = np.asarray(prof.line_derivative(z))
    inside = lam > 1e-3 * lam.max()  # away from the kinks at the edges of a compact support
    np.testing.assert_allclose(derivative[inside], np.gradient(lam, z)[inside],
                               rtol=1e-4, atol=1e-6 * np.abs(derivative).max())
    if q < 1:
        half_width = 1 / np.sqrt((1 - q) / (sigma_z ** 2 * (5 - 3 * q)))
        assert np.all(lam[np.abs(z - z0) > half_width] == 0)


def test_profile_parameters_can_change():
    prof = xf.LongitudinalProfileQGaussian(number_of_particles=1e10, sigma_z=0.3)
    prof.sigma_z, prof.q_parameter, prof.z0 = 0.6, 0.8, -0.1
    again = xf.LongitudinalProfileQGaussian(number_of_particles=1e10, sigma_z=0.6, z0=-0.1,
                                            q_parameter=0.8)
    assert prof.to_dict() == again.to_dict()


@pytest.mark.parametrize("kw, message", [
    (dict(number_of_particles=1e10, sigma_z=-1.0), "sigma_z must be > 0"),
    (dict(number_of_particles=1e10, sigma_z=1.0, q_parameter=1.7), "q_parameter=1.7 must be < 5/3"),
    (dict(sigma_z=1.0), "number_of_particles and sigma_z are required"),
])
def test_profile_bad_inputs_are_explained(kw, message):
    with pytest.raises(ValueError, match=message):
        xf.LongitudinalProfileQGaussian(**kw)


def _element(**kw):
    base = dict(length=5.0, sigma_x=2e-3, sigma_y=1.2e-3, mean_x=1e-4, mean_y=-2e-4,
                longitudinal_profile=xf.LongitudinalProfileQGaussian(
                    number_of_particles=1e11, sigma_z=0.4, z0=0.02, q_parameter=1.1))
    return xf.SpaceChargeBiGaussian(**{**base, **kw})


COORDS = ("x", "px", "y", "py", "zeta", "pzeta")


def _track_point(element, point, p0c=1e9):
    p = xt.Particles(p0c=p0c, mass0=PROTON_MASS, **dict(zip(COORDS, point)))
    element.track(p)
    return np.array([getattr(p, c)[0] for c in COORDS])


def _exact_potential(x, y, sigma_x, sigma_y):
    """phi(x, y) - phi(0, 0) [V per C/m] of a unit-density bi-Gaussian (integral form).

    phi = -1/(4 pi eps0) int_0^inf (1 - exp(-x^2/(2sx^2+t) - y^2/(2sy^2+t)))
          / sqrt((2sx^2+t)(2sy^2+t)) dt   (e.g. Bassetti, Erskine 1980, eq. 2).
    """
    def integrand(t):
        a, b = 2 * sigma_x ** 2 + t, 2 * sigma_y ** 2 + t
        return -np.expm1(-x * x / a - y * y / b) / np.sqrt(a * b)
    return -quad(integrand, 0, np.inf, epsabs=0, epsrel=1e-11, limit=400)[0] / (4 * np.pi * EPSILON_0)


def test_longitudinal_kick_derives_from_the_potential():
    # dpzeta = -K lambda'(zeta) phi(x - mean_x, y - mean_y), K the transverse kick's factor
    element = _element(z_kick_num_integ_per_sigma=10)
    fine = _element(z_kick_num_integ_per_sigma=40)
    frozen = _element()
    prof = element.longitudinal_profile
    p = xt.Particles(p0c=1e9, mass0=PROTON_MASS)
    beta0, gamma0 = p.beta0[0], p.gamma0[0]
    factor = QELEM * 5.0 * (1 - beta0 ** 2) / (PROTON_MASS * gamma0 * beta0 ** 2)
    for x, y, zeta in [(3e-3, -1e-3, 0.3), (-1e-3, 2.5e-3, -0.5), (5e-4, 1e-4, 0.1), (7e-3, 4e-3, -0.2)]:
        out = _track_point(element, [x, 0, y, 0, zeta, 0])
        dlam = float(prof.line_derivative(np.array([zeta]))[0])
        phi = _exact_potential(x - 1e-4, y + 2e-4, 2e-3, 1.2e-3)
        # Simpson's error falls as h^4: ~2e-6 of phi with 10 steps per sigma, ~1e-8 with 40
        assert out[5] == pytest.approx(-factor * dlam * phi, rel=5e-6)
        assert _track_point(fine, [x, 0, y, 0, zeta, 0])[5] == pytest.approx(-factor * dlam * phi, rel=2e-8)
        np.testing.assert_array_equal(out[:4], _track_point(frozen, [x, 0, y, 0, zeta, 0])[:4])
    assert _track_point(element, [1e-4, 0, -2e-4, 0, 0.3, 0])[5] == 0.0  # at the bunch centre


@pytest.mark.parametrize("z_kick", [0, 10])
def test_kick_is_symplectic(z_kick):
    element = _element(z_kick_num_integ_per_sigma=z_kick)
    point = np.array([2e-3, 1e-4, -1e-3, 2e-4, 0.25, 1e-3])
    steps = np.array([1e-7, 1e-7, 1e-7, 1e-7, 1e-5, 1e-7])
    jac = jacobian(lambda pt: _track_point(element, pt), point, steps)
    strength = np.max(np.abs(jac - np.eye(6)))
    assert strength > 1e-5
    # with the longitudinal kick off the map is symplectic only in the transverse planes
    planes = slice(None) if z_kick else slice(0, 4)
    assert symplecticity_error(jac[planes, planes]) < 1e-5 * strength


def _fodo_ring(num_cells=8):
    elements, names = [], []
    for i in range(num_cells):
        elements += [xt.Quadrupole(length=0.5, k1=0.35), xt.Drift(length=4.5),
                     xt.Quadrupole(length=0.5, k1=-0.35), xt.Drift(length=4.5)]
        names += [f"qf{i}", f"d1_{i}", f"qd{i}", f"d2_{i}"]
    line = xt.Line(elements=elements, element_names=names)
    line.particle_ref = xt.Particles(p0c=1e9, mass0=PROTON_MASS)
    return line


def test_frozen_space_charge_tune_shift_is_laslett():
    # bunched beam, particle at the bunch centre: the incoherent tune shift is
    # dQx = -r0 lambda / (2 pi beta0^2 gamma0^3) sum L betx / (sigma_x (sigma_x + sigma_y))
    # (L.J. Laslett, BNL 7534 (1963); e.g. Reiser, 2nd ed., eq. 4.342)
    line = _fodo_ring()
    q0 = line.twiss(method="4d")
    npart, sigma_z, nemitt_x, nemitt_y = 5e9, 1.0, 2e-6, 1e-6
    prof = xf.LongitudinalProfileQGaussian(number_of_particles=npart, sigma_z=sigma_z)
    elements = xf.install_spacecharge_frozen(
        line=line, longitudinal_profile=prof, nemitt_x=nemitt_x, nemitt_y=nemitt_y,
        sigma_z=sigma_z, num_spacecharge_interactions=40, delta_rms=1e-3)
    assert len(elements) == 40 and line.get_length() == pytest.approx(80.0)
    assert sum(e.length for e in elements) == pytest.approx(80.0, rel=1e-12)
    q1 = line.twiss(method="4d")
    ref = line.particle_ref
    beta0, gamma0 = ref.beta0[0], ref.gamma0[0]
    lam = npart / (np.sqrt(2 * np.pi) * sigma_z)
    ex, ey = nemitt_x / (beta0 * gamma0), nemitt_y / (beta0 * gamma0)
    betx = np.array([e.sigma_x ** 2 / ex for e in elements])  # no dispersion in this ring
    bety = np.array([e.sigma_y ** 2 / ey for e in elements])
    sx, sy, length = (np.array([getattr(e, a) for e in elements]) for a in ("sigma_x", "sigma_y", "length"))
    k = -R0_PROTON * lam / (2 * np.pi * beta0 ** 2 * gamma0 ** 3)
    dqx, dqy = k * np.sum(length * betx / (sx * (sx + sy))), k * np.sum(length * bety / (sy * (sx + sy)))
    assert dqx < -5e-3 and dqy < -5e-3  # a measurable shift
    # first-order perturbation theory and 40 lumped kicks: measured 0.3 % (x), 0.5 % (y)
    assert q1.qx - q0.qx == pytest.approx(dqx, rel=0.01)
    assert q1.qy - q0.qy == pytest.approx(dqy, rel=0.01)


def test_quasi_frozen_measures_the_tracked_bunch():
    line = _fodo_ring(num_cells=2)
    prof = xf.LongitudinalProfileQGaussian(number_of_particles=1e10, sigma_z=0.5)
    xf.install_spacecharge_frozen(line=line, longitudinal_profile=prof, nemitt_x=2e-6,
                                  nemitt_y=2e-6, sigma_z=0.5, num_spacecharge_interactions=4,
                                  delta_rms=0.0)
    elements = xf.replace_spacecharge_with_quasi_frozen(line, update_sigma_y_on_track=False)
    assert len(elements) == 4 and all(e.iscollective for e in elements)
    sigma_y_installed = elements[0].sigma_y
    rng = np.random.default_rng(2)
    p = xt.Particles(p0c=1e9, mass0=PROTON_MASS, x=rng.normal(1e-3, 3e-3, 2000),
                     y=rng.normal(0, 1e-3, 2000))
    x0, y0 = np.array(p.x), np.array(p.y)
    line.track(p, num_turns=1)
    assert elements[0].mean_x == pytest.approx(np.mean(x0), rel=1e-12)
    assert elements[0].sigma_x == pytest.approx(np.std(x0), rel=1e-12)
    assert elements[0].mean_y == pytest.approx(np.mean(y0), abs=1e-15)
    assert elements[0].sigma_y == sigma_y_installed  # not measured
    assert elements[1].sigma_x != elements[0].sigma_x  # measured again further on


@pytest.mark.parametrize("kw, error, message", [
    (dict(length=None), ValueError, r"length \[m\] is required"),
    (dict(sigma_x=0.0), ValueError, "sigma_x must be > 0"),
    (dict(z_kick_num_integ_per_sigma=-1), ValueError, "z_kick_num_integ_per_sigma must be"),
    (dict(update_on_track=["sigma_z"]), ValueError, "update_on_track=.*allowed"),
    (dict(longitudinal_profile=3.0), TypeError, "longitudinal_profile must be"),
])
def test_bad_inputs_are_explained(kw, error, message):
    with pytest.raises(error, match=message):
        _element(**kw)


def test_installer_inputs_are_explained():
    line = _fodo_ring(num_cells=1)
    prof = xf.LongitudinalProfileQGaussian(number_of_particles=1e10, sigma_z=0.5)
    common = dict(line=line, longitudinal_profile=prof, nemitt_x=1e-6, nemitt_y=1e-6, sigma_z=0.5,
                  delta_rms=0.0)
    with pytest.raises(ValueError, match="num_spacecharge_interactions must be a positive integer"):
        xf.install_spacecharge_frozen(**common)
    with pytest.raises(ValueError, match="nemitt_x must be > 0"):
        xf.install_spacecharge_frozen(**{**common, "nemitt_x": 0.0}, num_spacecharge_interactions=2)
    with pytest.raises(ValueError, match="no SpaceChargeBiGaussian"):
        xf.replace_spacecharge_with_quasi_frozen(line)
