"""Black-absorber collimators: jaws that stop every particle reaching them.

A collimator of the line (a drift-like element: Drift, Device or Marker)
becomes two rotated :class:`~xtrack.LimitRect` apertures, ``<name>_entry`` at
its upstream face and ``<name>_exit`` at its downstream face, with the
element itself (the drift of its length) between them. The aperture frame is
rotated by the jaw angle, so its local x is the coordinate across the jaws;
the jaws are infinite along the other direction.

Gap: parallel jaws at ``nsigma * sigma`` from the jaw centre, with sigma the
beam size across the jaws at the collimator centre (SixTrack convention,
``collgaps.dat``). Each face is centred on the closed orbit there, projected
on the jaw normal, plus the setting's offset. Optics and orbit at the centre
and faces come from the twiss at the element by drift transport (exact in a
drift-like region, see :mod:`.geometry`).

The installed collimators are recorded in ``line.metadata['black_absorbers']``
(saved with the line's JSON), so that loss maps can attribute the losses on
the two apertures to the collimator (``lossmaps``' ``load_data_xtrack``).
"""

import collections
import dataclasses
import difflib
import math
import re

import numpy as np

from ..beam_elements.apertures import LimitRect
from ..beam_elements.drift import Drift
from .geometry import OPTICS_COLUMNS, jaw_orbit, jaw_sigma, optics_in_drift
from .settings import normalise_settings

__all__ = ["install_black_absorbers", "METADATA_KEY"]

METADATA_KEY = "black_absorbers"
_S_TOL = 1e-9  # [m] positions closer than this coincide
_BEFORE, _AFTER = -math.inf, math.inf  # insertion keys around an element (finite: split at)


@dataclasses.dataclass
class _Absorber:
    """One collimator to install (all computed before the line is touched)."""

    name: str
    s_start: float
    length: float
    angle: float
    nsigma: float
    offset: float
    sigma: float
    half_gap: float
    jaw_centre: float
    apertures: dict  # aperture name -> LimitRect
    inserts: list  # (element index, key, aperture name)

    def record(self):
        """JSON-ready entry of ``line.metadata['black_absorbers']``."""
        return {"s": self.s_start + 0.5 * self.length, "s_start": self.s_start,
                "length": self.length, "angle": self.angle, "nsigma": self.nsigma,
                "offset": self.offset, "sigma": self.sigma, "half_gap": self.half_gap,
                "jaw_centre": self.jaw_centre, "apertures": list(self.apertures)}


def _close(name, names):
    close = difflib.get_close_matches(name, list(names), n=3)
    return f"; close matches: {', '.join(map(repr, close))}" if close else ""


def _matching_names(setting, unique_names):
    """Element names of the line that ``setting.name`` names or fully matches as a pattern."""
    if setting.name in unique_names:
        return [setting.name]
    try:
        pattern = re.compile(setting.name)
    except re.error as err:
        raise ValueError(f"settings row {setting.row}: name {setting.name!r} is neither an "
                         f"element of the line nor a valid regular expression ({err})") from None
    found = [name for name in unique_names if pattern.fullmatch(name)]
    if not found:
        raise KeyError(f"settings row {setting.row}: no element named or matching "
                       f"{setting.name!r} in the line{_close(setting.name, unique_names)}")
    return found


def _assign_elements(line, settings):
    """(setting, element name) pairs, each element named by exactly one row."""
    counts = collections.Counter(line.element_names)
    unique_names = list(counts)
    owner = {}
    for setting in settings:
        for name in _matching_names(setting, unique_names):
            if name in owner:
                raise ValueError(f"element {name!r} is named by settings rows {owner[name].row} "
                                 f"and {setting.row} ({owner[name].name!r}, {setting.name!r}); "
                                 "give each collimator one setting")
            if counts[name] > 1:
                raise ValueError(f"element {name!r} appears {counts[name]} times in the line; a "
                                 "collimator must be placed once")
            owner[name] = setting
    return [(setting, name) for name, setting in owner.items()]


def _optics_at(twiss, name):
    try:
        return {col: float(twiss[col, name]) for col in OPTICS_COLUMNS}
    except (KeyError, IndexError):
        raise KeyError(f"twiss has no row {name!r}: pass the twiss of this line (twiss=None "
                       "computes it)") from None


