"""UniformBinSlicer: attribution of particles to uniform zeta slices of one or
more bunches, and the weighted moments of each slice.

Conventions (those of the manual and of `xpart.generate_matched_gaussian_multibunch_beam`):
bunch slot ``k`` sits at ``zeta = -k * bunch_spacing_zeta`` (later bunches are
behind); slot ``k`` owns ``zeta`` in ``[z0 - k s, z0 - k s + s)`` with ``z0``
the lower edge of the slice range, so a particle just ahead of a bunch's
first slice belongs to the slot in front of it. Slice ``i`` of a bunch
covers ``[z0 + i dz, z0 + (i + 1) dz)``.

The work is vectorised with the context's array library (numpy on the CPU,
cupy on CUDA): ``bincount`` with weights sums each moment per slice. On
OpenCL (pyopencl arrays have no ``bincount``) the slicing runs on the host
and the moments stay in host arrays.
"""

import difflib
import io
import itertools

import numpy as np
import xobjects as xo

__all__ = ["UniformBinSlicer"]

#: coordinates whose first and second moments are accumulated
COORDINATES = ("x", "px", "y", "py", "zeta", "delta")
_SECOND = [f"{a}_{b}" for a, b in itertools.combinations_with_replacement(COORDINATES, 2)]
ALL_MOMENTS = ("num_particles",) + COORDINATES + tuple(_SECOND)


def _split_moment_name(name, *more):
    """Canonical moment name: 'x', 'x_y' from 'xy', 'x_y' or ('x', 'y')."""
    parts = [name, *more] if more else None
    if parts is None:
        if name in COORDINATES or name == "num_particles":
            return name
        if "_" in name:
            parts = name.split("_")
        else:
            parts = [(name[:k], name[k:]) for k in range(1, len(name))
                     if name[:k] in COORDINATES and name[k:] in COORDINATES]
            parts = list(parts[0]) if len(parts) == 1 else None
    if parts is None or len(parts) != 2 or any(p not in COORDINATES for p in parts):
        close = difflib.get_close_matches(str(name), list(ALL_MOMENTS), n=3)
        raise KeyError(f"unknown moment {name!r}{more or ''}; moments are the coordinates "
                       f"{COORDINATES} and their products (e.g. 'x_px', 'xpx', ('x', 'px'))"
                       + (f"; close matches: {', '.join(close)}" if close else "") + ".")
    a, b = sorted(parts, key=COORDINATES.index)
    return f"{a}_{b}"


