"""Install inactive beam-beam elements around the interaction points of two lines.

Head-on: one BeamBeamBiGaussian3D at each IP, its slices of equal charge of a
Gaussian bunch of length sigmaz. Long-range: single-slice BeamBeamBiGaussian3D
every half bunch spacing on both sides of the IP, where the counter-rotating
bunches meet. The clockwise line's element ``bb_lr.l<ip>_<k>_cw`` at
s_ip - k d / 2 (d the bunch spacing [m]) and the anticlockwise line's
``bb_lr.l<ip>_<k>_acw`` are the same encounter (at s_ip_acw + k d / 2 in the
anticlockwise line, which runs the other way).
"""

from dataclasses import dataclass

import numpy as np

from ..beam_elements.beambeam3d import BeamBeamBiGaussian3D
from ..slicing.constant_charge import constant_charge_slicing_gaussian

_STATE_ATTRIBUTE = "_xfields_beambeam"


@dataclass
class Encounter:
    """One beam-beam element: where it is and which element of the other line it faces."""

    name: str
    line: str
    partner: str
    partner_line: str
    ip: str
    kind: str          # 'head_on' or 'long_range'
    slot_offset: int   # encounter index: -k on the left of the IP, +k on the right, 0 head-on
    delay: int         # delay_at_ips_slots of the IP


def _line_name(env, line, what):
    if isinstance(line, str):
        if line not in env.lines:
            import difflib
            close = difflib.get_close_matches(line, list(env.lines), n=3)
            raise KeyError(f"install_beambeam_interactions: {what}={line!r} is not a line of the "
                           f"environment; lines: {sorted(env.lines)}"
                           + (f"; did you mean {close}?" if close else ""))
        return line
    for name, candidate in env.lines.items():
        if candidate is line:
            return name
    raise ValueError(f"install_beambeam_interactions: {what} must be the name of a line of "
                     f"the environment (or one of its lines).")


def _per_ip(value, ip_names, what):
    if isinstance(value, dict):
        missing = [ip for ip in ip_names if ip not in value]
        if missing:
            raise KeyError(f"install_beambeam_interactions: {what} has no entry for {missing}.")
        return [value[ip] for ip in ip_names]
    if np.ndim(value) == 0:
        return [value] * len(ip_names)
    if len(value) != len(ip_names):
        raise ValueError(f"install_beambeam_interactions: {what} must have one entry per IP "
                         f"({len(ip_names)}), got {len(value)}.")
    return list(value)


def _placeholder(num_slices, sigmaz):
    centroids, _, charges = constant_charge_slicing_gaussian(1.0, sigmaz, num_slices)
    return BeamBeamBiGaussian3D(phi=0.0, alpha=0.0, other_beam_q0=1.0, scale_strength=0.0,
                                slices_other_beam_num_particles=charges,
                                slices_other_beam_zeta_center=centroids[::-1],
                                slices_other_beam_Sigma_11=1.0, slices_other_beam_Sigma_33=1.0)


def install_beambeam_interactions(env, clockwise_line, anticlockwise_line, ip_names,
                                  num_long_range_encounters_per_side, num_slices_head_on,
                                  harmonic_number, bunch_spacing_buckets, sigmaz,
                                  delay_at_ips_slots=None):
    """Insert inactive beam-beam elements (``scale_strength=0``) in both lines.

    Parameters
    ----------
    env : xtrack.Environment
        Environment holding both lines.
    clockwise_line, anticlockwise_line : str
        Names of the two lines (each runs in its own beam's direction).
    ip_names : list of str
        Interaction points (elements present in both lines).
    num_long_range_encounters_per_side : dict or list of int
        Long-range encounters on each side of each IP.
    num_slices_head_on : int
        Slices of the head-on element.
    harmonic_number : int
        RF harmonic number (buckets per turn).
    bunch_spacing_buckets : float
        Bunch spacing in buckets.
    sigmaz : float
        Rms bunch length [m] (slicing of the head-on element).
    delay_at_ips_slots : list of int, optional
        For each IP, the anticlockwise bunch that meets clockwise bunch 0 there (default 0).
    """
    cw = _line_name(env, clockwise_line, "clockwise_line")
    acw = _line_name(env, anticlockwise_line, "anticlockwise_line")
    ip_names = list(ip_names)
    n_lr = [int(v) for v in _per_ip(num_long_range_encounters_per_side, ip_names,
                                     "num_long_range_encounters_per_side")]
    delays = [int(v) for v in _per_ip(0 if delay_at_ips_slots is None else delay_at_ips_slots,
                                      ip_names, "delay_at_ips_slots")]
    if int(num_slices_head_on) < 1:
        raise ValueError(f"install_beambeam_interactions: num_slices_head_on={num_slices_head_on} "
                         f"must be >= 1.")
    if harmonic_number <= 0 or bunch_spacing_buckets <= 0:
        raise ValueError(f"install_beambeam_interactions: harmonic_number={harmonic_number} and "
                         f"bunch_spacing_buckets={bunch_spacing_buckets} must be > 0.")
    lines = {"cw": env.lines[cw], "acw": env.lines[acw]}
    names = {"cw": cw, "acw": acw}
    encounters = []
    for ip, n_side, delay in zip(ip_names, n_lr, delays):
        for tag, other in (("cw", "acw"), ("acw", "cw")):
            line = lines[tag]
            if ip not in line.element_names:
                raise KeyError(f"install_beambeam_interactions: IP {ip!r} is not an element of "
                               f"line {names[tag]!r}.")
            length = line.get_length()
            half_spacing = 0.5 * length / harmonic_number * bunch_spacing_buckets
            s_ip = line.get_s_position(ip)
            # the anticlockwise line runs the other way: the cw left side is its right side
            direction = 1.0 if tag == "cw" else -1.0
            places = [(f"bb_ho.c{ip}_{tag}", s_ip, 0, num_slices_head_on, "head_on")]
            for k in range(1, n_side + 1):
                places.append((f"bb_lr.l{ip}_{k:02d}_{tag}", s_ip - direction * k * half_spacing,
                               -k, 1, "long_range"))
                places.append((f"bb_lr.r{ip}_{k:02d}_{tag}", s_ip + direction * k * half_spacing,
                               k, 1, "long_range"))
            for name, s, offset, n_slices, kind in places:
                env.elements[name] = _placeholder(n_slices, sigmaz)
                line.insert(name, at=float(np.mod(s, length)))
                encounters.append(Encounter(name=name, line=names[tag],
                                            partner=name[: -len(tag)] + other,
                                            partner_line=names[other], ip=ip, kind=kind,
                                            slot_offset=offset, delay=delay))
    setattr(env, _STATE_ATTRIBUTE, {"clockwise_line": cw, "anticlockwise_line": acw,
                                    "sigmaz": float(sigmaz), "encounters": encounters})


def beambeam_state(env, caller):
    """What install_beambeam_interactions recorded on `env` (clear error when nothing)."""
    state = getattr(env, _STATE_ATTRIBUTE, None)
    if state is None:
        raise RuntimeError(f"{caller}: no beam-beam elements in this environment; call "
                           f"install_beambeam_interactions first.")
    return state
