"""Sampling beam monitors: position, size and transverse profile per sample.

The monitors sample the beam at `sampling_frequency` [Hz] from the passage
of the reference particle in `start_at_turn` to the one in `stop_at_turn`
(revolution frequency `frev` [Hz]), i.e. they hold
``round(sampling_frequency / frev * (stop_at_turn - start_at_turn))``
samples. A particle passes at ``t = (at_turn - start_at_turn)/frev -
zeta/(beta0 c)`` and adds into sample ``round(sampling_frequency * t)``
(see `_monitor_sample.h`). Only alive particles whose `particle_id` is in
the selected range are counted.

- `BeamPositionMonitor`: per sample the particle count and the sums of x, y;
  `x_cen`, `y_cen` (alias `x_mean`, `y_mean`) are the centroids [m].
- `BeamSizeMonitor`: also the sums of x^2, y^2; `x_var`, `x_std`, ... [m^2, m].
- `BeamProfileMonitor`: per sample the histograms of x and y over given
  ranges (`x_intensity`, `y_intensity` with `x_edges`, `x_grid`, ...).

Empty samples give NaN centroids and sizes.
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from .base import BeamElement

_HERE = Path(__file__).resolve().parent

__all__ = ["BeamPositionMonitor", "BeamSizeMonitor", "BeamProfileMonitor"]



def _particle_selection(cls_name, num_particles, particle_id_range):
    """(particle_id_start, num_particles) from the user's choice (-1: every particle)."""
    if particle_id_range is not None:
        if num_particles is not None:
            raise ValueError(f"{cls_name}: give num_particles or particle_id_range, not both.")
        try:
            start, stop = (int(v) for v in particle_id_range)
        except (TypeError, ValueError):
            raise ValueError(f"{cls_name}: particle_id_range must be two integers (start, stop), "
                             f"got {particle_id_range!r}.") from None
        if stop <= start or start < 0:
            raise ValueError(f"{cls_name}: particle_id_range must satisfy 0 <= start < stop, "
                             f"got {particle_id_range!r}.")
        return start, stop - start
    if num_particles is None or int(num_particles) < 0:
        return 0, -1
    return 0, int(num_particles)


def _num_samples(cls_name, start_at_turn, stop_at_turn, frev, sampling_frequency):
    if stop_at_turn is None:
        raise ValueError(f"{cls_name} needs stop_at_turn.")
    if not frev > 0 or not sampling_frequency > 0:
        raise ValueError(f"{cls_name}: frev and sampling_frequency must be positive [Hz], "
                         f"got frev={frev!r}, sampling_frequency={sampling_frequency!r}.")
    n_turns = int(stop_at_turn) - int(start_at_turn)
    if n_turns < 0:
        raise ValueError(f"{cls_name}: stop_at_turn ({stop_at_turn}) must be >= start_at_turn "
                         f"({start_at_turn}).")
    return int(round(sampling_frequency / frev * n_turns))


def _ratio(num, den):
    """num/den, NaN where den is 0 (no warning)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


class _SamplingMonitor(BeamElement):
    """Shared construction and conveniences of the sampling monitors."""

    _sample_fields = ()

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None, num_particles=None,
                 particle_id_range=None, start_at_turn=0, stop_at_turn=None, frev=1.,
                 sampling_frequency=1., particle_id_start=None, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject)
            return
        name = type(self).__name__
        if particle_id_start is not None:  # from a dict written by to_dict
            pid_start, n_part = int(particle_id_start), -1 if num_particles is None else int(num_particles)
        else:
            pid_start, n_part = _particle_selection(name, num_particles, particle_id_range)
        n = _num_samples(name, start_at_turn, stop_at_turn, frev, sampling_frequency)
        for field in self._sample_fields:
            kwargs.setdefault(field, n)
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset,
                         particle_id_start=pid_start, num_particles=n_part,
                         start_at_turn=int(start_at_turn), stop_at_turn=int(stop_at_turn),
                         frev=float(frev), sampling_frequency=float(sampling_frequency), **kwargs)

    def _host(self, name):
        """Field `name` as a host numpy array."""
        value = getattr(self._xobject, name)
        if hasattr(value, "to_nplike"):
            value = value.to_nplike()
        return np.array(self._context.nparray_from_context_array(value))

    def to_dict(self, **kwargs):
        out = super().to_dict(**kwargs)
        for field in self._sample_fields:  # the records are not part of the configuration
            out.pop(field, None)
        return out

    @property
    def n_samples(self):
        """Number of samples."""
        return int(round(self.sampling_frequency / self.frev * (self.stop_at_turn - self.start_at_turn)))


_COMMON_FIELDS = {
    "particle_id_start": xo.Int64,
    "num_particles": xo.Int64,
    "start_at_turn": xo.Int64,
    "stop_at_turn": xo.Int64,
    "frev": xo.Float64,
    "sampling_frequency": xo.Float64,
}

_PARAMETERS_DOC = """
    Parameters
    ----------
    num_particles : int, optional
        Particles with ids 0 .. num_particles-1 are counted (default: all).
    particle_id_range : tuple of int, optional
        (first id, one past the last id) of the counted particles.
    start_at_turn : int, default 0
        Turn of the first sample (passage of the reference particle).
    stop_at_turn : int
        Turn at which the sampling stops.
    frev : float, default 1
        Revolution frequency [Hz].
    sampling_frequency : float, default 1
        Sampling frequency [Hz]."""


class BeamPositionMonitor(_SamplingMonitor):
    __doc__ = ("""Beam centroid per sample (count, x_sum, y_sum; x_cen, y_cen [m]).
