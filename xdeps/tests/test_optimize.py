"""Optimizer on analytic problems: linear systems, Rosenbrock, limits, failures, log and status."""

import numpy as np
import pytest

import xdeps as xd


class LinearModel(xd.Action):
    """y = A @ x with x read from a dict of knobs."""

    def __init__(self, knobs, matrix):
        self.knobs = knobs
        self.matrix = np.asarray(matrix, dtype=float)
        self.calls = 0

    def run(self):
        self.calls += 1
        x = np.array([self.knobs[f"x{i}"] for i in range(self.matrix.shape[1])])
        y = self.matrix @ x
        return {f"y{i}": y[i] for i in range(len(y))}


def _linear_problem(limits=None, tol=1e-12, **opt_kwargs):
    knobs = {"x0": 0.0, "x1": 0.0, "x2": 0.0}
    matrix = [[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]]
    action = LinearModel(knobs, matrix)
    rhs = [1.0, 2.0, 3.0]
    vary = xd.VaryList(["x0", "x1", "x2"], container=knobs, step=1e-6, limits=limits)
    targets = [action.target(f"y{i}", rhs[i], tol=tol) for i in range(3)]
    opt = xd.Optimize(vary, targets, show_call_counter=False, **opt_kwargs)
    return opt, knobs, np.linalg.solve(matrix, rhs)


def test_linear_system_solved_in_one_newton_step():
    opt, knobs, solution = _linear_problem()
    opt.solve()
    # Forward differences are exact for a linear model: only round-off remains.
    np.testing.assert_allclose([knobs["x0"], knobs["x1"], knobs["x2"]], solution, rtol=1e-9, atol=1e-12)
    log = opt.log()
    assert log.tol_met[-1] == "yyy"
    assert len(log) <= 4
    assert opt.get_knob_values() == pytest.approx(dict(zip(["x0", "x1", "x2"], solution)), rel=1e-9)


def test_rosenbrock_minimum():
    # Residuals (10 (y - x^2), 1 - x): zero only at (1, 1).
    knobs = {"x": -1.2, "y": 1.0}
    action = xd.ActionCall(lambda: {"r1": 10 * (knobs["y"] - knobs["x"] ** 2), "r2": 1 - knobs["x"]})
    opt = xd.Optimize(
        [xd.Vary("x", knobs, step=1e-8), xd.Vary("y", knobs, step=1e-8)],
        [action.target("r1", 0.0, tol=1e-10), action.target("r2", 0.0, tol=1e-10)],
        n_steps_max=50, show_call_counter=False,
    )
    opt.solve()
    assert knobs["x"] == pytest.approx(1.0, abs=1e-8)
    assert knobs["y"] == pytest.approx(1.0, abs=1e-8)


@pytest.mark.parametrize("method", ["run_ls_trf", "run_ls_dogbox", "run_l_bfgs_b", "run_simplex"])
def test_scipy_methods_on_rosenbrock(method):
    opt = xd.Optimize.from_callable(
        lambda x: [10 * (x[1] - x[0] ** 2), 1 - x[0]], x0=[-1.2, 1.0], tar=[0.0, 0.0],
        steps=[1e-8, 1e-8], tols=[1e-4, 1e-4], limits=[[-2, 2], [-2, 2]], show_call_counter=False,
    )
    kwargs = {"n_steps": 5000} if method == "run_simplex" else {}
    if method == "run_simplex":
        kwargs["verbose"] = False
    getattr(opt, method)(**kwargs)
    np.testing.assert_allclose(list(opt.container.values()), [1.0, 1.0], atol=2e-4)
    assert opt.log().tag[-1] in (method[4:], "trf", "dogbox", "L-BFGS-B", "Nelder-Mead")


def test_bfgs_on_quadratic():
    opt = xd.Optimize.from_callable(lambda x: [x[0] - 3.0, 2 * (x[1] + 1.0)], x0=[0.0, 0.0], tar=[0.0, 0.0],
                                    steps=[1e-7, 1e-7], show_call_counter=False)
    opt.run_bfgs()
    np.testing.assert_allclose(list(opt.container.values()), [3.0, -1.0], atol=1e-6)


