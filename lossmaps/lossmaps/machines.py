"""Machine facts used by loss maps: circumference, IPs, warm regions, plot ranges, ROI.

All positions are in metres along the ring in the beam-1 coordinate (from IP1,
in the direction of beam 1), the coordinate of the plots and of BLM ``dcum``.
Beam-2 loss maps are reflected into it (``backwards=True`` of the loaders).

Sources (see ``lossmaps-formats.md`` §6): the LHC numbers come from the 2024
MAD-X sequence (EYETS 2023-2024) and the xcoll LHC collimation metadata and are
verified. HL-LHC reuses them (same tunnel; differences of metres at most). The
SPS, FCC-ee and FCC-hh numbers are **unverified defaults** (``verified=False``):
override them with :func:`set_machine_definition` or
``dataclasses.replace(get_machine(...), ...)``, and prefer the circumference of
your TFS file (the loaders use the TFS ``LENGTH`` when it is present).
"""

import dataclasses
import math
import pathlib
from types import MappingProxyType

from .enums import Beam, Machine

__all__ = [
    "MachineDefinition",
    "get_machine",
    "set_machine_definition",
    "reset_machine_definitions",
    "DEFAULT_MACHINES",
    "LHC_LAYOUT_FILE",
]


@dataclasses.dataclass(frozen=True)
class MachineDefinition:
    """Facts about one accelerator needed to analyse and plot its loss maps.

    Parameters
    ----------
    machine : Machine
        Which machine this describes.
    circumference : float [m]
        Ring length.
    ip_positions : mapping str -> float [m]
        Interaction points (or long straight sections) used as plot labels.
    warm_regions : tuple of (float, float) [m]
        Normal-conducting intervals; aperture losses inside are ``Losses.WARM``,
        elsewhere ``Losses.COLD``. ``((0, C),)`` for an all-warm machine.
    plot_range : (float, float) [m]
        Default s range of the full-ring plot.
    zoom_range : (float, float) [m]
        Default s range of the zoom on the (betatron) collimation insertion; may
        wrap around s = 0 (start > end).
    ds_roi : mapping Beam -> (float, float) [m]
        Dispersion-suppressor region of interest for the DS inefficiency, per beam.
    zoom_ranges : mapping str -> (float, float) [m]
        Further named zoom ranges (momentum cleaning, dump, IRs).
    layout_file : pathlib.Path or None
        Default twiss (TFS) for the layout strip of plots when a loss map has no
        positions of its own (measured maps); B1 coordinate.
    verified : bool
        False where the numbers are unverified defaults.
    notes : str
        Source of the numbers or what is uncertain.
    """

    machine: Machine
    circumference: float
    ip_positions: dict
    warm_regions: tuple
    plot_range: tuple
    zoom_range: tuple
    ds_roi: dict
    zoom_ranges: dict = dataclasses.field(default_factory=dict)
    layout_file: pathlib.Path | None = None
    verified: bool = True
    notes: str = ""

    def __post_init__(self):
        if not (isinstance(self.circumference, (int, float)) and self.circumference > 0):
            raise ValueError(
                f"circumference must be a positive length in m, got {self.circumference!r}"
            )
        for lo, hi in self.warm_regions:
            if not lo <= hi:
                raise ValueError(f"warm_regions must hold (start, end) with start <= end, got {(lo, hi)}")

    def roi_for(self, beam):
        """DS region of interest [m] for ``beam`` (a :class:`Beam`), or None if undefined."""
        return self.ds_roi.get(beam)


# trimmed LHC 2024 B1 twiss shipped with the package (see data/README.md)
LHC_LAYOUT_FILE = pathlib.Path(__file__).resolve().parent / "data" / "lhc_b1_layout.tfs"

_LHC_C = 26658.8832
_LHC_IPS = {
    "IP1": 0.0,
    "IP2": 3332.436584,
    "IP3": 6664.7208,
    "IP4": 9997.005016,
    "IP5": 13329.28923,
    "IP6": 16661.72582,
    "IP7": 19994.1624,
    "IP8": 23315.37898,
}
# Published list (xcoll LHC metadata); its last end is printed as 2.66588832,
# evidently C without the decimal shift, so C is used.
_LHC_WARM = (
    (0.0, 22.5365), (54.853, 152.489), (172.1655, 192.4), (199.4847, 224.3),
    (3095.45428, 3155.62858), (3167.74008, 3188.43308), (3211.44458, 3263.86758),
    (3309.90008, 3354.97408), (3401.00558, 3453.42858), (3476.44008, 3494.06558),
    (3505.88528, 3568.31858), (6405.4088, 6457.9138), (6468.7785, 6859.5138),
    (6870.3785, 6923.5338), (9735.90702, 9824.73052), (9830.83202, 9861.73052),
    (9878.73202, 9939.98552), (9950.54802, 10043.462), (10054.0245, 10115.278),
    (10132.2795, 10163.9705), (10170.072, 10257.603), (13104.9892, 13129.8045),
    (13136.8892, 13157.1237), (13176.8002, 13271.6472), (13306.7527, 13351.8257),
    (13386.9312, 13481.7782), (13501.4547, 13522.7845), (13529.8692, 13554.6845),
    (16394.6378, 16450.8713), (16456.9728, 16487.2713), (16493.3728, 16830.8713),
    (16836.9728, 16867.2713), (16873.3728, 16928.2948), (19734.8504, 19760.6997),
    (19771.5644, 20217.9087), (20228.7734, 20252.9744), (23089.9797, 23138.577),
    (23150.3967, 23171.3755), (23194.387, 23246.81), (23292.8425, 23337.9155),
    (23383.948, 23436.371), (23459.3825, 23480.0825), (23492.194, 23553.116),
    (26433.4879, 26458.3032), (26465.3879, 26486.7177), (26506.3942, 26601.2412),
    (26636.3467, _LHC_C),
)
_LHC_ZOOMS = {
    "betatron": (19394.0, 20594.0),
    "momentum": (6065.0, 7265.0),
    "dump": (16062.0, 17262.0),
    "injection": (2890.0, 3775.0),
    "IP1": (26216.0, 443.0),
    "IP2": (2890.0, 3775.0),
    "IP5": (12886.0, 13773.0),
    "IP8": (22884.0, 23770.0),
}
# DS markers S.DS.R7.B1 / E.DS.R7.B1 (B1 downstream of IR7) and S.DS.L7.B1 /
# E.DS.L7.B1 (B2 downstream of IR7, in B1 coordinates).
_LHC_ROI = {
    Beam.BEAM1: (20263.0664, 20541.35003),
    Beam.BEAM2: (19446.97477, 19725.2584),
}