""" + _PARAMETERS_DOC)

    _xofields = {**_COMMON_FIELDS, "count": xo.Float64[:], "x_sum": xo.Float64[:], "y_sum": xo.Float64[:]}
    _sample_fields = ("count", "x_sum", "y_sum")
    _extra_c_sources = [_HERE / "_monitor_sample.h", _HERE / "beam_position_monitor.h"]

    @property
    def count(self):
        """Particles counted in each sample."""
        return self._host("count")

    @property
    def x_sum(self):
        """Sum of x [m] per sample."""
        return self._host("x_sum")

    @property
    def y_sum(self):
        """Sum of y [m] per sample."""
        return self._host("y_sum")

    @property
    def x_cen(self):
        """Horizontal centroid [m] per sample (NaN when empty)."""
        return _ratio(self.x_sum, self.count)

    @property
    def y_cen(self):
        """Vertical centroid [m] per sample (NaN when empty)."""
        return _ratio(self.y_sum, self.count)

    x_mean = x_cen
    y_mean = y_cen


class BeamSizeMonitor(_SamplingMonitor):
    __doc__ = ("""Beam centroid and size per sample (sums of x, x^2, y, y^2; x_std, y_std [m]).
""" + _PARAMETERS_DOC)

    _xofields = {**_COMMON_FIELDS, "count": xo.Float64[:], "x_sum": xo.Float64[:],
                 "x2_sum": xo.Float64[:], "y_sum": xo.Float64[:], "y2_sum": xo.Float64[:]}
    _sample_fields = ("count", "x_sum", "x2_sum", "y_sum", "y2_sum")
    _extra_c_sources = [_HERE / "_monitor_sample.h", _HERE / "beam_size_monitor.h"]

    count = BeamPositionMonitor.count
    x_sum = BeamPositionMonitor.x_sum
    y_sum = BeamPositionMonitor.y_sum
    x_mean = BeamPositionMonitor.x_cen
    y_mean = BeamPositionMonitor.y_cen
    x_cen = x_mean
    y_cen = y_mean

    @property
    def x2_sum(self):
        """Sum of x^2 [m^2] per sample."""
        return self._host("x2_sum")

    @property
    def y2_sum(self):
        """Sum of y^2 [m^2] per sample."""
        return self._host("y2_sum")

    @property
    def x2_mean(self):
        """Mean of x^2 [m^2] per sample."""
        return _ratio(self.x2_sum, self.count)

    @property
    def y2_mean(self):
        """Mean of y^2 [m^2] per sample."""
        return _ratio(self.y2_sum, self.count)

    @property
    def x_var(self):
        """Variance of x [m^2] per sample: mean(x^2) - mean(x)^2."""
        return self.x2_mean - self.x_mean ** 2

    @property
    def y_var(self):
        """Variance of y [m^2] per sample: mean(y^2) - mean(y)^2."""
        return self.y2_mean - self.y_mean ** 2

    @property
    def x_std(self):
        """Standard deviation of x [m] per sample."""
        return np.sqrt(np.maximum(self.x_var, 0.), where=~np.isnan(self.x_var),
                       out=np.full(self.n_samples, np.nan))

    @property
    def y_std(self):
        """Standard deviation of y [m] per sample."""
        return np.sqrt(np.maximum(self.y_var, 0.), where=~np.isnan(self.y_var),
                       out=np.full(self.n_samples, np.nan))


def _histogram_range(name, value):
    """(min, max) from a width (centred on 0) or a (min, max) pair."""
    if np.ndim(value) == 0:
        width = float(value)
        lo, hi = -width / 2, width / 2
    else:
        if len(value) != 2:
            raise ValueError(f"BeamProfileMonitor: {name} must be a width or (min, max), got {value!r}.")
        lo, hi = (float(v) for v in value)
    if not hi > lo:
        raise ValueError(f"BeamProfileMonitor: {name} must be increasing (min < max), got {value!r}.")
    return lo, hi


class BeamProfileMonitor(_SamplingMonitor):
    __doc__ = ("""Horizontal and vertical beam profiles (histograms) per sample.