def test_direct_needs_limits_and_finds_global_minimum(capsys):
    # Two minima of (x^2 - 1)^2 + 0.3 x: the global one is near x = -1.04.
    opt = xd.Optimize.from_callable(lambda x: [(x[0] ** 2 - 1) ** 2 + 0.3 * x[0] + 1.0], x0=[1.0],
                                    tar=[0.0], show_call_counter=False)
    with pytest.raises(ValueError, match="finite limits"):
        opt.run_direct()
    opt.vary[0].limits = (-2.0, 2.0)
    opt.run_direct(n_steps=200, verbose=True)
    assert opt.container["x0"] < -0.9
    assert "direct:" in capsys.readouterr().out


def test_active_limit_is_respected_and_reported():
    # Unconstrained solution has x0 = 0.1; limit x0 >= 0.2 forces a least-squares compromise.
    knobs = {"x0": 0.5, "x1": 0.5}
    action = xd.ActionCall(lambda: {"a": knobs["x0"] + knobs["x1"], "b": knobs["x0"] - knobs["x1"]})
    opt = xd.Optimize(
        [xd.Vary("x0", knobs, limits=(0.2, 1.0), step=1e-6), xd.Vary("x1", knobs, step=1e-6)],
        [action.target("a", 1.0, tol=1e-9), action.target("b", -0.8, tol=1e-9)],
        assert_within_tol=False, restore_if_fail=False, show_call_counter=False,
    )
    opt.solve()
    assert knobs["x0"] == pytest.approx(0.2, abs=1e-12)
    # With x0 fixed at 0.2 the best x1 minimises (0.2+x1-1)^2 + (0.2-x1+0.8)^2 -> x1 = 0.9.
    assert knobs["x1"] == pytest.approx(0.9, abs=1e-8)
    assert opt.log().hit_limits[-1] == "yn"


def test_inequality_targets():
    knobs = {"x": 0.0}
    action = xd.ActionCall(lambda: {"x": knobs["x"], "x2": knobs["x"] ** 2})
    opt = xd.Optimize(
        [xd.Vary("x", knobs, step=1e-7)],
        [action.target("x", xd.GreaterThan(2.0), tol=1e-9), action.target("x2", xd.LessThan(9.0), tol=1e-9)],
        show_call_counter=False,
    )
    opt.solve()
    assert 2.0 - 1e-9 <= knobs["x"] <= 3.0 + 1e-9


def test_max_step_limits_each_iteration():
    opt, knobs, solution = _linear_problem()
    for v in opt.vary:
        v.max_step = 0.05
    opt.step(1)
    moved = np.abs(np.array([knobs["x0"], knobs["x1"], knobs["x2"]]))
    assert moved.max() <= 0.05 + 1e-12
    opt.solve()
    np.testing.assert_allclose(list(knobs.values()), solution, rtol=1e-8)


def test_unreachable_target_fails_cleanly_and_restores_knobs():
    knobs = {"x": 0.3}
    action = xd.ActionCall(lambda: {"y": knobs["x"] ** 2})
    opt = xd.Optimize([xd.Vary("x", knobs, step=1e-7)], [action.target("y", -1.0, tol=1e-6)],
                      n_steps_max=10, show_call_counter=False)
    with pytest.raises(xd.OptimizationFailed, match="restored") as err:
        opt.solve()
    assert knobs["x"] == 0.3
    assert err.value.penalty > 0.9
    assert len(err.value.mismatched) == 1
    assert isinstance(err.value, RuntimeError)


def test_failure_without_assert_keeps_best_point_when_not_restoring():
    knobs = {"x": 0.3}
    action = xd.ActionCall(lambda: {"y": knobs["x"] ** 2})
    opt = xd.Optimize([xd.Vary("x", knobs, step=1e-7)], [action.target("y", -1.0, tol=1e-6)],
                      n_steps_max=10, assert_within_tol=False, restore_if_fail=False, show_call_counter=False)
    opt.solve()
    assert abs(knobs["x"]) < 1e-3


