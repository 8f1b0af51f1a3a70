"""Particles generated at an element start their first tracking there.

`line.build_particles(at_element=...)` (and everything built on it: matched
bunches, pencils on collimators) marks the particles with
`start_tracking_at_element`; the next `track` starts at that element, as if
`ele_start` were given, and consumes the mark; giving `ele_start` as well is
refused.
"""

import numpy as np
import pytest
import xtrack as xt

COORDS = ("x", "px", "y", "py", "zeta", "delta", "s", "at_turn", "at_element")


def _ring():
    # a thin FODO cell repeated: enough focusing for stable tracking over turns
    elements, names = [], []
    for cell in range(4):
        for kind, element in (("qf", xt.Multipole(knl=[0, 0.2])), ("d1", xt.Drift(length=2.)),
                              ("qd", xt.Multipole(knl=[0, -0.2])), ("d2", xt.Drift(length=2.))):
            elements.append(element.copy())
            names.append(f"{kind}.{cell}")
    line = xt.Line(elements=elements, element_names=names)
    line.particle_ref = xt.Particles(p0c=1e9)
    line.build_tracker()
    return line


def _coords(particles):
    return {name: np.array(getattr(particles, name)) for name in COORDS}


def test_first_track_starts_at_the_generation_element_and_consumes_the_mark():
    line = _ring()
    marked = line.build_particles(x=[1e-3, -2e-3], px=[1e-5, 0.0], at_element="qd.1")
    assert marked.start_tracking_at_element == line.element_names.index("qd.1")
    plain = marked.copy()
    plain.start_tracking_at_element = -1

    line.track(marked, num_turns=2)
    line.track(plain, ele_start="qd.1", num_turns=2)
    assert marked.start_tracking_at_element == -1
    got, want = _coords(marked), _coords(plain)
    for name in COORDS:
        np.testing.assert_array_equal(got[name], want[name], err_msg=name)

    # the mark is consumed: the next call starts at the line's beginning
    line.track(marked, num_turns=1)
    line.track(plain, num_turns=1)
    got, want = _coords(marked), _coords(plain)
    for name in COORDS:
        np.testing.assert_array_equal(got[name], want[name], err_msg=name)


def test_first_track_from_the_mark_differs_from_a_track_from_the_start():
    # guards the test above against a tracker that ignores the mark
    line = _ring()
    marked = line.build_particles(x=[1e-3], at_element="qd.1")
    ignored = marked.copy()
    ignored.start_tracking_at_element = -1
    line.track(marked, num_turns=1)
    line.track(ignored, num_turns=1)
    assert not np.allclose(np.array(marked.x), np.array(ignored.x), atol=1e-9)


def test_ele_start_and_a_mark_together_are_refused_and_nothing_moves():
    line = _ring()
    marked = line.build_particles(x=[1e-3], at_element="qd.1")
    before = _coords(marked)
    with pytest.raises(ValueError, match="start_tracking_at_element"):
        line.track(marked, ele_start="qf.2")
    after = _coords(marked)
    for name in COORDS:
        np.testing.assert_array_equal(after[name], before[name], err_msg=name)
    assert marked.start_tracking_at_element == line.element_names.index("qd.1")


def test_particles_built_at_an_element_carry_its_s_and_keep_it_consistent_when_tracked():
    line = _ring()
    s_qd1 = line.get_s_position("qd.1")
    assert s_qd1 == pytest.approx(6.0)  # cells of 4 m: qf, 2 m drift, qd, 2 m drift
    marked = line.build_particles(x=[1e-3], at_element="qd.1")
    assert np.array(marked.s).tolist() == [s_qd1]
    # to the end of the line: s runs from the element to the line length, then resets
    line.track(marked, num_elements=len(line.element_names) - line.element_names.index("qd.1") - 1)
    assert np.array(marked.s)[0] == pytest.approx(line.get_length() - 2.0, abs=1e-12)
