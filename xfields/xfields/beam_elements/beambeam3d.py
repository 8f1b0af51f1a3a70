"""BeamBeamBiGaussian3D: weak-strong 6D beam-beam (synchro-beam slices, Hirata's boost).

The strong (other) bunch is a set of longitudinal slices, each a transverse
Gaussian with its centroid and second moments. The element stores them in
the boosted frame (the ``*_star`` fields); the constructor accepts them in the
accelerator frame and boosts them (Hirata, Moshammer, Ruggiero, Part. Accel.
40 (1993) 205). The C kernel (beambeam3d.h, _boost.h) boosts each particle,
applies the synchro-beam kick of every slice at its collision point and boosts
back.
"""

from pathlib import Path

import numpy as np
import xobjects as xo
from xtrack.beam_elements.base import BeamElement

from ._bb3d_frames import (MOMENT_NAMES, boost_centroids, boost_moments,
                           unboost_moments)
from ._bb3d_record import BeamBeamBiGaussian3DRecord
from ._bb3d_update import ConfigForUpdateBeamBeamBiGaussian3D

__all__ = ["BeamBeamBiGaussian3D", "ConfigForUpdateBeamBeamBiGaussian3D"]

_HERE = Path(__file__).resolve().parent

CENTROIDS = ("x", "px", "y", "py", "zeta", "pzeta")
SHIFT_COORDS = CENTROIDS
_BEAMSTRAHLUNG_ARRAYS = ("slices_other_beam_zeta_bin_width_beamstrahlung",
                         "slices_other_beam_zeta_bin_width_star_beamstrahlung",
                         "slices_other_beam_sqrtSigma_11_beamstrahlung",
                         "slices_other_beam_sqrtSigma_33_beamstrahlung",
                         "slices_other_beam_sqrtSigma_55_beamstrahlung")
#: Values of the physics flags that this implementation tracks.
_FLAG_VALUES = {"flag_beamstrahlung": (0, 1, 2), "flag_bhabha": (0, 1), "flag_luminosity": (0, 1)}

_xofields = {
    "scale_strength": xo.Float64,
    "other_beam_q0": xo.Float64,
    "_sin_phi": xo.Float64, "_cos_phi": xo.Float64, "_tan_phi": xo.Float64,
    "_sin_alpha": xo.Float64, "_cos_alpha": xo.Float64,
    "num_slices_other_beam": xo.Int64,
    "slices_other_beam_num_particles": xo.Float64[:],
    **{f"slices_other_beam_{c}_center_star": xo.Float64[:] for c in CENTROIDS},
    **{f"slices_other_beam_Sigma_{ij}_star": xo.Float64[:] for ij in MOMENT_NAMES},
    **{f"ref_shift_{c}": xo.Float64 for c in SHIFT_COORDS},
    **{f"other_beam_shift_{c}": xo.Float64 for c in SHIFT_COORDS},
    **{f"post_subtract_{c}": xo.Float64 for c in SHIFT_COORDS},
    "min_sigma_diff": xo.Float64,
    "threshold_singular": xo.Float64,
    "flag_beamstrahlung": xo.Int64,
    "flag_bhabha": xo.Int64,
    "flag_beamsize_effect": xo.Int64,
    "flag_luminosity": xo.Int64,
    "compt_x_min": xo.Float64,
    "compt_scale": xo.Float64,
    **{name: xo.Float64[:] for name in _BEAMSTRAHLUNG_ARRAYS},
}


