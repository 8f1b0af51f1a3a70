"""`Line.to_madx_sequence`: MAD-X text of a line (variables, elements, sequence).

Knobs stay knobs: a variable or element attribute driven by an xdeps
expression is written as a MAD-X deferred expression (``:=``), the xdeps
text (``(vars['a'] * 2.0)``, ``f.sqrt(...)``, ``**``) translated to MAD-X
(``(a * 2.0)``, ``sqrt(...)``, ``^``). Elements are placed at their centre
(``refer = centre``); drifts are left to MAD-X. An RBend is written as the
equivalent sbend (arc length, edge angles plus half the bend angle,
MAD-X user's guide "Bending magnets").
"""

import re

import numpy as np

from .expressions import MADX_CONSTANTS, MADX_DERIVED_CONSTANTS

__all__ = ["to_madx_sequence"]

_VAR = re.compile(r"vars\[['\"]([^'\"]+)['\"]\]")
_FUN = re.compile(r"f\[['\"](\w+)['\"]\]|f\.(\w+)")


def _madx_expr(expr):
    text = repr(expr)
    text = _VAR.sub(lambda m: m.group(1), text)
    text = _FUN.sub(lambda m: m.group(1) or m.group(2), text)
    return text.replace("**", "^")


def _madx_name(name):
    return re.sub(r"[^\w.$]", "__", name)


class _Writer:
    def __init__(self, line):
        self.line = line
        self.vm = getattr(line, "_var_management", None)

    def value(self, name, attr, value, index=None):
        """``= value`` or ``:= expression`` of one element attribute."""
        if self.vm is not None:
            try:
                ref = getattr(self.vm.element_refs[name], attr)
                if index is not None:
                    ref = ref[index]
                expr = ref._expr
            except Exception:
                expr = None
            if expr is not None:
                return ":=", _madx_expr(expr)
        return "=", repr(float(value))

    def attr(self, name, key, attr, value, scale=1.0):
        op, text = self.value(name, attr, value)
        if scale != 1.0:
            text = f"({text}) * {scale!r}" if op == ":=" else repr(float(value) * scale)
        return f"{key}{op}{text}"

    def knl(self, name, attr, values):
        items = []
        deferred = False
        for ii, v in enumerate(values):
            op, text = self.value(name, attr, v, ii)
            deferred |= op == ":="
            items.append(text)
        return f"{attr}{':=' if deferred else '='}{{{', '.join(items)}}}"

    def element(self, name, el):
        cls = type(el).__name__
        a = self.attr
        rot = [a(name, "tilt", "rot_s_rad", el.rot_s_rad)] if getattr(el, "rot_s_rad", 0) else []
        if cls == "Marker":
            return "marker", []
        if cls == "Quadrupole":
            return "quadrupole", [a(name, "l", "length", el.length), a(name, "k1", "k1", el.k1),
                                  a(name, "k1s", "k1s", el.k1s)] + rot
        if cls == "Sextupole":
            return "sextupole", [a(name, "l", "length", el.length), a(name, "k2", "k2", el.k2),
                                 a(name, "k2s", "k2s", el.k2s)] + rot
        if cls == "Octupole":
            return "octupole", [a(name, "l", "length", el.length), a(name, "k3", "k3", el.k3),
                                a(name, "k3s", "k3s", el.k3s)] + rot
        if cls in ("Bend", "RBend"):
            half = 0.5 * float(el.angle) if cls == "RBend" else 0.0
            out = [f"l={float(el.length)!r}", a(name, "angle", "angle", el.angle),
                   a(name, "k1", "k1", el.k1),
                   f"e1={float(el.edge_entry_angle) + half!r}", f"e2={float(el.edge_exit_angle) + half!r}",
                   f"fint={float(el.edge_entry_fint)!r}", f"fintx={float(el.edge_exit_fint)!r}",
                   f"hgap={float(el.edge_entry_hgap)!r}"]
            if not getattr(el, "k0_from_h", True):  # MAD-X: k0 defaults to angle / l
                out.append(a(name, "k0", "k0", el.k0))
            return "sbend", out + rot
        if cls == "Multipole":
            return "multipole", [self.knl(name, "knl", el.knl), self.knl(name, "ksl", el.ksl),
                                 f"lrad={float(el.length)!r}"] + rot
        if cls == "Cavity":
            return "rfcavity", [a(name, "l", "length", getattr(el, "length", 0.0)),
                                a(name, "volt", "voltage", el.voltage, 1e-6),
                                a(name, "freq", "frequency", el.frequency, 1e-6),
                                f"lag={float(getattr(el, 'lag', 0.0)) / 360!r}"]
        if cls == "UniformSolenoid":
            return "solenoid", [a(name, "l", "length", el.length), a(name, "ks", "ks", el.ks)]
        length = float(getattr(el, "length", 0.0) or 0.0)
        if length:
            return "instrument", [f"l={length!r}"]  # crossed as a drift
        return "marker", []


def to_madx_sequence(line, sequence_name, mode="sequence"):
    """MAD-X text defining `line` as sequence `sequence_name`.

    Parameters
    ----------
    line : xtrack.Line
    sequence_name : str
        Name of the MAD-X sequence.
    mode : {'sequence'}
        Only sequence output (elements placed by ``at``) is written.
    """
    if mode != "sequence":
        raise ValueError(f"to_madx_sequence: mode must be 'sequence', got {mode!r}.")
    writer = _Writer(line)
    out = []
    vm = writer.vm
    if vm is not None:
        for name in vm.var_values:
            if (name in MADX_CONSTANTS or name in MADX_DERIVED_CONSTANTS or name.startswith("__")
                    or not re.fullmatch(r"[A-Za-z_][\w.]*", name)):
                continue
            expr = vm.get_expr(name)
            value = vm.var_values[name]
            if expr is not None:
                out.append(f"{name} := {_madx_expr(expr)};")
            elif isinstance(value, (int, float, np.floating)):
                out.append(f"{name} = {float(value)!r};")
    placements = []
    s = 0.0
    defined = set()
    for name in line.element_names:
        el = line.element_dict[name]
        if hasattr(el, "_equivalent_element"):  # a slice: written as the plain element it tracks as
            el = el._equivalent_element(line.element_dict)
        length = float(getattr(el, "length", 0.0) or 0.0) if getattr(el, "isthick", False) else 0.0
        cls = type(el).__name__
        if cls == "Drift" or "$" in name:
            s += length
            continue
        mname = _madx_name(name)
        if mname not in defined:
            mad_cls, attrs = writer.element(name, el)
            out.append(f"{mname}: {mad_cls}" + "".join(f", {x}" for x in attrs) + ";")
            defined.add(mname)
        placements.append(f"{mname}, at={s + 0.5 * length!r};")
        s += length
    out.append(f"{sequence_name}: sequence, l={s!r}, refer=centre;")
    out += ["  " + p for p in placements]
    out.append("endsequence;")
    return "\n".join(out) + "\n"
