"""MAD-X element classes mapped to xtrack elements.

Each builtin MAD-X class (MAD-X user's guide, "Element types") maps to one
xtrack class, and its attributes to element fields, keeping expressions:

============================  ===========================================
MAD-X                         xtrack
============================  ===========================================
drift                         Drift(length=l)
marker                        Marker
sbend                         Bend(length=l, angle, k0, k1, k2, e1/e2 ->
                              edge angles, fint/fintx, hgap)
rbend                         RBend(length_straight=l, ...), l is the chord
quadrupole/sextupole/octupole Quadrupole(k1, k1s) / Sextupole / Octupole
multipole                     Multipole(knl, ksl, length=lrad, hxl = angle or
                              knl[0]), thin
hkicker/vkicker/(t)kicker     Multipole(knl[0] = -hkick, ksl[0] = vkick),
                              ``isthick`` when ``l`` is given
rfcavity                      Cavity(voltage = volt 1e6, frequency = freq
                              1e6, harmonic = harmon, phase = 2 pi lag)
crabcavity                    CrabCavity
solenoid                      UniformSolenoid(length=l, ks)
monitors, instrument, ...     Device(length=l)
srotation/xrotation/yrotation Rotation(rot_s_rad / rot_x_rad / rot_y_rad = angle)
translation                   Translation(shift_x=dx, shift_y=dy, shift_s=ds)
dipedge                       DipoleEdge
============================  ===========================================

Signs: a MAD-X ``hkick`` > 0 increases px, while a positive ``knl[0]``
decreases it, hence ``knl[0] = -hkick``. ``tilt`` becomes ``rot_s_rad``.
Attributes without a tracking meaning (``slot_id``, ``calib``,
``polarity``, ...) go to the element's ``extra`` dict.
"""

import math

from xdeps.refs import value_of

from .. import beam_elements as be

__all__ = ["BUILTIN_CLASSES", "build_element", "element_length"]

_DEVICE = "Device"
#: MAD-X builtin class -> xtrack class name.
BUILTIN_CLASSES = {
    "drift": "Drift", "marker": "Marker", "sbend": "Bend", "rbend": "RBend",
    "quadrupole": "Quadrupole", "sextupole": "Sextupole", "octupole": "Octupole",
    "multipole": "Multipole", "hkicker": "Multipole", "vkicker": "Multipole",
    "kicker": "Multipole", "tkicker": "Multipole", "rfcavity": "Cavity",
    "crabcavity": "CrabCavity", "solenoid": "UniformSolenoid", "monitor": _DEVICE,
    "hmonitor": _DEVICE, "vmonitor": _DEVICE, "imonitor": _DEVICE, "instrument": _DEVICE,
    "placeholder": _DEVICE, "collimator": _DEVICE, "ecollimator": _DEVICE,
    "rcollimator": _DEVICE, "wire": "Wire", "srotation": "Rotation",
    "xrotation": "Rotation", "yrotation": "Rotation", "translation": "Translation",
    "dipedge": "DipoleEdge", "elseparator": _DEVICE, "beambeam": "Marker",
    "changeref": "Marker", "matrix": "FirstOrderTaylorMap", "twcavity": _DEVICE,
    "rfmultipole": "RFMultipole", "nllens": "NonLinearLens", "hacdipole": "Multipole",
    "vacdipole": "Multipole",
}

_MAGNET_ORDER = 5  # knl/ksl of magnets and multipoles have at least 6 entries

# Attributes that are placement, aperture or bookkeeping, never fields or extras.
_NOT_EXTRA = {"at", "from", "refer", "refpos", "apertype", "aperture", "aper_offset", "type",
              "thick", "mad8_type", "comments", "add_angle", "model", "method", "nst", "exact",
              "kill_ent_fringe", "kill_exi_fringe", "fringe", "bend_fringe", "lrad", "l", "tilt",
              "aper_vx", "aper_vy", "slice", "aperture_file", "_order"}

