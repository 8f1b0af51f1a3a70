"""Line: an ordered sequence of named beam elements with variables and a tracker.

`Line` is a facade (ARCHITECTURE.md): it holds the element names, the
elements, the variables with their deferred expressions (xdeps), the
reference particle and the kernel configuration, validates the documented
arguments and hands the work to the room that owns it (`tracker/` for
tracking, `line/serialization.py` for dicts and JSON).
"""

import numpy as np
import xobjects as xo
import xdeps
from xpart import Particles

from ..beam_elements.base import BeamElement
from .config import DEFAULT_CONFIG, TrackerConfig

__all__ = ["Line"]


def _close_matches(name, names):
    import difflib

    close = difflib.get_close_matches(name, list(names), n=3)
    return f"; close matches: {', '.join(repr(c) for c in close)}" if close else ""


class Line:
    """Beam line: named elements in order, tracked with `track`.

    Parameters
    ----------
    elements : list of BeamElement or dict of str -> BeamElement
        The elements in order (a list), or all elements by name (a dict, then
        `element_names` gives the order and may repeat names).
    element_names : list of str, optional
        Names of the elements in order (default for a list: 'e0', 'e1', ...).
    particle_ref : xpart.Particles, optional
        Reference particle.
    """

    def __init__(self, elements=(), element_names=None, particle_ref=None, energy_program=None, env=None):
        element_dict_in_env = env is not None and (
            elements is env.element_dict or (len(elements) == 0 and element_names is not None))
        if element_dict_in_env:
            element_dict = {}
            element_names = list(element_names if element_names is not None else elements)
        elif isinstance(elements, dict):
            element_dict = dict(elements)
            if element_names is None:
                element_names = list(element_dict)
            for name in element_names:
                if name not in element_dict:
                    raise KeyError(f"Line: element_names has {name!r}, which is not in elements"
                                   f"{_close_matches(name, element_dict)}.")
        else:
            elements = list(elements)
            if element_names is None:
                element_names = [f"e{ii}" for ii in range(len(elements))]
            element_names = list(element_names)
            if len(element_names) != len(elements):
                raise ValueError(
                    f"Line: {len(elements)} elements but {len(element_names)} element_names."
                )
            element_dict = {}
            for name, element in zip(element_names, elements):
                if name in element_dict and element_dict[name] is not element:
                    raise ValueError(f"Line: name {name!r} is given to two different elements.")
                element_dict[name] = element
        for name, element in element_dict.items():
            if not isinstance(element, BeamElement):
                raise TypeError(
                    f"Line: element {name!r} must be a beam element (xtrack.Drift, ...), "
                    f"got {type(element).__name__}."
                )
        if env is not None:
            # A line of an environment shares its elements and variables.
            for name, element in element_dict.items():
                env._add_element(name, element)
            if not element_dict_in_env:
                missing = [n for n in element_names if n not in env.element_dict]
                if missing:
                    raise KeyError(f"Line: element_names has {missing[0]!r}, which is not in the environment.")
            element_dict = env.element_dict
        self.element_dict = element_dict
        self.composer = None
        self._mode = "normal"
        self.element_names = list(element_names)
        self._particle_ref = None
        self.energy_program = energy_program
        self._env = env
        self.name = None
        self.config = TrackerConfig(DEFAULT_CONFIG)
        self._extra_config = {"reset_s_at_end_turn": True, "skip_end_turn_actions": False,
                              "twiss_default": {}}
        self.metadata = {}
        self._var_management = env._var_management if env is not None else None
        self.tracker = None
        self.record_last_track = None
        self._time_last_track = None
        self.particle_ref = particle_ref

    @property
    def particle_ref(self):
        """Reference particle of the line: a `LineParticleRef` view (None when unset).

        Its fields read the particle's values; when the line refers to a particle
        of its environment by name, assigning a string to a field makes an expression
        (``line.particle_ref.p0c = '1e12 * a'``). Set it with a Particles, a particle
        name of ``line.env.particles`` or None."""
        if self._particle_ref is None:
            return None
        from .env_particles import LineParticleRef

        return LineParticleRef(self, lambda: self._particle_ref)

    @particle_ref.setter
    def particle_ref(self, value):
        from .env_particles import particle_ref_target

        env = self.env if isinstance(value, str) else None
        self._particle_ref = particle_ref_target(value, env, "line.particle_ref")

    # ------------------------------------------------------------ elements
    @property
    def elements(self):
        """The elements in order (a tuple; repeated names give the same object)."""
        return tuple(self.element_dict[name] for name in self.element_names)

    def __len__(self):
        return len(self.element_names)

    def __iter__(self):
        return iter(self.elements)

    def __getitem__(self, key):
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            return self.element_dict[self.element_names[key]]
        if isinstance(key, str):
            if key in self.element_dict:
                from .element_view import element_view

                # A view: assigning a string or reference to a field makes an expression.
                return element_view(self.env, key)
            vm = self._var_management
            if vm is not None and key in vm.var_values:
                return vm.var_values[key]
            raise KeyError(f"no element or variable named {key!r} in the line"
                           f"{_close_matches(key, self.element_dict)}.")
        raise TypeError(f"line[...] takes an element name or index, got {key!r}.")

    def __contains__(self, name):
        return name in self.element_dict

    def _resolved_elements(self):
        """The elements in order, replicas replaced by the element they stand for."""
        from ..beam_elements.slices import resolve_element

        dct = self.element_dict
        return [resolve_element(dct[name], dct) for name in self.element_names]

    @property
    def _element_dict(self):
        """The element dictionary (shared with the environment)."""
        return self.element_dict

    def get_length(self):
        """Total length [m]: the sum of the lengths of the thick elements."""
        return float(sum(_length(e) for e in self._resolved_elements()))

    def get_s_elements(self, mode="upstream"):
        """s [m] of every element's entry ('upstream') or exit ('downstream')."""
        if mode not in ("upstream", "downstream"):
            raise ValueError(f"get_s_elements: mode must be 'upstream' or 'downstream', got {mode!r}.")
        lengths = np.array([_length(e) for e in self._resolved_elements()], dtype=float)
        from .positions import entries_and_exits

        entries, exits = entries_and_exits(lengths)
        return list(entries if mode == "upstream" else exits)

    def get_s_position(self, at_elements=None, mode="upstream"):
        """s [m] of the named element(s) (all elements when None)."""
        s = self.get_s_elements(mode=mode)
        if at_elements is None:
            return s
        if isinstance(at_elements, str):
            return s[self.element_names.index(at_elements)]
        return [s[self.element_names.index(n) if isinstance(n, str) else n] for n in at_elements]

    # ----------------------------------------------------------- variables
    def _ensure_var_management(self):
        if self._var_management is None:
            if self._env is not None:
                self._var_management = self._env._var_management
            else:
                self._var_management = xdeps.VarManagement(element_container=self.element_dict)
        return self._var_management

    def _init_in_env(self, env, element_names):
        """Set up a new line (made with ``Line.__new__``) of environment `env`."""
        Line.__init__(self, elements=env.element_dict, element_names=element_names, env=env)

    @property
    def env(self):
        """The environment of the line (made on first use for a stand-alone line)."""
        if self._env is None:
            from .environment import Environment

            # the line keeps its own reference particle; the environment starts without
            self._env = Environment(element_dict=self.element_dict,
                                    _var_management=self._ensure_var_management())
            self._env._lines_weakrefs.add(self)
        return self._env

    @env.setter
    def env(self, value):
        self._env = value

    @property
    def vars(self):
        """The variables: `line.vars['kqf'] = 0.01` or an expression string."""
        from .environment import EnvVars

        return EnvVars(self._ensure_var_management())

    @property
    def ref(self):
        """References to the variables and elements (``line.ref['mq'].k1``)."""
        return self.env.ref

    def set(self, name, *args, **kwargs):
        """Set a variable or element fields (see `Environment.set`)."""
        self._ensure_var_management()
        self.env.set(name, *args, **kwargs)

    def get(self, name, default=None):
        """Element (itself, not a view) or value of the variable `name` (`default` if neither)."""
        if isinstance(name, str) and name in self.element_dict:
            return self.element_dict[name]
        try:
            return self[name]
        except KeyError:
            return default

    @property
    def element_names(self):
        """Names of the elements in order (built from the composer in compose mode)."""
        if self.__dict__.get("_mode") == "compose":
            self._element_names = self.composer.build_names()
        return self._element_names

    @element_names.setter
    def element_names(self, names):
        self._element_names = names

    @property
    def mode(self):
        """'compose' (names built from `composer` when read) or 'normal'."""
        return self._mode

    def end_compose(self, diagnostics=False):
        """Build the element names from the composer once and leave compose mode."""
        from .compose import end_compose

        return end_compose(self, diagnostics=diagnostics)

    def regenerate_from_composer(self, diagnostics=False):
        """Rebuild the line from its composer with the present variables (mode 'compose')."""
        from .compose import regenerate_from_composer

        return regenerate_from_composer(self, diagnostics=diagnostics)

    def new(self, name, prototype=None, **kwargs):
        """Create an element in the line's environment (see `Environment.new`); in compose
        mode it is also added to the composer."""
        out = self.env.new(name, prototype, **kwargs)
        if self._mode == "compose":
            self.composer.components.append(out)
        return out

    def place(self, name, obj=None, at=None, from_=None, anchor=None, from_anchor=None):
        """Place of an element for composition or insertion (see `Environment.place`); in
        compose mode it is added to the composer."""
        out = self.env.place(name, obj=obj, at=at, from_=from_, anchor=anchor, from_anchor=from_anchor)
        if self._mode == "compose":
            self.composer.components.append(out)
        return out

    # ------------------------------------------------------------- tables
    def get_table(self, attr=False):
        """Table of the elements: name, s [m], element_type, isthick, ... (see `tables.line_table`)."""
        from .tables import line_table

        return line_table(self, attr=attr)

    def survey(self, X0=0.0, Y0=0.0, Z0=0.0, theta0=0.0, phi0=0.0, psi0=0.0, element0=0,
               reverse=False):
        """Survey (MAD-X conventions): X, Y, Z [m], theta, phi, psi [rad] at each element entrance."""
        from ..survey.survey import survey_from_line

        return survey_from_line(self, X0=X0, Y0=Y0, Z0=Z0, theta0=theta0, phi0=phi0, psi0=psi0,
                                element0=element0, reverse=reverse)

    # ------------------------------------------------------------ editing
    def insert(self, what, obj=None, at=None, from_=None, anchor=None, from_anchor=None,
               s_tol=1e-6, with_progress=False):
        """Insert an element, a line or a list of places at positions along s (see `insertion`)."""
        from .insertion import insert

        return insert(self, what, obj=obj, at=at, from_=from_, anchor=anchor,
                      from_anchor=from_anchor, s_tol=s_tol)

    def insert_element(self, name, element=None, at=None, index=None, at_s=None, s_tol=1e-6):
        """Insert `element` named `name` at index `at`/`index` or at s = `at_s` [m]."""
        if element is not None:
            self.env._add_element(name, element)
        if at_s is not None:
            return self.insert(name, at=at_s, anchor="start", s_tol=s_tol)
        idx = index if index is not None else at
        if isinstance(idx, str):
            idx = self.element_names.index(idx)
        if idx is None:
            raise ValueError("insert_element: give at (index or name), index or at_s.")
        self._check_no_tracker("insert_element")
        self.element_names.insert(int(idx), name)
        return self

    def remove(self, name):
        """Remove elements: a name (every occurrence), ``name::k``, a regular expression or a
        list of these; each thick one leaves a new drift of its length."""
        from .editing import remove

        return remove(self, name)

    def replace(self, name, new_name):
        """Replace the occurrences named by `name` (as in `remove`) by element `new_name` of the
        same length."""
        from .editing import replace

        return replace(self, name, new_name)

    def cut_at_s(self, s, s_tol=1e-6):
        """Split the thick elements at the positions `s` [m]."""
        from .editing import cut_at_s

        cut_at_s(self, s, s_tol=s_tol)

    @property
    def _line_before_slicing(self):
        """The line before its first `slice_thick_elements` (see slicing.line_before_slicing)."""
        from .slicing import line_before_slicing

        return line_before_slicing(self)

    def slice_thick_elements(self, slicing_strategies):
        """Slice thick elements in place with a list of `xt.Strategy` (the last match wins)."""
        from .slicing import slice_thick_elements

        return slice_thick_elements(self, slicing_strategies)

    def remove_markers(self, inplace=True, keep=None):
        from .editing import remove_markers

        return remove_markers(self if inplace else self.copy(), keep=keep)

    def remove_zero_length_drifts(self, inplace=True):
        from .editing import remove_zero_length_drifts

        return remove_zero_length_drifts(self if inplace else self.copy())

    def remove_inactive_multipoles(self, inplace=True):
        from .editing import remove_inactive_multipoles

        return remove_inactive_multipoles(self if inplace else self.copy())

    def merge_consecutive_drifts(self, inplace=True):
        from .editing import merge_consecutive_drifts

        return merge_consecutive_drifts(self if inplace else self.copy())

    def merge_consecutive_multipoles(self, inplace=True, keep=None):
        """Merge each run of consecutive plain thin multipoles into one (see `simplify.py`)."""
        from .simplify import merge_consecutive_multipoles

        return merge_consecutive_multipoles(self if inplace else self.copy(), keep=keep)

    def remove_redundant_apertures(self, inplace=True, keep=None, drifts_that_need_aperture=[]):
        """Remove apertures equal to the previous one across drifts (see `simplify.py`)."""
        from .simplify import remove_redundant_apertures

        return remove_redundant_apertures(self if inplace else self.copy(), keep=keep,
                                          drifts_that_need_aperture=drifts_that_need_aperture)

    def use_simple_quadrupoles(self):
        """Thin multipoles with only knl[1] become SimpleThinQuadrupole."""
        from .simplify import use_simple_quadrupoles

        use_simple_quadrupoles(self)

    def use_simple_bends(self):
        """Thin multipoles with only knl[0] (and hxl) become SimpleThinBend."""
        from .simplify import use_simple_bends

        use_simple_bends(self)

    def get_elements_of_type(self, types):
        """(elements, names) of the elements of the given type(s), in line order."""
        from .simplify import get_elements_of_type

        return get_elements_of_type(self, types)

    def copy_element_from(self, name, source, new_name=None):
        """Copy element `name` of `source` (Environment or Line), with its expressions, into
        this line's environment as `new_name` (default `name`)."""
        return self.env.copy_element_from(name, source, new_name=new_name)

    def freeze_energy(self, state=True, force=False):
        """Freeze the energy (delta, pzeta, rpp, rvv) of tracked particles (state=False undoes
        it). The longitudinal freeze of this suite freezes exactly the energy (zeta follows
        the path), so both switches set the same configuration; `force` is accepted for
        scripts that pass it."""
        self.freeze_longitudinal(state)

    def stop_internal_logging_for_all_elements(self):
        """Stop the internal record of every element class that has one."""
        for element_type in {type(e) for e in self.elements
                             if getattr(type(e), "_internal_record_class", None) is not None}:
            self.stop_internal_logging_for_elements_of_type(element_type)

    def check_aperture(self, needs_aperture=[], with_progress=False):
        """Elements with their aperture association, printed and as a DataFrame (see `check_aperture.py`)."""
        from .check_aperture import check_aperture

        return check_aperture(self, needs_aperture=needs_aperture, with_progress=with_progress)

    def filter_elements(self, mask=None, exclude_types_starting_with=None):
        """Keep the elements where `mask` is True (others become drifts of their length)."""
        import numpy as np

        names = self.element_names
        if mask is None:
            mask = [not type(self.element_dict[n]).__name__.startswith(exclude_types_starting_with)
                    for n in names]
        mask = np.asarray(mask, dtype=bool)
        out = []
        for nn, keep in zip(names, mask):
            el = self.element_dict[nn]
            if keep:
                out.append(nn)
            elif getattr(el, "isthick", False) and el.length != 0:
                out.append(self.env._new_drift(float(el.length)))
        new = self.env._line_from_names(out)
        new.particle_ref = self.particle_ref
        return new

    def select(self, start=None, end=None, name=None):
        """Line of the elements from `start` to `end` (both included; names, ``name::k``
        or indices; default the whole line) in the same environment: the elements,
        variables and reference particle are shared, not copied. With `name` the new
        line is also ``env.lines[name]``."""
        from .editing import _occurrences

        def index(what, default, after=0):
            if what is None:
                return default
            if isinstance(what, (int, np.integer)) and not isinstance(what, bool):
                return int(what) % len(self.element_names)
            found = [ii for ii in _occurrences(self, what, "select") if ii >= after]
            if not found:
                raise ValueError(f"select: end={what!r} is not after start in the line.")
            return found[0]

        i0 = index(start, 0)
        i1 = index(end, len(self.element_names) - 1, after=i0)
        new = self.env._line_from_names(list(self.element_names[i0:i1 + 1]), name=name)
        new._particle_ref = self._particle_ref
        new.config.update(self.config)
        return new

    # -------------------------------------------------------- composition
    def _renamed_copy(self, suffix=None, name=None, mirror=False, mode="clone"):
        env = self.env
        mapping = {}
        for nn in dict.fromkeys(self.element_names):
            el = self.element_dict[nn]
            if type(el).__name__ == "Drift" or suffix is None:
                mapping[nn] = nn
                continue
            new_name = f"{nn}.{suffix}"
            if new_name not in env.element_dict:
                env.new(new_name, nn, mode=mode)
            mapping[nn] = new_name
        names = [mapping[nn] for nn in self.element_names]
        if mirror:
            names = names[::-1]
        new = env._line_from_names(names, name=name)
        ref = self._particle_ref
        new._particle_ref = ref if isinstance(ref, str) or ref is None else ref.copy()
        return new

    def clone(self, suffix=None, name=None, mirror=False):
        """Line of cloned elements (named ``<name>.<suffix>``; drifts are shared)."""
        return self._renamed_copy(suffix=suffix, name=name, mirror=mirror, mode="clone")

    def replicate(self, suffix=None, name=None, mirror=False):
        """Line of replicas (elements that follow their parent's fields)."""
        return self._renamed_copy(suffix=suffix, name=name, mirror=mirror, mode="replica")

    def __add__(self, other):
        if not isinstance(other, Line):
            return NotImplemented
        if other.env is not self.env:
            other = self.env.import_line(other)
        if self._mode == "compose" or other._mode == "compose":
            from .compose import combine

            return combine([self, other])
        return self.env._line_from_names(list(self.element_names) + list(other.element_names))

    def __neg__(self):
        if self._mode == "compose":
            from .compose import mirrored

            return mirrored(self)
        return self.env._line_from_names(list(self.element_names)[::-1])

    def __mul__(self, num):
        if not isinstance(num, (int, np.integer)) or num < 0:
            raise TypeError(f"line * n: n must be a non-negative integer, got {num!r}.")
        if self._mode == "compose":
            from .compose import repeated

            return repeated(self, num)
        return self.env._line_from_names(list(self.element_names) * int(num))

    __rmul__ = __mul__

    @property
    def varval(self):
        """Values of all variables (name -> value)."""
        return self._ensure_var_management().var_values

    vv = varval

    @property
    def element_refs(self):
        """References to element attributes, for deferred expressions."""
        return self._ensure_var_management().element_refs

    @property
    def ref_manager(self):
        return self._ensure_var_management().manager

    @property
    def functions(self):
        return self._ensure_var_management().functions

    f = functions

    def get_expr(self, name):
        """Expression driving variable `name` (None for a plain value)."""
        return self._ensure_var_management().get_expr(name)

    def new_expr(self, text):
        from .env_expressions import parse_expression_text

        return parse_expression_text(self._ensure_var_management(), text)

    def eval(self, text):
        from xdeps.refs import value_of

        return value_of(self.new_expr(text))

    def info(self, name, limit=30):
        """Print value, expression and dependents of a variable, or an element's fields."""
        if name in self.element_dict:
            from .element_info import print_element_info

            self._ensure_var_management()
            print_element_info(self, name)
            return
        return self._ensure_var_management().info(name, limit=limit)

    def __setitem__(self, name, value):
        if name in self.element_dict:
            raise KeyError(f"{name!r} names an element; assign attributes instead (line[{name!r}].k1 = ...).")
        from .env_expressions import set_var

        set_var(self._ensure_var_management(), name, value)

    # ------------------------------------------------------------- tracker
    def build_tracker(self, _context=None, _buffer=None, compile=True, use_prebuilt_kernels=True,
                      **kwargs):
        """Compile the line kernel (cached on disk) and place the elements on `_context`."""
        from ..tracker.tracker import Tracker

        if self.tracker is not None:  # a new build replaces the old tracker (new context, new config)
            self.discard_tracker()
        from .tracking_view import line_for_tracker

        self.tracker = Tracker(line_for_tracker(self), _context=_context, _buffer=_buffer,
                               compile=compile, **kwargs)
        return self.tracker

    def discard_tracker(self):
        """Drop the tracker (the line can then be edited); elements stay where they are."""
        self.tracker = None

    def _ensure_tracker(self):
        if self.tracker is None:
            self.build_tracker()
        return self.tracker

    @property
    def _context(self):
        return self.tracker._context if self.tracker is not None else None

    @property
    def _buffer(self):
        return self.tracker._buffer if self.tracker is not None else None

    def track(self, particles, ele_start=None, ele_stop=None, num_elements=None, num_turns=None,
              turn_by_turn_monitor=None, freeze_longitudinal=False, time=False, with_progress=False,
              backtrack=False, **kwargs):
        """Track `particles` in place through the line.

        Parameters
        ----------
        particles : xtrack.Particles
            Particles on the tracker's context.
        ele_start, ele_stop : str or int, optional
            First element tracked, and where to stop (name or index).
        num_elements : int, optional
            Number of element passes (instead of `ele_stop`).
        num_turns : int, default 1
            Number of turns.
        turn_by_turn_monitor : bool or ParticlesMonitor, optional
            True records every particle at the start of each turn into
            `line.record_last_track`; a monitor is filled as given.
        freeze_longitudinal : bool, default False
            Keep zeta and delta fixed (4d tracking).
        time : bool, default False
            Store the duration in `line.time_last_track` [s].
        with_progress : bool or int, default False
            Show a progress bar (an int gives the turns per step).
        backtrack : bool, default False
            Undo the tracking: the inverse map of each element, from the end
            of the range (ele_stop, or the end of the line) back to ele_start.
        """
        tracker = self._ensure_tracker()
        tracker.track(particles, ele_start=ele_start, ele_stop=ele_stop, num_elements=num_elements,
                      num_turns=num_turns, turn_by_turn_monitor=turn_by_turn_monitor,
                      freeze_longitudinal=freeze_longitudinal or self._frozen_longitudinal(),
                      time=time, with_progress=with_progress,
                      reset_s_at_end_turn=self._extra_config.get("reset_s_at_end_turn", True),
                      backtrack=backtrack, **kwargs)

    @property
    def twiss_default(self):
        """Default keyword arguments of `twiss` for this line (a dict to edit, e.g. method='4d')."""
        return self._extra_config["twiss_default"]

    @property
    def reset_s_at_end_turn(self):
        """Whether `s` goes back to 0 when a particle completes a turn (default True)."""
        return self._extra_config.get("reset_s_at_end_turn", True)

    @reset_s_at_end_turn.setter
    def reset_s_at_end_turn(self, value):
        self._extra_config["reset_s_at_end_turn"] = bool(value)

    @property
    def iscollective(self):
        """True if an element of the line is collective (tracked in Python between segments)."""
        return any(getattr(e, "iscollective", False) for e in self.elements)

    @property
    def time_last_track(self):
        """Duration of the last `track(..., time=True)` call [s]."""
        return self._time_last_track

    def _frozen_longitudinal(self):
        return bool(self.config.get("XTRACK_FREEZE_LONGITUDINAL", False))

    def freeze_longitudinal(self, state=True):
        """Freeze zeta and delta in every following track call (state=False undoes it)."""
        self.config["XTRACK_FREEZE_LONGITUDINAL"] = bool(state)

    def append(self, name, obj=None):
        """Add element `obj` named `name` at the end of the line (a placed name if `obj` is None)."""
        self._check_no_tracker("append")
        if obj is None and isinstance(name, (list, tuple)):  # names, or lines, one after another
            for nn in name:
                self.append(nn)
            return
        if obj is None and isinstance(name, str) and name not in self.element_dict \
                and self.env is not None and name in self.env.lines:
            name = self.env.lines[name]
        if obj is None and isinstance(name, Line):
            self.element_names.extend(name.element_names)
            return
        if obj is None:
            if name not in self.element_dict:
                raise KeyError(f"append: no element named {name!r}; give obj=...{_close_matches(name, self.element_dict)}")
        else:
            if not isinstance(obj, BeamElement) and not callable(getattr(obj, "track", None)):
                raise TypeError(f"append: obj must be a beam element or an object with a "
                                f"track(particles) method, got {type(obj).__name__}.")
            if name in self.element_dict and self.element_dict[name] is not obj:
                raise ValueError(f"append: name {name!r} is already used by another element.")
            self.element_dict[name] = obj
        self.element_names.append(name)

    def append_element(self, element, element_name):
        """Add `element` named `element_name` at the end of the line."""
        self.append(element_name, obj=element)

    def _check_no_tracker(self, what):
        if self.tracker is not None:
            self.discard_tracker()

    def cycle(self, index_first_element=None, name_first_element=None, inplace=True):
        """Start the line at another element (by index or name); the tracker follows."""
        from .editing import cycle

        return cycle(self, index_first_element=index_first_element,
                     name_first_element=name_first_element, inplace=inplace)

    def configure_radiation(self, model=None, model_beamstrahlung=None, model_bhabha=None, mode=None):
        """Synchrotron radiation in the magnets: None (off), 'mean', 'quantum' or 'quantum-kick';
        beamstrahlung ('mean', 'quantum') and Bhabha ('quantum') of the beam-beam elements."""
        from .model_config import configure_radiation

        configure_radiation(self, model=model if mode is None else mode,
                            model_beamstrahlung=model_beamstrahlung, model_bhabha=model_bhabha)

    @property
    def _needs_rng(self):
        """True when tracking draws random numbers (quantum radiation, elements that need it)."""
        if self._extra_config.get("_needs_rng"):
            return True
        return self.tracker is not None and bool(self.tracker._needs_rng)

    def start_internal_logging_for_elements_of_type(self, element_type, capacity):
        """Start the internal record of the elements of `element_type`; returns the record.

        `capacity`: rows of its table (int), or a dict of rows per table.
        """
        from ..tracker.internal_logging import start_internal_logging

        return start_internal_logging(self, element_type, capacity)

    def stop_internal_logging_for_elements_of_type(self, element_type):
        """Stop the internal record of the elements of `element_type` (the record keeps its data)."""
        from ..tracker.internal_logging import stop_internal_logging

        stop_internal_logging(self, element_type)

    def configure_bend_model(self, core=None, edge=None, num_multipole_kicks=None):
        """Model of the bend bodies (`core`), of their edges, and their kick count."""
        from .model_config import configure_bend_model

        configure_bend_model(self, core=core, edge=edge, num_multipole_kicks=num_multipole_kicks)

    def configure_quadrupole_model(self, core=None, edge=None, num_multipole_kicks=None):
        """Model of the quadrupole bodies (`core`), their fringes ('full' / 'suppressed'), kick count."""
        from .model_config import configure_quadrupole_model

        configure_quadrupole_model(self, core=core, edge=edge, num_multipole_kicks=num_multipole_kicks)

    def configure_drift_model(self, model="expanded"):
        """Model of every Drift: 'adaptive', 'expanded' or 'exact'."""
        from .model_config import configure_drift_model

        configure_drift_model(self, model=model)

    def configure_intrabeam_scattering(self, *args, **kwargs):
        """Configure the IBS kick element(s) of this line from its optics (provided by xfields)."""
        from ..extensions import get_extension

        return get_extension("Line.configure_intrabeam_scattering")(self, *args, **kwargs)

    def optimize_for_tracking(self, compile=True, verbose=True, keep_markers=False):
        """Freeze the variables, drop inactive elements and merge drifts, then rebuild the tracker."""
        from .editing import optimize_for_tracking

        optimize_for_tracking(self, compile=compile, verbose=verbose, keep_markers=keep_markers)

    def set_particle_ref(self, *args, **kwargs):
        """Set the reference particle: a `Particles`, or the arguments of `Particles(...)`
        (e.g. ``set_particle_ref('proton', p0c=7e12)``)."""
        if len(args) == 1 and not kwargs and isinstance(args[0], Particles):
            self.particle_ref = args[0].copy()
        elif (len(args) == 1 and not kwargs and isinstance(args[0], str)
              and args[0] in self.env.particles):
            # by name: the environment's particle, whose expressions keep acting on it
            self.particle_ref = args[0]
        else:
            self.particle_ref = Particles(*args, **kwargs)

    @property
    def xpart(self):
        """xpart's generators bound to this line (`line.xpart.generate_matched_gaussian_bunch(...)`)."""
        from xpart.line_tools import XpartLineAPI

        return XpartLineAPI(self)

    def build_particles(self, **kwargs):
        """Particles from the reference particle (see `xpart.build_particles`)."""
        import xpart

        return xpart.build_particles(line=self, **kwargs)

    # ----------------------------------------------------------- collimation
    def install_black_absorbers(self, settings, nemitt_x, nemitt_y, twiss=None):
        """Turn collimators into black absorbers (see `xtrack.collimation.install_black_absorbers`)."""
        from ..collimation import install_black_absorbers

        return install_black_absorbers(self, settings, nemitt_x, nemitt_y, twiss=twiss)

    # --------------------------------------------------------------- optics
    def twiss(self, method=None, start=None, end=None, init=None, **kwargs):
        """Twiss table: periodic solution (init None) or propagation from `init` (see `xtrack.twiss`).

        Parameters
        ----------
        method : {'6d', '4d'}, default '6d'
            '4d' freezes the longitudinal motion (delta = delta0, default 0).
        start, end : str, optional
            Element range; with `init` (a TwissInit or initial values such as
            betx=..., bety=...) the optics are propagated from `start`.
        """
        from ..twiss import twiss_line

        self._ensure_tracker()
        return twiss_line(self, method=method, start=start, end=end, init=init, **kwargs)

    def twiss4d(self, **kwargs):
        """`twiss(method='4d', ...)`."""
        return self.twiss(method="4d", **kwargs)

    def twiss6d(self, **kwargs):
        """`twiss(method='6d', ...)`."""
        return self.twiss(method="6d", **kwargs)

    def find_closed_orbit(self, co_guess=None, method="6d", delta0=None, zeta0=None,
                          steps_r_matrix=None, co_search_settings=None, **kwargs):
        """Closed orbit at the start of the line, as a one-particle `Particles` (Newton search)."""
        from ..twiss.closed_orbit_api import find_closed_orbit

        self._ensure_tracker()
        return find_closed_orbit(self, co_guess=co_guess, method=method, delta0=delta0, zeta0=zeta0,
                                 steps_r_matrix=steps_r_matrix,
                                 co_search_settings=co_search_settings, **kwargs)

    def compute_one_turn_matrix_finite_differences(self, particle_on_co, steps_r_matrix=None,
                                                   start=None, end=None, **kwargs):
        """One-turn matrix (x, px, y, py, zeta, pzeta) by central differences: dict with 'R_matrix'."""
        from ..twiss import compute_one_turn_matrix_finite_differences

        self._ensure_tracker()
        return compute_one_turn_matrix_finite_differences(
            self, particle_on_co, steps_r_matrix=steps_r_matrix, start=start, end=end, **kwargs)

    def get_R_matrix(self, particle_on_co=None, steps=None, start=None, end=None, **kwargs):
        """One-turn matrix around `particle_on_co` (default: the 6d closed orbit): dict with 'R_matrix'."""
        if particle_on_co is None:
            particle_on_co = self.find_closed_orbit()
        return self.compute_one_turn_matrix_finite_differences(
            particle_on_co, steps_r_matrix=steps, start=start, end=end, **kwargs)

    def compute_T_matrix(self, start=None, end=None, particle_on_co=None, steps_t_matrix=None):
        """Second order tensor T (6, 6, 6) of [start, end) (see `xtrack.twiss.taylor_map`)."""
        from ..twiss.taylor_map import compute_T_matrix

        return compute_T_matrix(self, start=start, end=end, particle_on_co=particle_on_co,
                                steps_t_matrix=steps_t_matrix)

    def get_line_with_second_order_maps(self, split_at, **kwargs):
        """New line: `split_at` elements kept, the stretches between them as SecondOrderTaylorMaps."""
        from ..twiss.taylor_map import line_with_second_order_maps

        return line_with_second_order_maps(self, split_at, **kwargs)

    def get_footprint(self, nemitt_x=None, nemitt_y=None, **kwargs):
        """Tune footprint by tracking; returns an `xt.Footprint` (see `xtrack.twiss.footprint`)."""
        from ..twiss.footprint import get_footprint

        return get_footprint(self, nemitt_x=nemitt_x, nemitt_y=nemitt_y, **kwargs)

    def get_amplitude_detuning_coefficients(self, nemitt_x=1e-6, nemitt_y=1e-6, num_turns=256,
                                            a0_sigmas=0.01, a1_sigmas=0.1, a2_sigmas=0.2):
        """det_xx, det_yy, det_xy, det_yx = dQ/dJ by tracking (see `xtrack.twiss.nonlinear_optics`)."""
        from ..twiss.nonlinear_optics import get_amplitude_detuning_coefficients

        return get_amplitude_detuning_coefficients(self, nemitt_x, nemitt_y, num_turns, a0_sigmas,
                                                   a1_sigmas, a2_sigmas)

    def get_non_linear_chromaticity(self, delta0_range=(-1e-3, 1e-3), num_delta=5, fit_order=3,
                                    **kwargs):
        """Table of qx, qy over delta0 and their derivatives dnqx, dnqy (polynomial fit)."""
        from ..twiss.nonlinear_optics import get_non_linear_chromaticity

        return get_non_linear_chromaticity(self, delta0_range, num_delta, fit_order, **kwargs)

    def get_local_momentum_acceptance(self, **kwargs):
        """Table (name, s, delta_neg, delta_pos) of the local momentum acceptance by tracking
        (see `xtrack.twiss.momentum_acceptance`)."""
        from ..twiss.momentum_acceptance import get_local_momentum_acceptance

        return get_local_momentum_acceptance(self, **kwargs)

    def match(self, vary, targets, solve=True, assert_within_tol=True,
              compensate_radiation_energy_loss=False, solver_options={}, allow_twiss_failure=True,
              restore_if_fail=True, verbose=False, n_steps_max=20, default_tol=None, solver=None,
              check_limits=True, **kwargs):
        """Vary knobs until twiss targets are met; returns the optimizer (see `xtrack.match`).

        Parameters
        ----------
        vary : str, xt.Vary, xt.VaryList or list of them
            Knobs (variables of the line) to vary.
        targets : xt.Target, xt.TargetSet, ... or list of them
            Quantities of the twiss table to reach.
        solve : bool, default True
            Run the optimizer now; otherwise call ``opt.solve()``/``opt.step()``.
        default_tol : float or dict, optional
            Tolerance of targets without one (dict: quantity -> tol, None: others).
        **kwargs
            Twiss arguments (method, start, end, init, init_at, betx=..., ...).
        """
        from ..match import match_line

        self._ensure_tracker()
        return match_line(self, vary, targets, solve=solve, assert_within_tol=assert_within_tol,
                          compensate_radiation_energy_loss=compensate_radiation_energy_loss,
                          solver_options=solver_options, allow_twiss_failure=allow_twiss_failure,
                          restore_if_fail=restore_if_fail, verbose=verbose, n_steps_max=n_steps_max,
                          default_tol=default_tol, solver=solver, check_limits=check_limits, **kwargs)

    def match_knob(self, knob_name, vary, targets, knob_value_start=0, knob_value_end=1, **kwargs):
        """Create knob `knob_name` moving `vary` linearly so that `targets` hold at `knob_value_end`."""
        from ..match import match_knob_line

        self._ensure_tracker()
        return match_knob_line(self, knob_name, vary, targets, knob_value_start=knob_value_start,
                               knob_value_end=knob_value_end, **kwargs)

    def correct_trajectory(self, run=True, n_iter="auto", start=None, end=None, twiss_table=None,
                           planes=None, monitor_names_x=None, corrector_names_x=None,
                           monitor_names_y=None, corrector_names_y=None, n_micado=None,
                           n_singular_values=None, rcond=None, monitor_alignment=None):
        """Closed-orbit (or, with start/end, trajectory) correction; returns a TrajectoryCorrection.

        Monitors and correctors default to ``line.steering_monitors_x/y`` and
        ``line.steering_correctors_x/y`` (see `xtrack.match.trajectory_correction`).
        """
        from ..match.trajectory_correction import correct_trajectory_line

        self._ensure_tracker()
        return correct_trajectory_line(
            self, run=run, n_iter=n_iter, start=start, end=end, twiss_table=twiss_table,
            planes=planes, monitor_names_x=monitor_names_x, corrector_names_x=corrector_names_x,
            monitor_names_y=monitor_names_y, corrector_names_y=corrector_names_y, n_micado=n_micado,
            n_singular_values=n_singular_values, rcond=rcond, monitor_alignment=monitor_alignment)

    # ------------------------------------------------------------ dict/JSON
    def to_dict(self, include_var_management=True):
        """Dict in the established line format (see `serialization.line_to_dict`)."""
        from .serialization import line_to_dict

        out = line_to_dict(self, include_var_management=include_var_management)
        if self.composer is not None:
            out["composer"] = self.composer.to_dict()
            out["mode"] = self._mode
        return out

    @classmethod
    def from_dict(cls, dct, _context=None, _buffer=None, classes=()):
        """Line from `to_dict` output (or a line JSON file's content)."""
        from .serialization import line_from_dict

        line = line_from_dict(cls, dct, _context=_context, _buffer=_buffer, classes=classes)
        if isinstance(dct.get("composer"), dict):
            from .builder import Composer

            line.composer = Composer.from_dict(dct["composer"], line.env)
            line._mode = dct.get("mode") or "normal"
        return line

    def to_json(self, file, indent=1, include_var_management=True, **kwargs):
        """Write the line as JSON to `file` (a path; `.gz` compresses) or a file object."""
        from .. import json as xjson

        xjson.dump(self.to_dict(include_var_management=include_var_management), file, indent=indent)

    @classmethod
    def from_json(cls, file, **kwargs):
        """Line from a JSON file (path, `.gz` path or file object)."""
        from .. import json as xjson

        return cls.from_dict(xjson.load(file), **kwargs)

    @classmethod
    def from_madx_sequence(cls, sequence, **kwargs):
        """Line from a used cpymad sequence (``mad.sequence.<name>``); options in
        `xtrack.madx.cpymad_import.line_from_madx_sequence` (deferred_expressions,
        install_apertures, apply_madx_errors, ...)."""
        from ..madx.cpymad_import import line_from_madx_sequence

        return line_from_madx_sequence(sequence, **kwargs)

    def to_madx_sequence(self, sequence_name, mode="sequence", **kwargs):
        """MAD-X text of the line as sequence `sequence_name` (with its knobs);
        see `xtrack.madx.export.to_madx_sequence`."""
        from ..madx.export import to_madx_sequence

        return to_madx_sequence(self, sequence_name, mode=mode, **kwargs)

    def copy(self, _context=None, _buffer=None, shallow=False):
        """Copy of the line: independent elements and variables, or with `shallow=True`
        a new line of the same environment (own names, config and tracker) sharing the
        elements and variables."""
        if shallow:
            # a new line of the same environment: elements and variables shared
            new = self.env._line_from_names(list(self.element_names))
            new._particle_ref = self._particle_ref
            new.config.update(self.config)
            new._extra_config.update(self._extra_config)
            return new
        return type(self).from_dict(self.to_dict(), _context=_context, _buffer=_buffer)

    def __repr__(self):
        return f"<Line with {len(self)} elements, length {self.get_length():.6g} m>"


def _length(element):
    return getattr(element, "length", 0.0) if getattr(element, "isthick", False) else 0.0
