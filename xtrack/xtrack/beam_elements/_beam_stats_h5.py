"""HDF5 output of BeamStatsMonitor (optional: needs h5py)."""


def _h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError("BeamStatsMonitor: output_file / save_to_file need the h5py package "
                          "(pip install h5py).") from None
    return h5py


def initialise_file(monitor, filename):
    """Create (or empty) `filename` for the monitor's output."""
    _h5py()
    raise NotImplementedError("BeamStatsMonitor: HDF5 output is not implemented yet.")


def save(monitor, filename=None):
    """Write the monitor's statistics to `filename` (default: its output_file)."""
    _h5py()
    raise NotImplementedError("BeamStatsMonitor: HDF5 output is not implemented yet.")