def test_action_failure_allowed_is_treated_as_bad_point():
    knobs = {"x": 2.0}

    def model():
        if knobs["x"] < 0.5:
            raise ArithmeticError("unstable")
        return {"y": knobs["x"]}

    action = xd.ActionCall(model, allow_failure=True)
    opt = xd.Optimize([xd.Vary("x", knobs, step=1e-7)], [action.target("y", 1.0, tol=1e-9)],
                      show_call_counter=False)
    opt.solve()
    assert knobs["x"] == pytest.approx(1.0, abs=1e-9)


def test_enable_disable_and_tags():
    opt, knobs, _ = _linear_problem()
    opt.vary[2].tag = "quad"
    opt.targets[1].tag = "second"
    opt.disable(vary="quad")
    assert [v.active for v in opt.vary] == [True, True, False]
    opt.disable(target=[0, "sec.*"])
    assert [t.active for t in opt.targets] == [False, False, True]
    opt.enable(target=True)
    assert all(t.active for t in opt.targets)
    opt.disable(vary_name="x[01]")
    assert [v.active for v in opt.vary] == [False, False, False]
    opt.enable(vary=True)
    with pytest.warns(DeprecationWarning, match="disable"):
        opt.disable_vary(id=1)
    assert not opt.vary[1].active
    with pytest.warns(DeprecationWarning):
        opt.enable_all_vary()
    with pytest.warns(DeprecationWarning):
        opt.disable_targets(tag="second")
    with pytest.warns(DeprecationWarning):
        opt.enable_targets(1)
    with pytest.warns(DeprecationWarning):
        opt.disable_all_targets()
    with pytest.warns(DeprecationWarning):
        opt.enable_all_targets()
    with pytest.warns(DeprecationWarning):
        opt.disable_all_vary()
    with pytest.warns(DeprecationWarning):
        opt.enable_vary(tag=".*")
    assert all(v.active for v in opt.vary)


def test_step_with_temporary_selection_leaves_inactive_knob_untouched():
    opt, knobs, _ = _linear_problem()
    opt.step(3, disable_vary_name="x2")
    assert knobs["x2"] == 0.0
    assert opt.vary[2].active
    assert opt.log().vary_active[-1] == "yyn"


def test_log_reload_and_tags():
    opt, knobs, solution = _linear_problem()
    opt.tag("initial")
    opt.solve()
    assert opt.get_knob_values(0) == {"x0": 0.0, "x1": 0.0, "x2": 0.0}
    opt.reload(tag="initial")
    assert knobs == {"x0": 0.0, "x1": 0.0, "x2": 0.0}
    opt.reload(iteration=-1)
    np.testing.assert_allclose(list(knobs.values()), solution, rtol=1e-9)
    with pytest.raises(KeyError, match="initial"):
        opt.reload(tag="initail")
    opt.clear_log()
    assert len(opt.log()) == 1


def test_status_tables_and_show(capsys):
    opt, knobs, _ = _linear_problem(limits=(-10, 10))
    vt = opt.vary_status(ret=True)
    assert list(vt.name) == ["x0", "x1", "x2"]
    assert vt.lower_limit[0] == -10.0
    tt = opt.target_status(ret=True)
    assert not tt.tol_met.any()
    assert len(opt.target_mismatch(ret=True)) == 3
    opt.solve()
    assert len(opt.target_mismatch(ret=True)) == 0
    opt.target_status()
    opt.vary_status()
    opt.show()
    out = capsys.readouterr().out
    assert "x1" in out and "Targets:" in out and "Vary:" in out


def test_merit_function_for_external_optimizer():
    opt, knobs, solution = _linear_problem(limits=(-1.0, 1.0))
    merit = opt.get_merit_function(return_scalar=True)
    assert merit(solution) < 1e-25
    jac = merit.get_jacobian(merit.get_x())
    np.testing.assert_allclose(jac, [[2, 1, 0], [1, 3, 1], [0, 1, 4]], rtol=1e-6)
    with pytest.raises(ValueError, match="outside their limits"):
        merit([5.0, 0.0, 0.0])
    scaled = opt.get_merit_function(rescale_x=(0.0, 1.0))
    np.testing.assert_allclose(scaled.get_x(), 0.5 + solution / 2.0)
    np.testing.assert_allclose(scaled(0.5 + solution / 2.0), 0.0, atol=1e-12)


