"""Changes of the reference frame: shifts, rotations, misalignment patches.

These elements do not describe a field: they re-express the particle
coordinates in another reference frame (exact frame changes of
`_frame_change.h`; the Misalignment patch in `_misalignment.h`). All are thin
(`s` unchanged).
"""

import math
from itertools import permutations
from pathlib import Path

import xobjects as xo

from .base import BeamElement
from .enums import EnumProperty

_HERE = Path(__file__).resolve().parent

__all__ = ["XYShift", "ZetaShift", "SRotation", "XRotation", "YRotation", "Translation",
           "Rotation", "Misalignment"]


class XYShift(BeamElement):
    """Transverse shift of the reference frame (deprecated, see `Translation`).

    Parameters
    ----------
    dx : float, default 0
        Horizontal shift of the new frame [m] (x -> x - dx).
    dy : float, default 0
        Vertical shift of the new frame [m] (y -> y - dy).
    """

    _xofields = {"dx": xo.Float64, "dy": xo.Float64}
    _extra_c_sources = [_HERE / "xy_shift.h"]
    has_backtrack = True  # inverse: the opposite transformation
    allow_loss_refinement = True  # thin and exactly invertible


class ZetaShift(BeamElement):
    """Longitudinal (time) shift of the reference frame (deprecated, see `TimeDelay`).

    Parameters
    ----------
    dzeta : float, default 0
        Shift of zeta [m] (zeta -> zeta - dzeta).
    """

    _xofields = {"dzeta": xo.Float64}
    _extra_c_sources = [_HERE / "zeta_shift.h"]
    has_backtrack = True  # inverse: the opposite transformation


def _angle_from_trig(owner, angle, cos_value, sin_value, tan_value, names):
    """Angle [deg] from `angle` or from enough of its cosine/sine/tangent; checks consistency."""
    cos_name, sin_name, tan_name = names
    derived = None
    if sin_value is not None and cos_value is not None:
        derived = math.degrees(math.atan2(sin_value, cos_value))
    elif sin_value is not None and tan_value is not None and tan_value != 0:
        derived = math.degrees(math.atan2(sin_value, sin_value / tan_value))
    elif cos_value is not None and tan_value is not None:
        derived = math.degrees(math.atan2(tan_value * cos_value, cos_value))
    elif tan_value is not None:
        derived = math.degrees(math.atan(tan_value))
    elif sin_value is not None:
        derived = math.degrees(math.asin(sin_value))
    elif cos_value is not None:
        derived = math.degrees(math.acos(cos_value))
    if angle is None:
        return 0.0 if derived is None else derived
    rad = math.radians(angle)
    for name, value, ref in ((cos_name, cos_value, math.cos(rad)), (sin_name, sin_value, math.sin(rad)),
                             (tan_name, tan_value, math.tan(rad))):
        if value is not None and not math.isclose(value, ref, rel_tol=1e-9, abs_tol=1e-12):
            raise ValueError(f"{owner}: {name}={value!r} is not consistent with angle={angle!r} deg "
                             f"(expected {ref!r}).")
    return float(angle)


class _DegreeRotation(BeamElement):
    """Common constructor of the rotations given by an angle in degrees."""

    _trig_names = ("cos_angle", "sin_angle", "tan_angle")

    def __init__(self, angle=None, cos_angle=None, sin_angle=None, tan_angle=None, **kwargs):
        if "_xobject" not in kwargs:
            kwargs["angle"] = _angle_from_trig(type(self).__name__, angle, cos_angle, sin_angle,
                                               tan_angle, self._trig_names)
        super().__init__(**kwargs)

    @property
    def cos_angle(self):
        """Cosine of the angle."""
        return math.cos(math.radians(self.angle))

    @property
    def sin_angle(self):
        """Sine of the angle."""
        return math.sin(math.radians(self.angle))

    @property
    def tan_angle(self):
        """Tangent of the angle."""
        return math.tan(math.radians(self.angle))


class SRotation(_DegreeRotation):
    """Rotation of the reference frame about the s axis (deprecated, see `Rotation`).

    x' = cos(a) x + sin(a) y, y' = -sin(a) x + cos(a) y (and the same for px, py).

    Parameters
    ----------
    angle : float, default 0
        Rotation angle [deg]; positive turns the x axis towards y.
    cos_z, sin_z : float, optional
        Cosine and sine of the angle, instead of (or checked against) `angle`.
    """

    _xofields = {"angle": xo.Float64}
    _extra_c_sources = [_HERE / "_frame_change.h", _HERE / "s_rotation.h"]
    has_backtrack = True  # inverse: the opposite transformation
    allow_loss_refinement = True  # thin and exactly invertible

    def __init__(self, angle=None, cos_z=None, sin_z=None, **kwargs):
        if "_xobject" not in kwargs:
            kwargs["angle"] = _angle_from_trig("SRotation", angle, cos_z, sin_z, None,
                                               ("cos_z", "sin_z", "tan_z"))
        BeamElement.__init__(self, **kwargs)

    @property
    def cos_z(self):
        """Cosine of the angle."""
        return self.cos_angle

    @property
    def sin_z(self):
        """Sine of the angle."""
        return self.sin_angle


