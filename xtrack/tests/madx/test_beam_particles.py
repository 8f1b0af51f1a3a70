"""MAD-X ``beam`` commands become named, live particles of the environment."""

import numpy as np
import pytest

import xtrack as xt

SEQ = """
D1: DRIFT, L = 1.0;
SEQA: SEQUENCE, REFER = ENTRY, L = 1.0;
  D1, AT = 0.0;
ENDSEQUENCE;
SEQB: SEQUENCE, REFER = ENTRY, L = 1.0;
  D1, AT = 0.0;
ENDSEQUENCE;
"""


def test_beam_of_a_sequence_is_a_named_particle_that_follows_its_variable():
    env = xt.load(string="e0 = 7.0;\n" + SEQ + "BEAM, SEQUENCE = SEQA, PARTICLE = PROTON, ENERGY = e0;",
                  format="madx")
    line = env["seqa"]
    assert line.particle_ref.name == "madx_beam_for_seqa"
    # line.particle_ref is a view of the environment's particle (not a copy of it)
    assert line.particle_ref._target() is env.particles["madx_beam_for_seqa"]
    np.testing.assert_allclose(line.particle_ref.energy0, 7e9, rtol=1e-15)
    env["e0"] = 8.0
    np.testing.assert_allclose(line.particle_ref.energy0, 8e9, rtol=1e-15)
    np.testing.assert_allclose(line.particle_ref.p0c, np.sqrt(8e9 ** 2 - xt.PROTON_MASS_EV ** 2), rtol=1e-14)
    assert env["seqb"].particle_ref is None  # no global beam: the other line has none


def test_global_beam_is_the_environment_reference_and_the_default_of_every_line():
    env = xt.load(string=SEQ + "BEAM, PARTICLE = ELECTRON, PC = 2.0;\n"
                             "BEAM, SEQUENCE = SEQB, PARTICLE = PROTON, BRHO = 3.0;", format="madx")
    assert env._particle_ref == "madx_beam"
    assert env["seqa"].particle_ref.name == "madx_beam"
    np.testing.assert_allclose(env.particles["madx_beam"].q0, -1.0)
    np.testing.assert_allclose(env.particles["madx_beam"].p0c, 2e9, rtol=1e-15)
    ref_b = env["seqb"].particle_ref
    assert ref_b.name == "madx_beam_for_seqb"
    np.testing.assert_allclose(ref_b.p0c, 3.0 * 299792458.0, rtol=1e-15)


def test_beam_below_rest_mass_is_refused():
    with pytest.raises(ValueError, match="below the rest mass"):
        xt.load(string=SEQ + "BEAM, SEQUENCE = SEQA, PARTICLE = PROTON, ENERGY = 0.5;", format="madx")