""" + _PARAMETERS_DOC + """
    n : int, optional
        Number of bins of both profiles (or give nx, ny).
    nx, ny : int, optional
        Number of bins of the horizontal / vertical profile.
    x_range, y_range : float or tuple of float
        Histogram range [m]: a width (centred on 0) or (min, max).

    `x_intensity`, `y_intensity` have shape (n_samples, nx) and (n_samples, ny).""")

    _xofields = {**_COMMON_FIELDS, "n_samples": xo.Int64, "nx": xo.Int64, "ny": xo.Int64,
                 "x_min": xo.Float64, "x_max": xo.Float64, "y_min": xo.Float64, "y_max": xo.Float64,
                 "x_intensity": xo.Float64[:], "y_intensity": xo.Float64[:]}
    _sample_fields = ("x_intensity", "y_intensity")
    _extra_c_sources = [_HERE / "_monitor_sample.h", _HERE / "beam_profile_monitor.h"]

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None, n=None, nx=None,
                 ny=None, x_range=None, y_range=None, x_min=None, x_max=None, y_min=None, y_max=None,
                 n_samples=None, **kwargs):
        if _xobject is not None:
            super().__init__(_xobject=_xobject)
            return
        nx = n if nx is None else nx
        ny = n if ny is None else ny
        if nx is None or ny is None or int(nx) < 1 or int(ny) < 1:
            raise ValueError(f"BeamProfileMonitor: give a positive number of bins n (or nx and ny), "
                             f"got n={n!r}, nx={nx!r}, ny={ny!r}.")
        if x_range is not None:
            x_min, x_max = _histogram_range("x_range", x_range)
        if y_range is not None:
            y_min, y_max = _histogram_range("y_range", y_range)
        if x_min is None or y_min is None:
            raise ValueError("BeamProfileMonitor needs x_range and y_range [m].")
        name = type(self).__name__
        n_samples = _num_samples(name, kwargs.get("start_at_turn", 0), kwargs.get("stop_at_turn"),
                                 kwargs.get("frev", 1.), kwargs.get("sampling_frequency", 1.))
        super().__init__(_context=_context, _buffer=_buffer, _offset=_offset, n_samples=n_samples,
                         nx=int(nx), ny=int(ny), x_min=float(x_min), x_max=float(x_max),
                         y_min=float(y_min), y_max=float(y_max),
                         x_intensity=n_samples * int(nx), y_intensity=n_samples * int(ny), **kwargs)

    @property
    def x_intensity(self):
        """Horizontal histogram, shape (n_samples, nx)."""
        return self._host("x_intensity").reshape(self.n_samples, self.nx)

    @property
    def y_intensity(self):
        """Vertical histogram, shape (n_samples, ny)."""
        return self._host("y_intensity").reshape(self.n_samples, self.ny)

    @property
    def x_edges(self):
        """Bin edges of the horizontal profile [m] (nx + 1 values)."""
        return np.linspace(self.x_min, self.x_max, self.nx + 1)

    @property
    def y_edges(self):
        """Bin edges of the vertical profile [m] (ny + 1 values)."""
        return np.linspace(self.y_min, self.y_max, self.ny + 1)

    @property
    def x_grid(self):
        """Bin centres of the horizontal profile [m]."""
        e = self.x_edges
        return (e[1:] + e[:-1]) / 2

    @property
    def y_grid(self):
        """Bin centres of the vertical profile [m]."""
        e = self.y_edges
        return (e[1:] + e[:-1]) / 2
