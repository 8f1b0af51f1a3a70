"""Deferred expressions: propagation, parsing/printing round trips, cycles and errors."""

import math

import numpy as np
import pytest

import xdeps as xd


class Element:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


@pytest.fixture
def vm():
    elements = {
        "qf": Element(k1=0.0, length=1.0, knl=np.zeros(3)),
        "qd": Element(k1=0.0, length=1.0, knl=np.zeros(3)),
    }
    out = xd.VarManagement(element_container=elements)
    out["kqf"] = 0.01
    return out


def test_expression_follows_its_inputs(vm):
    vm["kqd"] = "-kqf*1.1"
    vm.element_refs["qf"].k1 = vm.vars["kqf"]
    vm.element_refs["qd"].k1 = vm.vars["kqd"] / vm.element_refs["qd"].length
    vm["kqf"] = 0.02
    elements = vm.element_refs._owner
    assert elements["qf"].k1 == 0.02
    assert vm["kqd"] == -0.02 * 1.1
    assert elements["qd"].k1 == -0.02 * 1.1
    elements_length_ref = vm.element_refs["qd"].length
    vm.manager.set_value(elements_length_ref, 2.0)
    assert elements["qd"].k1 == -0.02 * 1.1 / 2.0


def test_array_items_are_targets_and_sources(vm):
    knl = vm.element_refs["qf"].knl
    knl[2] = vm.vars["kqf"] * 3
    vm["from_array"] = knl[2] + 1
    vm["kqf"] = 0.5
    assert vm.element_refs._owner["qf"].knl[2] == 1.5
    assert vm["from_array"] == 2.5


def test_setting_a_value_removes_the_expression(vm):
    vm["a"] = "2*kqf"
    assert vm.get_expr("a") is not None
    vm["a"] = 7.0
    assert vm.get_expr("a") is None
    vm["kqf"] = 1.0
    assert vm["a"] == 7.0


def test_multilevel_propagation_order(vm):
    vm["a"] = "kqf + 1"
    vm["b"] = "a * kqf"
    vm["c"] = "b + a + kqf"
    vm["kqf"] = 2.0
    assert (vm["a"], vm["b"], vm["c"]) == (3.0, 6.0, 11.0)
    order = vm.manager.find_dependent_targets(vm.vars["kqf"])
    assert [repr(r) for r in order] == ["vars['a']", "vars['b']", "vars['c']"]


@pytest.mark.parametrize(
    "text, value",
    [
        ("-kqf*1.1", -0.011),
        ("2^3^2", 2.0**9),
        ("-kqf^2", -(0.01**2)),
        ("2^-1", 0.5),
        ("1e-3 + 2.5E2 + .5 + 3.", 1e-3 + 250 + 0.5 + 3.0),
        ("sqrt(16) + exp(0) + log(1) + log10(100) + abs(-2)", 4 + 1 + 0 + 2 + 2),
        ("sin(0) + cos(0) + tan(0) + asin(0) + acos(1) + atan(0) + atan2(0, 1)", 1.0),
        ("sinh(0) + cosh(0) + tanh(0) + floor(1.7) + ceil(1.2) + min(3, 2) + max(3, 4)", 10.0),
        ("(1 + 2) * (3 - 4) / 2", -1.5),
        ("10 - 4 - 3", 3.0),
        ("12 / 3 / 2", 2.0),
    ],
)
def test_parse_evaluates_like_python(vm, text, value):
    assert vm.eval(text) == pytest.approx(value, rel=1e-15, abs=1e-18)


def test_dotted_madx_names(vm):
    vm["kq4.l1b1"] = 3.0
    vm["x"] = "kq4.l1b1 * 2"
    assert repr(vm.get_expr("x")) == "(vars['kq4.l1b1'] * 2)"
    assert vm["x"] == 6.0


def test_element_attribute_by_dotted_name(vm):
    vm["lq"] = "qf.length * 2"
    assert repr(vm.get_expr("lq")) == "(element_refs['qf'].length * 2)"
    vm.element_refs["qf"].length = 3.0
    assert vm["lq"] == 6.0


@pytest.mark.parametrize(
    "text",
    [
        "-kqf*1.1",
        "a - (b - c)",
        "a / (b * c)",
        "(a ^ b) ^ c",
        "a ^ -b",
        "-(a + b) * c",
        "sqrt(a ^ 2 + b ^ 2) / -2.5e-3",
        "atan2(a, b - 1) + max(a, b, c)",
        "--a",
        "(-2) ^ a",
    ],
)
def test_print_parse_round_trip(vm, text):
    for name in ("a", "b", "c"):
        vm[name] = 1.5
    expr = vm.new_expr(text)
    # readable form parses back to the same tree
    assert repr(vm.new_expr(expr._formula())) == repr(expr)
    # xdeps form parses back to the same tree
    assert repr(vm.new_expr(repr(expr))) == repr(expr)
    assert vm.eval(expr._formula()) == expr._get_value()


