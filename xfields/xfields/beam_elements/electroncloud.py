"""ElectronCloud: the kick of an electron cloud from a tricubic kick-potential map.

The map (a TriCubicInterpolatedFieldMap, usually the pinch of the cloud
during one bunch passage computed by a build-up code) is referenced, not
copied: several elements of a line share one map, and editing the map
changes the kick of every element using it. The kick and its conventions
are in electroncloud.h.
"""

from pathlib import Path

import xobjects as xo
from xtrack.beam_elements.base import BeamElement

from ..fields.tricubic_fieldmap import TriCubicInterpolatedFieldMap

__all__ = ["ElectronCloud"]

_HERE = Path(__file__).resolve().parent


class ElectronCloud(BeamElement):
    """Thin electron-cloud kick, minus the gradient of a tricubic kick potential.

    Parameters
    ----------
    length : float
        Length of machine the kick integrates [m].
    fieldmap : TriCubicInterpolatedFieldMap
        Kick potential per metre [1] at (x, y, zeta) relative to the shifts
        (see electroncloud.h). Referenced: pass ``_buffer=fieldmap._buffer``
        to share it rather than copy it into the element's buffer.
    x_shift, y_shift, zeta_shift : float, default 0
        Position of the map's origin in the particle coordinates [m].
    dipolar_px_kick, dipolar_py_kick, dipolar_pzeta_kick : float, default 0
        Constant kicks removed from every particle (the kick on the closed orbit).

    Particles outside the grid are marked lost with state -11.
    """

    _xofields = {
        "length": xo.Float64,               # [m] integrated length
        "fieldmap": xo.Ref(TriCubicInterpolatedFieldMap._XoStruct),
        "x_shift": xo.Float64,              # [m] map origin
        "y_shift": xo.Float64,
        "zeta_shift": xo.Float64,
        "dipolar_px_kick": xo.Float64,      # [1] removed from each kick
        "dipolar_py_kick": xo.Float64,
        "dipolar_pzeta_kick": xo.Float64,
    }
    _depends_on = [TriCubicInterpolatedFieldMap]
    _extra_c_sources = [_HERE / "electroncloud.h"]

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None, length=None,
                 fieldmap=None, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject, **kwargs)
            return
        if length is None:
            raise ValueError("ElectronCloud: length [m] is required.")
        if isinstance(fieldmap, dict):
            fieldmap = TriCubicInterpolatedFieldMap.from_dict(fieldmap, _context=_context,
                                                              _buffer=_buffer)
        if not isinstance(fieldmap, TriCubicInterpolatedFieldMap):
            raise TypeError(f"ElectronCloud: fieldmap must be a TriCubicInterpolatedFieldMap (or "
                            f"its dict), got {type(fieldmap).__name__}.")
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset,
                         length=float(length), fieldmap=fieldmap._xobject, **kwargs)

    @property
    def fieldmap(self):
        """The element's TriCubicInterpolatedFieldMap (a view on the referenced data)."""
        return self._xobject.fieldmap
