"""BeamStatsMonitor: weighted beam statistics per turn, bunch and slice.

The monitor accumulates, for each recorded turn (start_at_turn,
start_at_turn + every_n_turns, ... < stop_at_turn), weighted raw sums of the
particle coordinates (see beam_stats_monitor.h) and derives the requested
statistics (`stats`) from them at one of the levels

- 'beam': the whole beam (shape (n_turns,)),
- 'bunch': per selected bunch slot (n_turns, n_selected_slots),
- 'slice': per zeta slice of each slot (n_turns, n_selected_slots, num_slices),
  or, for a coasting beam, per slice of the ring (n_turns, num_slices).

Bunch slot s is centred at zeta = -s * bunch_spacing_zeta. Statistics are
population moments weighted with `weight` (see _beam_stats.py); empty
records give 0. `monitor.<stat>` is `monitor.get(<stat>)` at the default
(finest) level; `monitor.data.<raw field>` gives the raw sums (flat, one
value per record).
"""

from pathlib import Path

import numpy as np
import xobjects as xo

from . import _beam_stats as bs
from .base import BeamElement

_HERE = Path(__file__).resolve().parent
_C_LIGHT = 299792458.0

__all__ = ["BeamStatsMonitor"]

_NAME = "BeamStatsMonitor"
_PROFILE_KEYS = ("range", "num_bins")


def _int_list(name, values):
    out = [int(v) for v in np.atleast_1d(np.asarray(values)).ravel()]
    if len(set(out)) != len(out):
        raise ValueError(f"{_NAME}: {name} contains duplicates: {out}.")
    if any(v < 0 for v in out):
        raise ValueError(f"{_NAME}: {name} must hold non-negative slot numbers, got {out}.")
    return out


def _check_particle_id_range(value):
    if value is None:
        return None
    if np.ndim(value) != 1 or len(value) != 2:
        raise ValueError(f"{_NAME}: particle_id_range must be a sequence of two integers "
                         f"(start, stop), got {value!r}.")
    start, stop = (int(v) for v in value)
    if start < 0:
        raise ValueError(f"{_NAME}: particle_id_range[0] must be non-negative, got {start}.")
    if stop <= start:
        raise ValueError(f"{_NAME}: particle_id_range[1] must be larger than particle_id_range[0], "
                         f"got {value!r}.")
    return (start, stop)


def _check_profiles(profiles):
    out = {}
    for coord, spec in dict(profiles or {}).items():
        if coord not in bs.COORDINATES:
            raise ValueError(f"{_NAME}: Unknown coordinate {coord!r} in profiles; allowed: "
                             f"{', '.join(bs.COORDINATES)}.")
        spec = dict(spec)
        extra = sorted(set(spec) - set(_PROFILE_KEYS))
        if extra:
            raise ValueError(f"{_NAME}: profile {coord!r} has unsupported keys {extra}; "
                             f"allowed: {list(_PROFILE_KEYS)}.")
        if "range" not in spec:
            raise ValueError(f"{_NAME}: profile {coord!r} is missing `range` (min, max).")
        if "num_bins" not in spec:
            raise ValueError(f"{_NAME}: profile {coord!r} is missing `num_bins`.")
        nb = int(spec["num_bins"])
        if nb < 1:
            raise ValueError(f"{_NAME}: profile {coord!r}: num_bins must be a positive integer, "
                             f"got {spec['num_bins']!r}.")
        lo, hi = (float(v) for v in spec["range"])
        if not hi > lo:
            raise ValueError(f"{_NAME}: profile {coord!r}: range must be increasing (min < max), "
                             f"got {spec['range']!r}.")
        out[coord] = {"range": (lo, hi), "num_bins": nb}
    return out


class _RawData:
    """Raw sums of a BeamStatsMonitor, one flat array per field (views on CPU)."""

    def __init__(self, monitor):
        object.__setattr__(self, "_monitor", monitor)

    def __getattr__(self, name):
        return self._monitor._raw_view(name)

    def __dir__(self):
        return list(bs.RAW_FIELDS)