# Attributes used by each builtin class (besides l, tilt and the above).
_USED = {
    "drift": set(), "marker": set(),
    "sbend": {"angle", "k0", "k1", "k1s", "k2", "k2s", "e1", "e2", "fint", "fintx", "hgap", "h1", "h2",
              "knl", "ksl", "k0s", "k3"},
    "quadrupole": {"k1", "k1s", "knl", "ksl", "k2"},
    "rbend": {"angle", "k0", "k1", "k1s", "k2", "k2s", "e1", "e2", "fint", "fintx", "hgap", "h1", "h2",
              "knl", "ksl", "k0s", "k3"},
    "sextupole": {"k2", "k2s", "knl", "ksl"},
    "octupole": {"k3", "k3s", "knl", "ksl"},
    "multipole": {"knl", "ksl", "angle", "lrad"},
    "hkicker": {"kick", "lrad", "sinkick", "sintune", "sinpeak", "sinphase"},
    "vkicker": {"kick", "lrad", "sinkick", "sintune", "sinpeak", "sinphase"},
    "kicker": {"hkick", "vkick", "lrad", "sinkick", "sintune", "sinpeak", "sinphase"},
    "tkicker": {"hkick", "vkick", "lrad", "sinkick", "sintune", "sinpeak", "sinphase"},
    "rfcavity": {"volt", "lag", "freq", "harmon", "n_bessel", "no_cavity_totalpath", "lag_taper"},
    "crabcavity": {"volt", "lag", "freq", "harmon", "rv1", "rv2", "rv3", "rv4", "rph1", "rph2",
                   "lagf", "n_bessel", "totalpath"},
    "solenoid": {"ks", "ksi"},
    "srotation": {"angle"}, "xrotation": {"angle"}, "yrotation": {"angle"},
    "translation": {"dx", "dy", "ds"},
    "dipedge": {"h", "e1", "fint", "hgap", "tilt"},
    "rfmultipole": {"volt", "lag", "freq", "harmon", "knl", "ksl", "pnl", "psl"},
    "wire": {"current", "l_phy", "l_int", "xma", "yma"},
    "matrix": {f"kick{i}" for i in range(1, 7)} | {f"rm{i}{j}" for i in range(1, 7) for j in range(1, 7)},
}


def _is_expr(x):
    return hasattr(x, "_get_value")


def _num(x):
    return float(value_of(x))


class _Fields:
    """Values and expressions of one xtrack element being built."""

    def __init__(self):
        self.values = {}
        self.exprs = []  # (attr, key or None, expr)

    def set(self, attr, x):
        if x is None:
            return
        self.values[attr] = _num(x)
        if _is_expr(x):
            self.exprs.append((attr, None, x))

    def set_list(self, attr, items, min_len=0):
        items = list(items) + [0.0] * max(0, min_len - len(items))
        self.values[attr] = [_num(x) for x in items]
        for ii, x in enumerate(items):
            if _is_expr(x):
                self.exprs.append((attr, ii, x))


def _as_list(x):
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def _sinc(x, vars_ref, f_ref):
    if _is_expr(x):
        return f_ref.sinc(x)
    x = float(x)
    return math.sin(x) / x if x != 0 else 1.0


def element_length(base, params):
    """Length [m] the element takes in the sequence (arc length for rbend)."""
    length = _num(params.get("l", 0.0)) if base not in ("multipole", "marker", "srotation",
                                                          "xrotation", "yrotation",
                                                          "translation", "dipedge",
                                                          "beambeam", "changeref") else 0.0
    if base == "rbend" and length:
        angle = _num(params.get("angle", 0.0))
        if angle:
            length = length / (math.sin(angle / 2) / (angle / 2))
    return length


