"""``print_mode``: one suite-wide switch for informational output."""

import numpy as np
import pytest
import xdeps as xd
import xobjects as xo
import xtrack as xt


def test_one_settings_object_for_the_suite():
    assert xt.settings is xo.settings
    assert xt.settings.print_mode in ("print", "normal", "suppress")
    with pytest.raises(ValueError, match="expected one of 'print', 'normal', 'suppress'"):
        xt.settings.print_mode = "loud"


def test_suppress_silences_xtrack_and_xdeps_output_and_restores(capsys):
    table = xt.Table({"name": np.array(["a"]), "value": np.array([1])})
    with xt.settings.override(print_mode="suppress"):
        xt._print("hidden")
        table.show()
        opt = xt.match.opt_from_callable(lambda x: 2 * x, x0=[1.0], steps=[1e-6], tar=[4.0],
                                         tols=[1e-12])
        opt.solve()
        opt.vary_status()
    assert capsys.readouterr().out == ""
    # the optimizer did its job while silent: 2 x = 4
    np.testing.assert_allclose(opt.container["x0"], 2.0, rtol=1e-9)
    xt._print("shown")
    table.show()
    out = capsys.readouterr().out
    assert out.startswith("shown\n") and "value" in out


def test_line_optimizer_without_twiss_lists_its_actions(capsys):
    env = xt.Environment()
    env["k"] = 0.0

    class Double(xd.Action):
        def run(self):
            return {"value": 2 * env["k"]}

    action = Double()
    opt = xt.match.OptimizeLine(line=env, vary=[xt.Vary("k", container=env.vars, step=1e-6)],
                                targets=[xt.Target("value", value=1.0, action=action)],
                                show_call_counter=False)
    assert opt.actions == [action]
    opt.solve()
    np.testing.assert_allclose(env["k"], 0.5, rtol=1e-9)
