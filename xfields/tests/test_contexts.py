"""The 2D beam-beam and space-charge kernels on every test context (OpenMP, OpenCL, CUDA).

Each golden case is tracked on the context and compared with the serial CPU
context (round-off: fused multiply-add is off everywhere, only the last bits of
libm functions may differ) and with the reference.
"""

import json

import numpy as np
import pytest
import xobjects as xo
import xtrack as xt
from xobjects.test_helpers import for_all_test_contexts

import xfields as xf
from xfields._testing import REFERENCE_INPUTS, REFERENCE_OUTPUTS, reference_mismatches

ROUND_OFF_RTOL, ROUND_OFF_ATOL = 1e-12, 1e-20
CLASSES = {"BeamBeamBiGaussian2D": xf.BeamBeamBiGaussian2D,
           "SpaceChargeBiGaussian": xf.SpaceChargeBiGaussian}


def _track(cls, case, context):
    element = cls.from_dict(case["element"], _context=context)
    pin = case["particles_in"]
    p = xt.Particles(_context=context, mass0=pin["mass0"], q0=pin["q0"], p0c=pin["p0c"][0],
                     **{k: np.array(pin[k]) for k in REFERENCE_INPUTS})
    element.track(p)
    p = p.copy(_context=xo.ContextCpu())
    order = np.argsort(p.particle_id)
    return {name: np.asarray(getattr(p, name))[order] for name in REFERENCE_OUTPUTS}


@for_all_test_contexts(excluding=("ContextCpu",))
@pytest.mark.parametrize("class_name", sorted(CLASSES))
def test_golden_cases_agree_with_cpu_and_reference(reference_dir, class_name, test_context):
    cases = json.loads((reference_dir / "xtrack" / "elements" / f"{class_name}.json").read_text())["cases"]
    failures = []
    for case in cases:
        got = _track(CLASSES[class_name], case, test_context)
        cpu = _track(CLASSES[class_name], case, None)
        for name in REFERENCE_OUTPUTS:
            if not np.allclose(got[name], cpu[name], rtol=ROUND_OFF_RTOL, atol=ROUND_OFF_ATOL):
                failures.append(f"{case['id']}: {name} differs from the CPU by "
                                f"{np.max(np.abs(got[name] - cpu[name])):.3g}")
        # our longitudinal space-charge kick is not the reference's (see test_spacecharge)
        names = (("x", "px", "y", "py", "zeta") if case["element"].get("z_kick_num_integ_per_sigma")
                 else REFERENCE_OUTPUTS)
        bad = reference_mismatches(got, case["particles_out"], names)
        if bad:
            failures.append(f"{case['id']}: reference {bad}")
    assert not failures, "\n".join(failures)


@for_all_test_contexts(excluding=("ContextCpu",))
def test_profile_on_context(test_context):
    kw = dict(number_of_particles=1e11, sigma_z=0.2, z0=0.1, q_parameter=0.7)
    z = np.linspace(-1.0, 1.0, 1001)
    on_ctx = xf.LongitudinalProfileQGaussian(_context=test_context, **kw)
    cpu = xf.LongitudinalProfileQGaussian(**kw)
    for method in ("line_density", "line_derivative"):
        got = test_context.nparray_from_context_array(
            getattr(on_ctx, method)(test_context.nparray_to_context_array(z)))
        np.testing.assert_allclose(got, getattr(cpu, method)(z), rtol=ROUND_OFF_RTOL,
                                   atol=1e-12 * np.max(np.abs(getattr(cpu, method)(z))))


@for_all_test_contexts(excluding=("ContextCpu",))
def test_quasi_frozen_update_on_context(test_context):
    prof = xf.LongitudinalProfileQGaussian(number_of_particles=1e11, sigma_z=0.3)
    element = xf.SpaceChargeBiGaussian(_context=test_context, length=3.0, longitudinal_profile=prof,
                                       sigma_x=1e-3, sigma_y=1e-3, update_on_track=True,
                                       z_kick_num_integ_per_sigma=5)
    rng = np.random.default_rng(5)
    x = rng.normal(2e-4, 2e-3, 500)
    p = xt.Particles(_context=test_context, p0c=1e9, mass0=938272088.16, x=x,
                     y=rng.normal(0, 1e-3, 500), zeta=rng.normal(0, 0.3, 500))
    element.track(p)
    assert element.mean_x == pytest.approx(np.mean(x), rel=1e-12)
    assert element.sigma_x == pytest.approx(np.std(x), rel=1e-12)
