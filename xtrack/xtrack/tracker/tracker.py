"""Tracker: the compiled line kernel and the data it runs on.

`Tracker(line, _context=..., _buffer=...)` moves every element of the line
into one buffer, writes the `TrackerData` positions table there and
compiles (or loads from the disk cache) the line kernel for the set of
element classes and the line's configuration (`line.config`: each entry
becomes a `#define`; one kernel is kept per distinct configuration).
"""

import inspect
import time as _time

import numpy as np
import xobjects as xo
from xpart import Particles

from ..beam_elements.base import _kernel_sources
from ..beam_elements.monitors import ParticlesMonitor
from .line_kernel import (CPU_PARTICLE_CHUNK, LINE_KERNEL_NAME, TRACK_FLAGS, TrackerData, config_defines,
                          config_header_lines, flag_defines, line_kernel_description,
                          line_kernel_source)
from .source import prepare_source

__all__ = ["Tracker"]


def _set_for_alive(particles, name, value):
    """Set field `name` of the alive particles to `value` (a scalar or one value per alive particle)."""
    host = particles._host(name).copy()
    host[particles._host("state") > 0] = value
    particles._store_host(name, host)


def _parents_buffer(line, context):
    """The buffer that the parents of the line's slices share (on `context`), else None.

    Slices point at their parent in the tracker's buffer; a parent placed in
    another line too (sharing an environment) stays where that line's tracker
    has it, and this tracker is built in the same buffer, so both keep seeing
    every change of the parent.
    """
    dct = getattr(line, "_line", line).element_dict
    buffers = {}
    for name in dict.fromkeys(line.element_names):
        parent_name = getattr(line.element_dict[name], "_parent_name", None)
        parent = dct.get(parent_name) if isinstance(parent_name, str) else None
        if parent is not None and hasattr(line.element_dict[name], "_bind_parent_in_buffer"):
            buffers[id(parent._buffer)] = parent._buffer
    if len(buffers) == 1:
        buffer = next(iter(buffers.values()))
        if buffer.context is context:
            return buffer
    return None


class TrackFlags:
    """Run-time switches of the line kernel: `tracker.track_flags.XS_FLAG_IGNORE_GLOBAL_APERTURE = True`."""

    def __init__(self):
        for name in TRACK_FLAGS:
            object.__setattr__(self, name, False)

    def __setattr__(self, name, value):
        if name not in TRACK_FLAGS:
            import difflib

            close = difflib.get_close_matches(name, list(TRACK_FLAGS), n=3)
            raise AttributeError(f"unknown track flag {name!r}; known: {', '.join(TRACK_FLAGS)}"
                                 + (f"; did you mean {close[0]!r}?" if close else ""))
        object.__setattr__(self, name, bool(value))

    def bits(self):
        """The flags as the integer bit mask the kernel reads."""
        return sum(bit for name, bit in TRACK_FLAGS.items() if getattr(self, name))


def generation_mark(particles, ele_start):
    """The element the particles were generated at (`start_tracking_at_element`, -1 if
    none); refused together with a non-zero `ele_start`. Shared by `Tracker.track` and
    `xtrack.distributed.track`, which consume the mark after tracking."""
    marked = int(getattr(particles, "start_tracking_at_element", -1))
    if marked >= 0 and ele_start not in (None, 0):
        raise ValueError(
            f"track: ele_start={ele_start!r} is given but the particles start at element {marked} "
            "(particles.start_tracking_at_element, set where they were generated); use only "
            "one of the two (set particles.start_tracking_at_element = -1 to use ele_start).")
    return marked


