"""HybridClass: struct building, properties, dict round trips, copies, kernels."""

import numpy as np
import pytest

import xobjects as xo


class Drift(xo.HybridClass):
    _xofields = {"length": xo.Float64, "knl": xo.Float64[:], "order": xo.Int64}
    _rename = {"order": "_order"}
    _store_in_to_dict = ["label"]
    _extra_c_sources = [r"""
/*gpufun*/ double Drift_scaled_length(DriftData el, double f){ return DriftData_get_length(el) * f; }
"""]

    def __init__(self, label="d", **kwargs):
        super().__init__(**kwargs)
        self.label = label

    @property
    def order(self):
        return self._order


class Kicker(xo.HybridClass):
    _xofields = {"drift": Drift, "kicks": Drift[:], "strength": xo.Float64}
    _skip_in_to_dict = ["strength"]
    _depends_on = [Drift]
    _extra_c_sources = [r"""
/*gpukern*/ void kick(KickerData k, /*gpuglmem*/ double* out){
    DriftData d = KickerData_getp_drift(k);
    out[0] = Drift_scaled_length(d, KickerData_get_strength(k));
    KickerData_set_kicks_length(k, 0, out[0]);
    KickerData_set_drift_knl(k, 1, -1.0);
}
"""]
    _kernels = {
        "kick": xo.Kernel(args=[xo.Arg(xo.ThisClass, name="k"), xo.Arg(xo.Float64, pointer=True, name="out")],
                          n_threads=1),
    }


def test_struct_is_named_after_the_class_and_fields_are_properties():
    assert Drift._XoStruct.__name__ == "DriftData"
    d = Drift(length=2.0, knl=[1.0, 2.0], order=3)
    assert d.length == 2.0 and d.order == 3 and d._order == 3
    d.knl[1] = 5.0  # context array, written in place
    assert d._xobject.to_dict()["knl"].tolist() == [1.0, 5.0]
    d.length = 4.0
    assert d._xobject.length == 4.0
    assert d._context is d._buffer.context and d._offset == d._xobject._offset


def test_constructor_accepts_renamed_names_and_rejects_unknown():
    assert Drift(_order=2).order == 2
    with pytest.raises(TypeError, match="did you mean 'length'"):
        Drift(lenght=1.0)
    with pytest.raises(TypeError, match="_xobject excludes"):
        Drift(_xobject=Drift()._xobject, length=1.0)
    with pytest.raises(TypeError, match="must be a DriftData"):
        Drift(_xobject=Kicker()._xobject)


def test_to_dict_from_dict_round_trip():
    d = Drift(length=2.0, knl=[1.0, 2.0], order=3, label="q1")
    dct = d.to_dict()
    assert dct["__class__"] == "Drift" and dct["order"] == 3 and dct["label"] == "q1"
    again = Drift.from_dict(dct)
    assert again.label == "q1"
    assert {k: str(v) for k, v in again.to_dict().items()} == {k: str(v) for k, v in dct.items()}


def test_nested_hybrid_fields_come_back_as_hybrid_objects():
    k = Kicker(drift=Drift(length=1.0, knl=[0.0, 0.0]), kicks=[{"length": 1.0}, Drift(length=2.0)], strength=3.0)
    assert isinstance(k.drift, Drift) and k.drift.length == 1.0
    assert isinstance(k.kicks[1], Drift) and k.kicks[1].length == 2.0
    dct = k.to_dict()
    assert "strength" not in dct
    assert dct["drift"]["__class__"] == "Drift"
    assert Kicker.from_dict(dct).drift.length == 1.0


def test_subclass_without_xofields_shares_the_struct():
    class LongDrift(Drift):
        pass

    assert LongDrift._XoStruct is Drift._XoStruct
    assert LongDrift(length=5.0).length == 5.0


def test_copy_and_move_between_contexts_keep_values(context):
    d = Drift(length=1.5, knl=np.linspace(0, 1, 7), order=6, label="m")
    c = d.copy(_context=context)
    assert c._context is context and c.label == "m"
    np.testing.assert_array_equal(context.nparray_from_context_array(c.knl), np.linspace(0, 1, 7))
    c.length = 9.0
    assert d.length == 1.5  # independent data
    buf = d._buffer
    d.move(_context=context)
    assert d._context is context and d.order == 6
    assert buf.free_bytes == buf.capacity  # the old bytes went back to the buffer
    back = d.copy(_context=xo.ContextCpu())
    assert repr(back.to_dict()) == repr(Drift(length=1.5, knl=np.linspace(0, 1, 7), order=6, label="m").to_dict())


def test_move_needs_a_destination():
    with pytest.raises(ValueError, match="needs _context or _buffer"):
        Drift().move()


def test_kernel_requirements_put_dependencies_first():
    classes, sources = Kicker._kernel_requirements()
    assert classes == [Drift._XoStruct, Kicker._XoStruct]
    assert sources == Drift._extra_c_sources + Kicker._extra_c_sources


def test_compile_kernels_and_run_on_context(context):
    k = Kicker(drift=Drift(length=2.0, knl=[0.0, 0.0]), kicks=[{"length": 0.0}], strength=0.5, _context=context)
    k.compile_kernels(only_if_needed=True)
    out = context.zeros(1, dtype=np.float64)
    k.get_kernel("kick")(k=k, out=out)
    assert context.nparray_from_context_array(out)[0] == 1.0
    assert k.kicks[0].length == 1.0
    assert context.nparray_from_context_array(k.drift.knl).tolist() == [0.0, -1.0]
    with pytest.raises(TypeError, match="unexpected kernel"):
        k.get_kernel("kik")


def test_field_names_that_would_hide_methods_are_refused():
    with pytest.raises(ValueError, match="would hide HybridClass.copy"):
        type("Bad", (xo.HybridClass,), {"_xofields": {"copy": xo.Float64}})
    ok = type("Good", (xo.HybridClass,), {"_xofields": {"copy": xo.Float64}, "_rename": {"copy": "copy_"}})
    assert ok(copy=2.0).copy_ == 2.0
    with pytest.raises(ValueError, match="reserved"):
        type("BadStruct", (xo.Struct,), {"_buffer": xo.Float64})


def test_field_defaults_and_source_paths(tmp_path):
    header = tmp_path / "extra.h"
    header.write_text("/*gpufun*/ double twice(double x){ return 2 * x; }\n")
    cls = type("WithDefaults", (xo.HybridClass,), {
        "_xofields": {"gain": xo.Field(xo.Float64, default=1.5), "n": xo.Int32},
        "_extra_c_sources": [str(header), "/* inline code */"],
    })
    obj = cls(n=2)
    assert (obj.gain, obj.n) == (1.5, 2)
    _, sources = cls._kernel_requirements()
    assert sources == [header, "/* inline code */"]  # an existing path string becomes a Path
