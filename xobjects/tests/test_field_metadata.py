"""xo.Field unit/doc metadata: carried into structs, documenting attributes and docstrings."""

import pytest

import xobjects as xo


class Quad(xo.HybridClass):
    """A thick quadrupole.

    Parameters
    ----------
    length : float
        Written by hand: kept as it is.

    Notes
    -----
    The strength is normalised to the reference rigidity.
    """

    _xofields = {
        "length": xo.Field(xo.Float64, unit="m", doc="magnetic length"),
        "k1": xo.Field(xo.Float64, unit="m^-2", doc="normalised gradient"),
        "knl": xo.Field(xo.Float64[:], unit="m^-n", doc="integrated multipoles"),
        "order": xo.Int64,
        "_cache": xo.Field(xo.Int64, doc="internal"),
        "raw_tilt": xo.Field(xo.Float64, unit="rad", doc="roll angle"),
    }
    _rename = {"raw_tilt": "tilt"}


def test_metadata_reaches_the_struct_fields_and_describe():
    struct = Quad._XoStruct
    assert (struct.k1.unit, struct.k1.doc) == ("m^-2", "normalised gradient")
    assert struct.k1.describe() == "normalised gradient [m^-2]"
    assert struct.order.unit is None and struct.order.describe() == ""
    assert xo.Field(xo.Float64, unit="m").describe() == "[m]"
    assert xo.Field(xo.Float64, doc="only words").describe() == "only words"


def test_attribute_docs_come_from_the_metadata():
    assert Quad.k1.__doc__ == "normalised gradient [m^-2]"
    assert Quad.tilt.__doc__ == "roll angle [rad]"
    assert "order" in Quad.order.__doc__  # undocumented: the generic description


def test_parameters_section_is_completed_before_the_next_section():
    doc = Quad.__doc__
    params = doc.split("Parameters\n----------\n")[1].split("Notes\n-----")[0]
    assert "Written by hand: kept as it is." in params
    assert "magnetic length" not in params  # hand-written 'length' entry wins
    assert "k1 : Float64, optional\n    normalised gradient [m^-2]\n" in params
    assert "knl : array of Float64, optional\n    integrated multipoles [m^-n]\n" in params
    assert "tilt : Float64, optional\n    roll angle [rad]" in params  # the attribute name
    assert "_cache" not in doc and "order :" not in doc
    assert doc.rstrip().endswith("The strength is normalised to the reference rigidity.")


def test_a_parameters_section_is_created_after_the_summary():
    class Marker(xo.HybridClass):
        """A marker.

        It does nothing.
        """

        _xofields = {"s": xo.Field(xo.Float64, unit="m", doc="position")}

    assert Marker.__doc__ == ("A marker.\n\nParameters\n----------\ns : Float64, optional\n"
                              "    position [m]\n\nIt does nothing.")


def test_undocumented_fields_leave_the_docstring_alone():
    class Bare(xo.HybridClass):
        """Just a summary."""

        _xofields = {"a": xo.Float64}

    assert Bare.__doc__ == "Just a summary."


def test_bad_metadata_is_refused_naming_it():
    with pytest.raises(TypeError, match=r"Field unit must be a str or None, got 3"):
        xo.Field(xo.Float64, unit=3)
    with pytest.raises(TypeError, match=r"Field doc must be a str or None"):
        xo.Field(xo.Float64, doc=["x"])


def test_subclass_builds_its_own_field_attributes():
    class Doubled(xo.HybridClass):
        _xofields = {"a": xo.Field(xo.Float64, unit="m", doc="stored half")}

        @classmethod
        def _make_field_property(cls, field):
            name = field.name
            return property(lambda self: 2 * getattr(self._xobject, name),
                            lambda self, v: setattr(self._xobject, name, v / 2),
                            doc="twice the " + field.describe())

    obj = Doubled(a=1.0)
    assert obj.a == 2.0 and obj._xobject.a == 1.0
    obj.a = 10.0
    assert obj._xobject.a == 5.0
    assert Doubled.a.__doc__ == "twice the stored half [m]"
