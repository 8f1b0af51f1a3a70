"""Lattice scripts in Python: ``xt.load(file='x.py')`` fills ``xt.get_environment()``."""

import pytest

import xtrack as xt

SCRIPT = """
import xtrack as xt
env = xt.get_environment()
env['kq'] = 0.5
env.new('quad', 'Quadrupole', length=1.0, k1='kq')
env.new_line(name='seq', components=['quad'])
"""


@pytest.mark.parametrize("with_format", [True, False])
def test_load_python_file_returns_the_filled_environment(tmp_path, with_format):
    path = tmp_path / "lattice.py"
    path.write_text(SCRIPT)
    env = xt.load(file=str(path), **({"format": "python"} if with_format else {}))
    assert isinstance(env, xt.Environment)
    assert env["quad"].k1 == 0.5
    env["kq"] = 0.7  # the script's expressions are live
    assert env["quad"].k1 == 0.7
    assert env["seq"].element_names == ["quad"]


def test_load_python_string_and_outside_a_load():
    env = xt.load(string=SCRIPT, format="python")
    assert env["seq"].get_length() == 1.0
    assert xt.get_environment() is not env  # outside a load: a new environment
    assert isinstance(xt.get_environment(), xt.Environment)


def test_python_format_refuses_loader_options():
    with pytest.raises(TypeError, match="Python lattice script"):
        xt.load(string=SCRIPT, format="python", s_tol=1e-3)
