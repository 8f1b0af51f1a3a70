"""Black-absorber collimators: gaps from the optics, jaw rotation, losses, refusals."""

import math

import numpy as np
import pytest

import xtrack as xt
from xtrack.collimation import install_black_absorbers

NEMITT = 2.5e-6  # [m] normalised emittance of the tests


def jaw_coordinate(twiss, name, angle):
    return twiss["x", name] * math.cos(angle) + twiss["y", name] * math.sin(angle)


def beam_sigma(twiss, name, angle):
    eps = NEMITT / (450e9 / xt.PROTON_MASS_EV)  # beta0 gamma0 = p0c / m of the test ring
    return math.sqrt(twiss["betx", name] * eps * math.cos(angle) ** 2
                     + twiss["bety", name] * eps * math.sin(angle) ** 2)


@pytest.mark.parametrize("angle", [0.0, math.pi / 4, math.pi / 2, 2.2253])
def test_half_gap_is_nsigma_times_sigma_at_the_collimator_centre(angle, ring):
    line = ring()
    table = install_black_absorbers(line, [{"name": "tcp", "nsigma": 5.0, "angle": angle}],
                                    NEMITT, NEMITT)
    reference = ring(split_collimator=True).twiss(method="4d")
    sigma = beam_sigma(reference, "tcp_centre", angle)
    # drift transport of the Twiss functions is exact: only round-off (beta from two twisses)
    assert table["sigma", "tcp"] == pytest.approx(sigma, rel=1e-9)
    assert table["half_gap", "tcp"] == pytest.approx(5.0 * sigma, rel=1e-9)
    assert table["s", "tcp"] == pytest.approx(reference["s", "tcp_centre"], abs=1e-12)
    for face in ("tcp_entry", "tcp_exit"):
        aperture = line[face]
        assert aperture.rot_s_rad == pytest.approx(angle, abs=0)
        assert aperture.max_x - aperture.min_x == pytest.approx(10.0 * sigma, rel=1e-9)
    names = line.element_names
    assert names[names.index("tcp") - 1:names.index("tcp") + 2] == ["tcp_entry", "tcp", "tcp_exit"]


@pytest.mark.parametrize("angle", [0.0, math.pi / 6, math.pi / 2, 2.2253])
def test_rotated_jaws_stop_particles_just_beyond_the_gap_along_their_normal(angle, ring):
    line = ring()
    table = install_black_absorbers(line, {"name": ["tcp"], "nsigma": [6.0], "angle": [angle]},
                                    NEMITT, NEMITT)
    gap = table["half_gap", "tcp"]
    # across the jaws (u) at 0.999 and 1.001 of the gap, either side; far along them (v = 50
    # gaps): the jaws are infinite in v, so only u decides
    u = gap * np.array([0.999, -0.999, 1.001, -1.001])
    v = 50.0 * gap * np.array([1.0, -1.0, 1.0, -1.0])
    x = u * math.cos(angle) - v * math.sin(angle)
    y = u * math.sin(angle) + v * math.cos(angle)
    start = line.element_names.index("tcp_entry")
    particles = line.build_particles(x=x, y=y)
    line.track(particles, ele_start=start, ele_stop=start + 3)
    order = np.argsort(particles.particle_id)
    assert particles.state[order].tolist() == [1, 1, 0, 0]
    lost_at = {line.element_names[i] for i in particles.at_element[order][2:]}
    assert lost_at == {"tcp_entry"}


def test_jaws_follow_the_closed_orbit_plus_offset(ring):
    line = ring(kick=2e-5)
    twiss = line.twiss(method="4d")
    angle, offset = 0.4, 3e-5
    table = install_black_absorbers(line, [{"name": "tcp", "nsigma": 5.0, "angle": angle,
                                            "offset": offset}], NEMITT, NEMITT, twiss=twiss)
    # orbit at the faces: the twiss at the element entry and at the next element, d2c (its exit)
    entry_u = jaw_coordinate(twiss, "tcp", angle) + offset
    exit_u = jaw_coordinate(twiss, "d2c", angle) + offset
    assert abs(entry_u - offset) > 1e-6  # the kick makes an orbit of microns at the collimator
    gap = table["half_gap", "tcp"]
    for face, centre in (("tcp_entry", entry_u), ("tcp_exit", exit_u)):
        # 1e-15 m: round-off of the drift transport of a micron orbit
        assert 0.5 * (line[face].min_x + line[face].max_x) == pytest.approx(centre, abs=1e-15)
        assert line[face].max_x - line[face].min_x == pytest.approx(2 * gap, rel=1e-12)
    assert table["jaw_centre", "tcp"] == pytest.approx(0.5 * (entry_u + exit_u), abs=1e-15)


