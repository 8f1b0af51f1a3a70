"""The per-particle C API: same results as the Python side, on CPU and OpenCL."""

import json

import numpy as np
import pytest

import xpart as xp
from xpart.particles.random import next_uniform

from .kernel_harness import CpuRunner, OpenclRunner


@pytest.fixture(scope="module")
def cpu_runner():
    return CpuRunner()


@pytest.fixture
def runner(context, cpu_runner):
    if type(context).__name__ == "ContextCpu":
        return cpu_runner
    if type(context).__name__ == "ContextPyopencl":
        return OpenclRunner(context)
    pytest.skip("the test harness builds kernels for CPU and OpenCL only")


def _particles(context, **kwargs):
    rng = np.random.default_rng(3)
    n = 12
    return xp.Particles(_context=context, p0c=26e9, x=rng.normal(size=n) * 1e-3,
                        px=rng.normal(size=n) * 1e-4, py=rng.normal(size=n) * 1e-4,
                        zeta=rng.normal(size=n) * 0.1, delta=rng.uniform(-1e-2, 1e-2, n),
                        state=[1] * 10 + [0, -1], **kwargs)


def _values(n=12):
    return np.linspace(-3e-3, 4e-3, n)


@pytest.mark.parametrize("op,python", [("update_delta", "update_delta"),
                                       ("update_ptau", "update_ptau"),
                                       ("update_pzeta", "update_pzeta"),
                                       ("update_p0c", "update_p0c")])
def test_kernel_updates_agree_with_python_and_skip_lost(context, runner, op, python):
    p = _particles(context)
    values = _values() if op != "update_p0c" else np.full(12, 27e9)
    expected = p.copy(_context=xp.Particles()._context)
    lost_before = {k: v[10:].copy() for k, v in p.to_dict().items() if np.ndim(v)}
    runner.run(p, op, values)
    masked = np.where(np.arange(12) < 10, values, np.nan)  # lost particles untouched
    getattr(expected, python)(masked)
    got, exp = p.to_dict(), expected.to_dict()
    for key in ("delta", "pzeta", "rpp", "rvv", "p0c", "beta0", "gamma0", "px", "py", "zeta"):
        # C and Python formulas differ in operation order: a few ulp, and
        # pzeta by ~eps/beta0^2 absolute
        np.testing.assert_allclose(got[key], exp[key], rtol=1e-14, atol=1e-15, err_msg=key)
    for key, before in lost_before.items():
        np.testing.assert_array_equal(got[key][10:], before, err_msg=key)


def test_kernel_add_to_energy_and_kill(context, runner):
    p = _particles(context)
    energy_before = p.copy(_context=xp.Particles()._context).energy
    runner.run(p, "add_to_energy", np.full(12, 5e6))
    energy = p.copy(_context=xp.Particles()._context).energy
    # 5 MeV on 26 GeV: relative round-off of the energy difference ~ eps E / dE
    np.testing.assert_allclose(energy[:10] - energy_before[:10], 5e6, rtol=1e-7)
    np.testing.assert_array_equal(energy[10:], energy_before[10:])
    runner.run(p, "kill_if_x_above", np.full(12, 0.0))
    dct = p.to_dict()
    assert np.all(dct["state"][:10][dct["x"][:10] > 0] == -3)
    # killing does not move particles; reorganize does
    n_killed = int(np.sum(dct["state"] == -3))
    assert p.reorganize() == (10 - n_killed, 2 + n_killed)


def test_kernel_random_generator_matches_numpy_oracle(context, runner):
    p = _particles(context)
    p._init_random_number_generator(seeds=np.arange(12))
    states = [p.to_dict()[k][:10].copy() for k in ("_rng_s1", "_rng_s2", "_rng_s3", "_rng_s4")]
    for _ in range(3):
        runner.run(p, "random", np.zeros(12))
        expected = next_uniform(*states)
        np.testing.assert_array_equal(p.to_dict()["x"][:10], expected)
    assert np.all((expected >= 0) & (expected < 1))


@pytest.mark.parametrize("fname", ["ReferenceEnergyChange", "ReferenceEnergyIncrease"])
def test_kernel_update_p0c_reproduces_reference_bit_for_bit(reference_dir, cpu_runner, fname):
    cases = json.loads((reference_dir / "xtrack" / "elements" / f"{fname}.json").read_text())["cases"]
    for case in cases:
        p = xp.Particles.from_dict(case["particles_in"], _no_reorganize=True)
        out = case["particles_out"]
        cpu_runner.run(p, "update_p0c", np.asarray(out["p0c"]))
        got = p.to_dict()
        for key in ("p0c", "delta", "pzeta", "rpp", "rvv", "px", "py", "zeta"):
            np.testing.assert_array_equal(got[key], out[key], err_msg=f"{case['id']}: {key}")


def test_generated_api_has_accessors_for_every_field():
    src = xp.particles.local_particle.gen_local_particle_api()
    for name in ("x", "delta", "state", "_rng_s1", "weight"):
        for verb in ("get", "set", "add_to", "scale"):
            assert f"LocalParticle_{verb}_{name}(" in src
    assert "LocalParticle_get_mass0(" in src and "ParticlesData_getp1_x(source, 0)" in src