class _Layout:
    """Positions of the line's elements, to place the faces of thin collimators."""

    def __init__(self, line):
        self.names = list(line.element_names)
        self.elements = [line.element_dict[n] for n in self.names]
        lengths = np.array([float(e.length) if getattr(e, "isthick", False) else 0.0
                            for e in self.elements])
        self.starts = np.concatenate([[0.0], np.cumsum(lengths)[:-1]])
        self.ends = self.starts + lengths
        self.index = {name: ii for ii, name in enumerate(self.names)}

    def check_drift_like(self, collimator, s0, s1):
        """Refuse a collimator region [s0, s1] holding a non-drift element or leaving the line."""
        if s0 < -_S_TOL or s1 > self.ends[-1] + _S_TOL:
            raise ValueError(f"collimator {collimator!r} would span s = [{s0:.9g}, {s1:.9g}] m, "
                             f"outside the line [0, {self.ends[-1]:.9g}] m")
        inside = np.flatnonzero((self.ends > s0 + _S_TOL) & (self.starts < s1 - _S_TOL))
        for ii in inside:
            if not getattr(self.elements[ii], "behaves_like_drift", False):
                raise ValueError(f"collimator {collimator!r} (s = [{s0:.9g}, {s1:.9g}] m) would "
                                 f"cover {self.names[ii]!r}, a {type(self.elements[ii]).__name__}; "
                                 "give a shorter length")

    def insertion_at(self, collimator, s):
        """(element index, key) putting a thin aperture at ``s`` [m], splitting a drift if needed."""
        inside = np.flatnonzero((self.starts < s - _S_TOL) & (self.ends > s + _S_TOL))
        if inside.size:
            ii = int(inside[0])
            if not isinstance(self.elements[ii], Drift):
                raise ValueError(f"collimator {collimator!r}: its face at s = {s:.9g} m falls "
                                 f"inside {self.names[ii]!r}, a {type(self.elements[ii]).__name__} "
                                 "(only a Drift can be split)")
            return ii, float(s - self.starts[ii])
        after = np.flatnonzero(self.starts >= s - _S_TOL)
        if after.size:
            return int(after[0]), _BEFORE
        return len(self.names) - 1, _AFTER


def _plan_one(setting, name, layout, optics, eps_x, eps_y):
    index = layout.index[name]
    element = layout.elements[index]
    if not getattr(element, "behaves_like_drift", False):
        raise TypeError(f"element {name!r} is a {type(element).__name__}; only drift-like "
                        "elements (Drift, Device, Marker) can become black absorbers")
    own_length = float(element.length) if getattr(element, "isthick", False) else 0.0
    length = own_length if setting.length is None else setting.length
    if own_length > 0 and abs(length - own_length) > _S_TOL:
        raise ValueError(f"settings row {setting.row}: length {length!r} m differs from the "
                         f"length of {name!r} in the line ({own_length!r} m); a thick element "
                         "keeps its own length (omit length)")
    s_element = float(layout.starts[index])
    # distances of the upstream face, the centre and the downstream face from the twiss point
    # (the entry of a thick element; a thin element marks the collimator centre)
    d_faces = (0.0, length) if own_length > 0 else (-0.5 * length, 0.5 * length)
    centre = optics_in_drift(optics, 0.5 * (d_faces[0] + d_faces[1]))
    sigma = jaw_sigma(centre, setting.angle, eps_x, eps_y)
    half_gap = setting.nsigma * sigma
    entry_name, exit_name = f"{name}_entry", f"{name}_exit"
    apertures = {}
    for aperture_name, distance in zip((entry_name, exit_name), d_faces):
        mid = jaw_orbit(optics_in_drift(optics, distance), setting.angle) + setting.offset
        apertures[aperture_name] = LimitRect(min_x=mid - half_gap, max_x=mid + half_gap,
                                             rot_s_rad=setting.angle)
    if own_length > 0 or length == 0:
        inserts = [(index, _BEFORE, entry_name), (index, _AFTER, exit_name)]
    else:
        s0, s1 = s_element + d_faces[0], s_element + d_faces[1]
        layout.check_drift_like(name, s0, s1)
        inserts = [layout.insertion_at(name, s0) + (entry_name,),
                   layout.insertion_at(name, s1) + (exit_name,)]
    return _Absorber(name=name, s_start=s_element + d_faces[0], length=length,
                     angle=setting.angle, nsigma=setting.nsigma, offset=setting.offset,
                     sigma=sigma, half_gap=half_gap,
                     jaw_centre=jaw_orbit(centre, setting.angle) + setting.offset,
                     apertures=apertures, inserts=inserts)