class XRotation(_DegreeRotation):
    """Exact rotation of the reference frame about the x axis (deprecated, see `Rotation`).

    Parameters
    ----------
    angle : float, default 0
        Rotation angle [deg]; positive turns the y axis towards s (an on-axis
        particle gets py = +sin(angle)).
    cos_angle, sin_angle, tan_angle : float, optional
        Trigonometric values instead of (or checked against) `angle`.
    """

    _xofields = {"angle": xo.Float64}
    _extra_c_sources = [_HERE / "_frame_change.h", _HERE / "x_rotation.h"]
    has_backtrack = True  # inverse: the opposite transformation


class YRotation(_DegreeRotation):
    """Exact rotation of the reference frame about the y axis (deprecated, see `Rotation`).

    Parameters
    ----------
    angle : float, default 0
        Rotation angle [deg]; an on-axis particle gets px = -sin(angle).
    cos_angle, sin_angle, tan_angle : float, optional
        Trigonometric values instead of (or checked against) `angle`.
    """

    _xofields = {"angle": xo.Float64}
    _extra_c_sources = [_HERE / "_frame_change.h", _HERE / "y_rotation.h"]
    has_backtrack = True  # inverse: the opposite transformation


class Translation(BeamElement):
    """Exact translation of the reference frame.

    x -> x - shift_x, y -> y - shift_y, then the particle is moved along its
    straight line to the plane shifted by `shift_s` (s itself unchanged).

    Parameters
    ----------
    shift_x, shift_y, shift_s : float, default 0
        Position of the origin of the new frame in the old one [m].
    """

    _xofields = {"shift_x": xo.Float64, "shift_y": xo.Float64, "shift_s": xo.Float64}
    _extra_c_sources = [_HERE / "_frame_change.h", _HERE / "translation.h"]
    has_backtrack = True  # inverse: the opposite transformation
    allow_loss_refinement = True  # thin and exactly invertible


# Rotation order: each letter of `seq` is coded as a digit (x 1, y 2, s 3),
# first rotation in the most significant digit; the kernel reads the digits.
_AXIS_CODE = {"x": 1, "y": 2, "s": 3}
_SEQ_CODES = {}
for _n in (1, 2, 3):
    for _perm in permutations("xys", _n):
        _code = 0
        for _axis in _perm:
            _code = 10 * _code + _AXIS_CODE[_axis]
        _SEQ_CODES["".join(_perm)] = _code
_SEQ_CODES = dict(sorted(_SEQ_CODES.items(), key=lambda kv: kv[0] != "yxs"))  # 'yxs' shown first


class Rotation(BeamElement):
    """Exact rotation of the reference frame, about x, y and s in a given order.

    Parameters
    ----------
    rot_x_rad : float, default 0
        Rotation about x [rad] (an on-axis particle gets py = +sin).
    rot_y_rad : float, default 0
        Rotation about y [rad] (an on-axis particle gets px = -sin).
    rot_s_rad : float, default 0
        Rotation about s [rad] (x' = cos x + sin y).
    seq : str, default 'yxs'
        Order in which the rotations are applied (a permutation of 'xys' or
        of a subset), first letter first.
    """

    _xofields = {"rot_x_rad": xo.Float64, "rot_y_rad": xo.Float64, "rot_s_rad": xo.Float64,
                 "_seq": xo.Int64}
    seq = EnumProperty("_seq", _SEQ_CODES)
    _extra_c_sources = [_HERE / "_frame_change.h", _HERE / "rotation.h"]
    has_backtrack = True  # inverse: the opposite transformation
    allow_loss_refinement = True  # thin and exactly invertible

    def __init__(self, **kwargs):
        if "_xobject" not in kwargs:
            kwargs.setdefault("seq", "yxs")
        super().__init__(**kwargs)

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        if out.get("seq") == "yxs":
            out.pop("seq")
        return out





class Misalignment(BeamElement):
    """Entry or exit patch of a misaligned element (thin).

    The element body (length `length`, bending by `angle` in the plane tilted
    by `tilt`) is shifted by (dx, dy, ds) and rotated by theta (about y), phi
    (about x), psi (about s), MAD-X EALIGN order and signs, about the point
    at `anchor` along its body; shifts and rotations are expressed in the
    reference frame at the anchor. The entry patch takes the particle from
    the nominal entry frame to the (tilted) frame of the misaligned body; the
    exit patch (`is_exit`) from the misaligned body exit back to the nominal
    exit frame. Geometry in `_misalignment_patch.h`.

    Parameters
    ----------
    dx, dy, ds : float, default 0
        Shifts [m].
    theta, phi, psi : float, default 0
        Rotations about y, x and s [rad].
    anchor : float, default 0
        Pivot of the rotations: arc length from the body entry [m].
    length : float, default 0
        Length of the element body [m].
    angle : float, default 0
        Bending angle of the body [rad] (towards -x for a positive angle).
    tilt : float, default 0
        Rotation of the element about s [rad].
    is_exit : bool, default False
        Exit patch instead of the entry patch.
    """

    _xofields = {"dx": xo.Float64, "dy": xo.Float64, "ds": xo.Float64, "theta": xo.Float64,
                 "phi": xo.Float64, "psi": xo.Float64, "anchor": xo.Float64, "length": xo.Float64,
                 "angle": xo.Float64, "tilt": xo.Float64, "is_exit": xo.Int64}
    _extra_c_sources = [_HERE / "_frame_change.h", _HERE / "_misalignment_patch.h",
                        _HERE / "misalignment.h"]

    def __init__(self, **kwargs):
        if "is_exit" in kwargs:
            kwargs["is_exit"] = int(bool(kwargs["is_exit"]))
        super().__init__(**kwargs)
