"""Removing and renaming variables, elements, particles and lines of an environment."""

import pytest

import xtrack as xt


def _env():
    env = xt.Environment()
    env["a"] = 2.0
    env["b"] = "3 * a"
    env.new("q", "Quadrupole", length=1.0, k1="b")
    env.new_line(name="ring", components=["q"])
    return env


def test_remove_each_kind_and_refuse_what_is_in_use():
    env = _env()
    with pytest.raises(RuntimeError, match="element_refs\\['q'\\].k1"):
        env.remove("b")  # q.k1 reads b
    with pytest.raises(RuntimeError, match="ring"):
        env.remove("q")  # placed in a line
    assert env["q"].k1 == 6.0 and "b" in env  # nothing changed
    env.lines.remove("ring")
    env.remove("q")
    assert "q" not in env.elements
    del env.vars["b"]
    env.remove("a")
    assert "a" not in env and "b" not in env
    with pytest.raises(KeyError):
        env.remove("a")


def test_particle_with_expressions_is_removed_with_them():
    env = xt.Environment()
    env["e"] = 4.0
    env.new_particle("p", p0c="2 * e * 1e12")
    assert env["p"].p0c == 8e12
    with pytest.raises(RuntimeError):
        env.remove("e")
    env.particles.remove("p")
    env.remove("e")  # the particle's expression is gone too
    assert "p" not in env and "e" not in env


def test_rename_variable_rewrites_every_expression():
    env = _env()
    env.vars.rename("b", "c")
    assert "b" not in env and env["c"] == 6.0
    env["a"] = 5.0
    assert env["c"] == 15.0 and env["q"].k1 == 15.0
    with pytest.raises(ValueError, match="exists already"):
        env.vars.rename("c", "a")
    with pytest.raises(KeyError):
        env.vars.rename("zz", "yy")


def test_call_runs_a_lattice_script_into_this_environment(tmp_path):
    script = tmp_path / "strengths.py"
    script.write_text("import xtrack as xt\nenv = xt.get_environment()\nenv['a'] = 7\n")
    env = _env()
    env.call(script)
    assert env["q"].k1 == 21.0
