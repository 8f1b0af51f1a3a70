"""Survey columns XYZ, ex, ey, ez (the local frame in the global one) on a reference ring."""

import numpy as np
from numpy.testing import assert_allclose


def test_survey_frame_vectors_are_orthonormal_and_follow_the_path(lattice_line):
    line = lattice_line("sps")
    sv = line.survey()
    ex, ey, ez, xyz = sv.ex, sv.ey, sv.ez, sv.XYZ
    n = len(sv.s)
    assert ex.shape == ey.shape == ez.shape == xyz.shape == (n, 3)
    # a right-handed orthonormal frame at every row (ex x ey = ez)
    frame = np.stack([ex, ey, ez], axis=2)
    assert_allclose(np.einsum("nji,njk->nik", frame, frame), np.broadcast_to(np.eye(3), (n, 3, 3)),
                    atol=1e-12)
    assert_allclose(np.cross(ex, ey), ez, atol=1e-12)
    assert_allclose(xyz, np.stack([sv.X, sv.Y, sv.Z], axis=1), rtol=0, atol=0)
    # ez is the direction of motion: the chord of each step lies along the mean of the
    # entrance and exit ez (exact for straight pieces and circular arcs in one plane)
    step = np.diff(xyz, axis=0)
    ds = np.diff(sv.s)
    moving = np.linalg.norm(step, axis=1) > 1e-9
    mean_ez = ez[:-1] + ez[1:]
    mean_ez /= np.linalg.norm(mean_ez, axis=1)[:, None]
    # (compared as displacements: the positions are km from the origin, steps are rounded to ~1e-13 m)
    length = np.linalg.norm(step[moving], axis=1)[:, None]
    assert_allclose(step[moving], mean_ez[moving] * length, rtol=0, atol=1e-10)
    assert np.all(length[:, 0] <= ds[moving] + 1e-10)  # a chord is never longer than its arc
    # ez agrees with the azimuth and the elevation (MAD-X convention)
    th, ph = np.asarray(sv.theta), np.asarray(sv.phi)
    assert_allclose(ez, np.stack([np.sin(th) * np.cos(ph), np.sin(ph), np.cos(th) * np.cos(ph)],
                                 axis=1), atol=1e-12)
    # a closed ring: the last frame is the first after one turn
    assert_allclose(ez[-1], ez[0], atol=1e-9)
