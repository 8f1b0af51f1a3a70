"""Survey of a line: position (X, Y, Z) and orientation (theta, phi, psi) of each element.

Conventions are those of MAD-X SURVEY (MAD-X user's guide, chapter
"Survey"): the global frame has Z along the initial direction of motion, X
horizontal and Y vertical; the orientation matrix is W = Theta Phi Psi with
theta the azimuth (rotation about Y), phi the elevation (about X) and psi
the roll (about Z). Element by element

    V_i = W_{i-1} R_i + V_{i-1},      W_i = W_{i-1} S_i,

where, for a bend of arc length L and angle alpha (rho = L / alpha) tilted
by psi_t about s, R = T (rho (cos alpha - 1), 0, rho sin alpha) and
S = T S_y(alpha) T^-1 with S_y(alpha) the rotation by -alpha about Y (a
positive angle bends towards -X) and T the rotation by psi_t about Z. A
straight element has R = (0, 0, L), S = 1; a thin multipole with hxl bends
by hxl with R = 0. Each row gives the frame at the entrance of the element;
the last row (`_end_point`) the frame at the end of the line.
"""

import numpy as np
from xdeps import Table

__all__ = ["SurveyTable", "survey_from_line"]


class SurveyTable(Table):
    """Survey table: columns name, s, X, Y, Z [m], theta, phi, psi [rad], length [m], angle,
    rot_s_rad, and the (n, 3) columns XYZ (position) and ex, ey, ez (unit vectors of the local
    frame x, y, s in the global frame)."""

    def reverse(self, X0=None, Y0=None, Z0=None, theta0=None, phi0=None, psi0=None, element0=None):
        raise NotImplementedError("SurveyTable.reverse: use line.survey(reverse=True).")

    def plot(self, ax=None, projection="ZX", element_width=None, **kwargs):
        """Plot the survey projected on a plane ('ZX' by default); returns the axes."""
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            raise ImportError("SurveyTable.plot needs matplotlib: pip install matplotlib") from None
        if ax is None:
            _, ax = plt.subplots()
        if projection not in ("ZX", "ZY", "XY"):
            raise ValueError(f"plot: projection must be 'ZX', 'ZY' or 'XY', got {projection!r}.")
        horizontal, vertical = projection[0], projection[1]
        ax.plot(self[horizontal], self[vertical], **kwargs)
        ax.set_xlabel(f"{horizontal} [m]")
        ax.set_ylabel(f"{vertical} [m]")
        ax.set_aspect("equal", adjustable="datalim")
        return ax


def _rot_z(angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def _rot_y(angle):
    # MAD-X Theta matrix: azimuth theta about Y.
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _rot_x(angle):
    # MAD-X Phi matrix: elevation phi about X.
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]])


def _initial_frame(theta0, phi0, psi0):
    return _rot_y(theta0) @ _rot_x(phi0) @ _rot_z(psi0)


def _element_geometry(element):
    """(length [m] along the path, bending angle [rad], tilt [rad], (dx, dy) shift, extra rotation)."""
    cls = type(element).__name__
    length = float(getattr(element, "length", 0.0)) if getattr(element, "isthick", False) else 0.0
    angle = 0.0
    tilt = float(getattr(element, "rot_s_rad", 0.0) or 0.0)
    if hasattr(element, "_table_values"):  # slices (slice_elements.py): their part of the parent's angle
        values = element._table_values()
        return length, values["angle"], values["rot_s_rad"], None, None
    if cls in ("Bend", "RBend"):
        angle = float(element.angle)
    elif cls == "Multipole":
        angle = float(element.hxl)
    elif cls == "SRotation":
        return 0.0, 0.0, 0.0, None, _rot_z(np.deg2rad(float(element.angle)))
    elif cls == "XYShift":
        return 0.0, 0.0, 0.0, (float(element.dx), float(element.dy)), None
    elif cls == "XRotation":
        return 0.0, 0.0, 0.0, None, _rot_x(np.deg2rad(float(element.angle)))
    elif cls == "YRotation":
        return 0.0, 0.0, 0.0, None, _rot_y(-np.deg2rad(float(element.angle)))
    return length, angle, tilt, None, None


def _step(element):
    """(R, S) of one element: displacement in the entry frame and rotation."""
    length, angle, tilt, shift, rotation = _element_geometry(element)
    if rotation is not None:
        return np.zeros(3), rotation
    if shift is not None:
        return np.array([shift[0], shift[1], 0.0]), None
    if angle == 0.0:
        return np.array([0.0, 0.0, length]), None
    if length == 0.0:
        r = np.zeros(3)
    else:
        rho = length / angle
        r = np.array([rho * (np.cos(angle) - 1.0), 0.0, rho * np.sin(angle)])
    s = _rot_y(-angle)
    if tilt != 0.0:
        t = _rot_z(tilt)
        r = t @ r
        s = t @ s @ t.T
    return r, s


