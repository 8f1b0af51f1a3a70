"""``SimulatedLossMap``: loss maps from collimation tracking (K2, FLUKA, xcoll JSON, xtrack)."""

import pandas as pd

from ..lossmap import LossMap
from .binning import classify_aperture
from .data import QUANTITIES
from .load_json import load_json
from .load_sixtrack import load_fluka, load_k2
from .load_xtrack import load_xtrack
from .options import LoadOptions, as_file_list

__all__ = ["SimulatedLossMap"]


def _check_quantity(quantity):
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity must be one of {', '.join(map(repr, QUANTITIES))}, got {quantity!r}")


class SimulatedLossMap(LossMap):
    """Loss map from collimation tracking outputs.

    Parameters are those of :class:`~lossmaps.lossmap.LossMap`. After one of the
    ``load_data_*`` calls, the fields of the manual exist: ``losses`` (canonical
    table, per metre), ``max_loss``, ``DS_inefficiency``, ``positions`` (twiss with
    shifted/reflected positions), ``collgaps`` (FLUKA), ``coll_summary`` (merged; for
    FLUKA derived from ``fort.208``), ``aperture_losses`` (merged, one row per lost
    particle), ``aperture_binned`` (bins of ``interpolation`` with their type).

    Every loader validates all files before changing the object: a malformed
    file raises :class:`~lossmaps.errors.LossMapFormatError` and leaves the
    previous state untouched.
    """

    def __init__(self, lmtype, **kwargs):
        super().__init__(lmtype, **kwargs)
        self._data = None
        self.positions = None
        self.collgaps = None
        self.coll_summary = None
        self.aperture_losses = None
        self.aperture_binned = None
        self.source = None
        self.n_runs = 0
        self.fort208_lines = None  # number of fort.208 lines read (FLUKA loads)

    @property
    def interpolation(self):
        """Aperture bin width [m] of the loaded data (None before loading)."""
        return None if self._data is None else self._data.interpolation

    @property
    def circumference(self):
        """Ring length [m] used for the loaded positions (None before loading)."""
        return None if self._data is None else self._data.circumference

    @property
    def defaults_applied(self):
        """Documented defaults applied while loading (list of str; empty if none).

        Each was also announced by a :class:`~lossmaps.errors.LossMapsWarning`;
        the store keeps the list in the entry's ``info``.
        """
        return [] if self._data is None else list(self._data.defaults_applied)

    @property
    def quantity(self):
        """``'counts'`` or ``'energy'``: what ``losses`` measures (None before loading)."""
        return None if self._data is None else self._data.quantity

    def _machine_circumference(self):
        definition = self.machine_definition
        return None if definition is None else definition.circumference

    def _warm_regions(self):
        definition = self.machine_definition
        return None if definition is None else definition.warm_regions

    def _machine_changed(self):
        # The manual allows setting the machine after loading: the cold/warm
        # split of the aperture bins follows the new machine's warm regions.
        data = getattr(self, "_data", None)
        if data is not None:
            table, self.aperture_binned = self._tables(data)
            self._set_losses(table)

    def _tables(self, data):
        """Canonical ``losses`` and typed ``aperture_binned`` of ``data`` for this machine."""
        types = classify_aperture(data.aperture["s"], self._warm_regions())
        return data.losses_table(types), data.aperture.assign(losses_type=types)

    def _install(self, fields, options, source, n_runs):
        """Assign the loaded fields in one go (nothing is modified before this point)."""
        data = fields["data"]
        if options.append and self._data is not None:
            data = self._data.merge(data)
            source = self.source if self.source == source else f"{self.source} + {source}"
            n_runs = self.n_runs + n_runs
        table, binned = self._tables(data)  # computed before anything is assigned
        self._data = data
        for name in ("positions", "collgaps", "coll_summary", "aperture_losses"):
            new, old = fields[name], getattr(self, name)
            if options.append and old is not None:
                # the layout (positions) stays that of the first load, in whose
                # coordinate the plot is drawn; the file tables are concatenated
                new = old if new is None or name == "positions" else pd.concat(
                    [old, new], ignore_index=True)
            setattr(self, name, new)
        self.aperture_binned = binned
        self.source = source
        self.n_runs = n_runs
        self._set_losses(table)

    def load_data_K2(self, posfile, aperfiles, collfiles, cycle_aperture_from=None,
                     cycle_positions_from=None, backwards=False, interpolation=0.1, append=False):
        """Load SixTrack K2 runs (any number, no pre-processing).

        Parameters
        ----------
        posfile : path
            MAD-X TFS twiss with the collimator positions (``NAME``, ``S``, ``L``).
        aperfiles : list of path
            ``aperture_losses.dat`` of every run (may be empty).
        collfiles : list of path
            ``coll_summary.dat`` of every run.
        cycle_aperture_from, cycle_positions_from, backwards, interpolation, append
            See :class:`~lossmaps.simulated.options.LoadOptions`.
        """
        options = LoadOptions(cycle_aperture_from, cycle_positions_from, backwards,
                              interpolation, append)
        aperfiles = as_file_list("aperfiles", aperfiles, allow_empty=True)
        collfiles = as_file_list("collfiles", collfiles)
        fields = load_k2(posfile, aperfiles, collfiles, options, self._machine_circumference())
        self._install(fields, options, "SixTrack K2", len(collfiles))

    def load_data_FLUKA(self, collgaps, posfile, aperfiles, fort208files, cycle_aperture_from=None,
                        cycle_positions_from=None, backwards=False, interpolation=0.1, append=False,
                        quantity="energy"):
        """Load SixTrack-FLUKA runs.

        Parameters
        ----------
        collgaps : path
            ``collgaps.dat`` linking the ``fort.208`` collimator IDs to names and lengths.
        posfile, aperfiles : see :meth:`load_data_K2`
            ``aperture_losses.dat`` in the FLUKA layout carry particle weights.
        fort208files : list of path
            ``fort.208`` of every run.
        quantity : {'energy', 'counts'}, default 'energy'
            ``losses`` in GeV/m (collimator energy, aperture ``P_tot x weight``) or in
            particles/m (nucleons, weights).
        """
        _check_quantity(quantity)
        options = LoadOptions(cycle_aperture_from, cycle_positions_from, backwards,
                              interpolation, append)
        aperfiles = as_file_list("aperfiles", aperfiles, allow_empty=True)
        fort208files = as_file_list("fort208files", fort208files)
        fields = load_fluka(collgaps, posfile, aperfiles, fort208files, options, quantity,
                            self._machine_circumference())
        fort208_lines = fields.pop("fort208_lines")
        self._install(fields, options, "SixTrack-FLUKA", len(fort208files))
        previous = (self.fort208_lines or 0) if options.append else 0
        self.fort208_lines = fort208_lines + previous

    def load_data_json(self, json_files, posfile=None, cycle_positions_from=None, backwards=False,
                       append=False, quantity="counts"):
        """Load xcoll loss-map JSON files (one per job), summing them.

        Parameters
        ----------
        json_files : list of path
        posfile : path, optional
            Twiss for ``positions`` (layout strip of the plot); positions of the
            losses come from the JSON files.
        cycle_positions_from : see :meth:`load_data_K2` (applies to ``posfile``)
        backwards : bool, default False
            Beam 2 tracked in its own direction: reflect ``posfile`` and the loss
            positions of the files not marked ``reversed`` (those xcoll has
            reflected already), ``s -> C - s``.
        append : bool
        quantity : {'counts', 'energy'}, default 'counts'
        """
        _check_quantity(quantity)
        options = LoadOptions(None, cycle_positions_from, backwards, 0.1, append)
        json_files = as_file_list("json_files", json_files)
        fields = load_json(json_files, options, quantity, posfile, self._machine_circumference())
        self._install(fields, options, "xcoll", len(json_files))

    def load_data_xtrack(self, line, particles, cycle_positions_from=None, backwards=False,
                         interpolation=0.1, append=False, quantity="counts"):
        """Load the losses of particles tracked with xtrack through black-absorber collimators.

        Parameters
        ----------
        line : xtrack.Line
            The line the particles were tracked with, its collimators installed by
            ``xtrack.collimation.install_black_absorbers`` (they are read from
            ``line.metadata['black_absorbers']``); its layout becomes ``positions``.
        particles : xtrack.Particles
            After tracking. Lost particles (``state <= 0``) at a collimator's
            ``<name>_entry``/``<name>_exit`` count for that collimator; the others
            are aperture losses at their ``s`` (refined by
            ``xtrack.LossLocationRefinement`` if it was run).
        cycle_positions_from : str, optional
            Element of the line placed at s = 0 of the plot (e.g. ``'ip1'`` for the
            LHC, whose machine definition is in the IP1 coordinate); default the
            line's start.
        backwards, interpolation, append
            See :class:`~lossmaps.simulated.options.LoadOptions`.
        quantity : {'counts', 'energy'}, default 'counts'
            ``losses`` in particles/m (weights) or GeV/m (total energy x weight).

        Raises
        ------
        LossMapsError
            If the line has no black absorbers, or a particle was lost at an
            element index outside the line.
        """
        _check_quantity(quantity)
        options = LoadOptions(None, cycle_positions_from, backwards, interpolation, append)
        fields = load_xtrack(line, particles, options, quantity)
        self._install(fields, options, "xtrack", 1)
