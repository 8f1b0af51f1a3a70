"""Device: a placed object without effect on particles (MAD-X instruments, monitors)."""

import xobjects as xo

from .base import BeamElement

__all__ = ["Device"]

_NOOP_C = """
#ifndef XTRACK_DEVICE_H
#define XTRACK_DEVICE_H
GPUFUN void Device_track_local_particle(DeviceData el, LocalParticle* part0){
    (void) el; (void) part0;
}
#endif
"""


class Device(BeamElement):
    """Element with a length that does not act on particles nor advance `s`.

    Parameters
    ----------
    length : float, default 0
        Length [m] (information only: a line places drifts around it).
    """

    _xofields = {"length": xo.Float64}
    _extra_c_sources = [_NOOP_C]
