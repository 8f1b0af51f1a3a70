"""The cached update order follows every change of the dependency graph.

The manager caches, per changed reference, the order in which its dependents
are recomputed (and the update entries it runs). Each test updates a knob
once so that the order is cached, changes the graph, and checks that the next
update uses a correct order: every target present, inputs before users, and
values equal to a direct computation.
"""

import pytest

import xdeps as xd


class Element:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


@pytest.fixture
def vm():
    elements = {"qf": Element(k1=0.0, length=2.0, knl=[0.0, 0.0, 0.0])}
    out = xd.VarManagement(element_container=elements)
    out["knob"] = 1.0
    out["a"] = "knob + 1"
    out["b"] = "a * 2"
    out.element_refs["qf"].k1 = out.vars["b"] / out.element_refs["qf"].length
    out.element_refs["qf"].knl[1] = out.vars["a"] * 3
    out["knob"] = 2.0  # caches the order for 'knob'
    return out


def order_of(vm, name="knob"):
    """Update order of ``name`` as texts, checked to put inputs before users."""
    mgr = vm.manager
    order = mgr.find_dependent_targets(vm.vars[name])
    position = {target: i for i, target in enumerate(order)}
    for i, target in enumerate(order):
        for dep in mgr.find_deps([target]):
            assert position.get(dep, -1) < i, f"{dep!r} is updated after its user {target!r}"
    assert len(position) == len(order)
    return [repr(t) for t in order]


def check_values(vm):
    qf = vm.element_refs._owner["qf"]
    assert vm["a"] == vm["knob"] + 1
    assert qf.k1 == vm["b"] / qf.length
    assert qf.knl[1] == vm["a"] * 3


def test_cached_order_is_valid(vm):
    assert set(order_of(vm)) == {
        "vars['a']",
        "vars['b']",
        "element_refs['qf'].k1",
        "element_refs['qf'].knl[1]",
    }
    vm["knob"] = 3.0
    check_values(vm)
    assert vm["b"] == 8.0


def test_new_expression_is_updated(vm):
    vm["c"] = "b + knob"
    vm.element_refs["qf"].knl[2] = vm.vars["c"] * 10
    order = order_of(vm)
    assert order.index("vars['b']") < order.index("vars['c']") < order.index("element_refs['qf'].knl[2]")
    vm["knob"] = 5.0
    check_values(vm)
    assert vm["c"] == 12.0 + 5.0
    assert vm.element_refs._owner["qf"].knl[2] == 170.0


def test_removed_expression_is_no_longer_updated(vm):
    vm["b"] = 100.0  # a constant replaces the expression
    assert "vars['b']" not in order_of(vm)
    vm["knob"] = 7.0
    check_values(vm)
    assert vm["b"] == 100.0
    assert vm.element_refs._owner["qf"].k1 == 50.0
    vm.manager.delete(vm.element_refs["qf"].knl[1])
    assert "element_refs['qf'].knl[1]" not in order_of(vm)


def test_reassigned_target_moves_in_the_order(vm):
    # 'a' first reads only the knob; re-assigned, it reads 'c', which must now come first.
    vm["c"] = "knob * 3"
    vm["knob"] = 1.0
    vm["a"] = "c + 1"
    order = order_of(vm)
    assert order.index("vars['c']") < order.index("vars['a']") < order.index("vars['b']")
    vm["knob"] = 4.0
    assert vm["a"] == 13.0
    assert vm["b"] == 26.0
    assert vm.element_refs._owner["qf"].k1 == 13.0
    assert vm.element_refs._owner["qf"].knl[1] == 39.0


def test_reassigned_target_leaves_the_order(vm):
    vm["other"] = 10.0
    vm["a"] = "other - 1"
    assert order_of(vm) == []
    vm["knob"] = 6.0
    assert vm["a"] == 9.0
    assert set(order_of(vm, "other")) == {
        "vars['a']",
        "vars['b']",
        "element_refs['qf'].k1",
        "element_refs['qf'].knl[1]",
    }
    vm["other"] = 21.0
    assert vm["b"] == 40.0
    assert vm.element_refs._owner["qf"].knl[1] == 60.0


def test_reader_of_a_whole_owner_is_updated_by_its_parts(vm):
    # A reader of 'knl' (the list) must follow changes of knl[1], and readers
    # of knl[1] must follow a new list assigned to 'knl'.
    f = vm.manager.functions
    f["total"] = sum
    vm.vars["s"] = vm.fref["total"](vm.element_refs["qf"].knl)
    assert "vars['s']" in order_of(vm)
    vm["knob"] = 2.5
    assert vm["s"] == sum(vm.element_refs._owner["qf"].knl)
    vm.manager.set_value(vm.element_refs["qf"].knl, [1.0, 2.0, 3.0])
    assert vm["s"] == 6.0
    vm["knob"] = 3.5
    assert vm.element_refs._owner["qf"].knl[1] == 4.5 * 3
    assert vm["s"] == 1.0 + 4.5 * 3 + 3.0


def test_order_cache_survives_an_evaluation_error():
    mgr = xd.Manager()
    values = {"a": 1.0}
    v = mgr.ref(values, "vars")
    v["b"] = 1 / xd.CallExpr("sqrt", (v["a"],))
    v["c"] = v["b"] + 1
    with pytest.raises(xd.ExpressionError, match=r"vars\['b'\]"):
        v["a"] = -1.0
    assert values == {"a": 1.0, "b": 1.0, "c": 2.0}
    v["a"] = 16.0
    assert values["c"] == 1.25
