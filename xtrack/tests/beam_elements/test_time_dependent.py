"""ACDipole and Exciter: golden maps and physics checks."""

import json

import numpy as np
import pytest
import xtrack as xt

REFERENCE_CLASSES = ["ACDipole", "Exciter"]

C_LIGHT = 299792458.0


def test_time_dependent_matches_reference(element_case, check_reference_case):
    passed, message = check_reference_case(element_case)
    assert passed, message


def _ramp(n, ramp):
    n1, n2, n3, n4 = ramp
    return np.interp(n, [n1, n2, n3, n4], [0.0, 1.0, 1.0, 0.0], left=0.0, right=0.0)


@pytest.mark.parametrize("plane,kicked,other", [("h", "px", "py"), ("x", "px", "py"),
                                                ("v", "py", "px"), ("y", "py", "px")])
def test_acdipole_ramped_kick(plane, kicked, other):
    turns = np.arange(0, 60, 3)
    ramp = [5, 15, 30, 50]
    p = xt.Particles(p0c=450e9, at_turn=turns, x=1e-3, y=-1e-3)
    xt.ACDipole(volt=1.5, freq=0.31, lag=0.1, ramp=ramp, plane=plane).track(p)
    expected = 0.3 * 1.5 / 450 * _ramp(turns, ramp) * np.sin(2 * np.pi * (0.31 * turns + 0.1))
    order = np.argsort(p.particle_id)
    np.testing.assert_allclose(getattr(p, kicked)[order], expected, rtol=1e-12, atol=1e-20)
    assert np.all(getattr(p, other) == 0)
    assert np.all(p.x == 1e-3) and np.all(p.y == -1e-3)


def test_acdipole_without_ramp_has_full_amplitude():
    p = xt.Particles(p0c=1e9, at_turn=[0, 1, 2, 3])
    xt.ACDipole(volt=2.0, freq=0.25).track(p)
    order = np.argsort(p.particle_id)
    np.testing.assert_allclose(p.px[order], 0.6 * np.sin(np.pi / 2 * np.arange(4)), rtol=0, atol=1e-15)


def test_acdipole_twiss_mode_moves_the_tune_to_the_driving_tune():
    q, q_drive, beta, alpha = 0.28, 0.265, 35.0, 0.7
    acd = xt.ACDipole(freq=q_drive, natural_q=q, beta_at_acdipole=beta, plane="h", twiss_mode=True)
    # linear map of the lens from tracking
    p = xt.Particles(p0c=1e9, x=[1e-6, 0], px=[0, 1e-6])
    acd.track(p)
    order = np.argsort(p.particle_id)
    lens = np.array([[p.x[order][0], p.x[order][1]], [p.px[order][0], p.px[order][1]]]) / 1e-6
    mu = 2 * np.pi * q
    gamma = (1 + alpha**2) / beta
    ring = np.array([[np.cos(mu) + alpha * np.sin(mu), beta * np.sin(mu)],
                     [-gamma * np.sin(mu), np.cos(mu) - alpha * np.sin(mu)]])
    np.testing.assert_allclose(np.trace(ring @ lens) / 2, np.cos(2 * np.pi * q_drive), rtol=1e-12)
    # switching twiss mode off gives the (zero-amplitude) tracking kick
    acd.twiss_mode = False
    p = xt.Particles(p0c=1e9, x=[1e-3])
    acd.track(p)
    assert p.px[0] == 0


def test_acdipole_dict_round_trip():
    acd = xt.ACDipole(volt=0.01, freq=0.27, lag=0.1, ramp=[0, 10, 20, 30], plane="v")
    dct = json.loads(json.dumps(acd.to_dict()))
    assert dct["plane"] == "v" and dct["ramp"] == [0, 10, 20, 30] and dct["twiss_mode"] is False
    again = xt.ACDipole.from_dict(dct)
    assert again.to_dict() == acd.to_dict()


def test_acdipole_bad_input():
    with pytest.raises(ValueError, match="plane must be one of"):
        xt.ACDipole(plane="z")
    with pytest.raises(ValueError, match="ramp"):
        xt.ACDipole(ramp=[0, 10, 20])
    with pytest.raises(ValueError, match="beta_at_acdipole"):
        xt.ACDipole(natural_q=0.3)
    with pytest.raises(TypeError, match="vol"):
        xt.ACDipole(voltage=1.0)


def _exciter(**kwargs):
    fs, frev = 10e6, 1e6
    samples = np.sin(2 * np.pi * 0.37e6 * np.arange(40) / fs)
    defaults = dict(samples=samples, sampling_frequency=fs, frev=frev, knl=[1e-4, 2e-3], ksl=[0, 1e-3])
    defaults.update(kwargs)
    return xt.Exciter(**defaults), samples, fs, frev


