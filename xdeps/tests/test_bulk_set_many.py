"""Manager.set_many: the state of set_value applied pair by pair, each target evaluated once, all or nothing."""

import copy
import random

import pytest

import xdeps as xd


class Magnet:
    def __init__(self):
        self.k1 = 0.0
        self.length = 2.0
        self.knl = [0.0, 0.0, 0.0]


def fresh(n=4):
    elements = {f"q{i}": Magnet() for i in range(n)}
    vm = xd.VarManagement(element_container=elements)
    vm.var_values.update({"g": 0.5, "h": 3.0})
    return vm, elements


def state(vm, elements):
    """Everything set_many may change: values, expressions (as text) and the dependency sets."""
    mgr = vm.manager
    return (
        dict(vm.var_values),
        {n: (e.k1, e.length, list(e.knl)) for n, e in elements.items()},
        sorted(map(tuple, mgr.dump())),
        sorted((repr(t), sorted(map(repr, d))) for t, d in mgr.deps.items()),
    )


def batch(vm):
    """A batch in a bad order for set_value: users first, chains, a knob read by an old expression."""
    v, e, f = vm.vref, vm.element_refs, vm.fref
    return [
        (e["q0"].k1, v["kq"] * e["q0"].length),  # reads kq, defined below
        (e["q1"].knl[1], e["q0"].k1 * 0.5 + f.sqrt(v["h"])),
        (v["kq"], v["base"] + v["trim"]),
        (v["base"], v["g"] * 10.0),
        (v["trim"], 0.25),
        (e["q2"].k1, (-e["q1"].knl[1])),
        (v["old_user_input"], 4.0),  # read by an expression set before the batch
        (e["q3"].k1, v["g"]),
        (e["q3"].k1, 7.5),  # given twice: the constant wins, as in turn
    ]


#: The same pairs, inputs before users (set_value in turn needs every input to exist).
IN_TURN = [4, 3, 2, 0, 1, 5, 6, 7, 8]


def test_same_state_as_set_value_in_turn():
    vm_a, el_a = fresh()
    vm_b, el_b = fresh()
    for vm in (vm_a, vm_b):
        vm["old_user_input"] = 1.0
        vm["old_user"] = vm.vref["old_user_input"] * 3.0
        vm.element_refs["q3"].k1 = vm.vref["h"] * 2  # replaced by the batch's constant
    pairs = batch(vm_a)
    for i in IN_TURN:
        vm_a.manager.set_value(*pairs[i])
    vm_b.manager.set_many(batch(vm_b))
    assert state(vm_a, el_a) == state(vm_b, el_b)
    assert el_b["q0"].k1 == pytest.approx((0.5 * 10.0 + 0.25) * 2.0)
    assert el_b["q2"].k1 == pytest.approx(-(el_b["q0"].k1 * 0.5 + 3.0 ** 0.5))
    assert vm_b["old_user"] == 12.0
    assert el_b["q3"].k1 == 7.5 and vm_b.element_refs["q3"].k1 not in vm_b.manager.tasks
    vm_b.manager.verify()
    # the knobs stay live after the batch
    vm_b["g"] = 1.0
    assert el_b["q0"].k1 == pytest.approx((10.0 + 0.25) * 2.0)
    assert el_b["q2"].k1 == pytest.approx(-(el_b["q0"].k1 * 0.5 + 3.0 ** 0.5))


def test_random_batches_match_set_value_in_turn():
    rng = random.Random(13)
    names = [f"x{i}" for i in range(25)]
    for _ in range(20):
        vms = [fresh(1), fresh(1)]
        for vm, _ in vms:
            for i, name in enumerate(names):
                vm[name] = float(i)
            vm["x3"] = vm.vref["x1"] * 2.0  # an expression before the batch
        spec = []
        for _ in range(60):
            name, inputs = rng.choice(names), rng.sample(names + ["g", "h"], 2)
            spec.append((name, rng.random() if rng.random() < 0.3 else inputs))

        def pairs(vm):
            v = vm.vref
            return [(v[n], x if isinstance(x, float) else v[x[0]] * 0.5 + v[x[1]] * 0.25) for n, x in spec]

        (vm_a, el_a), (vm_b, el_b) = vms
        kept = []  # set_value in turn refuses a pair closing a loop: both drop it
        for i, pair in enumerate(pairs(vm_a)):
            try:
                vm_a.manager.set_value(*pair)
                kept.append(i)
            except xd.CyclicDependencyError:
                pass
        all_b = pairs(vm_b)
        vm_b.manager.set_many([all_b[i] for i in kept])
        assert state(vm_a, el_a) == state(vm_b, el_b)
        vm_b.manager.verify()


