"""Reference particles seen through environments and lines.

A reference particle given by name follows the expressions of that particle of
the environment; the views (``env.particle_ref``, ``line.particle_ref``,
``env['p']``) write expressions into it, and dicts and copies keep the name.
"""

import numpy as np
import pytest

import xtrack as xt


def _env_with_named_particle():
    env = xt.Environment()
    env["e"] = 450.0
    env.new_particle("beam", "proton", p0c="e * 1e9")
    return env


def test_env_particle_ref_by_name_follows_and_writes_expressions():
    env = _env_with_named_particle()
    env.particle_ref = "beam"
    assert type(env.particle_ref).__name__ == "EnvParticleRef"
    assert env._particle_ref == "beam"
    env["e"] = 6800.0
    np.testing.assert_allclose(env.particle_ref.p0c, 6.8e12, rtol=1e-15)
    # a string through the view makes an expression of the named particle
    env.particle_ref.p0c = "2 * e * 1e9"
    env["e"] = 100.0
    np.testing.assert_allclose(env.get("beam").p0c, 2e11, rtol=1e-15)
    # and a number replaces it
    env["beam"].p0c = 1e10
    env["e"] = 300.0
    np.testing.assert_allclose(env.get("beam").p0c, 1e10, rtol=1e-15)
    # gamma0 is kept consistent by the particle itself
    gamma = np.sqrt(1 + (1e10 / xt.PROTON_MASS_EV) ** 2)
    np.testing.assert_allclose(env.particle_ref.gamma0, gamma, rtol=1e-14)


def test_new_lines_share_the_reference_by_name_and_dicts_keep_it():
    env = _env_with_named_particle()
    env.particle_ref = "beam"
    line = env.new_line(name="l1", components=[env.new("d", "Drift", length=1.0)])
    assert type(line.particle_ref).__name__ == "LineParticleRef"
    assert line._particle_ref == "beam"
    line.particle_ref.p0c = "3 * e * 1e9"
    np.testing.assert_allclose(env.particle_ref.p0c, 1.35e12, rtol=1e-15)

    for other in (xt.Line.from_dict(line.to_dict()), line.copy()):
        assert other._particle_ref == "beam"
        assert other.env.particle_ref is None  # the line's own reference, not the env's
        other["e"] = 10.0
        np.testing.assert_allclose(other.particle_ref.p0c, 3e10, rtol=1e-15)
        assert other.env.get("beam") is not env.get("beam")
    np.testing.assert_allclose(env.particle_ref.p0c, 1.35e12, rtol=1e-15)

    env2 = xt.Environment.from_dict(env.to_dict())
    assert env2._particle_ref == "beam"
    env2["e"] = 1.0
    np.testing.assert_allclose(env2.particle_ref.p0c, 3e9, rtol=1e-15)


def test_particle_object_reference_is_shared_by_new_lines():
    env = xt.Environment()
    part = xt.Particles("electron", p0c=2e9)
    env.particle_ref = part
    assert env._particle_ref is part
    line = env.new_line(components=[])
    assert line._particle_ref is part
    np.testing.assert_allclose(line.particle_ref.q0, -1.0)
    with pytest.raises(ValueError, match="named in the environment"):
        env.particle_ref.p0c = "2e9"  # no name: nothing for an expression to drive


def test_set_particle_ref_lines_option():
    env = xt.Environment()
    line = env.new_line(name="l1", components=[env.new("d", "Drift", length=1.0)])
    env.set_particle_ref("proton", p0c=1e9)
    np.testing.assert_allclose(line.particle_ref.q0, 1.0)
    env.set_particle_ref("electron", p0c=1e9, lines=None)
    np.testing.assert_allclose(env.particle_ref.q0, -1.0)
    np.testing.assert_allclose(line.particle_ref.q0, 1.0)  # untouched
    with pytest.raises(KeyError, match="'l2'"):
        env.set_particle_ref("proton", p0c=1e9, lines=["l2"])
    with pytest.raises(KeyError, match="no particle named 'nope'"):
        env.particle_ref = "nope"