def _angles(w):
    theta = np.arctan2(w[0, 2], w[2, 2])
    phi = np.arctan2(w[1, 2], np.hypot(w[0, 2], w[2, 2]))
    psi = np.arctan2(w[1, 0], w[1, 1])
    return theta, phi, psi


def _walk(elements, v0, w0, reverse=False):
    """Positions and frames at each element entrance (and at the end) walking `elements`."""
    n = len(elements)
    pos = np.zeros((n + 1, 3))
    frames = np.zeros((n + 1, 3, 3))
    v, w = np.array(v0, dtype=float), np.array(w0, dtype=float)
    cache = {}
    for ii, element in enumerate(elements):
        pos[ii], frames[ii] = v, w
        key = id(element)
        rs = cache.get(key)
        if rs is None:
            r, s = _step(element)
            if reverse and s is not None:
                s = s.T
                r = -(s @ r)
            elif reverse:
                r = -r
            rs = cache[key] = (r, s)
        r, s = rs
        v = w @ r + v
        if s is not None:
            w = w @ s
    pos[n], frames[n] = v, w
    return pos, frames


def survey_from_line(line, X0=0.0, Y0=0.0, Z0=0.0, theta0=0.0, phi0=0.0, psi0=0.0, element0=0,
                     reverse=False):
    """Survey of `line`: frame at the entrance of each element and at the end.

    Parameters
    ----------
    line : Line
    X0, Y0, Z0 : float, default 0
        Position [m] of the reference point (entrance of `element0`).
    theta0, phi0, psi0 : float, default 0
        Orientation [rad] at the reference point.
    element0 : int or str, default 0
        Element (index or name) at whose entrance the initial values apply.
    reverse : bool, default False
        Survey of the line walked backwards (rows in the order of the
        reversed line); the initial values apply at `element0`.

    Returns
    -------
    SurveyTable
    """
    names = list(line.element_names)
    if isinstance(element0, str):
        if element0 not in names:
            from ..line.environment import _close_matches

            raise KeyError(f"survey: element0={element0!r} is not in the line{_close_matches(element0, names)}.")
        i0 = names.index(element0)
    else:
        i0 = int(element0)
        if not 0 <= i0 <= len(names):
            raise ValueError(f"survey: element0 must be in [0, {len(names)}], got {element0!r}.")
    from ..beam_elements.slices import resolve_element

    placed = [line.element_dict[nn] for nn in names]
    # a replica bends and drifts as the element it stands for
    elements = [resolve_element(e, line.element_dict) for e in placed]
    lengths = np.array([float(getattr(e, "length", 0.0)) if getattr(e, "isthick", False) else 0.0
                        for e in elements])
    if reverse:
        names = names[::-1]
        elements = elements[::-1]
        placed = placed[::-1]
        lengths = lengths[::-1]
        # element0 is counted in the reversed line: its entrance is the original exit.
        i0 = 0 if element0 == 0 else len(names) - 1 - i0
    w0 = _initial_frame(theta0, phi0, psi0)
    pos, frames = _walk(elements, np.zeros(3), np.eye(3), reverse=reverse)
    # Move the whole survey rigidly so that the frame at element0 is (V0, W0).
    w_ref = frames[i0]
    transform = w0 @ w_ref.T
    pos = (pos - pos[i0]) @ transform.T + np.array([X0, Y0, Z0], dtype=float)
    frames = np.einsum("ij,njk->nik", transform, frames)
    angles = np.array([_angles(w) for w in frames])
    theta = np.unwrap(angles[:, 0])
    theta += theta0 - theta[i0]
    phi, psi = angles[:, 1], angles[:, 2]
    s = np.concatenate([[0.0], np.cumsum(lengths)])
    angle_col = np.array([_element_geometry(e)[1] for e in elements] + [0.0])
    tilt_col = np.array([_element_geometry(e)[2] for e in elements] + [0.0])
    from ..line.tables import _unique_names

    data = {"name": np.array(_unique_names(names) + ["_end_point"], dtype=object),
            "s": s, "X": pos[:, 0], "Y": pos[:, 1], "Z": pos[:, 2],
            "theta": theta, "phi": phi, "psi": psi,
            "length": np.concatenate([lengths, [0.0]]),
            "angle": angle_col, "rot_s_rad": tilt_col,
            "element_type": np.array([type(e).__name__ for e in placed] + [""], dtype=object),
            # the local frame as vectors of the global one (n, 3): the columns of W (ex, ey the
            # transverse axes x, y; ez along the path), and the positions stacked
            "ex": frames[:, :, 0].copy(), "ey": frames[:, :, 1].copy(), "ez": frames[:, :, 2].copy(),
            "XYZ": pos.copy()}
    cols = ["name", "s", "X", "Y", "Z", "theta", "phi", "psi", "length", "angle", "rot_s_rad",
            "element_type", "ex", "ey", "ez", "XYZ"]
    out = SurveyTable(data, col_names=cols)
    return out