class UniformBinSlicer:
    """Uniform longitudinal slicing of one or several bunches, with slice moments.

    Parameters
    ----------
    zeta_range : tuple of float, optional
        ``(zeta_min, zeta_max)`` [m] of the slices of the first bunch.
    num_slices : int, optional
        Number of slices (alternative to `dzeta`).
    dzeta : float, optional
        Slice width [m] (alternative to `num_slices`).
    zeta_slice_edges : array_like, optional
        Uniformly spaced slice edges [m] (alternative to the three above).
    num_bunches : int, optional
        Number of consecutive slots sliced (default 1, or the number of
        selected slots of `filling_scheme`).
    filling_scheme : array_like of int, optional
        One entry per slot, non-zero where a bunch is present.
    bunch_selection : array_like of int, optional
        Slots sliced (default: every filled slot of `filling_scheme`).
    bunch_spacing_zeta : float, optional
        Slot spacing [m] (needed with more than one bunch; 0 for a single one).
    moments : 'all' or list of str, default 'all'
        Moments accumulated (names as in :meth:`sum`).
    _context : XContext, optional
        Context of the arrays (default: ``xo.context_default``).
    """

    def __init__(self, zeta_range=None, num_slices=None, dzeta=None, zeta_slice_edges=None,
                 num_bunches=None, filling_scheme=None, bunch_selection=None,
                 bunch_spacing_zeta=None, moments="all", _context=None, _buffer=None):
        if _context is None:
            _context = _buffer.context if _buffer is not None else xo.context_default
        self._context = _context
        self.zeta_min, self.dzeta, self.num_slices = self._slice_grid(
            zeta_range, num_slices, dzeta, zeta_slice_edges)
        self.bunch_selection = self._slots(num_bunches, filling_scheme, bunch_selection)
        self.num_bunches = len(self.bunch_selection)
        if self.num_bunches > 1 and not (bunch_spacing_zeta and bunch_spacing_zeta > 0):
            raise ValueError(f"bunch_spacing_zeta must be > 0 [m] with {self.num_bunches} bunches, "
                             f"got {bunch_spacing_zeta!r}.")
        self.bunch_spacing_zeta = float(bunch_spacing_zeta or 0.0)
        self._multi_bunch = self.num_bunches > 1 or filling_scheme is not None
        if moments == "all":
            moments = ALL_MOMENTS
        self.moments = tuple(dict.fromkeys(
            ["num_particles"] + [_split_moment_name(m) for m in moments]))
        self._data = self._to_lib(np.zeros((len(self.moments), self.num_bunches, self.num_slices)))

    # ------------------------------------------------------ array library
    @property
    def _on_host(self):
        return type(self._context).__name__ == "ContextPyopencl"

    @property
    def _lib(self):
        """Array library of the moments: the context's, numpy for OpenCL."""
        return np if self._on_host else self._context.nplike_lib

    def _to_lib(self, host_array):
        return host_array if self._on_host else self._context.nparray_to_context_array(host_array)

    def _from_particles(self, arr):
        return self._context.nparray_from_context_array(arr) if self._on_host else arr

    def _to_particles(self, arr):
        return self._context.nparray_to_context_array(arr) if self._on_host else arr

    # ------------------------------------------------------------ construction
    @staticmethod
    def _slice_grid(zeta_range, num_slices, dzeta, edges):
        if edges is not None:
            edges = np.asarray(edges, dtype=float)
            steps = np.diff(edges)
            if edges.ndim != 1 or edges.size < 2 or not np.allclose(steps, steps[0], rtol=1e-10):
                raise ValueError("zeta_slice_edges must be at least two uniformly spaced, increasing "
                                 f"values [m], got {edges!r}.")
            return float(edges[0]), float(steps[0]), int(edges.size - 1)
        if zeta_range is None or len(zeta_range) != 2 or not zeta_range[1] > zeta_range[0]:
            raise ValueError(f"zeta_range must be (zeta_min, zeta_max) with zeta_max > zeta_min [m], "
                             f"got {zeta_range!r}; or give zeta_slice_edges.")
        width = float(zeta_range[1]) - float(zeta_range[0])
        if (num_slices is None) == (dzeta is None):
            raise ValueError("give exactly one of num_slices and dzeta, got "
                             f"num_slices={num_slices!r}, dzeta={dzeta!r}.")
        if num_slices is None:
            num_slices = int(round(width / dzeta))
        if int(num_slices) < 1:
            raise ValueError(f"num_slices must be a positive integer, got {num_slices!r}.")
        return float(zeta_range[0]), width / int(num_slices), int(num_slices)

    @staticmethod
    def _slots(num_bunches, filling_scheme, bunch_selection):
        if filling_scheme is None:
            if bunch_selection is not None:
                return np.asarray(bunch_selection, dtype=np.int64).ravel()
            num_bunches = 1 if num_bunches is None else int(num_bunches)
            if num_bunches < 1:
                raise ValueError(f"num_bunches must be a positive integer, got {num_bunches!r}.")
            return np.arange(num_bunches, dtype=np.int64)
        filled = np.flatnonzero(np.asarray(filling_scheme))
        slots = filled if bunch_selection is None else np.asarray(bunch_selection, dtype=np.int64)
        missing = sorted(set(slots.tolist()) - set(filled.tolist()))
        if missing:
            raise ValueError(f"bunch_selection has slots {missing} that are empty in filling_scheme.")
        if num_bunches is not None and int(num_bunches) != slots.size:
            raise ValueError(f"num_bunches={num_bunches} disagrees with the {slots.size} selected slots.")
        return slots.astype(np.int64)

    # ---------------------------------------------------------------- slicing
    def _particle_indices(self, particles):
        """(i_slot, i_bunch, i_slice) per particle (-1 where outside), alive mask."""
        nplike = self._lib
        zeta = self._from_particles(particles.zeta)
        alive = self._from_particles(particles.state) > 0
        if self._multi_bunch:
            slot = -nplike.floor((zeta - self.zeta_min) / self.bunch_spacing_zeta).astype(np.int64)
            lookup = -np.ones(int(self.bunch_selection.max()) + 2, dtype=np.int64)
            lookup[self.bunch_selection] = np.arange(self.num_bunches)
            lookup = self._to_lib(lookup)
            inside = (slot >= 0) & (slot < lookup.shape[0] - 1)
            i_bunch = nplike.where(inside, lookup[nplike.where(inside, slot, -1)], -1)
            slot = nplike.where(i_bunch >= 0, slot, -1)
            zeta = zeta + slot * self.bunch_spacing_zeta
        else:
            i_bunch = nplike.zeros(zeta.shape, dtype=np.int64)
            slot = i_bunch
        i_slice = nplike.floor((zeta - self.zeta_min) / self.dzeta).astype(np.int64)
        i_slice = nplike.where((i_slice >= 0) & (i_slice < self.num_slices) & (i_bunch >= 0), i_slice, -1)
        return slot, i_bunch, i_slice, alive

    def slice(self, particles, i_slice_particles=None, i_slot_particles=None):
        """Attribute the alive particles to slices and recompute the moments.

        Parameters
        ----------
        particles : xpart.Particles
            Particles on the slicer's context.
        i_slice_particles, i_slot_particles : context array of int64, optional
            Filled with each alive particle's slice and slot (-1 when outside);
            lost particles keep their value.
        """
        nplike = self._lib
        slot, i_bunch, i_slice, alive = self._particle_indices(particles)
        for out, values in ((i_slice_particles, i_slice), (i_slot_particles, slot)):
            if out is not None:
                host = self._from_particles(out)
                host[alive] = values[alive]
                if self._on_host:
                    out[:] = self._to_particles(host)
        take = alive & (i_slice >= 0)
        flat = (i_bunch * self.num_slices + i_slice)[take]
        weight = self._from_particles(particles.weight)[take]
        coords = {c: self._from_particles(getattr(particles, c))[take] for c in COORDINATES}
        size = self.num_bunches * self.num_slices
        for k, name in enumerate(self.moments):
            if name == "num_particles":
                values = weight
            elif "_" in name:
                a, b = name.split("_")
                values = weight * coords[a] * coords[b]
            else:
                values = weight * coords[name]
            self._data[k] = nplike.bincount(flat, weights=values, minlength=size).reshape(
                self.num_bunches, self.num_slices)

    def track(self, particles):
        """Slice `particles` (the slicer as a collective element)."""
        self.slice(particles)

    # ---------------------------------------------------------------- moments
    def _shaped(self, arr):
        return arr if self._multi_bunch else arr[0]

    @property
    def zeta_centers(self):
        """Slice centres [m], shape (num_slices,) or (num_bunches, num_slices)."""
        centers = self.zeta_min + self.dzeta * (np.arange(self.num_slices) + 0.5)
        out = centers[None, :] - self.bunch_selection[:, None] * self.bunch_spacing_zeta
        return self._to_lib(self._shaped(out))

    @property
    def zeta_range(self):
        """``(zeta_min, zeta_max)`` [m] of the slices of the first bunch."""
        return (self.zeta_min, self.zeta_min + self.num_slices * self.dzeta)

    def _moment(self, name):
        if name not in self.moments:
            raise KeyError(f"moment {name!r} is not accumulated by this slicer (moments={self.moments}).")
        return self._data[self.moments.index(name)]

    @property
    def num_particles(self):
        """Summed weights per slice."""
        return self._shaped(self._moment("num_particles"))

    def sum(self, name, name2=None):
        """Weighted sum of a coordinate ('x') or product ('xy', 'x_y', or 'x', 'y') per slice."""
        key = _split_moment_name(name) if name2 is None else _split_moment_name(name, name2)
        return self._shaped(self._moment(key))

    def mean(self, name, name2=None):
        """Weighted mean per slice (0 in empty slices)."""
        total = self._moment("num_particles")
        key = _split_moment_name(name) if name2 is None else _split_moment_name(name, name2)
        nplike = self._lib
        safe = nplike.where(total > 0, total, 1.0)
        return self._shaped(nplike.where(total > 0, self._moment(key) / safe, 0.0))

    def cov(self, name, name2=None):
        """Covariance per slice of two coordinates ('x', 'y' or 'x_y' or 'xy')."""
        key = _split_moment_name(name) if name2 is None else _split_moment_name(name, name2)
        if "_" not in key:
            raise KeyError(f"cov needs two coordinates, got {name!r}.")
        a, b = key.split("_")
        return self.mean(key) - self.mean(a) * self.mean(b)

    def var(self, name):
        """Variance per slice of a coordinate."""
        return self.cov(name, name)

    def std(self, name):
        """Standard deviation per slice of a coordinate."""
        return self._lib.sqrt(self.var(name))

    # ----------------------------------------------------- copies, sums, moves
    def copy(self, _context=None, _buffer=None):
        """Independent copy (on `_context` if given)."""
        new = UniformBinSlicer.__new__(UniformBinSlicer)
        new.__dict__.update(self.__dict__)
        ctx = _context or (_buffer.context if _buffer is not None else self._context)
        host = self._host_data().copy()
        new._context = ctx
        new._data = new._to_lib(host)
        return new

    def _host_data(self):
        return self._data if self._on_host else self._context.nparray_from_context_array(self._data)

    def move(self, _context=None, _buffer=None):
        """Move the moments to `_context`."""
        ctx = _context or (_buffer.context if _buffer is not None else None)
        if ctx is None:
            raise ValueError("UniformBinSlicer.move() needs _context or _buffer.")
        host = self._host_data()
        self._context = ctx
        self._data = self._to_lib(host)

    def _check_compatible(self, other):
        same = (self.num_slices, self.zeta_min, self.dzeta, tuple(self.bunch_selection),
                self.bunch_spacing_zeta, self.moments)
        theirs = (other.num_slices, other.zeta_min, other.dzeta, tuple(other.bunch_selection),
                  other.bunch_spacing_zeta, other.moments)
        if same != theirs:
            raise ValueError("slicers with different slices, bunches or moments cannot be added.")

    def __add__(self, other):
        if isinstance(other, (int, float)) and other == 0:
            return self.copy()
        self._check_compatible(other)
        new = self.copy()
        new._data = new._data + other._data
        return new

    __radd__ = __add__

    def _to_npbuffer(self):
        """The slicer (settings and moments) as one flat numpy uint8 array (npz bytes)."""
        out = io.BytesIO()
        np.savez(out, data=self._host_data(),
                 grid=np.array([self.zeta_min, self.dzeta, self.num_slices, self.bunch_spacing_zeta,
                                float(self._multi_bunch)]),
                 bunch_selection=self.bunch_selection, moments=np.array(self.moments))
        return np.frombuffer(out.getvalue(), dtype=np.uint8)

    @classmethod
    def _from_npbuffer(cls, buffer, _context=None):
        """Slicer from :meth:`_to_npbuffer` output."""
        with np.load(io.BytesIO(np.asarray(buffer, dtype=np.uint8).tobytes()), allow_pickle=False) as f:
            zeta_min, dzeta, num_slices, spacing, multi = f["grid"]
            new = cls(zeta_range=(zeta_min, zeta_min + dzeta * num_slices), num_slices=int(num_slices),
                      bunch_selection=f["bunch_selection"], bunch_spacing_zeta=spacing,
                      moments=[str(m) for m in f["moments"]], _context=_context)
            new._multi_bunch = bool(multi)
            new.dzeta = float(dzeta)
            new._data = new._to_lib(f["data"])
        return new
