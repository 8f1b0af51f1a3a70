"""LossLocationRefinement: refined loss positions against analytic crossings and
against brute-force re-tracking through finely sliced apertures."""

import numpy as np
import pytest

import xtrack as xt
from xobjects.test_helpers import for_all_test_contexts

P0C = 7e12  # [eV]


def _drifts(length, n):
    return [xt.Drift(length=length / n) for _ in range(n)]


def _track(line, **coords):
    line.build_tracker()
    particles = xt.Particles(p0c=P0C, **coords)
    particles._store_host("particle_id", np.arange(len(coords["x"])))
    line.track(particles)
    particles.sort(by="particle_id", interleave_lost_particles=True)
    return particles


def test_refined_s_matches_analytic_crossing_of_tilted_particle():
    # Straight particles from x=0 at s=0 with slope px cross the flat wall
    # x = 1 cm at s = 0.01 / px; both apertures are the same rectangle, so the
    # interpolated pipe is that rectangle everywhere in between.
    half = 0.01
    line = xt.Line(elements=[xt.Drift(length=1.0), xt.LimitRect(min_x=-half, max_x=half, min_y=-half, max_y=half)]
                   + _drifts(4.0, 2) + [xt.Marker(), xt.LimitRect(min_x=-half, max_x=half, min_y=-half, max_y=half)])
    s_cross = np.linspace(1.05, 4.95, 40)
    px = half / s_cross
    particles = _track(line, x=np.zeros_like(px), px=px)
    i_aper_1 = len(line) - 1
    assert np.all(particles.state == 0) and np.all(particles.at_element == i_aper_1)
    np.testing.assert_allclose(particles.s, 5.0)

    refinement = xt.LossLocationRefinement(line, n_theta=360, r_max=0.1, dr=1e-6, ds=0.01)
    refinement.refine_loss_location(particles)

    # The refined point is the first interpolated aperture past the crossing:
    # within ds = 1 cm downstream; dr = 1 um moves the wall by < 1e-6 / px < 0.5 mm.
    assert np.all(particles.s > s_cross - 5e-4)
    assert np.all(particles.s < s_cross + 0.01 + 5e-4)
    # Coordinates are those of the straight trajectory at the refined s.
    np.testing.assert_allclose(particles.x, px * particles.s, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(particles.px, px, rtol=0, atol=0)
    assert np.all(particles.x > half - 1e-6)  # outside the polygon, at most dr inside the wall
    assert np.all(particles.state == 0) and np.all(particles.at_element == i_aper_1)


def test_taper_between_apertures_of_different_size():
    # A circular pipe shrinking linearly from r0 = 2 cm at s0 = 1 m to
    # r1 = 1 cm at s1 = 5 m: a particle parallel to the axis at radius r is
    # lost at s0 + (r0 - r) / (r0 - r1) * (s1 - s0).
    r0, r1, s0, s1 = 0.02, 0.01, 1.0, 5.0
    line = xt.Line(elements=[xt.Drift(length=s0), xt.LimitEllipse(a=r0, b=r0)] + _drifts(s1 - s0, 3)
                   + [xt.LimitEllipse(a=r1, b=r1), xt.Drift(length=1.0)])
    rng = np.random.default_rng(1)
    n = 200
    r = rng.uniform(0.0, 0.019, n)
    theta = rng.uniform(0, 2 * np.pi, n)
    particles = _track(line, x=r * np.cos(theta), y=r * np.sin(theta))
    lost = particles.state == 0
    assert np.array_equal(lost, r > r1)
    alive_before = {name: getattr(particles, name)[~lost].copy() for name in ("s", "x", "y")}

    xt.LossLocationRefinement(line, n_theta=360, r_max=0.1, dr=1e-6, ds=0.01).refine_loss_location(particles)

    s_expected = s0 + (r0 - r) / (r0 - r1) * (s1 - s0)
    # Error budget: ds = 1 cm downstream; polygon chord (360 rays, 0.8 um) and
    # dr (1 um) shrink the pipe by < 2 um, i.e. < 1 mm in s upstream.
    ds_err = particles.s[lost] - s_expected[lost]
    assert ds_err.min() > -1e-3 and ds_err.max() < 0.01 + 1e-3
    np.testing.assert_allclose(particles.x[lost], (r * np.cos(theta))[lost], rtol=0, atol=1e-15)
    assert np.all(particles.at_element[lost] == line.elements.index(line.elements[-2]))
    for name, values in alive_before.items():  # surviving particles are not touched
        np.testing.assert_array_equal(getattr(particles, name)[~lost], values)


def test_sandwiched_apertures_refined_in_the_line_frame():
    # Apertures placed in a shifted, rotated frame (Translation, Rotation,
    # aperture, undo rotation, undo translation): the refined coordinates are
    # in the line frame, concentric with the shifted pipe.
    shift_x, shift_y, rot = 3e-3, 5e-3, np.deg2rad(10.0)

    def sandwich(aperture):
        return [xt.Translation(shift_x=shift_x, shift_y=shift_y), xt.Rotation(rot_s_rad=rot), aperture,
                xt.Rotation(rot_s_rad=-rot), xt.Translation(shift_x=-shift_x, shift_y=-shift_y)]

    line = xt.Line(elements=[xt.Drift(length=0.5)] + sandwich(xt.LimitEllipse(a=0.02, b=0.02))
                   + [xt.Drift(length=1.0), xt.Quadrupole(length=1.0), xt.Cavity(voltage=3e6, frequency=400e6),
                      xt.ParticlesMonitor(start_at_turn=0, stop_at_turn=10, num_particles=3),
                      xt.Drift(length=1.0), xt.Marker()]
                   + sandwich(xt.LimitEllipse(a=0.01, b=0.01)))
    n = 300
    r = np.linspace(0, 0.018, n)
    theta = np.linspace(0, 8 * np.pi, n)
    particles = _track(line, x=r * np.cos(theta) + shift_x, y=r * np.sin(theta) + shift_y)
    lost = particles.state == 0

    # The monitor (no inverse map) is skipped; the cavity must be allowed explicitly.
    refinement = xt.LossLocationRefinement(line, n_theta=360, r_max=0.5, dr=50e-6, ds=0.1,
                                           allowed_backtrack_types=[xt.Cavity])
    refinement.refine_loss_location(particles)
    assert not refinement.skipped

    r_calc = np.hypot(particles.x - shift_x, particles.y - shift_y)
    np.testing.assert_allclose(r_calc, r, rtol=0, atol=1e-12)  # back in the line frame
    s_expected = 0.5 + (0.02 - r) / (0.02 - 0.01) * 3.0
    # ds = 0.1 m downstream; dr = 50 um shrinks the pipe: 50e-6 * 3 m / 1 cm = 15 mm upstream.
    err = particles.s[lost] - s_expected[lost]
    assert err.min() > -0.016 and err.max() < 0.1 + 1e-9


def test_refinement_agrees_with_retracking_through_1cm_slices():
    # Oracle: the same stretch (drift, quadrupole, drift) cut by hand in 1 cm
    # pieces with an elliptic aperture of linearly interpolated semi-axes after
    # each piece; the first aperture a particle fails is its loss position.
    a0, b0, a1, b1 = 0.03, 0.02, 0.015, 0.012
    lengths = [0.7, 1.2, 0.6]  # drift, quadrupole, drift [m]
    k1 = 0.4
    s0, s1 = 0.3, 0.3 + sum(lengths)

    line = xt.Line(elements=[xt.Drift(length=s0), xt.LimitEllipse(a=a0, b=b0), xt.Drift(length=lengths[0]),
                             xt.Quadrupole(length=lengths[1], k1=k1), xt.Drift(length=lengths[2]),
                             xt.LimitEllipse(a=a1, b=b1)])
    oracle_elements = [xt.Drift(length=s0), xt.LimitEllipse(a=a0, b=b0)]
    s = s0
    for length, make in ((lengths[0], lambda l: xt.Drift(length=l)),
                         (lengths[1], lambda l: xt.Quadrupole(length=l, k1=k1)),
                         (lengths[2], lambda l: xt.Drift(length=l))):
        n_pieces = int(round(length / 0.01))
        for _ in range(n_pieces):
            oracle_elements.append(make(length / n_pieces))
            s += length / n_pieces
            t = (s - s0) / (s1 - s0)
            oracle_elements.append(xt.LimitEllipse(a=a0 + t * (a1 - a0), b=b0 + t * (b1 - b0)))
    oracle = xt.Line(elements=oracle_elements)

    rng = np.random.default_rng(3)
    n = 400
    coords = dict(x=rng.uniform(-0.01, 0.01, n), y=rng.uniform(-0.008, 0.008, n),
                  px=rng.normal(0, 4e-3, n), py=rng.normal(0, 4e-3, n))
    particles = _track(line, **coords)
    reference = _track(oracle, **coords)
    lost = particles.state == 0
    assert lost.sum() > 50 and np.all(particles.at_element[lost] == len(line) - 1)
    # Only particles that reach the last aperture in the oracle too are comparable.
    comparable = lost & (reference.state == 0)
    assert comparable.sum() > 0.9 * lost.sum()

    xt.LossLocationRefinement(line, n_theta=360, r_max=0.2, dr=20e-6, ds=0.1).refine_loss_location(particles)

    # Tolerance of the task: 0.1 m (ds = 0.1 m, plus the polygon's difference
    # to the ellipse of interpolated axes).
    np.testing.assert_allclose(particles.s[comparable], reference.s[comparable], rtol=0, atol=0.1)
    assert np.median(np.abs(particles.s[comparable] - reference.s[comparable])) < 0.06
    # Where both stop at the same s, the refined coordinates are those of the
    # real trajectory through the quadrupole (12 thick slices vs 120: same map).
    close = comparable & (np.abs(particles.s - reference.s) < 1e-9)
    assert close.sum() > 5
    np.testing.assert_allclose(particles.x[close], reference.x[close], rtol=0, atol=1e-12)


def test_particle_lost_on_first_aperture_is_left_unchanged():
    line = xt.Line(elements=[xt.Drift(length=1.0), xt.LimitEllipse(a=0.01, b=0.01), xt.Drift(length=1.0),
                             xt.LimitEllipse(a=0.01, b=0.01)])
    particles = _track(line, x=[0.02, 0.0], px=[0.0, 0.0])
    assert particles.state[0] == 0 and particles.at_element[0] == 1
    before = particles.copy()
    refinement = xt.LossLocationRefinement(line, n_theta=36, r_max=0.1, dr=1e-4, ds=0.05)
    refinement.refine_loss_location(particles)
    for name in ("s", "x", "px", "state", "at_element"):
        np.testing.assert_array_equal(getattr(particles, name), getattr(before, name))
    assert "no aperture upstream" in refinement.skipped[1]


def test_element_outside_allowed_types_leaves_particles_unchanged():
    # A Multipole between the apertures blocks the refinement unless allowed.
    def make_line():
        return xt.Line(elements=[xt.LimitEllipse(a=0.02, b=0.02), xt.Drift(length=1.0), xt.Multipole(knl=[1e-4]),
                                 xt.Drift(length=1.0), xt.LimitEllipse(a=0.01, b=0.01)])

    line = make_line()
    particles = _track(line, x=[0.015], px=[0.0])
    refinement = xt.LossLocationRefinement(line, n_theta=72, r_max=0.1, dr=1e-5, ds=0.05)
    refinement.refine_loss_location(particles)
    assert particles.s[0] == 2.0
    assert "e2" in refinement.skipped[4] and "Multipole" in refinement.skipped[4]

    line = make_line()
    particles = _track(line, x=[0.015], px=[0.0])
    refinement = xt.LossLocationRefinement(line, n_theta=72, r_max=0.1, dr=1e-5, ds=0.05,
                                           allowed_backtrack_types=[xt.Multipole], save_refine_lines=True)
    refinement.refine_loss_location(particles)
    # Pipe radius 2 cm -> 1 cm over 2 m: r = 1.5 cm, shifted outwards by the kick,
    # is reached just before 1 m; the kick (1e-4 rad at 1 m) moves it 0.1 mm by 2 m.
    assert 0.95 < particles.s[0] < 1.06
    assert 4 in refinement.refine_lines and not refinement.skipped


def test_i_apertures_restricts_refinement():
    line = xt.Line(elements=[xt.LimitEllipse(a=0.02, b=0.02), xt.Drift(length=1.0), xt.LimitEllipse(a=0.01, b=0.01),
                             xt.Drift(length=1.0), xt.LimitEllipse(a=0.005, b=0.005)])
    particles = _track(line, x=[0.015, 0.008], px=[0.0, 0.0])
    assert list(particles.at_element) == [2, 4]
    xt.LossLocationRefinement(line, n_theta=72, r_max=0.1, dr=1e-5, ds=0.05).refine_loss_location(
        particles, i_apertures=[4])
    assert particles.s[0] == 1.0  # loss on aperture 2 not refined
    assert 1.35 < particles.s[1] < 1.45  # 8 mm is reached at 1 + (10 - 8) / 5 * 1 m = 1.4 m


@pytest.mark.parametrize("kwargs, error, words", [
    ({"n_theta": 2}, ValueError, "n_theta"),
    ({"n_theta": 10.5}, TypeError, "n_theta"),
    ({"dr": 0.2, "r_max": 0.1}, ValueError, "dr"),
    ({"ds": -0.1}, ValueError, "ds"),
    ({"allowed_backtrack_types": ["Multipole"]}, TypeError, "allowed_backtrack_types"),
])
def test_bad_arguments_raise_naming_the_parameter(kwargs, error, words):
    line = xt.Line(elements=[xt.LimitEllipse(a=0.02, b=0.02), xt.Drift(length=1.0)])
    with pytest.raises(error, match=words):
        xt.LossLocationRefinement(line, **kwargs)


def test_i_apertures_must_name_apertures():
    line = xt.Line(elements=[xt.LimitEllipse(a=0.02, b=0.02), xt.Drift(length=1.0)])
    particles = xt.Particles(p0c=P0C, x=[0.0])
    with pytest.raises(ValueError, match="i_apertures.*got 1"):
        xt.LossLocationRefinement(line).refine_loss_location(particles, i_apertures=[1])


def test_given_backtrack_line_gives_the_same_refinement():
    def make_line():
        return xt.Line(elements=[xt.LimitEllipse(a=0.02, b=0.02), xt.Drift(length=1.0), xt.Quadrupole(length=0.5, k1=0.2),
                                 xt.Drift(length=1.0), xt.LimitEllipse(a=0.01, b=0.01)])

    coords = dict(x=np.linspace(0.011, 0.018, 8), px=np.linspace(-1e-3, 1e-3, 8))
    line = make_line()
    default = _track(line, **coords)
    xt.LossLocationRefinement(line, n_theta=90, r_max=0.1, dr=1e-5, ds=0.05).refine_loss_location(default)
    line = make_line()
    given = _track(line, **coords)
    backtrack_line = make_line()
    backtrack_line.build_tracker()
    xt.LossLocationRefinement(line, backtrack_line=backtrack_line, n_theta=90, r_max=0.1, dr=1e-5,
                              ds=0.05).refine_loss_location(given)
    assert np.all(default.s < 2.5)  # refined: upstream of the lost-on aperture
    for name in ("s", "x", "px"):
        np.testing.assert_allclose(getattr(given, name), getattr(default, name), rtol=0, atol=1e-15)


def test_backtrack_line_must_match_the_line():
    line = xt.Line(elements=[xt.LimitEllipse(a=0.02, b=0.02), xt.Drift(length=1.0)])
    with pytest.raises(ValueError, match="backtrack_line has 1 elements but line has 2"):
        xt.LossLocationRefinement(line, backtrack_line=xt.Line(elements=[xt.Drift(length=1.0)]))


@for_all_test_contexts
def test_taper_refinement_on_every_context(test_context):
    # The taper of test_taper_between_apertures_of_different_size, with a
    # quadrupole inside, on each test context: the refined s obeys the same
    # analytic bounds and the coordinates agree with the serial CPU result
    # to round-off.
    def make_line():
        return xt.Line(elements=[xt.Drift(length=1.0), xt.LimitEllipse(a=0.02, b=0.02), xt.Drift(length=1.5),
                                 xt.Quadrupole(length=1.0, k1=0.0), xt.Drift(length=1.5),
                                 xt.LimitEllipse(a=0.01, b=0.01)])

    n = 100
    r = np.linspace(0.0105, 0.0195, n)
    theta = np.linspace(0, 6 * np.pi, n)
    results = []
    for context in (test_context, xt.Particles(p0c=P0C, x=[0.0])._context):
        line = make_line()
        line.build_tracker(_context=context)
        particles = xt.Particles(_context=context, p0c=P0C, x=r * np.cos(theta), y=r * np.sin(theta))
        particles._store_host("particle_id", np.arange(n))
        line.track(particles)
        xt.LossLocationRefinement(line, n_theta=360, r_max=0.1, dr=1e-6, ds=0.01).refine_loss_location(particles)
        order = np.argsort(particles._host("particle_id")[:n])
        results.append({name: particles._host(name)[:n][order].copy() for name in ("s", "x", "y", "state")})
    on_context, on_cpu = results
    assert np.all(on_context["state"] == 0)
    err = on_context["s"] - (1.0 + (0.02 - r) / 0.01 * 4.0)
    assert err.min() > -1e-3 and err.max() < 0.01 + 1e-3  # as in the CPU taper test
    for name in ("s", "x", "y"):
        np.testing.assert_allclose(on_context[name], on_cpu[name], rtol=0, atol=1e-14)