def test_readable_form_is_minimal(vm):
    vm["a"] = 1.0
    assert vm.new_expr("(kqf * 2) + (a / 3)")._formula() == "kqf * 2 + a / 3"
    assert vm.new_expr("-(kqf)*1.1")._formula() == "-kqf * 1.1"


def test_python_operators_and_math_builtins(vm):
    k = vm.vars["kqf"]
    expr = abs(-k) + math.floor(k * 100) + round(k, 3) + 2**k + np.float64(2.0) * k
    assert isinstance(expr, xd.BinOpExpr)
    assert "np.float64" not in repr(expr)
    vm["y"] = expr
    vm["kqf"] = 0.02
    assert vm["y"] == pytest.approx(0.02 + 2 + 0.02 + 2**0.02 + 0.04, rel=1e-15)


def test_user_function(vm):
    vm.functions["double"] = lambda x: 2 * x
    vm["y"] = "double(kqf) + 1"
    assert repr(vm.get_expr("y")) == "(f.double(vars['kqf']) + 1)"
    vm["kqf"] = 4.0
    assert vm["y"] == 9.0


def test_piecewise_linear_function_round_trip(vm):
    vm.functions["pwl"] = xd.FunctionPieceWiseLinear([0.0, 1.0], [0.0, 10.0])
    vm["y"] = "pwl(kqf)"
    data = vm.to_dict()
    other = xd.VarManagement.from_dict(data)
    other["kqf"] = 0.25
    assert other["y"] == 2.5


def test_cycle_is_rejected_and_names_the_loop(vm):
    vm["a"] = "kqf * 2"
    vm["b"] = "a + 1"
    with pytest.raises(xd.CyclicDependencyError) as err:
        vm["kqf"] = "b * 3"
    assert "vars['kqf'] -> vars['b'] -> vars['a'] -> vars['kqf']" in str(err.value)
    assert isinstance(err.value, ValueError)
    # nothing was modified
    assert vm.get_expr("kqf") is None
    vm["kqf"] = 1.0
    assert vm["b"] == 3.0


def test_self_reference_is_a_cycle(vm):
    with pytest.raises(xd.CyclicDependencyError):
        vm["kqf"] = "kqf + 1"


def test_cycle_through_array_and_item(vm):
    vm["a"] = vm.element_refs["qf"].knl[1] * 2
    with pytest.raises(xd.CyclicDependencyError):
        vm.element_refs["qf"].knl = vm.vars["a"]


def test_unknown_name_has_close_matches(vm):
    with pytest.raises(KeyError, match="close matches: 'kqf'"):
        vm["y"] = "kqff * 2"
    with pytest.raises(KeyError, match="'sqrt'"):
        vm.eval("sqr(2)")
    with pytest.raises(KeyError, match="close matches: 'kqf'"):
        vm["kqd"]
    with pytest.raises(KeyError, match="close matches: 'kqf'"):
        vm.vars["kqg"]._get_value()


@pytest.mark.parametrize("text", ["1 +", "(1 + 2", "1 2", "a ? b", "", "sqrt(1,)"])
def test_malformed_expression(vm, text):
    vm["a"] = 1.0
    vm["b"] = 1.0
    with pytest.raises(xd.ExpressionError, match="cannot parse"):
        vm.new_expr(text)


def test_info_lists_value_expression_inputs_and_dependents(vm, capsys):
    vm["kqd"] = "-kqf*1.1"
    vm.element_refs["qd"].k1 = vm.vars["kqd"]
    vm.info("kqd")
    out = capsys.readouterr().out
    assert "vars['kqd'] = ((-vars['kqf']) * 1.1)" in out
    assert "vars['kqf'] = 0.01" in out
    assert "element_refs['qd'].k1" in out
    for i in range(5):
        vm[f"t{i}"] = "kqf"
    vm.info("kqf", limit=2)
    assert "5 more" in capsys.readouterr().out


def test_dump_load_round_trip(vm):
    vm["kqd"] = "-kqf*1.1"
    vm["x"] = "sqrt(kqd^2)"
    vm.element_refs["qd"].knl[1] = vm.vars["x"] * 2
    data = vm.to_dict()
    assert ["vars['kqd']", "((-vars['kqf']) * 1.1)"] in data["_var_manager"]
    assert ["element_refs['qd'].knl[1]", "(vars['x'] * 2)"] in data["_var_manager"]
    elements = {"qd": Element(k1=0.0, length=1.0, knl=np.zeros(3))}
    other = xd.VarManagement.from_dict(data, element_container=elements)
    assert other.to_dict()["_var_manager"] == data["_var_manager"]
    other["kqf"] = 1.0
    assert elements["qd"].knl[1] == pytest.approx(2.2, rel=1e-15)