class BeamStatsMonitor(BeamElement):
    """Weighted beam statistics per turn, bunch and zeta slice.

    Parameters
    ----------
    start_at_turn : int, default 0
        First recorded turn.
    stop_at_turn : int
        Recording stops before this turn.
    every_n_turns : int, default 1
        Record one turn in `every_n_turns`.
    stats : list of str, optional
        Statistics to compute: 'num_particles' (sum of weights),
        'mean_<c>', 'sigma_<c>', 'cov_<a>_<b>' for c in x, px, y, py, zeta,
        delta, pzeta; 'sum_/mean_charge_ratio', 'sum_/mean_mass_ratio';
        'gemitt_<p>_projected', 'nemitt_<p>_projected' (p in x, y, zeta);
        the groups 'normal_mode_emittances' and 'covariance_optics'.
        Default: num_particles, means and sigmas of x .. delta.
    particle_id_range : tuple of int, optional
        (first id, one past the last id) of the monitored particles (default all).
    num_bunches : int, optional
        Slots 0 .. num_bunches-1 are filled (or give `filled_slots` or `filling_scheme`).
    filled_slots : list of int, optional
        Filled bunch slots.
    filling_scheme : array of int, optional
        1 for each filled slot, 0 for empty ones.
    selected_slots : list of int, optional
        Recorded slots (default: the filled ones).
    bunch_spacing_zeta : float, optional
        Slot spacing [m] (needed unless the only slot is 0).
    zeta_range : tuple of float, optional
        (min, max) [m] around each slot centre, cut in `num_slices` slices.
    num_slices : int, optional
        Number of zeta slices (with zeta_range, or for coasting beams).
    coasting : bool, default False
        Coasting beam: the ring is cut in `num_slices` slices of zeta.
    profiles : dict, optional
        {coordinate: {'range': (min, max), 'num_bins': n}} weighted histograms.
    line_length : float, optional
        Ring length [m] for coasting beams (set from the line when tracking
        in a line).
    output_file : str or Path, optional
        HDF5 file for `save_to_file` (needs h5py).
    """

    _xofields = {
        "start_at_turn": xo.Int64,
        "stop_at_turn": xo.Int64,
        "every_n_turns": xo.Int64,
        "n_turns": xo.Int64,
        "particle_id_start": xo.Int64,
        "particle_id_stop": xo.Int64,
        "coasting": xo.Int64,
        "line_length": xo.Float64,
        "num_slices": xo.Int64,
        "zeta_min": xo.Float64,
        "zeta_max": xo.Float64,
        "bunch_spacing_zeta": xo.Float64,
        "n_selected": xo.Int64,
        "slot_lookup": xo.Int64[:],
        "raw_offset": xo.Int64[:],
        "moments": xo.Float64[:],
        "profile_coordinate": xo.Int64[:],
        "profile_min": xo.Float64[:],
        "profile_max": xo.Float64[:],
        "profile_num_bins": xo.Int64[:],
        "profile_offset": xo.Int64[:],
        "profile_counts": xo.Float64[:],
    }
    _extra_c_sources = [_HERE / "_monitor_sample.h", _HERE / "beam_stats_monitor.h"]
    _RAW_FIELDS = bs.RAW_FIELDS

    def __init__(self, _context=None, _buffer=None, _offset=None, _xobject=None, start_at_turn=0,
                 stop_at_turn=None, every_n_turns=1, stats=None, particle_id_range=None,
                 num_bunches=None, filled_slots=None, filling_scheme=None, selected_slots=None,
                 bunch_spacing_zeta=None, zeta_range=None, num_slices=None, coasting=False,
                 profiles=None, line_length=None, output_file=None, **kwargs):
        if _xobject is not None:
            raise TypeError(f"{_NAME} cannot be rebuilt from an _xobject alone; use from_dict.")
        if stop_at_turn is None:
            raise ValueError(f"{_NAME} needs stop_at_turn.")
        start_at_turn, stop_at_turn, every_n_turns = int(start_at_turn), int(stop_at_turn), int(every_n_turns)
        if every_n_turns < 1:
            raise ValueError(f"{_NAME}: every_n_turns must be >= 1, got {every_n_turns}.")
        if stop_at_turn < start_at_turn:
            raise ValueError(f"{_NAME}: stop_at_turn ({stop_at_turn}) must be >= start_at_turn "
                             f"({start_at_turn}).")
        config = {"start_at_turn": start_at_turn, "stop_at_turn": stop_at_turn,
                  "every_n_turns": every_n_turns}
        self_stats = bs.expand_stats(bs.DEFAULT_STATS if stats is None else stats, _NAME)
        config["stats"] = list(self_stats) if stats is None else \
            ([stats] if isinstance(stats, str) else list(stats))
        pid_range = _check_particle_id_range(particle_id_range)
        coasting = bool(coasting)
        bunch_inputs = {"num_bunches": num_bunches, "filled_slots": filled_slots,
                        "filling_scheme": filling_scheme, "selected_slots": selected_slots,
                        "bunch_spacing_zeta": bunch_spacing_zeta}
        if coasting:
            if zeta_range is not None:
                raise ValueError(f"{_NAME}: zeta_range is not used for coasting beams (the slices "
                                 f"cover the line length); remove it.")
            given = [k for k, v in bunch_inputs.items() if v is not None]
            if given:
                raise ValueError(f"{_NAME}: Bunched-beam filling inputs ({', '.join(given)}) cannot "
                                 f"be used with coasting=True.")
            if num_slices is None or int(num_slices) < 1:
                raise ValueError(f"{_NAME}: coasting beams need num_slices >= 1, got {num_slices!r}.")
            filled, selected, spacing = [0], [0], 0.
            num_slices = int(num_slices)
            zmin, zmax = 0., 0.
        else:
            defs = [k for k in ("num_bunches", "filled_slots", "filling_scheme") if bunch_inputs[k] is not None]
            if len(defs) > 1:
                raise ValueError(f"{_NAME}: Only one of `num_bunches`, `filled_slots` and "
                                 f"`filling_scheme` can be given, got {', '.join(defs)}.")
            if num_bunches is not None:
                if int(num_bunches) < 1:
                    raise ValueError(f"{_NAME}: num_bunches must be >= 1, got {num_bunches!r}.")
                filled = list(range(int(num_bunches)))
            elif filled_slots is not None:
                filled = _int_list("filled_slots", filled_slots)
            elif filling_scheme is not None:
                filled = [int(i) for i in np.flatnonzero(np.asarray(filling_scheme))]
            else:
                filled = [0]
            selected = filled if selected_slots is None else _int_list("selected_slots", selected_slots)
            missing = sorted(set(selected) - set(filled))
            if missing:
                raise ValueError(f"{_NAME}: selected_slots {missing} are not filled slots {filled}.")
            if not selected:
                raise ValueError(f"{_NAME}: no bunch slot selected.")
            if bunch_spacing_zeta is None:
                if filled != [0] or selected != [0]:
                    raise ValueError(f"{_NAME}: bunch_spacing_zeta [m] is needed when slots other than "
                                     f"the single slot 0 are filled or selected.")
                spacing = 0.
            else:
                spacing = float(bunch_spacing_zeta)
                if not spacing > 0:
                    raise ValueError(f"{_NAME}: bunch_spacing_zeta must be positive [m], got {spacing!r}.")
            if (zeta_range is None) != (num_slices is None):
                raise ValueError(f"{_NAME}: give zeta_range and num_slices together "
                                 f"(got zeta_range={zeta_range!r}, num_slices={num_slices!r}).")
            if zeta_range is not None:
                zmin, zmax = (float(v) for v in zeta_range)
                if not zmax > zmin:
                    raise ValueError(f"{_NAME}: zeta_range must be increasing, got {zeta_range!r}.")
                num_slices = int(num_slices)
                if num_slices < 1:
                    raise ValueError(f"{_NAME}: num_slices must be >= 1, got {num_slices}.")
                config["zeta_range"] = (zmin, zmax)
                config["num_slices"] = num_slices
            else:
                zmin, zmax, num_slices = 0., 0., 0
            for key in ("num_bunches", "filled_slots", "filling_scheme", "selected_slots"):
                if bunch_inputs[key] is not None:
                    value = bunch_inputs[key]
                    config[key] = int(value) if key == "num_bunches" else \
                        [int(v) for v in np.atleast_1d(np.asarray(value)).ravel()]
            if bunch_spacing_zeta is not None:
                config["bunch_spacing_zeta"] = spacing
        if pid_range is not None:
            config["particle_id_range"] = pid_range
        if coasting:
            config["coasting"] = True
            config["num_slices"] = num_slices
        profiles = _check_profiles(profiles)
        if profiles:
            config["profiles"] = profiles
        if line_length is not None:
            config["line_length"] = float(line_length)

        bunched_levels = coasting is False and (num_slices > 0 or any(
            bunch_inputs[k] is not None for k in bunch_inputs))
        if coasting:
            levels = ("beam", "slice")
        elif num_slices > 0:
            levels = ("beam", "bunch", "slice")
        elif bunched_levels:
            levels = ("beam", "bunch")
        else:
            levels = ("beam",)

        n_turns = len(range(start_at_turn, stop_at_turn, every_n_turns))
        n_sel = len(selected)
        n_slices_rec = max(num_slices, 1)
        n_records = n_turns * n_sel * n_slices_rec
        needed = {f for s in self_stats for f in bs.raw_fields_for(s)}
        raw_offset = np.full(len(bs.RAW_FIELDS), -1, dtype=np.int64)
        k = 0
        for ii, field in enumerate(bs.RAW_FIELDS):
            if field in needed:
                raw_offset[ii] = k * n_records
                k += 1
        lookup = np.full(max(selected) + 1, -1, dtype=np.int64)
        lookup[selected] = np.arange(n_sel)
        prof_coords = list(profiles)
        prof_nb = [profiles[c]["num_bins"] for c in prof_coords]
        prof_off = np.cumsum([0] + [nb * n_records for nb in prof_nb])
        super().__init__(
            _context=_context, _buffer=_buffer, _offset=_offset,
            start_at_turn=start_at_turn, stop_at_turn=stop_at_turn, every_n_turns=every_n_turns,
            n_turns=n_turns,
            particle_id_start=-1 if pid_range is None else pid_range[0],
            particle_id_stop=-1 if pid_range is None else pid_range[1],
            coasting=int(coasting), line_length=0. if line_length is None else float(line_length),
            num_slices=num_slices, zeta_min=zmin, zeta_max=zmax, bunch_spacing_zeta=spacing,
            n_selected=n_sel, slot_lookup=lookup, raw_offset=raw_offset,
            moments=max(k * n_records, 1),
            profile_coordinate=np.array([bs.COORDINATES.index(c) for c in prof_coords], dtype=np.int64),
            profile_min=np.array([profiles[c]["range"][0] for c in prof_coords], dtype=float),
            profile_max=np.array([profiles[c]["range"][1] for c in prof_coords], dtype=float),
            profile_num_bins=np.array(prof_nb, dtype=np.int64),
            profile_offset=np.array(prof_off[:-1], dtype=np.int64),
            profile_counts=max(int(prof_off[-1]), 1), **kwargs)
        self._config = config
        self._stats = self_stats
        self._levels = levels
        self._filled = list(filled)
        self._selected = list(selected)
        self._profiles = profiles
        self._n_records = n_records
        self._n_slices_rec = n_slices_rec
        self.output_file = output_file
        if output_file is not None:
            from ._beam_stats_h5 import initialise_file
            initialise_file(self, output_file)
        self._reset_data()

    # ----------------------------------------------------------- configuration
    def to_dict(self, **kwargs):
        """The configuration (not the recorded data), as given to the constructor."""
        out = {"__class__": type(self).__name__}
        for key, value in self._config.items():
            out[key] = {c: dict(s) for c, s in value.items()} if key == "profiles" else \
                (list(value) if isinstance(value, list) else value)
        return out

    def _prepare_for_line(self, line):
        """Hook for the tracker: a coasting monitor takes the ring length from its line."""
        if self.coasting and "line_length" not in self._config:
            self.line_length = float(line.get_length())

    @property
    def stats(self):
        """Computed statistics (tuple of names)."""
        return self._stats

    @property
    def available_levels(self):
        """Levels at which the statistics are available."""
        return self._levels

    @property
    def default_level(self):
        """Finest available level (used by attribute access)."""
        return self._levels[-1]

    @property
    def particle_id_range(self):
        """(first id, one past the last id) of the monitored particles, or None (all)."""
        return self._config.get("particle_id_range")

    @property
    def filled_slots(self):
        """Filled bunch slots."""
        return np.array(self._filled, dtype=np.int64)

    @property
    def selected_slots(self):
        """Recorded bunch slots."""
        return np.array(self._selected, dtype=np.int64)

    @property
    def turns(self):
        """Recorded turns."""
        return np.arange(self.start_at_turn, self.stop_at_turn, self.every_n_turns)

    @property
    def zeta_centers(self):
        """Slice centres [m], shape (n_selected_slots, num_slices); None without bunched slices."""
        if self.coasting or self.num_slices == 0:
            return None
        width = (self.zeta_max - self.zeta_min) / self.num_slices
        local = self.zeta_min + (np.arange(self.num_slices) + 0.5) * width
        return -self.selected_slots[:, None] * self.bunch_spacing_zeta + local[None, :]

    def _line_length(self, line_length):
        if line_length is None:
            line_length = self.line_length
        if not line_length > 0:
            raise ValueError(f"{_NAME}: line_length [m] is needed for coasting-beam slices.")
        return float(line_length)

    def zeta_centers_unwrapped(self, line_length=None):
        """Coasting beams: slice centres [m] per recorded turn, zeta - turn * L, shape (n_turns, num_slices)."""
        if not self.coasting:
            raise ValueError(f"{_NAME}: zeta_centers_unwrapped is for coasting beams.")
        ll = self._line_length(line_length)
        local = 0.5 * ll - (np.arange(self.num_slices) + 0.5) * ll / self.num_slices
        return local[None, :] - self.turns[:, None] * ll

    def time_centers(self, line_length=None, beta0=1.):
        """Coasting beams: passage times [s] of the slice centres, -zeta_unwrapped / (beta0 c)."""
        return -self.zeta_centers_unwrapped(line_length) / (beta0 * _C_LIGHT)

    # ------------------------------------------------------------------ indices
    def record_index(self, turn):
        """Index of `turn` among the recorded turns (ValueError if not recorded)."""
        turn = int(turn)
        dt = turn - self.start_at_turn
        if dt < 0 or turn >= self.stop_at_turn or dt % self.every_n_turns:
            raise ValueError(f"{_NAME}: turn {turn} is not recorded (turns {self.turns.tolist()}).")
        return dt // self.every_n_turns

    def slot_index(self, slot):
        """Index of bunch slot `slot` among the selected slots."""
        if self.coasting:
            raise ValueError(f"{_NAME}: slot selection is not available for coasting beams.")
        slot = int(slot)
        if slot not in self._selected:
            raise ValueError(f"{_NAME}: slot {slot} is not selected (selected_slots {self._selected}).")
        return self._selected.index(slot)

    def slice_index(self, zeta, slot=None, line_length=None):
        """Slice holding a particle at `zeta` [m] (of bunch `slot`, default the first selected)."""
        if self.coasting:
            if slot is not None:
                raise ValueError(f"{_NAME}: slot selection is not available for coasting beams.")
            ll = self._line_length(line_length)
            t = (0.5 * ll - float(zeta)) / ll
            return min(int(np.floor((t - np.floor(t)) * self.num_slices)), self.num_slices - 1)
        if self.num_slices == 0:
            raise ValueError(f"{_NAME}: the monitor has no slices (give zeta_range and num_slices).")
        slot = self._selected[0] if slot is None else int(slot)
        self.slot_index(slot)
        rel = float(zeta) + slot * self.bunch_spacing_zeta
        u = (rel - self.zeta_min) / (self.zeta_max - self.zeta_min) * self.num_slices
        if not 0 <= u < self.num_slices:
            raise ValueError(f"{_NAME}: zeta={zeta} is outside the slices of slot {slot}.")
        return int(u)

    # --------------------------------------------------------------------- data
    @property
    def data(self):
        """Raw sums, `data.<field>` flat over the records (see _RAW_FIELDS)."""
        return _RawData(self)

    def _nplike(self, name):
        value = getattr(self._xobject, name)
        return value.to_nplike() if hasattr(value, "to_nplike") else value

    def _raw_view(self, name):
        if name not in bs.RAW_FIELDS:
            raise AttributeError(f"{_NAME}.data has no field {name!r}; fields: {', '.join(bs.RAW_FIELDS)}.")
        off = int(self._xobject.raw_offset[bs.RAW_FIELDS.index(name)])
        moments = self._nplike("moments")
        if off < 0:
            return moments[:0]
        return moments[off:off + self._n_records]

    def _reset_data(self):
        """Zero the recorded sums and histograms."""
        self._nplike("moments")[:] = 0
        self._nplike("profile_counts")[:] = 0

    def start_new_frame(self, start_at_turn):
        """Record a new window of the same length from `start_at_turn` (the data are reset)."""
        if self.coasting:
            raise ValueError(f"{_NAME}: start_new_frame is not available for coasting beams.")
        if getattr(self, "output_file", None) is not None:
            self.save_to_file()
        length = self.stop_at_turn - self.start_at_turn
        self.start_at_turn = int(start_at_turn)
        self.stop_at_turn = int(start_at_turn) + length
        self._config["start_at_turn"] = self.start_at_turn
        self._config["stop_at_turn"] = self.stop_at_turn
        self._reset_data()

    def _host_raw(self):
        """Raw sums on the host, each shaped (n_turns, n_selected, n_slices_rec); None if not kept."""
        moments = np.asarray(self._context.nparray_from_context_array(self._nplike("moments")))
        shape = (self.n_turns, self.n_selected, self._n_slices_rec)
        out = {}
        for ii, name in enumerate(bs.RAW_FIELDS):
            off = int(self._xobject.raw_offset[ii])
            out[name] = None if off < 0 else moments[off:off + self._n_records].reshape(shape)
        return out

    def _level_sum(self, arr, level):
        if level == "beam":
            return arr.sum(axis=(1, 2))
        if level == "bunch":
            return arr.sum(axis=2)
        if self.coasting:
            return arr[:, 0, :]
        return arr

    def _check_level(self, level):
        level = self.default_level if level is None else level
        if level not in self._levels:
            raise ValueError(f"{_NAME}: level must be one of {self._levels}, got {level!r}.")
        return level

    def _raw_at_level(self, level):
        return {k: (None if v is None else self._level_sum(v, level)) for k, v in self._host_raw().items()}

    def _stat_at_level(self, name, level):
        if name not in bs.STAT_NAMES:
            raise ValueError(f"{_NAME}: unknown statistic {name!r}; allowed: {', '.join(bs.STAT_NAMES)}.")
        raw = self._raw_at_level(level)
        missing = [f for f in bs.raw_fields_for(name) if raw[f] is None]
        if missing:
            raise ValueError(f"{_NAME}: statistic {name!r} was not recorded (add it to stats).")
        return bs.compute_stat(name, raw)

    def get(self, name, level=None, turn=None, slot=None, slice_index=None, keepdims=False):
        """Statistic `name` at `level`, optionally for one turn, slot(s) and slice.

        Axes: turn, then slot (levels 'bunch', 'slice' of bunched beams), then
        slice (level 'slice'). A scalar selection drops its axis unless
        `keepdims`; a list keeps it.
        """
        level = self._check_level(level)
        values = self._stat_at_level(name, level)
        index = [self._select(turn, self.record_index, keepdims)]
        if slot is not None and self.coasting:
            raise ValueError(f"{_NAME}: slot selection is not available for coasting beams.")
        if level in ("bunch", "slice") and not self.coasting:
            index.append(self._select(slot, self.slot_index, keepdims))
        elif slot is not None:
            raise ValueError(f"{_NAME}: slot selection needs level 'bunch' or 'slice', got {level!r}.")
        if level == "slice":
            index.append(self._select(slice_index, int, keepdims))
        elif slice_index is not None:
            raise ValueError(f"{_NAME}: slice_index needs level 'slice', got {level!r}.")
        # apply one axis at a time so that lists select independently
        out = values
        axis = 0
        for ind in index:
            out = np.take(out, ind, axis=axis) if not isinstance(ind, slice) else out
            if isinstance(ind, slice) or np.ndim(ind) > 0:
                axis += 1
        return out

    @staticmethod
    def _select(value, convert, keepdims):
        if value is None:
            return slice(None)
        if np.ndim(value) == 0:
            ii = convert(value)
            return [ii] if keepdims else ii
        return [convert(v) for v in value]

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in bs.STAT_NAMES:
            stats = self.__dict__.get("_stats", ())
            if name in stats or all(self._host_raw()[f] is not None for f in bs.raw_fields_for(name)):
                return self.get(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ----------------------------------------------------------------- profiles
    @property
    def profile_coordinates(self):
        """Coordinates with a recorded profile."""
        return tuple(self._profiles)

    @property
    def profile_num_bins(self):
        """{coordinate: number of bins}."""
        return {c: s["num_bins"] for c, s in self._profiles.items()}

    @property
    def profile_bin_edges(self):
        """{coordinate: bin edges}."""
        return {c: np.linspace(s["range"][0], s["range"][1], s["num_bins"] + 1)
                for c, s in self._profiles.items()}

    @property
    def profile_bin_centers(self):
        """{coordinate: bin centres}."""
        return {c: (e[1:] + e[:-1]) / 2 for c, e in self.profile_bin_edges.items()}

    @property
    def profiles(self):
        """{coordinate: weighted histogram}, shape (shape of the default level) + (num_bins,)."""
        counts = np.asarray(self._context.nparray_from_context_array(self._nplike("profile_counts")))
        out = {}
        offsets = np.asarray(self._xobject.profile_offset)
        for ii, (coord, spec) in enumerate(self._profiles.items()):
            nb = spec["num_bins"]
            arr = counts[int(offsets[ii]):int(offsets[ii]) + self._n_records * nb]
            arr = arr.reshape(self.n_turns, self.n_selected, self._n_slices_rec, nb)
            level = self.default_level
            if level == "beam":
                arr = arr.sum(axis=(1, 2))
            elif level == "bunch":
                arr = arr.sum(axis=2)
            elif self.coasting:
                arr = arr[:, 0]
            out[coord] = arr
        return out

    # ------------------------------------------------------------------- optics
    def optics_from_covariance(self, level="beam", turn=0, slot=None, slice_index=None):
        """Normal-mode emittances, W matrix and optics from the 6D covariance of one record."""
        level = self._check_level(level)
        raw = self._raw_at_level(level)
        if not bs.has_full_6d(raw):
            raise ValueError(f"{_NAME}: Full 6D covariance moments are needed: add "
                             f"'normal_mode_emittances' or 'covariance_optics' to stats.")
        index = [self.record_index(turn)]
        if level in ("bunch", "slice") and not self.coasting:
            index.append(self.slot_index(self._selected[0] if slot is None else slot))
        if level == "slice":
            index.append(0 if slice_index is None else int(slice_index))
        record = {k: v[tuple(index)] for k, v in raw.items() if v is not None}
        return bs.optics_from_moments(record)

    def save_to_file(self, filename=None):
        """Write the statistics to an HDF5 file (needs h5py)."""
        from ._beam_stats_h5 import save
        save(self, filename)
