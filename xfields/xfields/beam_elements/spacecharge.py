"""SpaceChargeBiGaussian: frozen and quasi-frozen 2D space charge of a Gaussian bunch.

The bunch is a transverse Gaussian (its `fieldmap`, a BiGaussianFieldMap)
times a longitudinal line density (`longitudinal_profile`, a
LongitudinalProfileQGaussian); the element is a thin kick integrated over
`length` (it does not advance s). Frozen: the bunch never changes.
Quasi-frozen (`update_on_track`): before each passage the centre and sizes
of the fieldmap are measured from the tracked particles, and the element is
collective. The kernel is spacecharge.h.
"""

from pathlib import Path

import numpy as np
import xobjects as xo
from xtrack.beam_elements.base import BeamElement

from ..fields.bigaussian_fieldmap import BiGaussianFieldMap
from ..longitudinal_profiles.qgaussian import LongitudinalProfileQGaussian

__all__ = ["SpaceChargeBiGaussian"]

_HERE = Path(__file__).resolve().parent

#: Quantities the quasi-frozen model can measure, and the fieldmap field each sets.
UPDATABLE = ("mean_x", "mean_y", "sigma_x", "sigma_y")
#: Derived values the established to_dict() writes next to the fields (accepted by from_dict).
_DERIVED_IN_DICT = ("number_of_particles", "bunchlength_rms", "sigma_x", "sigma_y", "x_co", "y_co")


def _as_hybrid(cls, value, name):
    if isinstance(value, dict):
        return cls.from_dict(value)
    if isinstance(value, cls):
        return value
    raise TypeError(f"SpaceChargeBiGaussian: {name} must be a {cls.__name__} (or its dict), "
                    f"got {type(value).__name__}.")