def test_load_rejects_cycles_and_leaves_manager_clean():
    mgr = xd.Manager()
    values = {"a": 1.0, "b": 2.0}
    mgr.ref(values, "vars")
    with pytest.raises(xd.CyclicDependencyError):
        mgr.load([["vars['a']", "(vars['b'] + 1)"], ["vars['b']", "(vars['a'] * 2)"]])
    assert mgr.tasks == {}


def test_dump_is_in_dependency_order():
    mgr = xd.Manager()
    values = {"k": 1.0}
    v = mgr.ref(values, "vars")
    v["c"] = v["k"] * 3
    v["b"] = v["c"] + 1
    v["a"] = v["b"] * v["c"]
    targets = [t for t, _ in mgr.dump()]
    assert targets.index("vars['c']") < targets.index("vars['b']") < targets.index("vars['a']")


def test_assignment_through_detached_ref_raises():
    ref = xd.Ref({}, "vars", None)
    with pytest.raises(xd.ExpressionError, match="not attached"):
        ref["a"] = 1


def test_reserved_attribute_names():
    mgr = xd.Manager()
    root = mgr.ref({}, "vars")
    with pytest.raises(AttributeError, match="reserved"):
        root._anything  # noqa: B018


def test_set_values_updates_once():
    mgr = xd.Manager()
    values = {"a": 1.0, "b": 2.0}
    v = mgr.ref(values, "vars")
    v["s"] = v["a"] + v["b"]
    mgr.set_values([(v["a"], 10.0), (v["b"], 20.0)])
    assert values["s"] == 30.0


def test_evaluation_error_names_target():
    mgr = xd.Manager()
    values = {"a": 1.0}
    v = mgr.ref(values, "vars")
    v["b"] = mgr.functions.sqrt  # a plain value: the function object
    v["b"] = v["a"] ** 0.5 + f_sqrt(v["a"])
    with pytest.raises(xd.ExpressionError, match=r"vars\['b'\]"):
        v["a"] = -1.0
    assert values == {"a": 1.0, "b": 2.0}


def f_sqrt(x):
    return xd.CallExpr("sqrt", (x,))


def test_division_by_zero_gives_nan_as_the_established_xdeps():
    mgr = xd.Manager()
    values = {"a": 1.0}
    v = mgr.ref(values, "vars")
    v["b"] = 1 / v["a"]
    v["c"] = v["a"] // 0
    v["a"] = 0.0
    assert math.isnan(values["b"]) and math.isnan(values["c"])


def test_var_table(vm):
    vm["kqd"] = "-kqf*1.1"
    table = vm.vars.get_table()
    assert table["expr", "kqd"] == "((-vars['kqf']) * 1.1)"
    assert table["value", "kqf"] == 0.01
    assert table["expr", "kqf"] is None


def test_dependency_queries(vm):
    vm["a"] = "kqf * 2"
    vm["b"] = "a + kqf"
    vm.element_refs["qf"].k1 = vm.vars["b"]
    mgr = vm.manager
    deps = {repr(r) for r in mgr.find_deps([vm.element_refs["qf"].k1])}
    assert deps == {"vars['b']", "vars['a']", "vars['kqf']"}
    tasks = mgr.find_tasks([vm.vars["a"]])
    assert [repr(t) for t in tasks] == ["vars['b']", "element_refs['qf'].k1"]
    assert vm.vars["kqf"]._find_dependant_targets()[-1] == vm.element_refs["qf"].k1


def test_manager_copy_and_deepcopy_are_independent(vm):
    import copy

    vm["a"] = "kqf * 2"
    other = vm.manager.copy()
    assert other.dump() == vm.manager.dump()
    clone = copy.deepcopy(vm)
    clone["kqf"] = 5.0
    assert clone["a"] == 10.0
    assert vm["a"] == 0.02
    clone["b"] = "a + 1"
    assert clone["b"] == 11.0


def test_vars_view_behaves_like_environment_vars(vm):
    vm.vars["a"] = "2*kqf"
    ref = vm.vars["a"]
    assert ref._value == 0.02
    assert repr(ref._expr) == "(2 * vars['kqf'])"
    assert "a" in vm.vars and "zz" not in vm.vars
    assert len(vm.vars) == 2 and list(vm.vars) == ["kqf", "a"]
    vm.vars.update({"b": "a + 1", "c": 3.0})
    assert vm["b"] == 1.02 and vm["c"] == 3.0
    # references from the view build expressions directly
    vm["d"] = vm.vars["a"] * vm.vars["c"]
    assert vm["d"] == pytest.approx(0.06, rel=1e-15)


def test_dependant_targets_list_the_reference_and_the_containers_of_each_target(vm):
    vm["a"] = 1.0
    vm["b"] = "2 * a"
    vm.element_refs["qf"].k1 = vm.vars["b"]
    out = vm.vars["a"]._find_dependant_targets()
    # itself first; each target after what contains it, once
    assert [repr(r) for r in out] == ["vars['a']", "vars['b']", "element_refs['qf']",
                                      "element_refs['qf'].k1"]
