"""Dict round trips (_to_dict), standalone union refs, chunks and placement helpers."""

import pytest

import xobjects as xo
from xobjects.context import Chunk
from xobjects.typeutils import allocate_on_buffer


class Pos(xo.Struct):
    x = xo.Float64
    tags = xo.Int64[:]


class Name(xo.Struct):
    label = xo.String


class Either(xo.UnionRef):
    _reftypes = (Pos, Name)


class Holder(xo.Struct):
    which = Either
    grid = xo.Float64[2, 2]


def test_struct_with_union_round_trips():
    h = Holder(which=("Pos", {"x": 1.5, "tags": [4, 5]}), grid=[[1, 2], [3, 4]])
    plain = h._to_dict()
    assert plain == {"which": ("Pos", {"x": 1.5, "tags": [4, 5]}), "grid": [[1.0, 2.0], [3.0, 4.0]]}
    assert Holder(plain)._to_dict() == plain


def test_array_of_unions_keeps_nones():
    arr = Either[:](3)
    arr[2] = Name(label="q")
    assert arr._to_dict() == [None, None, ("Name", {"label": "q"})]
    assert Either[:](arr._to_dict())[2].label == "q"


def test_union_ref_alone():
    assert Either().get() is None and Either(None)._to_dict() is None
    u = Either("Name", {"label": "abc"})
    assert u.get().label == "abc"
    assert Either(*u._to_dict()).get().label == "abc"
    assert Either._typeid_from_name("Name") == 1 and Either._type_from_typeid(0) is Pos
    with pytest.raises(TypeError, match="'Other' is not one of Pos, Name"):
        Either("Other", {})


def test_several_positional_lengths_and_ref_subscript():
    a = xo.Int32[:, 3, :](2, 4)
    assert a.shape == (2, 3, 4)
    assert xo.Ref[Pos] is xo.Ref(Pos)
    assert xo.UInt8.__name__ == "Uint8" and xo.UInt8 is xo.Uint8


def test_chunks_overlap_when_they_touch():
    assert Chunk(0, 4).overlaps(Chunk(4, 6)) and not Chunk(0, 4).overlaps(Chunk(5, 6))
    assert Chunk(0, 4).merge(Chunk(2, 9)) == Chunk(0, 9)
    with pytest.raises(ValueError, match="leave a gap"):
        Chunk(0, 1).merge(Chunk(3, 4))


def test_allocate_on_buffer_rules():
    ctx = xo.ContextCpu()
    buf, off = allocate_on_buffer(24, context=ctx)
    assert buf.context is ctx and off == 0 and buf.capacity == 24
    assert allocate_on_buffer(8, buffer=buf, offset=16) == (buf, 16)
    _, off = allocate_on_buffer(8, buffer=buf, offset="aligned")
    assert off % 8 == 0 and off >= 24
    with pytest.raises(ValueError, match="needs the buffer"):
        allocate_on_buffer(8, offset=8)
    with pytest.raises(ValueError, match="not on context"):
        allocate_on_buffer(8, context=xo.ContextCpu(), buffer=buf)


def test_bad_context_argument_is_a_clear_type_error():
    with pytest.raises(TypeError, match=r"_context must be a context object .* got 'cpu' \(str\)"):
        Pos(x=1, _context="cpu")


def test_pre_and_post_init_hooks():
    class Polar(xo.Struct):
        r = xo.Float64
        r2 = xo.Float64

        @classmethod
        def _pre_init(cls, diameter=0.0, **kwargs):
            return (), {"r": diameter / 2, **kwargs}

        def _post_init(self):
            self.r2 = self.r**2

    p = Polar(diameter=6.0)
    assert (p.r, p.r2) == (3.0, 9.0)