def test_each_target_evaluated_once():
    vm, _ = fresh(1)
    calls = []
    vm.functions["count"] = lambda x: calls.append(x) or x
    v, f = vm.vref, vm.fref
    n = 200
    # a chain given from its end: set_value in turn re-evaluates the whole tail each time
    pairs = [(v[f"c{i}"], f.count(v[f"c{i - 1}"] + 1.0)) for i in range(n, 0, -1)] + [(v["c0"], 0.0)]
    vm.manager.set_many(pairs)
    assert vm[f"c{n}"] == float(n)
    assert len(calls) == n


def test_cycle_leaves_everything_as_before():
    vm, el = fresh()
    v, e = vm.vref, vm.element_refs
    vm["a"] = v["g"] * 2
    e["q0"].k1 = v["a"] + 1.0
    before = copy.deepcopy(state(vm, el))
    with pytest.raises(xd.CyclicDependencyError):
        vm.manager.set_many([
            (v["b"], 5.0),
            (e["q1"].k1, v["b"] * 3),
            (v["a"], v["b"] + e["q0"].k1),  # q0.k1 reads a: a loop through an old expression
        ])
    assert state(vm, el) == before
    vm.manager.verify()
    vm["g"] = 2.0  # the old expressions still run
    assert el["q0"].k1 == 5.0


def test_cycle_through_parts_of_a_target():
    vm, el = fresh()
    e = vm.element_refs
    before = copy.deepcopy(state(vm, el))
    with pytest.raises(xd.CyclicDependencyError):
        vm.manager.set_many([(e["q0"].knl[1], e["q0"].knl[0] + 1.0), (e["q0"].knl[0], e["q0"].knl * 0)])
    assert state(vm, el) == before


def test_failing_evaluation_leaves_everything_as_before():
    vm, el = fresh()
    v, e, f = vm.vref, vm.element_refs, vm.fref
    vm["a"] = 1.0
    vm["user"] = f.log(v["a"])  # an old expression that fails once a <= 0
    vm["replaced"] = v["g"] + 1
    before = copy.deepcopy(state(vm, el))
    with pytest.raises(xd.ExpressionError, match="vars\\['user'\\]"):
        vm.manager.set_many([
            (e["q0"].k1, v["g"] * 4),
            (v["replaced"], 9.0),
            (v["a"], -1.0),  # the dependent 'user' fails
        ])
    assert state(vm, el) == before
    with pytest.raises(xd.ExpressionError, match="nowhere"):  # as set_value says it
        vm.manager.set_many([(e["q1"].k1, v["g"]), (e["q2"].k1, v["nowhere"] * 2)])
    assert state(vm, el) == before
    vm.manager.verify()
    vm["a"] = 2.0
    assert vm["user"] == pytest.approx(0.6931471805599453)


def test_bad_entries_named():
    vm, el = fresh()
    v = vm.vref
    with pytest.raises(ValueError, match="entry 1 must be a \\(target, value\\) pair"):
        vm.manager.set_many([(v["a"], 1.0), (v["b"],)])
    with pytest.raises(TypeError, match="entry 0: the target must be an attribute or item reference"):
        vm.manager.set_many([(v, 1.0)])
    assert "a" not in vm.var_values  # checked before anything is assigned
    vm.manager.set_many([])  # nothing to do


def test_texts_are_constants_never_code():
    vm, _ = fresh()
    v = vm.vref
    text = "__import__('os').system('echo hacked')"
    vm.manager.set_many([(v["label"], text), (v["k"], v["g"] * 2)])
    assert vm.var_values["label"] == text
    assert vm["k"] == 1.0


def test_without_evaluation_values_stay_and_expressions_follow_later():
    vm, el = fresh()
    v, e = vm.vref, vm.element_refs
    el["q0"].k1 = 1.0  # the caller built it with the value of its expression (g * 2)
    vm.manager.set_many([(e["q0"].k1, v["g"] * 2), (e["q1"].k1, e["q0"].k1 + 1)], evaluate=False)
    assert (el["q0"].k1, el["q1"].k1) == (1.0, 0.0)  # nothing evaluated
    vm["g"] = 3.0
    assert (el["q0"].k1, el["q1"].k1) == (6.0, 7.0)
    before = copy.deepcopy(state(vm, el))
    with pytest.raises(xd.CyclicDependencyError):  # still checked
        vm.manager.set_many([(v["g"], e["q1"].k1 * 2)], evaluate=False)
    assert state(vm, el) == before
