"""Relative multipolar errors, array-field validation and importing between environments."""

import numpy as np
import pytest

import xtrack as xt


def test_relative_errors_follow_the_main_strength():
    env = xt.Environment()
    env["kq"] = 0.1
    env["ang"] = 0.2
    env.new("mq", "Quadrupole", length=2.0, k1="kq")
    env.new("mb", "Bend", length=1.0, angle="ang", k0_from_h=True)
    env.new("mqs", "Quadrupole", length=2.0, k1s="kq")
    env.set_multipolar_errors({
        "mq": {"rel_knl": [0, 0, 1e-3], "rel_ksl": [0, 0, -2e-3]},
        "mb": {"rel_knl": [0, 0, 0, 5e-4]},
        "mqs": {"rel_ksl": [0, 1.0], "refer": "k1s"},
    })
    env["kq"] = 0.3
    env["ang"] = 0.4
    # knl[n] = rel[n] * K_main * L
    np.testing.assert_allclose(env.get("mq").knl[2], 1e-3 * 0.3 * 2.0, rtol=1e-15)
    np.testing.assert_allclose(env.get("mq").ksl[2], -2e-3 * 0.3 * 2.0, rtol=1e-15)
    np.testing.assert_allclose(env.get("mb").knl[3], 5e-4 * 0.4, rtol=1e-15)  # K0 L = angle
    np.testing.assert_allclose(env.get("mqs").ksl[1], 0.3 * 2.0, rtol=1e-15)


def test_relative_errors_are_validated_before_anything_changes():
    env = xt.Environment()
    env.new("mq", "Quadrupole", length=2.0, k1=0.1)
    env.new("mk", "Marker")
    with pytest.raises(KeyError, match="'mqx'"):
        env.set_multipolar_errors({"mq": {"rel_knl": [0, 0, 1.0]}, "mqx": {"rel_knl": [1.0]}})
    assert env.get("mq").knl[2] == 0  # the valid entry was not applied either
    with pytest.raises(ValueError, match="give 'refer'"):
        env.set_multipolar_errors({"mk": {"rel_knl": [1.0]}})
    with pytest.raises(ValueError, match="create the element with a longer knl"):
        env.set_multipolar_errors({"mq": {"rel_knl": [0.0] * 40}})
    with pytest.raises(TypeError, match="unknown key 'rel_kn'"):
        env.set_multipolar_errors({"mq": {"rel_kn": [1.0]}})


def test_array_fields_refuse_scalars_and_ragged_matrices():
    env = xt.Environment()
    with pytest.raises(TypeError, match="knl should be an iterable"):
        env.new("q", xt.Quadrupole, length=1, knl=5)
    with pytest.raises(ValueError, match="R must be a rectangular array"):
        env.new("tm", xt.SecondOrderTaylorMap, R=[[1.0, 2.0], [3.0]])
    assert "q" not in env.elements and "tm" not in env.elements


def test_import_line_shares_equal_elements_and_renames_differing_ones():
    env = xt.Environment()
    env["x"] = 2.0
    line = env.new_line(components=[env.new("b", xt.Bend, k0="2 * x", length=1.0),
                                    env.new("ip", xt.Marker)])
    env2 = xt.Environment()
    env2["x"] = 5.0
    env2.new("b", xt.Bend, k0="x", length=1.0)
    env2.new("ip", xt.Marker)
    new = env2.import_line(line, line_name="ring")
    assert new.element_names == ["b/ring", "ip"]
    env2["x"] = 3.0  # the imported expression reads env2's variable
    assert env2.get("b/ring").k0 == 6.0 and env2.get("b").k0 == 3.0


def test_copy_element_from_keeps_expressions_and_local_variables():
    env1 = xt.Environment()
    env1["v"] = 3.0
    env1["w"] = "2 * v"
    env1.new("quad", xt.Quadrupole, length="v", knl=[0, "w"])
    env2 = xt.Environment()
    env2["v"] = 4.0
    env2.copy_element_from("quad", env1, "quad/b2")
    assert env2.get("quad/b2").length == 4.0  # env2's own v
    assert env2.get("quad/b2").knl[1] == 8.0  # w copied as an expression of v
    with pytest.raises(KeyError, match="'quadx'"):
        env2.copy_element_from("quadx", env1)


def test_matrix_item_expressions_survive_import():
    line = xt.Line(elements=[xt.FirstOrderTaylorMap(length=0)], element_names=["tm"])
    line["a"] = 10.0
    line["tm"].m1[2, 1] = "a"
    env = xt.Environment()
    env.import_line(line, line_name="l")
    env["a"] = 20.0
    assert env.get("tm").m1[2, 1] == 20.0