def build_element(base, params, refs, rbend_correct_k0=True):
    """(xtrack class, field values, expressions, extra) of a MAD-X element.

    Parameters
    ----------
    base : str
        The builtin MAD-X class at the root of the element's class chain.
    params : dict
        Effective MAD-X attributes (numbers, xdeps expressions, strings, lists).
    refs : (vars_ref, f_ref)
        References to the variables and functions (for pi and sinc).
    """
    vars_ref, f_ref = refs
    p = params.get
    out = _Fields()
    cls_name = BUILTIN_CLASSES[base]
    length = p("l")
    tilt = p("tilt")

    if base == "drift":
        out.set("length", length)
    elif base in ("sbend", "rbend"):
        angle = p("angle", 0.0)
        if base == "sbend":
            out.set("length", length)
        else:
            out.set("length_straight", length)
            out.values.setdefault("angle", 0.0)
        out.set("angle", angle)
        k0 = p("k0")
        if k0 is not None:
            l_arc = length if length is not None else 0.0
            if base == "rbend" and length is not None:
                l_arc = length / _sinc(angle / 2 if _is_expr(angle) else _num(angle) / 2, vars_ref, f_ref)
            fdown = 0.5 * (k0 * l_arc - angle)
            if base == "rbend" and rbend_correct_k0:
                # MAD-X rbend k0 refers to the chord; the field on the arc is k0 sinc(angle/2)
                k0 = k0 * _sinc(angle / 2 if _is_expr(angle) else _num(angle) / 2, vars_ref, f_ref)
            out.set("k0", k0)
            out.values["k0_from_h"] = 0
            out.set("edge_entry_angle_fdown", fdown)
            out.set("edge_exit_angle_fdown", fdown)
        for key in ("k1", "k1s", "k2", "k2s"):
            if p(key) is not None and key != "k1s" and key != "k2s":
                out.set(key, p(key))
        out.set("edge_entry_angle", p("e1"))
        out.set("edge_exit_angle", p("e2"))
        fint = p("fint")
        fintx = p("fintx")
        out.set("edge_entry_fint", fint)
        if fintx is not None and not (not _is_expr(fintx) and _num(fintx) < 0):
            out.set("edge_exit_fint", fintx)
        else:
            out.set("edge_exit_fint", fint)
        out.set("edge_entry_hgap", p("hgap"))
        out.set("edge_exit_hgap", p("hgap"))
        if p("kill_ent_fringe"):
            out.values["edge_entry_active"] = 0
        if p("kill_exi_fringe"):
            out.values["edge_exit_active"] = 0
        _set_knl(out, params, min_len=_MAGNET_ORDER + 1)
        out.values["order"] = _MAGNET_ORDER
    elif base in ("quadrupole", "sextupole", "octupole"):
        out.set("length", length)
        keys = {"quadrupole": ("k1", "k1s"), "sextupole": ("k2", "k2s"), "octupole": ("k3", "k3s")}[base]
        for key in keys:
            out.set(key, p(key))
        _set_knl(out, params, min_len=_MAGNET_ORDER + 1)
        out.values["order"] = _MAGNET_ORDER
        if p("kill_ent_fringe") is False or p("fringe"):
            pass
    elif base == "multipole":
        if length is not None:
            # an explicit l (even 0) makes a thick multipole; lrad only a length
            out.values["isthick"] = True
            out.set("length", length)
        else:
            out.set("length", p("lrad"))
        # "_order" (cpymad route): the multipole's own order, as MAD-X reports its knl/ksl
        order = p("_order")
        _set_knl(out, params, min_len=(_MAGNET_ORDER if order is None else order) + 1, always=True)
        out.values["order"] = len(out.values["knl"]) - 1
        # MAD-X: the reference orbit follows knl[0] unless a non-zero angle is given
        # (a multipole with knl={0.01} alone has no closed-orbit kick; with angle=0.005
        # the orbit sees knl[0] - angle)
        angle = p("angle")
        knl = _as_list(p("knl"))
        if angle is not None and (_is_expr(angle) or _num(angle) != 0):
            out.set("hxl", angle)
        elif knl:
            out.set("hxl", knl[0])
    elif base in ("hkicker", "vkicker", "kicker", "tkicker", "hacdipole", "vacdipole"):
        if length is not None:
            out.values["isthick"] = True
            out.set("length", length)
        elif p("lrad") is not None:
            out.set("length", p("lrad"))
        if base in ("hkicker", "hacdipole"):
            hkick, vkick = p("kick"), None
        elif base in ("vkicker", "vacdipole"):
            hkick, vkick = None, p("kick")
        else:
            hkick, vkick = p("hkick"), p("vkick")
        out.set_list("knl", [-hkick if hkick is not None else 0.0])
        out.set_list("ksl", [vkick if vkick is not None else 0.0])
        if hkick is None:
            out.exprs = [e for e in out.exprs if e[0] != "knl"]
    elif base in ("rfcavity", "crabcavity"):
        out.set("length", length)
        volt = p("volt")
        if volt is not None:
            out.set("voltage" if base == "rfcavity" else "crab_voltage", volt * 1e6)
        freq = p("freq")
        if freq is not None:
            out.set("frequency", freq * 1e6)
        if base == "rfcavity" and p("harmon") is not None:
            out.set("harmonic", p("harmon"))
        lag = p("lag")
        if lag is not None:
            if base == "rfcavity":
                out.set("phase", lag * vars_ref["pi"] * 2 if _is_expr(lag) else _num(lag) * 2 * math.pi)
            else:
                out.set("lag", lag * 360)
    elif base == "solenoid":
        out.set("length", length)
        out.set("ks", p("ks"))
        out.values["order"] = _MAGNET_ORDER
    elif base in ("srotation", "xrotation", "yrotation"):
        # MAD-X angle [rad] about s, x or y: the matching Rotation field
        out.set({"srotation": "rot_s_rad", "xrotation": "rot_x_rad", "yrotation": "rot_y_rad"}[base],
                p("angle"))
        tilt = None
    elif base == "translation":
        out.set("shift_x", p("dx"))
        out.set("shift_y", p("dy"))
        out.set("shift_s", p("ds"))
    elif base == "dipedge":
        out.set("k", p("h"))
        out.set("e1", p("e1"))
        out.set("fint", p("fint"))
        out.set("hgap", p("hgap"))
    elif cls_name == _DEVICE:
        out.set("length", length)
    elif base == "wire" and length is not None and _num(length) != 0:
        cls_name = _DEVICE  # xtrack's Wire is thin: a long wire keeps its length as a device
        out.set("length", length)
    elif base == "wire":
        # MAD-X WIRE (thin, a list per wire: the first one is the element's wire)
        for mad_name, field in (("current", "current"), ("l_phy", "L_phy"), ("l_int", "L_int"),
                                ("xma", "xma"), ("yma", "yma")):
            value = p(mad_name)
            out.set(field, value[0] if isinstance(value, list) and value else
                    (None if isinstance(value, list) else value))
        tilt = None
    elif base == "matrix":
        # MAD-X MATRIX: z -> KICK + RM z on (x, px, y, py, t, pt); the RM entries not
        # given keep the unit matrix (a matrix element is a drift until told otherwise)
        out.set("length", length)
        out.set_list("m0", [p(f"kick{i}", 0.0) for i in range(1, 7)])
        m1 = [[p(f"rm{i}{j}", 1.0 if i == j else 0.0) for j in range(1, 7)] for i in range(1, 7)]
        out.values["m1"] = [[_num(x) for x in row] for row in m1]
        out.exprs += [("m1", (i, j), x) for i, row in enumerate(m1) for j, x in enumerate(row)
                      if _is_expr(x)]
        tilt = None
    elif base == "rfmultipole":
        out.set("voltage", p("volt") * 1e6 if p("volt") is not None else None)
        out.set("frequency", p("freq") * 1e6 if p("freq") is not None else None)
        _set_knl(out, params, min_len=_MAGNET_ORDER + 1, always=True)
    if tilt is not None and base not in ("drift", "marker") and cls_name not in (_DEVICE, "Marker", "DipoleEdge"):
        out.set("rot_s_rad", tilt)

    extra = {}
    used = _USED.get(base, set())
    for key, value in params.items():
        if key in used or key in _NOT_EXTRA or isinstance(value, str) or isinstance(value, bool):
            continue
        extra[key] = value
    return cls_name, out, extra


def _set_knl(out, params, min_len=0, always=False):
    knl = _as_list(params.get("knl"))
    ksl = _as_list(params.get("ksl"))
    order = params.get("_order")
    if order is not None:  # the multipole's own order: entries beyond it are zeros
        knl, ksl = knl[:order + 1], ksl[:order + 1]
    if knl or ksl or always:
        n = max(len(knl), len(ksl), min_len)
        out.set_list("knl", knl, n)
        out.set_list("ksl", ksl, n)


def element_class(cls_name):
    return getattr(be, cls_name)
