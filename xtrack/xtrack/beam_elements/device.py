"""Device: a placed object with a length and no field (MAD-X instruments, collimators, monitors)."""

from pathlib import Path

import xobjects as xo

from .base import BeamElement

__all__ = ["Device"]

_HERE = Path(__file__).resolve().parent

_DEVICE_C = """
#ifndef XTRACK_DEVICE_H
#define XTRACK_DEVICE_H
// A device occupies its length of the line: particles cross it as a drift.
GPUFUN void Device_track_local_particle(DeviceData el, LocalParticle* part0){
    double const length = DeviceData_get_length(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        Drift_single_particle(part, length);
    END_PER_PARTICLE_BLOCK;
}
// inverse: the drift over -length
GPUFUN void Device_backtrack_local_particle(DeviceData el, LocalParticle* part0){
    double const length = DeviceData_get_length(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        Drift_single_particle(part, -length);
    END_PER_PARTICLE_BLOCK;
}
#endif
"""


class Device(BeamElement):
    """Element without a field that occupies `length` of the line (crossed as a drift).

    MAD-X instruments, monitors and collimators of a lattice file load as
    devices: they advance `s` and the particles drift through them.

    Parameters
    ----------
    length : float, default 0
        Length [m].
    """

    _xofields = {"length": xo.Float64}
    isthick = True
    behaves_like_drift = True
    allow_loss_refinement = True
    has_backtrack = True
    _extra_c_sources = [_HERE / "_drift.h", _DEVICE_C]