def _geometric_emittances(line, nemitt_x, nemitt_y):
    for label, value in (("nemitt_x", nemitt_x), ("nemitt_y", nemitt_y)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or \
                not (math.isfinite(value) and value > 0):
            raise ValueError(f"{label} must be a positive normalised emittance in m, got {value!r}")
    if line.particle_ref is None:
        raise ValueError("the line has no particle_ref; set one (line.particle_ref = "
                         "xt.Particles(p0c=...)) to convert the normalised emittances")
    beta_gamma = float(line.particle_ref.beta0[0] * line.particle_ref.gamma0[0])
    return nemitt_x / beta_gamma, nemitt_y / beta_gamma


def _new_names(line, absorbers):
    """Element names with the apertures inserted (drifts split into new Drift pieces).

    Returns the names and the new drift pieces (name -> Drift) to add.
    """
    by_index = collections.defaultdict(list)
    for absorber in absorbers:
        for index, key, aperture_name in absorber.inserts:
            by_index[index].append((key, aperture_name))
    names, pieces = [], {}
    taken = set(line.element_dict)
    for index, name in enumerate(line.element_names):
        if index not in by_index:
            names.append(name)
            continue
        inserts = sorted(by_index[index], key=lambda item: item[0])
        names.extend(n for key, n in inserts if key == _BEFORE)
        cuts = [(key, n) for key, n in inserts if math.isfinite(key)]
        if cuts:
            length = float(line.element_dict[name].length)
            edges = [0.0] + [key for key, _ in cuts] + [length]
            for k, (lo, hi) in enumerate(zip(edges[:-1], edges[1:])):
                piece = _free_name(f"{name}..", taken)
                pieces[piece] = Drift(length=hi - lo)
                names.append(piece)
                if k < len(cuts):
                    names.append(cuts[k][1])
        else:
            names.append(name)
        names.extend(n for key, n in inserts if key == _AFTER)
    return names, pieces


def _free_name(base, taken):
    k = 0
    while f"{base}{k}" in taken:
        k += 1
    taken.add(f"{base}{k}")
    return f"{base}{k}"


def _table(absorbers):
    from xdeps import Table

    columns = {"name": np.array([a.name for a in absorbers], dtype=object)}
    for column in ("s", "s_start", "length", "angle", "nsigma", "offset", "sigma", "half_gap",
                   "jaw_centre"):
        columns[column] = np.array([a.record()[column] for a in absorbers], dtype=float)
    columns["entry"] = np.array([list(a.apertures)[0] for a in absorbers], dtype=object)
    columns["exit"] = np.array([list(a.apertures)[1] for a in absorbers], dtype=object)
    return Table(columns)


def install_black_absorbers(line, settings, nemitt_x, nemitt_y, twiss=None):
    """Turn the collimators of ``line`` into black absorbers at the given settings.

    Each collimator gets a rotated :class:`~xtrack.LimitRect` named
    ``<name>_entry`` before it and ``<name>_exit`` after it, with jaws at
    ``nsigma * sigma`` from the closed orbit (plus ``offset``) across the jaw
    normal; particles reaching a jaw are lost there (state 0).

    Parameters
    ----------
    line : xtrack.Line
        Modified in place (its tracker, if any, is rebuilt on the same context).
    settings : pandas.DataFrame, dict of columns or list of dicts
        ``name`` (element name, or a regular expression matched against whole
        names), ``nsigma`` (half gap in beam sigma; alias ``nsig``), ``angle``
        [rad] (jaw normal in the x-y plane: 0 horizontal, pi/2 vertical),
        optional ``offset`` [m] (default 0) and ``length`` [m] (default: the
        element's own; a thin element gets jaws at +-length/2 around it). A
        ``collgaps.dat`` table read by ``lossmaps.readers.read_collgaps`` works
        as it is.
    nemitt_x, nemitt_y : float [m]
        Normalised emittances; sigma uses eps = nemitt / (beta0 gamma0) of
        ``line.particle_ref``.
    twiss : xtrack.TwissTable, optional
        Twiss of ``line`` for the optics and closed orbit; default
        ``line.twiss(method='4d')``.

    Returns
    -------
    xdeps.Table
        One row per collimator, in line order: ``name``, ``s`` [m] (centre),
        ``s_start`` [m], ``length`` [m], ``angle`` [rad], ``nsigma``, ``offset`` [m],
        ``sigma`` [m], ``half_gap`` [m], ``jaw_centre`` [m] (across the jaws, at
        the centre), ``entry``, ``exit`` (aperture names).

    Raises
    ------
    TypeError
        Settings of the wrong kind, unknown columns, a collimator that is not a
        drift-like element.
    KeyError
        A name that matches no element (with close matches), a twiss without it.
    ValueError
        Bad values (nsigma <= 0, non-finite numbers, negative or mismatched
        length), an element named twice or placed twice, absorbers installed
        already, bad emittances. On any error the line is left unchanged.

    Notes
    -----
    sigma = sqrt(betx eps_x cos^2(angle) + bety eps_y sin^2(angle)) at the
    collimator centre (betatron size only, as for the SixTrack settings).
    """
    rows = normalise_settings(settings)
    eps_x, eps_y = _geometric_emittances(line, nemitt_x, nemitt_y)
    pairs = _assign_elements(line, rows)
    if twiss is None:
        twiss = line.twiss(method="4d")
    layout = _Layout(line)
    absorbers = []
    for setting, name in sorted(pairs, key=lambda pair: layout.index[pair[1]]):
        absorbers.append(_plan_one(setting, name, layout, _optics_at(twiss, name), eps_x, eps_y))
    clashes = [n for a in absorbers for n in a.apertures if n in line.element_dict]
    if clashes:
        raise ValueError(f"the line has an element named {clashes[0]!r} already: black absorbers "
                         "are installed on it (or the name is taken)")
    names, pieces = _new_names(line, absorbers)
    # everything is validated and built: from here on the line changes
    env = line.env
    for absorber in absorbers:
        for aperture_name, aperture in absorber.apertures.items():
            env._add_element(aperture_name, aperture)
    for piece_name, piece in pieces.items():
        env._add_element(piece_name, piece)
    context = line.tracker._context if line.tracker is not None else None
    line.discard_tracker()
    line.element_names = names
    record = dict(line.metadata.get(METADATA_KEY) or {})
    record.update({a.name: a.record() for a in absorbers})
    line.metadata[METADATA_KEY] = record
    if context is not None:
        line.build_tracker(_context=context)
    return _table(absorbers)
