"""Options shared by the simulated-data loaders, validated in one place."""

import dataclasses
import numbers
import os

__all__ = ["LoadOptions", "as_file_list"]


@dataclasses.dataclass(frozen=True)
class LoadOptions:
    """Options of ``SimulatedLossMap.load_data_*`` (names of the user manual).

    Parameters
    ----------
    cycle_aperture_from : str or None
        Element at whose upstream face tracking started; aperture-loss positions
        ``slos`` are shifted by its entry position: ``s = (slos + S - L) mod C``.
    cycle_positions_from : str or None
        Element of the twiss file to use as s = 0: ``S_new = (S - S[name]) mod C``.
    backwards : bool
        Reflect all positions, ``s -> C - s`` (beam 2 tracked in its own direction).
    interpolation : float [m]
        Aperture-loss resolution = bin width.
    append : bool
        Add to the data loaded before instead of replacing it.
    """

    cycle_aperture_from: str | None = None
    cycle_positions_from: str | None = None
    backwards: bool = False
    interpolation: float = 0.1
    append: bool = False

    def __post_init__(self):
        for name in ("cycle_aperture_from", "cycle_positions_from"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, str) and value.strip()):
                raise TypeError(f"{name} must be an element name (str) or None, got {value!r}")
        for name in ("backwards", "append"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False, got {getattr(self, name)!r}")
        value = self.interpolation
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
            raise ValueError(f"interpolation must be a positive bin width in m, got {value!r}")


def as_file_list(name, files, allow_empty=False):
    """Normalise ``files`` (one path or an iterable of paths) to a list of paths.

    Raises
    ------
    TypeError
        If ``files`` is not a path or an iterable of paths.
    ValueError
        If the list is empty and ``allow_empty`` is False.
    """
    if isinstance(files, (str, os.PathLike)):
        files = [files]
    try:
        files = list(files)
    except TypeError:
        raise TypeError(f"{name} must be a path or a list of paths, got {type(files).__name__}") from None
    for f in files:
        if not isinstance(f, (str, os.PathLike)):
            raise TypeError(f"{name} must contain paths, got {f!r}")
    if not files and not allow_empty:
        raise ValueError(f"{name} is empty; give at least one file (check the glob pattern)")
    return files
