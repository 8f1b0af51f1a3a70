"""line.match / match_knob on a small FODO cell: targets, options, the interactive optimizer, errors."""

import numpy as np
import pytest
import xdeps

import xtrack as xt


def test_periodic_tunes_reached_and_optimizer_returned(cell):
    opt = cell.match(method="4d", vary=xt.VaryList(["kqf", "kqd"], step=1e-6),
                     targets=xt.TargetSet(qx=0.21, qy=0.19, tol=1e-9))
    assert isinstance(opt, xdeps.Optimize)
    tw = cell.twiss4d()
    assert abs(tw.qx - 0.21) < 1e-9 and abs(tw.qy - 0.19) < 1e-9
    # the knobs live in line.vars and drive the quadrupoles through their expressions
    assert cell["mqf"].k1 == cell.vars["kqf"]._value
    assert opt.vary_status(ret=True).name.tolist() == ["kqf", "kqd"]


def test_default_tolerance_reaches_1e_10(cell):
    cell.match(method="4d", vary=["kqf", "kqd"], targets=[xt.Target("qx", 0.2), xt.Target("qy", 0.2)])
    tw = cell.twiss4d()
    assert abs(tw.qx - 0.2) <= 1e-10 and abs(tw.qy - 0.2) <= 1e-10


def test_default_tol_dict_applies_to_targets_without_tol(cell):
    opt = cell.match(method="4d", solve=False, vary=xt.VaryList(["kqf", "kqd"]),
                     targets=[xt.Target("qx", 0.2), xt.Target("qy", 0.2, tol=1e-3)],
                     default_tol={"qx": 1e-7, None: 1e-5})
    assert [t.tol for t in opt.targets] == [1e-7, 1e-3]


def test_open_line_targets_at_elements_and_markers(cell):
    tw_periodic = cell.twiss4d()
    opt = cell.match(solve=False, method="4d", betx=20.0, bety=8.0, alfx=0.0, alfy=0.0,
                     vary=xt.VaryList(["kqf", "kqd"], step=1e-6),
                     targets=[xt.Target("alfx", 0.0, at="mid", tol=1e-8),
                              xt.Target("betx", 20.0, at=xt.END, tol=1e-7)])
    opt.solve()
    tw = cell.twiss4d(betx=20.0, bety=8.0)
    assert abs(tw["alfx", "mid"]) < 1e-8
    assert abs(tw["betx", "_end_point"] - 20.0) < 1e-7
    assert tw_periodic.qx != pytest.approx(tw.qx)


def test_target_value_from_twiss_table_and_set_of_quantities(cell):
    ref = cell.twiss4d()
    cell.vars["kqf"] = 0.102
    cell.vars["kqd"] = -0.098
    cell.match(method="4d", vary=xt.VaryList(["kqf", "kqd"], step=1e-7),
               targets=xt.TargetSet(["betx", "bety"], value=ref, at="mid", tol=1e-8))
    tw = cell.twiss4d()
    assert tw["betx", "mid"] == pytest.approx(ref["betx", "mid"], abs=1e-8)
    assert tw["bety", "mid"] == pytest.approx(ref["bety", "mid"], abs=1e-8)
    assert cell.vars["kqf"]._value == pytest.approx(0.1, rel=1e-6)


def test_relative_phase_advance_and_callable_targets(cell):
    opt = cell.match(method="4d", vary=xt.VaryList(["kqf", "kqd"], step=1e-7),
                     targets=[xt.TargetRelPhaseAdvance("mux", 0.1, start="start", end="mid", tol=1e-9),
                              xt.Target(lambda tw: tw.muy[-1], 0.2, tol=1e-9)])
    tw = cell.twiss4d()
    assert tw["mux", "mid"] - tw["mux", "start"] == pytest.approx(0.1, abs=1e-9)
    assert tw.qy == pytest.approx(0.2, abs=1e-9)
    assert "mux" in opt.target_status(ret=True).name[0]


def test_inequality_target_is_satisfied(cell):
    cell.match(method="4d", vary=xt.VaryList(["kqf", "kqd"], step=1e-7),
               targets=[xt.Target("qx", 0.2, tol=1e-8),
                        xt.Target(lambda tw: tw.bety.max(), xt.LessThan(30.0), tol=1e-6)])
    tw = cell.twiss4d()
    assert tw.bety.max() <= 30.0 + 1e-6
    assert abs(tw.qx - 0.2) < 1e-8