def _lhc_like(machine, notes):
    return MachineDefinition(
        machine=machine,
        circumference=_LHC_C,
        ip_positions=dict(_LHC_IPS),
        warm_regions=_LHC_WARM,
        plot_range=(0.0, _LHC_C),
        zoom_range=_LHC_ZOOMS["betatron"],
        ds_roi=dict(_LHC_ROI),
        zoom_ranges=dict(_LHC_ZOOMS),
        layout_file=LHC_LAYOUT_FILE,
        verified=machine is Machine.LHC,
        notes=notes,
    )


def _unverified_ring(machine, circumference, n_sections, collimation_section, notes):
    """Ring with equally spaced straight sections; every number is a placeholder."""
    spacing = circumference / n_sections
    ips = {f"{collimation_section[0]}{i + 1}": i * spacing for i in range(n_sections)}
    centre = ips[collimation_section]
    half_zoom = min(600.0, spacing / 2)
    return MachineDefinition(
        machine=machine,
        circumference=circumference,
        ip_positions=ips,
        warm_regions=((0.0, circumference),) if machine is Machine.SPS else (),
        plot_range=(0.0, circumference),
        zoom_range=(centre - half_zoom, centre + half_zoom),
        ds_roi={},
        verified=False,
        notes=notes,
    )


_DEFAULTS = {
    Machine.LHC: _lhc_like(Machine.LHC, "LHC 2024 sequence and xcoll LHC metadata (verified)."),
    Machine.HLLHC: _lhc_like(
        Machine.HLLHC,
        "LHC numbers reused (same tunnel and IPs); IR7 DS and warm regions may differ by "
        "metres: unverified.",
    ),
    Machine.SPS: _unverified_ring(
        Machine.SPS, 2 * math.pi * 1100.0, 6, "L5",
        "C = 2 pi x 1100 m, six long straight sections L1..L6, all magnets warm, zoom on "
        "LSS5: unverified placeholders; no DS region.",
    ),
    Machine.FCCEE: _unverified_ring(
        Machine.FCCEE, 90658.816, 8, "P6",
        "C of the 2025 feasibility-study layout, eight straight sections, zoom on the "
        "collimation section: unverified placeholders; no warm/cold split, no DS region.",
    ),
    Machine.FCCHH: _unverified_ring(
        Machine.FCCHH, 90658.816, 8, "P6",
        "Same tunnel as FCC-ee assumed: unverified placeholders; no warm regions, no DS "
        "region.",
    ),
}
# FCC sections are labelled P1..P8 by _unverified_ring; "P6" stands for PF.

_REGISTRY = dict(_DEFAULTS)


def get_machine(machine):
    """Return the :class:`MachineDefinition` currently registered for ``machine``.

    Parameters
    ----------
    machine : Machine or str
        A :class:`Machine` member or its value (``'LHC'``).

    Raises
    ------
    ValueError
        If ``machine`` is not a known machine.
    """
    try:
        key = Machine(machine)
    except ValueError:
        allowed = ", ".join(m.value for m in Machine)
        raise ValueError(f"machine must be one of {allowed}, got {machine!r}") from None
    return _REGISTRY[key]


def set_machine_definition(definition):
    """Replace the facts used for ``definition.machine`` (e.g. unverified defaults).

    Parameters
    ----------
    definition : MachineDefinition
        The new facts; to restore the shipped defaults call
        :func:`reset_machine_definitions`.
    """
    if not isinstance(definition, MachineDefinition):
        raise TypeError(f"definition must be a MachineDefinition, got {type(definition).__name__}")
    _REGISTRY[definition.machine] = definition


def reset_machine_definitions():
    """Restore the shipped machine definitions."""
    _REGISTRY.clear()
    _REGISTRY.update(_DEFAULTS)


DEFAULT_MACHINES = MappingProxyType(_DEFAULTS)
