"""`Line.configure_intrabeam_scattering`: switch on the IBS kick element of a line."""

from .analytical_kick import IBSAnalyticalKick
from .kick_base import IBSKick

__all__ = ["configure_intrabeam_scattering"]


def configure_intrabeam_scattering(line, element=None, update_every=None, **kwargs):
    """Configure the IBS kick element of `line` for tracking (optionally inserting it first).

    Parameters
    ----------
    line : xtrack.Line
        The line holding (or to hold) the IBS kick element.
    element : IBSAnalyticalKick or IBSKineticKick, optional
        Inserted first with ``line.insert_element(element=element, **kwargs)``
        (e.g. ``name=..., index=...`` or ``at_s=...``).
    update_every : int
        Turns between recomputations of the kick coefficients (computed at the
        first turn of tracking, then every `update_every` turns).
    **kwargs
        Passed to ``line.insert_element`` (required when `element` is given).

    Raises
    ------
    AssertionError
        `update_every` is not a positive integer; the line does not hold
        exactly one IBS kick; an IBSAnalyticalKick in a line below transition.
    """
    assert update_every is not None and not isinstance(update_every, bool) \
        and int(update_every) == update_every and int(update_every) > 0, \
        f"update_every must be a positive integer (turns), got {update_every!r}."
    if element is not None:
        assert isinstance(element, IBSKick), \
            f"element must be an IBSAnalyticalKick or IBSKineticKick, got {type(element).__name__}."
        assert kwargs, ("keyword arguments for line.insert_element (name=..., index=... or "
                        "at_s=...) are required when an element is given.")
        line.insert_element(element=element, **kwargs)
    names = [n for n in line.element_names if isinstance(line.element_dict[n], IBSKick)]
    assert len(names) == 1, (f"the line must hold exactly one IBS kick element, found {len(names)}"
                             + (f": {names}" if names else "") + ".")
    name = names[0]
    kick = line.element_dict[name]
    kick._scale_strength = 0.0  # the optics are taken with the kick off
    twiss = line.twiss(method="4d")
    if isinstance(kick, IBSAnalyticalKick):
        assert float(twiss.slip_factor) > 0, (
            f"IBSAnalyticalKick only heats and is valid above transition; this line is below "
            f"transition (slip factor {float(twiss.slip_factor):.4g}): use IBSKineticKick.")
    kick._configure(twiss, element_index=line.element_names.index(name), update_every=update_every)
