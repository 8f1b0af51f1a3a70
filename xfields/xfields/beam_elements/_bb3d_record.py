"""The internal record of BeamBeamBiGaussian3D (``line.start_internal_logging_for_elements_of_type``).

Three tables, each sized by its own capacity
(``capacity={"beamstrahlungtable": ..., "bhabhatable": ..., "lumitable": ...}``):

- ``lumitable``: one row per turn (row = ``at_turn`` of the colliding
  particles); ``luminosity`` [m^-2] is the soft-Gaussian luminosity of the
  crossing, sum over the macro-particles (weight w) and the slices (charge
  N_i) of ``w N_i rho_i(x, y)`` with rho_i the normalised transverse density
  of slice i at the particle's collision point; with several logged elements
  of the type in one line a row holds their sum. ``num_macroparticles``
  counts the macro-particles that contributed.
- ``beamstrahlungtable``, ``bhabhatable``: one row per emitted photon (the
  columns of the established tables); not filled by this implementation,
  which has neither beamstrahlung nor Bhabha scattering.
"""

import xobjects as xo
from xtrack.beam_elements.records import RecordIndex

__all__ = []

_PHOTON_COLUMNS = {
    "at_element": xo.Int64[:], "at_turn": xo.Int64[:], "particle_id": xo.Int64[:],
    "photon_id": xo.Float64[:], "primary_energy": xo.Float64[:], "photon_energy": xo.Float64[:],
}


class BeamstrahlungTable(xo.HybridClass):
    """Photons of beamstrahlung (one row each)."""

    _xofields = {"_index": RecordIndex, **_PHOTON_COLUMNS,
                 "photon_critical_energy": xo.Float64[:], "rho_inv": xo.Float64[:]}


class BhabhaTable(xo.HybridClass):
    """Photons of radiative Bhabha scattering (one row each)."""

    _xofields = {"_index": RecordIndex, **_PHOTON_COLUMNS}


class LumiTable(xo.HybridClass):
    """Luminosity per crossing [m^-2], one row per turn."""

    _xofields = {"_index": RecordIndex, "luminosity": xo.Float64[:], "at_turn": xo.Int64[:],
                 "num_macroparticles": xo.Int64[:]}


class BeamBeamBiGaussian3DRecord(xo.HybridClass):
    """Record of the BeamBeamBiGaussian3D elements of a line (see the module docstring)."""

    _xofields = {"beamstrahlungtable": BeamstrahlungTable, "bhabhatable": BhabhaTable,
                 "lumitable": LumiTable}
