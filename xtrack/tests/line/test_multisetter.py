"""xt.MultiSetter: one field of many elements read and written at once, on every context."""

import numpy as np
import pytest
import xobjects as xo
from xobjects.test_helpers import for_all_test_contexts

import xtrack as xt


def _line(context):
    line = xt.Line(elements={"qf1": xt.Multipole(knl=[0, 0.1], length=0.1),
                             "qf2": xt.Multipole(knl=[0, 0.2], length=0.2),
                             "qf3": xt.Multipole(knl=[0, 0.3, 7.0], length=0.3),
                             "dr": xt.Drift(length=1.0)},
                   element_names=["qf1", "dr", "qf2", "dr", "qf3"])
    line.build_tracker(_context=context)
    return line


@for_all_test_contexts
@pytest.mark.parametrize("field, index, before", [("knl", 1, [0.1, 0.2, 0.3]),
                                                  ("length", None, [0.1, 0.2, 0.3])])
def test_get_and_set_values(test_context, field, index, before):
    line = _line(test_context)
    setter = xt.MultiSetter(line, ["qf1", "qf2", "qf3"], field=field, index=index)
    to_np = test_context.nparray_from_context_array
    assert np.array_equal(to_np(setter.get_values()), before)
    setter.set_values(np.array([10.0, 100.0, 1000.0]))
    assert np.array_equal(to_np(setter.get_values()), [10.0, 100.0, 1000.0])
    for name, value in zip(["qf1", "qf2", "qf3"], [10.0, 100.0, 1000.0]):
        got = line[name].knl[index] if index is not None else line[name].length
        assert got == value
    # neighbours untouched: knl[0], knl[2] and the drift
    assert line["qf3"].knl[0] == 0.0 and line["qf3"].knl[2] == 7.0
    assert line["dr"].length == 1.0


def test_set_values_changes_tracking():
    line = _line(xo.ContextCpu())
    p = xt.Particles(p0c=1e9, x=1e-3)
    setter = xt.MultiSetter(line, ["qf1", "qf2", "qf3"], field="knl", index=1)
    setter.set_values(0.0)
    line.track(p)
    # no quadrupole kick left: only the sextupole knl[2] = 7 of qf3, -7 x^2 / 2
    assert p.px[0] == pytest.approx(-3.5e-6, rel=1e-12)


def test_bad_input_is_named():
    line = _line(xo.ContextCpu())
    with pytest.raises(ValueError, match="field 'kn1'"):
        xt.MultiSetter(line, ["qf1"], field="kn1")
    with pytest.raises(ValueError, match="index="):
        xt.MultiSetter(line, ["qf1"], field="knl")
    with pytest.raises(KeyError, match="qf9"):
        xt.MultiSetter(line, ["qf9"], field="knl", index=1)
    setter = xt.MultiSetter(line, ["qf1", "qf2"], field="knl", index=1)
    with pytest.raises(ValueError, match="2 entries"):
        setter.set_values([1.0, 2.0, 3.0])
    assert line["qf1"].knl[1] == 0.1  # nothing written


def test_multiline_is_environment():
    assert xt.Multiline is xt.Environment


def test_multisetter_on_no_elements_reads_and_writes_nothing():
    line = xt.Line(elements={"d1": xt.Drift(length=1.0), "d2": xt.Drift(length=2.0)},
                   element_names=["d1", "d2"])
    line.build_tracker()
    setter = xt.MultiSetter(line, [], field="length")
    assert np.size(setter.get_values()) == 0
    setter.set_values(np.zeros(0))
    with pytest.raises(ValueError, match="one per element"):
        setter.set_values(np.zeros(2))
    assert [line["d1"].length, line["d2"].length] == [1.0, 2.0]
