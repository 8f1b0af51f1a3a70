"""Automatic caption text of a loss-map figure."""

from ..table import TIME
from ..timeconv import to_local

__all__ = ["make_caption"]

_NORM_TEXT = {
    "coll_max": "normalised to the highest collimator loss",
    "total": "normalised to the total losses",
    "max": "normalised to the highest loss",
    "none": "not normalised",
    "coll_max_per_time": "normalised per acquisition to the highest collimator loss",
    "total_per_time": "normalised per acquisition to the total losses",
    "max_per_time": "normalised per acquisition to the highest loss",
}


def _fmt_sci(value):
    mantissa, exponent = f"{value:.2e}".split("e")
    return rf"{mantissa}$\times10^{{{int(exponent)}}}$"


def make_caption(lossmap, norm, ds_row, roi, losses):
    """One-paragraph caption: what, which machine/beam/energy, normalisation, DS result.

    Parameters
    ----------
    lossmap : LossMap or None
    norm : str
    ds_row : pandas.Series or None
        Row of the maximum DS inefficiency (``s``, ``losses``, ``name``).
    roi : (float, float) or None
    losses : pandas.DataFrame
        The plotted table (for the time stamp of measured data).
    """
    parts = []
    if lossmap is not None:
        machine = lossmap.machine.name if lossmap.machine is not None else "Ring"
        kind = "measured" if TIME in losses.columns else "simulated"
        head = f"{machine} {lossmap.lmtype.value} loss map ({kind}"
        source = getattr(lossmap, "source", None)
        if isinstance(source, str) and ("/" in source or "\\" in source):
            source = source.replace("\\", "/").rsplit("/", 1)[-1]  # file name, not the path
        if source:
            n_runs = getattr(lossmap, "n_runs", 0)
            head += f", {source}" + (f", {n_runs} run{'s' if n_runs != 1 else ''}" if n_runs else "")
        parts.append(head + ")")
        beam = []
        if lossmap.energy is not None:
            beam.append(f"{lossmap.energy / 1000:g} TeV" if lossmap.energy >= 1000 else
                        f"{lossmap.energy:g} GeV")
        if lossmap.particle is not None:
            beam.append(lossmap.particle.name.lower().replace("_", " "))
        if lossmap.betastar is not None:
            beam.append(rf"$\beta^*$ = {lossmap.betastar:g} cm")
        if lossmap.beam_process is not None:
            beam.append(lossmap.beam_process.name.lower().replace("_", " "))
        if beam:
            parts.append(", ".join(beam))
    else:
        parts.append("Loss map")
    if TIME in losses.columns and len(losses):
        # local CERN time, like every time handed to the user (lossmaps-formats §5.4)
        parts.append(f"acquisition {to_local(losses[TIME].iloc[0])}")
    parts.append(_NORM_TEXT.get(norm, f"normalisation {norm}"))
    if ds_row is not None and roi is not None:
        unit = "" if TIME in losses.columns else " m$^{-1}$"
        parts.append(
            rf"DS inefficiency $\eta_{{DS}}$ = {_fmt_sci(ds_row['losses'])}{unit} at "
            f"s = {ds_row['s']:.1f} m (region {roi[0]:.0f}-{roi[1]:.0f} m)"
        )
    text = "; ".join(parts) + "."
    if lossmap is not None and lossmap.description:
        text += " " + lossmap.description
    return text
