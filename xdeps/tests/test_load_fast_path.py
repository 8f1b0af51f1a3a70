"""The batched load: shared texts, repeated targets, chain prefixes; unknown optimizer knobs."""

import pickle

import pytest

import xdeps as xd


class Magnet:
    def __init__(self):
        self.k1 = 0.0
        self.length = 2.0
        self.knl = [0.0, 0.0, 0.0]
        self.extra = {}


def fresh(n=3):
    elements = {f"q{i}": Magnet() for i in range(n)}
    vm = xd.VarManagement(element_container=elements)
    vm.var_values.update({"g": 0.5, "h": 3.0})
    return vm, elements


def test_targets_sharing_one_text_follow_it_independently():
    vm, el = fresh()
    vm.manager.load([
        ["element_refs['q0'].k1", "(vars['g'] * 2.0)"],
        ["element_refs['q1'].k1", "(vars['g'] * 2.0)"],
        ["element_refs['q2'].knl[1]", "(vars['g'] * 2.0)"],
    ], evaluate=True)
    assert el["q0"].k1 == el["q1"].k1 == el["q2"].knl[1] == 1.0
    deps = vm.manager.deps
    t0, t1 = vm.element_refs["q0"].k1, vm.element_refs["q1"].k1
    assert deps[t0] == deps[t1] == {vm.vref["g"]}
    assert deps[t0] is not deps[t1]  # each target owns its set
    vm["g"] = 2.0
    assert (el["q0"].k1, el["q1"].k1, el["q2"].knl[1]) == (4.0, 4.0, 4.0)
    vm.element_refs["q1"].k1 = 7.0  # a constant removes that expression only
    vm["g"] = 3.0
    assert (el["q0"].k1, el["q1"].k1) == (6.0, 7.0)
    vm.manager.verify()


def test_a_target_given_twice_keeps_its_last_entry():
    vm, el = fresh()
    vm.manager.load([
        ["vars['x']", "(vars['g'] + 1.0)"],
        ["vars['x']", "(vars['h'] * 10.0)"],
        ["vars['y']", "vars['g']"],
        ["vars['y']", "5.0"],
    ], evaluate=True)
    assert vm["x"] == 30.0
    assert vm.manager.deps[vm.vref["x"]] == {vm.vref["h"]}
    assert vm.vref["y"] not in vm.manager.tasks
    assert vm["y"] == 5.0
    vm["g"] = 100.0
    assert (vm["x"], vm["y"]) == (30.0, 5.0)
    vm.manager.verify()


def test_loaded_references_equal_and_hash_like_built_ones():
    vm, el = fresh()
    vm.manager.load([
        ["element_refs['q0'].extra['dk']", "vars['g']"],
        ["element_refs['q0'].knl[2]", "(-vars['h'])"],
        ["element_refs['q0'].k1", "(element_refs['q0'].knl[2] / element_refs['q0'].length)"],
    ], evaluate=True)
    e = vm.element_refs["q0"]
    built = [e.extra["dk"], e.knl[2], e.k1]
    for ref in built:
        assert ref in vm.manager.tasks
        (loaded,) = [t for t in vm.manager.tasks if t == ref]
        assert hash(loaded) == hash(ref)
    assert el["q0"].extra["dk"] == 0.5
    assert el["q0"].k1 == -1.5
    vm["h"] = 4.0
    assert el["q0"].k1 == -2.0
    # the references survive pickling (their hash is rebuilt in the new process)
    again = pickle.loads(pickle.dumps(built))
    assert again == built and [hash(r) for r in again] == [hash(r) for r in built]


def test_load_into_a_manager_with_tasks_evaluates_only_the_loaded_ones():
    vm, el = fresh()
    vm["z"] = vm.vref["g"] * 4
    vm.var_values["z"] = -1.0  # stale value: a load must not recompute z
    vm.manager.load([["vars['w']", "(vars['h'] + 1.0)"]], evaluate=True)
    assert vm["w"] == 4.0
    assert vm["z"] == -1.0
    vm["g"] = 1.0
    assert vm["z"] == 4.0


def test_object_attr_root_and_very_long_chain():
    mgr = xd.Manager()
    data = {"a": 2.0}
    root = mgr.refattr(data, "p")
    mgr.load([["p.b", "(p.a * 3)"], ["p.c", "p.b"]], evaluate=True)
    assert (data["b"], data["c"]) == (6.0, 6.0)
    # a chain longer than the fast split handles goes through the general reader
    nested = {"k": {}}
    node = nested["k"]
    path = "n['k']"
    for i in range(200):
        node[f"l{i}"] = {}
        node = node[f"l{i}"]
        path += f"['l{i}']"
    node["v"] = 0.0
    mgr.ref(nested, "n")
    assert len(path) > 1000
    mgr.load([[path + "['v']", "(p.a + 1)"]], evaluate=True)
    assert node["v"] == 3.0
    root.a = 5.0
    assert node["v"] == 6.0


def test_rejected_entry_in_a_batch_changes_nothing():
    vm, el = fresh()
    vm["x"] = vm.vref["g"] + 1
    before = (dict(vm.var_values), {t: repr(e) for t, e in vm.manager._exprs.items()})
    with pytest.raises(xd.ExpressionError, match=r"entry 2 .*rejected"):
        vm.manager.load([
            ["element_refs['q0'].k1", "(vars['g'] * 2.0)"],
            ["vars['x']", "(vars['g'] * 2.0)"],
            ["element_refs['q1'].k1", "vars['g'].__class__"],
        ], evaluate=True)
    after = (dict(vm.var_values), {t: repr(e) for t, e in vm.manager._exprs.items()})
    assert after == before
    assert el["q0"].k1 == 0.0
    vm.manager.verify()


class _Model(xd.Action):
    def __init__(self, knobs):
        self.knobs = knobs
        self.runs = 0

    def run(self):
        self.runs += 1
        return {"y": self.knobs["kqf"] * 2}


@pytest.mark.parametrize("kind", ["dict", "varmanagement", "vars"])
def test_unknown_knob_is_a_clear_key_error_before_anything_runs(kind):
    if kind == "dict":
        container = {"kqf": 1.0, "kqd": -1.0}
    else:
        vm = xd.VarManagement()
        vm["kqf"], vm["kqd"] = 1.0, -1.0
        container = vm if kind == "varmanagement" else vm.vars
    action = _Model({"kqf": 1.0})
    with pytest.raises(KeyError) as info:
        xd.Optimize([xd.Vary("kqd", container=container), xd.Vary("kqff", container=container)],
                    [xd.Target("y", 5.0, action=action)])
    text = str(info.value)
    assert "'kqff'" in text and "close matches: 'kqf'" in text
    assert action.runs == 0
    assert container["kqd"] in (-1.0,) or container["kqd"]._value == -1.0


def test_vary_get_value_names_a_missing_knob():
    with pytest.raises(KeyError, match=r"unknown knob 'ab'; close matches: 'abc'"):
        xd.Vary("ab", container={"abc": 1.0}).get_value()