class Tracker:
    """Compiled tracking of a `Line` on one context.

    Parameters
    ----------
    line : Line
        The line to track; its elements are moved into the tracker's buffer.
    _context : XContext, optional
        Context (default: the buffer's, else `xo.context_default`).
    _buffer : XBuffer, optional
        Buffer to hold the elements.
    compile : bool, default True
        Compile the kernel now (otherwise at the first track call).
    """

    def __init__(self, line, _context=None, _buffer=None, compile=True, **kwargs):
        if _buffer is not None:
            if _context is not None and _buffer.context is not _context:
                raise ValueError("build_tracker: _buffer lives on another context than _context.")
            _context = _buffer.context
        if _context is None:
            _context = xo.context_default
        if not hasattr(_context, "new_buffer"):
            raise TypeError(
                f"build_tracker: _context must be an xobjects context (xo.ContextCpu(), "
                f"xo.ContextPyopencl(), xo.ContextCupy()), got {_context!r}."
            )
        self.line = line
        self._context = _context
        if _buffer is None:
            _buffer = _parents_buffer(line, _context)
        self._buffer = _buffer if _buffer is not None else _context.new_buffer()
        self.track_kernel = {}
        self.track_flags = TrackFlags()
        self._place_elements()
        if compile:
            self.get_track_kernel_and_data_for_present_config()

    # ------------------------------------------------------------- elements
    def _place_elements(self):
        line = self.line
        elements = [line.element_dict[name] for name in line.element_names]
        for element in {id(e): e for e in elements}.values():
            prepare = getattr(element, "_prepare_for_line", None)
            if prepare is not None:  # elements that need line data (e.g. its length)
                prepare(line)
            if element._buffer is not self._buffer:
                if getattr(element, "_internal_record_offset", 0):
                    element._internal_record_offset = 0  # its record stays in the old buffer
                element.move(_buffer=self._buffer)
        all_elements = getattr(line, "_line", line).element_dict  # parents are not placed (replica views)
        for element in {id(e): e for e in elements}.values():
            bind = getattr(element, "_bind_parent_in_buffer", None)
            if bind is not None:  # slices read their parent element in this buffer (slice_elements.py)
                bind(all_elements, self._buffer)
        classes = sorted({type(e) for e in elements}, key=lambda c: (c.__module__, c.__name__))
        typeid = {cls: ii for ii, cls in enumerate(classes)}
        self.element_classes = classes
        n = len(elements)
        self._tracker_data = TrackerData(ele_typeids=n, ele_offsets=n, ele_check_xy_limit=n,
                                         _buffer=self._buffer)
        base = self._tracker_data._offset
        typeids = np.array([typeid[type(e)] for e in elements], dtype=np.int64)
        offsets = np.array([e._offset - base for e in elements], dtype=np.int64)
        # Only classes that are thick by declaration get the check (as in the established
        # tracker): an element whose thickness is an instance setting (Multipole) is not checked.
        static_thick = {cls: inspect.getattr_static(cls, "isthick", False) is True for cls in classes}
        thick = np.array([static_thick[type(e)] for e in elements], dtype=np.int64)
        self._tracker_data.line_length = float(sum(getattr(e, "length", 0.) if getattr(e, "isthick", False)
                                                   else 0. for e in elements))
        for name, values in (("ele_typeids", typeids), ("ele_offsets", offsets),
                             ("ele_check_xy_limit", thick)):
            view = getattr(self._tracker_data, name)
            view[:] = values if isinstance(view, np.ndarray) else self._context.nparray_to_context_array(values)
        self._no_monitor = ParticlesMonitor(start_at_turn=0, stop_at_turn=0, num_particles=0,
                                            _buffer=self._buffer)
        self.num_elements = n
        self._line_length = None
        self._needs_rng = any(getattr(c, "needs_rng", False) for c in classes)
        self._collective_positions = [ii for ii, e in enumerate(elements) if getattr(e, "iscollective", False)]
        self._parts = self._split_parts(elements)

    def _split_parts(self, elements):
        """Runs of non-collective positions and single collective elements, in order."""
        parts, run = [], []
        for ii, element in enumerate(elements):
            if getattr(element, "iscollective", False):
                if run:
                    parts.append(run)
                    run = []
                parts.append(element)
            else:
                run.append(ii)
        if run:
            parts.append(run)
        return parts

    # ------------------------------------------------------ internal records
    @property
    def io_buffer(self):
        """Buffer of the elements' internal records (tracker/internal_logging.py): the tracker's."""
        return self._buffer

    def _init_io_buffer(self):
        """Forget the internal records allocated so far (their holders keep the data)."""
        self._internal_records = {}

    # --------------------------------------------------------------- kernel
    def _hashable_config(self):
        """The configuration as a sorted tuple of (name, value), without the unset entries."""
        return tuple(sorted((k, v) for k, v in self.line.config.items() if v is not False and v is not None))

    _config_key = _hashable_config

    def _config_to_headers(self):
        """The `#define` lines of the current configuration."""
        return config_header_lines(self.line.config)

    def get_track_kernel_and_data_for_present_config(self):
        """The line kernel for the current `line.config` (compiled once per configuration)."""
        key = self._config_key()
        kernel = self.track_kernel.get(key)
        if kernel is None:
            kernel = self._build_kernel(dict(key))
            self.track_kernel[key] = kernel
        return kernel, self._tracker_data

    def _particle_chunk(self):
        """Particles per line-kernel iteration: CPU_PARTICLE_CHUNK on the CPU, 1 on GPUs."""
        return CPU_PARTICLE_CHUNK if isinstance(self._context, xo.ContextCpu) else 1

    def _build_kernel(self, config):
        classes = list(self.element_classes)
        if ParticlesMonitor not in classes:
            kernel_classes = classes + [ParticlesMonitor]
        else:
            kernel_classes = classes
        types, sources = _kernel_sources(kernel_classes)
        description = line_kernel_description(ParticlesMonitor)
        self._context.add_kernels(
            sources=sources + [line_kernel_source(classes, ParticlesMonitor, chunk=self._particle_chunk())],
            kernels={LINE_KERNEL_NAME: description},
            extra_classes=types + [TrackerData],
            extra_headers=[config_defines(config) + flag_defines()],
            apply_to_source=[prepare_source],
        )
        return self._context.kernels[LINE_KERNEL_NAME]

    # ---------------------------------------------------------------- track
    def _index(self, where, what):
        if where is None:
            return None
        if isinstance(where, str):
            try:
                return self.line.element_names.index(where)
            except ValueError:
                import difflib

                close = difflib.get_close_matches(where, self.line.element_names, n=3)
                hint = f"; close matches: {', '.join(close)}" if close else ""
                raise KeyError(f"{what}: no element named {where!r} in the line{hint}.") from None
        if isinstance(where, (int, np.integer)) and not isinstance(where, bool):
            if not 0 <= where <= self.num_elements:
                raise ValueError(f"{what} must be in [0, {self.num_elements}], got {where}.")
            return int(where)
        raise TypeError(f"{what} must be an element name or index, got {where!r}.")

    def _start_element(self, particles, ele_start):
        """First element tracked: `ele_start`, else where the particles were generated.

        Particles built at an element (`build_particles(at_element=...)`, pencils on a
        collimator) carry `start_tracking_at_element`; their first tracking starts there
        and the mark is consumed, so later calls start at the line's beginning.
        """
        ele_start = self._index(ele_start, "ele_start") or 0
        marked = generation_mark(particles, ele_start)
        if marked < 0:
            return ele_start
        if marked >= self.num_elements:
            raise ValueError(f"track: particles.start_tracking_at_element={marked} is outside the line "
                             f"({self.num_elements} elements).")
        particles.start_tracking_at_element = -1
        return marked

    def _num_passes(self, ele_start, ele_stop, num_turns, num_elements):
        n = self.num_elements
        if num_elements is not None:
            if ele_stop is not None:
                raise ValueError("track: give ele_stop or num_elements, not both.")
            return int(num_elements)
        if ele_stop is None:
            return num_turns * n - ele_start
        if ele_stop > ele_start:
            return (num_turns - 1) * n + ele_stop - ele_start
        return num_turns * n - ele_start + ele_stop

    def track(self, particles, ele_start=None, ele_stop=None, num_elements=None, num_turns=None,
              turn_by_turn_monitor=None, freeze_longitudinal=False, time=False, with_progress=False,
              reset_s_at_end_turn=True, backtrack=False, **kwargs):
        """Track `particles` in place (see `Line.track`)."""
        if kwargs:
            from xobjects.types.base import unknown_name_error

            raise unknown_name_error("track", next(iter(kwargs)),
                                     ["ele_start", "ele_stop", "num_elements", "num_turns",
                                      "turn_by_turn_monitor", "freeze_longitudinal", "time",
                                      "with_progress", "backtrack"], what="argument")
        if not isinstance(particles, Particles):
            raise TypeError(f"track: particles must be an xtrack.Particles, got {type(particles).__name__}.")
        if type(particles._context) is not type(self._context):
            raise TypeError(
                f"track: particles live on {particles._context!r} but the tracker on {self._context!r}; "
                "move the particles with particles.move(_context=...)."
            )
        if num_turns is None:
            num_turns = 1
        if isinstance(num_turns, float) and num_turns == int(num_turns):
            num_turns = int(num_turns)
        if not isinstance(num_turns, (int, np.integer)) or num_turns < 1:
            raise ValueError(f"track: num_turns must be a positive integer, got {num_turns!r}.")
        ele_start = self._start_element(particles, ele_start)
        ele_stop = self._index(ele_stop, "ele_stop")
        if num_elements is not None and (num_turns != 1):
            raise ValueError("track: num_elements excludes num_turns.")
        total = self._num_passes(ele_start, ele_stop, int(num_turns), num_elements)
        if backtrack:
            self._check_backtrack(ele_start, total)
        end = ele_start + total
        turns_recorded = end // self.num_elements + (end % self.num_elements != 0) if self.num_elements else 1
        monitor = self._prepare_monitor(particles, turn_by_turn_monitor, turns_recorded)
        config_restore = None
        if freeze_longitudinal:
            config_restore = self.line.config.get("XTRACK_FREEZE_LONGITUDINAL", False)
            self.line.config["XTRACK_FREEZE_LONGITUDINAL"] = True
        if self.line._extra_config.get("_needs_rng") or self._needs_rng:
            rng = particles._host("_rng_s1")
            if len(rng) and not rng.any():
                particles._init_random_number_generator()
        self._set_revolution_time(particles)
        t0 = _time.perf_counter()
        try:
            first = True
            if backtrack:
                self._kernel_call(particles, (ele_start + total - 1) % self.num_elements, total, monitor,
                                  True, reset_s_at_end_turn, backtrack=True)
            else:
                for start, passes in self._chunks(ele_start, total, num_turns, with_progress):
                    self._track_passes(particles, start, passes, monitor, first, reset_s_at_end_turn)
                    first = False
            self._context.synchronize() if hasattr(self._context, "synchronize") else None
        finally:
            if freeze_longitudinal:
                self.line.config["XTRACK_FREEZE_LONGITUDINAL"] = config_restore
        self.line._time_last_track = _time.perf_counter() - t0 if time else None
        particles._count_particles()
        if not getattr(particles, "_no_reorganize", False):
            particles.reorganize()
        self.line.record_last_track = monitor

    def _set_revolution_time(self, particles):
        """`t_sim` = one revolution of the reference particle [s], for harmonic RF (if unset)."""
        if particles.t_sim:
            return
        if self._line_length is None:  # once per tracker: summing 10^4 lengths costs milliseconds
            self._line_length = self.line.get_length()
        length = self._line_length
        beta0 = particles._host("beta0")[particles._host("state") > 0]
        if length > 0 and len(beta0) and beta0[0] > 0:
            particles.t_sim = length / (float(beta0[0]) * 299792458.0)

    def _check_backtrack(self, ele_start, total):
        """Refuse a backtrack over the positions [ele_start, ele_start + total) (mod the line)
        when one of them has no inverse map; the error names the first such element."""
        n = self.num_elements
        names = self.line.element_names
        for ii in range(min(total, n)):
            name = names[(ele_start + ii) % n]
            element = self.line.element_dict[name]
            if getattr(element, "iscollective", False) or getattr(type(element), "has_backtrack", False) is not True:
                why = "is collective" if getattr(element, "iscollective", False) else "has no backtracking map"
                raise NotImplementedError(
                    f"track(backtrack=True): element {name!r} ({type(element).__name__}) {why}; "
                    f"backtracking needs every element of the range to have has_backtrack = True."
                )

    def _kernel_call(self, particles, start, passes, monitor, first, reset_s, backtrack=False):
        kernel, data = self.get_track_kernel_and_data_for_present_config()
        kernel(tracker=data, particles=particles._xobject, num_particles=particles._capacity,
               ele_start=start, num_passes=passes, flag_end_turn_actions=1,
               flag_reset_s_at_end_turn=int(bool(reset_s)),
               flag_monitor=0 if monitor is None else (3 if monitor.ebe_mode else (2 if first else 1)),
               tbt_monitor=(monitor if monitor is not None else self._no_monitor)._xobject,
               flags=self.track_flags.bits() | (TRACK_FLAGS["XS_FLAG_BACKTRACK"] if backtrack else 0))

    def _track_passes(self, particles, start, passes, monitor, first, reset_s):
        """`passes` element passes from position `start`: one kernel call per non-collective run."""
        if not self._collective_positions:
            self._kernel_call(particles, start, passes, monitor, first, reset_s)
            return
        n = self.num_elements
        pos, done = start, 0
        while done < passes:
            if pos in self._collective_positions:
                self._track_collective_element(particles, pos, monitor, first and done == 0, reset_s)
                run = 1
            else:
                nxt = min((c for c in self._collective_positions if c > pos), default=n)
                run = min(nxt - pos, passes - done)
                self._kernel_call(particles, pos, run, monitor, first and done == 0, reset_s)
            done += run
            pos = (pos + run) % n

    def _track_collective_element(self, particles, pos, monitor, first, reset_s):
        """Track all particles through the collective element at `pos` (Python side),
        with the bookkeeping that the line kernel does for the other elements."""
        if monitor is not None and (pos == 0 or first):
            monitor.track(particles)
        _set_for_alive(particles, "at_element", pos)
        self.line.element_dict[self.line.element_names[pos]].track(particles)
        if pos < self.num_elements - 1:
            _set_for_alive(particles, "at_element", pos + 1)
            return
        at_turn = particles._host("at_turn")
        _set_for_alive(particles, "at_turn", at_turn[particles._host("state") > 0] + 1)
        _set_for_alive(particles, "at_element", 0)
        if reset_s:
            _set_for_alive(particles, "s", 0.0)

    def _chunks(self, ele_start, total, num_turns, with_progress):
        """(start element, passes) of each kernel call; several calls only for a progress bar."""
        if not with_progress or num_turns <= 1:
            yield ele_start, total
            return
        per_call = int(with_progress) if with_progress is not True else max(1, num_turns // 100)
        step = per_call * self.num_elements
        from .progress import progress_bar

        done = 0
        start = ele_start
        with progress_bar(total=num_turns, desc="Tracking") as bar:
            while done < total:
                passes = min(step - (start if done == 0 else 0), total - done)
                yield start, passes
                done += passes
                start = (start + passes) % self.num_elements
                bar.update(min(per_call, num_turns - bar.n))

    def _prepare_monitor(self, particles, turn_by_turn_monitor, num_turns):
        if turn_by_turn_monitor is None or turn_by_turn_monitor is False:
            return None
        if turn_by_turn_monitor is True:
            state = particles._host("state")
            at_turn = particles._host("at_turn")[state > 0]
            pids = particles._host("particle_id")[state > 0]
            start = int(at_turn.min()) if len(at_turn) else 0
            id_range = (int(pids.min()), int(pids.max()) + 1) if len(pids) else (0, 0)
            return ParticlesMonitor(start_at_turn=start, stop_at_turn=start + int(num_turns),
                                    particle_id_range=id_range, _context=self._context)
        if turn_by_turn_monitor == "ONE_TURN_EBE":
            state = particles._host("state")
            pids = particles._host("particle_id")[state > 0]
            id_range = (int(pids.min()), int(pids.max()) + 1) if len(pids) else (0, 0)
            return ParticlesMonitor(start_at_turn=0, stop_at_turn=self.num_elements + 1, ebe_mode=1,
                                    particle_id_range=id_range, _context=self._context)
        if isinstance(turn_by_turn_monitor, ParticlesMonitor):
            return turn_by_turn_monitor
        raise ValueError(
            f"track: turn_by_turn_monitor must be True, False, None or a ParticlesMonitor, "
            f"got {turn_by_turn_monitor!r}."
        )
