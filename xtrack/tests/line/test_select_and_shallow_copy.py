"""``line.select`` and ``line.copy(shallow=True)``: new lines of the same environment."""

import numpy as np
import pytest

import xtrack as xt


def _line():
    env = xt.Environment()
    env["k"] = 0.1
    env.new("q", xt.Quadrupole, length=1.0, k1="k")
    env.new("m", xt.Marker)
    line = env.new_line(components=["m", "q", "m", "q", "m"])
    line.set_particle_ref("proton", p0c=1e9)
    return env, line


def test_select_shares_elements_variables_and_reference():
    env, line = _line()
    sub = line.select(start="m::1", end="m::2", name="piece")
    assert sub.element_names == ["m", "q", "m"]
    assert env.lines["piece"] is sub
    assert sub.env is line.env and sub._element_dict is line._element_dict
    sub["k"] = 0.3  # one set of variables
    assert line.get("q").k1 == 0.3
    np.testing.assert_allclose(sub.particle_ref.p0c, 1e9)
    assert line.select().element_names == line.element_names
    assert line.select(start=1, end=-2).element_names == ["q", "m", "q"]
    with pytest.raises(KeyError, match="'mx'"):
        line.select(start="mx")


def test_shallow_copy_is_a_line_of_the_same_environment():
    env, line = _line()
    twin = line.copy(shallow=True)
    assert twin.env is line.env and twin._element_dict is line._element_dict
    twin.element_names.pop()
    assert len(line.element_names) == 5


def test_components_may_be_generators_and_the_composer_keeps_them():
    env = xt.Environment()
    env.new("a", xt.Marker)
    env.new("b", xt.Drift, length=1.0)
    inner = (cc for cc in ["a", env.place("b", at=2.0)])
    line = env.new_line(components=(cc for cc in [inner, "a"]), compose=True)
    line.end_compose()
    assert line.element_names == ["a", "||drift_1", "b", "a"]
    line.regenerate_from_composer()  # the generators were read into the composer once
    assert line.element_names == ["a", "||drift_1", "b", "a"]