class SpaceChargeBiGaussian(BeamElement):
    """Space-charge kick of a bi-Gaussian bunch (frozen or quasi-frozen).

    Parameters
    ----------
    update_on_track : bool or sequence of str, default False
        False: frozen. True: measure mean_x, mean_y, sigma_x and sigma_y of
        the tracked particles before each passage; or the names of those to measure.
    length : float
        Length of machine the kick integrates [m].
    longitudinal_profile : LongitudinalProfileQGaussian
        Line density of the bunch (number of particles, sigma_z, z0, q).
    mean_x, mean_y : float, default 0
        Transverse centre of the bunch [m] (when `fieldmap` is not given).
    sigma_x, sigma_y : float
        R.m.s. transverse sizes [m] (required when `fieldmap` is not given).
    fieldmap : BiGaussianFieldMap, optional
        The transverse distribution (instead of mean_x, ..., sigma_y).
    min_sigma_diff : float, default 1e-10
        Round-beam field when ``|sigma_x - sigma_y|`` is below this [m].
    z_kick_num_integ_per_sigma : int, default 0
        0: no longitudinal kick. > 0: apply it, the transverse potential being
        integrated with this many steps per r.m.s. size.

    Notes
    -----
    ``dpx = -K lambda(zeta) dphi/dx``, ``K = q^2 L (1 - beta0^2) / (m gamma0 beta0^2 c^2)``
    (the bunch co-moves with the particle, so E and B nearly cancel); the
    longitudinal kick ``dpzeta = -K lambda'(zeta) phi(x, y)`` completes the
    Hamiltonian kick of the potential ``lambda(zeta) phi(x, y)``.
    """

    _xofields = {
        "fieldmap": BiGaussianFieldMap._XoStruct,                        # transverse distribution
        "longitudinal_profile": LongitudinalProfileQGaussian._XoStruct,  # line density
        "length": xo.Float64,                                            # [m] integrated length
        "z_kick_num_integ_per_sigma": xo.Int64,                          # 0: no longitudinal kick
    }
    _depends_on = [BiGaussianFieldMap, LongitudinalProfileQGaussian]
    _extra_c_sources = [_HERE / "spacecharge.h"]

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None,
                 update_on_track=False, length=None, longitudinal_profile=None, mean_x=0.0,
                 mean_y=0.0, sigma_x=None, sigma_y=None, fieldmap=None, min_sigma_diff=1e-10,
                 z_kick_num_integ_per_sigma=0, **kwargs):
        self.update_on_track = update_on_track  # validated before anything is built
        if _xobject is not None:
            super().__init__(_xobject=_xobject, **kwargs)
            return
        if length is None:
            raise ValueError("SpaceChargeBiGaussian: length [m] is required.")
        if longitudinal_profile is None:
            raise ValueError("SpaceChargeBiGaussian: longitudinal_profile (e.g. "
                             "xf.LongitudinalProfileQGaussian(...)) is required.")
        if int(z_kick_num_integ_per_sigma) < 0:
            raise ValueError(f"SpaceChargeBiGaussian: z_kick_num_integ_per_sigma must be an "
                             f"integer >= 0, got {z_kick_num_integ_per_sigma}.")
        profile = _as_hybrid(LongitudinalProfileQGaussian, longitudinal_profile,
                             "longitudinal_profile")
        if fieldmap is None:
            fieldmap = BiGaussianFieldMap(mean_x=mean_x, mean_y=mean_y, sigma_x=sigma_x,
                                          sigma_y=sigma_y, min_sigma_diff=min_sigma_diff)
        else:
            fieldmap = _as_hybrid(BiGaussianFieldMap, fieldmap, "fieldmap")
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset,
                         fieldmap=fieldmap._xobject, longitudinal_profile=profile._xobject,
                         length=float(length),
                         z_kick_num_integ_per_sigma=int(z_kick_num_integ_per_sigma), **kwargs)

    # ------------------------------------------------------------ dicts
    def to_dict(self, **kwargs):
        """The established format: the fields, nested dicts, and the derived values."""
        out = super().to_dict(**kwargs)
        for name in _DERIVED_IN_DICT:
            out[name] = getattr(self, name)
        return out

    @classmethod
    def from_dict(cls, dct, _context=None, _buffer=None, _offset=None):
        """Element from :meth:`to_dict` output (derived values are checked, not stored)."""
        kwargs = {k: v for k, v in dct.items() if k != "__class__"}
        derived = {k: kwargs.pop(k) for k in _DERIVED_IN_DICT if k in kwargs}
        if "fieldmap" not in kwargs:  # a dict written by hand: sizes and centre
            kwargs.update(sigma_x=derived.get("sigma_x"), sigma_y=derived.get("sigma_y"),
                          mean_x=derived.get("x_co", 0.0), mean_y=derived.get("y_co", 0.0))
        return cls(_context=_context, _buffer=_buffer, _offset=_offset, **kwargs)

    # ------------------------------------------------- quasi-frozen model
    @property
    def update_on_track(self):
        """The measured quantities (tuple of names; empty: frozen)."""
        return self._update_on_track

    @update_on_track.setter
    def update_on_track(self, value):
        if value is True:
            names = UPDATABLE
        elif value is False or value is None:
            names = ()
        else:
            names = tuple(value)
            unknown = [n for n in names if n not in UPDATABLE]
            if unknown:
                raise ValueError(f"SpaceChargeBiGaussian: update_on_track={value!r}; allowed: "
                                 f"True, False or names among {list(UPDATABLE)}.")
        self._update_on_track = names

    @property
    def iscollective(self):
        """True for the quasi-frozen model (it needs all the particles at once)."""
        return bool(self._update_on_track)

    def track(self, particles, **kwargs):
        """Kick `particles` (quasi-frozen: measure their centre and sizes first)."""
        if self._update_on_track:
            self._measure(particles)
        return super().track(particles, **kwargs)

    def _measure(self, particles):
        ctx = particles._context
        alive = ctx.nparray_from_context_array(particles.state) > 0
        if not np.any(alive):
            return
        for name in self._update_on_track:
            coord = ctx.nparray_from_context_array(getattr(particles, name[-1]))[alive]
            value = np.mean(coord) if name.startswith("mean") else np.std(coord)
            setattr(self.fieldmap, name, float(value))

    # ------------------------------------------------------- conveniences
    @property
    def mean_x(self):
        """Horizontal centre of the bunch [m]."""
        return self.fieldmap.mean_x

    @mean_x.setter
    def mean_x(self, value):
        self.fieldmap.mean_x = value

    @property
    def mean_y(self):
        """Vertical centre of the bunch [m]."""
        return self.fieldmap.mean_y

    @mean_y.setter
    def mean_y(self, value):
        self.fieldmap.mean_y = value

    x_co = mean_x
    y_co = mean_y

    @property
    def sigma_x(self):
        """Horizontal r.m.s. size [m]."""
        return self.fieldmap.sigma_x

    @sigma_x.setter
    def sigma_x(self, value):
        self.fieldmap.sigma_x = value

    @property
    def sigma_y(self):
        """Vertical r.m.s. size [m]."""
        return self.fieldmap.sigma_y

    @sigma_y.setter
    def sigma_y(self, value):
        self.fieldmap.sigma_y = value

    @property
    def number_of_particles(self):
        """Particles in the bunch (of the longitudinal profile)."""
        return self.longitudinal_profile.number_of_particles

    @number_of_particles.setter
    def number_of_particles(self, value):
        self.longitudinal_profile.number_of_particles = value

    @property
    def bunchlength_rms(self):
        """R.m.s. bunch length [m] (of the longitudinal profile)."""
        return self.longitudinal_profile.sigma_z

    @bunchlength_rms.setter
    def bunchlength_rms(self, value):
        self.longitudinal_profile.sigma_z = value

    @property
    def apply_z_kick(self):
        """True when the longitudinal kick is applied (`z_kick_num_integ_per_sigma` > 0)."""
        return self.z_kick_num_integ_per_sigma > 0