def test_check_limits_at_start():
    knobs = {"x": 5.0}
    action = xd.ActionCall(lambda: {"y": knobs["x"]})
    with pytest.raises(ValueError, match="outside their limits"):
        xd.Optimize([xd.Vary("x", knobs, limits=(0, 1))], [action.target("y", 0.5)], show_call_counter=False)
    xd.Optimize([xd.Vary("x", knobs, limits=(0, 1))], [action.target("y", 0.5)], check_limits=False,
                show_call_counter=False)
    assert knobs["x"] == 1.0


def test_homotopy_reaches_final_targets():
    opt, knobs, solution = _linear_problem()
    opt.solve_homotopy(n_steps=4)
    np.testing.assert_allclose(list(knobs.values()), solution, rtol=1e-9)
    assert [t.value for t in opt.targets] == [1.0, 2.0, 3.0]
    assert "homotopy 4" in list(opt.log().tag)


def test_fsolve_and_bfgs_solvers():
    for solver in ("fsolve", "bfgs"):
        opt, knobs, solution = _linear_problem(solver=solver, tol=1e-7)
        opt.solve()
        np.testing.assert_allclose(list(knobs.values()), solution, rtol=1e-6, atol=1e-7)


def test_verbose_prints_iterations_and_call_counter(capsys):
    opt, _, _ = _linear_problem(verbose=True)
    opt.show_call_counter = opt._merit.show_call_counter = True
    opt.solve()
    out = capsys.readouterr().out
    assert "iteration 2: penalty=" in out
    assert "Matching: model call n." in out


def test_bad_arguments():
    knobs = {"x": 0.0}
    action = xd.ActionCall(lambda: {"y": knobs["x"]})
    vary, target = xd.Vary("x", knobs), action.target("y", 1.0)
    with pytest.raises(ValueError, match="solver"):
        xd.Optimize([vary], [target], solver="newton")
    with pytest.raises(TypeError, match="unexpected"):
        xd.Optimize([vary], [target], n_step_max=3)
    with pytest.raises(ValueError, match="n_steps_max"):
        xd.Optimize([vary], [target], n_steps_max=0)
    with pytest.raises(ValueError, match="empty"):
        xd.Optimize([], [target])
    with pytest.raises(TypeError, match="Vary"):
        xd.Optimize(["x"], [target])
    with pytest.raises(ValueError, match="lower < upper"):
        xd.Vary("x", knobs, limits=(1, 0))
    with pytest.raises(ValueError, match="step"):
        xd.Vary("x", knobs, step=-1)
    with pytest.raises(TypeError, match="did you mean 'tol'"):
        xd.Target("y", 1.0, action=action, toll=1e-3, value2=3)
    with pytest.raises(ValueError, match="callable"):
        xd.Optimize([vary], [xd.Target("y", 1.0)])
    with pytest.raises(ValueError, match="container"):
        xd.Optimize([xd.Vary("x")], [target])
    with pytest.raises(TypeError, match="solver_options"):
        xd.Optimize([vary], [target], solver_options={"n_bisection": 3})


def test_target_keyword_form_and_log_scale():
    knobs = {"x": 1.0}
    action = xd.ActionCall(lambda: {"y": 10 ** knobs["x"]})
    target = xd.Target(y=1e4, action=action, tol=1e-6, optimize_log=True)
    assert target.tar == "y"
    opt = xd.Optimize([xd.Vary("x", knobs, step=1e-8)], [target], show_call_counter=False)
    opt.solve()
    assert knobs["x"] == pytest.approx(4.0, abs=1e-9)


def test_optimize_with_variables_of_a_manager():
    vm = xd.VarManagement()
    vm["k"] = 0.0
    vm["y"] = "3*k + 1"
    action = xd.ActionCall(lambda: {"y": vm["y"]})
    opt = xd.Optimize([xd.Vary("k", vm, step=1e-6)], [action.target("y", 7.0, tol=1e-12)],
                      show_call_counter=False)
    opt.solve()
    assert vm["k"] == pytest.approx(2.0, rel=1e-12)