def test_exciter_kick_follows_the_sample_index():
    exc, samples, fs, frev = _exciter(start_turn=2)
    turns = np.array([1, 2, 2, 3, 4, 5, 6, 7])
    zeta = np.array([0.0, 0.0, -20.0, 3.0, -7.0, 0.0, -1.0, 0.0])
    x, y = 1e-3 * np.arange(1, 9), -5e-4 * np.ones(8)
    p = xt.Particles(p0c=26e9, at_turn=turns, zeta=zeta, x=x, y=y)
    exc.track(p)
    index = np.floor(fs * ((turns - 2) / frev - zeta / p.beta0[0] / C_LIGHT)).astype(int)
    on = (index >= 0) & (index < len(samples))
    value = np.where(on, samples.astype(np.float32)[np.clip(index, 0, len(samples) - 1)], 0.0)
    z = x + 1j * y
    field = (1e-4 + 2e-3 * z) + 1j * (1e-3 * z)
    order = np.argsort(p.particle_id)
    np.testing.assert_allclose(p.px[order], -value * field.real, rtol=1e-12, atol=1e-22)
    np.testing.assert_allclose(p.py[order], value * field.imag, rtol=1e-12, atol=1e-22)
    assert not on[0] and not on[-1]  # before the start and after the end: no kick


def test_exciter_repeats_the_waveform_over_the_duration():
    exc, samples, fs, frev = _exciter(duration=100 / 10e6, knl=[1e-4], ksl=None)
    assert exc.nduration == 100 and exc.nsamples == 40 and exc.order == 0
    turns = np.array([4, 8, 9, 10])  # sample indices 40, 80, 90, 100
    p = xt.Particles(p0c=26e9, at_turn=turns)
    exc.track(p)
    order = np.argsort(p.particle_id)
    s32 = samples.astype(np.float32)
    np.testing.assert_allclose(p.px[order], -1e-4 * np.array([s32[0], s32[0], s32[10], 0.0]),
                               rtol=1e-12, atol=1e-22)


def test_exciter_is_symplectic_at_fixed_time():
    exc, *_ = _exciter(knl=[1e-4, 2e-3, 0.3], ksl=[0, 1e-3, 0.1])
    eps = 1e-7
    base = np.array([1e-3, 1e-4, -2e-3, 2e-4])
    names = ("x", "px", "y", "py")
    coords = {k: np.full(8, base[i]) for i, k in enumerate(names)}
    for j, k in enumerate(names):
        coords[k][2 * j] += eps
        coords[k][2 * j + 1] -= eps
    p = xt.Particles(p0c=26e9, at_turn=1, zeta=0.3, **coords)
    exc.track(p)
    order = np.argsort(p.particle_id)
    out = np.array([np.asarray(getattr(p, k))[order] for k in names])
    m = (out[:, 0::2] - out[:, 1::2]) / (2 * eps)
    s = np.kron(np.eye(2), np.array([[0.0, 1.0], [-1.0, 0.0]]))
    np.testing.assert_allclose(m.T @ s @ m, s, rtol=0, atol=1e-9)


def test_exciter_stores_float32_and_round_trips():
    exc, samples, *_ = _exciter(start_turn=3)
    assert exc.samples.dtype == np.float32
    dct = json.loads(json.dumps(exc.to_dict()))
    again = xt.Exciter.from_dict(dct)
    assert again.to_dict() == exc.to_dict()
    kwargs = dict(p0c=26e9, at_turn=[3, 4, 5], zeta=[0.0, 1.0, -2.0], x=[1e-3, 2e-3, -1e-3])
    p1, p2 = xt.Particles(**kwargs), xt.Particles(**kwargs)
    exc.track(p1)
    again.track(p2)
    assert np.all(p1.px == p2.px) and np.all(p1.py == p2.py)
    reserved = xt.Exciter(nsamples=16, sampling_frequency=1e6, frev=1e5, knl=[1.0])
    assert len(reserved.samples) == 16 and np.all(reserved.samples == 0)


def test_exciter_bad_input():
    with pytest.raises(ValueError, match="nsamples"):
        xt.Exciter(samples=[0.0, 1.0], nsamples=3)
    with pytest.raises(ValueError, match="duration"):
        xt.Exciter(samples=[0.0, 1.0], duration=1e-6, nduration=4)
    with pytest.raises(TypeError, match="sampling_freq"):
        xt.Exciter(samples=[0.0], sampling_freq=1e6)
