"""String, Ref and UnionRef: layout, pointers within a buffer, copies."""

import numpy as np
import pytest

import xobjects as xo

from .ref_types import Elem, Leaf, Node


class Holder(xo.Struct):
    first = xo.Ref(Node)
    one = Elem
    many = Elem[:]
    name = xo.String


def test_string_layout_and_round_trip():
    s = xo.String("héllo")
    raw = s._buffer.read(s._offset, s._size)
    assert raw[:8].view(np.int64)[0] == s._size == 8 + 8  # 6 bytes + NUL -> 8
    assert raw[8:14].tobytes() == "héllo".encode() and raw[14] == 0
    assert str(s) == "héllo"


def test_string_errors():
    with pytest.raises(TypeError, match="must be a str"):
        xo.String(3)
    with pytest.raises(ValueError, match="NUL"):
        xo.String("a\0b")


def test_ref_slot_is_self_relative_and_shared_target_is_not_copied():
    buf = xo.context_default.new_buffer()
    node = Node(value=2.0, data=[1.0], _buffer=buf)
    h = Holder(first=node, _buffer=buf)
    slot = h._offset + Holder.first.offset
    assert int(buf.read(slot, 8).view(np.int64)[0]) == node._offset - slot
    h.first.value = 5.0  # the same object, not a copy
    assert node.value == 5.0


def test_ref_from_plain_value_allocates_target_in_same_buffer():
    h = Holder(first={"value": 1.0, "data": [2.0, 3.0]})
    assert h.first._buffer is h._buffer
    assert h.first.data.tolist() == [2.0, 3.0]
    h.first = None
    assert h.first is None


def test_ref_to_object_in_another_buffer_copies_it():
    node = Node(value=4.0)
    h = Holder(first=node)
    assert h.first._buffer is h._buffer and h.first._buffer is not node._buffer
    assert h.first.value == 4.0


def test_union_ref_layout_and_members():
    buf = xo.context_default.new_buffer()
    leaf = Leaf(n=7, _buffer=buf)
    node = Node(value=1.5, _buffer=buf)
    h = Holder(one=leaf, many=[node, leaf, None], _buffer=buf)
    slot = h._offset + Holder.one.offset
    typeid, rel = buf.read(slot, 16).view(np.int64)
    assert typeid == 1 and rel == leaf._offset - (slot + 8)
    assert isinstance(h.many[0], Node) and h.many[1].n == 7 and h.many[2] is None
    h.many[2] = node
    assert h.many[2].value == 1.5


def test_union_ref_from_dict_with_class_and_errors():
    h = Holder(one={"__class__": "Leaf", "n": 3})
    assert isinstance(h.one, Leaf) and h.one.n == 3
    with pytest.raises(TypeError, match="not one of Node, Leaf"):
        Holder(one={"__class__": "Other"})
    with pytest.raises(TypeError, match="instance of one of Node, Leaf"):
        Holder(one=3.0)


def test_to_dict_follows_refs_and_tags_union_members():
    h = Holder(first={"value": 1.0}, one=Leaf(n=2), many=[Leaf(n=4)], name="x")
    dct = h.to_dict()
    assert dct["first"] == {"value": 1.0, "data": dct["first"]["data"]}
    assert dct["one"] == {"__class__": "Leaf", "n": 2}
    assert dct["many"] == [{"__class__": "Leaf", "n": 4}]
    again = Holder(**dct)
    assert again.many[0].n == 4 and again.name == "x"


def test_copy_to_another_buffer_brings_the_targets():
    h = Holder(first={"value": 1.0}, many=[Leaf(n=4), Node(value=2.0)])
    copy = Holder(h, _buffer=xo.context_default.new_buffer())
    assert copy.first._buffer is copy._buffer and copy.many[1]._buffer is copy._buffer
    assert copy.many[1].value == 2.0 and copy.many[0].n == 4


def test_ref_needs_exactly_one_composite_type():
    with pytest.raises(TypeError, match="subclass xo.UnionRef"):
        xo.Ref(Node, Leaf)
    with pytest.raises(TypeError, match="composite"):
        xo.Ref(xo.Float64)
    with pytest.raises(TypeError, match="pointer type"):
        xo.Ref(Node)()
    assert xo.Ref(Node) is xo.Ref(Node)


def test_cyclic_refs_have_no_dict_value():
    class Ring(xo.Struct):
        value = xo.Float64
        next = xo.Ref(xo.ThisClass)

    a = Ring(value=1.0)
    b = Ring(value=2.0, next=a, _buffer=a._buffer)
    a.next = b
    assert a.next.next.value == 1.0  # instances walk the cycle
    with pytest.raises(ValueError, match="cycle of refs"):
        a.to_dict()
