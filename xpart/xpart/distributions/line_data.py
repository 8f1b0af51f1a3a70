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


def _rf_harmonics(el, t_rev0):
    """(harmonic, voltage [V], phase [rad]) of each powered RF system of one element.

    Two shapes of element carry RF: a cavity (`voltage`, `frequency`, `lag`
    [deg], and `harmonic`, which when non-zero fixes the frequency to
    harmonic / t_rev as in a line), and a lumped map with lists
    `voltage_rf`, `frequency_rf`, `lag_rf` [deg] and `phase_rf` [rad]
    (xtrack's LineSegmentMap).
    """
    if all(hasattr(el, a) for a in ("voltage", "frequency", "lag")):
        if float(el.voltage) == 0:
            return []
        harmonic = float(getattr(el, "harmonic", 0) or 0)
        if harmonic == 0:
            harmonic = float(el.frequency) * t_rev0
        return [(harmonic, float(el.voltage), np.deg2rad(float(el.lag)))]
    if all(hasattr(el, a) for a in ("voltage_rf", "frequency_rf", "lag_rf")):
        volts = np.atleast_1d(np.asarray(el.voltage_rf, dtype=float))
        freqs = np.atleast_1d(np.asarray(el.frequency_rf, dtype=float))
        lags = np.atleast_1d(np.asarray(el.lag_rf, dtype=float))
        phases = np.atleast_1d(np.asarray(getattr(el, "phase_rf", np.zeros_like(volts)), dtype=float))
        return [(f * t_rev0, v, np.deg2rad(lag) + ph)
                for v, f, lag, ph in zip(volts, freqs, lags, phases, strict=True) if v != 0]
    return []


def rf_parameters(line, beta0, circumference):
    """(harmonic, voltage [V], phase [rad]) of the RF systems of a line.

    Every powered RF system (see `_rf_harmonics`) must share harmonic and
    phase (single-harmonic matching); their voltages add up.
    """
    t_rev0 = circumference / (beta0 * clight)
    systems = [rf for el in getattr(line, "elements", ()) for rf in _rf_harmonics(el, t_rev0)]
    if not systems:
        raise ValueError("the line has no RF cavity with voltage; give rf_harmonic, "
                         "rf_voltage and rf_phase explicitly")
    harmonics = np.array([h for h, _, _ in systems])
    phases = np.array([ph for _, _, ph in systems])
    # frequencies computed from t_rev carry rounding: compare relatively
    if (np.ptp(harmonics) > 1e-9 * abs(harmonics[0])
            or np.ptp(phases) > 1e-12 * max(1.0, abs(phases[0]))):
        raise ValueError(f"single-harmonic matching needs one RF harmonic and phase, the line has "
                         f"harmonics {sorted(set(harmonics.tolist()))} and phases "
                         f"{sorted(set(phases.tolist()))} rad")
    return float(harmonics[0]), sum(v for _, v, _ in systems), float(phases[0])
