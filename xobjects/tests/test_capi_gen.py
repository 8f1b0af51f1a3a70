"""The generated C API as text: names, guards, order, and that it compiles."""

import re
import shutil
import subprocess

import pytest

import xobjects as xo

from .ref_types import Leaf


class Inner(xo.Struct):
    x = xo.Float64
    v = xo.Float32[:]


class Choice(xo.UnionRef):
    _reftypes = [Inner, Leaf]


class Outer(xo.Struct):
    a = xo.Int32
    inner = Inner
    items = Inner[:]
    grid = xo.Float64[:, 3]
    ptr = xo.Ref(Leaf)
    choice = Choice
    name = xo.String


def _functions(source):
    return set(re.findall(r"^/\*gpufun\*/ .*?(\w+)\(", source, re.MULTILINE))


def test_accessor_names_follow_the_contract():
    funcs = _functions(xo.gen_c_api([Outer]))
    expected = {
        # scalar field
        "Outer_get_a", "Outer_set_a", "Outer_getp_a",
        # nested struct and flattened paths (including its variable array)
        "Outer_getp_inner", "Outer_get_inner_x", "Outer_set_inner_x", "Outer_getp_inner_x",
        "Outer_len_inner_v", "Outer_get_inner_v", "Outer_getp1_inner_v",
        # array of structs
        "Outer_getp_items", "Outer_len_items", "Outer_len0_items", "Outer_getp1_items",
        "Outer_get_items_x", "Outer_set_items_x", "Outer_get_items_v", "Outer_len_items_v",
        # multi-dimensional array
        "Outer_len_grid", "Outer_len0_grid", "Outer_len1_grid", "Outer_get_grid",
        "Outer_set_grid", "Outer_getp1_grid", "Outer_getp_grid",
        # refs
        "Outer_getp_ptr", "Outer_set_ptr", "Outer_typeid_choice", "Outer_member_choice",
        "Outer_getp_name",
        # the types on their own
        "Inner_get_x", "ArrNInner_len", "ArrNInner_getp1", "ArrNInner_get_x",
        "ArrNx3Float64_get", "ArrNx3Float64_len1", "Choice_typeid", "Choice_member",
        "RefLeaf_getp", "String_getp_data",
    }
    assert expected <= funcs, sorted(expected - funcs)


def test_signatures_take_one_index_per_dimension():
    api = xo.gen_c_api([Outer])
    assert "double Outer_get_grid(Outer obj, int64_t i0, int64_t i1){" in api
    assert "void Outer_set_items_x(Outer obj, int64_t i0, double value){" in api
    assert "/*gpuglmem*/ float* Outer_getp1_inner_v(Outer obj, int64_t i0){" in api
    assert "Leaf Outer_getp_ptr(Outer obj){" in api
    assert "/*gpuglmem*/ void* Outer_member_choice(Outer obj){" in api


def test_types_come_once_dependencies_first_with_guards():
    api = xo.gen_c_api([Outer, Inner, Outer])
    typedefs = re.findall(r"typedef /\*gpuglmem\*/ struct (\w+)_s \* \1;", api)
    assert len(typedefs) == len(set(typedefs))
    assert typedefs.index("Inner") < typedefs.index("ArrNInner") < typedefs.index("Outer")
    for name in typedefs:
        assert f"#ifndef XOBJ_TYPEDEF_{name}\n" in api and f"#ifndef XOBJ_API_{name}\n" in api
    assert "#define Choice_Inner_t 0" in api and "#define Choice_Leaf_t 1" in api


def test_cdef_lists_plain_typedefs():
    cdef = xo.gen_cdef([Outer])
    assert "typedef struct Outer_s * Outer;" in cdef
    assert "gpuglmem" not in cdef
    assert cdef.count("typedef") == len(re.findall(r"#ifndef XOBJ_TYPEDEF_", xo.gen_c_api([Outer])))


def test_hybrid_classes_are_accepted_for_their_struct():
    class Drift(xo.HybridClass):
        _xofields = {"length": xo.Float64}

    assert "DriftData_get_length" in xo.gen_c_api([Drift])


def test_gen_c_api_rejects_non_types():
    with pytest.raises(TypeError, match="needs xobjects types"):
        xo.gen_c_api([3])


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_api_compiles_as_c_even_when_included_twice(tmp_path):
    class SelfRef(xo.Struct):
        value = xo.Float64

    class Node(xo.Struct):
        value = xo.Float64
        other = xo.Ref(SelfRef)

    api = xo.gen_c_api([Outer, Node]) + xo.gen_c_api([Outer])
    c_source = api.replace("/*gpufun*/", "static inline").replace("/*gpuglmem*/", "")
    path = tmp_path / "api.c"
    path.write_text(c_source + "\nint main(void){return 0;}\n")
    result = subprocess.run(
        ["cc", "-std=c99", "-Wall", "-Werror", "-Wno-unused-function", "-fsyntax-only", str(path)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[:2000]
