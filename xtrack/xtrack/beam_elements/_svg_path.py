"""Polygon vertices from an SVG path (the `svg` option of LimitPolygon).

Path syntax of the W3C SVG 1.1 specification, section 8.3 (commands M, L,
H, V, C, S, Q, T, A, Z, absolute and relative, implicit repetition, packed
arc flags). Straight segments contribute their end points; each curve
(Bezier or elliptical arc, arc centre from the endpoint parametrisation of
SVG 1.1 appendix F.6.5) contributes the points at parameter t = 0.1, 0.2,
..., 0.8 and its end point. Coordinates are scaled by `scale` [m per unit,
default 1e-3: the path is in mm] and y is flipped (SVG y points down). A
last vertex equal to the first (closed path) is dropped.
"""

import re

import numpy as np

__all__ = ["polygon_from_svg_path"]

_TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_N_ARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
_T_SAMPLES = np.arange(1, 9) / 10.0


def _tokens(path):
    """Command letters and numbers; arc flags may be packed ('016' = 0, 1, 6)."""
    out = []
    raw = _TOKEN.findall(path)
    if not raw:
        raise ValueError(f"LimitPolygon: svg path has no commands: {path!r}.")
    # inside arc arguments the two flags are single digits
    cmd, count = None, 0
    for tok in raw:
        if tok.isalpha():
            cmd, count = tok, 0
            out.append(tok)
            continue
        if cmd is not None and cmd in "Aa":
            while tok:
                slot = count % 7
                if slot in (3, 4):  # a flag: one character 0 or 1
                    if tok[0] not in "01":
                        raise ValueError(f"LimitPolygon: bad arc flag {tok!r} in svg path.")
                    out.append(tok[0])
                    tok = tok[1:]
                else:
                    out.append(tok)
                    tok = ""
                count += 1
            continue
        out.append(tok)
        count += 1
    return out


def _arc_points(p0, rx, ry, phi_deg, large, sweep, p1):
    """Points of an SVG elliptical arc (SVG 1.1 appendix F.6.5)."""
    if rx == 0 or ry == 0 or np.allclose(p0, p1):
        return [p1]
    rx, ry = abs(rx), abs(ry)
    phi = np.radians(phi_deg)
    c, s = np.cos(phi), np.sin(phi)
    dx, dy = (p0[0] - p1[0]) / 2, (p0[1] - p1[1]) / 2
    x1, y1 = c * dx + s * dy, -s * dx + c * dy
    lam = (x1 / rx) ** 2 + (y1 / ry) ** 2
    if lam > 1:
        rx, ry = rx * np.sqrt(lam), ry * np.sqrt(lam)
    num = rx * rx * ry * ry - rx * rx * y1 * y1 - ry * ry * x1 * x1
    den = rx * rx * y1 * y1 + ry * ry * x1 * x1
    coef = np.sqrt(max(num / den, 0.0)) * (-1 if large == sweep else 1)
    cx1, cy1 = coef * rx * y1 / ry, -coef * ry * x1 / rx
    cx = c * cx1 - s * cy1 + (p0[0] + p1[0]) / 2
    cy = s * cx1 + c * cy1 + (p0[1] + p1[1]) / 2

    def angle(ux, uy, vx, vy):
        return np.arctan2(ux * vy - uy * vx, ux * vx + uy * vy)

    th1 = angle(1, 0, (x1 - cx1) / rx, (y1 - cy1) / ry)
    dth = angle((x1 - cx1) / rx, (y1 - cy1) / ry, (-x1 - cx1) / rx, (-y1 - cy1) / ry)
    if not sweep and dth > 0:
        dth -= 2 * np.pi
    elif sweep and dth < 0:
        dth += 2 * np.pi
    th = th1 + _T_SAMPLES * dth
    pts = [(c * rx * np.cos(t) - s * ry * np.sin(t) + cx, s * rx * np.cos(t) + c * ry * np.sin(t) + cy)
           for t in th]
    return pts + [p1]


def _bezier_points(ctrl):
    ctrl = np.array(ctrl, dtype=float)
    n = len(ctrl) - 1
    from math import comb

    pts = []
    for t in _T_SAMPLES:
        w = np.array([comb(n, k) * (1 - t) ** (n - k) * t ** k for k in range(n + 1)])
        pts.append(tuple(w @ ctrl))
    return pts + [tuple(ctrl[-1])]


def polygon_from_svg_path(path, scale=1e-3):
    """(x_vertices, y_vertices) [m] of the SVG path `path` (see the module docstring)."""
    toks = _tokens(path)
    pts = []
    cur = np.zeros(2)
    start = np.zeros(2)
    last_ctrl = None  # (command kind, point) for the S/T reflections
    i, cmd = 0, None
    while i < len(toks):
        if toks[i].isalpha():
            cmd = toks[i]
            i += 1
            if cmd in "Zz":
                cur = start.copy()
                last_ctrl = None
                continue
        elif cmd is None:
            raise ValueError(f"LimitPolygon: svg path must start with a command: {path!r}.")
        up = cmd.upper()
        n = _N_ARGS[up]
        args = [float(t) for t in toks[i:i + n]]
        if len(args) < n or any(isinstance(t, str) and t.isalpha() for t in toks[i:i + n]):
            raise ValueError(f"LimitPolygon: svg command {cmd!r} needs {n} numbers.")
        i += n
        rel = cmd.islower()
        off = cur if rel else np.zeros(2)

        def pt(k):
            return np.array(args[k:k + 2]) + off

        if up == "M":
            cur = pt(0)
            start = cur.copy()
            pts.append(tuple(cur))
            cmd = "l" if rel else "L"  # implicit line-to after a move-to
            last_ctrl = None
        elif up == "L":
            cur = pt(0)
            pts.append(tuple(cur))
            last_ctrl = None
        elif up == "H":
            cur = np.array([args[0] + (cur[0] if rel else 0.0), cur[1]])
            pts.append(tuple(cur))
            last_ctrl = None
        elif up == "V":
            cur = np.array([cur[0], args[0] + (cur[1] if rel else 0.0)])
            pts.append(tuple(cur))
            last_ctrl = None
        elif up in "CS":
            if up == "C":
                c1, c2, end = pt(0), pt(2), pt(4)
            else:
                c1 = 2 * cur - last_ctrl[1] if last_ctrl and last_ctrl[0] == "C" else cur.copy()
                c2, end = pt(0), pt(2)
            pts += _bezier_points([cur, c1, c2, end])
            last_ctrl = ("C", c2)
            cur = end
        elif up in "QT":
            if up == "Q":
                c1, end = pt(0), pt(2)
            else:
                c1 = 2 * cur - last_ctrl[1] if last_ctrl and last_ctrl[0] == "Q" else cur.copy()
                end = pt(0)
            pts += _bezier_points([cur, c1, end])
            last_ctrl = ("Q", c1)
            cur = end
        elif up == "A":
            end = np.array(args[5:7]) + off
            pts += _arc_points(cur, args[0], args[1], args[2], int(args[3]), int(args[4]), end)
            cur = end
            last_ctrl = None
    xy = np.array(pts, dtype=float)
    if len(xy) > 1 and np.allclose(xy[0], xy[-1], rtol=0, atol=1e-12 * max(1.0, np.abs(xy).max())):
        xy = xy[:-1]
    return xy[:, 0] * scale, -xy[:, 1] * scale
