"""Removing an element drops its expressions from what a knob drives."""

import xtrack as xt


def test_removed_element_no_longer_depends_on_the_knob():
    env = xt.Environment()
    env["a"] = 10.0
    env.new("q1", "Quadrupole", length=2.0, knl=[0, "3*a"])
    env.new("q2", "q1")  # a clone: its own expression of a
    before = {repr(r) for r in env.ref["a"]._find_dependant_targets()}
    assert {"element_refs['q1'].knl[1]", "element_refs['q2'].knl[1]"} <= before
    env._remove_element("q1")
    after = {repr(r) for r in env.ref["a"]._find_dependant_targets()}
    assert not any("'q1'" in r for r in after)
    env["a"] = 1.0
    assert env.get("q2").knl[1] == 3.0