def test_thin_element_gets_jaws_half_its_length_either_side(ring):
    line = ring()
    q_before = line.twiss(method="4d").qx
    s_marker = line.get_s_position("mk5")
    table = line.install_black_absorbers([{"name": "mk5", "nsigma": 7.0, "angle": 0.0,
                                           "length": 1.2}], NEMITT, NEMITT)
    assert line.get_length() == pytest.approx(80.0, abs=1e-12)
    assert line.get_s_position("mk5_entry") == pytest.approx(s_marker - 0.6, abs=1e-12)
    assert line.get_s_position("mk5_exit") == pytest.approx(s_marker + 0.6, abs=1e-12)
    assert table["length", "mk5"] == 1.2
    assert table["s", "mk5"] == pytest.approx(s_marker, abs=1e-12)
    # only apertures and drift pieces were added: the optics is that of the bare ring
    assert line.twiss(method="4d").qx == pytest.approx(q_before, abs=1e-12)


def test_pattern_names_every_matching_collimator_and_metadata_survives_json(ring):
    line = ring()
    table = install_black_absorbers(line, [{"name": r"tcp|mk\d", "nsigma": 5.0, "angle": 0.0}],
                                    NEMITT, NEMITT)
    assert list(table.name) == ["tcp", "mk5"]
    loaded = xt.Line.from_dict(line.to_dict())
    record = loaded.metadata["black_absorbers"]
    assert record["tcp"]["apertures"] == ["tcp_entry", "tcp_exit"]
    assert record["tcp"]["half_gap"] == pytest.approx(table["half_gap", "tcp"], rel=1e-15)


def _assert_unchanged(line, names):
    assert line.element_names == names
    assert "black_absorbers" not in line.metadata


@pytest.mark.parametrize("settings, error, message", [
    ([{"name": "tpc", "nsigma": 5, "angle": 0}], KeyError, "close matches: 'tcp'"),
    ([{"name": "tcp", "nsigma": -1, "angle": 0}], ValueError, "nsigma must be a positive"),
    ([{"name": "tcp", "nsigma": 5, "angle": float("nan")}], ValueError, "angle must be a finite"),
    ([{"name": "tcp", "nsigma": 5, "angel": 0}], TypeError, "did you mean 'angle'"),
    ([{"name": "tcp", "nsigma": 5}], ValueError, "missing column(s) angle"),
    ([{"name": "tcp", "nsigma": "5", "angle": 0}], TypeError, "nsigma must be a number"),
    ([{"name": "qf1", "nsigma": 5, "angle": 0}], TypeError, "is a Quadrupole"),
    ([{"name": "tcp", "nsigma": 5, "angle": 0, "length": 2.0}], ValueError, "differs from"),
    ([{"name": "mk5", "nsigma": 5, "angle": 0, "length": 5.0}], ValueError, "would cover 'qd5'"),
    ([{"name": "d1a", "nsigma": 5, "angle": 0}, {"name": "d[0-9]a", "nsigma": 6, "angle": 0}],
     ValueError, "named by settings rows 0 and 1"),
    ([{"name": "d5b", "nsigma": 5, "angle": 0}], ValueError, "appears 2 times"),
    ([{"name": "tcp(", "nsigma": 5, "angle": 0}], ValueError, "regular expression"),
    ([], ValueError, "settings is empty"),
    ("tcp", TypeError, "settings must be a pandas DataFrame"),
])
def test_bad_settings_raise_and_leave_the_line_unchanged(settings, error, message, ring):
    line = ring()
    names = list(line.element_names)
    with pytest.raises(error) as info:
        install_black_absorbers(line, settings, NEMITT, NEMITT)
    assert message in str(info.value)
    _assert_unchanged(line, names)


@pytest.mark.parametrize("nemitt", [0.0, -1e-6, float("inf"), "2.5e-6"])
def test_bad_emittance_is_refused(nemitt, ring):
    line = ring()
    with pytest.raises(ValueError, match="nemitt_x must be a positive normalised emittance"):
        install_black_absorbers(line, [{"name": "tcp", "nsigma": 5, "angle": 0}], nemitt, NEMITT)


def test_installing_twice_is_refused_and_changes_nothing(ring):
    line = ring()
    settings = [{"name": "tcp", "nsigma": 5, "angle": 0}]
    install_black_absorbers(line, settings, NEMITT, NEMITT)
    names, record = list(line.element_names), dict(line.metadata["black_absorbers"])
    with pytest.raises(ValueError, match="'tcp_entry' already"):
        install_black_absorbers(line, settings, NEMITT, NEMITT)
    assert line.element_names == names
    assert line.metadata["black_absorbers"] == record
