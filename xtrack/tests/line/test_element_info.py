"""``env.info(element)``, ``line.info(element)`` and ``env[name].get_table()``."""

import warnings

import pytest

import xtrack as xt


def _env_with_bend():
    env = xt.Environment()
    env["a"] = 2.0
    env["b"] = "3 * a"
    env.new("bb", xt.Bend, k0="2 * b", length=3.0, angle=0.1, knl=[0, "a"])
    return env


def test_element_table_gives_values_and_expressions_of_fields_and_array_items():
    env = _env_with_bend()
    tt = env["bb"].get_table()
    assert tt["value", "k0"] == 12.0
    assert tt["expr", "k0"] == "(2.0 * vars['b'])"
    assert tt["value", "knl[1]"] == 2.0
    assert tt["expr", "knl[1]"] == "vars['a']"
    assert tt["expr", "length"] is None
    env["a"] = 1.0  # the table is a snapshot of the present values
    assert env["bb"].get_table()["value", "k0"] == 6.0


@pytest.mark.parametrize("container", ["env", "line"])
def test_info_prints_an_element_or_a_variable(container, capsys):
    env = _env_with_bend()
    owner = env if container == "env" else env.new_line(components=["bb"])
    owner.info("bb")
    out = capsys.readouterr().out
    assert "Bend" in out and "(2.0 * vars['b'])" in out
    owner.info("b")
    assert "vars['a']" in capsys.readouterr().out


def test_view_accessors_warn_and_name_the_replacement():
    env = _env_with_bend()
    with pytest.warns(FutureWarning, match="View.get_value"):
        assert env["bb"].get_value("k0") == 12.0
    with pytest.warns(FutureWarning, match="View.get_expr"):
        assert str(env["bb"].get_expr("k0")) == "(2.0 * vars['b'])"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        assert env["bb"].get_expr("knl", 1)._value == 2.0
    assert env["bb"]._get_viewed_object() is env.get("bb")