def test_step_tag_reload_and_log(cell):
    k0 = (cell.vars["kqf"]._value, cell.vars["kqd"]._value)
    opt = cell.match(solve=False, method="4d", vary=xt.VaryList(["kqf", "kqd"], step=1e-7),
                     targets=xt.TargetSet(qx=0.22, qy=0.18, tol=1e-9))
    opt.tag("before")
    opt.step(1)
    assert (cell.vars["kqf"]._value, cell.vars["kqd"]._value) != k0
    opt.solve()
    opt.tag("matched")
    matched = cell.vars["kqf"]._value
    opt.reload(tag="before")
    assert (cell.vars["kqf"]._value, cell.vars["kqd"]._value) == k0
    opt.reload(tag="matched")
    assert cell.vars["kqf"]._value == matched
    log = opt.log()
    assert "before" in list(log.tag) and "matched" in list(log.tag)
    assert log.penalty[-1] < log.penalty[0]


def test_disabled_knob_stays_put(cell):
    qx = cell.twiss4d().qx + 0.003
    opt = cell.match(solve=False, method="4d", vary=xt.VaryList(["kqf", "kqd"], step=1e-7),
                     targets=xt.Target("qx", qx, tol=1e-9))
    opt.disable(vary_name="kqd")
    kqd = cell.vars["kqd"]._value
    opt.solve()
    assert cell.vars["kqd"]._value == kqd
    assert cell.twiss4d().qx == pytest.approx(qx, abs=1e-9)


def test_unreachable_target_raises_and_restores(cell):
    k0 = cell.vars["kqf"]._value
    with pytest.raises(xdeps.optimize.OptimizationFailed):
        cell.match(method="4d", vary=xt.Vary("kqf", step=1e-7, limits=(0.09, 0.11)),
                   targets=xt.Target("qx", 0.45, tol=1e-9), n_steps_max=5)
    assert cell.vars["kqf"]._value == k0


def test_match_knob_is_linear_in_the_new_knob(cell):
    tw0 = cell.twiss4d()
    kqf0, kqd0 = cell.vars["kqf"]._value, cell.vars["kqd"]._value
    cell.match_knob("dq_knob", vary=xt.VaryList(["kqf", "kqd"], step=1e-7),
                    targets=xt.TargetSet(qx=tw0.qx + 0.01, qy=tw0.qy, tol=1e-10), method="4d")
    assert cell.vars["dq_knob"]._value == 1
    tw1 = cell.twiss4d()
    assert tw1.qx == pytest.approx(tw0.qx + 0.01, abs=1e-10)
    cell.vars["dq_knob"] = 0
    assert cell.vars["kqf"]._value == pytest.approx(kqf0, abs=1e-15)
    assert cell.vars["kqd"]._value == pytest.approx(kqd0, abs=1e-15)
    cell.vars["dq_knob"] = 0.5
    k_half = cell.vars["kqf"]._value
    cell.vars["dq_knob"] = 1.0
    assert k_half == pytest.approx((kqf0 + cell.vars["kqf"]._value) / 2, rel=1e-12)


def test_unknown_knob_is_named_with_close_matches(cell):
    with pytest.raises(KeyError, match="kqf"):
        cell.match(method="4d", vary=["kqff"], targets=xt.Target("qx", 0.2))


def test_bad_inputs_are_reported():
    with pytest.raises(TypeError, match="VaryList"):
        xt.VaryList("kqf")
    with pytest.raises(ValueError, match="value"):
        xt.Target("qx")
    with pytest.raises(ValueError, match="mux"):
        xt.TargetRelPhaseAdvance("betx", 0.1)
    with pytest.raises(ValueError, match="no quantity"):
        xt.TargetSet(tol=1e-3)


def test_target_keyword_form_and_markers_repr():
    t = xt.Target(betx=0.15, at="ip1", tol=1e-3)
    assert (t.tar, t.value, t.at, t.tol) == ("betx", 0.15, "ip1", 1e-3)
    assert repr(xt.START) == "xt.START" and repr(xt.END) == "xt.END"
    import copy

    assert copy.deepcopy(xt.END) is xt.END
