"""MAD-X apertures (``apertype``, ``aperture``, ``aper_offset``, ``aper_tilt``,
``aper_vx``/``aper_vy``) as xtrack Limit elements.

MAD-X user's guide, "Aperture": the default ``apertype`` is circle;
``aperture`` holds, per type,

==============  ==========================  ==============================
apertype        aperture                    xtrack
==============  ==========================  ==============================
circle          {r}                         LimitEllipse(a=r, b=r)
ellipse         {a, b}                      LimitEllipse(a, b)
rectangle       {a, b} (half widths)        LimitRect(+-a, +-b)
rectellipse     {a, b, c, d}                LimitRectEllipse(a, b, c, d)
lhcscreen       {a, b, r}                   LimitRectEllipse(a, b, r, r)
racetrack       {a, b, c, d}                LimitRacetrack(+-a, +-b, c, d)
octagon         {a, b, t1, t2}              LimitPolygon (8 vertices)
polygon         aper_vx, aper_vy            LimitPolygon
==============  ==========================  ==============================

``aper_offset = {dx, dy}`` shifts the aperture, ``aper_tilt`` rotates it.
An aperture of zeros (MAD-X's default) makes no element. Values are taken
at load time (apertures are not knobs).
"""

import math

from xdeps.refs import value_of

__all__ = ["aperture_element"]


def _floats(x):
    if x is None:
        return []
    if not isinstance(x, (list, tuple)):
        x = [x]
    return [float(value_of(v)) for v in x]


def _octagon(a, b, t1, t2):
    """Vertices of a MAD-X octagon: half widths a, b and the corner angles t1, t2 [rad]."""
    ya = a * math.tan(t1)
    xb = b / math.tan(t2)
    x = [a, xb, -xb, -a, -a, -xb, xb, a]
    y = [ya, b, b, ya, -ya, -b, -b, -ya]
    return x, y


def aperture_element(params):
    """(class name, kwargs) of the aperture of an element, or None if it has none.

    Parameters
    ----------
    params : dict
        Effective MAD-X attributes of the element.
    """
    vx = _floats(params.get("aper_vx"))
    vy = _floats(params.get("aper_vy"))
    polygon = len(vx) >= 3 and len(vx) == len(vy)
    aperture = _floats(params.get("aperture"))
    if not polygon and not any(aperture):
        return None
    apertype = str(params.get("apertype", "circle") or "circle").lower().strip("\"'")
    ap = aperture + [0.0] * (4 - len(aperture))
    if polygon:
        cls, kwargs = "LimitPolygon", {"x_vertices": vx, "y_vertices": vy}
    elif apertype == "circle":
        cls, kwargs = "LimitEllipse", {"a": ap[0], "b": ap[0]}
    elif apertype == "ellipse":
        cls, kwargs = "LimitEllipse", {"a": ap[0], "b": ap[1]}
    elif apertype == "rectangle":
        cls, kwargs = "LimitRect", {"min_x": -ap[0], "max_x": ap[0], "min_y": -ap[1], "max_y": ap[1]}
    elif apertype == "rectellipse":
        cls, kwargs = "LimitRectEllipse", {"max_x": ap[0], "max_y": ap[1], "a": ap[2], "b": ap[3]}
    elif apertype == "lhcscreen":
        cls, kwargs = "LimitRectEllipse", {"max_x": ap[0], "max_y": ap[1], "a": ap[2], "b": ap[2]}
    elif apertype == "racetrack":
        cls, kwargs = "LimitRacetrack", {"min_x": -ap[0], "max_x": ap[0], "min_y": -ap[1],
                                          "max_y": ap[1], "a": ap[2], "b": ap[3]}
    elif apertype == "octagon":
        x, y = _octagon(*ap[:4])
        cls, kwargs = "LimitPolygon", {"x_vertices": x, "y_vertices": y}
    else:
        raise ValueError(f"apertype {apertype!r} is not supported; allowed: circle, ellipse, "
                         "rectangle, rectellipse, lhcscreen, racetrack, octagon, polygon "
                         "(aper_vx/aper_vy).")
    offset = _floats(params.get("aper_offset"))
    if offset and any(offset):
        kwargs["shift_x"] = offset[0]
        kwargs["shift_y"] = offset[1] if len(offset) > 1 else 0.0
    tilt = float(value_of(params.get("aper_tilt", 0.0)) or 0.0)
    if tilt:
        kwargs["rot_s_rad"] = tilt
    return cls, kwargs