def _slice_array(name, value, num_slices):
    """`value` (scalar or sequence) as a float array of one entry per slice."""
    arr = np.array(value, dtype=float)
    if arr.ndim == 0:
        return np.full(num_slices, float(arr))
    if arr.shape != (num_slices,):
        raise ValueError(f"BeamBeamBiGaussian3D: {name} must have one entry per slice "
                         f"({num_slices}, the length of slices_other_beam_num_particles), "
                         f"got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"BeamBeamBiGaussian3D: {name} must be finite, got {arr.tolist()}.")
    return arr


def _checked_variances(moments):
    """`moments` after checking that the variances are >= 0."""
    for ij in ("11", "22", "33", "44"):
        if np.any(moments[ij] < 0):
            raise ValueError(f"BeamBeamBiGaussian3D: slices_other_beam_Sigma_{ij} must be >= 0 "
                             f"(a variance), got {moments[ij].tolist()}.")
    return moments


class BeamBeamBiGaussian3D(BeamElement):
    """3D beam-beam element in the soft-Gaussian approximation (synchro-beam).

    Parameters
    ----------
    phi : float
        Half crossing angle [rad].
    alpha : float, optional
        Crossing plane [rad]: 0 for a horizontal crossing (the default), pi/2 for vertical.
    other_beam_q0 : float
        Charge of the opposing beam's particles [e].
    scale_strength : float, default 1
        Factor on the beam-beam force (scales `other_beam_q0`).
    slices_other_beam_num_particles : array_like
        Number of charges in each slice of the opposing bunch; its length is
        the number of slices.
    slices_other_beam_{x,px,y,py,zeta,pzeta}_center : float or array_like
        Slice centroids in the (unboosted) accelerator frame [m, 1]; default 0
        except `zeta_center`, which is required unless the ``_star`` values are given.
    slices_other_beam_{x,px,y,py,zeta,pzeta}_center_star : array_like, optional
        The same in the boosted frame (used as given).
    slices_other_beam_Sigma_{11,12,13,14,22,23,24,33,34,44} : float or array_like
        Second moments of (x, px, y, py) of each slice in the accelerator frame
        [m^2, m, 1]; Sigma_11 and Sigma_33 are required, the others default to 0.
    slices_other_beam_Sigma_{ij}_star : array_like, optional
        The same in the boosted frame (used as given).
    ref_shift_{x,px,y,py,zeta,pzeta} : float, default 0
        Closed orbit of this beam, subtracted before the collision and added back after.
    other_beam_shift_{x,px,y,py,zeta,pzeta} : float, default 0
        Closed orbit of the opposing beam, added to its slice centroids.
    post_subtract_{x,px,y,py,zeta,pzeta} : float, default 0
        Subtracted after the collision (e.g. the dipolar kick of the closed orbit).
    min_sigma_diff : float, default 1e-10
        Round-beam field when ``|sigma_x - sigma_y|`` is below this [m].
    threshold_singular : float, default 1e-28
        Below this ``|Sigma_13|`` at the collision point [m^2] the slice is
        treated as uncoupled.
    flag_beamstrahlung : int, default 0
        Beamstrahlung: 1 the mean (classical) energy loss, 2 quantum photons
        (written to the ``beamstrahlungtable``); model in _bb3d_beamstrahlung.h.
        Needs the slice lengths.
    slices_other_beam_zeta_bin_width_beamstrahlung : float or array_like, optional
        Slice lengths in the accelerator frame [m] (for beamstrahlung); the
        boosted ones (``..._star_beamstrahlung``) are these over cos(phi) unless given.
    flag_bhabha : int, default 0
        1: small-angle radiative Bhabha scattering (quantum: random photons,
        written to the ``bhabhatable`` of the internal record; model and
        conventions in _bb3d_bhabha.h). Usually set by
        ``line.configure_radiation(model_bhabha='quantum')``.
    flag_luminosity : int, default 0
        1: record the soft-Gaussian luminosity of every crossing [m^-2] in the
        ``lumitable`` of the internal record
        (``line.start_internal_logging_for_elements_of_type``, _bb3d_record.py).
    flag_beamsize_effect : int, default 1
        Beam-size effect for Bhabha (stored; used only when Bhabha is on).
    compt_x_min : float, default 1e-4
        Low-energy cut of the virtual photon spectrum for Bhabha [gamma^-2].
    config_for_update : ConfigForUpdateBeamBeamBiGaussian3D, optional
        Strong-strong mode: the slices are recomputed from the other beam's
        particles (the element is then collective). Without
        `slices_other_beam_num_particles` the element gets the slicer's number
        of slices, empty until the first update.
    """

    _xofields = _xofields
    _internal_record_class = BeamBeamBiGaussian3DRecord
    _depends_on = [BeamBeamBiGaussian3DRecord]
    _extra_c_sources = [_HERE / "beambeam3d.h"]

    def __init__(self, phi=None, alpha=None, other_beam_q0=None, scale_strength=1.0,
                 slices_other_beam_num_particles=None, config_for_update=None,
                 old_interface=None, **kwargs):
        if "_xobject" in kwargs:
            super().__init__(**kwargs)
            self.config_for_update = config_for_update
            return
        if old_interface is not None:
            raise NotImplementedError("BeamBeamBiGaussian3D: old_interface is obsolete and not "
                                      "supported; give the parameters directly.")
        placement = {k: kwargs.pop(k) for k in ("_context", "_buffer", "_offset") if k in kwargs}
        if slices_other_beam_num_particles is None and config_for_update is not None:
            self._empty_slices(config_for_update, kwargs)
            slices_other_beam_num_particles = kwargs.pop("slices_other_beam_num_particles")
        fields = self._fields_from_kwargs(phi, alpha, other_beam_q0, scale_strength,
                                          slices_other_beam_num_particles, kwargs)
        super().__init__(**placement, **fields, **kwargs)
        self.config_for_update = config_for_update
        self.partner_moments = None
        if self.flag_luminosity and type(self._context).__name__ == "ContextPyopencl":
            raise NotImplementedError("BeamBeamBiGaussian3D: flag_luminosity=1 needs atomic "
                                      "additions, not available on ContextPyopencl; use the "
                                      "CPU or CUDA context.")

    @staticmethod
    def _empty_slices(config, kw):
        """Strong-strong element built without slices: the slicer's, empty (zero charge)."""
        slicer = getattr(config, "slicer", None)
        if slicer is None:
            raise ValueError("BeamBeamBiGaussian3D: slices_other_beam_num_particles is required "
                             "(or a config_for_update with a slicer, which gives the number of slices).")
        n = int(slicer.n_slices)
        kw["slices_other_beam_num_particles"] = np.zeros(n)
        if not any(k.startswith("slices_other_beam_zeta_center") for k in kw):
            kw["slices_other_beam_zeta_center"] = np.asarray(slicer.bin_centers, dtype=float)
        for ij in ("11", "33"):  # placeholders (never used: empty slices are skipped)
            if not any(k.startswith(f"slices_other_beam_Sigma_{ij}") for k in kw):
                kw[f"slices_other_beam_Sigma_{ij}"] = 1.0

    # --------------------------------------------------------------- building
    @classmethod
    def _fields_from_kwargs(cls, phi, alpha, other_beam_q0, scale_strength, num_particles, kw):
        if other_beam_q0 is None:
            raise ValueError("BeamBeamBiGaussian3D: other_beam_q0 (charge of the opposing "
                             "beam's particles [e]) is required.")
        if num_particles is None:
            raise ValueError("BeamBeamBiGaussian3D: slices_other_beam_num_particles is required.")
        num_particles = np.atleast_1d(np.array(num_particles, dtype=float))
        n = len(num_particles)
        if n == 0 or num_particles.ndim != 1:
            raise ValueError("BeamBeamBiGaussian3D: slices_other_beam_num_particles must be a "
                             f"non-empty 1D array, got {num_particles.tolist()}.")
        trig = cls._trig_fields(phi, alpha, kw)
        out = dict(other_beam_q0=float(other_beam_q0), scale_strength=float(scale_strength),
                   slices_other_beam_num_particles=num_particles, num_slices_other_beam=n, **trig)
        kw.pop("num_slices_other_beam", None)
        out.update(cls._star_slices(n, trig, kw))
        widths = {name: kw.pop(name, None) for name in _BEAMSTRAHLUNG_ARRAYS}
        star, plain = ("slices_other_beam_zeta_bin_width_star_beamstrahlung",
                       "slices_other_beam_zeta_bin_width_beamstrahlung")
        if widths[star] is None and widths[plain] is not None:
            widths[star] = _slice_array(plain, widths[plain], n) / trig["_cos_phi"]
        for name, value in widths.items():
            out[name] = _slice_array(name, 0.0 if value is None else value, n)
        for name in _FLAG_VALUES:
            out[name] = cls._check_flag_value(name, kw.pop(name, 0))
        defaults = dict(flag_beamsize_effect=1, compt_x_min=1e-4, compt_scale=1.0,
                        min_sigma_diff=1e-10, threshold_singular=1e-28)
        for name, default in defaults.items():
            out[name] = kw.pop(name, default)
        return out

    @staticmethod
    def _trig_fields(phi, alpha, kw):
        given = {k: kw.pop(k) for k in ("_sin_phi", "_cos_phi", "_tan_phi", "_sin_alpha",
                                        "_cos_alpha") if k in kw and kw[k] is not None}
        if phi is None:
            if not {"_sin_phi", "_cos_phi", "_tan_phi"} <= set(given):
                raise ValueError("BeamBeamBiGaussian3D: phi (half crossing angle [rad]) is required.")
        else:
            phi = float(phi)
            if not abs(phi) < np.pi / 2:
                raise ValueError(f"BeamBeamBiGaussian3D: phi={phi} must satisfy |phi| < pi/2.")
            given.update(_sin_phi=np.sin(phi), _cos_phi=np.cos(phi), _tan_phi=np.tan(phi))
        if alpha is None:  # horizontal crossing unless the stored trigonometry says otherwise
            given.setdefault("_sin_alpha", 0.0)
            given.setdefault("_cos_alpha", 1.0)
        else:
            given.update(_sin_alpha=np.sin(float(alpha)), _cos_alpha=np.cos(float(alpha)))
        return given

    @staticmethod
    def _star_slices(n, trig, kw):
        """Boosted-frame slice arrays: as given (all ``*_star``), else boosted from the plain ones."""
        out = {}
        groups = (("slices_other_beam_{}_center", CENTROIDS, ("zeta",),
                   lambda plain: boost_centroids(plain, trig)),
                  ("slices_other_beam_Sigma_{}", MOMENT_NAMES, ("11", "33"),
                   lambda plain: boost_moments(_checked_variances(plain), trig["_cos_phi"])))
        for pattern, keys, required, boost in groups:
            star = {k: kw.pop(pattern.format(k) + "_star", None) for k in keys}
            plain = {k: kw.pop(pattern.format(k), None) for k in keys}
            if all(v is not None for v in star.values()):
                boosted = {k: _slice_array(pattern.format(k) + "_star", v, n) for k, v in star.items()}
            else:
                for k in required:
                    if plain[k] is None:
                        raise ValueError(f"BeamBeamBiGaussian3D: {pattern.format(k)} (or all the "
                                         f"{pattern.format('*')}_star arrays) is required.")
                boosted = boost({k: _slice_array(pattern.format(k), 0.0 if v is None else v, n)
                                 for k, v in plain.items()})
            out.update({pattern.format(k) + "_star": v for k, v in boosted.items()})
        return out

    @staticmethod
    def _check_flag_value(name, value):
        """`value` of the physics flag `name` as an int, if this implementation tracks it."""
        value = int(value)
        if value not in _FLAG_VALUES[name]:
            raise NotImplementedError(
                f"BeamBeamBiGaussian3D: {name}={value} is not available in this "
                f"implementation; allowed: {', '.join(map(str, _FLAG_VALUES[name]))}.")
        return value

    # ------------------------------------------------------------ properties
    @property
    def iscollective(self):
        """True in strong-strong mode (`config_for_update` given)."""
        return getattr(self, "config_for_update", None) is not None

    @property
    def phi(self):
        """Half crossing angle [rad]; setting it keeps the boosted slices (see `update_slices`)."""
        return float(np.arctan2(self._sin_phi, self._cos_phi))

    @phi.setter
    def phi(self, value):
        self._sin_phi, self._cos_phi, self._tan_phi = np.sin(value), np.cos(value), np.tan(value)

    @property
    def alpha(self):
        """Crossing plane [rad] (0: horizontal)."""
        return float(np.arctan2(self._sin_alpha, self._cos_alpha))

    @alpha.setter
    def alpha(self, value):
        self._sin_alpha, self._cos_alpha = np.sin(value), np.cos(value)

    def _host(self, name):
        return np.array(self._context.nparray_from_context_array(getattr(self, name)), dtype=float)

    def get_slices_moments(self, frame="accelerator"):
        """Second moments of the slices, ``{'11': array, ...}``.

        Parameters
        ----------
        frame : {'accelerator', 'boosted'}, default 'accelerator'
        """
        star = {ij: self._host(f"slices_other_beam_Sigma_{ij}_star") for ij in MOMENT_NAMES}
        if frame == "boosted":
            return star
        if frame != "accelerator":
            raise ValueError(f"BeamBeamBiGaussian3D.get_slices_moments: frame={frame!r}; "
                             f"allowed: 'accelerator', 'boosted'.")
        return unboost_moments(star, self._cos_phi)

    def update_slices(self, num_particles, centroids, moments):
        """Replace the slices by new ones given in the accelerator frame (strong-strong).

        Parameters
        ----------
        num_particles : array_like
            Charges per slice (same number of slices as now).
        centroids : dict
            ``{'x': array, 'px': ..., 'y', 'py', 'zeta', 'pzeta'}`` [m, 1].
        moments : dict
            ``{'11': array, '12': ..., '44'}`` second moments [m^2, m, 1].
        """
        n = int(self.num_slices_other_beam)
        self.slices_other_beam_num_particles[:] = _slice_array(
            "slices_other_beam_num_particles", num_particles, n)
        trig = {"_sin_phi": self._sin_phi, "_cos_phi": self._cos_phi, "_tan_phi": self._tan_phi,
                "_sin_alpha": self._sin_alpha, "_cos_alpha": self._cos_alpha}
        plain = {c: _slice_array(f"slices_other_beam_{c}_center", centroids.get(c, 0.0), n)
                 for c in CENTROIDS}
        for c, v in boost_centroids(plain, trig).items():
            getattr(self, f"slices_other_beam_{c}_center_star")[:] = v
        plain = {ij: _slice_array(f"slices_other_beam_Sigma_{ij}", moments.get(ij, 0.0), n)
                 for ij in MOMENT_NAMES}
        for ij, v in boost_moments(plain, self._cos_phi).items():
            getattr(self, f"slices_other_beam_Sigma_{ij}_star")[:] = v

    def _draws_random_numbers(self):
        return bool(self.flag_bhabha) or int(self.flag_beamstrahlung) == 2

    def _prepare_for_line(self, line):
        """A line with Bhabha scattering or quantum beamstrahlung on draws random numbers."""
        if self._draws_random_numbers():
            line._extra_config["_needs_rng"] = True

    def track(self, particles, **kwargs):
        """Track `particles` through the collision (strong-strong: update the slices first)."""
        config = getattr(self, "config_for_update", None)
        if config is not None:
            config.update_element(self)
        if self._draws_random_numbers() and not np.any(particles._host("_rng_s1")):
            particles._init_random_number_generator()
        return super().track(particles, **kwargs)
