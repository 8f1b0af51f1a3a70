"""What the generators need from a line, through its public interface only.

xpart never imports xtrack: a line is anything with `twiss(...)`,
`build_particles(...)`, `particle_ref` and (for the RF parameters)
`elements`. A twiss table is anything with columns `name`, `s`, `betx`,
`alfx`, `bety`, `alfy`, `x`, `px`, `y`, `py` and the scalars
`circumference`, `momentum_compaction_factor`, `beta0`, `gamma0`.
"""

import warnings

import numpy as np

from ..constants import clight

__all__ = ["resolve_line", "twiss_index", "optics_at", "reference_quantities", "rf_parameters"]


def resolve_line(line, tracker):
    """Return the line, accepting the deprecated `tracker` argument."""
    if tracker is not None:
        warnings.warn("the argument 'tracker' is deprecated; give 'line' instead",
                      FutureWarning, stacklevel=3)
        if line is None:
            line = tracker.line
    return line


def twiss_index(tw, at_element):
    """Row of `at_element` (name or index; None: the first row) in a twiss table."""
    if at_element is None:
        return 0
    names = list(tw.name)
    if isinstance(at_element, str):
        if at_element not in names:
            import difflib

            close = difflib.get_close_matches(at_element, names, n=3)
            raise KeyError(f"no element named {at_element!r} in the twiss table"
                           + (f"; close matches: {close}" if close else ""))
        return names.index(at_element)
    index = int(at_element)
    if not -len(names) <= index < len(names):
        raise ValueError(f"at_element index {index} out of range for {len(names)} rows")
    return index


def optics_at(tw, plane, at_element=None, match_at_s=None):
    """Twiss beta [m], alpha and closed orbit (position [m], momentum) in one plane.

    With `match_at_s` [m] the values are propagated through the drift that
    follows `at_element` (beta(L) = beta - 2 alpha L + gamma L^2).
    """
    if plane not in ("x", "y"):
        raise ValueError(f"plane must be 'x' or 'y', got {plane!r}")
    i = twiss_index(tw, at_element)
    bet = float(np.asarray(getattr(tw, f"bet{plane}"))[i])
    alf = float(np.asarray(getattr(tw, f"alf{plane}"))[i])
    pos = float(np.asarray(getattr(tw, plane))[i])
    mom = float(np.asarray(getattr(tw, f"p{plane}"))[i])
    if match_at_s is not None:
        length = match_at_s - float(np.asarray(tw.s)[i])
        if length < 0:
            raise ValueError(f"match_at_s={match_at_s} m lies before at_element (s={match_at_s - length} m)")
        gam = (1 + alf**2) / bet
        bet, alf = bet - 2 * alf * length + gam * length**2, alf - gam * length
        pos += mom * length
    return bet, alf, pos, mom


def reference_quantities(line=None, particle_ref=None, tw=None):
    """(mass0 [eV], q0 [e], beta0, gamma0, p0c [eV]) of the reference particle."""
    if particle_ref is None and line is not None:
        particle_ref = line.particle_ref
    if particle_ref is not None:
        return (particle_ref.mass0, particle_ref.q0, float(particle_ref.beta0[0]),
                float(particle_ref.gamma0[0]), float(particle_ref.p0c[0]))
    if tw is not None:
        return None, None, float(tw.beta0), float(tw.gamma0), None
    raise ValueError("a reference particle is needed: give line=... or particle_ref=...")


def rf_parameters(line, beta0, circumference):
    """(harmonic, voltage [V], phase [rad]) of the RF cavities of a line.

    Cavities are the elements with `voltage`, `frequency` and `lag` [deg]
    attributes and non-zero voltage; all must share frequency and lag
    (single-harmonic matching).
    """
    cavities = [el for el in getattr(line, "elements", ())
                if all(hasattr(el, a) for a in ("voltage", "frequency", "lag"))
                and float(el.voltage) != 0]
    if not cavities:
        raise ValueError("the line has no RF cavity with voltage; give rf_harmonic, "
                         "rf_voltage and rf_phase explicitly")
    freqs = {float(c.frequency) for c in cavities}
    lags = {float(c.lag) for c in cavities}
    if len(freqs) > 1 or len(lags) > 1:
        raise ValueError(f"single-harmonic matching needs one RF frequency and lag, the line has "
                         f"frequencies {sorted(freqs)} Hz and lags {sorted(lags)} deg")
    t_rev0 = circumference / (beta0 * clight)
    harmonic = freqs.pop() * t_rev0
    return harmonic, sum(float(c.voltage) for c in cavities), np.deg2rad(lags.pop())
